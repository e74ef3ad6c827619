import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from getpaid_core.enums import FraudStatus, PaymentStatus

from billing_views.models import LedgerEntry
from tenants_portal.registry.models import Unit


class Gateway(models.TextChoices):
    PAYU = "payu", "PayU"
    PAYNOW = "paynow", "Paynow (mBank)"


class GatewayEnvironment(models.TextChoices):
    PRODUCTION = "production", _("production (real payments)")
    SANDBOX = "sandbox", _("the gateway's sandbox (test payments)")
    SIMULATOR = "simulator", _("the platform's gateway simulator (development)")


class GatewaySettings(models.Model):
    """The cooperative's gateway (one row): which one, its credentials (encrypted, never shown again), the
    smallest payment, whether residents pay the fee, and when an unbooked payment is flagged."""

    gateway = models.CharField(_("payment gateway"), max_length=10, choices=Gateway.choices, blank=True)
    environment = models.CharField(_("environment"), max_length=10, choices=GatewayEnvironment.choices,
                                   default=GatewayEnvironment.PRODUCTION)
    # A Fernet token (iok.encryption) of the gateway's credentials as JSON; empty until entered.
    credentials_encrypted = models.TextField(blank=True)
    credentials_changed_at = models.DateTimeField(_("credentials entered"), null=True, blank=True)
    credentials_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                               blank=True, related_name="+")
    minimum_amount = models.DecimalField(
        _("smallest payment (zł)"), max_digits=8, decimal_places=2, default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1000.00"))])
    resident_pays_fee = models.BooleanField(_("the resident pays the gateway's fee"), default=False)
    fee_fixed = models.DecimalField(_("fee per payment (zł)"), max_digits=6, decimal_places=2,
                                    default=Decimal("0.00"),
                                    validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("20"))])
    fee_percent = models.DecimalField(_("fee (% of the amount)"), max_digits=4, decimal_places=2,
                                      default=Decimal("0.00"),
                                      validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("5"))])
    unbooked_after_days = models.PositiveSmallIntegerField(
        _("flag a payment not booked after (days)"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)])

    class Meta:
        verbose_name = _("payment gateway settings")

    def __str__(self) -> str:
        return self.get_gateway_display() or "—"


class OnlinePayment(models.Model):
    """One payment at the gateway, for one or more of the payer's units (its allocations). The fields from
    `amount_required` to `provider_data` are those python-getpaid's state machine reads and writes
    (getpaid_core.protocols.Payment); `amount_required` is what the gateway charges, the fee included."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # What the resident, the office and the bank statement's title show; the payments import matches by it.
    reference = models.CharField(_("reference"), max_length=16, unique=True)
    payer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="online_payments",
                              verbose_name=_("payer"))
    backend = models.CharField(_("gateway"), max_length=10, choices=Gateway.choices)
    amount_required = models.DecimalField(_("amount charged"), max_digits=10, decimal_places=2)
    fee = models.DecimalField(_("fee"), max_digits=8, decimal_places=2, default=Decimal("0.00"))
    currency = models.CharField(max_length=3, default="PLN")
    status = models.CharField(_("status"), max_length=20, default=PaymentStatus.NEW,
                              choices=[(status.value, status.value) for status in PaymentStatus])
    amount_paid = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    amount_locked = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    amount_refunded = models.DecimalField(_("refunded"), max_digits=10, decimal_places=2, default=Decimal("0.00"))
    # NULL until the gateway gives one: many payments may have none yet, while a given one is unique.
    external_id = models.CharField(_("gateway's identifier"), max_length=64, null=True, blank=True)  # noqa: DJ001
    description = models.CharField(max_length=128, blank=True)
    fraud_status = models.CharField(max_length=10, default=FraudStatus.UNKNOWN)
    fraud_message = models.TextField(blank=True)
    provider_data = models.JSONField(default=dict, blank=True)
    # Where the resident continues at the gateway (kept so that coming back to a started payment resumes it).
    redirect_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True, db_index=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    # Set when the payment was given up: unpaid after PAYMENTS_EXPIRE_AFTER_MINUTES, checked with the gateway.
    expired_at = models.DateTimeField(_("expired"), null=True, blank=True)
    via_api = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["backend", "external_id"], name="online_payment_external_id")]

    def __str__(self) -> str:
        return self.reference


class Allocation(models.Model):
    """The part of a payment that goes to one unit. While the bank's copy has not been imported it has a
    provisional ledger entry; the import that brings it sets `settled_entry` and removes the provisional one."""

    payment = models.ForeignKey(OnlinePayment, on_delete=models.CASCADE, related_name="allocations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    provisional_entry = models.OneToOneField(LedgerEntry, on_delete=models.SET_NULL, null=True, blank=True,
                                             related_name="+")
    settled_entry = models.OneToOneField(LedgerEntry, on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="+", verbose_name=_("booked as"))
    settled_at = models.DateTimeField(_("booked"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment allocation")
        # The order the resident entered them in (the units' order on the form), on every page and export.
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["payment", "unit"], name="allocation_one_per_unit")]

    def __str__(self) -> str:
        return f"{self.payment} {self.unit} {self.amount}"
