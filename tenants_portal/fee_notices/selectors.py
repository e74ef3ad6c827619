"""Fee-change notices' reads: the module's settings, a change's deadline and units, and to whom a unit's
notice is addressed."""

import datetime

from django.db.models import Q, QuerySet

from iok.memo import request_memo
from tenants_portal.registry.models import LegalTitle, Person, Unit

from . import deadlines
from .models import FeeChange, FeeNoticeSettings

SETTINGS_MEMO = "fee-notice-settings"


def _current(on: datetime.date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def fee_notice_settings_get() -> FeeNoticeSettings:
    """The cooperative's settings of this module (one row, created on first use), read once per request."""
    return request_memo(SETTINGS_MEMO, lambda: FeeNoticeSettings.objects.get_or_create(pk=1)[0])


def fee_change_deadline(*, fee_change: FeeChange) -> datetime.date:
    """The last day its notice can be delivered (the same for every unit: the payment day is the
    cooperative's, one for all its units)."""
    return deadlines.delivery_deadline(effective_month=fee_change.effective_month, basis=fee_change.basis,
                                       payment_day=fee_notice_settings_get().payment_day)


def fee_change_earliest_month(*, fee_change: FeeChange, on: datetime.date) -> datetime.date:
    """The earliest month a change on the same basis could take effect from if sent on `on`."""
    return deadlines.earliest_effective_month(basis=fee_change.basis, on=on,
                                              payment_day=fee_notice_settings_get().payment_day)


def fee_change_units(*, fee_change: FeeChange) -> QuerySet[Unit]:
    """The units the change has lines for, in the order letters are printed: building, then unit."""
    return (Unit.objects.filter(fee_change_lines__fee_change=fee_change).distinct()
            .select_related("building").order_by("building__street", "building__number", "number", "pk"))


def unit_addressees(*, unit: Unit, on: datetime.date) -> QuerySet[Person]:
    """The people a unit's notice is addressed to: those holding a legal title to it on `on` (the registry)."""
    titles = LegalTitle.objects.filter(_current(on), unit=unit)
    return Person.objects.filter(pk__in=titles.values("person_id")).order_by("last_name", "first_name", "pk")


def units_title_holders(*, units: list[Unit], on: datetime.date) -> dict[int, list[int]]:
    """{unit id: ids of the people holding a legal title to it on `on`}, for many units in one query."""
    holders: dict[int, list[int]] = {}
    titles = (LegalTitle.objects.filter(_current(on), unit__in=units).order_by("unit_id", "person_id")
              .values_list("unit_id", "person_id").distinct())
    for unit_id, person_id in titles:
        holders.setdefault(unit_id, []).append(person_id)
    return holders
