"""Demo meters: the Hutnik resident's flat (water meters and heat-cost allocators with about three years of
accepted readings), a few neighbours whose own readings await the office, and a reading window open now."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from tenants_portal.registry.models import Unit

from .models import Meter, MeterSettings, Reading, ReadingWindow

YEARS = 3
# Average monthly use of a two-person flat (m³): cold and hot water.
WATER_PER_MONTH: dict[str, Decimal] = {Meter.Kind.COLD_WATER: Decimal("2.6"), Meter.Kind.HOT_WATER: Decimal("1.5")}
# Allocator units per quarter in a Silesian block: most in the heating season, almost none in summer.
ALLOCATOR_PER_QUARTER = {1: 180, 2: 45, 3: 3, 4: 150}


def _month_ends(*, until: datetime.date, count: int) -> list[datetime.date]:
    """The last days of the `count` months before `until`'s month, oldest first."""
    ends, day = [], until.replace(day=1) - datetime.timedelta(days=1)
    for _step in range(count):
        ends.append(day)
        day = day.replace(day=1) - datetime.timedelta(days=1)
    return list(reversed(ends))


def _water_readings(rng: random.Random, *, kind: str, dates: list[datetime.date], start: Decimal) -> list[Decimal]:
    values, value = [], start
    for index, day in enumerate(dates):
        if index:
            summer = 0.85 if day.month in (7, 8) else 1.0  # holidays away
            value += (WATER_PER_MONTH[kind] * Decimal(str(round(rng.uniform(0.8, 1.2) * summer, 3)))).quantize(
                Decimal("0.001"))
        values.append(value)
    return values


def _meter(*, unit: Unit, kind: str, serial: str, location: str, installed_on: datetime.date,
           verified_until: datetime.date | None) -> tuple[Meter, bool]:
    return Meter.objects.get_or_create(serial_number=serial, defaults={
        "unit": unit, "kind": kind, "location": location, "installed_on": installed_on,
        "verified_until": verified_until})


def _accepted(meter: Meter, dates: list[datetime.date], values: list) -> None:
    now = timezone.now()
    Reading.objects.bulk_create([
        Reading(meter=meter, read_on=day, value=Decimal(value), source=Reading.Source.IMPORT,
                status=Reading.Status.ACCEPTED, decided_at=now) for day, value in zip(dates, values, strict=True)])


def _flat_of(units: list[Unit]) -> Unit | None:
    return next((unit for unit in units if unit.kind == Unit.Kind.FLAT), None)


def demo_ensure(*, slug: str, holdings: dict, today: datetime.date) -> list[str]:
    """Create this module's demo data for the cooperative (idempotent); returns lines for the log."""
    if slug != "hutnik":
        return []  # Zakątek has the module switched off
    log: list[str] = []
    MeterSettings.objects.get_or_create(pk=1)
    flat = _flat_of(holdings.get("lokator", []))
    if flat is None:
        return log
    rng = random.Random(f"{slug}-{flat.code}")  # noqa: S311 - repeatable demo data
    months = _month_ends(until=today, count=YEARS * 12)
    installed = months[0].replace(day=12)
    # Water meters: legal verification for 5 years from installation.
    added = 0
    for kind, serial, start in ((Meter.Kind.COLD_WATER, f"AP-{installed:%y}-4528731", Decimal("0.021")),
                                (Meter.Kind.HOT_WATER, f"AP-{installed:%y}-4528744", Decimal("0.014"))):
        meter, created = _meter(unit=flat, kind=kind, serial=serial, location="łazienka", installed_on=installed,
                                verified_until=installed.replace(year=installed.year + 5))
        if created:
            dates = [installed, *months[1:]]
            _accepted(meter, dates, _water_readings(rng, kind=kind, dates=dates, start=start))
            added += 1
    # Heat-cost allocators (not subject to legal verification), read at each quarter's end.
    quarters = [installed, *(day for day in months[1:] if day.month in (3, 6, 9, 12))]
    for serial, location, share in (("ITN-71004521", "pokój dzienny", 1.0), ("ITN-71004522", "sypialnia", 0.7)):
        meter, created = _meter(unit=flat, kind=Meter.Kind.HEAT_ALLOCATOR, serial=serial, location=location,
                                installed_on=installed, verified_until=None)
        if created:
            values, value = [], 0
            for index, day in enumerate(quarters):
                if index:
                    value += round(ALLOCATOR_PER_QUARTER[(day.month - 1) // 3 + 1] * share * rng.uniform(0.85, 1.15))
                values.append(value)
            _accepted(meter, quarters, values)
            added += 1
    if added:
        log.append(f"{added} meters with readings for {flat}")
    log += _neighbours(flat=flat, today=today, months=months[-12:])
    if not ReadingWindow.objects.filter(starts_on__lte=today, ends_on__gte=today).exists():
        window = ReadingWindow.objects.create(
            starts_on=today - datetime.timedelta(days=4), ends_on=today + datetime.timedelta(days=10),
            note="Prosimy o podanie stanu wodomierzy i podzielników ciepła.", notified_at=timezone.now())
        log.append(f"reading window {window}")
    return log


def _neighbours(*, flat: Unit, today: datetime.date, months: list[datetime.date]) -> list[str]:
    """Three neighbours on the same staircase whose own readings await the office."""
    neighbours = list(Unit.objects.filter(building=flat.building, kind=Unit.Kind.FLAT).exclude(pk=flat.pk)
                      .order_by("pk")[:3])
    added = 0
    for index, unit in enumerate(neighbours):
        rng = random.Random(f"neighbour-{unit.pk}")  # noqa: S311
        for offset, kind in enumerate((Meter.Kind.COLD_WATER, Meter.Kind.HOT_WATER)):
            meter, created = _meter(unit=unit, kind=kind, serial=f"AP-22-{4610000 + unit.pk * 2 + offset}",
                                    location="łazienka", installed_on=datetime.date(2022, 5, 10),
                                    verified_until=datetime.date(2027, 5, 10))
            if not created:
                continue
            values = _water_readings(rng, kind=kind, dates=months, start=Decimal(50 + index * 17))
            _accepted(meter, months, values)
            # The third neighbour's cold water reading looks high: the office should check it.
            unusual = index == 2 and kind == Meter.Kind.COLD_WATER
            usage = WATER_PER_MONTH[kind] * (Decimal("6") if unusual else 1)
            Reading.objects.create(meter=meter, read_on=today - datetime.timedelta(days=2 - index % 2),
                                   value=values[-1] + usage.quantize(Decimal("0.001")),
                                   source=Reading.Source.RESIDENT, status=Reading.Status.SUBMITTED,
                                   unusual_confirmed=unusual)
            added += 1
    return [f"{added} neighbours' meters with readings awaiting acceptance"] if added else []
