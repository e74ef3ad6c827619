"""Paying and documenting the ledger: NRB checks, the ZBP 2D transfer code, the statement PDF and the CSV.

Plain functions, no database: run with
`pytest -p no:django --noconftest tests/test_ledger_documents.py -o addopts=""`.
"""

import io
import os
import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from pypdf import PdfReader

from billing_views.exports import ledger_csv
from billing_views.payments import (
    transfer_title,
    zbp_2d_payload,
    zbp_2d_svg,
    zbp_recipient,
)
from billing_views.statement import StatementLine, money_pl, statement_pdf
from iok.bank import nrb_format, nrb_is_valid, nrb_normalize, nrb_validator
from tests.pdf_ua import assert_pdf_ua

# Sort code 1020 2964 and a 16-digit account number; the check digits 13 are computed in
# test_the_valid_number_has_computed_check_digits rather than taken on trust.
BANK = "10202964"
ACCOUNT_DIGITS = "0000123456789012"
NRB = "13" + BANK + ACCOUNT_DIGITS
COOPERATIVE = "Spółdzielnia Mieszkaniowa „Hutnik”"
ADDRESS = "ul. Gwiazdna 1e, 31-999 Kraków"
NBSP = "\u00a0"


def _check_digits(bban: str) -> str:
    """ISO 13616: 98 − (BBAN + "PL" as digits + "00") mod 97."""
    return f"{98 - int(bban + '2521' + '00') % 97:02d}"


def test_the_valid_number_has_computed_check_digits() -> None:
    assert _check_digits(BANK + ACCOUNT_DIGITS) == "13"
    assert NRB == "13102029640000123456789012"


@pytest.mark.parametrize("value", [
    NRB,
    "13 1020 2964 0000 1234 5678 9012",
    "PL13 1020 2964 0000 1234 5678 9012",
    "pl13-1020-2964-0000-1234-5678-9012",
    "13\u00a01020\u00a02964\u00a00000\u00a01234\u00a05678\u00a09012",
])
def test_valid_nrb_in_any_usual_writing(value: str) -> None:
    assert nrb_is_valid(value) is True
    assert nrb_normalize(value) == NRB
    nrb_validator(value)  # does not raise


@pytest.mark.parametrize("value", [
    "14102029640000123456789012",  # wrong check digits
    "13102029640000123456789013",  # a changed digit
    "13102029640000213456789012",  # two digits swapped
    "1310202964000012345678901",  # 25 digits
    "131020296400001234567890120",  # 27 digits
    "DE13102029640000123456789012",  # another country's prefix
    "13 1020 2964 0000 1234 5678 901X",
    "",
])
def test_invalid_nrb(value: str) -> None:
    assert nrb_is_valid(value) is False


def test_nrb_is_valid_refuses_non_ascii_digits_and_non_strings() -> None:
    arabic_indic = NRB.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert nrb_is_valid(arabic_indic) is False
    assert nrb_is_valid(None) is False  # type: ignore[arg-type]


def test_nrb_normalize_refuses_what_is_not_26_digits() -> None:
    with pytest.raises(ValueError, match="26 digits"):
        nrb_normalize("12 3456")


def _configure_django() -> None:
    """gettext_lazy needs settings only when the message is evaluated; under pytest-django they exist."""
    if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
        settings.configure(USE_I18N=False)


def test_nrb_validator_raises_with_code_and_message() -> None:
    _configure_django()
    with pytest.raises(ValidationError) as caught:
        nrb_validator("14102029640000123456789012")
    assert caught.value.code == "invalid_nrb"
    with translation.override("en"):
        assert caught.value.messages == [
            "Enter a valid 26-digit bank account number (NRB); the check digits do not match."]


def test_nrb_validator_refuses_a_non_string() -> None:
    with pytest.raises(ValidationError):
        nrb_validator(13102029640000123456789012)


def test_nrb_format() -> None:
    assert nrb_format(NRB) == "13 1020 2964 0000 1234 5678 9012"
    assert nrb_format("PL13-1020-2964-0000-1234-5678-9012") == "13 1020 2964 0000 1234 5678 9012"


def test_zbp_payload_for_a_known_input() -> None:
    payload = zbp_2d_payload(account=NRB, amount=Decimal("1234.56"), recipient="SM Hutnik",
                             title="Opłaty lokal ul. Wawel 1/12 za 11.2026")
    # The title is cut to its first 32 characters: "Opłaty lokal ul. Wawel 1/12 za 1".
    assert payload == "|PL|13102029640000123456789012|123456|SM Hutnik|Opłaty lokal ul. Wawel 1/12 za 1|||"
    assert payload.split("|") == ["", "PL", NRB, "123456", "SM Hutnik", "Opłaty lokal ul. Wawel 1/12 za 1",
                                  "", "", ""]


def test_zbp_payload_fields_cut_cleaned_and_padded() -> None:
    payload = zbp_2d_payload(account="PL13 1020 2964 0000 1234 5678 9012", amount=Decimal("0.07"),
                             recipient="Spółdzielnia Mieszkaniowa „Hutnik”", title="Lokal 1|12\nza  11.2026",
                             nip="676-000-00-00")
    # Recipient cut to 20 characters (Polish letters count as one), "|" and the newline become spaces.
    assert payload == "6760000000|PL|13102029640000123456789012|000007|Spółdzielnia Mieszka|Lokal 1 12 za 11.2026|||"


def test_zbp_payload_largest_amount() -> None:
    payload = zbp_2d_payload(account=NRB, amount=Decimal("9999.99"), recipient="SM", title="T")
    assert payload == "|PL|13102029640000123456789012|999999|SM|T|||"


def test_zbp_payload_without_an_amount_leaves_it_to_the_payer() -> None:
    payload = zbp_2d_payload(account=NRB, amount=None, recipient="SM Hutnik", title="T")
    assert payload == "|PL|13102029640000123456789012|000000|SM Hutnik|T|||"


@pytest.mark.parametrize(("name", "recipient"), [
    ("Spółdzielnia Mieszkaniowa „Hutnik”", "SM Hutnik"),
    ("Spółdzielnia Mieszkaniowa „Zielony Zakątek”", "SM Zielony Zakątek"),
    ("Spółdzielnia Budowlano-Mieszkaniowa «Łąka» w Żarach", "SBM Łąka w Żarach"),
    ("S.M. \"Przyszłość\" – Gliwice", "S.M. Przyszłość Gliw"),
])
def test_the_recipient_keeps_letters_and_plain_punctuation_banking_apps_show(name: str, recipient: str) -> None:
    assert zbp_recipient(name) == recipient


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("0.00"), Decimal("-1.00"), Decimal("10000.00"),
                                    Decimal("0.001"), Decimal("12.345"), Decimal("NaN"), Decimal("Infinity")])
def test_zbp_payload_refuses_amounts_it_cannot_carry(amount: Decimal) -> None:
    with pytest.raises(ValueError):
        zbp_2d_payload(account=NRB, amount=amount, recipient="SM Hutnik", title="Opłaty")


def test_zbp_payload_refuses_float_amounts() -> None:
    with pytest.raises(TypeError):
        zbp_2d_payload(account=NRB, amount=12.5, recipient="SM Hutnik", title="Opłaty")  # type: ignore[arg-type]


def test_zbp_payload_refuses_an_invalid_nrb_or_nip() -> None:
    with pytest.raises(ValueError, match="NRB"):
        zbp_2d_payload(account="14102029640000123456789012", amount=Decimal("1.00"), recipient="SM", title="T")
    with pytest.raises(ValueError, match="NIP"):
        zbp_2d_payload(account=NRB, amount=Decimal("1.00"), recipient="SM", title="T", nip="123")


def test_zbp_svg_is_an_inline_qr_code_with_a_title() -> None:
    payload = zbp_2d_payload(account=NRB, amount=Decimal("1234.56"), recipient="SM Hutnik",
                             title="Opłaty lokal ul. Wawel 1/12 za 11.2026")
    svg = zbp_2d_svg(payload, title="Kod QR do przelewu <1 234,56 zł>")
    # What the SVG draws: version 5 at error correction L (the payload is 87 bytes of UTF-8).
    code = segno.make(payload, error="L", boost_error=False, encoding="utf-8", micro=False)
    assert code.designator == "5-L"
    assert code.symbol_size(border=4) == (45, 45)
    # 45 modules with the quiet zone, 4 px each: 180 px.
    assert svg.startswith('<svg width="180" height="180" role="img" '
                          'aria-label="Kod QR do przelewu &lt;1 234,56 zł&gt;" viewBox="0 0 180 180"')
    assert "<title>Kod QR do przelewu &lt;1 234,56 zł&gt;</title>" in svg
    assert "<?xml" not in svg
    assert svg.endswith("</svg>")
    # The same symbol as segno draws for the payload: the module paths are identical.
    reference = code.svg_inline(scale=4, border=4, dark="#000", light="#fff", omitsize=True, lineclass=None)
    assert re.findall(r' d="[^"]+"', svg) == re.findall(r' d="[^"]+"', reference)


@pytest.mark.parametrize(("unit_label", "period_label", "expected"), [
    ("ul. Wawel 1/12", "11.2026", "Opłaty ul. Wawel 1/12 za 11.2026"),
    ("Wawel 1", "11.2026", "Opłaty lokal Wawel 1 za 11.2026"),
    ("ul. Wawel 1/12 garaż", "11.2026", "ul. Wawel 1/12 garaż za 11.2026"),
    ("ul. Długa 5/3", "listopad 2026", "ul. Długa 5/3 za listopad 2026"),
    ("os. Złotego Wieku 88 m. 124 (garaż G7)", "11.2026", "os. Złotego Wieku 88 m. 124"),
    ("", "11.2026", "Opłaty za 11.2026"),
])
def test_transfer_title(unit_label: str, period_label: str, expected: str) -> None:
    title = transfer_title(unit_label=unit_label, period_label=period_label)
    assert title == expected
    assert len(title) <= 32


@pytest.mark.parametrize(("amount", "expected"), [
    (Decimal("0"), "0,00\u00a0zł"),
    (Decimal("-0.00"), "0,00\u00a0zł"),
    (Decimal("5.5"), "5,50\u00a0zł"),
    (Decimal("999.99"), "999,99\u00a0zł"),
    (Decimal("1234.56"), "1\u00a0234,56\u00a0zł"),
    (Decimal("-1234.56"), "\u22121\u00a0234,56\u00a0zł"),
    (Decimal("1234567.8"), "1\u00a0234\u00a0567,80\u00a0zł"),
    (Decimal("0.005"), "0,01\u00a0zł"),
])
def test_money_pl(amount: Decimal, expected: str) -> None:
    assert money_pl(amount) == expected


def test_money_pl_refuses_floats() -> None:
    with pytest.raises(TypeError):
        money_pl(1.5)  # type: ignore[arg-type]


def _lines(count: int, *, opening: Decimal) -> tuple[list[StatementLine], Decimal]:
    """Monthly-ish charges and payments that add up; returns the lines and the closing balance."""
    balance = opening
    lines = []
    for index in range(count):
        booked_on = date(2025, 1, 1) + timedelta(days=index // 2)
        if index % 2:
            debit, credit = None, Decimal("600.00")
            kind, description = "Wpłata", f"Przelew: opłaty za lokal ul. Wawel 1/12 (wpłata nr {index})"
        else:
            debit, credit = Decimal("512.34"), None
            kind, description = "Naliczenie", "Eksploatacja, fundusz remontowy, woda zimna i ciepła, wywóz nieczystości"
        balance += (debit or 0) - (credit or 0)
        lines.append(StatementLine(booked_on, kind, description, debit, credit, balance))
    return lines, balance


def _statement(**overrides: object) -> bytes:
    opening = Decimal("150.00")
    lines, closing = _lines(6, opening=opening)
    arguments: dict[str, object] = {
        "cooperative_name": COOPERATIVE,
        "cooperative_address": ADDRESS,
        "unit_label": "ul. Wawel 1/12",
        "holder_name": "Łucja Żółtowska-Ćwik",
        "account_nrb": NRB,
        "period_from": date(2025, 1, 1),
        "period_to": date(2026, 12, 31),
        "opening_balance": opening,
        "lines": lines,
        "closing_balance": closing,
        # 22:30 UTC on 31 March is already 1 April in Warsaw (CEST, UTC+2).
        "generated_at": datetime(2026, 3, 31, 22, 30, tzinfo=UTC),
    }
    arguments.update(overrides)
    return statement_pdf(**arguments)  # type: ignore[arg-type]


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_statement_is_a_pdf_with_polish_text() -> None:
    pdf = _statement()
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    for expected in (
        "Wyciąg z rozrachunków",
        COOPERATIVE,
        ADDRESS,
        "ul. Wawel 1/12",
        "Łucja Żółtowska-Ćwik",
        "od 01.01.2025 do 31.12.2026",
        "13 1020 2964 0000 1234 5678 9012",
        "Data Rodzaj Opis Obciążenie Uznanie Saldo",
        "Saldo na początek okresu (01.01.2025)",
        "Saldo na koniec okresu (31.12.2026)",
        f"150,00{NBSP}zł",
        # 150 + 3 × 512,34 − 3 × 600,00 = −112,98: an overpayment.
        f"\u2212112,98{NBSP}zł",
        f"1{NBSP}537,02{NBSP}zł",
        "zaległość",
        "nadpłata",
        "Wygenerowano: 01.04.2026 00:30",
        "Strona 1 z 1",
    ):
        assert expected in text, expected


def test_statement_is_a_tagged_pdf_ua_document() -> None:
    facts = assert_pdf_ua(_statement(),
                          title="Wyciąg z rozrachunków – ul. Wawel 1/12 – od 01.01.2025 do 31.12.2026")
    assert facts.headings == ("H1",)
    # Header row of 6 header cells, 6 entries and the totals row (a table footer) of 6 data cells.
    assert {kind: facts.elements[kind] for kind in ("Table", "THead", "TH", "TBody", "TFoot", "TR", "TD")} == {
        "Table": 1, "THead": 1, "TH": 6, "TBody": 1, "TFoot": 1, "TR": 8, "TD": 42}


def test_statement_text_has_the_exact_entries_totals_and_balances() -> None:
    lines = _text(_statement()).splitlines()
    assert lines[lines.index("Data Rodzaj Opis Obciążenie Uznanie Saldo") + 1:] == [
        "01.01.2025 Naliczenie Eksploatacja, fundusz remontowy, woda zimna i ciepła, ",
        "wywóz nieczystości",
        f"512,34{NBSP}zł 662,34{NBSP}zł",
        f"01.01.2025 Wpłata Przelew: opłaty za lokal ul. Wawel 1/12 (wpłata nr 1) 600,00{NBSP}zł 62,34{NBSP}zł",
        "02.01.2025 Naliczenie Eksploatacja, fundusz remontowy, woda zimna i ciepła, ",
        "wywóz nieczystości",
        f"512,34{NBSP}zł 574,68{NBSP}zł",
        f"02.01.2025 Wpłata Przelew: opłaty za lokal ul. Wawel 1/12 (wpłata nr 3) 600,00{NBSP}zł \u221225,32{NBSP}zł",
        "03.01.2025 Naliczenie Eksploatacja, fundusz remontowy, woda zimna i ciepła, ",
        "wywóz nieczystości",
        f"512,34{NBSP}zł 487,02{NBSP}zł",
        f"03.01.2025 Wpłata Przelew: opłaty za lokal ul. Wawel 1/12 (wpłata nr 5) 600,00{NBSP}zł \u2212112,98{NBSP}zł",
        f"Razem obroty w okresie 1{NBSP}537,02{NBSP}zł 1{NBSP}800,00{NBSP}zł",
        f"Saldo na koniec okresu (31.12.2026) \u2212112,98{NBSP}zł (nadpłata)",
        "Saldo dodatnie oznacza zaległość (kwotę do zapłaty), saldo ujemne – nadpłatę. Obciążenia (naliczone opłaty) ",
        "zwiększają saldo, uznania (wpłaty) je zmniejszają.",
        "Wygenerowano: 01.04.2026 00:30 Strona 1 z 1",
    ]


def test_statement_prints_names_as_text_never_as_markup() -> None:
    """Data reaches the template as JSON, so Typst markup in a name is printed, not obeyed."""
    name = "#set page(paper: \"a5\") *Kowalski* $x$ <l> @ref // [x]"
    pdf = _statement(holder_name=name)
    assert name in " ".join(_text(pdf).split())  # printed as it is (wrapped over two lines)
    assert PdfReader(io.BytesIO(pdf)).pages[0].mediabox.height == pytest.approx(841.89, abs=0.01)  # still A4


def test_statement_metadata() -> None:
    reader = PdfReader(io.BytesIO(_statement()))
    assert reader.metadata is not None
    assert reader.metadata.title == "Wyciąg z rozrachunków – ul. Wawel 1/12 – od 01.01.2025 do 31.12.2026"
    assert reader.metadata.author == COOPERATIVE
    assert reader.metadata.creation_date == datetime(2026, 3, 31, 22, 30, tzinfo=UTC)


def test_statement_is_reproducible() -> None:
    assert _statement() == _statement()


def test_statement_with_600_lines_spans_pages_with_the_header_on_each() -> None:
    lines, closing = _lines(600, opening=Decimal("0.00"))
    pdf = _statement(lines=lines, opening_balance=Decimal("0.00"), closing_balance=closing)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) > 1
    assert "Strona 1 z " in pages[0]
    assert f"Strona {len(pages)} z {len(pages)}" in pages[-1]
    for page in pages:
        assert "Data Rodzaj Opis Obciążenie Uznanie Saldo" in page
    assert "(wpłata nr 599)" in " ".join(pages[-1].split())
    # Every line made it in, once.
    assert sum(page.count("Naliczenie") for page in pages) == 300
    # One table for a screen reader: the header row repeats on paper, not in the structure.
    facts = assert_pdf_ua(pdf, title="Wyciąg z rozrachunków – ul. Wawel 1/12 – od 01.01.2025 do 31.12.2026")
    assert (facts.elements["Table"], facts.elements["THead"], facts.elements["TH"]) == (1, 1, 6)
    assert (facts.elements["TR"], facts.elements["TD"]) == (600 + 2, 600 * 6 + 6)


def test_statement_without_lines() -> None:
    text = _text(_statement(lines=[], closing_balance=Decimal("150.00")))
    assert "Brak operacji w tym okresie." in text


def test_statement_needs_an_aware_generation_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        _statement(generated_at=datetime(2026, 3, 31, 22, 30))


def test_statement_time_is_printed_in_warsaw() -> None:
    text = _text(_statement(generated_at=datetime(2026, 1, 15, 8, 5, tzinfo=timezone(timedelta(hours=-5)))))
    assert "Wygenerowano: 15.01.2026 14:05" in text


def test_statement_refuses_balances_that_do_not_add_up() -> None:
    with pytest.raises(ValueError, match="closing balance"):
        _statement(closing_balance=Decimal("0.00"))
    lines, closing = _lines(3, opening=Decimal("150.00"))
    lines[1] = StatementLine(lines[1].booked_on, "Wpłata", "", None, Decimal("600.00"), Decimal("1.00"))
    with pytest.raises(ValueError, match="Line 2"):
        _statement(lines=lines, closing_balance=closing)


def test_ledger_csv_exact_output() -> None:
    text = ledger_csv(rows=[
        (date(2026, 11, 1), "Naliczenie", "Eksploatacja", "Opłaty za 11.2026", Decimal("1234.56"),
         Decimal("1234.56")),
        (date(2026, 11, 10), "Wpłata", "PKO 2026/11/10-17", 'Przelew; tytuł "Wawel 1/12"', Decimal("-1300.00"),
         Decimal("-65.44")),
    ])
    assert text == (
        "\ufeffData;Rodzaj;Składnik/referencja;Opis;Kwota;Saldo\r\n"
        "01.11.2026;Naliczenie;Eksploatacja;Opłaty za 11.2026;1234,56;1234,56\r\n"
        '10.11.2026;Wpłata;PKO 2026/11/10-17;"Przelew; tytuł ""Wawel 1/12""";-1300,00;-65,44\r\n'
    )


def test_ledger_csv_defuses_formulas_in_text_but_not_in_amounts() -> None:
    text = ledger_csv(rows=[(date(2026, 11, 10), "Wpłata", "@ref", "=HYPERLINK(\"http://x\")", Decimal("-5"),
                             Decimal("0.00"))])
    assert text.splitlines()[1] == "10.11.2026;Wpłata;'@ref;\"'=HYPERLINK(\"\"http://x\"\")\";-5,00;0,00"


def test_ledger_csv_without_rows_is_the_header() -> None:
    assert ledger_csv(rows=[]) == "\ufeffData;Rodzaj;Składnik/referencja;Opis;Kwota;Saldo\r\n"
