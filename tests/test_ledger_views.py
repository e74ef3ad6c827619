"""What the resident sees of the ledger, and the office's import pages."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pypdf import PdfReader

from billing_views.imports.services import import_process, import_receive_now
from billing_views.models import ImportRun, LedgerEntry
from tasks.jobs import import_run_process
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.registry.models import Unit
from tests.pdf_ua import assert_pdf_ua

ROWS = ("spoldzielnia;id_zapisu;lokal;rodzaj;skladnik;okres;data;kwota;opis\r\n"
        "alfa;A-1;ALFA-1-1;naliczenie;eksploatacja;09.2026;01.09.2026;300,00;\r\n"
        "alfa;A-2;ALFA-1-1;naliczenie;fundusz_remontowy;09.2026;01.09.2026;100,00;\r\n"
        "alfa;A-3;ALFA-1-1;naliczenie;eksploatacja;10.2026;01.10.2026;310,00;\r\n"
        "alfa;A-4;ALFA-1-1;naliczenie;fundusz_remontowy;10.2026;01.10.2026;105,50;\r\n")
PAYMENTS = ("spoldzielnia;id_zapisu;lokal;data;kwota;referencja;opis\r\n"
            "alfa;W-1;ALFA-1-1;12.09.2026;400,00;PKO/1;Opłaty 09.2026\r\n")


def _load(coop):
    with coop.use():
        for name, text in (("n.csv", ROWS), ("w.csv", PAYMENTS)):
            run = import_receive_now(data=text.encode(), filename=name)
            assert import_process(run_id=run.pk).status == "succeeded"


def test_overview_shows_balance_fee_breakdown_and_how_to_pay(coop_a):
    _load(coop_a)
    page = coop_a.client_logged_in_as(coop_a.resident).get("/rozrachunki/")
    assert page.context["balance"] == Decimal("415.50")
    assert [(line.component, line.amount) for line in page.context["fee"]] == [
        ("Eksploatacja", Decimal("310.00")), ("Fundusz remontowy", Decimal("105.50"))]
    assert page.context["fee_total"] == Decimal("415.50")
    assert [(period.strftime("%m.%Y"), total) for period, total in page.context["history"]] == [
        ("09.2026", Decimal("400.00")), ("10.2026", Decimal("415.50"))]
    payment = page.context["payment"]
    assert payment["account"] == "18 1020 2498 0000 0000 0000 0011"
    # No NIP configured; the name without typographic quotes, which some banking apps cannot show.
    assert payment["qr_payload"] == "|PL|18102024980000000000000011|041550|SM Alfa|ul. Hutnicza 1/1 za 10.2026|||"
    assert "<svg" in payment["qr_svg"]
    assert page.context["as_of"] is not None


def test_balance_equals_the_sum_of_the_ledger_and_the_running_balance(coop_a):
    _load(coop_a)
    client = coop_a.client_logged_in_as(coop_a.resident)
    lines = client.get("/rozrachunki/historia/").context["lines"]
    assert [(line.booked_on.isoformat(), line.amount, line.balance) for line in lines] == [
        ("2026-10-01", Decimal("105.50"), Decimal("415.50")), ("2026-10-01", Decimal("310.00"), Decimal("310.00")),
        ("2026-09-12", Decimal("-400.00"), Decimal("0.00")), ("2026-09-01", Decimal("100.00"), Decimal("400.00")),
        ("2026-09-01", Decimal("300.00"), Decimal("300.00"))]
    with coop_a.use():
        assert sum(LedgerEntry.objects.values_list("amount", flat=True)) == lines[0].balance
    filtered = client.get("/rozrachunki/historia/?date_from=2026-10-01&kind=charge").context["lines"]
    assert [(line.amount, line.balance) for line in filtered] == [
        (Decimal("105.50"), Decimal("415.50")), (Decimal("310.00"), Decimal("310.00"))]


EARLIER = ("spoldzielnia;id_zapisu;lokal;rodzaj;skladnik;okres;data;kwota;opis\r\n"
           "alfa;Z-1;ALFA-1-1;naliczenie;eksploatacja;12.2025;01.12.2025;280,00;\r\n")


def test_the_ledger_reads_one_year_newest_first_with_every_cell_labelled(coop_a):
    _load(coop_a)
    with coop_a.use():
        run = import_receive_now(data=EARLIER.encode(), filename="z.csv")
        assert import_process(run_id=run.pk).status == "succeeded"
    client = coop_a.client_logged_in_as(coop_a.resident)
    page = client.get("/rozrachunki/historia/")
    assert (page.context["ledger"].years, page.context["ledger"].year) == ([2026, 2025], 2026)
    assert [(line.booked_on.isoformat(), line.kind, line.amount, line.balance) for line in page.context["lines"]] == [
        ("2026-10-01", "charge", Decimal("105.50"), Decimal("695.50")),
        ("2026-10-01", "charge", Decimal("310.00"), Decimal("590.00")),
        ("2026-09-12", "payment", Decimal("-400.00"), Decimal("280.00")),
        ("2026-09-01", "charge", Decimal("100.00"), Decimal("680.00")),
        ("2026-09-01", "charge", Decimal("300.00"), Decimal("580.00"))]
    html = page.content.decode()
    # On a phone each stacked cell shows its column's name (CSS from data-label); the balance stands first.
    assert ('<td data-label="Rodzaj">wpłata</td>' in html and '<td class="num" data-label="Saldo po operacji">'
            '280,00\xa0zł</td>' in html and '<td class="num" data-label="Wpłacono">400,00\xa0zł</td>' in html)
    assert 'Do zapłaty: <strong>695,50\xa0zł</strong>' in html
    assert '<a href="?year=2025">2025</a>' in html and '<a href="?year=2026" aria-current="page">2026</a>' in html
    earlier = client.get("/rozrachunki/historia/?year=2025").context["lines"]
    assert [(line.booked_on.isoformat(), line.amount, line.balance) for line in earlier] == [
        ("2025-12-01", Decimal("280.00"), Decimal("280.00"))]
    # A year without entries shows the latest one; the CSV holds what the page shows, oldest first.
    assert client.get("/rozrachunki/historia/?year=2019").context["ledger"].year == 2026
    csv = client.get("/rozrachunki/historia/?year=2025&format=csv").content.decode()
    assert csv.splitlines()[1:] == ["01.12.2025;naliczenie;Eksploatacja;;280,00;280,00"]


def test_a_unit_named_in_the_address_must_be_the_residents_own(coop_a):
    _load(coop_a)
    client = coop_a.client_logged_in_as(coop_a.resident)
    with coop_a.use():
        garage = Unit.objects.get(code="ALFA-1-G1")
        others = Unit.objects.get(code="ALFA-1-2")
    assert client.get(f"/rozrachunki/?unit={garage.pk}").context["unit"] == garage
    assert client.get("/rozrachunki/").context["unit"] == garage  # it stays the unit viewed
    assert client.get(f"/rozrachunki/?unit={others.pk}").status_code == 404
    assert client.get("/rozrachunki/?unit=x").status_code == 404
    assert client.get("/rozrachunki/").context["unit"] == garage


def _set_balance(coop, amount: str) -> None:
    with coop.use():
        unit = Unit.objects.get(code="ALFA-1-1")
        LedgerEntry.objects.create(source_id="T-1", unit=unit, kind=LedgerEntry.Kind.CHARGE,
                                   booked_on=datetime.date(2026, 11, 1), period=datetime.date(2026, 11, 1),
                                   amount=Decimal(amount))


@pytest.mark.parametrize(("amount", "grosze", "caption"), [
    ("9999.99", "999999", "rachunek, kwota i tytuł wypełnią się same"),
    ("10000.00", "000000", "Kod mieści najwyżej 9\xa0999,99\xa0zł, dlatego kwotę prosimy wpisać samodzielnie"),
])
def test_the_payment_code_carries_the_nip_and_leaves_out_an_amount_it_cannot_hold(coop_a, amount, grosze, caption):
    with coop_a.use():
        InstanceSettings.objects.filter(pk=1).update(payment_nip="6441001003")
        instance_settings_forget()
    _set_balance(coop_a, amount)
    page = coop_a.client_logged_in_as(coop_a.resident).get("/rozrachunki/")
    assert page.context["payment"]["qr_payload"] == (
        f"6441001003|PL|18102024980000000000000011|{grosze}|SM Alfa|ul. Hutnicza 1/1 za 11.2026|||")
    html = page.content.decode()
    assert caption in html
    assert 'data-copy="18102024980000000000000011" data-copy-name="numer rachunku"' in html
    assert f'data-copy="{amount.replace(".", ",")}" data-copy-name="kwota"' in html


def test_csv_export_and_statement_pdf(coop_a):
    _load(coop_a)
    client = coop_a.client_logged_in_as(coop_a.resident)
    csv = client.get("/rozrachunki/historia/?format=csv")
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    text = csv.content.decode("utf-8")
    assert text.startswith("\ufeffData;Rodzaj;Składnik/referencja;Opis;Kwota;Saldo\r\n")
    assert "12.09.2026;wpłata;PKO/1;Opłaty 09.2026;-400,00;0,00\r\n" in text
    pdf = client.get("/rozrachunki/wyciag.pdf?date_from=2026-09-01&date_to=2026-10-31")
    assert pdf["Content-Type"] == "application/pdf"
    content = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "Wyciąg z rozrachunków" in content
    assert "Spółdzielnia Mieszkaniowa „Alfa”" in content
    assert "415,50" in content
    unit = client.get("/rozrachunki/").context["unit"]
    facts = assert_pdf_ua(pdf.content, title=f"Wyciąg z rozrachunków – {unit} – od 01.09.2026 do 31.10.2026")
    assert (facts.headings, facts.elements["TH"]) == (("H1",), 6)


def test_a_garage_has_its_own_ledger_and_another_residents_unit_is_never_shown(coop_a):
    _load(coop_a)
    client = coop_a.client_logged_in_as(coop_a.resident)
    with coop_a.use():
        garage = Unit.objects.get(code="ALFA-1-G1")
    client.post("/konto/lokal/", {"unit": garage.pk, "next": "/rozrachunki/"})
    assert client.get("/rozrachunki/").context["balance"] == Decimal("0.00")
    outsider = coop_a.client_logged_in_as(coop_a.outsider)
    assert outsider.get("/rozrachunki/").context["unit"].code == "ALFA-1-2"
    assert outsider.get("/rozrachunki/historia/").context["lines"] == []


def test_staff_have_no_resident_ledger_page(coop_a):
    assert coop_a.client_logged_in_as(coop_a.clerk).get("/rozrachunki/").status_code == 404


def test_staff_upload_shows_the_row_level_report_and_changes_nothing(coop_a):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    clerk.cookies["django_language"] = "en"
    bad = ROWS.replace("300,00", "trzysta")
    response = clerk.post("/biuro/importy/", {"file": SimpleUploadedFile("zle.csv", bad.encode())})
    with coop_a.use():
        run = ImportRun.objects.get()
        assert response["Location"] == f"/biuro/importy/{run.pk}/"
        assert run.status == "pending"
        with translation.override("en"):
            assert import_run_process.apply(args=[run.pk]).result == "failed"
        assert LedgerEntry.objects.count() == 0
    page = clerk.get(f"/biuro/importy/{run.pk}/")
    assert [(error.line, error.column, error.value) for error in page.context["errors"]] == [(2, "kwota", "trzysta")]
    assert "The amount must be a number with a decimal comma" in page.content.decode()


def test_upload_of_a_non_csv_is_refused_with_a_message_and_nothing_recorded(coop_a):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    clerk.cookies["django_language"] = "en"
    response = clerk.post("/biuro/importy/", {"file": SimpleUploadedFile("dane.xlsx", b"PK\x03\x04")})
    assert response.context["form"].errors == {"file": ["Send a CSV file (.csv) exported from the accounting system."]}
    with coop_a.use():
        assert ImportRun.objects.count() == 0


def test_residents_and_other_cooperatives_cannot_see_imports(coop_a, coop_b):
    with coop_a.use():
        run = import_receive_now(data=ROWS.encode(), filename="n.csv")
    assert coop_a.client_logged_in_as(coop_a.resident).get("/biuro/importy/").status_code == 403
    other = coop_b.client_logged_in_as(coop_b.clerk).get(f"/biuro/importy/{run.pk}/")
    with coop_b.use():
        exists_in_b = ImportRun.objects.filter(pk=run.pk).exists()
    assert other.status_code == (200 if exists_in_b else 404)
