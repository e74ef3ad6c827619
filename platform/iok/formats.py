"""Values as the pages and the own-data file show them: moments in Warsaw time, yes and no."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _


def local(value: datetime.datetime | None) -> datetime.datetime | None:
    """A moment in Europe/Warsaw: shown so on the page, written with its offset (+01:00/+02:00) in the file."""
    return timezone.localtime(value) if value else None


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")
