"""Online payments through the API, as a residents' app makes them: sign in for a token, start a payment for a
unit, open the gateway's address (the simulator's page), read the payment back. The real library's client
against the simulator over HTTP; refusals leave nothing behind."""

import socket
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client

from billing_views.models import LedgerEntry
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.online_payments.models import Allocation, OnlinePayment
from tenants_portal.registry.models import Unit

from . import payments_world as world
from .conftest import PASSWORD
from .payments_world import HOST, gateway_configure, ledger_import

# The payments world's fixtures, by assignment: an imported name that a test's argument shadows is F811.
kasa, payments_world = world.kasa, world.payments_world

pytestmark = pytest.mark.xdist_group("payments")

NOT_FOUND = {"type": "client_error", "errors": [{"code": "not_found", "detail": "Nie znaleziono.", "attr": None}]}


def _app(username: str) -> Client:
    """A residents' app signed in as `username`: a token from the sign-in endpoint, sent as a bearer."""
    answer = Client(HTTP_HOST=HOST).post("/api/v1/auth/token/", {"username": username, "password": PASSWORD,
                                                                 "device": "Telefon"},
                                         content_type="application/json")
    assert answer.status_code == 201, answer.content
    return Client(HTTP_HOST=HOST, HTTP_AUTHORIZATION=f"Bearer {answer.json()['token']}")


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def _charge(world, *, code: str = "KASA-1-1", amount: str = "512,40") -> None:
    run = ledger_import(world, kind="charges", rows=[
        f"kasa;N-{code};{code};naliczenie;eksploatacja;12.2026;01.12.2026;{amount};Opłata"])
    assert run.status == "succeeded", run.message


def _balance(unit: Unit) -> Decimal:
    return LedgerEntry.objects.filter(unit=unit).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def _start(app: Client, unit: Unit, body: dict | None = None):
    return app.post(f"/api/v1/units/{unit.pk}/online-payments/", body if body is not None else {},
                    content_type="application/json")


def _validation_error(attr: str, code: str, detail: str) -> dict:
    return {"type": "validation_error", "errors": [{"code": code, "detail": detail, "attr": attr}]}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _payment_new(*, payer_username: str, unit: Unit, amount: str = "100.00", **fields) -> OnlinePayment:
    """A payment as payment_create leaves it (state setup for the refusals)."""
    payment = OnlinePayment.objects.create(reference=f"IOKTEST{unit.pk:04d}", backend="payu",
                                           payer=User.objects.get(username=payer_username),
                                           amount_required=Decimal(amount), **fields)
    Allocation.objects.create(payment=payment, unit=unit, amount=Decimal(amount))
    return payment


def test_the_app_starts_a_payment_pays_it_at_the_gateway_and_reads_it_paid(kasa):
    flat = _unit("KASA-1-1")
    _charge(kasa)
    app = _app("lokator")

    response = _start(app, flat, {"amount": "512.40"})
    assert response.status_code == 201, kasa.web_log()
    payment = OnlinePayment.objects.get()
    body = response.json()
    assert body == {
        "id": str(payment.pk), "reference": payment.reference, "status": "waiting", "amount": "512.40",
        "fee": "0.00", "total": "512.40", "redirect_url": f"{kasa.simulator_url}/sim/payu/authorize/"
                                                          f"{payment.external_id}",
        "created_at": body["created_at"], "paid_at": None,
        "allocations": [{"unit": flat.pk, "unit_code": "KASA-1-1", "amount": "512.40", "booked": False}]}
    assert (payment.status, payment.via_api, payment.amount_required, payment.payer.username) == (
        "prepared", True, Decimal("512.40"), "lokator")
    # The gateway was asked for exactly that amount, in grosze.
    order = kasa.simulator_order(payment.external_id)
    assert (order["totalAmount"], order["extOrderId"], order["status"]) == ("51240", str(payment.pk), "PENDING")
    assert order["continueUrl"] == f"http://kasa.localhost:{kasa.web_port}/platnosci/{payment.pk}/wynik/"
    assert list(AuditEvent.objects.filter(action=AuditAction.ONLINE_PAYMENT_STARTED)
                .values_list("target", "actor__username")) == [(payment.reference, "lokator")]

    # The payer approves on the gateway's page; the app reads the payment back.
    kasa.simulator_decide(body["redirect_url"])
    read = app.get(f"/api/v1/online-payments/{payment.pk}/")
    assert read.status_code == 200
    payment.refresh_from_db()
    assert read.json() == {**body, "status": "paid", "redirect_url": None,
                           "paid_at": read.json()["paid_at"]}
    assert read.json()["paid_at"] is not None and payment.status == "paid"
    assert _balance(flat) == Decimal("0.00")

    # Paid: it is not sent to the gateway again.
    again = app.post(f"/api/v1/online-payments/{payment.pk}/checkout/")
    assert again.status_code == 400
    assert again.json() == _validation_error("non_field_errors", "not_waiting",
                                             "Ta płatność nie czeka już na zapłatę.")


def test_a_payment_whose_notification_has_not_come_is_checked_with_the_gateway_on_reading(kasa, settings):
    flat = _unit("KASA-1-1")
    app = _app("lokator")
    # The gateway's notification goes nowhere: only the reading's verification call can tell.
    settings.PAYMENTS_NOTIFY_BASE_URL = f"http://127.0.0.1:{_closed_port()}"
    started = _start(app, flat, {"amount": "80.00"})
    assert started.status_code == 201
    kasa.simulator_decide(started.json()["redirect_url"])
    payment = OnlinePayment.objects.get()
    assert payment.status == "prepared"

    read = app.get(f"/api/v1/online-payments/{payment.pk}/")
    assert (read.status_code, read.json()["status"]) == (200, "paid")
    payment.refresh_from_db()
    assert (payment.status, payment.amount_paid) == ("paid", Decimal("80.00"))
    assert _balance(flat) == Decimal("-80.00")


def test_without_an_amount_the_unit_pays_what_it_owes_with_the_fee_on_top(kasa):
    gateway_configure(resident_pays_fee=True, fee_fixed=Decimal("1.00"), fee_percent=Decimal("0.50"))
    flat = _unit("KASA-1-1")
    _charge(kasa, amount="200,00")
    response = _start(_app("lokator"), flat, {"amount": None})
    assert response.status_code == 201, kasa.web_log()
    assert (response.json()["amount"], response.json()["fee"], response.json()["total"]) == ("200.00", "2.00",
                                                                                          "202.00")
    payment = OnlinePayment.objects.get()
    assert kasa.simulator_order(payment.external_id)["totalAmount"] == "20200"


def test_nothing_owed_and_no_amount_is_refused_in_polish(kasa):
    garage = _unit("KASA-1-G1")
    response = _start(_app("lokator"), garage)
    assert response.status_code == 400
    assert response.json() == _validation_error(
        "amount", "nothing_due", "Za ten lokal nie ma teraz nic do zapłaty. Prosimy podać kwotę, którą chcą Państwo "
                                 "wpłacić.")
    assert not OnlinePayment.objects.exists()


@pytest.mark.parametrize(("amount", "error"), [
    ("0.50", ("non_field_errors", "refused", "Najmniejsza płatność online to 1,00 zł.")),
    ("-5.00", ("amount", "min_value", "Kwota musi być większa od zera.")),
    ("0.00", ("amount", "min_value", "Kwota musi być większa od zera.")),
    ("12,50", ("amount", "invalid", "Kwotę należy podać w złotych jako tekst z kropką dziesiętną, np. „512.40”.")),
    ("dużo", ("amount", "invalid", "Kwotę należy podać w złotych jako tekst z kropką dziesiętną, np. „512.40”.")),
    ("1.005", ("amount", "max_decimal_places", "Kwota może mieć najwyżej dwie cyfry po przecinku (grosze).")),
    ("100000.00", ("amount", "max_digits", "Jedna płatność online może wynosić najwyżej 99 999,99 zł; "
                                                 "prosimy zapłacić w częściach.")),
    (512.4, ("amount", "invalid", "Wymagana poprawna liczba.")),
], ids=["below the minimum", "negative", "zero", "comma", "words", "three decimals", "too much",
       "a JSON number"])
def test_a_bad_amount_is_refused_and_nothing_is_created(kasa, amount, error):
    response = _start(_app("lokator"), _unit("KASA-1-1"), {"amount": amount})
    assert response.status_code == 400
    assert response.json() == _validation_error(*error)
    assert not OnlinePayment.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ONLINE_PAYMENT_STARTED).exists()


def test_another_residents_unit_is_404_like_a_missing_one_and_nothing_is_created(kasa):
    app = _app("lokator")
    for unit_id in (_unit("KASA-1-2").pk, 999_999):
        response = app.post(f"/api/v1/units/{unit_id}/online-payments/", {"amount": "50.00"},
                            content_type="application/json")
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert not OnlinePayment.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ONLINE_PAYMENT_STARTED).exists()


def test_another_residents_payment_is_404_and_not_listed(kasa):
    theirs = _payment_new(payer_username="obcy", unit=_unit("KASA-1-2"))
    mine = _payment_new(payer_username="lokator", unit=_unit("KASA-1-1"), amount="20.00")
    app = _app("lokator")
    for response in (app.get(f"/api/v1/online-payments/{theirs.pk}/"),
                     app.post(f"/api/v1/online-payments/{theirs.pk}/checkout/"),
                     app.get("/api/v1/online-payments/00000000-0000-4000-8000-000000000000/")):
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    theirs.refresh_from_db()
    assert (theirs.status, theirs.external_id) == ("new", None)  # not sent to the gateway by someone else

    listed = app.get("/api/v1/online-payments/")
    assert listed.status_code == 200
    assert (listed.json()["count"], [item["id"] for item in listed.json()["results"]]) == (1, [str(mine.pk)])
    assert _app("obcy").get(f"/api/v1/online-payments/{theirs.pk}/").json()["reference"] == theirs.reference


def test_the_list_is_newest_first_in_pages(kasa):
    flat = _unit("KASA-1-1")
    older = _payment_new(payer_username="lokator", unit=flat, amount="10.00")
    newer = _payment_new(payer_username="lokator", unit=_unit("KASA-1-G1"), amount="30.00")
    page = _app("lokator").get("/api/v1/online-payments/?page_size=1")
    assert page.status_code == 200
    assert (page.json()["count"], page.json()["previous"], [item["id"] for item in page.json()["results"]]) == (
        2, None, [str(newer.pk)])
    assert page.json()["next"] == "http://kasa.localhost/api/v1/online-payments/?page=2&page_size=1"
    assert older.pk != newer.pk


def test_with_the_module_off_every_payments_endpoint_is_404_and_nothing_is_created(kasa):
    flat = _unit("KASA-1-1")
    existing = _payment_new(payer_username="lokator", unit=flat)
    app = _app("lokator")
    InstanceSettings.objects.filter(pk=1).update(module_online_payments=False)
    instance_settings_forget()
    for response in (_start(app, flat, {"amount": "50.00"}), app.get("/api/v1/online-payments/"),
                     app.get(f"/api/v1/online-payments/{existing.pk}/"),
                     app.post(f"/api/v1/online-payments/{existing.pk}/checkout/")):
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert list(OnlinePayment.objects.values_list("pk", "status", "external_id")) == [(existing.pk, "new", None)]
    # The rest of the API is there.
    assert app.get(f"/api/v1/units/{flat.pk}/").status_code == 200


def test_an_unreachable_gateway_is_503_nothing_is_charged_and_the_payment_can_be_sent_again(kasa, settings):
    flat = _unit("KASA-1-1")
    app = _app("lokator")
    settings.PAYMENTS_SIMULATOR_URL = f"http://127.0.0.1:{_closed_port()}"
    response = _start(app, flat, {"amount": "75.00"})
    assert response.status_code == 503
    assert response.json() == {"type": "server_error", "errors": [{
        "code": "gateway_unavailable", "attr": None,
        "detail": "Bramka płatności w tej chwili nie odpowiada. Nie pobrano żadnej kwoty; prosimy spróbować "
                  "ponownie za kilka minut."}]}
    payment = OnlinePayment.objects.get()
    assert (payment.status, payment.external_id, payment.redirect_url) == ("new", None, "")
    # On the cooperative's primary address, as every link the platform gives out (the gateway's world serves it
    # on a port of its own).
    assert response["Location"] == (f"http://kasa.localhost:{settings.SITE_PORT}"
                                    f"/api/v1/online-payments/{payment.pk}/")
    assert response["Retry-After"] == "60"
    assert app.get(response["Location"]).json()["status"] == "waiting"

    # The gateway is back: the same payment goes to it, for the same amount.
    settings.PAYMENTS_SIMULATOR_URL = kasa.simulator_url
    sent = app.post(f"/api/v1/online-payments/{payment.pk}/checkout/")
    assert sent.status_code == 200, kasa.web_log()
    payment.refresh_from_db()
    assert (payment.status, sent.json()["redirect_url"]) == ("prepared", payment.redirect_url)
    assert kasa.simulator_order(payment.external_id)["totalAmount"] == "7500"
    # Asked again, the address there is the same (no second order).
    assert app.post(f"/api/v1/online-payments/{payment.pk}/checkout/").json()["redirect_url"] == payment.redirect_url


def test_starting_payments_is_rate_limited_per_account(kasa):
    flat = _unit("KASA-1-1")
    waiting = _payment_new(payer_username="lokator", unit=flat, status="prepared",
                           redirect_url=f"{kasa.simulator_url}/sim/payu/authorize/X", external_id="X")
    app = _app("lokator")
    for _ in range(20):  # resuming a started payment counts too (no gateway call: its address is kept)
        assert app.post(f"/api/v1/online-payments/{waiting.pk}/checkout/").status_code == 200
    refused = _start(app, flat, {"amount": "50.00"})
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["code"] == "throttled"
    assert OnlinePayment.objects.count() == 1
    # Another account is not limited by this one.
    assert _start(_app("obcy"), _unit("KASA-1-2"), {"amount": "50.00"}).status_code == 201


def test_a_payment_the_cooperatives_gateway_cannot_take_now_is_refused_not_an_outage(kasa):
    payment = _payment_new(payer_username="lokator", unit=_unit("KASA-1-1"))
    gateway_configure(gateway="paynow")  # the cooperative changed its gateway since the payment was started
    response = _app("lokator").post(f"/api/v1/online-payments/{payment.pk}/checkout/")
    assert response.status_code == 400
    assert response.json() == _validation_error("non_field_errors", "refused",
                                                 "Płatności online są w tej chwili niedostępne.")
    payment.refresh_from_db()
    assert (payment.status, payment.external_id) == ("new", None)
