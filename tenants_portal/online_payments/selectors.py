"""Online payments' reads: the gateway settings, fees, what a resident may pay and has paid, and the
office's lists (every payment with filters; those the accounting system has not booked in time)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import pgettext_lazy
from getpaid_core.enums import PaymentStatus

from billing_views.selectors import ledger_balances
from iok.formats import local
from iok.memo import request_memo
from tenants_portal.accounts.models import User
from tenants_portal.registry.models import Unit

from .models import Allocation, GatewaySettings, OnlinePayment

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def gateway_settings_get() -> GatewaySettings:
    """The cooperative's gateway settings (one row, created on first use), read once per request."""
    return request_memo("online-payments-settings", lambda: GatewaySettings.objects.get_or_create(pk=1)[0])


def fee_for(*, gateway_settings: GatewaySettings, amount: Decimal) -> Decimal:
    """The fee the resident pays on top of `amount` (zero when the cooperative pays it)."""
    if not gateway_settings.resident_pays_fee:
        return ZERO
    fee = gateway_settings.fee_fixed + amount * gateway_settings.fee_percent / 100
    return fee.quantize(CENT, rounding=ROUND_HALF_UP)


def amounts_due(*, units: list[Unit]) -> dict[int, Decimal]:
    """What each unit owes now (its balance when positive, else nothing): the form's starting amounts."""
    return {unit_id: max(balance, ZERO) for unit_id, balance in ledger_balances(units=units).items()}


def payments_of_payer(*, payer_id: int) -> QuerySet[OnlinePayment]:
    return (OnlinePayment.objects.filter(payer_id=payer_id)
            .prefetch_related(Prefetch("allocations", Allocation.objects.select_related("unit"))))


class Stage:
    """What a payment's state means to people (status words on pages, filters on the office's list)."""

    WAITING = "waiting"
    PAID = "paid"
    BOOKED = "booked"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REFUNDED = "refunded"


_WAITING = [PaymentStatus.NEW, PaymentStatus.PREPARED, PaymentStatus.PRE_AUTH, PaymentStatus.IN_CHARGE]


def payment_stage(payment: OnlinePayment) -> str:
    if payment.expired_at is not None and payment.status != PaymentStatus.PAID:
        return Stage.EXPIRED
    if payment.status in _WAITING:
        return Stage.WAITING
    if payment.status == PaymentStatus.FAILED:
        return Stage.CANCELLED
    if payment.status in (PaymentStatus.REFUNDED, PaymentStatus.REFUND_STARTED) or payment.amount_refunded:
        return Stage.REFUNDED
    allocations = list(payment.allocations.all())
    if allocations and all(allocation.settled_entry_id for allocation in allocations):
        return Stage.BOOKED
    return Stage.PAID


def _stage_filter(stage: str) -> Q:
    return {
        Stage.WAITING: Q(status__in=_WAITING, expired_at__isnull=True),
        Stage.PAID: Q(status=PaymentStatus.PAID, allocations__settled_entry__isnull=True),
        Stage.BOOKED: Q(status=PaymentStatus.PAID) & ~Q(allocations__settled_entry__isnull=True),
        Stage.CANCELLED: Q(status=PaymentStatus.FAILED, expired_at__isnull=True),
        Stage.EXPIRED: Q(expired_at__isnull=False) & ~Q(status=PaymentStatus.PAID),
        Stage.REFUNDED: Q(status__in=[PaymentStatus.REFUNDED, PaymentStatus.REFUND_STARTED]) | Q(amount_refunded__gt=0),
    }.get(stage, Q())


def payments_for_office(*, stage: str = "", date_from: datetime.date | None = None,
                        date_to: datetime.date | None = None, search: str = "") -> QuerySet[OnlinePayment]:
    """Every online payment, newest first, with the filters of the office's list."""
    payments = OnlinePayment.objects.select_related("payer").prefetch_related(
        Prefetch("allocations", Allocation.objects.select_related("unit", "settled_entry")))
    if stage:
        payments = payments.filter(_stage_filter(stage)).distinct()
    if date_from:
        payments = payments.filter(created_at__date__gte=date_from)
    if date_to:
        payments = payments.filter(created_at__date__lte=date_to)
    if search:
        payments = payments.filter(Q(reference__iexact=search.strip()) | Q(external_id=search.strip())
                                   | Q(allocations__unit__code__iexact=search.strip())).distinct()
    return payments.order_by("-created_at")


def allocations_unbooked(*, days: int, now: datetime.datetime | None = None) -> QuerySet[Allocation]:
    """Paid allocations the payments import has not booked `days` days after the payment: the office's to see to."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    return (Allocation.objects.filter(payment__status=PaymentStatus.PAID, settled_entry__isnull=True,
                                      payment__paid_at__lt=cutoff)
            .select_related("payment", "payment__payer", "unit").order_by("payment__paid_at"))


def allocations_confirmed(*, date_from: datetime.date | None, date_to: datetime.date | None) -> QuerySet[Allocation]:
    """Paid allocations by payment date, for the export the accounting system can book before the bank's copy."""
    allocations = Allocation.objects.filter(payment__status=PaymentStatus.PAID).select_related("payment", "unit")
    if date_from:
        allocations = allocations.filter(payment__paid_at__date__gte=date_from)
    if date_to:
        allocations = allocations.filter(payment__paid_at__date__lte=date_to)
    return allocations.order_by("payment__paid_at", "pk")


STAGE_LABELS = {
    Stage.WAITING: pgettext_lazy("online payment", "waiting for the gateway"),
    Stage.PAID: pgettext_lazy("online payment", "paid, awaiting booking"),
    Stage.BOOKED: pgettext_lazy("online payment", "booked"),
    Stage.CANCELLED: pgettext_lazy("online payment", "cancelled"),
    Stage.EXPIRED: pgettext_lazy("online payment", "expired"),
    Stage.REFUNDED: pgettext_lazy("online payment", "refunded"),
}


def own_data_payments(user: User) -> list[dict]:
    """The person's online payments, for their own-data page and file."""
    return [{"created_at": local(payment.created_at), "reference": payment.reference,
             "gateway": payment.get_backend_display(), "amount": str(payment.amount_required),
             "fee": str(payment.fee), "units": ", ".join(f"{allocation.unit}: {allocation.amount}"
                                                          for allocation in payment.allocations.all()),
             "status": str(STAGE_LABELS[payment_stage(payment)]),
             "paid_at": local(payment.paid_at) if payment.paid_at else ""}
            for payment in payments_of_payer(payer_id=user.pk).order_by("created_at")]
