"""The statement of account (wyciąg z rozrachunków) of one unit for a period, as a PDF, and Polish money.

Pure functions on plain values, no database, like the office letters in tenants_portal/access/letters.py,
whose fonts, page margins and greys this document shares so the cooperative's papers look alike. The text
is Polish and not translated: it is a document the cooperative hands out, not part of the interface.

Sign convention of the ledger: a positive balance is arrears (the resident owes, "do zapłaty"), a
negative one an overpayment. Debits (obciążenia: charges) raise the balance, credits (uznania: payments)
lower it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, XPos, YPos

from billing_views.payments import nrb_format
from tenants_portal.access.letters import FONTS_DIR, WARSAW

__all__ = ["StatementLine", "money_pl", "statement_pdf"]

_FONT = "DejaVu"
# Narrower side margins than the letters (20 mm): six columns, amounts among them, need the width.
_MARGIN_X = 15.0
_MARGIN_TOP = 14.0
_MARGIN_BOTTOM = 18.0

_INK = (0, 0, 0)
_MUTED = (90, 90, 90)
_RULE = (150, 150, 150)
_HAIRLINE = (215, 215, 215)
_SHADE = (236, 236, 236)
_ZEBRA = (247, 247, 247)

# Non-breaking space: groups of thousands and "zł" must never be split across lines (PDF, HTML).
_NBSP = "\u00a0"
# U+2212 MINUS SIGN: as wide as "+" and not mistaken for a hyphen; CSV uses a plain "-" (exports.py).
_MINUS = "\u2212"
_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")

_TABLE_FONT_SIZE = 8.0
_TABLE_LINE = 3.7
_CELL_PAD_X = 1.3
_CELL_PAD_Y = 1.1
_AMOUNT_MIN_FONT_SIZE = 5.5


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


@dataclass(frozen=True)
class _Column:
    header: str
    width: float
    align: Align
    # Dates and amounts stay on one line (amounts shrink instead, see amount_cell); texts wrap.
    wrap: bool = True


class _Statement(FPDF):
    """A4 portrait with DejaVu Sans; a running header from page 2 and "strona x z y" in the footer."""

    def __init__(self, *, running_header: str, generated: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.add_font(_FONT, "", str(FONTS_DIR / "DejaVuSans.ttf"))
        self.add_font(_FONT, "B", str(FONTS_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(_MARGIN_X, _MARGIN_TOP, _MARGIN_X)
        self.set_auto_page_break(auto=True, margin=_MARGIN_BOTTOM)
        self.set_lang("pl-PL")
        self.set_display_mode(zoom="fullwidth", layout="single")
        self.set_creator("IOK – Internetowa Obsługa Kontrahenta")
        self.running_header = running_header
        self.generated = generated

    def use_font(self, size: float, *, bold: bool = False, color: tuple[int, int, int] = _INK) -> None:
        self.set_font(_FONT, "B" if bold else "", size)
        self.set_text_color(*color)

    def fitted(self, text: str, width: float) -> str:
        """text cut with "…" to fit width in the current font (running header, footer)."""
        if self.get_string_width(text) <= width:
            return text
        while len(text) > 1 and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def header(self) -> None:
        # Page 1 has the full letterhead; later pages say whose statement they belong to if printed loose.
        if self.page_no() == 1:
            return
        self.use_font(7.5, color=_MUTED)
        self.cell(0, 4, self.fitted(self.running_header, self.epw), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*_RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y() + 0.8, self.w - self.r_margin, self.get_y() + 0.8)
        self.set_y(self.get_y() + 3)
        self.set_text_color(*_INK)

    def footer(self) -> None:
        self.set_y(-12)
        self.use_font(7.5, color=_MUTED)
        self.cell(self.epw - 30, 4, f"Wygenerowano: {self.generated}", align=Align.L)
        self.cell(30, 4, f"strona {self.page_no()} z {{nb}}", align=Align.R)
        self.set_text_color(*_INK)

    def rule(self, *, thickness: float = 0.2, color: tuple[int, int, int] = _RULE, after: float = 3) -> None:
        self.set_draw_color(*color)
        self.set_line_width(thickness)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(after)

    def wrapped(self, text: str, width: float) -> list[str]:
        """The lines text takes in a column of this width in the current font (without drawing it)."""
        if not text:
            return [""]
        return self.multi_cell(width, _TABLE_LINE, text, dry_run=True, output=MethodReturnValue.LINES,
                               align=Align.L)

    def amount_cell(self, x: float, y: float, width: float, text: str, *, bold: bool = False) -> None:
        """A right-aligned amount on one line; a smaller font rather than a wrap for an unusually long one."""
        size = _TABLE_FONT_SIZE
        self.use_font(size, bold=bold)
        while self.get_string_width(text) > width and size > _AMOUNT_MIN_FONT_SIZE:
            size -= 0.5
            self.use_font(size, bold=bold)
        self.set_xy(x, y)
        self.cell(width, _TABLE_LINE, text, align=Align.R)
        self.use_font(_TABLE_FONT_SIZE, bold=bold)


def _columns(epw: float) -> tuple[_Column, ...]:
    fixed = (
        _Column("Data", 19.5, Align.L, wrap=False),
        _Column("Rodzaj", 23.0, Align.L),
        _Column("Obciążenie", 26.0, Align.R),
        _Column("Uznanie", 26.0, Align.R),
        _Column("Saldo", 28.0, Align.R),
    )
    description = _Column("Opis", epw - sum(column.width for column in fixed), Align.L)
    return (fixed[0], fixed[1], description, *fixed[2:])


def _table_header(pdf: _Statement, columns: Sequence[_Column]) -> None:
    top = pdf.get_y()
    height = 6.0
    pdf.set_fill_color(*_SHADE)
    pdf.rect(pdf.l_margin, top, pdf.epw, height, style="F")
    pdf.use_font(7.5, bold=True)
    x = pdf.l_margin
    for column in columns:
        pdf.set_xy(x + _CELL_PAD_X, top)
        pdf.cell(column.width - 2 * _CELL_PAD_X, height, column.header, align=column.align)
        x += column.width
    pdf.set_draw_color(*_INK)
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin, top + height, pdf.w - pdf.r_margin, top + height)
    pdf.set_xy(pdf.l_margin, top + height)


def _table_row(pdf: _Statement, columns: Sequence[_Column], cells: Sequence[str], *, shade: bool = False,
               bold: bool = False, rule: tuple[int, int, int] = _HAIRLINE) -> None:
    """One row: texts wrapped in their columns, amounts on one line; the header repeats on a new page."""
    pdf.use_font(_TABLE_FONT_SIZE, bold=bold)
    wrapped = [
        pdf.wrapped(text, column.width - 2 * _CELL_PAD_X) if column.wrap and column.align is Align.L else [text]
        for column, text in zip(columns, cells, strict=True)
    ]
    height = max(len(lines) for lines in wrapped) * _TABLE_LINE + 2 * _CELL_PAD_Y
    if pdf.will_page_break(height):
        pdf.add_page()
        _table_header(pdf, columns)
    # The page header and the table header changed the font; the row's own one again.
    pdf.use_font(_TABLE_FONT_SIZE, bold=bold)
    top = pdf.get_y()
    if shade:
        pdf.set_fill_color(*_ZEBRA)
        pdf.rect(pdf.l_margin, top, pdf.epw, height, style="F")
    x = pdf.l_margin
    for column, lines in zip(columns, wrapped, strict=True):
        inner = column.width - 2 * _CELL_PAD_X
        if column.align is Align.R:
            pdf.amount_cell(x + _CELL_PAD_X, top + _CELL_PAD_Y, inner, lines[0], bold=bold)
        else:
            for index, line in enumerate(lines):
                pdf.set_xy(x + _CELL_PAD_X, top + _CELL_PAD_Y + index * _TABLE_LINE)
                pdf.cell(inner, _TABLE_LINE, line, align=Align.L)
        x += column.width
    pdf.set_draw_color(*rule)
    pdf.set_line_width(0.15)
    pdf.line(pdf.l_margin, top + height, pdf.w - pdf.r_margin, top + height)
    pdf.set_xy(pdf.l_margin, top + height)


def _letterhead(pdf: _Statement, *, cooperative_name: str, cooperative_address: str) -> None:
    """As in the office letters: the cooperative's name and address over a black rule."""
    top = pdf.get_y()
    pdf.use_font(12.5, bold=True)
    pdf.multi_cell(pdf.epw, 5.8, cooperative_name, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.use_font(9, color=_MUTED)
    pdf.multi_cell(pdf.epw, 4.4, cooperative_address, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*_INK)
    pdf.set_y(max(pdf.get_y(), top + 12) + 2)
    pdf.rule(thickness=0.5, color=_INK, after=5)


def _details(pdf: _Statement, pairs: Sequence[tuple[str, str]], *, x: float, width: float, top: float) -> float:
    """Label over value pairs in a column; returns the y below the last value."""
    pdf.set_xy(x, top)
    for label, value in pairs:
        pdf.set_x(x)
        pdf.use_font(8, color=_MUTED)
        pdf.cell(width, 4, label, new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.use_font(10, bold=True)
        pdf.multi_cell(width, 5, value, align=Align.L, new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_y(pdf.get_y() + 1.5)
    pdf.set_text_color(*_INK)
    return pdf.get_y()


def _balance_band(pdf: _Statement, label: str, balance: Decimal, *, bold: bool) -> None:
    """A shaded line with a balance, its amount and what it means (zaległość / nadpłata)."""
    if pdf.will_page_break(8):
        pdf.add_page()
    top = pdf.get_y()
    height = 7.0
    pdf.set_fill_color(*_SHADE)
    pdf.rect(pdf.l_margin, top, pdf.epw, height, style="F")
    amount = money_pl(balance)
    meaning = f"({_balance_meaning(balance)})"
    pdf.use_font(9.5, bold=True)
    amount_width = pdf.get_string_width(amount) + 1
    pdf.use_font(8.5, color=_MUTED)
    meaning_width = pdf.get_string_width(meaning) + 1
    pdf.use_font(9.5, bold=bold)
    pdf.set_xy(pdf.l_margin + 2, top)
    pdf.cell(pdf.epw - amount_width - meaning_width - 6, height, label)
    pdf.use_font(9.5, bold=True)
    pdf.set_xy(pdf.w - pdf.r_margin - 2 - meaning_width - 1.5 - amount_width, top)
    pdf.cell(amount_width, height, amount, align=Align.R)
    pdf.use_font(8.5, color=_MUTED)
    pdf.set_xy(pdf.w - pdf.r_margin - 2 - meaning_width, top)
    pdf.cell(meaning_width, height, meaning, align=Align.R)
    pdf.set_text_color(*_INK)
    pdf.set_xy(pdf.l_margin, top + height)


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
    if generated_at.tzinfo is None or generated_at.utcoffset() is None:
        raise ValueError("generated_at must be timezone-aware, otherwise the time in Warsaw is ambiguous.")
    debits, credits = _checked(opening_balance=opening_balance, lines=lines, closing_balance=closing_balance,
                               period_from=period_from, period_to=period_to)
    account = nrb_format(account_nrb) if account_nrb.strip() else ""
    generated = generated_at.astimezone(WARSAW).strftime("%d.%m.%Y %H:%M")
    period = f"od {_date_pl(period_from)} do {_date_pl(period_to)}"

    pdf = _Statement(running_header=f"{cooperative_name} · Wyciąg z rozrachunków · {unit_label} · {period}",
                     generated=generated)
    pdf.set_title(f"Wyciąg z rozrachunków – {unit_label} – {period}")
    pdf.set_subject(f"Wyciąg z rozrachunków lokalu {unit_label} za okres {period}")
    pdf.set_author(cooperative_name)
    pdf.set_creation_date(generated_at)
    pdf.add_page()
    _letterhead(pdf, cooperative_name=cooperative_name, cooperative_address=cooperative_address)

    pdf.use_font(14, bold=True)
    pdf.cell(0, 7, "Wyciąg z rozrachunków", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.use_font(9.5, color=_MUTED)
    pdf.cell(0, 5, f"za okres {period}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)

    top = pdf.get_y()
    half = (pdf.epw - 6) / 2
    left_bottom = _details(pdf, [("Lokal", unit_label), ("Użytkownik lokalu", holder_name)],
                           x=pdf.l_margin, width=half, top=top)
    right = [("Okres", period)] + ([("Rachunek do wpłat", account)] if account else [])
    right_bottom = _details(pdf, right, x=pdf.l_margin + half + 6, width=half, top=top)
    pdf.set_xy(pdf.l_margin, max(left_bottom, right_bottom) + 1)

    _balance_band(pdf, f"Saldo na początek okresu ({_date_pl(period_from)})", opening_balance, bold=False)
    pdf.ln(4)

    columns = _columns(pdf.epw)
    _table_header(pdf, columns)
    if not lines:
        _table_row(pdf, columns, ["", "", "Brak operacji w tym okresie.", "", "", ""])
    for index, line in enumerate(lines):
        _table_row(pdf, columns, [
            _date_pl(line.booked_on),
            line.kind_label,
            line.description,
            money_pl(line.debit) if line.debit is not None else "",
            money_pl(line.credit) if line.credit is not None else "",
            money_pl(line.balance),
        ], shade=index % 2 == 1)
    _table_row(pdf, columns, ["", "", "Razem obroty w okresie", money_pl(debits), money_pl(credits), ""],
               bold=True, rule=_INK)
    pdf.ln(4)

    # The closing balance and its explanation stay together on one page.
    if pdf.will_page_break(24):
        pdf.add_page()
    _balance_band(pdf, f"Saldo na koniec okresu ({_date_pl(period_to)})", closing_balance, bold=True)
    pdf.ln(2.5)
    pdf.use_font(8.5, color=_MUTED)
    pdf.multi_cell(pdf.epw, 4.2, "Saldo dodatnie oznacza zaległość (kwotę do zapłaty), saldo ujemne – nadpłatę. "
                   "Obciążenia (naliczone opłaty) zwiększają saldo, uznania (wpłaty) je zmniejszają.",
                   align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*_INK)
    return bytes(pdf.output())
