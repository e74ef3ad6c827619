"""Matters with the office: topics with their own fields and days to answer, the correspondence register,
replies both ways, attachments and certificates of no arrears."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tenants_portal.registry.models import Office, Unit


class TopicKind(models.TextChoices):
    """What a topic asks for: each kind has its own form of fields (topics.py)."""

    PEOPLE = "people", _("change of the number of people living in the unit")
    REFUND = "refund", _("refund of an overpayment")
    RENOVATION = "renovation", _("consent for a renovation or alteration")
    CERTIFICATE = "certificate", _("certificate of no arrears")
    ACCESS_WITHDRAWAL = "access_withdrawal", _("withdrawal of IOK access")
    OTHER = "other", _("other matter")


class MatterTopic(models.Model):
    """A topic of the cooperative's list, with the days the office has to answer."""

    kind = models.CharField(_("kind"), max_length=20, choices=TopicKind.choices)
    name = models.CharField(_("name"), max_length=150, unique=True)
    due_days = models.PositiveSmallIntegerField(_("days to answer"), default=14)
    is_active = models.BooleanField(_("offered to residents"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("matter topic")
        verbose_name_plural = _("matter topics")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ReplyTemplate(models.Model):
    """A ready answer the office starts a reply from."""

    topic = models.ForeignKey(MatterTopic, on_delete=models.CASCADE, related_name="reply_templates",
                              verbose_name=_("topic"))
    title = models.CharField(_("title"), max_length=150)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["topic", "title"]

    def __str__(self) -> str:
        return self.title


class RegisterCounter(models.Model):
    """The last number given in a year of the correspondence register; locked (SELECT … FOR UPDATE) by the
    transaction that creates a matter, so numbers follow each other without gaps or repeats."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Matter(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("matter", "received")
        IN_PROGRESS = "in_progress", pgettext_lazy("matter", "in progress")
        WAITING = "waiting", pgettext_lazy("matter", "waiting for the resident")
        CLOSED = "closed", pgettext_lazy("matter", "closed")

    class Outcome(models.TextChoices):
        GRANTED = "granted", pgettext_lazy("matter", "granted")
        REFUSED = "refused", pgettext_lazy("matter", "refused")
        ANSWERED = "answered", pgettext_lazy("matter", "answered")
        WITHDRAWN = "withdrawn", pgettext_lazy("matter", "withdrawn by the resident")

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number in the year"))
    topic = models.ForeignKey(MatterTopic, on_delete=models.PROTECT, related_name="matters", verbose_name=_("topic"))
    kind = models.CharField(_("kind"), max_length=20, choices=TopicKind.choices)
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="matters",
                                 verbose_name=_("resident"))
    resident_name = models.CharField(_("resident"), max_length=200)  # kept if the account goes
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="matters", verbose_name=_("unit"))
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="matters", null=True, blank=True,
                               verbose_name=_("office"))
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The topic's own fields as the topic's form cleaned them (topics.py), dates as ISO strings.
    fields = models.JSONField(_("fields"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="matters_assigned", verbose_name=_("assigned to"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_on = models.DateField(_("due date"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "due_on"], name="matter_status_due")]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="matter_register_number_unique"),
            models.CheckConstraint(condition=models.Q(status="closed", closed_at__isnull=False) & ~models.Q(outcome="")
                                   | ~models.Q(status="closed") & models.Q(outcome=""), name="matter_closed_outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.register_number} {self.subject}"

    @property
    def register_number(self) -> str:
        return register_number(year=self.year, number=self.number)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


def register_number(*, year: int, number: int) -> str:
    return f"KOR/{year}/{number:05d}"


class MatterEntry(models.Model):
    """The matter's history: received, replies both ways, internal notes, status changes, assignments."""

    class Kind(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("matter entry", "received")
        RESIDENT_REPLY = "resident_reply", _("reply of the resident")
        OFFICE_REPLY = "office_reply", _("reply of the office")
        NOTE = "note", _("internal note")
        STATUS = "status", _("status changed")
        ASSIGNED = "assigned", pgettext_lazy("matter entry", "assigned")
        CERTIFICATE = "certificate", _("certificate issued")

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="entries", verbose_name=_("matter"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("by"))
    author_name = models.CharField(_("by"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    status_from = models.CharField(max_length=16, choices=Matter.Status.choices, blank=True)
    status_to = models.CharField(max_length=16, choices=Matter.Status.choices, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("matter entry")
        verbose_name_plural = _("matter entries")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_internal(self) -> bool:
        return self.kind == self.Kind.NOTE


class MatterAttachment(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="attachments",
                               verbose_name=_("matter"))
    entry = models.ForeignKey(MatterEntry, on_delete=models.CASCADE, related_name="attachments",
                              verbose_name=_("entry"))
    path = models.CharField(max_length=300)  # relative to the cooperative's media folder; never served directly
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name or self.path


class Certificate(models.Model):
    """A certificate of no arrears (zaświadczenie o niezaleganiu w opłatach): what it states is kept as it was
    issued; the verification code is random and is all the public page needs."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="certificates",
                               verbose_name=_("matter"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("unit"))
    number = models.CharField(_("number"), max_length=40)
    unit_address = models.CharField(_("unit address"), max_length=300)
    holder_names = models.CharField(_("issued to"), max_length=400)
    as_of = models.DateField(_("no arrears as of"))
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("issued by"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        verbose_name = _("certificate of no arrears")
        verbose_name_plural = _("certificates of no arrears")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
