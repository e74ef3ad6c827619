"""Demo data of the failures module: categories and emergency numbers for both cooperatives, and in
Hutnik a technician and a few reports (two of `lokator`: one resolved with its history, one in progress)."""

import datetime

from django.utils import timezone

from tenants_portal.accounts.models import User
from tenants_portal.registry.models import LegalTitle, Person, Unit

from .models import EmergencyContact, FailureCategory, FailureEvent, FailureReport

CATEGORIES = ("woda/kanalizacja", "c.o./ogrzewanie", "elektryka", "gaz", "winda", "domofon", "stolarka/okna",
              "dach/elewacja", "inne")

CONTACTS = {
    "hutnik": (
        ("Pogotowie gazowe", "992", "Zapach gazu: wyjdź z mieszkania, nie używaj włączników, zadzwoń z zewnątrz."),
        ("Pogotowie wodociągowo-kanalizacyjne", "994", "Awaria sieci wodociągowej lub kanalizacyjnej, brak wody."),
        ("Pogotowie energetyczne", "991", "Brak prądu w budynku lub na osiedlu, zerwana linia."),
        ("Pogotowie dźwigowe (konserwator wind)", "32 290 11 22", "Osoba uwięziona w windzie, winda stoi."),
        ("Pogotowie techniczne S.M. „Hutnik” (całą dobę)", "32 290 11 00",
         "Zalanie, pęknięta rura, awaria c.o. — po godzinach pracy administracji."),
    ),
    "zakatek": (
        ("Pogotowie gazowe", "992", "Zapach gazu: wyjdź z mieszkania, nie używaj włączników, zadzwoń z zewnątrz."),
        ("Pogotowie wodociągowo-kanalizacyjne", "994", "Awaria sieci wodociągowej lub kanalizacyjnej, brak wody."),
        ("Pogotowie energetyczne", "991", "Brak prądu w budynku lub na osiedlu."),
        ("Pogotowie dźwigowe", "81 440 20 98", "Osoba uwięziona w windzie, winda stoi."),
        ("Pogotowie techniczne SM „Zielony Zakątek” (całą dobę)", "81 440 20 99",
         "Zalanie, pęknięta rura, awaria c.o. — po godzinach pracy administracji."),
    ),
}

TECHNICIAN = ("konserwator", "Krzysztof", "Nowicki")


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _categories() -> int:
    created = 0
    for order, name in enumerate(CATEGORIES):
        created += FailureCategory.objects.get_or_create(name=name, defaults={"sort_order": order})[1]
    return created


def _contacts(slug: str) -> int:
    created = 0
    for order, (name, phone, description) in enumerate(CONTACTS.get(slug, ())):
        created += EmergencyContact.objects.get_or_create(
            name=name, phone=phone, defaults={"description": description, "sort_order": order})[1]
    return created


def _technician() -> User:
    login, first_name, last_name = TECHNICIAN
    user = User.objects.filter(username=login).first()
    if user is None:
        # No password: the demo's technician is someone to assign reports to, not a login.
        user = User(username=login, role=User.Role.TECHNICIAN, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save()
    return user


def _neighbours(flat: Unit, count: int) -> list[tuple[User, Unit]]:
    """Accounts (no password) for a few people living in lokator's building, to report as well."""
    from tenants_portal.access.services import login_suggest

    titles = (LegalTitle.objects.filter(unit__building=flat.building, unit__kind=Unit.Kind.FLAT, end_date__isnull=True)
              .exclude(unit=flat).select_related("person__account", "unit").order_by("unit__number", "id"))
    found: list[tuple[User, Unit]] = []
    seen: set[int] = set()
    for title in titles:
        person: Person = title.person
        if person.pk in seen or (person.account is not None and not person.account.is_resident):
            continue
        seen.add(person.pk)
        account = person.account
        if account is None:
            account = User(username=login_suggest(person=person), role=User.Role.RESIDENT,
                           first_name=person.first_name, last_name=person.last_name)
            account.set_unusable_password()
            account.save()
            person.account = account
            person.save(update_fields=["account"])
        found.append((account, title.unit))
        if len(found) == count:
            break
    return found


def _event(report: FailureReport, kind: str, author: User | None, at: datetime.datetime, *, text: str = "",
           status_from: str = "", status_to: str = "") -> None:
    FailureEvent.objects.create(report=report, kind=kind, author=author, created_at=at, text=text,
                                author_name=(author.get_full_name() or author.username) if author else "",
                                status_from=status_from, status_to=status_to)


def _report(*, reporter: User, category: str, description: str, created: datetime.datetime, unit: Unit | None = None,
            building=None, common_area: str = "", place_detail: str = "",
            urgency: str = FailureReport.Urgency.NORMAL) -> FailureReport | None:
    """The report unless it exists already (by reporter and description); None when it did."""
    if FailureReport.objects.filter(reporter=reporter, description=description).exists():
        return None
    report = FailureReport.objects.create(
        reporter=reporter, category=FailureCategory.objects.get(name=category), unit=unit,
        building=unit.building if unit else building, common_area=common_area, place_detail=place_detail,
        description=description, urgency=urgency, created_at=created,
        emergency_numbers_confirmed=urgency != FailureReport.Urgency.NORMAL)
    _event(report, FailureEvent.Kind.CREATED, reporter, created, status_to=FailureReport.Status.NEW)
    return report


def _move(report: FailureReport, author: User, at: datetime.datetime, status: str, text: str = "") -> None:
    _event(report, FailureEvent.Kind.STATUS, author, at, text=text, status_from=report.status, status_to=status)
    report.status = status
    FailureReport.objects.filter(pk=report.pk).update(status=status, updated_at=at)


def _assign(report: FailureReport, author: User, at: datetime.datetime, assignee: User) -> None:
    _event(report, FailureEvent.Kind.ASSIGNED, author, at, text=assignee.get_full_name() or assignee.username)
    FailureReport.objects.filter(pk=report.pk).update(assigned_to=assignee, updated_at=at)


def _hutnik_reports(holdings: dict, today: datetime.date) -> int:
    flats = [unit for unit in holdings.get("lokator", []) if unit.kind == Unit.Kind.FLAT]
    if not flats:
        return 0
    flat = flats[0]
    lokator = User.objects.get(username="lokator")
    clerk = User.objects.filter(username="biuro").first() or User.objects.get(username="admin")
    technician = _technician()
    added = 0
    Status, Kind = FailureReport.Status, FailureEvent.Kind

    day = today - datetime.timedelta(days=41)
    report = _report(reporter=lokator, category="woda/kanalizacja", unit=flat, created=_at(day, 19, 12),
                     description="Cieknie syfon pod zlewem w kuchni, pod szafką stoi woda. Podstawiłem miskę, "
                                 "zawór pod zlewem zakręcony.")
    if report is not None:
        added += 1
        _move(report, clerk, _at(day + datetime.timedelta(days=1), 8, 5), Status.ACCEPTED)
        _assign(report, clerk, _at(day + datetime.timedelta(days=1), 8, 6), technician)
        _move(report, technician, _at(day + datetime.timedelta(days=1), 10, 30), Status.IN_PROGRESS)
        _event(report, Kind.COMMENT, technician, _at(day + datetime.timedelta(days=1), 10, 35),
               text="Proszę o dostęp do mieszkania jutro między 9 a 11, wymienię syfon i uszczelkę.")
        _event(report, Kind.COMMENT, lokator, _at(day + datetime.timedelta(days=1), 18, 2),
               text="Będę w domu, zapraszam.")
        _move(report, technician, _at(day + datetime.timedelta(days=2), 10, 15), Status.RESOLVED,
              "Wymieniono syfon zlewozmywakowy i uszczelkę. Szczelność sprawdzona, szafka do przesuszenia.")

    day = today - datetime.timedelta(days=3)
    report = _report(reporter=lokator, category="winda", building=flat.building,
                     common_area=FailureReport.CommonArea.LIFT, place_detail="winda osobowa, klatka I",
                     urgency=FailureReport.Urgency.URGENT, created=_at(day, 7, 40),
                     description="Winda zatrzymuje się między 3. a 4. piętrem i drzwi się nie otwierają; po chwili "
                                 "rusza dalej. Nikt nie został uwięziony, ale sytuacja powtarza się od wczoraj.")
    if report is not None:
        added += 1
        _move(report, clerk, _at(day, 8, 10), Status.ACCEPTED)
        _assign(report, clerk, _at(day, 8, 11), technician)
        _move(report, technician, _at(day, 11, 0), Status.IN_PROGRESS,
              "Serwis dźwigów zamówił czujnik poziomu kabiny, montaż po dostawie części.")

    neighbours = _neighbours(flat, 3)
    others = (
        ("c.o./ogrzewanie", "Grzejnik w pokoju od strony podwórza jest zimny, pozostałe grzeją. Odpowietrzanie "
                            "nie pomogło.", None, "", 6, Status.NEW),
        ("elektryka", "Na klatce schodowej nie świeci oświetlenie na 2. piętrze, czujnik ruchu nie reaguje.",
         FailureReport.CommonArea.STAIRCASE, "klatka I, 2. piętro", 2, Status.ACCEPTED),
        ("stolarka/okna", "Okno w kuchni nie domyka się, zawias się wyrobił i skrzydło opada.", None, "", 12,
         Status.REJECTED),
    )
    for (account, unit), spec in zip(neighbours, others, strict=False):
        category, description, area, detail, days_ago, status = spec
        day = today - datetime.timedelta(days=days_ago)
        report = _report(reporter=account, category=category, description=description, created=_at(day, 16, 20),
                         unit=None if area else unit, building=unit.building, common_area=area or "",
                         place_detail=detail)
        if report is None:
            continue
        added += 1
        if status == Status.ACCEPTED:
            _move(report, clerk, _at(day + datetime.timedelta(days=1), 9, 0), status)
        elif status == Status.REJECTED:
            _move(report, clerk, _at(day + datetime.timedelta(days=1), 9, 30), status,
                  "Okna w lokalu należą do lokatora (wymienione w 2012 r.): naprawa we własnym zakresie.")
    return added


def demo_ensure(*, slug: str, holdings: dict, today: datetime.date) -> list[str]:
    """Create this module's demo data for the cooperative (idempotent); returns lines for the log."""
    lines = []
    categories, contacts = _categories(), _contacts(slug)
    if categories or contacts:
        lines.append(f"failures: {categories} categories, {contacts} emergency contacts")
    if slug == "hutnik":
        reports = _hutnik_reports(holdings, today)
        if reports:
            lines.append(f"failures: {reports} reports")
    return lines
