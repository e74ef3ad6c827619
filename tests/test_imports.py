"""Imports from the accounting system: atomic, idempotent, with a row-level report."""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation

from billing_views.imports.selectors import inbox_path
from billing_views.imports.services import import_process, import_receive_now, imports_inbox_collect
from billing_views.models import ImportRun, LedgerEntry
from billing_views.selectors import ledger_balance
from tenants_portal.accounts.models import User
from tenants_portal.registry.models import LegalTitle, Person, Unit
from tests.conftest import notices_deliver_waiting

CHARGES_HEADER = "spoldzielnia;id_zapisu;lokal;rodzaj;skladnik;okres;data;kwota;opis"
PAYMENTS_HEADER = "spoldzielnia;id_zapisu;lokal;data;kwota;referencja;opis"
GOOD_CHARGES = [
    "alfa;A-1;ALFA-1-1;naliczenie;eksploatacja;10.2026;01.10.2026;120,50;",
    "alfa;A-2;ALFA-1-1;naliczenie;fundusz_remontowy;10.2026;01.10.2026;80,00;Fundusz",
    "alfa;A-3;ALFA-1-1;odsetki;;;15.10.2026;1,25;Odsetki",
]


def _csv(header, rows, newline="\r\n"):
    return (newline.join([header, *rows]) + newline)


def _import(coop, text, *, encoding="utf-8", filename="plik.csv", raw: bytes | None = None) -> ImportRun:
    data = raw if raw is not None else text.encode(encoding)
    with coop.use(), translation.override("en"):
        run = import_receive_now(data=data, filename=filename)
        run = import_process(run_id=run.pk)
        run.report = [(error.line, error.column, error.value, error.reason) for error in run.row_errors.all()]
        return run


def _entries(coop):
    with coop.use():
        return list(LedgerEntry.objects.order_by("source_id").values_list("source_id", "kind", "amount"))


def _errors(run):
    return run.report


def test_charges_and_payments_import_and_the_balance_is_their_sum(coop_a):
    run = _import(coop_a, _csv(CHARGES_HEADER, GOOD_CHARGES))
    assert (run.status, run.kind, run.rows_total, run.rows_added, run.rows_updated) == ("succeeded", "charges", 3, 3, 0)
    assert run.message == "3 rows: 3 added, 0 updated, 0 unchanged."
    paid = _import(coop_a, _csv(PAYMENTS_HEADER, ["alfa;W-1;ALFA-1-1;20.10.2026;150,00;PKO/123;Przelew"]))
    assert (paid.status, paid.rows_added) == ("succeeded", 1)
    assert _entries(coop_a) == [("A-1", "charge", Decimal("120.50")), ("A-2", "charge", Decimal("80.00")),
                                ("A-3", "interest", Decimal("1.25")), ("W-1", "payment", Decimal("-150.00"))]
    with coop_a.use():
        assert ledger_balance(unit=Unit.objects.get(code="ALFA-1-1")) == Decimal("51.75")


def test_the_same_file_again_adds_nothing(coop_a):
    text = _csv(CHARGES_HEADER, GOOD_CHARGES)
    first = _import(coop_a, text)
    again = _import(coop_a, text, filename="ponownie.csv")
    assert (again.status, again.same_as_id, again.rows_added, again.rows_unchanged) == ("unchanged", first.pk, 0, 3)
    assert len(_entries(coop_a)) == 3


def test_the_same_entries_in_another_file_add_nothing_and_a_changed_amount_updates(coop_a):
    _import(coop_a, _csv(CHARGES_HEADER, GOOD_CHARGES))
    other = _import(coop_a, _csv(CHARGES_HEADER, [GOOD_CHARGES[2], GOOD_CHARGES[0]], newline="\n"))
    assert (other.status, other.rows_added, other.rows_updated, other.rows_unchanged) == ("succeeded", 0, 0, 2)
    changed = _import(coop_a, _csv(CHARGES_HEADER, [GOOD_CHARGES[0].replace("120,50", "125,50")]))
    assert (changed.rows_added, changed.rows_updated) == (0, 1)
    assert _entries(coop_a)[0] == ("A-1", "charge", Decimal("125.50"))


def test_windows_1250_with_bom_free_polish_text_is_read_right(coop_a):
    run = _import(coop_a, _csv(CHARGES_HEADER, ["alfa;P-1;ALFA-1-1;korekta;co;09.2026;30.09.2026;-12,40;"
                                                "Korekta rozliczenia ciepła — zwrot nadpłaty"]), encoding="cp1250")
    assert run.status == "succeeded"
    with coop_a.use():
        assert LedgerEntry.objects.get().description == "Korekta rozliczenia ciepła — zwrot nadpłaty"


def test_leap_day_and_grouped_amounts_are_accepted(coop_a):
    run = _import(coop_a, _csv(CHARGES_HEADER, ["alfa;L-1;ALFA-1-1;naliczenie;co;02.2024;29.02.2024;1 234,50;"]))
    assert run.status == "succeeded"
    assert _entries(coop_a) == [("L-1", "charge", Decimal("1234.50"))]


def test_utf8_with_bom_is_read(coop_a):
    run = _import(coop_a, "\ufeff" + _csv(CHARGES_HEADER, GOOD_CHARGES[:1]))
    assert (run.status, run.rows_added) == ("succeeded", 1)


def _refused(coop, run, errors):
    assert run.status == "failed"
    assert _errors(run) == errors
    assert (run.rows_added, run.rows_updated) == (0, 0)
    assert _entries(coop) == []


INVALID_AMOUNT = "The amount must be a number with a decimal comma and at most 2 decimal places, e.g. 1234,56."


@pytest.mark.parametrize(("rows", "errors"), [
    (["alfa;A-9;ALFA-1-1;naliczenie;eksploatacja;10.2026;01.10.2026;12.50;"],
     [(3, "kwota", "12.50", INVALID_AMOUNT)]),
    (["alfa;A-9;ALFA-1-1;naliczenie;eksploatacja;10.2026;31.02.2026;12,50;"],
     [(3, "data", "31.02.2026", "The date must be a real date as dd.mm.rrrr, e.g. 31.03.2026.")]),
    (["alfa;A-9;ALFA-1-1;naliczenie;eksploatacja;02.2026;29.02.2026;12,50;"],
     [(3, "data", "29.02.2026", "The date must be a real date as dd.mm.rrrr, e.g. 31.03.2026.")]),
    (["alfa;A-9;ALFA-1-1;naliczenie;eksploatacja;04.2026;31.04.2026;12,50;"],
     [(3, "data", "31.04.2026", "The date must be a real date as dd.mm.rrrr, e.g. 31.03.2026.")]),
    (["alfa;A-9;ALFA-9-9;naliczenie;eksploatacja;10.2026;01.10.2026;12,50;"],
     [(3, "lokal", "ALFA-9-9", "Unknown unit: no unit has this code in the registry (import the registry first).")]),
    (["alfa;A-9;ALFA-1-1;naliczenie;ogrzewanie;10.2026;01.10.2026;12,50;"],
     [(3, "skladnik", "ogrzewanie", "Unknown charge component; the cooperative's components are: eksploatacja, "
                                    "fundusz_remontowy, co.")]),
    (["alfa;A-9;ALFA-1-1;naliczenie;eksploatacja;13.2026;01.10.2026;12,50;"],
     [(3, "okres", "13.2026", "The period must be a month as mm.rrrr, e.g. 03.2026.")]),
    (["alfa;A-9;ALFA-1-1;zaliczka;eksploatacja;10.2026;01.10.2026;12,50;"],
     [(3, "rodzaj", "zaliczka", "Unknown kind: use naliczenie, korekta, odsetki or bilans_otwarcia.")]),
])
def test_one_bad_row_refuses_the_whole_file_with_line_column_value_and_reason(coop_a, rows, errors):
    run = _import(coop_a, _csv(CHARGES_HEADER, [GOOD_CHARGES[0], *rows]))
    _refused(coop_a, run, errors)
    assert run.message == errors[0][3]


def test_several_bad_rows_are_all_reported(coop_a):
    run = _import(coop_a, _csv(CHARGES_HEADER, [
        "alfa;A-1;ALFA-1-1;naliczenie;eksploatacja;10.2026;01.10.2026;x;",
        "alfa;A-2;ALFA-1-1;naliczenie;eksploatacja;10.2026;01.10.2026;12,5;",
        "alfa;A-3;ALFA-1-1;naliczenie;eksploatacja;10.2026;1.10.2026;12,5;"]))
    assert [(line, column) for line, column, _value, _reason in _errors(run)] == [(2, "kwota"), (4, "data")]
    assert run.message == f"2 errors; nothing was imported. The first: {INVALID_AMOUNT}"


def test_duplicates_are_reported_together_with_other_errors(coop_a):
    bad_date = "alfa;A-2;ALFA-1-1;naliczenie;co;10.2026;1.10.2026;1,00;"
    run = _import(coop_a, _csv(CHARGES_HEADER, [GOOD_CHARGES[0], bad_date, GOOD_CHARGES[0]]))
    assert [(line, column) for line, column, _value, _reason in _errors(run)] == [(3, "data"), (4, "id_zapisu")]
    assert run.error_count == 2


def test_duplicate_rows_are_refused(coop_a):
    run = _import(coop_a, _csv(CHARGES_HEADER, [GOOD_CHARGES[0], GOOD_CHARGES[1], GOOD_CHARGES[0]]))
    _refused(coop_a, run, [(4, "id_zapisu", "A-1", "This entry appears more than once in the file (lines 2, 4).")])


def test_missing_and_extra_header_columns_are_named(coop_a):
    missing = _import(coop_a, _csv(CHARGES_HEADER.removesuffix(";opis"), [GOOD_CHARGES[0][:-1]]))
    _refused(coop_a, missing, [(1, "", CHARGES_HEADER.removesuffix(";opis"),
                                "The header does not match the charges format: missing columns: opis.")])
    extra = _import(coop_a, _csv(CHARGES_HEADER + ";uwagi", [GOOD_CHARGES[0] + ";"]))
    assert _errors(extra)[0][3] == "The header does not match the charges format: unexpected columns: uwagi."


def test_row_with_an_extra_column_is_refused(coop_a):
    run = _import(coop_a, _csv(CHARGES_HEADER, [GOOD_CHARGES[0], GOOD_CHARGES[1] + ";nadmiar"]))
    _refused(coop_a, run, [(3, "", GOOD_CHARGES[1] + ";nadmiar", "Too many columns in the row: expected 9 separated "
                                                                "by “;”.")])


def test_truncated_file_is_refused(coop_a):
    text = _csv(CHARGES_HEADER, GOOD_CHARGES)
    run = _import(coop_a, text[: text.index("Fundusz") - 12])
    _refused(coop_a, run, [(3, "kwota", "alfa;A-2;ALFA-1-1;naliczenie;fundusz_remontowy;10.2026;01.10",
                            "Too few columns in the row (is the file cut short?): expected 9 separated by “;”.")])


@pytest.mark.parametrize(("raw", "reason"), [
    (b"", "The file is empty."),
    (b"\r\n  \r\n", "The file is empty."),
    ((CHARGES_HEADER + "\r\n").encode(), "The file has a header but no data rows."),
    (_csv(CHARGES_HEADER, GOOD_CHARGES).encode("utf-16"),
     "The file is not a text file in UTF-8 or Windows-1250 (it looks like UTF-16 or a binary file). "
     "Export it again as CSV in UTF-8 or Windows-1250."),
])
def test_empty_binary_or_wrongly_encoded_files_are_refused(coop_a, raw, reason):
    run = _import(coop_a, "", raw=raw)
    _refused(coop_a, run, [(None, "", "", reason)])


def test_an_iso_8859_2_file_is_refused_at_its_line_column_and_value(coop_a):
    raw = _csv(CHARGES_HEADER, [GOOD_CHARGES[0], "alfa;A-9;ALFA-1-1;naliczenie;eksploatacja;10.2026;01.10.2026;1,00;"
                                                 "Opłata ąś"]).encode("iso-8859-2")
    run = _import(coop_a, "", raw=raw)
    _refused(coop_a, run, [(3, "opis", "Opłata ±¶", "The file seems to be saved in ISO-8859-2 or another encoding, "
                            "so Polish letters would be read wrongly. Export it again in UTF-8 or Windows-1250.")])


def test_a_file_for_another_cooperative_is_refused(coop_a):
    run = _import(coop_a, _csv(CHARGES_HEADER, [GOOD_CHARGES[0].replace("alfa;", "beta;", 1)]))
    _refused(coop_a, run, [(2, "spoldzielnia", "beta", "The file is for another cooperative (“beta”); this import "
                                                       "is for “alfa”. Nothing was imported.")])


def test_a_refused_import_runs_again_after_the_registry_is_fixed(coop_a):
    run = _import(coop_a, _csv(CHARGES_HEADER, ["alfa;A-1;ALFA-1-3;naliczenie;eksploatacja;10.2026;01.10.2026;9,00;"]))
    assert run.status == "failed"
    with coop_a.use():
        Unit.objects.filter(number="3").update(code="ALFA-1-3")
        ImportRun.objects.filter(pk=run.pk).update(status="pending")
        with translation.override("en"):
            again = import_process(run_id=run.pk)
            assert (again.status, again.rows_added, again.row_errors.count()) == ("succeeded", 1, 0)


REGISTRY_HEADER = ("spoldzielnia;osiedle;ulica;numer_budynku;kod_pocztowy;miejscowosc;lokal;numer_lokalu;"
                   "rodzaj_lokalu;powierzchnia;nrb;osoba;imie;nazwisko;tytul_prawny;od;do")


def test_registry_import_creates_and_updates_and_its_ended_titles_close_accounts(coop_a):
    rows = [
        "alfa;Osiedle Nowe;ul. Nowa;5;41-200;Sosnowiec;NOWA-5-1;1;mieszkanie;50,10;;P-1;Halina;Żmuda;"
        "spoldzielcze_wlasnosciowe;01.02.1998;",
        "alfa;Osiedle Nowe;ul. Nowa;5;41-200;Sosnowiec;NOWA-5-G1;G1;garaz;;;P-1;Halina;Żmuda;najem;01.03.2010;",
    ]
    run = _import(coop_a, _csv(REGISTRY_HEADER, rows))
    assert (run.status, run.kind, run.rows_added) == ("succeeded", "registry", 2)
    with coop_a.use():
        person = Person.objects.get(external_id="P-1")
        assert [(t.unit.code, t.kind) for t in person.legal_titles.order_by("unit__code")] == [
            ("NOWA-5-1", "coop_ownership"), ("NOWA-5-G1", "lease")]
        assert Unit.objects.get(code="NOWA-5-1").area_m2 == Decimal("50.10")
        # The office issues her an account; then the registry says both titles ended.
        account = User.objects.create(username="hzmuda", role=User.Role.RESIDENT)
        Person.objects.filter(pk=person.pk).update(account=account)
    ended = _import(coop_a, _csv(REGISTRY_HEADER, [row + "31.10.2026" for row in rows]))
    assert (ended.rows_added, ended.rows_updated) == (0, 2)
    from tenants_portal.access.services import accounts_close_titles_ended
    with coop_a.use():
        assert LegalTitle.objects.filter(person__external_id="P-1", end_date__isnull=True).count() == 0
        assert accounts_close_titles_ended() == ["hzmuda"]


def test_registry_with_a_bad_account_number_changes_nothing(coop_a):
    with coop_a.use():
        units_before = Unit.objects.count()
    run = _import(coop_a, _csv(REGISTRY_HEADER, [
        "alfa;Osiedle Nowe;ul. Nowa;5;41-200;Sosnowiec;NOWA-5-1;1;mieszkanie;50,10;12345678901234567890123456;P-1;"
        "Halina;Żmuda;najem;01.02.1998;"]))
    assert _errors(run) == [(2, "nrb", "12345678901234567890123456",
                             "The bank account number (NRB) must have 26 digits with valid check digits.")]
    with coop_a.use():
        assert Unit.objects.count() == units_before


def test_nightly_inbox_imports_registry_first_and_moves_the_files(coop_a):
    with coop_a.use():
        inbox = inbox_path()
    shutil.rmtree(inbox.parent, ignore_errors=True)
    inbox.mkdir(parents=True)
    (inbox / "a-naliczenia.csv").write_text(_csv(CHARGES_HEADER, [
        "alfa;N-1;NOWA-5-1;naliczenie;eksploatacja;10.2026;01.10.2026;10,00;"]), encoding="utf-8")
    (inbox / "b-rejestr.csv").write_text(_csv(REGISTRY_HEADER, [
        "alfa;Osiedle Nowe;ul. Nowa;5;41-200;Sosnowiec;NOWA-5-1;1;mieszkanie;;;P-1;Halina;Żmuda;najem;01.02.1998;"]),
        encoding="utf-8")
    with coop_a.use():
        runs = imports_inbox_collect()
    assert [(run.filename, run.status) for run in runs] == [("b-rejestr.csv", "succeeded"),
                                                             ("a-naliczenia.csv", "succeeded")]
    assert sorted(path.name for path in inbox.iterdir()) == ["processed"]
    assert Path(settings.IMPORT_ROOT).name.startswith("iok-test-imports")


def test_failure_report_is_emailed_to_the_office(coop_a, django_capture_on_commit_callbacks):
    with coop_a.use():
        User.objects.filter(username="biuro").update(email="biuro@alfa.example")
    with django_capture_on_commit_callbacks(execute=True):
        run = _import(coop_a, _csv(CHARGES_HEADER, ["alfa;A-1;ALFA-1-1;naliczenie;eksploatacja;10.2026;01.10.2026;x;"]))
    assert run.status == "failed"
    notices_deliver_waiting(coop_a)
    assert sorted(message.to[0] for message in mail.outbox) == ["admin@alfa.example", "biuro@alfa.example"]
    # The e-mail is in the cooperative's language (Polish); the reason was recorded in English here. It is
    # short: the summary and a link to the report, never the report itself.
    assert mail.outbox[0].body == (
        f"Plik plik.csv otrzymany {timezone.localtime(run.created_at):%d.%m.%Y %H:%M} nie został zaimportowany: "
        f"nie wprowadzono z niego żadnych zmian.\n\n{INVALID_AMOUNT}\n\nRaport (1 pozycja) jest na stronie "
        f"importu:\nhttps://alfa.{settings.BASE_DOMAIN}/biuro/importy/{run.pk}/\n")



def test_a_pending_imports_page_polls_its_status_instead_of_reloading_itself(coop_a):
    from billing_views.models import ImportRun

    with coop_a.use():
        run = ImportRun.objects.create(source=ImportRun.Source.UPLOAD, filename="naliczenia.csv", stored_path="-",
                                       checksum="0" * 64)
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    html = clerk.get(f"/biuro/importy/{run.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in html
    assert f'data-import-status="/biuro/importy/{run.pk}/stan/"' in html and "/static/iok/import-status.js" in html
    assert clerk.get(f"/biuro/importy/{run.pk}/stan/").json() == {"status": "pending", "in_progress": True}
    with coop_a.use():
        ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.FAILED)
    assert clerk.get(f"/biuro/importy/{run.pk}/stan/").json() == {"status": "failed", "in_progress": False}
    assert "import-status.js" not in clerk.get(f"/biuro/importy/{run.pk}/").content.decode()
    assert coop_a.client_logged_in_as(coop_a.resident).get(f"/biuro/importy/{run.pk}/stan/").status_code == 403
