"""The demo of DESIGN.md §4, loaded idempotently by `make run` (manage.py load_demo).

Tests, the README and the browser checks rely on these hosts, logins and passwords. Every step
creates only what is missing, so running it again changes nothing.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django_tenants.utils import schema_context

from tenants_portal.accounts.models import User
from tenants_portal.registry.models import Building, Estate, Office, Unit

from .models import Cooperative
from .services import cooperative_create


@dataclass(frozen=True)
class DemoLogin:
    login: str
    password: str
    role: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    must_change_password: bool = False


@dataclass(frozen=True)
class DemoOffice:
    name: str
    street: str
    postal_code: str
    phone: str
    email: str
    hours: str


@dataclass(frozen=True)
class DemoEstate:
    name: str
    office: str
    postal_code: str
    # (street, first number, buildings, flats per building, garages per building)
    streets: tuple[tuple[str, int, int, int, int], ...]


@dataclass(frozen=True)
class DemoCooperative:
    slug: str
    name: str
    street: str
    postal_code: str
    city: str
    admin_email: str
    logins: tuple[DemoLogin, ...]
    offices: tuple[DemoOffice, ...]
    estates: tuple[DemoEstate, ...]


OPERATOR = DemoLogin("operator", "operator-demo-2026", User.Role.OPERATOR, "Olga", "Operatorska",
                     "operator@iok.example")

HOURS = "pon. 8:00–17:00\nwt.–czw. 7:00–15:00\npt. 7:00–13:00"

HUTNIK = DemoCooperative(
    slug="hutnik",
    name="Spółdzielnia Mieszkaniowa „Hutnik”",
    street="ul. Gwiazdna 1e", postal_code="41-200", city="Sosnowiec",
    admin_email="zarzad@hutnik.example",
    logins=(
        DemoLogin("admin", "hutnik-admin-2026", User.Role.ADMIN, "Anna", "Zarządzka", "admin@hutnik.example"),
        DemoLogin("biuro", "hutnik-biuro-2026", User.Role.CLERK, "Barbara", "Biurowa", "biuro@hutnik.example"),
        DemoLogin("lokator", "Lokator2026", User.Role.RESIDENT, "Jan", "Kowalski", "jan.kowalski@example.com"),
        DemoLogin("nowy", "Start2026", User.Role.RESIDENT, "Zofia", "Nowak", "zofia.nowak@example.com",
                  must_change_password=True),
    ),
    offices=(
        DemoOffice("Administracja Osiedla Środula", "ul. Zofii Nałkowskiej 12", "41-214", "32 290 11 10",
                   "srodula@hutnik.example", HOURS),
        DemoOffice("Administracja Osiedla Zagórze", "ul. Wawel 5", "41-219", "32 290 11 20",
                   "zagorze@hutnik.example", HOURS),
        DemoOffice("Administracja Osiedla Pogoń", "ul. Gwiazdna 1e", "41-200", "32 290 11 30",
                   "pogon@hutnik.example", HOURS),
    ),
    estates=(
        DemoEstate("Osiedle Środula", "Administracja Osiedla Środula", "41-214", (
            ("ul. Zofii Nałkowskiej", 2, 8, 60, 4),
            ("ul. Marii Konopnickiej", 1, 6, 45, 4),
        )),
        DemoEstate("Osiedle Zagórze", "Administracja Osiedla Zagórze", "41-219", (
            ("ul. Wawel", 1, 7, 55, 4),
            ("ul. Kazimierza Wielkiego", 10, 7, 40, 0),
        )),
        DemoEstate("Osiedle Pogoń", "Administracja Osiedla Pogoń", "41-200", (
            ("ul. Gwiazdna", 3, 5, 30, 2),
            ("ul. Mikołaja Reja", 4, 8, 36, 2),
        )),
    ),
)

ZAKATEK = DemoCooperative(
    slug="zakatek",
    name="Spółdzielnia Mieszkaniowa „Zielony Zakątek”",
    street="ul. Leśna 8", postal_code="20-601", city="Lublin",
    admin_email="zarzad@zakatek.example",
    logins=(
        DemoLogin("admin", "zakatek-admin-2026", User.Role.ADMIN, "Zenon", "Zakątkowski", "admin@zakatek.example"),
        DemoLogin("lokator", "zakatek-lokator-2026", User.Role.RESIDENT, "Maria", "Wiśniewska",
                  "maria.wisniewska@example.com"),
    ),
    offices=(
        DemoOffice("Administracja „Zielony Zakątek”", "ul. Leśna 8", "20-601", "81 440 20 00",
                   "administracja@zakatek.example", HOURS),
    ),
    estates=(
        DemoEstate("Osiedle Zielony Zakątek", "Administracja „Zielony Zakątek”", "20-601", (
            ("ul. Leśna", 10, 4, 48, 6),
            ("ul. Jodłowa", 2, 3, 40, 0),
        )),
    ),
)

DEMO_COOPERATIVES = (HUTNIK, ZAKATEK)


def _ensure_login(login: DemoLogin, *, replace_onboarding_admin: bool = False) -> bool:
    user = User.objects.filter(username=login.login).first()
    if user is not None and not replace_onboarding_admin:
        return False
    user = user or User(username=login.login)
    user.role, user.email = login.role, login.email
    user.first_name, user.last_name = login.first_name, login.last_name
    user.must_change_password = login.must_change_password
    user.set_password(login.password)
    user.save()
    return True


def _flat_area(index: int) -> Decimal:
    # Typical large-panel block sizes, repeating so the demo is the same on every machine.
    return Decimal(("35.40", "48.20", "52.70", "61.30", "38.90", "73.50")[index % 6])


def _ensure_registry(demo: DemoCooperative) -> int:
    offices = {}
    for office in demo.offices:
        offices[office.name], _ = Office.objects.get_or_create(
            name=office.name,
            defaults={"street": office.street, "postal_code": office.postal_code, "city": demo.city,
                      "phone": office.phone, "email": office.email, "opening_hours": office.hours},
        )
    new_units: list[Unit] = []
    for estate_demo in demo.estates:
        estate, _ = Estate.objects.get_or_create(name=estate_demo.name)
        for street, first_number, buildings, flats, garages in estate_demo.streets:
            for offset in range(buildings):
                building, created = Building.objects.get_or_create(
                    street=street, number=str(first_number + 2 * offset), city=demo.city,
                    defaults={"estate": estate, "office": offices[estate_demo.office],
                              "postal_code": estate_demo.postal_code},
                )
                if not created:
                    continue
                new_units += [Unit(building=building, number=str(n), kind=Unit.Kind.FLAT,
                                   area_m2=_flat_area(n)) for n in range(1, flats + 1)]
                new_units += [Unit(building=building, number=f"G{n}", kind=Unit.Kind.GARAGE,
                                   area_m2=Decimal("18.00")) for n in range(1, garages + 1)]
    Unit.objects.bulk_create(new_units, batch_size=2000)
    return len(new_units)


def demo_load(*, log=print) -> None:
    with schema_context("public"):
        if _ensure_login(OPERATOR):
            log(f"  operator login '{OPERATOR.login}' created")
    for demo in DEMO_COOPERATIVES:
        cooperative = Cooperative.objects.filter(slug=demo.slug).first()
        if cooperative is None:
            created = cooperative_create(name=demo.name, slug=demo.slug, admin_email=demo.admin_email,
                                         street=demo.street, postal_code=demo.postal_code, city=demo.city)
            cooperative = created.cooperative
            with schema_context(cooperative.schema_name):
                # The demo admin has a known password instead of the onboarding one-time password.
                admin = next(login for login in demo.logins if login.login == created.admin_login)
                _ensure_login(admin, replace_onboarding_admin=True)
            log(f"  {demo.name}: schema {cooperative.schema_name} created")
        with schema_context(cooperative.schema_name), transaction.atomic():
            for login in demo.logins:
                _ensure_login(login)
            added = _ensure_registry(demo)
            if added:
                log(f"  {demo.name}: {added} units added")
