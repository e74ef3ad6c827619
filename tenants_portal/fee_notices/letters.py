"""The letter of a fee change to one unit (zawiadomienie o zmianie wysokości opłat), as a tagged PDF/UA-1,
and the print batch of many such letters for window envelopes.

Pure functions on plain values, no database (selectors.py gathers the data): the same builder draws the
letter of a sent notice, the office's preview of a draft (built from the change's lines, before any notice
exists) and the print batch. The document is letter.typ on the platform's one PDF base (iok/pdf.py), like
the statement of account. The text is Polish and not translated: it is a legal act of the cooperative
towards its residents, not part of the interface.

The address block sits where the left window of a DL envelope (110 × 220 mm, the A4 sheet folded in
three) shows it: 20 mm from the left edge, 45 mm from the top, 90 × 45 mm (ADDRESS_FIELD_MM). The sender's
line in small print heads the field, as a window envelope's return address.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from billing_views.statement import money_pl
from iok.bank import nrb_format
from iok.pdf import pdf_render

from . import deadlines

__all__ = ["ADDRESS_FIELD_MM", "LetterLine", "LetterOffice", "UnitLetter", "basis_in_words", "letters_pdf",
           "month_pl"]

TEMPLATE = Path(__file__).with_name("letter.typ")

# (from the left, from the top, width, height) of the address field in millimetres: the left window of a
# DL envelope (DIN 680 / PN-EN ISO 269 window envelopes put it 15–20 mm from the left, 45–50 mm from the top).
ADDRESS_FIELD_MM = (20, 45, 90, 45)
# The field holds the sender's line and six lines of 10 pt: at most three names, then the rest counted.
_NAMES_MAX = 3

_MONTHS_GENITIVE = ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
                    "września", "października", "listopada", "grudnia")
_PLUS = "+"


@dataclass(frozen=True, slots=True)
class LetterLine:
    """One component of the unit's fees: what it is now and what it will be."""

    component: str
    current_amount: Decimal
    new_amount: Decimal


@dataclass(frozen=True, slots=True)
class LetterOffice:
    """The office (administracja) serving the unit's building: where residents ask about the change."""

    name: str
    address: str
    phone: str = ""
    email: str = ""
    opening_hours: str = ""


@dataclass(frozen=True, slots=True)
class UnitLetter:
    """Everything one unit's letter prints. `addressees` are full names as recorded on the notice (the
    unit's title holders on the day it was sent); `address_lines` the unit's postal address (street line,
    postal code and city); `dated` the letter's date (the day the change was sent, or today for a preview)."""

    cooperative_name: str
    cooperative_address: str
    cooperative_city: str
    dated: date
    addressees: Sequence[str]
    unit_label: str
    address_lines: Sequence[str]
    effective_month: date
    basis: str
    lines: Sequence[LetterLine]
    justification: str
    justification_pdf_name: str
    account_nrb: str
    payment_day: int
    office: LetterOffice | None


def month_pl(day: date) -> str:
    """"1 kwietnia 2027": the first day of the effective month, as the letter says it."""
    return f"{day.day} {_MONTHS_GENITIVE[day.month - 1]} {day.year}"


def _signed(amount: Decimal) -> str:
    """A difference with its sign: "+16,50 zł", "−4,00 zł", "0,00 zł"."""
    return (_PLUS if amount > 0 else "") + money_pl(amount)


def basis_in_words(basis: str) -> str:
    """The legal basis as the letter cites it, with what the provision requires."""
    act = "ustawy z dnia 15 grudnia 2000 r. o spółdzielniach mieszkaniowych"
    if basis == deadlines.ART_4_UST_7:
        return (f"art. 4 ust. 7 {act}: o zmianie wysokości opłat spółdzielnia zawiadamia co najmniej na "
                "3 miesiące naprzód, na koniec miesiąca kalendarzowego; zmiana wymaga uzasadnienia na piśmie.")
    if basis == deadlines.ART_4_UST_7_1:
        return (f"art. 4 ust. 7¹ {act}: o zmianie wysokości opłat za energię, gaz, wodę oraz odbiór ścieków, "
                "odpadów i nieczystości ciekłych, niezależnej od spółdzielni, spółdzielnia zawiadamia co "
                "najmniej na 14 dni przed upływem terminu wnoszenia opłat, nie później niż ostatniego dnia "
                "miesiąca poprzedzającego ten termin; zmiana wymaga uzasadnienia na piśmie.")
    raise ValueError(f"Unknown legal basis {basis!r}.")


def _others(count: int) -> str:
    # Polish plural of "osoba" after a number: 1 inna osoba, 2–4 inne osoby, 5+ innych osób (12–14 too).
    if count == 1:
        return "oraz 1 inna osoba"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return f"oraz {count} inne osoby"
    return f"oraz {count} innych osób"


def _names(addressees: Sequence[str]) -> list[str]:
    if not addressees:
        return ["Użytkownik lokalu"]
    if len(addressees) <= _NAMES_MAX:
        return list(addressees)
    return [*addressees[:_NAMES_MAX - 1], _others(len(addressees) - (_NAMES_MAX - 1))]


def _letter_data(letter: UnitLetter) -> dict:
    if not letter.lines:
        raise ValueError(f"The letter of {letter.unit_label} has no components.")
    if letter.effective_month.day != 1:
        raise ValueError(f"A change takes effect from the first day of a month, got {letter.effective_month}.")
    current = sum((line.current_amount for line in letter.lines), Decimal("0.00"))
    new = sum((line.new_amount for line in letter.lines), Decimal("0.00"))
    effective = month_pl(letter.effective_month)
    office = letter.office
    contact = []
    if office is not None:
        contact = [office.name, office.address]
        contact += [f"tel. {office.phone}"] if office.phone else []
        contact += [f"e-mail: {office.email}"] if office.email else []
        contact += [f"Godziny przyjęć: {office.opening_hours}"] if office.opening_hours else []
    basis_short = "art. 4 ust. 7¹" if letter.basis == deadlines.ART_4_UST_7_1 else "art. 4 ust. 7"
    return {
        "title": f"Zawiadomienie o zmianie wysokości opłat od {effective} – {letter.unit_label}",
        "heading": f"Zawiadomienie o zmianie wysokości opłat od {effective} r.",
        "cooperative_name": letter.cooperative_name,
        "cooperative_address": letter.cooperative_address,
        "sender_line": f"{letter.cooperative_name}, {letter.cooperative_address}",
        "place_date": f"{letter.cooperative_city}, {letter.dated:%d.%m.%Y}" if letter.cooperative_city
        else f"{letter.dated:%d.%m.%Y}",
        "recipient": [*_names(letter.addressees), *letter.address_lines],
        "unit_label": letter.unit_label,
        "intro": (f"Na podstawie {basis_short} ustawy o spółdzielniach mieszkaniowych zawiadamiamy, że od "
                  f"{effective} r. zmienia się wysokość miesięcznych opłat za lokal {letter.unit_label}:"),
        "new_column": f"Od {effective} r.",
        "rows": [(line.component, money_pl(line.current_amount), money_pl(line.new_amount),
                  _signed(line.new_amount - line.current_amount)) for line in letter.lines],
        "total": ("Razem miesięcznie", money_pl(current), money_pl(new), _signed(new - current)),
        "basis": basis_in_words(letter.basis),
        # Sending requires a justification; only a draft's preview can lack one, and says so.
        "justification": [part.strip() for part in letter.justification.split("\n\n") if part.strip()] or (
            [] if letter.justification_pdf_name else ["(Uzasadnienie nie zostało jeszcze dodane.)"]),
        "attachment": (f"Uzasadnienie w postaci dokumentu „{letter.justification_pdf_name}” (np. uchwała "
                       "zarządu) jest dostępne w portalu mieszkańca IOK, przy tej zmianie opłat, a na życzenie "
                       "– do wglądu w administracji.") if letter.justification_pdf_name else "",
        "payment": (f"Opłaty prosimy wnosić do {letter.payment_day}. dnia każdego miesiąca na indywidualny "
                    "rachunek lokalu:"),
        "account": nrb_format(letter.account_nrb) if letter.account_nrb.strip() else "",
        "no_account": "Numer rachunku do wpłat podaje administracja.",
        "contact": contact,
    }


def letters_pdf(*, letters: Sequence[UnitLetter], title: str, generated_at: datetime) -> bytes:
    """One PDF of the letters, each from a new page, in the order given (one letter: the unit's own PDF,
    titled by it). `generated_at` (timezone-aware) becomes the PDF's creation date, so the same letters give
    the same bytes. ValueError for no letters, a letter without components or an unknown basis."""
    if not letters:
        raise ValueError("No letters to print.")
    parts = [_letter_data(letter) for letter in letters]
    left, top, width, height = ADDRESS_FIELD_MM
    return pdf_render(template=TEMPLATE, created_at=generated_at, data={
        "title": parts[0]["title"] if len(parts) == 1 else title,
        "author": letters[0].cooperative_name,
        "address_field": {"left": left, "top": top, "width": width, "height": height},
        "letters": parts,
    })
