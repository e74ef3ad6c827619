"""Bounds of the dates a resident may ask the ledger about."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext

# Wide enough for any ledger, narrow enough that the day before the start and the 1 January of the
# end's year always exist (0001-01-01 overflowed computing the opening balance: a 500).
PERIOD_EARLIEST = datetime.date(1900, 1, 1)
PERIOD_LATEST = datetime.date(2999, 12, 31)


def _message() -> str:
    return gettext("Enter a date from %(earliest)s to %(latest)s.") % {
        "earliest": date_format(PERIOD_EARLIEST, "d.m.Y"), "latest": date_format(PERIOD_LATEST, "d.m.Y")}


_message_lazy = lazy(_message, str)


def period_date_validators() -> list:
    """For the forms and the API's serializers alike (DRF runs Django's validators)."""
    return [MinValueValidator(PERIOD_EARLIEST, message=_message_lazy()),
            MaxValueValidator(PERIOD_LATEST, message=_message_lazy())]
