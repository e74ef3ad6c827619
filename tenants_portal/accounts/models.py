from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_staff_member(self) -> bool:
        return self.role in {self.Role.ADMIN, self.Role.CLERK, self.Role.TECHNICIAN}
