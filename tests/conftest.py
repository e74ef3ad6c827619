"""The shared base: two cooperatives and, in each, an admin, a resident and an outsider.

The cooperatives are created once per test database (kept between runs with --reuse-db) through
the same service operators use; each test then runs in a transaction that is rolled back.
"""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from cooperatives.models import Cooperative
from cooperatives.routing import routes_forget_local
from cooperatives.services import cooperative_create
from tenants_portal.accounts.models import User
from tenants_portal.registry.models import Building, Estate, Office, Unit

PASSWORD = "correct-horse-42"


@dataclass(frozen=True)
class CooperativeFixture:
    cooperative: Cooperative
    host: str
    admin: User
    resident: User
    outsider: User

    @property
    def schema_name(self) -> str:
        return self.cooperative.schema_name

    def client(self) -> Client:
        return Client(HTTP_HOST=self.host)

    def client_logged_in_as(self, user: User) -> Client:
        client = self.client()
        response = client.post("/logowanie/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content.decode()[:500]
        return client


BASE = {
    "alfa": {"name": "Spółdzielnia Mieszkaniowa „Alfa”", "city": "Sosnowiec", "street": "ul. Hutnicza 1"},
    "beta": {"name": "Spółdzielnia Mieszkaniowa „Beta”", "city": "Lublin", "street": "ul. Leśna 2"},
}


def _user(username: str, role: str, first_name: str) -> User:
    user = User(username=username, role=role, first_name=first_name, last_name=first_name + "ska")
    user.set_password(PASSWORD)
    user.save()
    return user


def _ensure_base_cooperative(slug: str) -> None:
    spec = BASE[slug]
    if Cooperative.objects.filter(slug=slug).exists():
        return
    created = cooperative_create(name=spec["name"], slug=slug, admin_email=f"admin@{slug}.example",
                                 street=spec["street"], postal_code="41-200", city=spec["city"])
    with schema_context(created.cooperative.schema_name):
        admin = User.objects.get(username="admin")
        admin.set_password(PASSWORD)
        admin.must_change_password = False
        admin.save()
        # The same resident login in both cooperatives, on purpose (DESIGN.md §4).
        _user("lokator", User.Role.RESIDENT, "Jan" if slug == "alfa" else "Maria")
        _user("obcy", User.Role.RESIDENT, "Piotr" if slug == "alfa" else "Ewa")
        office = Office.objects.create(name=f"Administracja {slug.title()}", street=spec["street"],
                                       postal_code="41-200", city=spec["city"], phone="32 000 00 00")
        estate = Estate.objects.create(name=f"Osiedle {slug.title()}")
        building = Building.objects.create(estate=estate, office=office, street=spec["street"], number="1",
                                           postal_code="41-200", city=spec["city"])
        Unit.objects.create(building=building, number="1", kind=Unit.Kind.FLAT)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # A reused test database may predate new migrations: bring every schema up to date.
        call_command("migrate_schemas", interactive=False, verbosity=0)
        for slug in BASE:
            _ensure_base_cooperative(slug)


@pytest.fixture(autouse=True)
def _fresh_routing(request):
    """Each test starts on the public schema with no cached routes from an earlier test."""
    caches["platform"].delete_pattern("route:*")
    routes_forget_local()
    if "django_db_setup" in request.fixturenames or request.node.get_closest_marker("django_db"):
        connection.set_schema_to_public()
    yield
    caches["platform"].delete_pattern("route:*")
    routes_forget_local()


def _fixture(slug: str) -> CooperativeFixture:
    cooperative = Cooperative.objects.get(slug=slug)
    with schema_context(cooperative.schema_name):
        users = {user.username: user for user in User.objects.all()}
    return CooperativeFixture(cooperative=cooperative, host=f"{slug}.{settings.BASE_DOMAIN}",
                              admin=users["admin"], resident=users["lokator"], outsider=users["obcy"])


@pytest.fixture
def coop_a(db) -> CooperativeFixture:
    return _fixture("alfa")


@pytest.fixture
def coop_b(db) -> CooperativeFixture:
    return _fixture("beta")
