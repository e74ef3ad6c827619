"""Online payments as they run: the gateway simulator python-getpaid's maintainers ship (PayU and Paynow
plug-ins) on loopback, and the platform served by gunicorn on this test run's database, which the
simulator's notifications reach. The tests drive the real clients against the simulator over HTTP.

These tests commit (the web server is another process): they work in a cooperative of their own ("kasa"),
created for the module and dropped after it, and each test starts with no payments and no ledger.

    pytestmark = pytest.mark.xdist_group("payments")   # in each module that uses `kasa`
"""

import datetime
import socket
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from billing_views.imports.engine import import_run_execute
from billing_views.models import ChargeComponent, ImportRun, LedgerEntry
from cooperatives.models import Cooperative
from demo.ledger import nrb_for
from devstack.services import processes_stop
from devstack.simulator import PAYNOW_CREDENTIALS, PAYU_CREDENTIALS, simulator_start, simulator_wait
from devstack.web import web_start, web_wait
from operators.services import cooperative_create
from tenants_portal.accounts.models import User
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.online_payments.models import Allocation, GatewaySettings, OnlinePayment
from tenants_portal.online_payments.services import gateway_settings_save
from tenants_portal.registry.models import Building, Estate, LegalTitle, Person, Unit
from tenants_portal.regulation.models import RegulationAcceptance
from tenants_portal.regulation.services import regulation_publish

from .conftest import PASSWORD, child_environment

SLUG = "kasa"
HOST = f"{SLUG}.localhost"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PaymentsWorld:
    cooperative: Cooperative
    web_port: int
    simulator_port: int
    log: Path

    @property
    def simulator_url(self) -> str:
        return f"http://127.0.0.1:{self.simulator_port}"

    @property
    def notify_base_url(self) -> str:
        return f"http://localhost:{self.web_port}"

    @property
    def notify_url(self) -> str:
        return f"{self.notify_base_url}/platnosci/{SLUG}/powiadomienie/"

    def use(self):
        return schema_context(self.cooperative.schema_name)

    def client(self) -> Client:
        return Client(HTTP_HOST=HOST)

    def client_logged_in_as(self, username: str) -> Client:
        client = self.client()
        response = client.post("/logowanie/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.content.decode()[:500]
        return client

    def simulator_order(self, order_id: str, *, gateway: str = "payu") -> dict:
        """The simulator's own record of an order (what the gateway was asked to charge)."""
        if gateway == "payu":
            token = httpx.post(f"{self.simulator_url}/payu/pl/standard/user/oauth/authorize",
                               data={"grant_type": "client_credentials", "client_id": "1", "client_secret": "x"}
                               ).json()["access_token"]
            answer = httpx.get(f"{self.simulator_url}/payu/api/v2_1/orders/{order_id}",
                               headers={"Authorization": f"Bearer {token}"})
            return answer.json()["orders"][0]
        raise NotImplementedError(gateway)

    def simulator_decide(self, redirect_url: str, *, action: str = "approve") -> httpx.Response:
        """The payer's click on the simulator's page: approve (paid) or reject (cancelled). The simulator
        sends its signed notification before it answers, so the platform has taken it by then."""
        return httpx.post(redirect_url, data={"action": action}, follow_redirects=False, timeout=30)

    def web_log(self) -> str:
        return self.log.read_text(errors="replace")[-5000:]


def _user(username: str, role: str, first_name: str, email: str = "") -> User:
    user = User(username=username, role=role, first_name=first_name, last_name="Kasowska", email=email)
    user.set_password(PASSWORD)
    user.save()
    return user


def _populate() -> None:
    """Staff, a resident with a flat and a garage, another with a flat; the regulation accepted."""
    admin = User.objects.get(username="admin")
    admin.set_password(PASSWORD)
    admin.must_change_password = False
    admin.save()
    InstanceSettings.objects.update_or_create(pk=1, defaults={"staff_second_factor_required": False,
                                                              "module_online_payments": True})
    regulation = regulation_publish(title="Regulamin IOK Kasa", text="1. Konto IOK.", acting_user=None)
    _user("biuro", User.Role.CLERK, "Barbara")
    resident = _user("lokator", User.Role.RESIDENT, "Jan", email="jan@kasa.example")
    outsider = _user("obcy", User.Role.RESIDENT, "Piotr")
    estate = Estate.objects.create(name="Osiedle Kasa")
    building = Building.objects.create(estate=estate, street="ul. Groszowa", number="1", postal_code="41-200",
                                       city="Sosnowiec")
    flat = Unit.objects.create(building=building, number="1", kind=Unit.Kind.FLAT, code="KASA-1-1",
                               area_m2=Decimal("48.20"),
                               bank_account=nrb_for(sort_code="10202498", account="0000000000000011"))
    garage = Unit.objects.create(building=building, number="G1", kind=Unit.Kind.GARAGE, code="KASA-1-G1",
                                 bank_account=nrb_for(sort_code="10202498", account="0000000000000091"))
    other = Unit.objects.create(building=building, number="2", kind=Unit.Kind.FLAT, code="KASA-1-2",
                                bank_account=nrb_for(sort_code="10202498", account="0000000000000021"))
    ChargeComponent.objects.create(code="eksploatacja", name="Eksploatacja", sort_order=0)
    for account, units in ((resident, [flat, garage]), (outsider, [other])):
        person = Person.objects.create(first_name=account.first_name, last_name=account.last_name, account=account)
        for unit in units:
            LegalTitle.objects.create(person=person, unit=unit, kind=LegalTitle.Kind.OWNERSHIP,
                                      start_date=datetime.date(2015, 1, 1))
        RegulationAcceptance.objects.create(user=account, regulation=regulation, ip_address="127.0.0.1")


@pytest.fixture(scope="module")
def payments_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The "kasa" cooperative (committed), the platform served on loopback and the simulator."""
    web_port, simulator_port = _free_port(), _free_port()
    log = tmp_path_factory.mktemp("payments") / "web.log"
    with django_db_blocker.unblock():
        # A test before this module on the same xdist worker may have left the connection in a cooperative.
        connection.set_schema_to_public()
        stale = Cooperative.objects.filter(slug=SLUG).first()
        if stale is not None:
            stale.delete(force_drop=True)
        cooperative = cooperative_create(name="Spółdzielnia Mieszkaniowa „Kasa”", slug=SLUG,
                                         admin_email="admin@kasa.example", street="ul. Groszowa 1",
                                         postal_code="41-200", city="Sosnowiec").cooperative
        with schema_context(cooperative.schema_name):
            _populate()
        environment = child_environment(PAYMENTS_SIMULATOR_URL=f"http://127.0.0.1:{simulator_port}",
                                        PAYMENTS_NOTIFY_BASE_URL=f"http://localhost:{web_port}",
                                        SITE_SCHEME="http", SITE_PORT=str(web_port), LOG_LEVEL="WARNING")
    world = PaymentsWorld(cooperative=cooperative, web_port=web_port, simulator_port=simulator_port, log=log)
    with log.open("wb") as output:
        web = web_start(environment=environment, port=web_port, stdout=output, stderr=subprocess.STDOUT)
        simulator = simulator_start(port=simulator_port, paynow_notify_url=world.notify_url, stdout=output,
                                    stderr=subprocess.STDOUT)
    try:
        assert web_wait(port=web_port, host=HOST, process=web), log.read_text()[-3000:]
        assert simulator_wait(port=simulator_port, process=simulator), log.read_text()[-3000:]
        yield world
    finally:
        processes_stop([web, simulator], timeout=20)
        with django_db_blocker.unblock():
            connection.set_schema_to_public()
            cooperative.delete(force_drop=True)


def gateway_configure(*, gateway: str = "payu", **values) -> GatewaySettings:
    admin = User.objects.get(username="admin")
    credentials = PAYU_CREDENTIALS if gateway == "payu" else PAYNOW_CREDENTIALS
    return gateway_settings_save(acting_user=admin, values={
        "gateway": gateway, "environment": "simulator", "minimum_amount": Decimal("1.00"),
        "resident_pays_fee": False, "fee_fixed": Decimal("0.00"), "fee_percent": Decimal("0.00"),
        "unbooked_after_days": 5, **values}, credentials=credentials)


@pytest.fixture
def kasa(payments_world, django_db_blocker, settings):
    """Work in kasa's schema with autocommit: no payments, no ledger, no imports, no audit rows; PayU on
    the simulator, residents not paying the fee; the module on."""
    settings.PAYMENTS_SIMULATOR_URL = payments_world.simulator_url
    settings.PAYMENTS_NOTIFY_BASE_URL = payments_world.notify_base_url
    settings.SITE_SCHEME, settings.SITE_PORT = "http", str(payments_world.web_port)
    with django_db_blocker.unblock(), payments_world.use():
        Allocation.objects.all().delete()
        OnlinePayment.objects.all().delete()
        LedgerEntry.objects.all().delete()
        ImportRun.objects.all().delete()
        AuditEvent.objects.all().delete()
        InstanceSettings.objects.filter(pk=1).update(module_online_payments=True)
        instance_settings_forget()
        gateway_configure()
        yield payments_world


def ledger_import(world: PaymentsWorld, *, kind: str, rows: list[str]) -> ImportRun:
    """A file of the accounting system imported as the nightly job does (the engine, one transaction)."""
    from billing_views.imports.formats import format_of
    from billing_views.imports.services import import_receive_now

    header = ";".join(format_of(kind).columns)
    body = ("\n".join([header, *rows]) + "\n").encode()
    run = import_receive_now(data=body, filename=f"{kind}.csv")
    return import_run_execute(run=run, cooperative_code=SLUG)
