from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants_portal.registry.models import Unit


class ChargeComponent(models.Model):
    """Składnik opłaty: each cooperative has its own list (eksploatacja, fundusz remontowy, c.o. …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("charge component")
        verbose_name_plural = _("charge components")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class LedgerEntry(models.Model):
    """One line of a unit's ledger. Amounts are signed from the resident's side: a charge is
    positive (owed), a payment negative, so a unit's balance is the plain sum — positive means
    arrears, negative an overpayment."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("opening balance")
        CHARGE = "charge", _("charge")
        CORRECTION = "correction", _("correction")
        INTEREST = "interest", _("interest")
        PAYMENT = "payment", _("payment")

    # The accounting system's identifier of the entry: importing it again never adds a second row.
    source_id = models.CharField(_("accounting system identifier"), max_length=64, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="ledger_entries", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    component = models.ForeignKey(ChargeComponent, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="entries", verbose_name=_("component"))
    period = models.DateField(_("period"), null=True, blank=True, help_text=_("First day of the month charged."))
    booked_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    import_run = models.ForeignKey("ImportRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["unit", "booked_on"], name="ledger_unit_date")]

    def __str__(self) -> str:
        return f"{self.unit} {self.booked_on} {self.get_kind_display()} {self.amount}"


class ImportRun(models.Model):
    """One file imported (or refused): what, from where, how it went — kept as history."""

    class Kind(models.TextChoices):
        REGISTRY = "registry", _("registry (estates, buildings, units, people, legal titles)")
        CHARGES = "charges", _("charges")
        PAYMENTS = "payments", _("payments")
        READINGS = "readings", _("meter readings")
        FEE_SCHEDULE = "fee_schedule", _("fee schedule")

    class Source(models.TextChoices):
        INBOX = "inbox", _("import folder")
        UPLOAD = "upload", _("uploaded by staff")
        API = "api", _("API")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("imported")
        UNCHANGED = "unchanged", _("already imported")
        # A file imported before whose values later imports changed: applied again only when confirmed.
        CONFIRM = "confirm", _("awaiting confirmation")
        FAILED = "failed", _("refused")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    filename = models.CharField(_("file"), max_length=255)
    stored_path = models.CharField(max_length=500)
    checksum = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_added = models.PositiveIntegerField(_("added"), default=0)
    rows_updated = models.PositiveIntegerField(_("updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    message = models.TextField(_("summary"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    same_as = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name=_("same file as"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class ImportRowError(models.Model):
    """Why a row was refused: line, column, value, reason — in the staff's language."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="row_errors")
    line = models.PositiveIntegerField(_("line"), null=True, blank=True)
    column = models.CharField(_("column"), max_length=40, blank=True)
    value = models.CharField(_("value"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("import error")
        verbose_name_plural = _("import errors")
        ordering = ["line", "id"]

    def __str__(self) -> str:
        return f"{self.line}:{self.column} {self.reason}"
