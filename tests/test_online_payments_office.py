"""Online payments, the office's side: the admin's gateway configuration (credentials encrypted, never
shown, audited without secrets), the module switch that waits for a ready gateway, the office's list with
its filters, the unbooked list with the manual booking, and the export that the payments import books
back — one payment per unit on the ledger. Payments are made here as state (no gateway needed)."""

import datetime
import json
import zoneinfo
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from billing_views.imports.engine import import_run_execute
from billing_views.imports.formats import format_of
from billing_views.imports.services import import_receive_now
from billing_views.models import ImportRun, LedgerEntry
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.online_payments.gateway import credentials_of
from tenants_portal.online_payments.models import Allocation, GatewaySettings, OnlinePayment
from tenants_portal.online_payments.services import gateway_settings_save
from tenants_portal.registry.models import Unit

from .conftest import totp_device_give

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
CONFIG_URL = "/biuro/konfiguracja/platnosci-online/"
PAYU = {"payu_pos_id": "300746", "payu_second_key": "b6ca15b0d1020e8094d9b5f8d163db54",
        "payu_oauth_id": "300746", "payu_oauth_secret": "2ee86a66e5d97e3fadc400c9f19b065d"}
PAYU_STORED = {"pos_id": "300746", "second_key": "b6ca15b0d1020e8094d9b5f8d163db54", "oauth_id": "300746",
               "oauth_secret": "2ee86a66e5d97e3fadc400c9f19b065d"}
SECRETS = ["b6ca15b0d1020e8094d9b5f8d163db54", "2ee86a66e5d97e3fadc400c9f19b065d"]
MODULES_OFF = {"module_meters": "on", "module_failures": "on", "module_announcements": "on"}  # documents: off


def _config_post(**changes) -> dict:
    return {"gateway": "payu", "environment": "sandbox", "minimum_amount": "2,50", "resident_pays_fee": "on",
            "fee_fixed": "0,50", "fee_percent": "1,2", "unbooked_after_days": "7", **changes}


def _module(coop, on: bool) -> None:
    with coop.use():
        InstanceSettings.objects.filter(pk=1).update(module_online_payments=on)
        instance_settings_forget()


def _gateway_ready(coop) -> None:
    with coop.use():
        gateway_settings_save(acting_user=coop.admin, values={
            "gateway": "payu", "environment": "sandbox", "minimum_amount": Decimal("1.00"),
            "resident_pays_fee": False, "fee_fixed": Decimal("0.00"), "fee_percent": Decimal("0.00"),
            "unbooked_after_days": 5}, credentials=PAYU_STORED)


def _at(day: str, time: str = "10:00") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=WARSAW)


def _payment(reference: str, *, payer, amounts: dict[str, str], created: datetime.datetime,
             status: str = "paid", paid: datetime.datetime | None = None, external_id: str | None = None,
             fee: str = "0.00", expired: datetime.datetime | None = None, refunded: str = "0.00",
             booked: bool = False) -> OnlinePayment:
    """A payment as the gateway's word would leave it: paid ones with a provisional entry per unit."""
    total = sum((Decimal(amount) for amount in amounts.values()), Decimal("0.00"))
    payment = OnlinePayment.objects.create(
        reference=reference, payer=payer, backend="payu", amount_required=total + Decimal(fee), fee=Decimal(fee),
        status=status, amount_paid=total + Decimal(fee) if status == "paid" else Decimal("0.00"),
        external_id=external_id, paid_at=paid, expired_at=expired, amount_refunded=Decimal(refunded))
    OnlinePayment.objects.filter(pk=payment.pk).update(created_at=created)
    for code, amount in amounts.items():
        unit = Unit.objects.get(code=code)
        allocation = Allocation(payment=payment, unit=unit, amount=Decimal(amount))
        if status == "paid":
            entry = LedgerEntry.objects.create(
                source_id=f"online:{reference}:{unit.pk}", unit=unit, kind=LedgerEntry.Kind.PAYMENT,
                booked_on=timezone.localdate(paid), amount=-Decimal(amount), reference=reference,
                description="wpłata online — oczekuje na zaksięgowanie")
            if booked:
                entry.source_id, entry.import_run = f"BANK-{reference}-{code}", _run()
                entry.save()
                allocation.settled_entry, allocation.settled_at = entry, paid
            else:
                allocation.provisional_entry = entry
        allocation.save()
    payment.refresh_from_db()
    return payment


def _run() -> ImportRun:
    return ImportRun.objects.create(source=ImportRun.Source.INBOX, kind="payments", filename="wplaty.csv",
                                    status=ImportRun.Status.SUCCEEDED)


def _import(rows: list[str]) -> ImportRun:
    """A payments file of the accounting system imported as the nightly job does (the engine, at once)."""
    body = ("\n".join([";".join(format_of("payments").columns), *rows]) + "\n").encode()
    run = import_run_execute(run=import_receive_now(data=body, filename="wplaty.csv"), cooperative_code="alfa")
    assert run.status == ImportRun.Status.SUCCEEDED, (run.status, run.message)
    return run


def _payment_entries(code: str) -> list[tuple[str, Decimal]]:
    return sorted(LedgerEntry.objects.filter(unit__code=code, kind=LedgerEntry.Kind.PAYMENT)
                  .values_list("source_id", "amount"))


# --- the admin's configuration ----------------------------------------------------------------------

def test_the_gateways_credentials_are_stored_encrypted_never_shown_and_audited_without_secrets(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    page = admin.get(CONFIG_URL)
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="payu_second_key"' in content and 'name="paynow_signature_key"' in content
    assert "Drugi klucz (MD5)" in content and "Id punktu płatności (pos_id)" in content
    assert "Klucz podpisu" in content and "Klucz API" in content

    response = admin.post(CONFIG_URL, _config_post(**PAYU))
    assert response.status_code == 302, response.content.decode()[:3000]
    with coop_a.use():
        stored = GatewaySettings.objects.get()
        assert (stored.gateway, stored.environment, stored.minimum_amount, stored.resident_pays_fee,
                stored.fee_fixed, stored.fee_percent, stored.unbooked_after_days) == (
            "payu", "sandbox", Decimal("2.50"), True, Decimal("0.50"), Decimal("1.20"), 7)
        assert credentials_of(stored) == PAYU_STORED
        assert not any(secret in stored.credentials_encrypted for secret in SECRETS)
        assert "300746" not in stored.credentials_encrypted
        assert stored.credentials_changed_by_id == coop_a.admin.pk
        entered_at = stored.credentials_changed_at
        event = AuditEvent.objects.get(action=AuditAction.PAYMENT_GATEWAY_CHANGED)
        assert event.target == "payu"
        assert event.details == {"fields": ["environment", "fee_fixed", "fee_percent", "gateway", "minimum_amount",
                                            "resident_pays_fee", "unbooked_after_days"],
                                 "credentials_entered": ["oauth_id", "oauth_secret", "pos_id", "second_key"]}
        assert not any(secret in json.dumps(event.details) for secret in SECRETS)

    content = admin.get(CONFIG_URL).content.decode()
    assert not any(secret in content for secret in SECRETS)
    assert 'value="300746"' not in content
    assert f"Wprowadzone {timezone.localtime(entered_at):%d.%m.%Y %H:%M} przez " in content
    # 0,50 zł + 1,2% of 100 zł, paid by the resident.
    assert "opłata wynosi 1,70\xa0zł" in content
    assert "Płaci ją lokator" in content

    # Empty credential fields keep the stored ones; only the minimum changes.
    response = admin.post(CONFIG_URL, _config_post(minimum_amount="5,00"))
    assert response.status_code == 302
    with coop_a.use():
        stored = GatewaySettings.objects.get()
        assert credentials_of(stored) == PAYU_STORED
        assert stored.minimum_amount == Decimal("5.00")
        assert stored.credentials_changed_at == entered_at
        latest = AuditEvent.objects.filter(action=AuditAction.PAYMENT_GATEWAY_CHANGED).latest("pk")
        assert latest.details == {"fields": ["minimum_amount"], "credentials_entered": []}

    # The same form again changes nothing and records nothing.
    assert admin.post(CONFIG_URL, _config_post(minimum_amount="5,00")).status_code == 302
    with coop_a.use():
        assert AuditEvent.objects.filter(action=AuditAction.PAYMENT_GATEWAY_CHANGED).count() == 2

    # One credential replaced: the others stay.
    response = admin.post(CONFIG_URL, _config_post(payu_second_key="ffffffffffffffffffffffffffffffff"))
    assert response.status_code == 302
    with coop_a.use():
        assert credentials_of(GatewaySettings.objects.get()) == {**PAYU_STORED,
                                                                   "second_key": "ffffffffffffffffffffffffffffffff"}


def test_the_simulator_is_offered_only_where_the_platform_runs_one(coop_a, settings):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    settings.PAYMENTS_SIMULATOR_URL = ""
    assert 'value="simulator"' not in admin.get(CONFIG_URL).content.decode()
    response = admin.post(CONFIG_URL, _config_post(environment="simulator", **PAYU))
    assert response.status_code == 200
    assert "Proszę wybrać jedną z dostępnych wartości (simulator do nich nie należy)." in response.content.decode()
    with coop_a.use():
        assert GatewaySettings.objects.filter(gateway="payu").count() == 0
        assert not AuditEvent.objects.filter(action=AuditAction.PAYMENT_GATEWAY_CHANGED).exists()

    settings.PAYMENTS_SIMULATOR_URL = "http://127.0.0.1:9"
    assert 'value="simulator"' in admin.get(CONFIG_URL).content.decode()
    assert admin.post(CONFIG_URL, _config_post(environment="simulator", **PAYU)).status_code == 302
    with coop_a.use():
        assert GatewaySettings.objects.get().environment == "simulator"


def test_the_configuration_needs_a_recent_second_factor_from_an_admin_who_has_one(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    with coop_a.use():
        totp_device_give(coop_a.admin)
    response = admin.post(CONFIG_URL, _config_post(**PAYU))
    assert response.status_code == 302
    assert response["Location"] == "/konto/potwierdz-kodem/?next=%2Fbiuro%2Fkonfiguracja%2Fplatnosci-online%2F"
    with coop_a.use():
        assert GatewaySettings.objects.filter(gateway="payu").count() == 0


def test_only_an_admin_configures_the_gateway(coop_a):
    with coop_a.use():
        before = list(GatewaySettings.objects.values())
    assert coop_a.client_logged_in_as(coop_a.clerk).get(CONFIG_URL).status_code == 403
    assert coop_a.client_logged_in_as(coop_a.clerk).post(CONFIG_URL, _config_post(**PAYU)).status_code == 403
    assert coop_a.client_logged_in_as(coop_a.resident).post(CONFIG_URL, _config_post(**PAYU)).status_code == 403
    with coop_a.use():
        assert list(GatewaySettings.objects.values()) == before


def test_a_gateway_switched_on_keeps_its_credentials(coop_a):
    """With the module on, a change of gateway without its credentials would stop residents' payments."""
    _gateway_ready(coop_a)
    _module(coop_a, True)
    admin = coop_a.client_logged_in_as(coop_a.admin)
    response = admin.post(CONFIG_URL, _config_post(gateway="paynow", minimum_amount="3,00"))
    assert response.status_code == 200
    assert "Płatności online są włączone" in response.content.decode()
    assert 'value="3,00"' in response.content.decode()
    with coop_a.use():
        assert (GatewaySettings.objects.get().gateway, credentials_of(GatewaySettings.objects.get())) == (
            "payu", PAYU_STORED)


def test_the_module_cannot_be_switched_on_before_the_gateway_is_ready(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    page = admin.get("/biuro/konfiguracja/moduly/").content.decode()
    assert 'name="module_online_payments"' in page
    response = admin.post("/biuro/konfiguracja/moduly/", {**MODULES_OFF, "module_online_payments": "on"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Płatności online nie można jeszcze włączyć" in content
    # The form keeps what was chosen: documents off, online payments on.
    assert 'name="module_documents" id="id_module_documents">' in content
    assert ('name="module_online_payments" aria-invalid="true" aria-describedby="id_module_online_payments_error" '
            'id="id_module_online_payments" checked>') in content
    with coop_a.use():
        instance_settings_forget()
        row = InstanceSettings.objects.get()
        assert (row.module_online_payments, row.module_documents) == (False, True)

    _gateway_ready(coop_a)
    response = admin.post("/biuro/konfiguracja/moduly/", {**MODULES_OFF, "module_documents": "on",
                                                          "module_online_payments": "on"})
    assert response.status_code == 302
    with coop_a.use():
        assert InstanceSettings.objects.get().module_online_payments is True


# --- the office's pages ----------------------------------------------------------------------------

OFFICE_PAGES = ["/biuro/platnosci/", "/biuro/platnosci/niezaksiegowane/", "/biuro/platnosci/eksport.csv"]


def test_the_office_pages_are_404_while_the_module_is_off_and_for_staff_only(coop_a):
    with coop_a.use():
        payment = _payment("IOKAAAA0001", payer=coop_a.resident, amounts={"ALFA-1-1": "100.00"},
                           created=_at("2026-11-02"), paid=_at("2026-11-02"))
    pages = [*OFFICE_PAGES, f"/biuro/platnosci/{payment.pk}/"]
    admin = coop_a.client_logged_in_as(coop_a.admin)
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    resident = coop_a.client_logged_in_as(coop_a.resident)
    assert [admin.get(page).status_code for page in pages] == [404] * 4
    assert "Płatności online" not in [str(link.label) for link in admin.get("/biuro/").context["staff_nav"]]
    _module(coop_a, True)
    with coop_a.use():
        audit_before = AuditEvent.objects.filter(action=AuditAction.ONLINE_PAYMENTS_EXPORTED).count()
    assert [clerk.get(page).status_code for page in pages] == [200] * 4
    assert [admin.get(page).status_code for page in pages] == [200] * 4
    # Residents and technicians are refused like on every /biuro/ page, and export nothing.
    assert [resident.get(page).status_code for page in pages] == [403] * 4
    technician = coop_a.client_logged_in_as(coop_a.technician)
    assert [technician.get(page).status_code for page in pages] == [403] * 4
    with coop_a.use():
        assert AuditEvent.objects.filter(action=AuditAction.ONLINE_PAYMENTS_EXPORTED).count() == audit_before + 2
    assert "Płatności online" in [str(link.label) for link in clerk.get("/biuro/").context["staff_nav"]]
    assert coop_a.client().get("/biuro/platnosci/").status_code == 302  # to sign-in


@pytest.fixture
def office(coop_a):
    """The module on and five payments: two paid (one booked), waiting, cancelled, expired, refunded."""
    _module(coop_a, True)
    with coop_a.use():
        payments = {
            "paid": _payment("IOKPAID0001", payer=coop_a.resident, amounts={"ALFA-1-1": "250.00", "ALFA-1-G1": "80.00"},
                             created=_at("2026-11-03", "09:00"), paid=_at("2026-11-03", "09:01"),
                             external_id="PAYU-111", fee="1.20"),
            "booked": _payment("IOKBOOK0001", payer=coop_a.outsider, amounts={"ALFA-1-2": "300.00"},
                               created=_at("2026-11-05"), paid=_at("2026-11-05"), external_id="PAYU-222",
                               booked=True),
            "waiting": _payment("IOKWAIT0001", payer=coop_a.resident, amounts={"ALFA-1-1": "10.00"},
                                created=_at("2026-11-07"), status="prepared", external_id="PAYU-333"),
            "cancelled": _payment("IOKCANC0001", payer=coop_a.resident, amounts={"ALFA-1-1": "20.00"},
                                  created=_at("2026-11-08"), status="failed", external_id="PAYU-444"),
            "expired": _payment("IOKEXPI0001", payer=coop_a.resident, amounts={"ALFA-1-G1": "30.00"},
                                created=_at("2026-11-09"), status="failed", expired=_at("2026-11-09", "11:00")),
            "refunded": _payment("IOKREFU0001", payer=coop_a.outsider, amounts={"ALFA-1-2": "40.00"},
                                 created=_at("2026-11-10"), status="refunded", external_id="PAYU-666",
                                 refunded="40.00"),
        }
    return payments


def _listed(client, query: str = "") -> list[tuple[str, str]]:
    response = client.get(f"/biuro/platnosci/{query}")
    assert response.status_code == 200, response.content.decode()[:2000]
    return [(payment.reference, stage) for payment, stage in response.context["rows"]]


def test_the_office_lists_every_payment_newest_first_with_its_status(coop_a, office):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    assert _listed(clerk) == [
        ("IOKREFU0001", "zwrócona"), ("IOKEXPI0001", "wygasła"), ("IOKCANC0001", "anulowana"),
        ("IOKWAIT0001", "czeka na bramkę"), ("IOKBOOK0001", "zaksięgowana"),
        ("IOKPAID0001", "opłacona, czeka na zaksięgowanie")]
    content = clerk.get("/biuro/platnosci/").content.decode()
    assert "ALFA-1-1: 250,00\xa0zł<br>ALFA-1-G1: 80,00\xa0zł" in content
    assert "331,20\xa0zł" in content and "1,20\xa0zł" in content
    assert "03.11.2026 09:00" in content


@pytest.mark.parametrize(("query", "expected"), [
    ("?etap=waiting", ["IOKWAIT0001"]),
    ("?etap=paid", ["IOKPAID0001"]),
    ("?etap=booked", ["IOKBOOK0001"]),
    ("?etap=cancelled", ["IOKCANC0001"]),
    ("?etap=expired", ["IOKEXPI0001"]),
    ("?etap=refunded", ["IOKREFU0001"]),
    ("?od=2026-11-05&do=2026-11-08", ["IOKCANC0001", "IOKWAIT0001", "IOKBOOK0001"]),
    ("?od=2026-11-09", ["IOKREFU0001", "IOKEXPI0001"]),
    ("?szukaj=iokpaid0001", ["IOKPAID0001"]),
    ("?szukaj=PAYU-222", ["IOKBOOK0001"]),
    ("?szukaj=ALFA-1-G1", ["IOKEXPI0001", "IOKPAID0001"]),
    ("?szukaj=ALFA-1-1&etap=paid", ["IOKPAID0001"]),
    ("?szukaj=ALFA-9-9", []),
])
def test_the_filters_give_exactly_the_matching_payments(coop_a, office, query, expected):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    assert [reference for reference, _stage in _listed(clerk, query)] == expected


def test_a_bad_filter_says_so_in_polish(coop_a, office):
    response = coop_a.client_logged_in_as(coop_a.clerk).get("/biuro/platnosci/?od=2026-11-09&do=2026-11-01")
    assert response.status_code == 400
    assert "Data końcowa jest wcześniejsza niż data początkowa." in response.content.decode()


def test_the_payments_detail_shows_its_units_entries_and_the_gateways_id(coop_a, office):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    content = clerk.get(f"/biuro/platnosci/{office['booked'].pk}/").content.decode()
    assert "PAYU-222" in content and "BANK-IOKBOOK0001-ALFA-1-2" in content
    content = clerk.get(f"/biuro/platnosci/{office['paid'].pk}/").content.decode()
    assert "zapis tymczasowy z 03.11.2026" in content and "331,20\xa0zł" in content
    assert "40,00\xa0zł" in clerk.get(f"/biuro/platnosci/{office['refunded'].pk}/").content.decode()
    assert clerk.get("/biuro/platnosci/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_unbooked_list_shows_paid_payments_not_booked_after_the_cooperatives_days(coop_a):
    _module(coop_a, True)
    now = timezone.now()
    with coop_a.use():
        GatewaySettings.objects.update_or_create(pk=1, defaults={"unbooked_after_days": 3})
        _payment("IOKOLD00001", payer=coop_a.resident, amounts={"ALFA-1-1": "250.00"},
                 created=now - datetime.timedelta(days=4), paid=now - datetime.timedelta(days=4), external_id="X-1")
        _payment("IOKNEW00001", payer=coop_a.resident, amounts={"ALFA-1-1": "20.00"},
                 created=now - datetime.timedelta(days=2), paid=now - datetime.timedelta(days=2))
        _payment("IOKBOOKED01", payer=coop_a.outsider, amounts={"ALFA-1-2": "30.00"},
                 created=now - datetime.timedelta(days=9), paid=now - datetime.timedelta(days=9), booked=True)
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    response = clerk.get("/biuro/platnosci/niezaksiegowane/")
    assert [(allocation.payment.reference, allocation.unit.code) for allocation, _form in response.context["rows"]] \
        == [("IOKOLD00001", "ALFA-1-1")]
    content = response.content.decode()
    assert "z referencją (IOK…)" in content and "X-1" in content
    assert clerk.get("/biuro/platnosci/").context["unbooked"] == 1
    home = clerk.get("/biuro/")
    assert home.context["figures"].payments_unbooked == 1


def _unbooked_state(coop):
    now = timezone.now()
    with coop.use():
        payment = _payment("IOKMANUAL01", payer=coop.resident, amounts={"ALFA-1-1": "250.00"},
                           created=now - datetime.timedelta(days=8), paid=now - datetime.timedelta(days=8))
        # The accounting system booked the money without the reference; its payments file brought it.
        _import(["alfa;WB-77;ALFA-1-1;01.12.2026;250,00;;Przelew", "alfa;WB-78;ALFA-1-1;01.12.2026;249,00;;Przelew",
                 "alfa;WB-79;ALFA-1-G1;01.12.2026;250,00;;Przelew"])
        return payment, payment.allocations.get()


def _state(coop) -> dict:
    with coop.use():
        return {"allocations": list(Allocation.objects.values("pk", "settled_entry_id", "provisional_entry_id")),
                "entries": sorted(LedgerEntry.objects.values_list("source_id", "amount")),
                "booked_audit": AuditEvent.objects.filter(action=AuditAction.ONLINE_PAYMENT_BOOKED).count()}


@pytest.mark.parametrize(("entry", "message"), [
    ("WB-79", "Zapis WB-79 to wpłata dla lokalu ALFA-1-G1, a ta płatność online dotyczy lokalu ALFA-1-1."),
    ("WB-78", "Zapis WB-78 to wpłata 249,00 zł, a ta płatność online przyniosła dla tego lokalu 250,00 zł."),
    ("WB-00", "Żadna wpłata zaimportowana z systemu księgowego nie ma identyfikatora zapisu „WB-00”."),
])
def test_a_manual_booking_by_another_units_or_amounts_entry_is_refused(coop_a, entry, message):
    _module(coop_a, True)
    _payment_made, allocation = _unbooked_state(coop_a)
    before = _state(coop_a)
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    response = clerk.post("/biuro/platnosci/niezaksiegowane/", {"allocation": allocation.pk, "entry": entry})
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert f'value="{entry}"' in content  # what was typed stays
    assert _state(coop_a) == before


def test_a_manual_booking_replaces_the_provisional_entry_and_is_audited(coop_a):
    _module(coop_a, True)
    _payment_made, allocation = _unbooked_state(coop_a)
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    response = clerk.post("/biuro/platnosci/niezaksiegowane/", {"allocation": allocation.pk, "entry": " WB-77 "},
                          follow=True)
    assert response.redirect_chain == [("/biuro/platnosci/niezaksiegowane/", 302)]
    assert "jest zaksięgowana zapisem WB-77" in response.content.decode()
    assert response.context["rows"] == []
    with coop_a.use():
        allocation.refresh_from_db()
        assert allocation.settled_entry.source_id == "WB-77"
        assert allocation.provisional_entry_id is None
        assert _payment_entries("ALFA-1-1") == [("WB-77", Decimal("-250.00")), ("WB-78", Decimal("-249.00"))]
        event = AuditEvent.objects.get(action=AuditAction.ONLINE_PAYMENT_BOOKED)
        assert (event.actor_id, event.target) == (coop_a.clerk.pk, "IOKMANUAL01")
    # The same entry cannot book it twice, nor another payment.
    again = clerk.post("/biuro/platnosci/niezaksiegowane/", {"allocation": allocation.pk, "entry": "WB-77"})
    assert again.status_code == 400
    assert "jest już zaksięgowana albo nie została opłacona" in again.content.decode()


# --- the export ------------------------------------------------------------------------------------

def test_the_export_is_the_payments_import_format_and_importing_it_books_each_unit_once(coop_a, office):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    with coop_a.use():
        _payment("IOKLATE0001", payer=coop_a.outsider, amounts={"ALFA-1-2": "12.34"},
                 created=_at("2026-11-20", "23:50"), paid=_at("2026-11-20", "23:55"))
    response = clerk.get("/biuro/platnosci/eksport.csv?od=2026-11-01&do=2026-11-19")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "platnosci-online-20261101-20261119.csv" in response["Content-Disposition"]
    assert response.content.decode("utf-8") == (
        "spoldzielnia;id_zapisu;lokal;data;kwota;referencja;opis\n"
        "alfa;ONLINE-IOKPAID0001-ALFA-1-1;ALFA-1-1;03.11.2026;250,00;IOKPAID0001;Wpłata online IOKPAID0001 (PayU)\n"
        "alfa;ONLINE-IOKPAID0001-ALFA-1-G1;ALFA-1-G1;03.11.2026;80,00;IOKPAID0001;Wpłata online IOKPAID0001 (PayU)\n")
    with coop_a.use():
        event = AuditEvent.objects.get(action=AuditAction.ONLINE_PAYMENTS_EXPORTED)
        assert (event.actor_id, event.target, event.details) == (coop_a.clerk.pk, "2026-11-01 – 2026-11-19",
                                                                                  {"count": 2})
    everything = clerk.get("/biuro/platnosci/eksport.csv").content.decode("utf-8").splitlines()
    assert [line.split(";")[1] for line in everything[1:]] == [
        "ONLINE-IOKPAID0001-ALFA-1-1", "ONLINE-IOKPAID0001-ALFA-1-G1", "ONLINE-IOKLATE0001-ALFA-1-2"]
    assert everything[3].split(";")[3] == "20.11.2026"  # the day in Warsaw

    # The accounting system books the file and its payments file brings the rows back.
    with coop_a.use():
        _import(response.content.decode("utf-8").splitlines()[1:])
        allocations = Allocation.objects.filter(payment__reference="IOKPAID0001").select_related("settled_entry")
        assert sorted((a.unit.code, a.settled_entry.source_id, a.provisional_entry_id) for a in allocations) == [
            ("ALFA-1-1", "ONLINE-IOKPAID0001-ALFA-1-1", None), ("ALFA-1-G1", "ONLINE-IOKPAID0001-ALFA-1-G1", None)]
        assert _payment_entries("ALFA-1-1") == [("ONLINE-IOKPAID0001-ALFA-1-1", Decimal("-250.00"))]
        assert _payment_entries("ALFA-1-G1") == [("ONLINE-IOKPAID0001-ALFA-1-G1", Decimal("-80.00"))]
        assert LedgerEntry.objects.filter(unit__code="ALFA-1-1").aggregate(total=Sum("amount"))["total"] == \
            Decimal("-250.00")
    # Booked now: a later export leaves them out.
    assert clerk.get("/biuro/platnosci/eksport.csv?od=2026-11-01&do=2026-11-19").content.decode() == \
        "spoldzielnia;id_zapisu;lokal;data;kwota;referencja;opis\n"


def test_an_export_with_wrong_dates_says_so_and_exports_nothing(coop_a, office):
    response = coop_a.client_logged_in_as(coop_a.clerk).get("/biuro/platnosci/eksport.csv?od=wczoraj&do=")
    assert response.status_code == 400
    assert "Proszę podać poprawną datę." in response.content.decode()
    with coop_a.use():
        assert not AuditEvent.objects.filter(action=AuditAction.ONLINE_PAYMENTS_EXPORTED).exists()
