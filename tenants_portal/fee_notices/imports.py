"""The fee schedule file on the one import engine: staged with COPY, checked and merged set-based in one
transaction, idempotent, with the engine's size limit and report.

Format: `spoldzielnia;lokal;skladnik;kwota_obecna;kwota_nowa;od;podstawa` (header required): the unit's
code, the charge component's code, the current and the new monthly amount (decimal comma, not negative),
the month the new amount applies from as mm.rrrr (or that month's 1st as 01.mm.rrrr) and the legal basis,
`art_4_ust_7` or `art_4_ust_7_1`. The lines of one month and basis make one fee change: created as a draft
by the first file that names them, its lines added or updated by later files (a line equal to the stored
one changes nothing). A change already sent to residents is a legal act done: a file naming its month and
basis is refused."""

from django.db.backends.utils import CursorWrapper
from django.urls import reverse
from django.utils import formats as date_formats
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing_views.imports import sql
from billing_views.imports.formats import FileFormat
from billing_views.imports.types import MAX_REPORTED_ERRORS, ImportRefused, LineMap, MergeCounts, RowError
from billing_views.models import ImportRun
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record
from tenants_portal.modules import module_enabled

from .models import BASIS_SHORT, Basis, FeeChange
from .selectors import fee_changes_of_import

# Amounts of a fee are never negative: no sign; thousands may be grouped with spaces.
_AMOUNT = "'^[0-9]{1,10}(,[0-9]{1,2})?$'"
_PERIOD = "'^(0[1-9]|1[0-2])\\.(19|20|21)[0-9]{2}$'"
_BASES = ", ".join(f"'{basis}'" for basis in Basis.values)
_OD = "btrim(s.od)"


def _unspaced(column: str) -> str:
    return f"replace(replace(btrim({column}), ' ', ''), chr(160), '')"


def _amount_ok(column: str) -> str:
    return f"coalesce({_unspaced(column)} ~ {_AMOUNT}, false)"


def _amount(column: str) -> str:
    return f"replace({_unspaced(column)}, ',', '.')::numeric(12,2)"


FEE_SCHEDULE = FileFormat(
    ImportRun.Kind.FEE_SCHEDULE, gettext_lazy("fee schedule"),
    ("spoldzielnia", "lokal", "skladnik", "kwota_obecna", "kwota_nowa", "od", "podstawa"), order=30,
    available=lambda: module_enabled("fee_notices"), report_path=lambda run: fee_schedule_report_path(run))


def _reasons() -> dict[str, str]:
    return {
        "lokal": _("Unknown unit: no unit has this code in the registry (import the registry first)."),
        # The engine fills in the cooperative's components for this code.
        "skladnik": _("Unknown charge component; the cooperative's components are: %(components)s."),
        "kwota_obecna": _("The current amount must be a number not below zero with a decimal comma and at most "
                          "2 decimal places, e.g. 245,60."),
        "kwota_nowa": _("The new amount must be a number not below zero with a decimal comma and at most "
                        "2 decimal places, e.g. 262,10."),
        "od": _("The month must be written as mm.rrrr, e.g. 04.2027."),
        "od_dzien": _("A fee change takes effect from the first day of a month: write the month as mm.rrrr, "
                      "e.g. 04.2027."),
        "podstawa": _("Unknown legal basis: use art_4_ust_7 (notice three months ahead) or art_4_ust_7_1 "
                      "(energy, gas, water, waste: 14 days before the payment day)."),
    }


def _merge(cursor: CursorWrapper, *, run: ImportRun, resent: ImportRun | None, lines: LineMap) -> MergeCounts:
    cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.fee-schedule-import'))")
    # The same unit and component twice for one change: which amount was meant is unknown, so it is refused.
    duplicates = sql.duplicates(cursor, fmt=FEE_SCHEDULE, lines=lines)
    if duplicates:
        raise ImportRefused([RowError(*duplicate) for duplicate in duplicates])
    _refuse_sent(cursor)
    now, user_id = timezone.now(), run.uploaded_by_id
    cursor.execute(
        "WITH created AS (INSERT INTO fee_notices_feechange (effective_month, basis, title, justification, "
        "justification_pdf_path, justification_pdf_name, justification_pdf_size, status, created_at, "
        "created_by_id, import_run_id) SELECT DISTINCT effective_month, basis, '', '', '', '', 0, 'draft', "
        # Typed: a file from the import folder has no uploader, and an untyped NULL under DISTINCT reads as text.
        "%s::timestamptz, %s::bigint, %s::bigint FROM import_typed "
        "ON CONFLICT ON CONSTRAINT fee_change_unique_month_basis DO NOTHING RETURNING id) "
        "SELECT array_agg(id ORDER BY id) FROM created", [now, user_id, run.pk])
    created = cursor.fetchone()[0] or []
    cursor.execute(
        "WITH merged AS (INSERT INTO fee_notices_feechangeline AS l (fee_change_id, unit_id, component_id, "
        "current_amount, new_amount) SELECT f.id, t.unit_id, t.component_id, t.current_amount, t.new_amount "
        "FROM import_typed t JOIN fee_notices_feechange f ON f.effective_month = t.effective_month "
        "AND f.basis = t.basis ORDER BY t.line ON CONFLICT ON CONSTRAINT fee_change_line_unique DO UPDATE SET "
        "current_amount = EXCLUDED.current_amount, new_amount = EXCLUDED.new_amount "
        "WHERE (l.current_amount, l.new_amount) IS DISTINCT FROM (EXCLUDED.current_amount, EXCLUDED.new_amount) "
        "RETURNING l.fee_change_id, (xmax = 0) AS inserted) "
        "SELECT fee_change_id, count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
        "FROM merged GROUP BY fee_change_id ORDER BY fee_change_id")
    per_change = cursor.fetchall()
    added = sum(row[1] for row in per_change)
    updated = sum(row[2] for row in per_change)
    changed_ids = sorted({row[0] for row in per_change} | set(created))
    if changed_ids:
        # The change remembers the file that last set its lines (its report is the lines' source).
        cursor.execute("UPDATE fee_notices_feechange SET import_run_id = %s WHERE id = ANY(%s)",
                       [run.pk, changed_ids])
    cursor.execute("SELECT count(*) FROM import_typed")
    unchanged = cursor.fetchone()[0] - added - updated
    audit_record(acting_user=run.uploaded_by, action=AuditAction.FEE_CHANGE_IMPORTED, target=run.filename,
                 details={"run": run.pk, "fee_changes": changed_ids, "created": len(created), "added": added,
                          "updated": updated, "unchanged": unchanged})
    return MergeCounts(added=added, updated=updated, details={"fee_changes": (len(created), 0)})


def _refuse_sent(cursor: CursorWrapper) -> None:
    """Lines for a change that was already sent: its letters are out, so nothing of it changes any more."""
    cursor.execute(
        "SELECT t.line, t.od, f.effective_month, f.basis, f.sent_at, count(*) OVER () FROM import_typed t "
        "JOIN fee_notices_feechange f ON f.effective_month = t.effective_month AND f.basis = t.basis "
        "WHERE f.status = %s ORDER BY t.line LIMIT %s", [FeeChange.Status.SENT, MAX_REPORTED_ERRORS])
    rows = cursor.fetchall()
    if not rows:
        return
    errors = []
    for line, value, month, basis, sent_at, _total in rows:
        errors.append(RowError(line, "od", value or "", _(
            "The fee change from %(month)s (%(basis)s) was already sent to residents on %(date)s and can no "
            "longer be changed; a further change needs a later month.") % {
            "month": date_formats.date_format(month, "j E Y"), "basis": BASIS_SHORT.get(basis, basis),
            "date": f"{timezone.localtime(sent_at):%d.%m.%Y}" if sent_at else "—"}))
    raise ImportRefused(errors, total=rows[0][5])


def register() -> None:
    sql.format_register(FEE_SCHEDULE, sql.FormatSql(
        checks=[
            ("lokal", "u.id IS NULL"),
            ("skladnik", "c.id IS NULL"),
            ("kwota_obecna", f"NOT {_amount_ok('s.kwota_obecna')}"),
            ("kwota_nowa", f"NOT {_amount_ok('s.kwota_nowa')}"),
            # A month, or a real date; the CASE of the checks reaches the next one only for these.
            ("od", f"NOT coalesce({_OD} ~ {_PERIOD}, false) AND NOT {sql.date_ok(_OD)}"),
            ("od_dzien", f"NOT coalesce({_OD} ~ {_PERIOD}, false) AND left({_OD}, 3) <> '01.'"),
            ("podstawa", f"lower(btrim(coalesce(s.podstawa, ''))) NOT IN ({_BASES})"),
        ],
        joins=("LEFT JOIN registry_unit u ON u.code = btrim(s.lokal) "
               "LEFT JOIN ledger_chargecomponent c ON c.code = lower(btrim(s.skladnik))"),
        inner=", u.id AS unit_id, c.id AS component_id",
        typed=("x.unit_id, x.component_id, x.od, "
               f"CASE WHEN x.problem IS NULL THEN {_amount('x.kwota_obecna')} END AS current_amount, "
               f"CASE WHEN x.problem IS NULL THEN {_amount('x.kwota_nowa')} END AS new_amount, "
               "CASE WHEN x.problem IS NULL THEN to_date('01.' || right(btrim(x.od), 7), 'DD.MM.YYYY') END "
               "AS effective_month, lower(btrim(x.podstawa)) AS basis"),
        reasons=_reasons, merge=_merge,
        # One line per unit, component and change: "04.2027" and "01.04.2027" are the same month.
        key="btrim(lokal), lower(btrim(skladnik)), right(btrim(od), 7), lower(btrim(podstawa))",
        key_column="lokal", columns={"od_dzien": "od"}))


def fee_schedule_report_path(run: ImportRun) -> str:
    """Where the office goes on from a fee schedule file's report: the page of the change it set (its lines, its
    deadline, sending it), the list of its changes when it set several, or the import's own page when it set
    none (a refused file: its report is the row errors there)."""
    changes = fee_changes_of_import(run=run)
    if len(changes) == 1:
        return reverse("fee_notices:staff_detail", args=[changes[0].pk])
    if changes:
        return f"{reverse('fee_notices:staff_list')}?import={run.pk}"
    return reverse("staff_import", args=[run.pk])
