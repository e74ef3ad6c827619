"""Printable documents of the office flow: the credentials letter and the blank access application form.

Pure functions that take plain values and return PDF bytes, so views, tasks and tests can call them without
a database. The documents are Typst templates beside this module (credentials_letter.typ,
access_application_form.typ) drawn by the platform's one PDF base (iok/pdf.py) as tagged PDF/UA-1. Both are
Polish legal forms, so their text is written in Polish and is not translated.
"""

from datetime import datetime
from pathlib import Path

from iok.pdf import pdf_render, warsaw_date

_HERE = Path(__file__).resolve().parent
_LETTER = _HERE / "credentials_letter.typ"
_FORM = _HERE / "access_application_form.typ"
# The box's inner width on A4 (210 mm less 2 × 20 mm margins and 2 × 6 mm padding), as in the template.
_CELLS_WIDTH_MM = 158.0

_CHARACTER_KIND = (
    (str.isupper, "wielka"),
    (str.islower, "mała"),
    (str.isdigit, "cyfra"),
)


def _character_kind(character: str) -> str:
    for test, name in _CHARACTER_KIND:
        if test(character):
            return name
    return "znak"


def _characters(count: int) -> str:
    """"12 znaków", "22 znaki": Polish plural of "znak" after a number."""
    if count == 1:
        return "1 znak"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return f"{count} znaki"
    return f"{count} znaków"


def _fits_cells(text: str, width: float) -> bool:
    return width / max(len(text), 1) >= 7


def _cells(text: str) -> list[tuple[str, str]] | None:
    """Each character with its kind ("wielka", "mała", "cyfra", "znak"), or None when the text is too long for
    readable cells and is printed as widely spaced plain text instead."""
    if not _fits_cells(text, _CELLS_WIDTH_MM):
        return None
    return [(character, _character_kind(character)) for character in text]


def credentials_letter_pdf(*, cooperative_name: str, cooperative_address: str, person_name: str, units: list[str],
                           login: str, one_time_password: str, login_url: str, issued_at: datetime,
                           issued_by: str) -> bytes:
    """The letter with the login and one-time password that the office hands to a resident in person.

    The password is printed only here (the service keeps a hash), so the letter is the one copy: the text
    tells the resident to keep it safe or destroy it. issued_at must be timezone-aware; it becomes the
    printed date of issue (in Warsaw time) and the PDF's creation date, so the same input gives the same
    document.
    """
    issued_on = warsaw_date(issued_at, what="issued_at")
    note = f"Hasło ma {_characters(len(one_time_password))} i nie zawiera spacji. Wielkość liter ma znaczenie"
    password_cells = _cells(one_time_password)
    if password_cells is not None:
        note += " – pod każdym znakiem podano, czy to wielka litera, mała litera, cyfra czy inny znak."
    else:
        note += "."
    return pdf_render(template=_LETTER, created_at=issued_at, data={
        "title": "Dane dostępowe do konta Internetowej Obsługi Kontrahenta (IOK)",
        "subject": f"Dane dostępowe do konta IOK – {person_name}",
        "cooperative_name": cooperative_name,
        "cooperative_address": cooperative_address,
        "person_name": person_name,
        "units": units or ["—"],
        "login": login,
        "login_cells": _cells(login),
        "password": one_time_password,
        "password_cells": password_cells,
        "password_note": note,
        "login_url": login_url,
        "issued_on": issued_on,
        "issued_by": issued_by,
    })


_UNIT_KINDS = ("mieszkalny", "użytkowy", "garaż")
_LEGAL_TITLES = (
    "odrębna własność",
    "spółdzielcze własnościowe prawo do lokalu",
    "spółdzielcze lokatorskie prawo / najem członkowski",
    "najem",
)
_IDENTITY_DOCUMENTS = ("dowód osobisty", "paszport", "karta pobytu", "inny dokument ze zdjęciem")
_UNIT_ROWS = 3


def access_application_form_pdf(*, cooperative_name: str, cooperative_address: str, login_url: str) -> bytes:
    """The blank application form (Annex 1 to the regulation) that residents print and bring in person.

    The office section deliberately has no field for the identity document's number: the clerk only
    records what kind of document was shown and who checked it (data minimisation, as in the
    AccessApplication model). The PDF is dated at the time of generation, because a blank form has no
    date of its own.
    """
    return pdf_render(template=_FORM, data={
        "title": "Wniosek o nadanie/odebranie dostępu do konta Internetowej Obsługi Kontrahenta (IOK)",
        "subject": f"Załącznik nr 1 do Regulaminu użytkownika konta IOK – {cooperative_name}",
        "cooperative_name": cooperative_name,
        "cooperative_address": cooperative_address,
        "login_url": login_url,
        "unit_rows": _UNIT_ROWS,
        "unit_kinds": _UNIT_KINDS,
        "legal_titles": _LEGAL_TITLES,
        "identity_documents": _IDENTITY_DOCUMENTS,
    })
