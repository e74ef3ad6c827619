"""Printable documents of the office flow: the credentials letter and the blank access application form.

Pure functions that take plain values and return PDF bytes, so views, tasks and tests can call them without
a database. Both documents are Polish legal forms, so their text is written here in Polish and is not
translated. DejaVu Sans is embedded because the PDF core fonts cannot show Polish letters.
"""

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

FONTS_DIR = Path(__file__).resolve().parents[2] / "platform" / "iok" / "fonts"
WARSAW = ZoneInfo("Europe/Warsaw")

_FONT = "DejaVu"
_MARGIN_X = 20.0
_MARGIN_TOP = 16.0
_MARGIN_BOTTOM = 18.0

_INK = (0, 0, 0)
_MUTED = (90, 90, 90)
_RULE = (150, 150, 150)
_SHADE = (236, 236, 236)

_CHARACTER_KIND = (
    (str.isupper, "wielka"),
    (str.islower, "mała"),
    (str.isdigit, "cyfra"),
)


class _Document(FPDF):
    """A4 portrait with DejaVu Sans, the cooperative's name in the footer and "Strona x z y"."""

    def __init__(self, *, cooperative_name: str, title: str, subject: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.add_font(_FONT, "", str(FONTS_DIR / "DejaVuSans.ttf"))
        self.add_font(_FONT, "B", str(FONTS_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(_MARGIN_X, _MARGIN_TOP, _MARGIN_X)
        self.set_auto_page_break(auto=True, margin=_MARGIN_BOTTOM)
        self.set_title(title)
        self.set_subject(subject)
        self.set_author(cooperative_name)
        self.set_creator("IOK – Internetowa Obsługa Kontrahenta")
        self.set_lang("pl-PL")
        self.set_display_mode(zoom="fullwidth", layout="single")
        self.footer_text = cooperative_name

    def footer(self) -> None:
        self.set_y(-12)
        self.use_font(7.5, color=_MUTED)
        name_width = self.epw - 30
        name = self.footer_text
        while self.get_string_width(name) > name_width and len(name) > 1:
            name = name[:-2].rstrip() + "…"
        self.cell(name_width, 4, name, align=Align.L)
        self.cell(30, 4, f"Strona {self.page_no()} z {{nb}}", align=Align.R)
        self.set_text_color(*_INK)

    def multi_cell(self, *args: Any, align: str | Align = Align.L, **kwargs: Any) -> Any:
        """Left-aligned by default: fpdf2 justifies, which spreads short lines of names and addresses."""
        return super().multi_cell(*args, align=align, **kwargs)

    # Small building blocks ------------------------------------------------------------------------------

    def use_font(self, size: float, *, bold: bool = False, color: tuple[int, int, int] = _INK) -> None:
        self.set_font(_FONT, "B" if bold else "", size)
        self.set_text_color(*color)

    def paragraph(self, text: str, *, size: float = 10, bold: bool = False, height: float | None = None,
                  align: Align = Align.L, color: tuple[int, int, int] = _INK, after: float = 1.5) -> None:
        self.use_font(size, bold=bold, color=color)
        self.multi_cell(0, height or size * 0.5, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(after)

    def heading(self, text: str, *, size: float = 10.5) -> None:
        """A section heading on a light band; moved to the next page rather than left alone at the bottom."""
        if self.will_page_break(22):
            self.add_page()
        self.ln(1.2)
        self.use_font(size, bold=True)
        self.set_fill_color(*_SHADE)
        self.cell(0, 6, f"  {text}", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.6)

    def rule(self, *, thickness: float = 0.2, color: tuple[int, int, int] = _RULE, after: float = 3) -> None:
        self.set_draw_color(*color)
        self.set_line_width(thickness)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(after)

    def numbered(self, items: Iterable[str], *, size: float = 9.5, number_width: float = 6) -> None:
        """A hanging-indent list: the number in its own column so wrapped lines align with the text."""
        self.use_font(size)
        line = size * 0.48
        for index, item in enumerate(items, start=1):
            if self.will_page_break(line * 2):
                self.add_page()
            y = self.get_y()
            self.set_x(self.l_margin)
            self.cell(number_width, line, f"{index}.")
            self.set_xy(self.l_margin + number_width, y)
            self.multi_cell(self.epw - number_width, line, item, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(0.8)

    def writing_line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        """A fine dashed line to write on (fpdf2 deprecates dashed_line() for set_dash_pattern())."""
        self.set_dash_pattern(dash=0.6, gap=0.6)
        self.line(x1, y1, x2, y2)
        self.set_dash_pattern()

    def checkbox(self, x: float, y: float, label: str, *, size: float = 3.4, font_size: float = 9) -> float:
        """Draws an empty square and its label on one line starting at (x, y); returns the x after the label."""
        self.set_draw_color(*_INK)
        self.set_line_width(0.25)
        self.rect(x, y + 0.3, size, size)
        self.use_font(font_size)
        self.set_xy(x + size + 1.5, y)
        width = self.get_string_width(label) + 0.5
        self.cell(width, size + 0.6, label)
        return x + size + 1.5 + width

    def fill_in(self, label: str, *, height: float = 9, label_width: float | None = None, x: float | None = None,
                width: float | None = None) -> None:
        """A label followed by a writing line up to the right edge, with room for handwriting above it."""
        x = self.l_margin if x is None else x
        width = (self.w - self.r_margin - x) if width is None else width
        if self.will_page_break(height):
            self.add_page()
        y = self.get_y()
        self.use_font(9)
        label_width = self.get_string_width(label) + 2 if label_width is None else label_width
        self.set_xy(x, y + height - 5.2)
        self.cell(label_width, 4.5, label)
        self.set_draw_color(*_RULE)
        self.set_line_width(0.2)
        self.writing_line(x + label_width, y + height - 1.2, x + width, y + height - 1.2)
        self.set_xy(self.l_margin, y + height + 0.8)

    def letterhead(self, *, cooperative_name: str, cooperative_address: str, right_note: str = "") -> None:
        """The cooperative's name and address on the left, an optional note (date, annex) on the right."""
        top = self.get_y()
        note_width = 58 if right_note else 0
        if right_note:
            self.use_font(7.5, color=_MUTED)
            self.set_xy(self.w - self.r_margin - note_width, top)
            self.multi_cell(note_width, 3.6, right_note, align=Align.R)
        self.set_xy(self.l_margin, top)
        self.use_font(12.5, bold=True)
        name_width = self.epw - note_width - (4 if right_note else 0)
        self.multi_cell(name_width, 5.8, cooperative_name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.use_font(9, color=_MUTED)
        self.multi_cell(name_width, 4.4, cooperative_address, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*_INK)
        self.set_y(max(self.get_y(), top + 12) + 2)
        self.rule(thickness=0.5, color=_INK, after=6)


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


def _warsaw_date(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("issued_at must be timezone-aware, otherwise the date in Warsaw is ambiguous.")
    return moment.astimezone(WARSAW).strftime("%d.%m.%Y")


def _fits_cells(text: str, width: float) -> bool:
    return width / max(len(text), 1) >= 7


def _character_cells(pdf: _Document, text: str, *, x: float, width: float) -> float:
    """Prints text one character per cell, each with its kind below ("wielka", "mała", "cyfra", "znak").

    The letter is read by people who retype it slowly: a cell per character leaves no doubt where a
    character ends or whether there is a space, and the caption settles l vs I and upper vs lower case
    (the password generator avoids such look-alikes, logins made from names cannot). Text too long for
    readable cells falls back to widely spaced plain text. Returns the height used.
    """
    top = pdf.get_y()
    cell = min(12.5, width / max(len(text), 1))
    if not _fits_cells(text, width):
        pdf.use_font(15, bold=True)
        pdf.set_char_spacing(1.2)
        pdf.set_xy(x, top)
        pdf.multi_cell(width, 7.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_char_spacing(0)
        return pdf.get_y() - top
    pdf.set_draw_color(*_RULE)
    pdf.set_line_width(0.25)
    pdf.set_fill_color(255, 255, 255)
    # Characters first, captions after, so the text layer has the characters in order (text extraction
    # puts a space between cells) and the captions on a line of their own.
    pdf.use_font(19 if cell >= 10 else 14, bold=True)
    for index, character in enumerate(text):
        left = x + index * cell
        pdf.rect(left, top, cell, 11, style="DF")
        pdf.set_xy(left, top)
        pdf.cell(cell, 11, character, align=Align.C)
    pdf.use_font(6 if cell >= 10 else 5, color=_MUTED)
    for index, character in enumerate(text):
        pdf.set_xy(x + index * cell, top + 11.2)
        pdf.cell(cell, 2.8, _character_kind(character), align=Align.C)
    pdf.set_text_color(*_INK)
    return 14.5


def credentials_letter_pdf(*, cooperative_name: str, cooperative_address: str, person_name: str, units: list[str],
                           login: str, one_time_password: str, login_url: str, issued_at: datetime,
                           issued_by: str) -> bytes:
    """The letter with the login and one-time password that the office hands to a resident in person.

    The password is printed only here (the service keeps a hash), so the letter is the one copy: the text
    tells the resident to keep it safe or destroy it. issued_at must be timezone-aware; it becomes the
    printed date of issue (in Warsaw time) and the PDF's creation date, so the same input gives the same
    document.
    """
    issued_on = _warsaw_date(issued_at)
    pdf = _Document(cooperative_name=cooperative_name,
                    title="Dane dostępowe do konta Internetowej Obsługi Kontrahenta (IOK)",
                    subject=f"Dane dostępowe do konta IOK – {person_name}")
    pdf.set_creation_date(issued_at)
    pdf.add_page()
    pdf.letterhead(cooperative_name=cooperative_name, cooperative_address=cooperative_address,
                   right_note=f"Data wydania: {issued_on}")

    pdf.paragraph("Dane dostępowe do konta\nInternetowej Obsługi Kontrahenta (IOK)", size=13.5, bold=True,
                  height=6.6, after=3.5)

    # The addressee on the left, the units the account covers on the right.
    top = pdf.get_y()
    left_width = 68.0
    right_x = pdf.l_margin + left_width + 4
    right_width = pdf.epw - left_width - 4
    pdf.use_font(8.5, color=_MUTED)
    pdf.cell(left_width, 4.5, "Dla:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.use_font(11.5, bold=True)
    pdf.multi_cell(left_width, 5.6, person_name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    left_bottom = pdf.get_y()
    pdf.set_xy(right_x, top)
    pdf.use_font(8.5, color=_MUTED)
    pdf.cell(right_width, 4.5, "Lokale, do których konto daje dostęp:", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.use_font(9.5)
    for unit in units or ["—"]:
        pdf.set_x(right_x)
        pdf.cell(4, 4.8, "•")
        pdf.multi_cell(right_width - 4, 4.8, unit, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(left_bottom, pdf.get_y()) + 3)

    pdf.paragraph("Na Pani/Pana wniosek nadaliśmy dostęp do konta Internetowej Obsługi Kontrahenta (IOK). "
                  "Poniżej znajdują się dane potrzebne do pierwszego logowania.", size=9.5, after=3)

    # The box with the identifier and the one-time password; it never splits across pages.
    if pdf.will_page_break(75):
        pdf.add_page()
    box_top = pdf.get_y()
    inner_x = pdf.l_margin + 6
    inner_width = pdf.epw - 12
    pdf.set_xy(inner_x, box_top + 3.5)
    pdf.use_font(8, bold=True, color=_MUTED)
    pdf.cell(inner_width, 4, "IDENTYFIKATOR (LOGIN)")
    pdf.set_xy(inner_x, box_top + 8.5)
    used = _character_cells(pdf, login, x=inner_x, width=inner_width)
    rule_y = box_top + 8.5 + used + 3
    pdf.set_xy(inner_x, rule_y + 3)
    pdf.use_font(8, bold=True, color=_MUTED)
    pdf.cell(inner_width, 4, "HASŁO JEDNORAZOWE")
    pdf.set_xy(inner_x, rule_y + 8)
    used = _character_cells(pdf, one_time_password, x=inner_x, width=inner_width)
    pdf.set_xy(inner_x, rule_y + 8 + used + 2.5)
    pdf.use_font(7.5, color=_MUTED)
    note = f"Hasło ma {_characters(len(one_time_password))} i nie zawiera spacji. Wielkość liter ma znaczenie"
    if _fits_cells(one_time_password, inner_width):
        note += " – pod każdym znakiem podano, czy to wielka litera, mała litera, cyfra czy inny znak."
    else:
        note += "."
    pdf.multi_cell(inner_width, 3.6, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    box_bottom = pdf.get_y() + 3.5
    pdf.set_draw_color(*_RULE)
    pdf.set_line_width(0.2)
    pdf.line(inner_x, rule_y, inner_x + inner_width, rule_y)
    pdf.set_draw_color(*_INK)
    pdf.set_line_width(0.6)
    pdf.rect(pdf.l_margin, box_top, pdf.epw, box_bottom - box_top)
    pdf.set_xy(pdf.l_margin, box_bottom + 4)

    pdf.use_font(9, color=_MUTED)
    label = "Adres logowania:"
    pdf.cell(pdf.get_string_width(label) + 2, 6, label)
    pdf.use_font(11.5, bold=True)
    pdf.multi_cell(0, 6, login_url, link=login_url, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)

    pdf.heading("Pierwsze logowanie")
    pdf.numbered([
        "Proszę otworzyć w przeglądarce podany wyżej adres logowania i wpisać identyfikator oraz hasło "
        "jednorazowe.",
        "Przy pierwszym logowaniu trzeba zapoznać się z Regulaminem użytkownika konta IOK i go zaakceptować.",
        "Następnie trzeba ustawić własne hasło. Hasło jednorazowe działa tylko do tej chwili – po ustawieniu "
        "własnego hasła przestaje działać.",
    ], size=9)

    pdf.heading("Bezpieczeństwo")
    pdf.numbered([
        "Ten list należy przechowywać w bezpiecznym miejscu albo zniszczyć go po zmianie hasła.",
        "Nigdy nikomu nie należy podawać swojego hasła. Pracownicy spółdzielni nigdy nie poproszą o hasło – "
        "ani telefonicznie, ani e-mailem, ani osobiście.",
        "Jeśli ktoś poznał hasło albo list zaginął przed pierwszym logowaniem, prosimy o pilny kontakt "
        "z biurem spółdzielni.",
    ], size=9)

    # When and by whom the letter was issued, with room for the clerk's signature; kept together.
    if pdf.will_page_break(26):
        pdf.add_page()
    pdf.ln(5)
    top = pdf.get_y()
    columns = ((pdf.l_margin, 38.0, "Data wydania:", issued_on), (pdf.l_margin + 40, 62.0, "Wydał(a):", issued_by))
    bottom = top
    for x, width, label, value in columns:
        pdf.set_xy(x, top)
        pdf.use_font(8.5, color=_MUTED)
        pdf.cell(width, 4.5, label)
        pdf.set_xy(x, top + 5)
        pdf.use_font(10.5, bold=True)
        pdf.multi_cell(width, 5.5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        bottom = max(bottom, pdf.get_y())
    signature_x = pdf.l_margin + 110
    signature_y = max(bottom, top + 16)
    pdf.set_draw_color(*_RULE)
    pdf.set_line_width(0.2)
    pdf.writing_line(signature_x, signature_y, pdf.w - pdf.r_margin, signature_y)
    pdf.set_xy(signature_x, signature_y + 0.5)
    pdf.use_font(7, color=_MUTED)
    pdf.cell(pdf.w - pdf.r_margin - signature_x, 3, "podpis pracownika", align=Align.C)
    return bytes(pdf.output())


_UNIT_KINDS = ("mieszkalny", "użytkowy", "garaż")
_LEGAL_TITLES = (
    "odrębna własność",
    "spółdzielcze własnościowe prawo do lokalu",
    "spółdzielcze lokatorskie prawo / najem członkowski",
    "najem",
)
_IDENTITY_DOCUMENTS = ("dowód osobisty", "paszport", "karta pobytu", "inny dokument ze zdjęciem")
_UNIT_ROWS = 3


def _units_table(pdf: _Document) -> None:
    """Rows for units: address to write in, kind and legal title to tick (they can differ per unit)."""
    columns = (10.0, 54.0, 27.0, pdf.epw - 10.0 - 54.0 - 27.0)
    headers = ("Lp.", "Adres lokalu (ulica, nr budynku, nr lokalu)", "Rodzaj lokalu", "Tytuł prawny do lokalu")
    pdf.set_draw_color(*_INK)
    pdf.set_line_width(0.25)
    pdf.set_fill_color(*_SHADE)
    pdf.use_font(7.5, bold=True)
    top = pdf.get_y()
    header_height = 8.0
    x = pdf.l_margin
    for width, header in zip(columns, headers, strict=True):
        pdf.rect(x, top, width, header_height, style="DF")
        lines = 1 if pdf.get_string_width(header) <= width - 2 else 2
        pdf.set_xy(x + 1, top + (header_height - 3.6 * lines) / 2)
        pdf.multi_cell(width - 2, 3.6, header, align=Align.C, new_x=XPos.RIGHT, new_y=YPos.TOP)
        x += width
    row_height = 4.2 * len(_LEGAL_TITLES) + 2.2
    y = top + header_height
    for row in range(1, _UNIT_ROWS + 1):
        x = pdf.l_margin
        for width in columns:
            pdf.rect(x, y, width, row_height)
            x += width
        pdf.use_font(9)
        pdf.set_xy(pdf.l_margin, y + 1.2)
        pdf.cell(columns[0], 4, f"{row}.", align=Align.C)
        kinds_x = pdf.l_margin + columns[0] + columns[1] + 2
        for index, kind in enumerate(_UNIT_KINDS):
            pdf.checkbox(kinds_x, y + 1.4 + index * 4.2, kind, size=3, font_size=8)
        titles_x = kinds_x - 2 + columns[2] + 2
        for index, title in enumerate(_LEGAL_TITLES):
            pdf.checkbox(titles_x, y + 1.4 + index * 4.2, title, size=3, font_size=7.5)
        y += row_height
    pdf.set_xy(pdf.l_margin, y + 1)
    pdf.paragraph("Jeśli wniosek dotyczy większej liczby lokali, proszę wpisać pozostałe na odwrocie lub na "
                  "dołączonej kartce.", size=7.5, color=_MUTED, after=0)


def access_application_form_pdf(*, cooperative_name: str, cooperative_address: str, login_url: str) -> bytes:
    """The blank application form (Annex 1 to the regulation) that residents print and bring in person.

    The office section deliberately has no field for the identity document's number: the clerk only
    records what kind of document was shown and who checked it (data minimisation, as in the
    AccessApplication model). The PDF's creation date is left to fpdf2 (the time of generation),
    because a blank form has no date of its own.
    """
    title = "Wniosek o nadanie/odebranie dostępu do konta Internetowej Obsługi Kontrahenta (IOK)"
    # "w {cooperative_name}" would need the name in the locative ("w Spółdzielni Mieszkaniowej …"), which
    # cannot be derived from the nominative, so the name stands on its own line instead.
    annex = f"Załącznik nr 1 do Regulaminu użytkownika konta IOK\n{cooperative_name}"
    pdf = _Document(cooperative_name=cooperative_name, title=title, subject=annex.replace("\n", " – "))
    pdf.add_page()
    pdf.paragraph(annex, size=7.5, height=3.5, color=_MUTED, align=Align.R, after=2)
    pdf.letterhead(cooperative_name=cooperative_name, cooperative_address=cooperative_address)

    pdf.paragraph("WNIOSEK O NADANIE/ODEBRANIE DOSTĘPU DO KONTA", size=13, bold=True, height=6.5,
                  align=Align.C, after=0)
    pdf.paragraph("Internetowej Obsługi Kontrahenta (IOK)", size=11.5, bold=True, height=6, align=Align.C,
                  after=2.5)
    pdf.paragraph("Wniosek należy wypełnić czytelnie, podpisać i złożyć osobiście w biurze spółdzielni, okazując "
                  f"dokument tożsamości ze zdjęciem. Serwis IOK działa pod adresem {login_url}.",
                  size=8.5, color=_MUTED, align=Align.C, after=1)

    pdf.heading("1. Rodzaj wniosku (proszę zaznaczyć X)")
    y = pdf.get_y()
    after = pdf.checkbox(pdf.l_margin + 4, y, "nadanie dostępu", size=4, font_size=10)
    pdf.checkbox(max(after + 20, pdf.l_margin + 70), y, "odebranie dostępu", size=4, font_size=10)
    pdf.set_xy(pdf.l_margin, y + 7)

    pdf.heading("2. Dane wnioskodawcy")
    pdf.fill_in("Imię i nazwisko:", label_width=45)
    pdf.fill_in("Adres do korespondencji:", label_width=45)
    pdf.fill_in("", label_width=45)

    pdf.heading("3. Lokal(e), których dotyczy wniosek")
    _units_table(pdf)

    pdf.heading("4. Dane kontaktowe (nieobowiązkowe)")
    pdf.fill_in("Adres e-mail:", label_width=45)
    pdf.fill_in("Telefon:", label_width=45)

    pdf.heading("5. Oświadczenie")
    pdf.paragraph("Oświadczam, że zapoznałem(-am) się z Regulaminem użytkownika konta IOK obowiązującym "
                  "w spółdzielni, akceptuję jego postanowienia oraz że dane podane we wniosku są zgodne z prawdą.",
                  size=9, after=2)
    if pdf.will_page_break(16):
        pdf.add_page()
    row = pdf.get_y()
    pdf.fill_in("Data:", x=pdf.l_margin, width=60, height=11)
    pdf.set_y(row)
    pdf.fill_in("Czytelny podpis wnioskodawcy:", x=pdf.l_margin + 72, width=pdf.epw - 72, height=11)

    # The office's part and the information clause start page 2, so page 1 is all the applicant fills in
    # (unless a long cooperative name already pushed the signature there).
    if pdf.page_no() == 1:
        pdf.add_page()
        pdf.paragraph(f"{cooperative_name} – wniosek o nadanie/odebranie dostępu do konta IOK (ciąg dalszy)",
                      size=7.5, color=_MUTED, after=2)
    else:
        pdf.ln(8)
    if pdf.will_page_break(100):
        pdf.add_page()
    _office_section(pdf)
    _privacy_clause(pdf, cooperative_name=cooperative_name, cooperative_address=cooperative_address)
    return bytes(pdf.output())


def _office_section(pdf: _Document) -> None:
    top = pdf.get_y()
    pdf.use_font(11, bold=True, color=(255, 255, 255))
    pdf.set_fill_color(60, 60, 60)
    pdf.cell(0, 7.5, "  Wypełnia administracja", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    inner_x = pdf.l_margin + 4
    inner_width = pdf.epw - 8
    pdf.fill_in("Data przyjęcia wniosku:", x=inner_x, width=inner_width, label_width=62)

    pdf.set_xy(inner_x, pdf.get_y() + 2)
    pdf.use_font(9)
    pdf.cell(inner_width, 4.5, "Rodzaj okazanego dokumentu tożsamości:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y() + 1.5
    x = inner_x + 2
    for document in _IDENTITY_DOCUMENTS[:-1]:
        x = pdf.checkbox(x, y, document, size=3.4, font_size=9) + 10
    y += 6.5
    x = pdf.checkbox(inner_x + 2, y, _IDENTITY_DOCUMENTS[-1] + " (jaki?):", size=3.4, font_size=9)
    pdf.set_draw_color(*_RULE)
    pdf.set_line_width(0.2)
    pdf.writing_line(x + 1, y + 3.8, inner_x + inner_width, y + 3.8)
    pdf.set_xy(inner_x, y + 7.5)
    pdf.use_font(8.5, bold=True)
    pdf.cell(inner_width, 4.5, "Nie zapisujemy numeru ani kopii dokumentu.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(inner_x)
    pdf.use_font(7.5, color=_MUTED)
    pdf.multi_cell(inner_width, 3.6, "Dokument służy wyłącznie do potwierdzenia tożsamości wnioskodawcy; "
                   "zaznacza się tylko jego rodzaj.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)

    pdf.fill_in("Imię i nazwisko pracownika, który sprawdził dokument:", x=inner_x, width=inner_width)
    pdf.fill_in("Nadany identyfikator (login):", x=inner_x, width=inner_width, label_width=62)
    pdf.fill_in("Data nadania / odebrania dostępu:", x=inner_x, width=inner_width, label_width=62)
    pdf.fill_in("Podpis pracownika:", x=inner_x, width=inner_width, label_width=62, height=13)
    bottom = pdf.get_y() + 2
    pdf.set_draw_color(60, 60, 60)
    pdf.set_line_width(0.5)
    pdf.rect(pdf.l_margin, top, pdf.epw, bottom - top)
    pdf.set_xy(pdf.l_margin, bottom + 6)


def _privacy_clause(pdf: _Document, *, cooperative_name: str, cooperative_address: str) -> None:
    pdf.heading("Informacja o przetwarzaniu danych osobowych")
    pdf.paragraph("Zgodnie z art. 13 Rozporządzenia Parlamentu Europejskiego i Rady (UE) 2016/679 (RODO) "
                  "informujemy, że:", size=8.5, after=1)
    pdf.numbered([
        f"Administratorem Pani/Pana danych osobowych jest {cooperative_name}, {cooperative_address}.",
        "Dane podane we wniosku przetwarzamy wyłącznie w celu realizacji ustawowych zadań spółdzielni "
        "oraz prowadzenia konta Internetowej Obsługi Kontrahenta (IOK).",
        "W innych celach dane mogą być przetwarzane tylko na podstawie odrębnej zgody.",
        "Podanie adresu e-mail i numeru telefonu jest dobrowolne; brak tych danych nie wpływa na nadanie "
        "dostępu do konta IOK.",
        "Przysługuje Pani/Panu prawo dostępu do swoich danych, ich sprostowania oraz – w przypadkach "
        "przewidzianych prawem – ich usunięcia.",
        "Przysługuje Pani/Panu prawo wniesienia skargi do Prezesa Urzędu Ochrony Danych Osobowych "
        "(ul. Stawki 2, 00-193 Warszawa).",
    ], size=8.5)
