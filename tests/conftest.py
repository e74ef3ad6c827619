"""The shared base: two cooperatives and, in each, an admin, a resident and an outsider.

The cooperatives are created once per test database (kept between runs with --reuse-db) through
the same service operators use; each test then runs in a transaction that is rolled back.
"""

import datetime
import hashlib
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_redis import get_redis_connection
from django_tenants.utils import schema_context

from billing_views.models import ChargeComponent
from cooperatives.models import Cooperative
from cooperatives.routing import routes_forget_local
from demo.ledger import nrb_for
from operators.services import cooperative_create
from tenants_portal.accounts.models import User
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.registry.models import Building, Estate, LegalTitle, Office, Person, Unit
from tenants_portal.regulation.models import RegulationAcceptance
from tenants_portal.regulation.services import regulation_publish


def pytest_configure(config):
    """Refuse to run when --dist loadgroup would not group: tests of one xdist_group share a worker's
    cooperative, Celery queue or browser stack, and split over two workers they fail at random.

    pytest-xdist 3.8 marks a grouped test by adding "@group" to its node id; pytest 9.2 stopped honouring
    that, silently (pytest-xdist #1386). pyproject.toml pins pytest below 9.2; this says why if it moves."""
    from importlib.metadata import version

    from packaging.version import Version

    if config.getoption("dist", "no") != "loadgroup":
        return
    if Version(version("pytest")) >= Version("9.2") and Version(version("pytest-xdist")) <= Version("3.8.0"):
        raise pytest.UsageError("pytest >= 9.2 with pytest-xdist <= 3.8 does not group tests with --dist loadgroup "
                                "(pytest-xdist #1386): install the versions requirements-dev.lock pins.")


PASSWORD = "correct-horse-42"
# RFC 6238's test secret ("12345678901234567890"), as django-otp stores it (hex).
TOTP_KEY = "3132333435363738393031323334353637383930"


def totp_code(key: str = TOTP_KEY) -> str:
    """The current code of an authenticator app holding `key` (the test's clock; time-machine moves it)."""
    return f"{totp(bytes.fromhex(key)):06d}"


def totp_device_give(user: User, key: str = TOTP_KEY) -> TOTPDevice:
    """`user` has set up an authenticator app with `key` (in the schema the connection is on)."""
    return TOTPDevice.objects.create(user=user, name="TOTP", key=key, confirmed=True)


def sign_in_with_code(client: Client, *, username: str, password: str = PASSWORD, key: str = TOTP_KEY) -> Client:
    """Password, then the second step's code; asserts both steps passed."""
    response = client.post("/logowanie/", {"username": username, "password": password})
    assert response["Location"] == "/logowanie/drugi-krok/", response.content.decode()[:500]
    response = client.post("/logowanie/drugi-krok/", {"code": totp_code(key)})
    assert response.status_code == 302, response.content.decode()[:800]
    return client


@dataclass(frozen=True)
class CooperativeFixture:
    cooperative: Cooperative
    host: str
    admin: User
    clerk: User
    technician: User
    resident: User
    outsider: User

    @property
    def schema_name(self) -> str:
        return self.cooperative.schema_name

    def client(self) -> Client:
        return Client(HTTP_HOST=self.host)

    def client_logged_in_as(self, user: User, password: str = PASSWORD) -> Client:
        client = self.client()
        response = client.post("/logowanie/", {"username": user.username, "password": password})
        assert response.status_code == 302, response.content.decode()[:500]
        return client

    def use(self):
        """Run ORM code in this cooperative's schema: `with coop_a.use(): ...`"""
        return schema_context(self.schema_name)


BASE = {
    # Alfa has Hutnik's policy, Beta Zakątek's, as in the demo.
    # Both with the staff's second factor off (onboarding turns it on): tests about it turn it on.
    "alfa": {"name": "Spółdzielnia Mieszkaniowa „Alfa”", "city": "Sosnowiec", "street": "ul. Hutnicza 1",
             "policy": {"password_min_length": 6, "password_require_letter": True, "password_require_digit": True,
                        "password_history": 3, "staff_second_factor_required": False}},
    "beta": {"name": "Spółdzielnia Mieszkaniowa „Beta”", "city": "Lublin", "street": "ul. Leśna 2",
             "policy": {"password_min_length": 12, "module_meters": False, "staff_second_factor_required": False}},
}
REGULATION_TEXT = "1. Konto IOK służy do wglądu w rozrachunki.\n2. Hasła nie udostępnia się innym osobom."


def _user(username: str, role: str, first_name: str) -> User:
    user = User(username=username, role=role, first_name=first_name, last_name=first_name + "ska")
    user.set_password(PASSWORD)
    user.save()
    return user


# The base is rebuilt whenever this file changes, since a reused test database keeps the old one.
BASE_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _ensure_base_cooperative(slug: str) -> None:
    spec = BASE[slug]
    existing = Cooperative.objects.filter(slug=slug).first()
    if existing is not None and existing.street == f"{spec['street']} [{BASE_VERSION}]":
        return
    if existing is not None:
        existing.delete(force_drop=True)
    created = cooperative_create(name=spec["name"], slug=slug, admin_email=f"admin@{slug}.example",
                                 street=f"{spec['street']} [{BASE_VERSION}]", postal_code="41-200", city=spec["city"])
    with schema_context(created.cooperative.schema_name):
        admin = User.objects.get(username="admin")
        admin.set_password(PASSWORD)
        admin.must_change_password = False
        admin.save()
        InstanceSettings.objects.update_or_create(pk=1, defaults=spec["policy"])
        regulation = regulation_publish(title=f"Regulamin IOK {slug.title()}", text=REGULATION_TEXT, acting_user=None)
        _user("biuro", User.Role.CLERK, "Barbara")
        _user("technik", User.Role.TECHNICIAN, "Tadeusz")
        # The same resident login in both cooperatives, on purpose: the demo has it too.
        resident = _user("lokator", User.Role.RESIDENT, "Jan" if slug == "alfa" else "Maria")
        outsider = _user("obcy", User.Role.RESIDENT, "Piotr" if slug == "alfa" else "Ewa")
        office = Office.objects.create(name=f"Administracja {slug.title()}", street=spec["street"],
                                       postal_code="41-200", city=spec["city"], phone="32 000 00 00")
        estate = Estate.objects.create(name=f"Osiedle {slug.title()}")
        building = Building.objects.create(estate=estate, office=office, street=spec["street"][:-2], number="1",
                                           postal_code="41-200", city=spec["city"])
        code = slug.upper()
        flat = Unit.objects.create(building=building, number="1", kind=Unit.Kind.FLAT, code=f"{code}-1-1",
                                   area_m2=Decimal("48.20"),
                                   bank_account=nrb_for(sort_code="10202498", account="0000000000000011"))
        garage = Unit.objects.create(building=building, number="G1", kind=Unit.Kind.GARAGE, code=f"{code}-1-G1",
                                     bank_account=nrb_for(sort_code="10202498", account="0000000000000091"))
        other_flat = Unit.objects.create(building=building, number="2", kind=Unit.Kind.FLAT, code=f"{code}-1-2")
        for order, (component, name) in enumerate((("eksploatacja", "Eksploatacja"),
                                                   ("fundusz_remontowy", "Fundusz remontowy"), ("co", "C.o."))):
            ChargeComponent.objects.create(code=component, name=name, sort_order=order)
        for account, units in ((resident, [flat, garage]), (outsider, [other_flat])):
            person = Person.objects.create(first_name=account.first_name, last_name=account.last_name,
                                           account=account)
            for unit in units:
                LegalTitle.objects.create(person=person, unit=unit, kind=LegalTitle.Kind.OWNERSHIP,
                                          start_date=datetime.date(2015, 1, 1))
            RegulationAcceptance.objects.create(user=account, regulation=regulation, ip_address="127.0.0.1")
        # Someone the office has not issued an account to yet.
        applicant = Person.objects.create(first_name="Zofia", last_name="Łącka")
        third_flat = Unit.objects.create(building=building, number="3", kind=Unit.Kind.FLAT)
        LegalTitle.objects.create(person=applicant, unit=third_flat, kind=LegalTitle.Kind.COOPERATIVE_OWNERSHIP,
                                  start_date=datetime.date(2020, 5, 1))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # A reused test database may predate new migrations: bring every schema up to date.
        call_command("migrate_schemas", interactive=False, verbosity=0)
        for slug in BASE:
            _ensure_base_cooperative(slug)


def _cache_clear() -> None:
    """Drop this worker's cache keys: a test's rolled-back rows must not live on in the cache."""
    redis = get_redis_connection("default")
    keys = list(redis.scan_iter(f"{settings.CACHES['default']['KEY_PREFIX']}:*"))
    if keys:
        redis.delete(*keys)
    routes_forget_local()


@pytest.fixture(autouse=True)
def _fresh_state(request):
    """Each test starts on the public schema with nothing cached by an earlier test, in the default
    language (a request with the English cookie leaves English active in the worker's thread)."""
    translation.activate(settings.LANGUAGE_CODE)
    _cache_clear()
    if "django_db_setup" in request.fixturenames or request.node.get_closest_marker("django_db"):
        connection.set_schema_to_public()
    yield
    _cache_clear()


@pytest.fixture(autouse=True)
def _argon2_when_marked(request):
    """@pytest.mark.argon2: this test hashes with the production hasher (the test settings' fast one
    otherwise); Argon2 itself and the lockout are what such tests are about."""
    if request.node.get_closest_marker("argon2") is None:
        yield
        return
    settings_fixture = request.getfixturevalue("settings")
    settings_fixture.PASSWORD_HASHERS = ["iok.hashers.Argon2idOwaspHasher",
                                         "django.contrib.auth.hashers.MD5PasswordHasher"]
    yield


def _fixture(slug: str) -> CooperativeFixture:
    cooperative = Cooperative.objects.get(slug=slug)
    with schema_context(cooperative.schema_name):
        users = {user.username: user for user in User.objects.all()}
    return CooperativeFixture(cooperative=cooperative, host=f"{slug}.{settings.BASE_DOMAIN}",
                              admin=users["admin"], clerk=users["biuro"], technician=users["technik"],
                              resident=users["lokator"], outsider=users["obcy"])


@pytest.fixture
def coop_a(db) -> CooperativeFixture:
    return _fixture("alfa")


@pytest.fixture
def coop_b(db) -> CooperativeFixture:
    return _fixture("beta")


@pytest.fixture
def operator(db) -> User:
    """A platform operator with an authenticator app set up (operators always sign in with a second factor)."""
    user = User(username="operator", role=User.Role.OPERATOR, email="operator@iok.example")
    user.set_password(PASSWORD)
    user.save()
    totp_device_give(user)
    return user


@pytest.fixture
def operator_client(operator) -> Client:
    """The operator signed in on the platform site with password and code (a code checked just now)."""
    return sign_in_with_code(Client(HTTP_HOST="localhost"), username="operator")



def notices_deliver_waiting(coop: CooperativeFixture) -> list[int]:
    """Deliver the cooperative's waiting notice e-mails the way the Celery worker does (for tests without one)."""
    from tenants_portal.notices.delivery import outbox_deliver
    from tenants_portal.notices.models import OutboxMessage

    with coop.use():
        waiting = list(OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).values_list("pk", flat=True))
        return outbox_deliver(message_ids=waiting).sent


def child_environment(**extra: str) -> dict[str, str]:
    """The environment of a child process (a Celery worker, a web server) on this test run's database
    (pytest-django's test_… name) and this xdist worker's queue and cache prefix."""
    url = urlsplit(os.environ["DATABASE_URL"])
    database_url = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    return {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings.test", **extra}


# The online payments' world (gateway simulator, served platform, committed cooperative): fixtures for any
# module. Imported last: it uses this file's helpers.
from .payments_world import kasa, payments_world  # noqa: E402, F401
