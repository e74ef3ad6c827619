"""Reads of the meters module. Tenant-sensitive rows only through access_* (the same 404 for missing
and forbidden)."""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, QuerySet
from django.utils import formats, timezone

from billing_views.models import ImportRun
from iok.access import access_get
from iok.formats import local, yes_no
from tenants_portal.accounts.models import User
from tenants_portal.accounts.roles import Section, may_use
from tenants_portal.registry.models import Unit
from tenants_portal.registry.selectors import person_of, units_current_for_person

from .models import Meter, MeterSettings, Reading, ReadingWindow


def meter_settings_get() -> MeterSettings:
    settings, _created = MeterSettings.objects.get_or_create(pk=1)
    return settings


def _resident_unit_ids(user: User) -> set[int]:
    if not user.is_authenticated or not user.is_resident:
        return set()
    return {unit.pk for unit in units_current_for_person(person=person_of(user))}


def access_meter(*, user: User, id: int) -> Meter:
    """Any meter for the office; for a resident, a meter in place in one of their current units."""
    meters = Meter.objects.select_related("unit__building")
    if not may_use(user, Section.READINGS):
        meters = meters.filter(unit_id__in=_resident_unit_ids(user), removed_on__isnull=True)
    return access_get(meters, pk=id)


def access_reading(*, user: User, id: int) -> Reading:
    """Any reading for the office; for a resident, a reading of a meter in one of their current units."""
    readings = Reading.objects.select_related("meter__unit__building", "submitted_by", "decided_by")
    if not may_use(user, Section.READINGS):
        readings = readings.filter(meter__unit_id__in=_resident_unit_ids(user))
    return access_get(readings, pk=id)


def readings_awaiting_of_staff(*, user: User, ids: list[int]) -> QuerySet[Reading]:
    """Which of the chosen readings still await acceptance; nothing for anyone but the office."""
    if not may_use(user, Section.READINGS):
        return Reading.objects.none()
    return Reading.objects.filter(pk__in=ids, status=Reading.Status.SUBMITTED)


def readings_plausible(*, window: ReadingWindow) -> QuerySet[Reading]:
    """The window's readings awaiting acceptance that raise no warning: the resident did not have to confirm
    an unusual consumption, and the meter was in place and legally verified on the reading's day."""
    return (Reading.objects.filter(window=window, status=Reading.Status.SUBMITTED, unusual_confirmed=False,
                                   meter__removed_on__isnull=True)
            .filter(Q(meter__verified_until__isnull=True) | Q(meter__verified_until__gte=F("read_on"))))


def access_reading_window(*, user: User, id: int) -> ReadingWindow:
    return access_get(ReadingWindow.objects.all(), pk=id, allowed=may_use(user, Section.READINGS))


def windows_with_plausible_readings() -> list[tuple[ReadingWindow, int]]:
    """Each window with readings that could be accepted at once, and how many (newest window first)."""
    windows = ReadingWindow.objects.filter(readings__status=Reading.Status.SUBMITTED).distinct()
    counted = ((window, readings_plausible(window=window).count()) for window in windows.order_by("-starts_on"))
    return [(window, count) for window, count in counted if count]


def reading_next_awaiting(*, after: Reading) -> Reading | None:
    """The reading to check after this one: the next in the work list's order (the oldest submitted first)."""
    awaiting = Reading.objects.filter(status=Reading.Status.SUBMITTED).exclude(pk=after.pk)
    return awaiting.order_by("submitted_at", "pk").first()


def access_unit(*, user: User, id: int) -> Unit:
    return access_get(Unit.objects.select_related("building"), pk=id, allowed=may_use(user, Section.READINGS))


KIND_ORDER: list[str] = [Meter.Kind.COLD_WATER, Meter.Kind.HOT_WATER, Meter.Kind.HEAT_ALLOCATOR, Meter.Kind.GAS]


def meters_of_unit(*, unit: Unit, include_removed: bool = False) -> list[Meter]:
    """Water first, then heat and gas, as on the cooperative's reading cards."""
    meters = Meter.objects.filter(unit=unit).order_by("serial_number")
    if not include_removed:
        meters = meters.filter(removed_on__isnull=True)
    return sorted(meters, key=lambda meter: (KIND_ORDER.index(meter.kind), meter.location))


def reading_previous(*, meter: Meter) -> Reading | None:
    """The reading a new one is compared with: the latest that is accepted or still awaiting acceptance."""
    return (Reading.objects.filter(meter=meter, status__in=[Reading.Status.ACCEPTED, Reading.Status.SUBMITTED])
            .order_by("-read_on", "-pk").first())


def reading_last_accepted(*, meter: Meter, on: datetime.date | None = None,
                          exclude: Reading | None = None) -> Reading | None:
    """The latest accepted reading; with `on`, the latest taken on or before that day (what a reading of
    that day is compared with)."""
    readings = Reading.objects.filter(meter=meter, status=Reading.Status.ACCEPTED)
    if on is not None:
        readings = readings.filter(read_on__lte=on)
    if exclude is not None:
        readings = readings.exclude(pk=exclude.pk)
    return readings.order_by("-read_on", "-pk").first()


def reading_pending(*, meter: Meter) -> Reading | None:
    return Reading.objects.filter(meter=meter, status=Reading.Status.SUBMITTED).order_by("-read_on", "-pk").first()


def reading_window_open(*, on: datetime.date | None = None) -> ReadingWindow | None:
    on = on or timezone.localdate()
    return ReadingWindow.objects.filter(starts_on__lte=on, ends_on__gte=on).order_by("ends_on").first()


def reading_window_next(*, on: datetime.date | None = None) -> ReadingWindow | None:
    on = on or timezone.localdate()
    return ReadingWindow.objects.filter(starts_on__gt=on).order_by("starts_on").first()


def reading_windows_list() -> QuerySet[ReadingWindow]:
    return ReadingWindow.objects.select_related("created_by").order_by("-starts_on", "-pk")


def reading_windows_due_reminder(*, on: datetime.date) -> QuerySet[ReadingWindow]:
    return ReadingWindow.objects.filter(starts_on__lte=on, ends_on__gte=on, notified_at__isnull=True)


def residents_with_meters(*, on: datetime.date) -> list[User]:
    """Active resident accounts holding a current legal title to a unit with a meter in use."""
    current = (Q(person__legal_titles__start_date__lte=on)
               & (Q(person__legal_titles__end_date__isnull=True) | Q(person__legal_titles__end_date__gte=on)))
    return list(User.objects.filter(current, role=User.Role.RESIDENT, is_active=True, closed_at__isnull=True,
                                    person__legal_titles__unit__meters__removed_on__isnull=True,
                                    person__legal_titles__unit__meters__isnull=False)
                .distinct().order_by("pk"))


@dataclass(frozen=True)
class Period:
    starts_on: datetime.date
    ends_on: datetime.date
    consumption: Decimal

    @property
    def days(self) -> int:
        return max((self.ends_on - self.starts_on).days, 1)


def consumption_periods(*, meter: Meter) -> list[Period]:
    """Consumption between consecutive accepted readings, oldest first."""
    readings = list(Reading.objects.filter(meter=meter, status=Reading.Status.ACCEPTED)
                    .order_by("read_on", "pk").values_list("read_on", "value"))
    return [Period(starts_on=earlier[0], ends_on=later[0], consumption=later[1] - earlier[1])
            for earlier, later in itertools.pairwise(readings) if later[0] > earlier[0]]


def consumption_daily_average(*, meter: Meter) -> Decimal | None:
    """The meter's average consumption per day over its accepted history (None without two readings)."""
    periods = consumption_periods(meter=meter)
    days = sum(period.days for period in periods)
    if not periods or days == 0:
        return None
    return sum((period.consumption for period in periods), Decimal("0")) / days


def readings_of_meter(*, meter: Meter) -> QuerySet[Reading]:
    return Reading.objects.filter(meter=meter).select_related("submitted_by", "decided_by").order_by("-read_on", "-pk")


def readings_filter(*, status: str = "", kind: str = "", source: str = "", address: str = "",
                    date_from: datetime.date | None = None, date_to: datetime.date | None = None) -> QuerySet[Reading]:
    readings = Reading.objects.select_related("meter__unit__building", "submitted_by")
    if status:
        readings = readings.filter(status=status)
    if kind:
        readings = readings.filter(meter__kind=kind)
    if source:
        readings = readings.filter(source=source)
    if date_from:
        readings = readings.filter(read_on__gte=date_from)
    if date_to:
        readings = readings.filter(read_on__lte=date_to)
    if address.strip():
        readings = readings.filter(_unit_matches(address, prefix="meter__unit__"))
    if status == Reading.Status.SUBMITTED:
        return readings.order_by("submitted_at", "pk")  # a work list: the longest waiting first
    return readings.order_by("-submitted_at", "-pk")


def _unit_matches(query: str, *, prefix: str = "") -> Q:
    """"Wawel 1/12": the street and building number before the slash, the unit's number after it;
    a unit code or a meter's serial number matches too."""
    query = " ".join(query.split())
    exact = Q(**{f"{prefix}code__iexact": query}) | Q(**{f"{prefix}meters__serial_number__iexact": query})
    address, _slash, number = query.partition("/")
    condition = Q()
    for word in address.split():
        condition &= (Q(**{f"{prefix}building__street__icontains": word})
                      | Q(**{f"{prefix}building__number__iexact": word}) | Q(**{f"{prefix}number__iexact": word}))
    if number.strip():
        condition &= Q(**{f"{prefix}number__iexact": number.strip()})
    return exact | condition


def units_with_meters_search(*, query: str, limit: int = 50) -> QuerySet[Unit]:
    units = Unit.objects.select_related("building").filter(meters__isnull=False).distinct()
    if not query.strip():
        return units.none()
    return units.filter(_unit_matches(query)).order_by("building__street", "building__number", "number")[:limit]


@dataclass(frozen=True)
class MeterSummary:
    meter: Meter
    last_accepted: Reading | None
    pending: Reading | None
    verification_expired: bool


def meter_summaries(*, unit: Unit, on: datetime.date | None = None) -> list[MeterSummary]:
    on = on or timezone.localdate()
    meters = meters_of_unit(unit=unit)
    # One query for the whole unit, not two per meter: the newest reading of each meter and status
    # (as reading_last_accepted and reading_pending choose it).
    latest = {(reading.meter_id, reading.status): reading for reading in
              Reading.objects.filter(meter__in=meters, status__in=[Reading.Status.ACCEPTED, Reading.Status.SUBMITTED])
              .order_by("meter_id", "status", "-read_on", "-pk").distinct("meter_id", "status")}
    return [MeterSummary(meter=meter, last_accepted=latest.get((meter.pk, Reading.Status.ACCEPTED)),
                         pending=latest.get((meter.pk, Reading.Status.SUBMITTED)),
                         verification_expired=meter.verified_until is not None and meter.verified_until < on)
            for meter in meters]


def own_data_readings(user: User) -> list[dict]:
    """The readings the person sent, for their own-data page and file."""
    readings = (Reading.objects.filter(submitted_by=user).select_related("meter__unit__building")
                .order_by("submitted_at"))
    return [{"submitted_at": local(reading.submitted_at), "unit": str(reading.meter.unit),
             "meter": str(reading.meter), "read_on": reading.read_on,
             "reading": f"{formats.number_format(reading.value, decimal_pos=reading.meter.decimals)} "
                        f"{reading.meter.measure}",
             "status": reading.get_status_display(), "rejection_reason": reading.rejection_reason,
             "photo": yes_no(bool(reading.photo_path))}
            for reading in readings]


def readings_import_run(*, run_id: str) -> ImportRun | None:
    """A readings import's run for its page (another kind of run, or none: nothing)."""
    if not run_id.isdigit():
        return None
    return ImportRun.objects.filter(pk=int(run_id), kind=ImportRun.Kind.READINGS).select_related("uploaded_by").first()


def readings_import_runs(*, limit: int = 10) -> list[ImportRun]:
    return list(ImportRun.objects.filter(kind=ImportRun.Kind.READINGS).order_by("-created_at", "-id")[:limit])
