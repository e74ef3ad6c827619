"""What the resident's start page answers first: what they owe for each unit, what is new for them
(announcements, their failure reports), and what the cooperative waits for from them (meter readings)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from billing_views.selectors import ledger_balances
from tenants_portal.accounts.models import User
from tenants_portal.registry.models import Unit

# A report resolved or rejected this recently is still news on the start page.
REPORT_NEWS_DAYS = 14
ANNOUNCEMENTS_SHOWN = 3
REPORTS_SHOWN = 5


@dataclass(frozen=True)
class UnitDue:
    unit: Unit
    balance: Decimal  # positive: to pay; negative: overpaid
    meters_to_read: int  # the unit's meters without a reading since the open window began


@dataclass(frozen=True)
class ResidentHome:
    units: list[UnitDue]
    announcements: list  # unread, newest first, at most ANNOUNCEMENTS_SHOWN
    unread_announcements: int
    reports: list  # open ones and those closed lately, latest change first
    window: object | None  # the open reading window, when the meters module is on
    # Notices of fee changes not yet in effect, one per unit and change, the nearest first (module fee_notices).
    fee_notices: list = field(default_factory=list)

    @property
    def meters_to_read(self) -> int:
        return sum(item.meters_to_read for item in self.units)


def resident_home(*, user: User, units: list[Unit], modules: dict[str, bool], now: datetime.datetime,
                  today: datetime.date) -> ResidentHome:
    balances = ledger_balances(units=units)
    window, to_read = None, dict.fromkeys((unit.pk for unit in units), 0)
    if modules.get("meters"):
        from tenants_portal.meters.selectors import meter_summaries, reading_window_open

        window = reading_window_open(on=today)
        if window is not None:
            for unit in units:
                to_read[unit.pk] = sum(
                    1 for summary in meter_summaries(unit=unit, on=today)
                    if not any(reading is not None and reading.read_on >= window.starts_on
                               for reading in (summary.last_accepted, summary.pending)))
    announcements, unread = [], 0
    if modules.get("announcements") and units:  # no unit, no audience: nothing is addressed to them
        from tenants_portal.announcements.selectors import announcements_for_resident

        unread_ones = announcements_for_resident(user=user, now=now).filter(is_read=False)
        unread = unread_ones.count()
        announcements = list(unread_ones.order_by("-publish_at", "-pk")[:ANNOUNCEMENTS_SHOWN]) if unread else []
    reports = []
    if modules.get("failures"):
        from tenants_portal.failures.models import FailureReport
        from tenants_portal.failures.selectors import failure_reports_of_resident

        final = [FailureReport.Status.RESOLVED, FailureReport.Status.REJECTED]
        recent = now - datetime.timedelta(days=REPORT_NEWS_DAYS)
        reports = list(failure_reports_of_resident(user=user).filter(~Q(status__in=final) | Q(updated_at__gte=recent))
                       .order_by("-updated_at", "-pk")[:REPORTS_SHOWN])
    fee_notices = []
    if modules.get("fee_notices"):
        from tenants_portal.fee_notices.selectors import fee_notices_coming

        fee_notices = fee_notices_coming(user=user, today=today)
    return ResidentHome(
        units=[UnitDue(unit=unit, balance=balances[unit.pk], meters_to_read=to_read[unit.pk]) for unit in units],
        announcements=announcements, unread_announcements=unread, reports=reports, window=window,
        fee_notices=fee_notices)
