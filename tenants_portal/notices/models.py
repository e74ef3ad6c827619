from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from iok.db import connection


class NoticeKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("announcements of the manager")
    FAILURE_STATUS = "failure_status", _("status changes of my failure reports")
    READING_WINDOW = "reading_window", _("reading window opened")
    MATTER = "matter", _("replies and status changes in my matters with the office")


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


class Notice(models.Model):
    """One notice event (an announcement published, a report's status changed, ...): what every recipient gets.

    The context is kept as JSON, with model instances as references that are loaded again when a message is
    rendered in the worker; so the notice is rendered per recipient at sending time, not at enqueueing.
    """

    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("announcement published")
        FAILURE_STATUS = "failure_status", _("failure report status changed")
        READING_WINDOW = "reading_window", _("reading window opened")
        IMPORT_FAILED = "import_failed", _("import failed")
        ACCOUNT_CLOSED = "account_closed", _("account closed")
        EMAIL_VERIFICATION = "email_verification", _("e-mail address verification")
        PASSWORD_RESET = "password_reset", _("password reset")
        EMAIL_CHANGED = "email_changed", _("e-mail address changed")
        SECOND_FACTOR_RESET = "second_factor_reset", _("second factor turned off or reset")
        PASSKEYS_REMOVED = "passkeys_removed", _("passkeys removed by the office")
        FEE_NOTICE = "fee_notice", _("fee change notice waiting in the portal")
        MATTER = "matter", _("reply or status change in a matter")

    key = models.CharField(_("key"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    template = models.CharField(max_length=120)
    context = models.JSONField(default=dict)
    # People the notice was for who have no (confirmed) e-mail address: shown to staff beside sent/failed/opted out.
    without_address = models.PositiveIntegerField(_("without a confirmed e-mail address"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return self.key


class OutboxMessage(models.Model):
    """One e-mail of a notice to one recipient: claimed before sending, marked after (at most once)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        OPTED_OUT = "opted_out", _("switched off by the resident")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="messages")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    to_address = models.EmailField(_("address"), max_length=254)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # When a delivery task for the row was last put on the queue: the sweep re-enqueues only rows whose
    # task has had ample time to run (lost with a killed worker or a restarted Redis).
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("e-mail of a notice")
        verbose_name_plural = _("e-mails of notices")
        constraints = [models.UniqueConstraint(fields=["notice", "recipient"], name="outbox_once_per_recipient")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.notice_id}→{self.recipient_id} {self.status}"

    @property
    def message_id(self) -> str:
        """Stable per row, so a receiving system can recognise the same message."""
        return f"<iok.{connection.schema_name}.{self.pk}@{settings.BASE_DOMAIN}>"
