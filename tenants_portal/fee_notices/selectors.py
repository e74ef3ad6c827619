"""Fee-change notices' reads: the module's settings, a change's deadline and units, and to whom a unit's
notice is addressed."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from billing_views.models import ImportRun
from iok.memo import request_memo
from tenants_portal.registry.models import LegalTitle, Person, Unit

from . import deadlines
from .models import FeeChange, FeeChangeLine, FeeNotice, FeeNoticeSettings

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


# The office's pages (staff_views): the list of changes, a change's lines and the delivery of its notices.


def fee_changes_for_office() -> QuerySet[FeeChange]:
    """Every change, the latest month first, with the number of units it has lines for."""
    return (FeeChange.objects.select_related("import_run", "sent_by")
            .annotate(unit_count=Count("lines__unit", distinct=True))
            .order_by("-effective_month", "basis", "-pk"))


def fee_changes_of_import(*, run: ImportRun) -> list[FeeChange]:
    """The changes whose lines `run` set last; for a file that changed nothing, those of the file it repeats."""
    runs = [run.pk, run.same_as_id] if run.same_as_id else [run.pk]
    changes = list(FeeChange.objects.filter(import_run_id=runs[0]).order_by("effective_month", "basis", "pk"))
    if not changes and len(runs) > 1:
        changes = list(FeeChange.objects.filter(import_run_id=runs[1]).order_by("effective_month", "basis", "pk"))
    return changes


def fee_change_lines(*, fee_change: FeeChange, search: str = "") -> QuerySet[FeeChangeLine]:
    """The change's lines in the order letters are printed (building, unit, component); `search` narrows them to
    the units whose code or address contains it."""
    lines = (FeeChangeLine.objects.filter(fee_change=fee_change).select_related("unit__building", "component")
             .order_by("unit__building__street", "unit__building__number", "unit__number", "unit_id",
                       "component__sort_order", "component__name"))
    search = search.strip()
    if search:
        lines = lines.filter(Q(unit__code__icontains=search) | Q(unit__building__street__icontains=search)
                             | Q(unit__number__iexact=search))
    return lines


def fee_change_totals(*, fee_change: FeeChange) -> dict[str, Decimal | int]:
    """The change's sums over all lines: current, new and their difference, and the number of units."""
    totals = FeeChangeLine.objects.filter(fee_change=fee_change).aggregate(
        current=Sum("current_amount"), new=Sum("new_amount"), units=Count("unit", distinct=True))
    current, new = totals["current"] or Decimal("0.00"), totals["new"] or Decimal("0.00")
    return {"current": current, "new": new, "difference": new - current, "units": totals["units"]}


class DeliveryState(StrEnum):
    """Where a unit's notice is on its way to the resident, each notice in exactly one state."""

    OPENED = "opened"              # delivered electronically: the resident opened it (the time is the proof)
    PAPER_DELIVERED = "paper"      # delivered on paper: in person against a signature, or by registered mail
    NOT_OPENED = "not_opened"      # sent electronically, not opened yet
    TO_PRINT = "to_print"          # goes (or went) on paper, not delivered yet
    UNDECIDED = "undecided"        # its channel is not decided yet


DELIVERY_STATE_LABELS = {
    DeliveryState.OPENED: gettext_lazy("delivered electronically, opened"),
    DeliveryState.PAPER_DELIVERED: gettext_lazy("delivered on paper"),
    DeliveryState.NOT_OPENED: gettext_lazy("sent electronically, not opened"),
    DeliveryState.TO_PRINT: gettext_lazy("to print, not delivered"),
    DeliveryState.UNDECIDED: gettext_lazy("delivery channel not decided"),
}
DELIVERED_STATES = (DeliveryState.OPENED, DeliveryState.PAPER_DELIVERED)
PAPER_METHODS = (FeeNotice.DeliveryMethod.IN_PERSON, FeeNotice.DeliveryMethod.REGISTERED_MAIL)


def notice_delivery_state(notice: FeeNotice) -> DeliveryState:
    """The notice's state. Delivered both ways, the earlier proof counts (the day of the opening against the
    day of the paper delivery; on the same day, the opening)."""
    paper_on = notice.delivered_on if notice.delivery_method in PAPER_METHODS else None
    opened_on = timezone.localdate(notice.opened_at) if notice.opened_at else None
    if opened_on is not None and (paper_on is None or opened_on <= paper_on):
        return DeliveryState.OPENED
    if paper_on is not None:
        return DeliveryState.PAPER_DELIVERED
    if notice.channel == FeeNotice.Channel.ELECTRONIC:
        return DeliveryState.NOT_OPENED
    if notice.channel == FeeNotice.Channel.PAPER:
        return DeliveryState.TO_PRINT
    return DeliveryState.UNDECIDED


@dataclass(frozen=True)
class NoticeRow:
    notice: FeeNotice
    state: DeliveryState
    delivered_on: datetime.date | None  # the day of the proof (the opening's or the paper delivery's)
    late: bool                          # delivered after the deadline, or not delivered and the deadline passed


@dataclass(frozen=True)
class DeliveryDashboard:
    """A change's notices by their state, for the office and the board's export."""

    fee_change: FeeChange
    deadline: datetime.date
    today: datetime.date
    units: int                  # the units the change has lines for
    rows: list[NoticeRow]       # every notice, in the order letters are printed

    @property
    def days_left(self) -> int:
        """Days from `today` to the deadline (0: the deadline is today; negative: it passed)."""
        return (self.deadline - self.today).days

    def of(self, *states: DeliveryState) -> list[NoticeRow]:
        return [row for row in self.rows if row.state in states]

    @property
    def counts(self) -> dict[str, int]:
        counts = {state.value: 0 for state in DeliveryState}
        for row in self.rows:
            counts[row.state.value] += 1
        counts["delivered"] = counts[DeliveryState.OPENED] + counts[DeliveryState.PAPER_DELIVERED]
        counts["undelivered"] = len(self.rows) - counts["delivered"]
        counts["late"] = sum(1 for row in self.rows if row.late)
        return counts


def fee_change_dashboard(*, fee_change: FeeChange, today: datetime.date) -> DeliveryDashboard:
    """The delivery of a change's notices on `today` (the cooperative's date): one row per notice (none until it
    is sent), with the unit, its addressees and its state."""
    deadline = fee_change_deadline(fee_change=fee_change)
    notices = (FeeNotice.objects.filter(fee_change=fee_change).select_related("unit__building", "opened_by")
               .prefetch_related(Prefetch("addressees", queryset=Person.objects.order_by("last_name", "first_name",
                                                                                         "pk")))
               .order_by("unit__building__street", "unit__building__number", "unit__number", "unit_id"))
    rows = []
    for notice in notices:
        state = notice_delivery_state(notice)
        if state == DeliveryState.OPENED:
            delivered_on: datetime.date | None = timezone.localdate(notice.opened_at)
        elif state == DeliveryState.PAPER_DELIVERED:
            delivered_on = notice.delivered_on
        else:
            delivered_on = None
        late = delivered_on > deadline if delivered_on is not None else today > deadline
        rows.append(NoticeRow(notice=notice, state=state, delivered_on=delivered_on, late=late))
    units = fee_change_units(fee_change=fee_change).count()
    return DeliveryDashboard(fee_change=fee_change, deadline=deadline, today=today, units=units, rows=rows)
