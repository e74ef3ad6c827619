from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("announcements of the manager")
    FAILURE_STATUS = "failure_status", _("status changes of my failure reports")
    READING_WINDOW = "reading_window", _("reading window opened")


class NoticePreference(models.Model):
    """A resident's choice not to get a kind of notice (security notices always go)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences")
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    enabled = models.BooleanField(_("send"), default=True)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notice_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.enabled}"
