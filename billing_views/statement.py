"""The statement of account (wyciąg z rozrachunków) of one unit for a period, as a PDF, and Polish money.

Pure functions on plain values, no database. The document is statement.typ, drawn by the platform's one
PDF base (iok/pdf.py) as a tagged PDF/UA-1 like the office letters, whose look it shares. The text is Polish
and not translated: it is a document the cooperative hands out, not part of the interface.

Sign convention of the ledger: a positive balance is arrears (the resident owes, "do zapłaty"), a
negative one an overpayment. Debits (obciążenia: charges) raise the balance, credits (uznania: payments)
lower it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from iok.bank import nrb_format
from iok.pdf import pdf_render, warsaw_date

__all__ = ["StatementLine", "money_pl", "statement_pdf"]

TEMPLATE = Path(__file__).with_name("statement.typ")

# Non-breaking space: groups of thousands and "zł" must never be split across lines (PDF, HTML).
_NBSP = "\u00a0"
# U+2212 MINUS SIGN: as wide as "+" and not mistaken for a hyphen; CSV uses a plain "-" (exports.py).
_MINUS = "\u2212"
_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One entry of the ledger: a debit (charge) or a credit (payment), and the balance after it."""

    booked_on: date
    kind_label: str
    description: str
    debit: Decimal | None
    credit: Decimal | None
    balance: Decimal


def _as_money(amount: Decimal, *, what: str = "amount") -> Decimal:
    # bool is an int, and float would carry binary rounding into money: both are refused.
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"The {what} must be a Decimal, got {type(amount).__name__}.")
    value = Decimal(amount)
    if not value.is_finite():
        raise ValueError(f"The {what} is not a number: {value}.")
    # Amounts are stored with 2 places; a third one would only come from arithmetic, rounded as accountants do.
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def money_pl(amount: Decimal) -> str:
    """"1 234,56 zł" as Polish documents write money: grouped thousands, decimal comma, "−" for negatives.

    The spaces are non-breaking (U+00A0), so neither a group nor "zł" wraps onto the next line, and the
    minus is U+2212. For CSV, which spreadsheets must parse, exports.py writes plain "-1234,56" instead.
    """
    value = _as_money(amount)
    sign = _MINUS if value < 0 else ""  # -0.00 is not < 0, so zero never gets a minus.
    whole, fraction = f"{abs(value):.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", _NBSP)
    return f"{sign}{grouped},{fraction}{_NBSP}zł"


def _date_pl(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _balance_meaning(balance: Decimal) -> str:
    if balance > 0:
        return "zaległość – do zapłaty"
    if balance < 0:
        return "nadpłata"
    return "rozliczone"


def _band(label: str, balance: Decimal) -> dict[str, str]:
    return {"label": label, "amount": money_pl(balance), "meaning": _balance_meaning(balance)}


def _checked(*, opening_balance: Decimal, lines: Sequence[StatementLine], closing_balance: Decimal,
             period_from: date, period_to: date) -> tuple[Decimal, Decimal]:
    """Refuses a statement that does not add up; returns the period's total debits and credits.

    A printed statement is what a resident disputes charges with, so a running balance that skips, an
    entry outside the period or a closing balance that is not opening + debits − credits means a bug
    upstream, and no document is better than a wrong one.
    """
    if period_from > period_to:
        raise ValueError(f"The period starts ({period_from}) after it ends ({period_to}).")
    balance = _as_money(opening_balance, what="opening balance")
    debits = credits = _ZERO
    for number, line in enumerate(lines, start=1):
        if not period_from <= line.booked_on <= period_to:
            raise ValueError(f"Line {number} is booked on {line.booked_on}, outside the period.")
        debit = _as_money(line.debit, what=f"debit of line {number}") if line.debit is not None else _ZERO
        credit = _as_money(line.credit, what=f"credit of line {number}") if line.credit is not None else _ZERO
        debits += debit
        credits += credit
        balance += debit - credit
        if balance != _as_money(line.balance, what=f"balance of line {number}"):
            raise ValueError(f"Line {number}: the balance should be {balance}, the line says {line.balance}.")
    if balance != _as_money(closing_balance, what="closing balance"):
        raise ValueError(f"The closing balance should be {balance} (opening + debits − credits), "
                         f"got {closing_balance}.")
    return debits, credits


def statement_pdf(*, cooperative_name: str, cooperative_address: str, unit_label: str, holder_name: str,
                  account_nrb: str, period_from: date, period_to: date, opening_balance: Decimal,
                  lines: list[StatementLine], closing_balance: Decimal, generated_at: datetime) -> bytes:
    """The "Wyciąg z rozrachunków" of one unit for a period, as PDF bytes.

    Letterhead, unit, holder, period and the account to pay to; the opening balance; a table
    Data | Rodzaj | Opis | Obciążenie | Uznanie | Saldo whose header row repeats on every page; the
    period's totals, the closing balance and what the sign means. Any number of lines (page breaks fall
    between rows). account_nrb may be "" when the unit has no account of its own, otherwise it must be a
    valid NRB (ValueError). generated_at must be timezone-aware (ValueError): it is printed in Warsaw time
    and becomes the PDF's creation date, so the same input gives the same bytes. Raises ValueError when
    the balances do not add up (see _checked).
    """
    generated = warsaw_date(generated_at, what="generated_at", with_time=True)
    debits, credits = _checked(opening_balance=opening_balance, lines=lines, closing_balance=closing_balance,
                               period_from=period_from, period_to=period_to)
    account = nrb_format(account_nrb) if account_nrb.strip() else ""
    period = f"od {_date_pl(period_from)} do {_date_pl(period_to)}"
    return pdf_render(template=TEMPLATE, created_at=generated_at, data={
        "title": f"Wyciąg z rozrachunków – {unit_label} – {period}",
        "subject": f"Wyciąg z rozrachunków lokalu {unit_label} za okres {period}",
        "running_header": f"{cooperative_name} · Wyciąg z rozrachunków · {unit_label} · {period}",
        "generated": generated,
        "cooperative_name": cooperative_name,
        "cooperative_address": cooperative_address,
        "period": period,
        "details_left": [("Lokal", unit_label), ("Użytkownik lokalu", holder_name)],
        "details_right": [("Okres", period)] + ([("Rachunek do wpłat", account)] if account else []),
        "opening": _band(f"Saldo na początek okresu ({_date_pl(period_from)})", opening_balance),
        "rows": [(
            _date_pl(line.booked_on),
            line.kind_label,
            line.description,
            money_pl(line.debit) if line.debit is not None else "",
            money_pl(line.credit) if line.credit is not None else "",
            money_pl(line.balance),
        ) for line in lines],
        "total_debits": money_pl(debits),
        "total_credits": money_pl(credits),
        "closing": _band(f"Saldo na koniec okresu ({_date_pl(period_to)})", closing_balance),
    })
