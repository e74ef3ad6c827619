from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from billing_views.models import ChargeComponent, ImportRun
from tenants_portal.registry.models import Person, Unit

from . import deadlines


class Basis(models.TextChoices):
    # The codes are the fee schedule file's `podstawa` values.
    ART_4_UST_7 = deadlines.ART_4_UST_7, _("art. 4 ust. 7 (three months ahead, to the end of a month)")
    ART_4_UST_7_1 = deadlines.ART_4_UST_7_1, _(
        "art. 4 ust. 7¹ (energy, gas, water, waste: 14 days before the payment day)")


# How the letters, the reports and the office name a basis in running text.
BASIS_SHORT: dict[str, str] = {Basis.ART_4_UST_7: "art. 4 ust. 7", Basis.ART_4_UST_7_1: "art. 4 ust. 7¹"}


class FeeNoticeSettings(models.Model):
    """The cooperative's settings of this module (a singleton, pk=1)."""

    # Contract pending (deploy/OPERATIONS.md, the expand/contract rule): the payment day is now
    # InstanceSettings.payment_day (migration 0003 copied it there). The column stays one release, with a
    # database default, for the previous release's code still running during the migration; nothing reads
    # it. The next release drops it.
    payment_day = models.PositiveSmallIntegerField(_("payment day of the month"), default=10, db_default=10,
                                                   editable=False)

    # An electronic notice the resident has not opened within this many days goes to the print batch.
    paper_after_days = models.PositiveSmallIntegerField(
        _("days to open an electronic notice"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("An electronic notice not opened by the resident within this many days of sending is "
                    "delivered on paper."))

    class Meta:
        verbose_name = _("fee change settings")
        verbose_name_plural = _("fee change settings")

    def __str__(self) -> str:
        return str(self.paper_after_days)


class FeeChange(models.Model):
    """A change of fees from one month on one legal basis: its lines (unit, component, amounts) come from
    the accounting system's fee schedule file; sent, it is a legal act towards every unit's residents and
    never changes again."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent to residents")

    effective_month = models.DateField(_("effective from"), help_text=_("The first day of the month."))
    basis = models.CharField(_("legal basis"), max_length=16, choices=Basis.choices)
    # Empty: the heading says "Change of fees from 1 April 2027" in the reader's language.
    title = models.CharField(_("title"), max_length=200, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    # The justification as a PDF (e.g. the board's resolution), stored by iok.uploads.file_store.
    justification_pdf_path = models.CharField(max_length=300, blank=True)
    justification_pdf_name = models.CharField(_("justification file"), max_length=200, blank=True)
    justification_pdf_size = models.PositiveIntegerField(default=0)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("sent by"))
    # The fee schedule import that last set its lines.
    import_run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("import"))

    class Meta:
        verbose_name = _("fee change")
        verbose_name_plural = _("fee changes")
        ordering = ["-effective_month", "basis"]
        constraints = [
            # The import merges a file's lines into the change of their month and basis: there is one.
            models.UniqueConstraint(fields=["effective_month", "basis"], name="fee_change_unique_month_basis"),
            models.CheckConstraint(condition=models.Q(effective_month__day=1), name="fee_change_month_first_day"),
        ]

    def __str__(self) -> str:
        return self.heading

    @property
    def heading(self) -> str:
        return self.title or gettext("Change of fees from %(date)s") % {
            "date": formats.date_format(self.effective_month, "j E Y")}

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT


class FeeChangeLine(models.Model):
    """One component of one unit: what it is now and what it will be from the change's month."""

    fee_change = models.ForeignKey(FeeChange, on_delete=models.CASCADE, related_name="lines",
                                   verbose_name=_("fee change"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="fee_change_lines", verbose_name=_("unit"))
    component = models.ForeignKey(ChargeComponent, on_delete=models.PROTECT, related_name="fee_change_lines",
                                  verbose_name=_("component"))
    current_amount = models.DecimalField(_("current amount"), max_digits=12, decimal_places=2)
    new_amount = models.DecimalField(_("new amount"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("fee change line")
        verbose_name_plural = _("fee change lines")
        ordering = ["fee_change", "unit", "component__sort_order", "component__name"]
        constraints = [
            models.UniqueConstraint(fields=["fee_change", "unit", "component"], name="fee_change_line_unique"),
            models.CheckConstraint(condition=models.Q(current_amount__gte=0) & models.Q(new_amount__gte=0),
                                   name="fee_change_line_amounts_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.component}: {self.current_amount} → {self.new_amount}"

    @property
    def difference(self) -> Decimal:
        return self.new_amount - self.current_amount


class FeeNotice(models.Model):
    """The notice of one fee change to one unit, created when the change is sent: the delivery's record
    (which channel, when the resident first opened it, when and how it was delivered on paper). The people
    it is addressed to are those with a legal title to the unit on the day it was sent (the registry)."""

    class Channel(models.TextChoices):
        UNDECIDED = "undecided", _("not decided yet")
        ELECTRONIC = "electronic", _("electronic (the portal and e-mail)")
        PAPER = "paper", _("paper letter")

    class DeliveryMethod(models.TextChoices):
        ELECTRONIC = "electronic", _("opened by the resident in the portal")
        IN_PERSON = "in_person", _("in person, against a signature")
        REGISTERED_MAIL = "registered_mail", _("registered mail")

    fee_change = models.ForeignKey(FeeChange, on_delete=models.PROTECT, related_name="notices",
                                   verbose_name=_("fee change"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="fee_notices", verbose_name=_("unit"))
    # Who the letter names: the unit's title holders on the day it was sent, kept as they were then (a title
    # ending later does not change to whom a legal act was addressed).
    addressees = models.ManyToManyField(Person, related_name="fee_notices", blank=True,
                                        verbose_name=_("addressees"))
    channel = models.CharField(_("delivery channel"), max_length=10, choices=Channel.choices,
                               default=Channel.UNDECIDED)
    # The first opening by a resident (never by staff): the confirmation of electronic receipt.
    opened_at = models.DateTimeField(_("opened by the resident"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("opened by"))
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    delivery_method = models.CharField(_("delivery method"), max_length=16, choices=DeliveryMethod.choices,
                                       blank=True)
    registered_mail_number = models.CharField(_("registered mail number"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("fee change notice")
        verbose_name_plural = _("fee change notices")
        ordering = ["fee_change", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["fee_change", "unit"], name="fee_notice_one_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.fee_change}: {self.unit}"


# The consent of its own to electronic delivery of fee-change notices (tenants_portal.regulation): created in
# every cooperative by migration 0002_delivery (and so in the template new cooperatives are cloned from).
E_DELIVERY_CONSENT = "e_delivery_fee_notices"
