"""Announcements of the manager (ogłoszenia zarządcy): to the whole cooperative, an estate or a building."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tenants_portal.registry.models import Building, Estate


class Announcement(models.Model):
    class Scope(models.TextChoices):
        COOPERATIVE = "cooperative", _("the whole cooperative")
        ESTATE = "estate", _("an estate")
        BUILDING = "building", _("a building")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        PUBLISHED = "published", _("published")
        EXPIRED = "expired", _("expired")
        WITHDRAWN = "withdrawn", pgettext_lazy("announcement", "withdrawn")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    scope = models.CharField(_("audience"), max_length=16, choices=Scope.choices, default=Scope.COOPERATIVE)
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, null=True, blank=True, related_name="announcements",
                               verbose_name=_("estate"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="announcements", verbose_name=_("building"))
    publish_at = models.DateTimeField(_("published from"))
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("withdrawn by"))
    # Set in the same transaction that enqueues the e-mails, so an announcement is sent at most once.
    notified_at = models.DateTimeField(_("e-mails sent at"), null=True, blank=True)
    recipients_count = models.PositiveIntegerField(_("recipients"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-pinned", "-publish_at", "-pk"]
        indexes = [models.Index(fields=["notified_at", "publish_at"], name="announcement_due")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(scope="cooperative", estate__isnull=True, building__isnull=True)
                           | models.Q(scope="estate", estate__isnull=False, building__isnull=True)
                           | models.Q(scope="building", estate__isnull=True, building__isnull=False)),
                name="announcement_audience_consistent"),
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=models.F("publish_at")),
                name="announcement_expires_after_publication"),
        ]

    def __str__(self) -> str:
        return self.title

    def status_at(self, now) -> str:
        if self.withdrawn_at is not None:
            return self.Status.WITHDRAWN
        if self.publish_at > now:
            return self.Status.SCHEDULED
        if self.expires_at is not None and self.expires_at <= now:
            return self.Status.EXPIRED
        return self.Status.PUBLISHED

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    def get_status_display(self) -> str | Promise:
        return self.Status(self.status).label

    @property
    def audience_label(self) -> str:
        if self.scope == self.Scope.BUILDING:
            return str(self.building)
        if self.scope == self.Scope.ESTATE:
            return str(self.estate)
        return str(self.Scope.COOPERATIVE.label)


class AnnouncementAttachment(models.Model):
    """A PDF or an image; stored under a random name and served only after an access check."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="attachments",
                                     verbose_name=_("announcement"))
    path = models.CharField(max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class AnnouncementRead(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="announcements_read")
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        verbose_name = _("announcement read")
        verbose_name_plural = _("announcements read")
        constraints = [models.UniqueConstraint(fields=["user", "announcement"], name="announcement_read_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.announcement_id}"
