"""Online payments' writes: start, send to the gateway, take the gateway's word, expire, book.

The gateway's word is all that changes a payment's state: a notification whose signature is the
gateway's, confirmed by the gateway's own verification call (the amount is the gateway's, never the
notification's or the browser's). Each change runs python-getpaid's state machine on the locked row in
one transaction; a replayed or duplicated notification finds nothing left to change. Entering the paid
state, and only that, books the provisional ledger entries."""

import datetime
import json
import logging
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from getpaid_core.enums import PaymentEvent, PaymentStatus
from getpaid_core.exceptions import InvalidTransitionError
from getpaid_core.fsm import apply_payment_update
from getpaid_core.types import PaymentUpdate

from billing_views.models import LedgerEntry
from cooperatives.selectors import cooperative_current, cooperative_url
from iok.encryption import secret_encrypt
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record
from tenants_portal.registry.models import Unit

from . import gateway
from .models import Allocation, GatewaySettings, OnlinePayment
from .selectors import fee_for, gateway_settings_get
from .settlement import allocation_settle_by_entry, allocations_settle

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
AMOUNT_MAX = Decimal("99999.99")
# References are read aloud and typed from statements: no 0/O, 1/I/L, U (Crockford's alphabet).
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PAID = PaymentStatus.PAID.value
WAITING = {PaymentStatus.NEW.value, PaymentStatus.PREPARED.value, PaymentStatus.PRE_AUTH.value,
           PaymentStatus.IN_CHARGE.value}


class PaymentRefused(Exception):
    """A payment that cannot be started as asked; the message is for the resident, the code for an app
    ("refused": not possible as asked, "not_waiting": no longer waiting to be paid)."""

    def __init__(self, message: str, *, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _reference() -> str:
    return "IOK" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))


def payment_create(*, acting_user: User, amounts: dict[Unit, Decimal], via_api: bool = False,
                   ip_address: str | None = None) -> OnlinePayment:
    """A payment of `amounts` (each of the payer's units the caller allows, already checked to be theirs)
    at the cooperative's gateway, not yet sent there. Amounts and the fee come from here, never later
    from the browser."""
    gateway_settings = gateway_settings_get()
    if not gateway.gateway_ready(gateway_settings):
        raise PaymentRefused(_("Online payments are not available at the moment."))
    amounts = {unit: amount for unit, amount in amounts.items() if amount}
    if not amounts:
        raise PaymentRefused(_("Enter the amount to pay."))
    for amount in amounts.values():
        if amount < 0 or amount != amount.quantize(CENT):
            raise PaymentRefused(_("An amount must be a positive sum in złoty and grosze, e.g. 250,00."))
    total = sum(amounts.values(), Decimal("0.00"))
    if total < gateway_settings.minimum_amount:
        raise PaymentRefused(_("The smallest online payment is %(amount)s zł.") % {
            "amount": f"{gateway_settings.minimum_amount:.2f}".replace(".", ",")})
    fee = fee_for(gateway_settings=gateway_settings, amount=total)
    if total + fee > AMOUNT_MAX:
        raise PaymentRefused(_("One online payment can be at most %(amount)s zł; please pay in parts.") % {
            "amount": "99 999,99"})
    codes = ", ".join(unit.code or str(unit) for unit in amounts)
    with transaction.atomic():
        payment = OnlinePayment.objects.create(
            reference=_reference(), payer=acting_user, backend=gateway_settings.gateway,
            amount_required=total + fee, fee=fee, via_api=via_api,
            description=f"{cooperative_current().name[:60]} {codes}"[:120])
        Allocation.objects.bulk_create([Allocation(payment=payment, unit=unit, amount=amount)
                                        for unit, amount in amounts.items()])
        audit_record(acting_user=acting_user, action=AuditAction.ONLINE_PAYMENT_STARTED, target=payment.reference,
                     details={"amount": str(total), "fee": str(fee), "units": [unit.pk for unit in amounts]},
                     ip_address=ip_address)
    return payment


def notify_url() -> str:
    """Where the gateway sends its notifications: the platform's own host, the cooperative in the path."""
    base = settings.PAYMENTS_NOTIFY_BASE_URL.rstrip("/")
    if not base:
        port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
        base = f"{settings.SITE_SCHEME}://{settings.BASE_DOMAIN}{port}"
    return f"{base}/platnosci/{cooperative_current().slug}/powiadomienie/"


def _gateway_view(payment: OnlinePayment) -> gateway.GatewayPayment:
    payer = payment.payer
    # Paynow requires the buyer's address; a resident without one is named by the platform's own.
    buyer: dict = {"email": getattr(payer, "email", "") or settings.DEFAULT_FROM_EMAIL}
    if getattr(payer, "first_name", ""):
        buyer["first_name"] = payer.first_name
    if getattr(payer, "last_name", ""):
        buyer["last_name"] = payer.last_name
    items = [{"name": _("Charges for unit %(unit)s") % {"unit": allocation.unit.code or allocation.unit},
              "quantity": 1, "unit_price": allocation.amount} for allocation in payment.allocations.all()]
    if payment.fee:
        items.append({"name": _("Online payment fee"), "quantity": 1, "unit_price": payment.fee})
    return gateway.GatewayPayment(
        id=str(payment.pk), order=gateway._Order(description=payment.description, total=payment.amount_required,
                                                 buyer=buyer, items=items, return_url=""),  # type: ignore[arg-type]
        amount_required=payment.amount_required, currency=payment.currency, status=payment.status,
        backend=payment.backend, external_id=payment.external_id, description=f"{payment.reference} "
        f"{payment.description}"[:128], amount_paid=payment.amount_paid, amount_locked=payment.amount_locked,
        amount_refunded=payment.amount_refunded, fraud_status=payment.fraud_status,
        fraud_message=payment.fraud_message, provider_data=dict(payment.provider_data))


def payment_checkout(*, payment: OnlinePayment, customer_ip: str) -> str:
    """The gateway's address where the payer pays `payment`: registered there now, or the one it was given
    (coming back to a started payment resumes it). GatewayUnavailable when the gateway cannot be reached;
    the payment is then as it was, and the payer may try again."""
    if payment.status == PaymentStatus.PREPARED and payment.redirect_url:
        return payment.redirect_url
    if payment.status != PaymentStatus.NEW:
        raise PaymentRefused(_("This payment is no longer waiting to be paid."), code="not_waiting")
    gateway_settings = gateway_settings_get()
    if not gateway.gateway_ready(gateway_settings) or gateway_settings.gateway != payment.backend:
        # No gateway now, or another one than the payment was started with: a refusal, not an outage.
        raise PaymentRefused(_("Online payments are not available at the moment."))
    continue_url = cooperative_url(path=reverse("online_payments:result", args=[payment.pk]))
    result = gateway.transaction_prepare(gateway_settings=gateway_settings, payment=_gateway_view(payment),
                                         notify_url=notify_url(), continue_url=continue_url,
                                         customer_ip=customer_ip or "127.0.0.1")
    with transaction.atomic():
        locked = OnlinePayment.objects.select_for_update().get(pk=payment.pk)
        apply_payment_update(locked, PaymentUpdate(payment_event=PaymentEvent.PREPARED,  # type: ignore[arg-type]
                                                   external_id=result.external_id,
                                                   provider_data=result.provider_data))
        locked.redirect_url = result.redirect_url or ""
        locked.save()
    payment.refresh_from_db()
    return payment.redirect_url


def _apply(*, payment_id: uuid.UUID, update: PaymentUpdate | None, source: str) -> OnlinePayment:
    """`update` (the gateway's) applied to the locked payment by python-getpaid's state machine; entering
    the paid state books it on the ledger, a refund takes back what is not booked yet. Idempotent."""
    with transaction.atomic():
        payment = OnlinePayment.objects.select_for_update().get(pk=payment_id)
        if update is None:
            return payment
        before, refunded_before = payment.status, payment.amount_refunded
        try:
            apply_payment_update(payment, update)  # type: ignore[arg-type]
        except InvalidTransitionError as error:
            # E.g. "cancelled" arriving after "paid": the gateway's later word does not undo money received.
            logger.warning("online payment %s: %s update ignored (%s)", payment.reference, source, error)
            return payment
        if payment.status == PAID and before != PAID and payment.paid_at is None:
            payment.paid_at = timezone.now()
        payment.save()
        if payment.status == PAID and before != PAID:
            _book(payment)
            audit_record(acting_user=None, action=AuditAction.ONLINE_PAYMENT_PAID, target=payment.reference,
                         details={"amount": str(payment.amount_paid), "source": source})
        elif payment.status == PaymentStatus.FAILED and before != PaymentStatus.FAILED:
            audit_record(acting_user=None, action=AuditAction.ONLINE_PAYMENT_FAILED, target=payment.reference,
                         details={"source": source})
        if payment.amount_refunded > refunded_before:
            _refund_unbooked(payment, refunded=payment.amount_refunded - refunded_before)
            audit_record(acting_user=None, action=AuditAction.ONLINE_PAYMENT_REFUNDED, target=payment.reference,
                         details={"refunded": str(payment.amount_refunded - refunded_before)})
    return payment


def _book(payment: OnlinePayment) -> None:
    """The paid payment on its units' ledgers: settled at once where the payments import already brought
    the bank's copy, else a provisional entry each, counted in the balance until that import comes."""
    allocations_settle(payment_id=payment.pk)
    booked_on = timezone.localdate(payment.paid_at)
    with override(settings.LANGUAGE_CODE):
        # Stored as the accounting system's descriptions are: in the cooperative's language.
        description = _("online payment — awaiting booking")
    for allocation in payment.allocations.filter(settled_entry__isnull=True, provisional_entry__isnull=True):
        allocation.provisional_entry = LedgerEntry.objects.create(
            source_id=f"online:{payment.reference}:{allocation.unit_id}", unit_id=allocation.unit_id,
            kind=LedgerEntry.Kind.PAYMENT, booked_on=booked_on, amount=-allocation.amount,
            reference=payment.reference, description=description)
        allocation.save(update_fields=["provisional_entry"])


def _refund_unbooked(payment: OnlinePayment, *, refunded: Decimal) -> None:
    """A refund takes the money back off the provisional entries (last unit first); what the bank's copy
    already booked is the accounting system's to correct, as its refund will reach it too."""
    remaining = refunded
    for allocation in payment.allocations.filter(provisional_entry__isnull=False).select_related(
            "provisional_entry").order_by("-pk"):
        entry = allocation.provisional_entry
        assert entry is not None
        taken = min(remaining, -entry.amount)
        if taken == -entry.amount:
            allocation.provisional_entry = None
            allocation.save(update_fields=["provisional_entry"])
            entry.delete()
        else:
            entry.amount += taken
            entry.save(update_fields=["amount"])
        remaining -= taken
        if remaining <= 0:
            break


def notification_receive(*, body: bytes, headers: dict[str, str]) -> bool:
    """A gateway's notification to the current cooperative. False when it is not the gateway's or names no
    payment of ours (nothing changes); True when taken (even when it changed nothing: a replay)."""
    gateway_settings = gateway_settings_get()
    if not gateway_settings.gateway:
        return False
    payment_id = gateway.payment_id_in_notification(gateway=gateway_settings.gateway, body=body)
    payment = (OnlinePayment.objects.filter(pk=payment_id, backend=gateway_settings.gateway).first()
               if _is_uuid(payment_id) else None)
    if payment is None:
        logger.warning("payment notification naming no payment of ours refused")
        return False
    try:
        update = gateway.notification_read(gateway_settings=gateway_settings, payment=_gateway_view(payment),
                                           body=body, headers=headers)
    except gateway.NotificationRefused as error:
        logger.warning("payment notification for %s refused: %s", payment.reference, error)
        return False
    if update is not None and update.payment_event in (PaymentEvent.REFUND_CONFIRMED, PaymentEvent.REFUND_CANCELLED):
        # A refund's notification carries no amount the order's status could confirm: its signature is the proof.
        _apply(payment_id=payment.pk, update=update, source="notification")
        return True
    # The notification says something happened; what happened is the gateway's verification call's answer.
    payment_verify(payment=payment, source="notification")
    return True


def payment_verify(*, payment: OnlinePayment, source: str) -> OnlinePayment:
    """The payment brought up to date with the gateway's verification call (when it has something to say)."""
    update = gateway.status_fetch(gateway_settings=gateway_settings_get(), payment=_gateway_view(payment))
    return _apply(payment_id=payment.pk, update=update, source=source)


def payments_expire(*, now: datetime.datetime | None = None) -> int:
    """Payments left unfinished at the gateway for PAYMENTS_EXPIRE_AFTER_MINUTES: checked with the gateway
    first (a late payment is taken, not lost), the rest expired. Returns how many expired."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.PAYMENTS_EXPIRE_AFTER_MINUTES)
    expired = 0
    for payment in OnlinePayment.objects.filter(status__in=WAITING, expired_at__isnull=True, created_at__lt=cutoff):
        if payment.external_id:
            try:
                payment = payment_verify(payment=payment, source="expiry check")
            except gateway.GatewayUnavailable:
                continue  # asked again on the next run
        if payment.status not in WAITING:
            continue
        with transaction.atomic():
            locked = OnlinePayment.objects.select_for_update().get(pk=payment.pk)
            if locked.status not in WAITING:
                continue
            if locked.status in (PaymentStatus.NEW, PaymentStatus.PREPARED):
                apply_payment_update(locked, PaymentUpdate(payment_event=PaymentEvent.FAILED))  # type: ignore[arg-type]
            locked.expired_at = now
            locked.save()
            audit_record(acting_user=None, action=AuditAction.ONLINE_PAYMENT_EXPIRED, target=locked.reference)
        expired += 1
    return expired


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def gateway_settings_save(*, acting_user: AbstractBaseUser, values: dict, credentials: dict[str, str],
                          ip_address: str | None = None) -> GatewaySettings:
    """The admin's gateway settings. Credentials left empty keep those stored for the same gateway; a new
    gateway starts from none. Secrets are encrypted before they are saved and never written to the audit."""
    with transaction.atomic():
        current = GatewaySettings.objects.select_for_update().get(pk=gateway_settings_get().pk)
        stored = gateway.credentials_of(current) if current.gateway == values.get("gateway") else {}
        changed_fields = sorted(name for name, value in values.items() if getattr(current, name) != value)
        for name, value in values.items():
            setattr(current, name, value)
        entered = {name: value for name, value in credentials.items() if value}
        wanted = gateway.CREDENTIAL_FIELDS.get(current.gateway, ())
        merged = {name: entered.get(name) or stored.get(name, "") for name in wanted}
        if not changed_fields and not entered and merged == stored:
            return current  # saved as it was: nothing to record
        if entered or merged != stored:
            current.credentials_encrypted = secret_encrypt(json.dumps(merged)) if any(merged.values()) else ""
            current.credentials_changed_at = timezone.now()
            current.credentials_changed_by = acting_user  # type: ignore[assignment]
        current.save()
        audit_record(acting_user=acting_user, action=AuditAction.PAYMENT_GATEWAY_CHANGED,
                     target=current.gateway or "—",
                     details={"fields": changed_fields, "credentials_entered": sorted(entered)},
                     ip_address=ip_address)
    return current


class BookingRefused(Exception):
    """The office's manual booking cannot be done as asked; the message is for the clerk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _pln(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def allocation_book_by_entry(*, acting_user: User, allocation_id: int, entry_source_id: str,
                             ip_address: str | None = None) -> Allocation:
    """The office books a paid, unbooked allocation by the accounting system's imported payment whose
    reference does not name it (its id_zapisu): only a payment of the same unit and the same amount that
    books nothing else. The provisional entry goes, as when an import matches it."""
    source_id = entry_source_id.strip()
    with transaction.atomic():
        allocation = (Allocation.objects.select_for_update().select_related("payment", "unit")
                      .filter(pk=allocation_id, payment__status=PAID, settled_entry__isnull=True).first())
        if allocation is None:
            raise BookingRefused(_("This online payment is already booked or was not paid."))
        entry = (LedgerEntry.objects.select_for_update().select_related("unit")
                 .filter(source_id=source_id, import_run__isnull=False, kind=LedgerEntry.Kind.PAYMENT).first())
        if entry is None:
            raise BookingRefused(_("No payment imported from the accounting system has the entry id “%(id)s”.") % {
                "id": source_id})
        if entry.unit_id != allocation.unit_id:
            raise BookingRefused(_("Entry %(id)s is a payment for unit %(entry_unit)s; this online payment is for "
                                   "unit %(unit)s.") % {"id": source_id, "entry_unit": entry.unit.code or entry.unit,
                                                        "unit": allocation.unit.code or allocation.unit})
        if entry.amount != -allocation.amount:
            raise BookingRefused(_("Entry %(id)s is a payment of %(entry_amount)s zł; this online payment brought "
                                   "%(amount)s zł for the unit.") % {
                "id": source_id, "entry_amount": _pln(-entry.amount), "amount": _pln(allocation.amount)})
        if Allocation.objects.filter(settled_entry=entry).exists():
            raise BookingRefused(_("Entry %(id)s already books another online payment.") % {"id": source_id})
        allocation_settle_by_entry(allocation=allocation, entry=entry, acting_user=acting_user, ip_address=ip_address)
    allocation.refresh_from_db()
    return allocation


def export_source_id(allocation: Allocation) -> str:
    """The export's id_zapisu of an allocation: stable, so the accounting system never books it twice."""
    return f"ONLINE-{allocation.payment.reference}-{allocation.unit.code}"


def payments_export(*, acting_user: User, date_from: datetime.date | None, date_to: datetime.date | None,
                    ip_address: str | None = None) -> tuple[str, int]:
    """The paid online payments not yet booked, one row per unit, in the accounting system's payments
    format (billing_views.imports.formats.PAYMENTS): the referencja is the payment's IOK reference, so the
    accounting system's file that later brings them back books the provisional entries. Audited."""
    from billing_views.imports.formats import PAYMENTS

    from .selectors import allocations_confirmed

    cooperative = cooperative_current().slug
    allocations = list(allocations_confirmed(date_from=date_from, date_to=date_to)
                       .filter(settled_entry__isnull=True).select_related("payment", "unit"))
    lines = [";".join(PAYMENTS.columns)]
    with override(settings.LANGUAGE_CODE):
        # The file goes into the accounting system's books: its descriptions in the cooperative's language.
        for allocation in allocations:
            payment = allocation.payment
            paid_on = timezone.localdate(payment.paid_at or payment.created_at)
            description = _("Online payment %(reference)s (%(gateway)s)") % {
                "reference": payment.reference, "gateway": payment.get_backend_display()}
            lines.append(";".join([
                cooperative, export_source_id(allocation), allocation.unit.code or "", paid_on.strftime("%d.%m.%Y"),
                _pln(allocation.amount), payment.reference, description.replace(";", ",")]))
    audit_record(acting_user=acting_user, action=AuditAction.ONLINE_PAYMENTS_EXPORTED,
                 # The period as the target ("…" where open): "from"/"to" details read as a change of value.
                 target=f"{date_from or '…'} – {date_to or '…'}", details={"count": len(allocations)},
                 ip_address=ip_address)
    return "\n".join(lines) + "\n", len(allocations)
