"""The printable credentials letter and application form: valid PDFs whose Polish text survives.

Plain functions, no database: run with `pytest -p no:django tests/test_letters.py -o addopts=""`.
"""

import io
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pypdf import PdfReader

from tenants_portal.access.letters import access_application_form_pdf, credentials_letter_pdf
from tests.pdf_ua import assert_pdf_ua

COOPERATIVE = "Spółdzielnia Mieszkaniowa „Hutnik”"
ADDRESS = "ul. Gwiazdna 1e, 31-999 Kraków"
LOGIN_URL = "https://hutnik.iok.example.pl/logowanie/"
PASSWORD = "Kq7#xPz2Mwa9"


def letter(**overrides: object) -> bytes:
    arguments: dict[str, object] = {
        "cooperative_name": COOPERATIVE,
        "cooperative_address": ADDRESS,
        "person_name": "Łucja Żółtowska-Ćwik",
        "units": ["ul. Gwiazdna 1e/12 – lokal mieszkalny", "ul. Gwiazdna 1e, garaż G7"],
        "login": "lzoltowska",
        "one_time_password": PASSWORD,
        "login_url": LOGIN_URL,
        # 22:30 UTC on 31 March is already 1 April in Warsaw (CEST, UTC+2).
        "issued_at": datetime(2025, 3, 31, 22, 30, tzinfo=UTC),
        "issued_by": "Zdzisława Ślęzak",
    }
    arguments.update(overrides)
    return credentials_letter_pdf(**arguments)  # type: ignore[arg-type]


def form() -> bytes:
    return access_application_form_pdf(cooperative_name=COOPERATIVE, cooperative_address=ADDRESS,
                                       login_url="https://hutnik.iok.example.pl/")


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def squeezed(text: str) -> str:
    """The text without any whitespace: the login and password are drawn one character per cell, and
    text extraction puts a space between cells."""
    return re.sub(r"\s+", "", text)


def test_letter_is_a_pdf_with_the_credentials_and_polish_text() -> None:
    pdf = letter()
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    for expected in (
        COOPERATIVE,
        "Gwiazdna 1e",
        "Kraków",
        "Dane dostępowe do konta",
        "Internetowej Obsługi Kontrahenta (IOK)",
        "Łucja Żółtowska-Ćwik",
        "ul. Gwiazdna 1e/12 – lokal mieszkalny",
        "ul. Gwiazdna 1e, garaż G7",
        LOGIN_URL,
        "Zdzisława Ślęzak",
        "Hasło ma 12 znaków",
        "Pracownicy spółdzielni nigdy nie poproszą o hasło",
        "zaakceptować",
        "ustawić własne hasło",
    ):
        assert expected in text
    assert "lzoltowska" in squeezed(text)
    assert PASSWORD in squeezed(text)
    # Each character in its cell, in order, with the kind printed under it.
    assert " ".join(PASSWORD) in text
    assert "wielka mała cyfra znak mała wielka mała cyfra wielka mała mała cyfra" in text


def test_letter_dates_the_issue_in_warsaw_and_sets_metadata() -> None:
    pdf = letter()
    text = text_of(pdf)
    assert "Data wydania: 01.04.2025" in text
    assert "31.03.2025" not in text
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None
    assert metadata.title == "Dane dostępowe do konta Internetowej Obsługi Kontrahenta (IOK)"
    assert metadata.author == COOPERATIVE
    assert metadata.creation_date == datetime(2025, 3, 31, 22, 30, tzinfo=UTC)


def test_letter_is_deterministic() -> None:
    assert letter() == letter()


def test_letter_with_many_units_and_long_values_stays_readable() -> None:
    units = [f"ul. Gwiazdna 1e/{number} – lokal mieszkalny" for number in range(1, 9)]
    pdf = letter(units=units, login="aswietochowskadabrowska2", one_time_password="Kq7#xPz2Mwa9Hj4uRtYe",
                 issued_at=datetime(2025, 1, 15, 9, 0, tzinfo=timezone(timedelta(hours=1))))
    text = text_of(pdf)
    assert all(unit in text for unit in units)
    assert "aswietochowskadabrowska2" in squeezed(text)
    assert "Kq7#xPz2Mwa9Hj4uRtYe" in squeezed(text)
    assert "Hasło ma 20 znaków" in text
    assert "15.01.2025" in text


def test_letter_refuses_a_naive_issue_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        letter(issued_at=datetime(2025, 3, 31, 12, 0))


def test_form_is_a_pdf_of_at_most_two_pages_with_polish_text() -> None:
    pdf = form()
    assert pdf.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(pdf)).pages) <= 2
    text = text_of(pdf)
    for expected in (
        COOPERATIVE,
        "Gwiazdna 1e",
        "Załącznik nr 1 do Regulaminu użytkownika konta IOK",
        "WNIOSEK O NADANIE/ODEBRANIE DOSTĘPU DO KONTA",
        "Internetowej Obsługi Kontrahenta (IOK)",
        "nadanie dostępu",
        "odebranie dostępu",
        "Imię i nazwisko:",
        "Adres do korespondencji:",
        "mieszkalny",
        "użytkowy",
        "garaż",
        "odrębna własność",
        "spółdzielcze własnościowe prawo do lokalu",
        "spółdzielcze lokatorskie prawo / najem członkowski",
        "najem",
        "Adres e-mail:",
        "Telefon:",
        "Czytelny podpis wnioskodawcy:",
        "akceptuję jego postanowienia",
        "Wypełnia administracja",
        "Data przyjęcia wniosku:",
        "dowód osobisty",
        "paszport",
        "Nie zapisujemy numeru ani kopii dokumentu",
        "Imię i nazwisko pracownika, który sprawdził dokument:",
        "Nadany identyfikator (login):",
        "Podpis pracownika:",
        "https://hutnik.iok.example.pl/",
    ):
        assert expected in text


def test_form_has_no_field_for_the_identity_document_number() -> None:
    text = text_of(form())
    assert "numer dokumentu" not in text.lower()
    assert "nr dokumentu" not in text.lower()
    assert "seria" not in text.lower()


def test_form_carries_the_information_clause() -> None:
    text = " ".join(text_of(form()).split())
    assert f"Administratorem Pani/Pana danych osobowych jest {COOPERATIVE}, {ADDRESS}." in text
    assert "ustawowych zadań spółdzielni" in text
    assert "odrębnej zgody" in text
    assert "prawo dostępu do swoich danych, ich sprostowania" in text
    assert "usunięcia" in text
    assert "Prezesa Urzędu Ochrony Danych Osobowych" in text


@pytest.mark.parametrize(("length", "phrase"), [(22, "Hasło ma 22 znaki"), (30, "Hasło ma 30 znaków")])
def test_letter_counts_the_password_in_polish_even_when_it_is_too_long_for_cells(length: int, phrase: str) -> None:
    password = ("Kq7#xPz2Mw" * 3)[:length]
    text = text_of(letter(one_time_password=password))
    assert phrase in text
    assert password in squeezed(text)


def test_letter_is_a_tagged_pdf_ua_document() -> None:
    facts = assert_pdf_ua(letter(), title="Dane dostępowe do konta Internetowej Obsługi Kontrahenta (IOK)")
    assert facts.headings == ("H1", "H2", "H2")
    # The units as a list, the two numbered lists; the login and the password each a table whose header
    # cells are the characters and whose data cells say what kind each is; the login address a link.
    assert {kind: facts.elements[kind] for kind in ("L", "LI", "Table", "TH", "TD", "Link")} == {
        "L": 3, "LI": 2 + 3 + 3, "Table": 2, "TH": len("lzoltowska") + len(PASSWORD),
        "TD": len("lzoltowska") + len(PASSWORD), "Link": 1}


def test_letter_with_a_password_too_long_for_cells_has_no_table_for_it() -> None:
    facts = assert_pdf_ua(letter(one_time_password="Kq7#xPz2Mw" * 3),
                          title="Dane dostępowe do konta Internetowej Obsługi Kontrahenta (IOK)")
    assert (facts.elements["Table"], facts.elements["TH"]) == (1, len("lzoltowska"))


def test_form_is_a_tagged_pdf_ua_document() -> None:
    facts = assert_pdf_ua(form(), title="Wniosek o nadanie/odebranie dostępu do konta Internetowej Obsługi "
                                        "Kontrahenta (IOK)")
    # The title, sections 1–5, the office's part and the information clause.
    assert facts.headings == ("H1",) + ("H2",) * 7
    assert {kind: facts.elements[kind] for kind in ("Table", "TH", "TR", "TD", "L", "LI")} == {
        "Table": 1, "TH": 4, "TR": 4, "TD": 3 * 4, "L": 1, "LI": 6}
