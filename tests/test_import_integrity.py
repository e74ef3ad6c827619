"""An import stores exactly the documented merge of the file or nothing: one test per
finding of issue 15, each failing on the engine before it."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.utils import translation

from billing_views.imports.services import import_confirm, import_process, import_receive_now
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tests.conftest import notices_deliver_waiting
from tests.test_imports import CHARGES_HEADER, GOOD_CHARGES, PAYMENTS_HEADER, _csv, _entries, _import

MIXED = ("The file is in UTF-8, but this line is not: the file mixes encodings or was cut in the middle of a "
         "letter. Nothing was imported; export the whole file again in one encoding.")


def _row(source_id: str, amount: str, description: str) -> str:
    return f"alfa;{source_id};ALFA-1-1;naliczenie;eksploatacja;10.2026;01.10.2026;{amount};{description}"


_REPORT_TABLES = ("ledger_importrun", "ledger_importrowerror", "notices_notice", "notices_outboxmessage")


def _schema_checksums(coop) -> dict[str, str]:
    """A checksum of every table of the cooperative's schema but the refusal's own traces: the import's
    run and report, and the e-mail that tells the office."""
    with coop.use(), connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
        tables = [name for (name,) in cursor.fetchall() if name not in _REPORT_TABLES]
        sums = {}
        for table in tables:
            # The table names come from the catalogue, not from input.
            cursor.execute(f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
                           f'FROM "{table}" t')
            sums[table] = cursor.fetchone()[0]
        return sums


@pytest.mark.parametrize(("raw", "line", "value"), [
    # A UTF-8 file with one row typed in Windows-1250.
    (_csv(CHARGES_HEADER, [_row("E-1", "10,00", "Opłata za wodę")]).encode()
     + (_row("E-2", "11,00", "Opłata za wodę") + "\r\n").encode("cp1250"), 3, "Opłata za wodę"),
    # The same with letters that made the old engine name ISO-8859-2 and no line.
    (_csv(CHARGES_HEADER, [_row("E-1", "10,00", "Żółć")]).encode()
     + (_row("E-2", "11,00", "Źdźbło śliwki") + "\r\n").encode("cp1250"), 3, "Źdźbło śliwki"),
    # A UTF-8 file cut in the middle of a two-byte letter.
    (_csv(CHARGES_HEADER, [_row("E-1", "10,00", "Opłata za wodę")]).encode()[:-3], 2, "Opłata za wod\ufffd"),
])
def test_a_file_in_mixed_or_broken_encoding_is_refused_at_its_line_and_nothing_changes(coop_a, raw, line, value):
    before = _schema_checksums(coop_a)
    run = _import(coop_a, "", raw=raw)
    assert (run.status, run.report) == ("failed", [(line, "opis", value, MIXED)])
    assert _schema_checksums(coop_a) == before


def test_a_duplicate_of_an_existing_entry_within_one_file_is_refused(coop_a):
    _import(coop_a, _csv(CHARGES_HEADER, [_row("D-1", "10,00", "")]))
    before = _schema_checksums(coop_a)
    run = _import(coop_a, _csv(CHARGES_HEADER, [_row("D-1", "12,00", ""), _row("D-2", "1,00", ""),
                                                _row("D-1", "13,00", "")]))
    assert (run.status, run.report) == ("failed", [
        (4, "id_zapisu", "D-1", "This entry appears more than once in the file (lines 2, 4).")])
    assert _schema_checksums(coop_a) == before


@pytest.mark.parametrize(("first", "second", "line", "reason"), [
    (_csv(CHARGES_HEADER, ["alfa;K-1;ALFA-1-1;naliczenie;co;03.2016;10.03.2016;120,36;"]),
     _csv(PAYMENTS_HEADER, ["alfa;W-1;ALFA-1-1;01.04.2016;5,00;;", "alfa;K-1;ALFA-1-1;01.04.2016;5,00;;"]),
     3, "The entry “K-1” is already stored as: charge; this file would make it: payment. An entry's kind never "
        "changes: give a new entry its own identifier."),
    (_csv(PAYMENTS_HEADER, ["alfa;K-1;ALFA-1-1;01.04.2016;5,00;;"]),
     _csv(CHARGES_HEADER, ["alfa;K-1;ALFA-1-1;naliczenie;co;03.2016;10.03.2016;120,36;"]),
     2, "The entry “K-1” is already stored as: payment; this file would make it: charge. An entry's kind never "
        "changes: give a new entry its own identifier."),
    (_csv(CHARGES_HEADER, ["alfa;K-1;ALFA-1-1;naliczenie;co;03.2016;10.03.2016;120,36;"]),
     _csv(CHARGES_HEADER, ["alfa;K-1;ALFA-1-1;korekta;co;03.2016;10.03.2016;-5,00;"]),
     2, "The entry “K-1” is already stored as: charge; this file would make it: correction. An entry's kind "
        "never changes: give a new entry its own identifier."),
])
def test_a_file_that_would_change_an_entrys_kind_is_refused_per_row(coop_a, first, second, line, reason):
    assert _import(coop_a, first).status == "succeeded"
    before = _schema_checksums(coop_a)
    run = _import(coop_a, second)
    assert (run.status, run.report) == ("failed", [(line, "id_zapisu", "K-1", reason)])
    assert _schema_checksums(coop_a) == before


def test_an_older_file_sent_again_lists_what_differs_and_is_applied_only_when_confirmed(coop_a):
    file_a = _csv(CHARGES_HEADER, [_row("S-1", "10,00", "A"), _row("S-2", "5,00", "A")])
    first = _import(coop_a, file_a)
    assert _import(coop_a, _csv(CHARGES_HEADER, [_row("S-1", "20,00", "C")])).rows_updated == 1
    before = _schema_checksums(coop_a)
    again = _import(coop_a, file_a, filename="znowu.csv")
    assert (again.status, again.same_as_id, again.error_count) == ("confirm", first.pk, 2)
    assert again.report == [(2, "kwota", "10,00", "Now in the database: 20,00; this file: 10,00."),
                            (2, "opis", "A", "Now in the database: C; this file: A.")]
    assert _schema_checksums(coop_a) == before
    with coop_a.use(), translation.override("en"):
        import_confirm(run=again, acting_user=coop_a.clerk)
        applied = import_process(run_id=again.pk)
    assert (applied.status, applied.rows_updated, applied.rows_unchanged) == ("succeeded", 1, 1)
    assert _entries(coop_a) == [("S-1", "charge", Decimal("10.00")), ("S-2", "charge", Decimal("5.00"))]
    # Nothing changed since: the same file is then recognised as imported.
    assert _import(coop_a, file_a).status == "unchanged"


def test_an_older_file_whose_values_still_hold_is_reported_as_imported(coop_a):
    file_a = _csv(CHARGES_HEADER, [_row("S-1", "10,00", "A")])
    _import(coop_a, file_a)
    _import(coop_a, _csv(CHARGES_HEADER, [_row("S-9", "20,00", "C")]))
    _import(coop_a, _csv(CHARGES_HEADER, [_row("S-9", "21,00", "C")]))
    assert _import(coop_a, file_a).status == "unchanged"


def test_read_errors_are_reported_in_polish_with_the_physical_line_column_and_value(coop_a):
    quoted = 'alfa;Q-1;ALFA-1-1;naliczenie;co;10.2026;01.10.2026;1,00;"Opis\r\nw dwóch liniach"'
    mixed = "\r\n".join([CHARGES_HEADER, quoted, GOOD_CHARGES[0] + "\n" + GOOD_CHARGES[1]]) + "\r\n"
    with translation.override("pl"):
        run = _import_pl(coop_a, mixed)
    assert run.report == [(4, "", GOOD_CHARGES[0], "Wiersz kończy się inaczej niż pierwszy wiersz pliku (różne "
                           "końce wierszy: CR LF i LF). Proszę zapisać plik ponownie tak, aby każdy wiersz kończył "
                           "się tak samo.")]
    bad_amount = _csv(CHARGES_HEADER, [quoted, GOOD_CHARGES[0].replace("120,50", "12.50")])
    assert _import(coop_a, bad_amount).report[0][:3] == (4, "kwota", "12.50")


def _import_pl(coop, text):
    with coop.use():
        run = import_process(run_id=import_receive_now(data=text.encode(), filename="plik.csv").pk)
        run.report = [(error.line, error.column, error.value, error.reason) for error in run.row_errors.all()]
        return run


def test_reports_are_capped_at_200_errors_with_a_count_of_the_rest(coop_a, django_capture_on_commit_callbacks):
    bad = [_row(f"B-{number}", "x", "") for number in range(100_000)]
    with django_capture_on_commit_callbacks(execute=True):
        run = _import(coop_a, _csv(CHARGES_HEADER, bad))
    assert (run.status, run.error_count, len(run.report)) == ("failed", 100_000, 200)
    assert run.report[-1][0] == 201
    header = CHARGES_HEADER + "".join(f";x{number}" for number in range(200_000))
    wide = _import(coop_a, _csv(header, [GOOD_CHARGES[0]]))
    assert wide.report == [(1, "", header[:200],
                            "The header does not match the charges format: unexpected columns: x0, x1, x2, x3, "
                            "x4, x5, x6, x7, x8, x9 and 199990 more.")]
    notices_deliver_waiting(coop_a)
    assert mail.outbox and all(len(message.body) < 1000 for message in mail.outbox)
    assert _entries(coop_a) == []


@pytest.mark.parametrize(("who", "status", "after"), [("clerk", 302, "pending"), ("resident", 403, "confirm")])
def test_only_the_office_confirms_an_older_file_on_the_import_page(coop_a, who, status, after):
    file_a = _csv(CHARGES_HEADER, [_row("S-1", "10,00", "A")])
    _import(coop_a, file_a)
    _import(coop_a, _csv(CHARGES_HEADER, [_row("S-1", "20,00", "C")]))
    again = _import(coop_a, file_a)
    client = coop_a.client_logged_in_as(getattr(coop_a, who))
    page = client.get(f"/biuro/importy/{again.pk}/")
    if who == "clerk":
        assert "/zatwierdz/" in page.content.decode()
    response = client.post(f"/biuro/importy/{again.pk}/zatwierdz/")
    assert response.status_code == status
    with coop_a.use():
        again.refresh_from_db()
        assert again.status == after
        assert AuditEvent.objects.filter(action=AuditAction.IMPORT_CONFIRMED).count() == (1 if who == "clerk" else 0)
    assert _entries(coop_a) == [("S-1", "charge", Decimal("20.00"))]


def test_a_line_holding_only_the_copy_end_marker_is_refused_instead_of_ending_the_file_early(coop_a):
    run = _import(coop_a, _csv(CHARGES_HEADER, [GOOD_CHARGES[0], "\\.", GOOD_CHARGES[1]]))
    assert run.report == [(3, "spoldzielnia", "\\.", "A line holding only “\\.” cannot be imported (it would end "
                                                     "the data early).")]
    assert _entries(coop_a) == []
