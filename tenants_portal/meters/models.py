from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from tenants_portal.registry.models import Unit


class MeterSettings(models.Model):
    """The cooperative's settings of this module (a singleton, pk=1)."""

    plausibility_factor = models.DecimalField(
        _("unusual consumption factor"), max_digits=4, decimal_places=1, default=Decimal("3.0"),
        validators=[MinValueValidator(Decimal("1.1"))],
        help_text=_("A resident's reading whose consumption per day is more than this many times the meter's "
                    "average asks the resident to confirm it before it is saved."))

    class Meta:
        verbose_name = _("meter settings")
        verbose_name_plural = _("meter settings")

    def __str__(self) -> str:
        return f"×{self.plausibility_factor}"


class Meter(models.Model):
    """A meter or heat-cost allocator installed in a unit."""

    class Kind(models.TextChoices):
        COLD_WATER = "cold_water", _("cold water")
        HOT_WATER = "hot_water", _("hot water")
        HEAT_ALLOCATOR = "heat_allocator", _("heat-cost allocator")
        GAS = "gas", _("gas")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="meters", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    serial_number = models.CharField(_("serial number"), max_length=40, unique=True)
    location = models.CharField(_("location"), max_length=100, blank=True,
                                help_text=_("Where in the unit, e.g. bathroom, kitchen, living room."))
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    # Legalizacja: water and gas meters must hold a valid verification; allocators are not subject to it.
    verified_until = models.DateField(_("legal verification valid until"), null=True, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        ordering = ["unit", "kind", "serial_number"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial_number}"

    @property
    def measure(self) -> str:
        # The allocator's own scale, not the registry's units (flats): a context keeps the two apart.
        return str(pgettext("heat-cost allocator", "units")) if self.kind == self.Kind.HEAT_ALLOCATOR else "m³"

    @property
    def decimals(self) -> int:
        return 0 if self.kind == self.Kind.HEAT_ALLOCATOR else 3


class ReadingWindow(models.Model):
    """The period in which residents may submit their own readings (set by the cooperative)."""

    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    note = models.CharField(_("note for residents"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set once the reminder has been sent: a window is announced once.
    notified_at = models.DateTimeField(_("residents notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reading window")
        verbose_name_plural = _("reading windows")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="reading_window_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}"


class Reading(models.Model):
    class Source(models.TextChoices):
        RESIDENT = "resident", _("resident")
        STAFF = "staff", _("office")
        IMPORT = "import", _("import")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("awaiting acceptance")
        ACCEPTED = "accepted", pgettext_lazy("meter reading", "accepted")
        REJECTED = "rejected", pgettext_lazy("meter reading", "rejected")

    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="readings", verbose_name=_("meter"))
    read_on = models.DateField(_("reading date"))
    value = models.DecimalField(_("reading"), max_digits=12, decimal_places=3)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    window = models.ForeignKey(ReadingWindow, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="readings", verbose_name=_("reading window"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    # The resident confirmed a reading that looked unusually high.
    unusual_confirmed = models.BooleanField(_("unusual consumption confirmed"), default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)
    photo_path = models.CharField(_("photo"), max_length=200, blank=True)
    photo_content_type = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        ordering = ["meter", "read_on", "pk"]
        indexes = [models.Index(fields=["status", "read_on"], name="meters_reading_status_idx")]

    def __str__(self) -> str:
        return f"{self.meter}: {self.value} ({self.read_on:%d.%m.%Y})"
