"""The meter-readings file on the one import engine: staged with COPY, checked and merged set-based in
one transaction, idempotent, with the engine's size limit and report.

Format: `numer_licznika;data;odczyt` (header required), date dd.mm.rrrr, reading with up to three
decimals. A reading is identified by its meter and date. A line equal to an accepted reading changes
nothing; a line whose value equals a resident's reading awaiting acceptance accepts it; any other
line adds an accepted reading, which may not be lower than the meter's reading before it (the
stored ones and the file's own, in date order)."""


from django.db.backends.utils import CursorWrapper
from django.urls import reverse
from django.utils import formats as number_formats
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

from .models import Meter

_VALUE = "'^[0-9]{1,9}([.,][0-9]{1,3})?$'"
_VALUE_CLEAN = "replace(replace(s.odczyt, ' ', ''), chr(160), '')"

READINGS = FileFormat(
    ImportRun.Kind.READINGS, gettext_lazy("meter readings"), ("numer_licznika", "data", "odczyt"), order=20,
    available=lambda: module_enabled("meters"),
    report_path=lambda run: f"{reverse('meters:staff_import')}?run={run.pk}")


def _reasons() -> dict[str, str]:
    return {
        "numer_licznika": _("No meter has this serial number."),
        "data": _("The date must be a real date as dd.mm.rrrr, e.g. 31.03.2026."),
        "odczyt": _("The reading must be a number with at most three decimal places, e.g. 123,456."),
    }


def _merge(cursor: CursorWrapper, *, run: ImportRun, resent: ImportRun | None, lines: LineMap) -> MergeCounts:
    cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.readings-import'))")
    # No unique index finds a meter's day twice in the file: which value was meant is unknown, so it is refused.
    duplicates = sql.duplicates(cursor, fmt=READINGS, lines=lines)
    if duplicates:
        raise ImportRefused([RowError(*duplicate) for duplicate in duplicates])
    # What each line does: `present` (an accepted reading of that day and value), `confirm` (the first
    # line with the value of a reading awaiting acceptance accepts it) or `add`.
    cursor.execute("DROP TABLE IF EXISTS import_readings")
    cursor.execute(
        "CREATE TEMP TABLE import_readings ON COMMIT DROP AS SELECT y.line, y.meter_id, y.read_on, y.value, "
        "y.pending_id, CASE WHEN y.present THEN 'present' WHEN y.pending_id IS NOT NULL AND row_number() OVER "
        "(PARTITION BY y.pending_id ORDER BY y.line) = 1 THEN 'confirm' ELSE 'add' END AS action FROM ("
        "SELECT t.line, t.meter_id, t.read_on, t.value, p.present, CASE WHEN NOT p.present THEN "
        "(SELECT r.id FROM meters_reading r WHERE r.meter_id = t.meter_id AND r.status = 'submitted' "
        "AND r.value = t.value ORDER BY r.read_on, r.id LIMIT 1) END AS pending_id FROM import_typed t "
        "CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM meters_reading r WHERE r.meter_id = t.meter_id "
        "AND r.read_on = t.read_on AND r.value = t.value AND r.status = 'accepted') AS present) p) y")
    _refuse_lower(cursor)
    now, user_id = timezone.now(), run.uploaded_by_id
    cursor.execute("UPDATE meters_reading r SET status = 'accepted', decided_by_id = %s, decided_at = %s "
                   "FROM import_readings i WHERE i.action = 'confirm' AND r.id = i.pending_id", [user_id, now])
    confirmed = cursor.rowcount
    cursor.execute(
        "INSERT INTO meters_reading (meter_id, read_on, value, source, status, submitted_by_id, submitted_at, "
        "decided_by_id, decided_at, unusual_confirmed, rejection_reason, photo_path, photo_content_type) "
        "SELECT meter_id, read_on, value, 'import', 'accepted', %s, %s, %s, %s, false, '', '', '' "
        "FROM import_readings WHERE action = 'add' ORDER BY line", [user_id, now, user_id, now])
    added = cursor.rowcount
    cursor.execute("SELECT count(*) FROM import_readings WHERE action = 'present'")
    unchanged = cursor.fetchone()[0]
    audit_record(acting_user=run.uploaded_by, action=AuditAction.READINGS_IMPORTED, target=run.filename,
                 details={"run": run.pk, "confirmed": confirmed, "added": added, "unchanged": unchanged})
    return MergeCounts(added=added, updated=confirmed)


def _refuse_lower(cursor: CursorWrapper) -> None:
    """A reading added is never lower than the meter's reading before it, in date order: accepted
    readings (and those this file accepts) first on a day, then the file's lines in their order."""
    cursor.execute(
        "SELECT z.line, z.value, z.prev_value, z.prev_on, m.kind, count(*) OVER () FROM ("
        "SELECT u.*, lag(u.value) OVER w AS prev_value, lag(u.read_on) OVER w AS prev_on FROM ("
        "SELECT r.meter_id, r.read_on, r.value, 0 AS src, r.id AS ord, NULL::bigint AS line FROM meters_reading r "
        "WHERE r.meter_id IN (SELECT meter_id FROM import_readings WHERE action = 'add') AND (r.status = 'accepted' "
        "OR r.id IN (SELECT pending_id FROM import_readings WHERE action = 'confirm')) "
        "UNION ALL SELECT meter_id, read_on, value, 1, line, line FROM import_readings WHERE action = 'add') u "
        "WINDOW w AS (PARTITION BY u.meter_id ORDER BY u.read_on, u.src, u.ord)) z "
        "JOIN meters_meter m ON m.id = z.meter_id WHERE z.line IS NOT NULL AND z.value < z.prev_value "
        "ORDER BY z.line LIMIT %s", [MAX_REPORTED_ERRORS])
    rows = cursor.fetchall()
    if not rows:
        return
    errors = []
    for line, value, previous, previous_on, kind, _total in rows:
        decimals = 0 if kind == Meter.Kind.HEAT_ALLOCATOR else 3
        errors.append(RowError(line, "odczyt", number_formats.number_format(value, decimal_pos=decimals), _(
            "The reading cannot be lower than the previous one (%(previous)s on %(date)s).") % {
            "previous": number_formats.number_format(previous, decimal_pos=decimals),
            "date": f"{previous_on:%d.%m.%Y}"}))
    raise ImportRefused(errors, total=rows[0][5])


def register() -> None:
    sql.format_register(READINGS, sql.FormatSql(
        checks=[
            ("numer_licznika", "m.id IS NULL"),
            ("data", f"NOT {sql.date_ok('s.data')}"),
            ("odczyt", f"NOT coalesce({_VALUE_CLEAN} ~ {_VALUE}, false)"),
        ],
        joins="LEFT JOIN meters_meter m ON m.serial_number = btrim(s.numer_licznika)",
        inner=", m.id AS meter_id",
        typed=(f"x.meter_id, CASE WHEN x.problem IS NULL THEN {sql.date_of('x.data')} END AS read_on, "
               f"CASE WHEN x.problem IS NULL THEN replace(replace(replace(x.odczyt, ' ', ''), chr(160), ''), ',', "
               f"'.')::numeric(12,3) END AS value"),
        reasons=_reasons, merge=_merge, key="btrim(numer_licznika), data", key_column="numer_licznika"))



