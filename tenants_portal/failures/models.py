"""Failure reports (zgłoszenia awarii): what broke, where, how urgent, with photos, a status workflow
and a history of every change and comment."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants_portal.registry.models import Building, Unit


class FailureCategory(models.Model):
    """The cooperative's own list of what can be reported (woda, elektryka, winda, …)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("offered to residents"), default=True)

    class Meta:
        verbose_name = _("failure category")
        verbose_name_plural = _("failure categories")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class EmergencyContact(models.Model):
    """A number shown before an urgent report is filed: gas 992, the cooperative's emergency service, …"""

    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40)
    description = models.CharField(_("when to call"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("emergency contact")
        verbose_name_plural = _("emergency contacts")
        ordering = ["sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "phone"], name="emergency_contact_unique")]

    def __str__(self) -> str:
        return f"{self.name}: {self.phone}"


class FailureReport(models.Model):
    class Urgency(models.TextChoices):
        NORMAL = "normal", _("normal")
        URGENT = "urgent", _("urgent")
        EMERGENCY = "emergency", _("emergency (danger to people or property)")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        ACCEPTED = "accepted", _("accepted")
        IN_PROGRESS = "in_progress", _("in progress")
        RESOLVED = "resolved", _("resolved")
        REJECTED = "rejected", _("rejected")

    class CommonArea(models.TextChoices):
        STAIRCASE = "staircase", _("staircase")
        BASEMENT = "basement", _("basement")
        LIFT = "lift", _("lift")
        ROOF = "roof", _("roof")
        SURROUNDINGS = "surroundings", _("surroundings of the building")

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="failure_reports",
                                 verbose_name=_("reported by"))
    category = models.ForeignKey(FailureCategory, on_delete=models.PROTECT, related_name="reports",
                                 verbose_name=_("category"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="failure_reports",
                                 verbose_name=_("building"))
    # Either one of the reporter's units, or a common area of the building.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="failure_reports", null=True, blank=True,
                             verbose_name=_("unit"))
    common_area = models.CharField(_("common area"), max_length=16, choices=CommonArea.choices, blank=True)
    place_detail = models.CharField(_("place in detail"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    # The reporter confirmed seeing the emergency numbers before filing an urgent report.
    emergency_numbers_confirmed = models.BooleanField(_("emergency numbers confirmed"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="failure_reports_assigned", verbose_name=_("assigned to"))
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("failure report")
        verbose_name_plural = _("failure reports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="failure_status_created")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(unit__isnull=False, common_area="")
                           | models.Q(unit__isnull=True) & ~models.Q(common_area="")),
                name="failure_report_one_place"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category}: {self.place_label}"

    @property
    def place_label(self) -> str:
        place = str(self.unit) if self.unit_id is not None else f"{self.building}, {self.get_common_area_display()}"
        return f"{place} ({self.place_detail})" if self.place_detail else place

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.RESOLVED, self.Status.REJECTED)


class FailurePhoto(models.Model):
    report = models.ForeignKey(FailureReport, on_delete=models.CASCADE, related_name="photos",
                               verbose_name=_("report"))
    path = models.CharField(max_length=300)  # relative to the cooperative's media folder; never served directly
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name or self.path


class FailureEvent(models.Model):
    """The report's history: filed, every status change, assignment and comment — who and when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("reported")
        STATUS = "status", _("status changed")
        ASSIGNED = "assigned", _("assigned")
        COMMENT = "comment", _("comment")
        NOTE = "note", _("internal note")

    report = models.ForeignKey(FailureReport, on_delete=models.CASCADE, related_name="events",
                               verbose_name=_("report"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("by"))
    author_name = models.CharField(_("by"), max_length=200, blank=True)  # kept if the account goes
    status_from = models.CharField(max_length=16, choices=FailureReport.Status.choices, blank=True)
    status_to = models.CharField(max_length=16, choices=FailureReport.Status.choices, blank=True)
    text = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_internal(self) -> bool:
        return self.kind == self.Kind.NOTE
