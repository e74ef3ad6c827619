"""Online payments end to end against the gateway simulator: the resident pays, the gateway's signed
notification (confirmed by its verification call) books a provisional entry at once, and the payments
import that brings the bank's copy replaces it — one payment on the ledger at every moment."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from billing_views.models import LedgerEntry
from tenants_portal.online_payments.models import Allocation, OnlinePayment
from tenants_portal.registry.models import Unit

from .payments_world import kasa, ledger_import, payments_world  # noqa: F401 (fixtures)

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
