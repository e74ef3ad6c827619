"""Paying a unit's charges: the banks' "2D" transfer code and the transfer title.

Pure functions on plain values, no database; segno is imported only where a QR code is drawn. The bank
account number (NRB) itself is checked and printed by iok.bank.

The 2D code follows the Związek Banków Polskich recommendation "Standard 2D" (2013-12-03): one line of
nine fields separated by "|" that Polish banking apps read from a QR code to prefill a domestic transfer.
"""

import html
import re
from decimal import Decimal

from iok.bank import NUMBER_SEPARATORS, nrb_is_valid, nrb_normalize

ZBP_SEPARATOR = "|"
ZBP_COUNTRY = "PL"
ZBP_RECIPIENT_MAX = 20
ZBP_TITLE_MAX = 32
# The amount field has exactly 6 digits of grosze, so the largest amount a code can carry is 9 999,99 zł.
ZBP_AMOUNT_MAX = Decimal("9999.99")
_GROSZE = Decimal("0.01")
_NIP_DIGITS = re.compile(r"[0-9]{10}")
# Control characters (newlines, tabs) would break the single-line payload as surely as "|" would.
_FIELD_BREAKERS = re.compile(r"[|\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
# What every banking app shows of a recipient's name: letters (Polish ones included), digits and a few
# plain punctuation marks; typographic quotes („Hutnik”) come out as boxes or question marks in some.
_RECIPIENT_UNSHOWN = re.compile(r"[^\w .,\-/&()']|_")
# The usual abbreviation keeps more of a cooperative's name within the code's 20 characters.
_RECIPIENT_ABBREVIATIONS = (("Spółdzielnia Mieszkaniowa", "SM"), ("Spółdzielnia Budowlano-Mieszkaniowa", "SBM"))

# Error correction "L": the ZBP recommendation asks for level L (with UTF-8 text), as the published
# implementations that follow it do. L keeps the code at the lowest version, i.e. the largest modules for
# a given printed size, which matters more for a phone camera reading paper or a screen than damage
# tolerance does. boost_error=False keeps it L even when a higher level would fit the same version, so
# the symbol is exactly what the recommendation describes.
ZBP_ERROR_CORRECTION = "L"
# The quiet zone the QR specification requires around the symbol (4 modules); scanners need it.
_QR_BORDER = 4
_QR_TARGET_PX = 200

def _zbp_text(value: str, *, limit: int) -> str:
    """A text field of the payload: one line without "|", whitespace collapsed, at most `limit` characters.

    Characters, not bytes: the recommendation counts characters and the payload is UTF-8, so cutting bytes
    could split a Polish letter in two.
    """
    text = _SPACES.sub(" ", _FIELD_BREAKERS.sub(" ", value)).strip()
    return text[:limit].rstrip()


def zbp_recipient(name: str) -> str:
    """A cooperative's name as the code's recipient: abbreviated, in plain characters, at most 20 of them."""
    for long, short in _RECIPIENT_ABBREVIATIONS:
        name = name.replace(long, short)
    return _zbp_text(_RECIPIENT_UNSHOWN.sub(" ", name), limit=ZBP_RECIPIENT_MAX)


def _zbp_grosze(amount: Decimal | None) -> str:
    if amount is None:
        # Zero grosze: the app asks the payer for the amount (for sums the 6 digits cannot hold).
        return "0" * 6
    if not isinstance(amount, Decimal):
        # float would bring binary rounding into a payment amount; int is refused too, to keep one type for money.
        raise TypeError(f"The amount must be a Decimal, got {type(amount).__name__}.")
    if not amount.is_finite() or amount <= 0 or amount > ZBP_AMOUNT_MAX:
        raise ValueError(f"The 2D code carries amounts from 0,01 to 9999,99 zł, got {amount}.")
    if amount != amount.quantize(_GROSZE):
        # Rounding here would ask the resident to pay a different amount than the one charged.
        raise ValueError(f"The amount has fractions of a grosz: {amount}.")
    return f"{int(amount * 100):06d}"


def zbp_2d_payload(*, account: str, amount: Decimal | None, recipient: str, title: str, nip: str = "") -> str:
    """The text of a ZBP "Standard 2D" code that prefills a domestic transfer in Polish banking apps.

    Fields in order, separated by "|": recipient's NIP (10 digits or empty) | country code "PL" |
    26-digit account | amount in grosze as 6 digits (zeros for `amount` None: the payer types it) |
    recipient's name (up to 20 characters) | transfer title (up to 32 characters) | three reserved fields,
    left empty. Raises ValueError for an invalid NRB or NIP and for amounts outside 0,01–9999,99 zł.
    Polish letters are kept: the code is UTF-8.
    """
    if not nrb_is_valid(account):
        raise ValueError(f"Not a valid NRB: {account!r}.")
    nip_digits = NUMBER_SEPARATORS.sub("", nip)
    if nip_digits[:2].upper() == ZBP_COUNTRY:
        nip_digits = nip_digits[2:]
    if nip_digits and not _NIP_DIGITS.fullmatch(nip_digits):
        raise ValueError(f"The NIP must have 10 digits, got {nip!r}.")
    fields = [
        nip_digits,
        ZBP_COUNTRY,
        nrb_normalize(account),
        _zbp_grosze(amount),
        _zbp_text(recipient, limit=ZBP_RECIPIENT_MAX),
        _zbp_text(title, limit=ZBP_TITLE_MAX),
        "",  # reserved: direct debit customer identifier
        "",  # reserved: Invoobill
        "",  # reserved
    ]
    return ZBP_SEPARATOR.join(fields)


def zbp_2d_svg(payload: str, *, title: str) -> str:
    """The payload as an SVG QR code to inline in HTML: about 200 px wide, with an accessible name.

    The SVG has no XML declaration or namespace (not needed inside HTML), a viewBox so CSS can resize it,
    whole-pixel modules at its natural size so it stays sharp, a white background so it also scans on a
    dark page, and both a <title> and role="img"/aria-label so screen readers announce what it is.
    """
    import segno  # Imported here: models import this module, and only pages with a code need segno.

    code = segno.make(payload, error=ZBP_ERROR_CORRECTION, boost_error=False, encoding="utf-8", micro=False)
    modules, _height = code.symbol_size(scale=1, border=_QR_BORDER)
    scale = max(1, round(_QR_TARGET_PX / modules))
    size = modules * scale
    svg = code.svg_inline(scale=scale, border=_QR_BORDER, dark="#000", light="#fff", title=title,
                          omitsize=True, svgclass="zbp-2d", lineclass=None)
    attributes = f'<svg width="{size}" height="{size}" role="img" aria-label="{html.escape(title, quote=True)}" '
    return attributes + svg.removeprefix("<svg ")


def transfer_title(*, unit_label: str, period_label: str) -> str:
    """The transfer title for a unit's charges, at most 32 characters (the 2D code's limit).

    "Opłaty lokal ul. Wawel 1/12 za 11.2026" is the wording when it fits; otherwise words go first, then
    the period, and the unit label last, because the cooperative matches a payment to a unit by the label
    (the period only says which month it is for). A label longer than the whole title is cut at a word
    boundary, without an ellipsis (banks limit the characters of a title); the period is never glued to a
    cut label, where "m. 11.2026" could be read as flat 11.
    """
    unit = _zbp_text(unit_label, limit=200)
    period = _zbp_text(period_label, limit=ZBP_TITLE_MAX)
    if not unit:
        return f"Opłaty za {period}"[:ZBP_TITLE_MAX].rstrip()
    for candidate in (
        f"Opłaty lokal {unit} za {period}",
        f"Opłaty {unit} za {period}",
        f"{unit} za {period}",
        f"{unit} {period}",
        unit,
    ):
        if len(candidate) <= ZBP_TITLE_MAX:
            return candidate
    cut = unit[:ZBP_TITLE_MAX]
    boundary = cut.rfind(" ")
    # At the last space, unless that would throw away more than a third of the title.
    if unit[ZBP_TITLE_MAX] != " " and boundary >= ZBP_TITLE_MAX * 2 // 3:
        cut = cut[:boundary]
    return cut.rstrip(" ,;:-–(")
