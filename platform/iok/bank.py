"""Polish bank account numbers (NRB): normalising, checking the check digits, printing.

In the core because the registry (a unit's own account) and the ledger (statements, the 2D transfer code)
both need them, and the registry sits below the ledger. The Unit model's field validator lives here and
its migrations name it by this path, so this module imports nothing that needs the app registry.

NRB (Numer Rachunku Bankowego) is the Polish IBAN without the "PL": 2 check digits, an 8-digit sort code
and a 16-digit account number. The check digits are the IBAN ones (ISO 13616, mod 97), computed by
python-stdnum. Imports check the same rule in SQL (billing_views/imports/sql.py, `_nrb_ok`), where it runs
over a whole staged file at once.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import iban

NRB_COUNTRY = "PL"
NRB_LENGTH = 26
_NRB_DIGITS = re.compile(r"[0-9]{26}")
# Copied numbers come with spaces (also non-breaking ones, from PDFs and web pages) and dashes.
NUMBER_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")

NRB_INVALID_MESSAGE = _("Enter a valid 26-digit bank account number (NRB); the check digits do not match.")


def nrb_normalize(value: str) -> str:
    """The 26 digits of an NRB written with spaces, dashes or a leading "PL" (an IBAN).

    Raises ValueError when what is left is not 26 digits; the check digits are not verified here
    (nrb_is_valid does that), so a form can normalise first and report a wrong number separately.
    """
    compact = NUMBER_SEPARATORS.sub("", value)
    if compact[:2].upper() == NRB_COUNTRY:
        compact = compact[2:]
    # fullmatch on [0-9] rather than str.isdigit(), which also accepts "²" and non-ASCII digits.
    if not _NRB_DIGITS.fullmatch(compact):
        raise ValueError(f"An NRB has {NRB_LENGTH} digits, got {value!r}.")
    return compact


def nrb_is_valid(value: str) -> bool:
    """True for 26 digits whose check digits match (IBAN mod 97 with the country code PL)."""
    try:
        digits = nrb_normalize(value)
    except (TypeError, ValueError):
        return False
    return iban.is_valid(NRB_COUNTRY + digits)


def nrb_compose(*, sort_code: str, account: str) -> str:
    """The NRB of an 8-digit sort code and a 16-digit account number, with its check digits."""
    return iban.calc_check_digits(f"{NRB_COUNTRY}00{sort_code}{account}") + sort_code + account


def nrb_validator(value: object) -> None:
    """Django validator for an NRB field: 26 digits (spaces, dashes and "PL" allowed) with matching check digits."""
    if not isinstance(value, str) or not nrb_is_valid(value):
        raise ValidationError(NRB_INVALID_MESSAGE, code="invalid_nrb", params={"value": value})


def nrb_format(value: str) -> str:
    """"12 3456 7890 1234 5678 9012 3456": the grouping printed on Polish bank documents and forms."""
    digits = nrb_normalize(value)
    return " ".join([digits[:2], *(digits[start:start + 4] for start in range(2, NRB_LENGTH, 4))])

