"""Demo data of the matters module, in Hutnik: a few matters of `lokator` (and `nowy`) in different states, and a
certificate of no arrears issued for lokator's garage.

The garage is paid by a standing order every month (demo.ledger), so once the latest order is booked it owes
nothing and `lokator` can ask for a new certificate for it; the demo's certificate was issued on the last day of
the latest month whose end found the balance nil (checked here: no certificate is made up for a day in arrears)."""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from tenants_portal.accounts.models import User
from tenants_portal.registry.models import Unit

from .models import Certificate, Matter, MatterEntry, MatterTopic, TopicKind
from .selectors import unit_arrears
from .services import certificate_code_new, register_number_next, unit_address_line


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _entry(matter: Matter, kind: str, author: User | None, at: datetime.datetime, text: str = "",
           status_from: str = "", status_to: str = "") -> None:
    MatterEntry.objects.create(matter=matter, kind=kind, author=author, author_name=_name(author) if author else "",
                               text=text, status_from=status_from, status_to=status_to, created_at=at)


def _matter(*, resident: User, unit: Unit, kind: str, subject: str, description: str, fields: dict,
            received: datetime.datetime, story: Callable[[Matter], None]) -> bool:
    """The matter unless it exists already (by resident and subject), numbered in its year's register."""
    if Matter.objects.filter(resident=resident, subject=subject).exists():
        return False
    topic = MatterTopic.objects.filter(kind=kind).order_by("sort_order").first()
    if topic is None:
        return False
    day = timezone.localdate(received)
    with transaction.atomic():
        matter = Matter.objects.create(
            year=day.year, number=register_number_next(year=day.year), topic=topic, kind=kind, resident=resident,
            resident_name=_name(resident), unit=unit, office=unit.building.office, subject=subject,
            description=description, fields=fields, received_at=received,
            due_on=day + datetime.timedelta(days=topic.due_days))
        _entry(matter, MatterEntry.Kind.RECEIVED, resident, received, description, status_to=matter.status)
        story(matter)
    return True


def _move(matter: Matter, author: User | None, at: datetime.datetime, status: str, outcome: str = "",
          text: str = "") -> None:
    _entry(matter, MatterEntry.Kind.STATUS, author, at, text, status_from=matter.status, status_to=status)
    matter.status, matter.outcome = status, outcome
    matter.closed_at = at if status == Matter.Status.CLOSED else None
    Matter.objects.filter(pk=matter.pk).update(status=status, outcome=outcome, closed_at=matter.closed_at,
                                               updated_at=at)


def _hutnik(holdings: dict, today: datetime.date) -> int:
    units = holdings.get("lokator", [])
    flats = [unit for unit in units if unit.kind == Unit.Kind.FLAT]
    garages = [unit for unit in units if unit.kind == Unit.Kind.GARAGE]
    lokator = User.objects.filter(username="lokator").first()
    clerk = User.objects.filter(username="biuro").first() or User.objects.filter(username="admin").first()
    if not flats or lokator is None or clerk is None:
        return 0
    flat = flats[0]
    added = 0

    if garages:
        garage = garages[0]
        # The latest month's end (of the last three) on which the garage owed nothing.
        month_ends = [today.replace(day=1)]
        for _month in range(3):
            month_ends.append((month_ends[-1] - datetime.timedelta(days=1)).replace(day=1))
        as_of = next((start - datetime.timedelta(days=1) for start in month_ends
                      if not unit_arrears(unit=garage, on=start - datetime.timedelta(days=1)).in_arrears), None)
        if as_of is not None:
            def certificate(matter: Matter) -> None:
                issued = _at(as_of, 10, 20)
                Certificate.objects.create(
                    matter=matter, unit=garage, number=matter.register_number, unit_address=unit_address_line(garage),
                    holder_names=_name(lokator), as_of=as_of, code=certificate_code_new(), issued_at=issued,
                    issued_by=clerk)
                _entry(matter, MatterEntry.Kind.CERTIFICATE, clerk, issued, matter.register_number)
                _move(matter, clerk, issued, Matter.Status.CLOSED, Matter.Outcome.GRANTED)

            added += _matter(resident=lokator, unit=garage, kind=TopicKind.CERTIFICATE,
                             subject="Zaświadczenie o niezaleganiu w opłatach – garaż",
                             description="Zaświadczenie potrzebne do umowy najmu garażu.",
                             fields={"purpose": "do umowy najmu"}, received=_at(as_of, 8, 45), story=certificate)

    day = today - datetime.timedelta(days=9)

    def refund(matter: Matter) -> None:
        _move(matter, clerk, _at(day + datetime.timedelta(days=2), 9, 15), Matter.Status.WAITING,
              text="Proszę o przesłanie potwierdzenia przelewu z marca, którego dotyczy nadpłata.")

    added += _matter(resident=lokator, unit=flat, kind=TopicKind.REFUND, subject="Zwrot nadpłaty",
                     description="Zapłaciłem podwójnie opłatę za marzec; proszę o zwrot nadpłaty.",
                     fields={"account": "61109010140000071219812874", "account_holder": _name(lokator)},
                     received=_at(day, 18, 30), story=refund)

    day = today - datetime.timedelta(days=4)

    def question(matter: Matter) -> None:
        _entry(matter, MatterEntry.Kind.OFFICE_REPLY, clerk, _at(day + datetime.timedelta(days=1), 10, 5),
               "Dziękujemy za zgłoszenie. Przegląd instalacji gazowej w budynku zaplanowano na przyszły miesiąc; "
               "termin podamy w ogłoszeniu.")
        _move(matter, clerk, _at(day + datetime.timedelta(days=1), 10, 5), Matter.Status.IN_PROGRESS)
        Matter.objects.filter(pk=matter.pk).update(assigned_to=clerk)

    added += _matter(resident=lokator, unit=flat, kind=TopicKind.OTHER, subject="Termin przeglądu gazowego",
                     description="Kiedy odbędzie się w tym roku przegląd instalacji gazowej w naszym budynku?",
                     fields={}, received=_at(day, 20, 10), story=question)

    nowy_units = holdings.get("nowy", [])
    nowy = User.objects.filter(username="nowy").first()
    if nowy_units and nowy is not None:
        day = today - datetime.timedelta(days=1)
        start = today + datetime.timedelta(days=20)
        added += _matter(resident=nowy, unit=nowy_units[0], kind=TopicKind.RENOVATION,
                         subject="Zgoda na remont lub przebudowę lokalu",
                         description="Planuję remont łazienki.",
                         fields={"scope": "Wymiana glazury i armatury w łazience, bez zmian w pionach.",
                                 "date_from": start.isoformat(),
                                 "date_to": (start + datetime.timedelta(days=14)).isoformat()},
                         received=_at(day, 12, 0), story=lambda matter: None)
    return added


def demo_ensure(*, slug: str, holdings: dict, today: datetime.date) -> list[str]:
    """Create this module's demo data for the cooperative (idempotent); returns lines for the log."""
    if slug != "hutnik":
        return []
    added = _hutnik(holdings, today)
    return [f"matters: {added} matters"] if added else []
