"""The ledger as CSV for spreadsheets, in the form Polish Excel and LibreOffice open without an import dialog.

Polish-locale spreadsheets expect ";" between fields (the comma is the decimal separator), "1234,56"
amounts, dd.mm.yyyy dates and CRLF line ends; the UTF-8 byte order mark is what makes Excel read the file
as UTF-8 rather than Windows-1250, which would garble Polish letters. Pure functions, no database.
"""

import csv
import io
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["LEDGER_CSV_HEADER", "ledger_csv", "spreadsheet_csv"]

LEDGER_CSV_HEADER = ("Data", "Rodzaj", "Składnik/referencja", "Opis", "Kwota", "Saldo")
_BOM = "\ufeff"
_CENT = Decimal("0.01")
# A text cell starting with one of these is taken for a formula by spreadsheets ("CSV injection"); payment
# descriptions may carry a payer's own transfer title, so such cells get a leading apostrophe (OWASP advice).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _amount(value: Decimal) -> str:
    """"-1234,56": a decimal comma, no thousands separator and an ASCII minus, so the cell stays a number."""
    # bool is an int, and float would carry binary rounding into money: both are refused.
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"Amounts must be Decimal, got {type(value).__name__}.")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"Not an amount: {amount}.")
    amount = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    if amount == 0:
        amount = abs(amount)  # no "-0,00"
    return f"{amount:.2f}".replace(".", ",")


def _text(value: str | None) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def ledger_csv(*, rows: Iterable[tuple[date, str, str, str, Decimal, Decimal]]) -> str:
    """The rows (booked on, kind, component or reference, description, amount, running balance) as CSV text.

    Starts with the BOM and the header row "Data;Rodzaj;Składnik/referencja;Opis;Kwota;Saldo"; fields are
    quoted only when they contain ";", quotes or line breaks. Encode the result as UTF-8 to serve it.
    """
    buffer = io.StringIO()
    buffer.write(_BOM)
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(LEDGER_CSV_HEADER)
    for booked_on, kind_label, component_or_reference, description, amount, balance in rows:
        writer.writerow([
            booked_on.strftime("%d.%m.%Y"),
            _text(kind_label),
            _text(component_or_reference),
            _text(description),
            _amount(amount),
            _amount(balance),
        ])
    return buffer.getvalue()


def spreadsheet_csv(*, header: Iterable[str], rows: Iterable[Iterable[str | int | Decimal | date | None]]) -> str:
    """Any staff export in the same form as the ledger's: the BOM, `header`, then `rows` whose cells are text
    (guarded against formulas), whole numbers, amounts (Decimal: "1234,56"), dates (dd.mm.yyyy; a moment is
    passed as text) or None (empty)."""
    buffer = io.StringIO()
    buffer.write(_BOM)
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_amount(cell) if isinstance(cell, Decimal)
                         else str(cell) if isinstance(cell, int)
                         else cell.strftime("%d.%m.%Y") if isinstance(cell, date)
                         else _text(cell) for cell in row])
    return buffer.getvalue()
