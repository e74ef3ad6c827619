"""Credentials of the REST API, kept in each cooperative's schema: a token or key of cooperative A
is simply unknown on B's host. Only a SHA-256 hash of each secret is stored, never the secret."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A resident's (or staff member's) app token, issued by signing in through the API."""

    class Revocation(models.TextChoices):
        SIGNED_OUT = "signed_out", _("signed out")
        PASSWORD_CHANGED = "password_changed", _("password changed")
        ACCOUNT_CLOSED = "account_closed", _("account closed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("account"))
    key_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("device"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("issued to IP address"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation = models.CharField(_("revoked because"), max_length=20, choices=Revocation.choices, blank=True)

    class Meta:
        verbose_name = _("app token")
        verbose_name_plural = _("app tokens")
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_live")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.name or '-'} {self.created_at:%Y-%m-%d}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ApiKey(models.Model):
    """A key of the cooperative's accounting system (or another system), created by an admin."""

    class Scope(models.TextChoices):
        IMPORTS_WRITE = "imports:write", _("send import files")
        IMPORTS_READ = "imports:read", _("read imports and their reports")

    name = models.CharField(_("name"), max_length=100)
    # The key's first characters, shown to tell keys apart; not enough to use it.
    prefix = models.CharField(_("key begins with"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("permissions"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rotated_at = models.DateTimeField(_("new secret issued at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("revoked by"))

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["revoked_at", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def scope_labels(self) -> list[str]:
        labels = dict(self.Scope.choices)
        return [str(labels.get(scope, scope)) for scope in self.scopes]
