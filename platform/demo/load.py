"""The demo (the README's “The demo”), loaded idempotently by `make run` (manage.py load_demo).

Tests, the README and the browser checks rely on these hosts, logins and passwords. Every step
creates only what is missing, so running it again changes nothing.
"""

import base64
import datetime
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.models import Cooperative, Domain
from operators.services import cooperative_create
from tenants_portal.access.services import account_create
from tenants_portal.accounts.models import User
from tenants_portal.accounts.second_factor import totp_device_of, totp_enrol_published_secret
from tenants_portal.announcements import demo as announcements_demo
from tenants_portal.configuration.models import InstanceSettings, OldLink
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.documents import demo as documents_demo
from tenants_portal.failures import demo as failures_demo
from tenants_portal.matters import demo as matters_demo
from tenants_portal.meters import demo as meters_demo
from tenants_portal.online_payments import demo as online_payments_demo
from tenants_portal.registry.models import Building, Estate, LegalTitle, Office, Person, Unit
from tenants_portal.regulation.models import ConsentPurpose, RegulationAcceptance, RegulationVersion
from tenants_portal.regulation.services import regulation_publish

from .fee_changes import fee_changes_demo_ensure
from .ledger import ledger_demo_ensure
from .people import people_fill

DEMO_DATA = Path(__file__).resolve().parent / "data"
MODULE_DEMOS = (meters_demo.demo_ensure, failures_demo.demo_ensure, announcements_demo.demo_ensure,
                documents_demo.demo_ensure, online_payments_demo.demo_ensure, matters_demo.demo_ensure)


@dataclass(frozen=True)
class DemoLogin:
    login: str
    password: str
    role: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    must_change_password: bool = False
    # A published TOTP secret (base32) for the demo's second factor: `oathtool --totp -b SECRET` gives the code.
    totp_secret: str = ""


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
class DemoHolding:
    """A demo login's legal title: (street, building number, unit number) in the cooperative's city."""

    login: str
    street: str
    building: str
    unit: str
    kind: str
    since: datetime.date


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
    policy: dict = field(default_factory=dict)
    regulation: tuple[str, str] = ("", "")
    holdings: tuple[DemoHolding, ...] = ()
    # Its own address (the label before BASE_DOMAIN: "iok.smhutnik" is iok.smhutnik.localhost in `make run`),
    # verified and primary; and its old portal's links (old path, new path).
    own_domain_label: str = ""
    old_links: tuple[tuple[str, str], ...] = ()


OPERATOR = DemoLogin("operator", "operator-demo-2026", User.Role.OPERATOR, "Olga", "Operatorska",
                     "operator@iok.example", totp_secret="OPERATORDEMOTOTPSECRETKEYAAAAAAA")  # noqa: S106 - published

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
    # Regulation point 8: at least 6 characters with a letter and a digit.
    policy={"password_min_length": 6, "password_require_letter": True, "password_require_digit": True,
            "password_refuse_common": True, "password_refuse_personal": True, "password_history": 3,
            # A made-up NIP with a valid check digit, for the payment QR codes.
            "payment_nip": "6441001003",
            # Off, so that admin and biuro sign in with passwords alone (and the admin sees the warning).
            "staff_second_factor_required": False,
            # On, with PayU on the gateway simulator of `make run` (tenants_portal/online_payments/demo.py).
            "module_online_payments": True,
            # Fee-change notices: two draft changes for lokator's building (demo/fee_changes.py).
            "module_fee_notices": True,
            # Matters with the office: a few of lokator's, a certificate for the garage (matters/demo.py).
            "module_matters": True},
    regulation=("Regulamin użytkowania konta IOK w systemie S.M. Hutnik", "regulamin-iok-hutnik.txt"),
    # The regulation (point 9) gives https://iok.smhutnik.pl/InetObsKontr/LoginPage as the address.
    own_domain_label="iok.smhutnik",
    old_links=(("/InetObsKontr/LoginPage", "/logowanie/"),),
    holdings=(
        DemoHolding("lokator", "ul. Wawel", "1", "12", LegalTitle.Kind.COOPERATIVE_OWNERSHIP,
                    datetime.date(2014, 3, 1)),
        DemoHolding("lokator", "ul. Wawel", "1", "G1", LegalTitle.Kind.LEASE, datetime.date(2016, 6, 1)),
        DemoHolding("nowy", "ul. Zofii Nałkowskiej", "4", "7", LegalTitle.Kind.OWNERSHIP, datetime.date(2026, 10, 1)),
    ),
)

ZAKATEK = DemoCooperative(
    slug="zakatek",
    name="Spółdzielnia Mieszkaniowa „Zielony Zakątek”",
    street="ul. Leśna 8", postal_code="20-601", city="Lublin",
    admin_email="zarzad@zakatek.example",
    logins=(
        DemoLogin("admin", "zakatek-admin-2026", User.Role.ADMIN, "Zenon", "Zakątkowski", "admin@zakatek.example",
                  totp_secret="ZAKATEKADMINDEMOTOTPSECRETAAAAAA"),  # noqa: S106 - published
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
    # NIST SP 800-63B style: length, no composition rules.
    policy={"password_min_length": 12, "password_refuse_common": True, "password_refuse_personal": True,
            "module_meters": False, "module_online_payments": False, "staff_second_factor_required": True},
    regulation=("Regulamin Internetowej Obsługi Kontrahenta SM „Zielony Zakątek”", "regulamin-iok-zakatek.md"),
    holdings=(
        DemoHolding("lokator", "ul. Leśna", "12", "5", LegalTitle.Kind.OWNERSHIP, datetime.date(2019, 9, 1)),
    ),
)

DEMO_COOPERATIVES = (HUTNIK, ZAKATEK)

CONSENT_PURPOSES = (
    ("informacje-o-wydarzeniach", "Informacje o wydarzeniach i inwestycjach",
     "Wyrażam zgodę na przesyłanie przez Spółdzielnię na mój adres e-mail informacji o wydarzeniach, zebraniach "
     "i planowanych inwestycjach na moim osiedlu. Zgodę mogę w każdej chwili wycofać."),
    ("ankiety", "Ankiety dotyczące jakości obsługi",
     "Wyrażam zgodę na kontakt telefoniczny lub e-mailowy w celu przeprowadzenia ankiety o jakości obsługi "
     "mieszkańców. Zgodę mogę w każdej chwili wycofać."),
)


def regulation_markdown_from_plain(text: str) -> str:
    """The seed regulation is plain text: each numbered point starts a list item (a blank line before
    it, since a list cannot interrupt a paragraph) and its dashed sub-points nest under it."""
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            lines.append(f"    - {stripped[2:].strip()}")
        elif re.match(r"^\d+\.\s", stripped):
            lines += ["", stripped]
        else:
            lines.append(stripped)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _ensure_configuration(demo: DemoCooperative) -> None:
    InstanceSettings.objects.update_or_create(pk=1, defaults=demo.policy)
    instance_settings_forget()
    title, filename = demo.regulation
    if filename and not RegulationVersion.objects.exists():
        text = (DEMO_DATA / filename).read_text(encoding="utf-8")
        if filename.endswith(".txt"):
            lines = text.strip().splitlines()
            text = regulation_markdown_from_plain("\n".join(lines[1:]))  # the first line is the title
        regulation_publish(title=title, text=text, acting_user=None)
    for code, purpose_title, wording in CONSENT_PURPOSES:
        ConsentPurpose.objects.get_or_create(code=code, defaults={"title": purpose_title, "wording": wording})


def _ensure_acceptances(demo: DemoCooperative) -> None:
    """Active demo residents have accepted the current regulation; `nowy` has not."""
    regulation = RegulationVersion.objects.order_by("-version").first()
    if regulation is None:
        return
    for login in demo.logins:
        if login.role == User.Role.RESIDENT and not login.must_change_password:
            RegulationAcceptance.objects.get_or_create(user=User.objects.get(username=login.login),
                                                       regulation=regulation)


def _ensure_holdings(demo: DemoCooperative) -> dict[str, list[Unit]]:
    held: dict[str, list[Unit]] = {}
    for holding in demo.holdings:
        account = User.objects.get(username=holding.login)
        unit = Unit.objects.get(building__street=holding.street, building__number=holding.building,
                                building__city=demo.city, number=holding.unit)
        person = Person.objects.filter(account=account).first()
        if person is None:
            person = Person.objects.create(first_name=account.first_name, last_name=account.last_name,
                                           external_id=f"{demo.slug.upper()}-{holding.login.upper()}", account=account)
        if not LegalTitle.objects.filter(person=person, unit=unit).exists():
            # The demo login replaces whoever the generator put there.
            LegalTitle.objects.filter(unit=unit).exclude(person=person).delete()
            LegalTitle.objects.create(person=person, unit=unit, kind=holding.kind, start_date=holding.since)
        held.setdefault(holding.login, []).append(unit)
    return held


def _ensure_confirmed_addresses(demo: DemoCooperative) -> None:
    """Active demo residents have confirmed their address, so announcements reach the mail catcher of make run."""
    residents = [login.login for login in demo.logins
                 if login.role == User.Role.RESIDENT and login.email and not login.must_change_password]
    User.objects.filter(username__in=residents, email_verified_at__isnull=True).update(
        email_verified_at=timezone.now())


def _ensure_login(login: DemoLogin, *, replace_onboarding_admin: bool = False) -> bool:
    user = User.objects.filter(username=login.login).first()
    if user is not None and not replace_onboarding_admin:
        return False
    if user is None:
        # Created as every login is; its one-time password is replaced at once by the published one below.
        user = account_create(acting_user=None, login=login.login, role=login.role, first_name=login.first_name,
                              last_name=login.last_name, email=login.email).account
    user.role, user.email = login.role, login.email
    user.first_name, user.last_name = login.first_name, login.last_name
    user.must_change_password = login.must_change_password
    user.set_password(login.password)
    user.save()
    return True


def _ensure_totp(login: DemoLogin) -> bool:
    """The login's second factor is the published secret (enrolled as anyone enrols: a code, then recovery codes)."""
    if not login.totp_secret:
        return False
    user = User.objects.get(username=login.login)
    key = base64.b32decode(login.totp_secret).hex()
    device = totp_device_of(user=user)
    if device is not None and device.key == key:
        return False
    totp_enrol_published_secret(user=user, key=key)
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


class DemoRefused(RuntimeError):
    """The demo's well-known logins (an operator among them) must never reach a production database."""


def demo_own_domain(demo: DemoCooperative) -> str:
    return f"{demo.own_domain_label}.{settings.BASE_DOMAIN}" if demo.own_domain_label else ""


def _ensure_own_domain(demo: DemoCooperative, cooperative: Cooperative) -> str:
    """The demo's own address, marked verified directly: a name under BASE_DOMAIN (*.localhost resolves to
    loopback in browsers) has no DNS records to check. A real cooperative's goes through
    tenants_portal.configuration.domains. The old links go with it."""
    name = demo_own_domain(demo)
    if name:
        domain, created = Domain.objects.get_or_create(domain=name, defaults={
            "tenant": cooperative, "state": Domain.State.VERIFIED, "verified_at": timezone.now(),
            "verification_token": secrets.token_hex(16), "is_primary": True})
        if domain.tenant_id == cooperative.pk and not (domain.is_primary and domain.is_verified):
            domain.state, domain.is_primary = Domain.State.VERIFIED, True
            domain.save()
        name = name if created else ""
    for from_path, to_path in demo.old_links:
        OldLink.objects.get_or_create(from_path=from_path, defaults={"to_path": to_path})
    return name


def demo_load(*, log=print) -> None:
    if not settings.DEMO_ALLOWED:
        raise DemoRefused("The demo is not loaded under production settings: it creates logins whose passwords "
                          "are published (set DEMO_ALLOWED=true only for a throw-away installation).")
    with schema_context("public"):
        if _ensure_login(OPERATOR):
            log(f"  operator login '{OPERATOR.login}' created")
        if _ensure_totp(OPERATOR):
            log(f"  operator's second factor: TOTP secret {OPERATOR.totp_secret}")
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
                _ensure_totp(login)
            _ensure_confirmed_addresses(demo)
            added = _ensure_registry(demo)
            if added:
                log(f"  {demo.name}: {added} units added")
            _ensure_configuration(demo)
            if own := _ensure_own_domain(demo, cooperative):
                log(f"  {demo.name}: own address {own}, verified and primary")
            holdings = _ensure_holdings(demo)
            _ensure_acceptances(demo)
            people = people_fill(slug=demo.slug)
            if people:
                log(f"  {demo.name}: {people} residents with legal titles added")
            for run in ledger_demo_ensure(slug=demo.slug, holdings=holdings, today=timezone.localdate()):
                log(f"  {demo.name}: {run.filename} — {run.get_status_display()}: {run.message}")
            for module_demo in MODULE_DEMOS:
                for line in module_demo(slug=demo.slug, holdings=holdings, today=timezone.localdate()):
                    log(f"  {demo.name}: {line}")
            for line in fee_changes_demo_ensure(slug=demo.slug, holdings=holdings, today=timezone.localdate()):
                log(f"  {demo.name}: {line}")
