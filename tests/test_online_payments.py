"""Online payments end to end against the gateway simulator: the resident pays, the gateway's signed
notification (confirmed by its verification call) books a provisional entry at once, and the payments
import that brings the bank's copy replaces it — one payment on the ledger at every moment."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from billing_views.models import LedgerEntry
from tenants_portal.audit.models import AuditEvent
from tenants_portal.online_payments.models import Allocation, OnlinePayment
from tenants_portal.registry.models import Unit

from .payments_world import ledger_import

pytestmark = pytest.mark.xdist_group("payments")


def _flat() -> Unit:
    return Unit.objects.get(code="KASA-1-1")


def _balance(unit: Unit) -> Decimal:
    return LedgerEntry.objects.filter(unit=unit).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def _payments(unit: Unit) -> list[tuple[str, Decimal, str]]:
    return sorted((entry.source_id, entry.amount, entry.description)
                  for entry in LedgerEntry.objects.filter(unit=unit, kind=LedgerEntry.Kind.PAYMENT))


def _charge(amount: str = "512,40") -> None:
    ledger_import_rows = [f"kasa;N-2026-12;KASA-1-1;naliczenie;eksploatacja;12.2026;01.12.2026;{amount};Opłata"]
    return ledger_import_rows


def _pay(client, *, unit: Unit, amount: str) -> OnlinePayment:
    response = client.post(f"/platnosci/?unit={unit.pk}", {f"unit_{unit.pk}": amount})
    assert response.status_code == 302, response.content.decode()[:2000]
    payment = OnlinePayment.objects.get()
    assert response["Location"] == f"/platnosci/{payment.pk}/"
    return payment


def test_the_whole_timeline_counts_the_payment_once(kasa):
    flat = _flat()
    run = ledger_import(kasa, kind="charges", rows=_charge())
    assert run.status == "succeeded", run.message
    assert _balance(flat) == Decimal("512.40")
    client = kasa.client_logged_in_as("lokator")

    # The amount due is offered; the resident pays it.
    page = client.get(f"/platnosci/?unit={flat.pk}").content.decode()
    assert 'value="512,40"' in page
    payment = _pay(client, unit=flat, amount="512,40")
    assert (payment.status, payment.amount_required, payment.fee) == ("new", Decimal("512.40"), Decimal("0.00"))
    assert _balance(flat) == Decimal("512.40")

    # Off to the gateway: the order there is for the amount stored with the payment.
    response = client.post(f"/platnosci/{payment.pk}/zaplac/")
    assert response.status_code == 302, kasa.web_log()
    payment.refresh_from_db()
    assert response["Location"] == payment.redirect_url == (
        f"{kasa.simulator_url}/sim/payu/authorize/{payment.external_id}")
    order = kasa.simulator_order(payment.external_id)
    assert (order["totalAmount"], order["extOrderId"], order["status"]) == ("51240", str(payment.pk), "PENDING")
    assert order["notifyUrl"] == kasa.notify_url
    assert order["continueUrl"] == f"http://kasa.localhost:{kasa.web_port}/platnosci/{payment.pk}/wynik/"
    assert payment.status == "prepared"
    assert _balance(flat) == Decimal("512.40")

    # Paid at the gateway: its notification is taken before the payer is sent back.
    decided = kasa.simulator_decide(payment.redirect_url)
    assert decided.headers["location"] == order["continueUrl"]
    payment.refresh_from_db()
    assert (payment.status, payment.amount_paid) == ("paid", Decimal("512.40")), kasa.web_log()
    assert _balance(flat) == Decimal("0.00")
    assert _payments(flat) == [(f"online:{payment.reference}:{flat.pk}", Decimal("-512.40"),
                                "wpłata online — oczekuje na zaksięgowanie")]
    page = client.get(f"/platnosci/{payment.pk}/wynik/").content.decode()
    assert "Dziękujemy: płatność została opłacona" in page, page[-3000:]

    # The bank's copy arrives with the payments file: it replaces the provisional entry.
    run = ledger_import(kasa, kind="payments", rows=[
        f"kasa;W-1;KASA-1-1;03.12.2026;512,40;PAYU {payment.reference};Wpłata PayU"])
    assert run.status == "succeeded", run.message
    assert "1 wpłata online zaksięgowana" in run.message
    assert _balance(flat) == Decimal("0.00")
    assert _payments(flat) == [("W-1", Decimal("-512.40"), "Wpłata PayU")]
    allocation = Allocation.objects.get()
    assert (allocation.settled_entry.source_id, allocation.provisional_entry) == ("W-1", None)

    # The same file again changes nothing.
    again = ledger_import(kasa, kind="payments", rows=[
        f"kasa;W-1;KASA-1-1;03.12.2026;512,40;PAYU {payment.reference};Wpłata PayU"])
    assert again.status == "unchanged"
    assert _payments(flat) == [("W-1", Decimal("-512.40"), "Wpłata PayU")]


def _prepared(kasa, client=None, *, unit: Unit | None = None, amount: str = "100,00") -> OnlinePayment:
    """A payment started by lokator and sent to the gateway (the simulator's order waits for the payer)."""
    client = client or kasa.client_logged_in_as("lokator")
    payment = _pay(client, unit=unit or _flat(), amount=amount)
    response = client.post(f"/platnosci/{payment.pk}/zaplac/")
    assert response.status_code == 302, response.content.decode()[:2000]
    payment.refresh_from_db()
    return payment


def _payu_notification(payment: OnlinePayment, *, status: str = "COMPLETED", amount_grosze: str | None = None,
                       key: str | None = None) -> tuple[bytes, dict[str, str]]:
    """A PayU order notification as the gateway sends it, signed with `key` (the cooperative's second key
    unless a forger's)."""
    import json

    from getpaid_payu.simulator.signing import sign_payload

    from devstack.simulator import PAYU_SECOND_KEY

    body = json.dumps({"order": {
        "orderId": payment.external_id, "extOrderId": str(payment.pk), "currencyCode": "PLN",
        "totalAmount": amount_grosze or str(int(payment.amount_required * 100)), "status": status}}).encode()
    return body, {"Content-Type": "application/json",
                  "OpenPayU-Signature": sign_payload(body, key or PAYU_SECOND_KEY)}


def _notify(kasa, body: bytes, headers: dict[str, str]) -> int:
    import httpx

    return httpx.post(kasa.notify_url, content=body, headers=headers, timeout=30).status_code


def _state(payment: OnlinePayment) -> tuple:
    payment.refresh_from_db()
    return (payment.status, payment.amount_paid, list(LedgerEntry.objects.order_by("pk").values_list(
        "source_id", "amount")), AuditEvent.objects.filter(action__startswith="online_payment.paid").count())


def test_a_forged_notification_changes_nothing(kasa):
    payment = _prepared(kasa)
    before = _state(payment)
    assert before == ("prepared", Decimal("0.00"), [], 0)

    # Signed with another key, unsigned, not JSON, naming no payment of ours: refused, nothing changes.
    body, headers = _payu_notification(payment, key="not-the-cooperatives-second-key")
    assert _notify(kasa, body, headers) == 400
    assert _notify(kasa, body, {"Content-Type": "application/json"}) == 400
    assert _notify(kasa, b"status=COMPLETED", {"Content-Type": "text/plain"}) == 400
    other, other_headers = _payu_notification(payment)
    assert _notify(kasa, other.replace(str(payment.pk).encode(), b"00000000-0000-0000-0000-000000000000"),
                   other_headers) == 400
    assert _state(payment) == before


def test_a_signed_notification_is_believed_only_as_far_as_the_gateway_confirms_it(kasa):
    payment = _prepared(kasa)
    # Correctly signed (a leaked key, or an old notification), but the gateway's order still waits for the
    # payer: the verification call says so, and nothing is booked.
    body, headers = _payu_notification(payment, status="COMPLETED")
    assert _notify(kasa, body, headers) == 200
    assert _state(payment) == ("prepared", Decimal("0.00"), [], 0)
    assert kasa.simulator_order(payment.external_id)["status"] == "PENDING"


def test_replayed_and_duplicate_notifications_book_the_payment_once(kasa):
    payment = _prepared(kasa, amount="100,00")
    kasa.simulator_decide(payment.redirect_url)
    paid = _state(payment)
    assert paid == ("paid", Decimal("100.00"), [(f"online:{payment.reference}:{_flat().pk}", Decimal("-100.00"))],
                    1)
    # The gateway's own notification again, twice, and one claiming a smaller amount: the amount is the
    # gateway's (its verification call), and the payment was booked once.
    body, headers = _payu_notification(payment)
    assert _notify(kasa, body, headers) == 200
    assert _notify(kasa, body, headers) == 200
    body, headers = _payu_notification(payment, amount_grosze="100")
    assert _notify(kasa, body, headers) == 200
    assert _state(payment) == paid


def test_an_amount_changed_in_the_browser_is_not_what_is_charged(kasa):
    client = kasa.client_logged_in_as("lokator")
    flat = _flat()
    payment = _pay(client, unit=flat, amount="250,00")
    # The checkout form carries no amount; one added to the request is ignored.
    response = client.post(f"/platnosci/{payment.pk}/zaplac/", {f"unit_{flat.pk}": "1,00", "amount": "1.00",
                                                                   "totalAmount": "100"})
    assert response.status_code == 302
    payment.refresh_from_db()
    assert kasa.simulator_order(payment.external_id)["totalAmount"] == "25000"
    assert payment.amount_required == Decimal("250.00")


@pytest.mark.parametrize("typed", ["-5,00", "abc", "1,001", "0", "100000,00", "0,50"])
def test_a_bad_amount_is_refused_with_the_form_kept_and_nothing_created(kasa, typed):
    client = kasa.client_logged_in_as("lokator")
    flat = _flat()
    response = client.post(f"/platnosci/?unit={flat.pk}", {f"unit_{flat.pk}": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'value="{typed}"' in page
    assert "Prosimy poprawić" in page
    assert OnlinePayment.objects.count() == 0


def test_another_residents_unit_and_payment_answer_404_and_change_nothing(kasa):
    payment = _prepared(kasa)
    stranger = kasa.client_logged_in_as("obcy")
    flat = _flat()
    assert stranger.get(f"/platnosci/?unit={flat.pk}").status_code == 404
    assert stranger.post(f"/platnosci/?unit={flat.pk}", {f"unit_{flat.pk}": "10,00"}).status_code == 404
    for path in ("", "wynik/"):
        assert stranger.get(f"/platnosci/{payment.pk}/{path}").status_code == 404
    assert stranger.post(f"/platnosci/{payment.pk}/zaplac/").status_code == 404
    assert stranger.get("/platnosci/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert OnlinePayment.objects.count() == 1
    assert _state(payment) == ("prepared", Decimal("0.00"), [], 0)


def test_one_payment_for_all_units_books_each_unit_and_the_import_settles_each(kasa):
    client = kasa.client_logged_in_as("lokator")
    flat, garage = _flat(), Unit.objects.get(code="KASA-1-G1")
    response = client.post("/platnosci/?wszystkie=1", {f"unit_{flat.pk}": "300,00", f"unit_{garage.pk}": "45,50"})
    assert response.status_code == 302
    payment = OnlinePayment.objects.get()
    client.post(f"/platnosci/{payment.pk}/zaplac/")
    payment.refresh_from_db()
    assert kasa.simulator_order(payment.external_id)["totalAmount"] == "34550"
    kasa.simulator_decide(payment.redirect_url)
    assert (_balance(flat), _balance(garage)) == (Decimal("-300.00"), Decimal("-45.50"))
    run = ledger_import(kasa, kind="payments", rows=[
        f"kasa;W-7;KASA-1-1;04.12.2026;300,00;{payment.reference};Wpłata",
        f"kasa;W-8;KASA-1-G1;04.12.2026;45,50;{payment.reference};Wpłata"])
    assert run.status == "succeeded", run.message
    assert "2 wpłaty online zaksięgowane" in run.message
    assert (_payments(flat), _payments(garage)) == ([("W-7", Decimal("-300.00"), "Wpłata")],
                                                    [("W-8", Decimal("-45.50"), "Wpłata")])


def test_a_bank_copy_imported_before_the_gateway_confirms_books_the_payment_at_once(kasa):
    payment = _prepared(kasa, amount="80,00")
    flat = _flat()
    ledger_import(kasa, kind="payments", rows=[f"kasa;W-2;KASA-1-1;02.12.2026;80,00;{payment.reference};"])
    kasa.simulator_decide(payment.redirect_url)
    payment.refresh_from_db()
    assert payment.status == "paid"
    assert _payments(flat) == [("W-2", Decimal("-80.00"), "")]
    assert Allocation.objects.get().settled_entry.source_id == "W-2"


def test_an_import_of_another_amount_or_unit_does_not_book_the_payment(kasa):
    payment = _prepared(kasa, amount="80,00")
    kasa.simulator_decide(payment.redirect_url)
    ledger_import(kasa, kind="payments", rows=[f"kasa;W-3;KASA-1-1;02.12.2026;79,99;{payment.reference};",
                                               f"kasa;W-4;KASA-1-G1;02.12.2026;80,00;{payment.reference};"])
    assert Allocation.objects.get().settled_entry is None
    assert _balance(_flat()) == Decimal("-159.99")


def test_a_cancelled_payment_books_nothing_and_says_so(kasa):
    client = kasa.client_logged_in_as("lokator")
    payment = _prepared(kasa, client)
    kasa.simulator_decide(payment.redirect_url, action="reject")
    assert _state(payment) == ("failed", Decimal("0.00"), [], 0)
    page = client.get(f"/platnosci/{payment.pk}/wynik/").content.decode()
    assert "Płatność została anulowana" in page


def test_a_refund_notified_by_the_gateway_takes_back_what_is_not_booked(kasa):
    import json

    from getpaid_payu.simulator.signing import sign_payload

    from devstack.simulator import PAYU_SECOND_KEY

    payment = _prepared(kasa, amount="60,00")
    kasa.simulator_decide(payment.redirect_url)
    assert _balance(_flat()) == Decimal("-60.00")
    body = json.dumps({"orderId": payment.external_id, "extOrderId": str(payment.pk), "refund": {
        "refundId": "R-1", "amount": "6000", "currencyCode": "PLN", "status": "FINALIZED"}}).encode()
    headers = {"Content-Type": "application/json", "OpenPayU-Signature": sign_payload(body, PAYU_SECOND_KEY)}
    assert _notify(kasa, body, headers) == 200
    assert _notify(kasa, body, headers) == 200
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("refunded", Decimal("60.00"))
    assert _balance(_flat()) == Decimal("0.00")
    assert AuditEvent.objects.filter(action="online_payment.refunded").count() == 1


def test_a_payment_left_at_the_gateway_expires_after_the_gateway_says_it_is_unpaid(kasa):
    import datetime

    import time_machine
    from django.utils import timezone

    from tenants_portal.online_payments.services import payments_expire

    payment = _prepared(kasa)
    assert payments_expire() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61), tick=False):
        assert payments_expire() == 1
    payment.refresh_from_db()
    assert (payment.status, payment.expired_at is not None) == ("failed", True)
    assert AuditEvent.objects.filter(action="online_payment.expired").count() == 1


def test_a_payment_paid_at_the_gateway_is_not_expired_but_taken(kasa):
    import datetime

    import time_machine
    from django.utils import timezone

    from tenants_portal.configuration.models import InstanceSettings
    from tenants_portal.configuration.selectors import instance_settings_forget
    from tenants_portal.online_payments.services import payments_expire

    payment = _prepared(kasa, amount="70,00")
    # The payer approves while the platform does not take the notification (here: the module briefly off,
    # so it answers 404 and the gateway gives up): the expiry's check with the gateway takes the payment.
    InstanceSettings.objects.filter(pk=1).update(module_online_payments=False)
    instance_settings_forget()
    kasa.simulator_decide(payment.redirect_url)
    InstanceSettings.objects.filter(pk=1).update(module_online_payments=True)
    instance_settings_forget()
    assert _state(payment)[:2] == ("prepared", Decimal("0.00"))
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61), tick=False):
        assert payments_expire() == 0
    payment.refresh_from_db()
    assert (payment.status, payment.expired_at) == ("paid", None)
    assert _balance(_flat()) == Decimal("-70.00")


def test_the_resident_pays_the_fee_when_the_cooperative_says_so(kasa):
    from .payments_world import gateway_configure

    gateway_configure(resident_pays_fee=True, fee_fixed=Decimal("1.20"), fee_percent=Decimal("0.50"))
    client = kasa.client_logged_in_as("lokator")
    payment = _pay(client, unit=_flat(), amount="200,00")
    assert (payment.fee, payment.amount_required) == (Decimal("2.20"), Decimal("202.20"))
    page = client.get(f"/platnosci/{payment.pk}/").content.decode()
    assert "Opłata bramki" in page and "202,20" in page
    client.post(f"/platnosci/{payment.pk}/zaplac/")
    payment.refresh_from_db()
    assert kasa.simulator_order(payment.external_id)["totalAmount"] == "20220"
    kasa.simulator_decide(payment.redirect_url)
    # The ledger gets what reaches the cooperative, not the fee.
    assert _balance(_flat()) == Decimal("-200.00")


def test_paynow_pays_the_same_way(kasa):
    from .payments_world import gateway_configure

    gateway_configure(gateway="paynow")
    payment = _prepared(kasa, amount="120,00")
    assert payment.backend == "paynow"
    assert payment.redirect_url.startswith(f"{kasa.simulator_url}/sim/paynow/authorize/")
    kasa.simulator_decide(payment.redirect_url)
    assert _state(payment)[:2] == ("paid", Decimal("120.00")), kasa.web_log()
    assert _balance(_flat()) == Decimal("-120.00")


def test_switched_off_the_module_answers_404_everywhere_notifications_included(kasa):
    from tenants_portal.configuration.models import InstanceSettings
    from tenants_portal.configuration.selectors import instance_settings_forget

    payment = _prepared(kasa)
    InstanceSettings.objects.filter(pk=1).update(module_online_payments=False)
    instance_settings_forget()
    client = kasa.client_logged_in_as("lokator")
    assert client.get("/platnosci/").status_code == 404
    assert client.get(f"/platnosci/{payment.pk}/wynik/").status_code == 404
    body, headers = _payu_notification(payment)
    assert _notify(kasa, body, headers) == 404


def test_a_gateway_that_does_not_answer_leaves_the_payment_to_try_again(kasa, settings):
    client = kasa.client_logged_in_as("lokator")
    payment = _pay(client, unit=_flat(), amount="40,00")
    settings.PAYMENTS_SIMULATOR_URL = "http://127.0.0.1:9"
    response = client.post(f"/platnosci/{payment.pk}/zaplac/")
    assert response.status_code == 503
    assert "Bramka płatności w tej chwili nie odpowiada" in response.content.decode()
    payment.refresh_from_db()
    assert (payment.status, payment.external_id) == ("new", None)
    settings.PAYMENTS_SIMULATOR_URL = kasa.simulator_url
    assert client.post(f"/platnosci/{payment.pk}/zaplac/").status_code == 302


def test_the_payers_own_data_lists_their_online_payments(kasa):
    client = kasa.client_logged_in_as("lokator")
    payment = _prepared(kasa, client, amount="33,00")
    kasa.simulator_decide(payment.redirect_url)
    page = client.get("/konto/moje-dane/").content.decode()
    assert "Płatności online" in page and payment.reference in page
    assert "opłacona, czeka na zaksięgowanie" in page
    assert payment.reference not in kasa.client_logged_in_as("obcy").get("/konto/moje-dane/").content.decode()
