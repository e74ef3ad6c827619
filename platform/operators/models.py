from datetime import datetime, timedelta
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative


class SupportGrant(models.Model):
    """A cooperative admin's permission for platform operators to look at the cooperative's residents,
    read-only, until it expires or is withdrawn. Kept in the public schema, where operators live; the
    cooperative's own audit log records the grant and every page an operator opened under it."""

    class Duration(models.TextChoices):
        HOUR = "1h", _("1 hour")
        DAY = "24h", _("24 hours")
        WEEK = "7d", _("7 days")

    # Keyed by the stored value: a Duration is a str, and so is what a form or the database gives.
    DURATIONS: ClassVar[dict[str, timedelta]] = {Duration.HOUR: timedelta(hours=1), Duration.DAY: timedelta(hours=24),
                 Duration.WEEK: timedelta(days=7)}

    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="support_grants",
                                    verbose_name=_("cooperative"))
    # The admin is a user of the cooperative's schema, so the grant keeps their login, not a key.
    granted_by_login = models.CharField(_("granted by"), max_length=150)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    duration = models.CharField(_("duration"), max_length=4, choices=Duration.choices)
    expires_at = models.DateTimeField(_("expires at"))
    note = models.CharField(_("note for the operators"), max_length=300, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    revoked_by_login = models.CharField(_("withdrawn by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("support access grant")
        verbose_name_plural = _("support access grants")
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["cooperative", "expires_at"], name="support_grant_coop_expiry")]

    def __str__(self) -> str:
        return f"{self.cooperative_id} {self.granted_at:%Y-%m-%d %H:%M}–{self.expires_at:%Y-%m-%d %H:%M}"

    def is_live(self, *, now: datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())

    @property
    def live(self) -> bool:
        return self.is_live()

    @property
    def ended_at(self) -> datetime:
        return self.revoked_at or self.expires_at
