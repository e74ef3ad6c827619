from typing import ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The most a cooperative's "refuse the last N passwords" rule can ask for.
PASSWORD_HISTORY_KEPT = 24


class User(AbstractUser):
    """A login. In the public schema: platform operators. In a cooperative's schema: its staff and
    residents. The login identifier is issued by the office; it is not the e-mail address."""

    class Role(models.TextChoices):
        OPERATOR = "operator", _("platform operator")
        ADMIN = "admin", _("cooperative admin")
        CLERK = "clerk", _("clerk")
        TECHNICIAN = "technician", _("technician")
        RESIDENT = "resident", _("resident")

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.RESIDENT)
    # Set for an office-issued one-time password: no page but the password change works until done.
    must_change_password = models.BooleanField(_("must change password"), default=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    # Set when a closed account's personal data was removed after the retention period (GDPR).
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    # A closed account keeps its row (audit, ledger retention) but cannot sign in: is_active is False.
    class Closure(models.TextChoices):
        RESIDENT_REQUEST = "resident_request", _("at the resident's request")
        TITLES_ENDED = "titles_ended", _("every legal title has ended")
        MISUSE = "misuse", _("use contrary to the regulation")

    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closure = models.CharField(_("reason for closing"), max_length=24, choices=Closure.choices, blank=True)
    closure_note = models.TextField(_("closing note"), blank=True)

    objects: ClassVar[UserManager[Self]] = UserManager()

    def set_password(self, raw_password: str | None) -> None:
        # Remember the hash being replaced; save() files it in the password history.
        if self.password and "_replaced_password" not in self.__dict__:
            self._replaced_password = self.password
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        replaced = self.__dict__.pop("_replaced_password", None)
        if replaced and replaced != self.password:
            PasswordHistory.objects.create(user=self, password=replaced)
            stale = self.password_history.values_list("pk", flat=True)[PASSWORD_HISTORY_KEPT:]
            PasswordHistory.objects.filter(pk__in=list(stale)).delete()
            from .signals_account import password_changed

            password_changed.send(sender=User, user=self)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_staff_member(self) -> bool:
        return self.role in {self.Role.ADMIN, self.Role.CLERK, self.Role.TECHNICIAN}

    @property
    def is_resident(self) -> bool:
        return self.role == self.Role.RESIDENT

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def has_verified_email(self) -> bool:
        return bool(self.email) and self.email_verified_at is not None


class PasswordHistory(models.Model):
    """Hashes of earlier passwords, for the "refuse the last N passwords" rule. Never clear text."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=256)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class Passkey(models.Model):
    """A resident's passkey (a WebAuthn credential): what the server needs to check a sign-in made with it.
    The private key never leaves the resident's device; this row holds the public key and the credential's id.
    Its relying party is the cooperative's host, and the row lives in that cooperative's schema, so a passkey
    of one cooperative means nothing on another."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    name = models.CharField(_("name"), max_length=60)
    credential_id = models.BinaryField(unique=True)
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    # WebAuthn's user handle: random, one per user, the same for all of the user's passkeys, never the login.
    user_handle = models.BinaryField()
    # Where the browser said the authenticator can be reached (internal, hybrid, usb, ...); sent back as a hint.
    transports = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("passkey")
        verbose_name_plural = _("passkeys")

    def __str__(self) -> str:
        return self.name
