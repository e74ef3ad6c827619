from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants_portal.registry.models import Person, Unit


class AccessApplication(models.Model):
    """Wniosek o nadanie/odebranie dostępu, submitted in person at the office.

    Records which identity document type was shown and which clerk saw it — never its number or
    a copy (GDPR data minimisation).
    """

    class Kind(models.TextChoices):
        GRANT = "grant", _("grant access")
        WITHDRAW = "withdraw", _("withdraw access")

    class IdentityDocument(models.TextChoices):
        ID_CARD = "id_card", _("identity card")
        PASSPORT = "passport", _("passport")
        RESIDENCE_CARD = "residence_card", _("residence card")
        OTHER = "other", _("other document with a photo")

    kind = models.CharField(_("application"), max_length=10, choices=Kind.choices, default=Kind.GRANT)
    submitted_on = models.DateField(_("submitted on"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="access_applications",
                               verbose_name=_("applicant"))
    units = models.ManyToManyField(Unit, related_name="access_applications", verbose_name=_("units"))
    identity_document = models.CharField(_("identity document shown"), max_length=20,
                                         choices=IdentityDocument.choices)
    document_seen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("document seen by"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="access_applications", verbose_name=_("account"))

    class Meta:
        verbose_name = _("access application")
        verbose_name_plural = _("access applications")
        ordering = ["-submitted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person} ({self.submitted_on:%d.%m.%Y})"
