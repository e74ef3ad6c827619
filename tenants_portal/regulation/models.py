from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegulationVersion(models.Model):
    """One published version of the regulation. Versions are never edited, only superseded."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text (Markdown)"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))

    class Meta:
        verbose_name = _("regulation version")
        verbose_name_plural = _("regulation versions")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class RegulationAcceptance(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="regulation_acceptances",
                             verbose_name=_("user"))
    regulation = models.ForeignKey(RegulationVersion, on_delete=models.PROTECT, related_name="acceptances",
                                   verbose_name=_("regulation version"))
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("regulation acceptance")
        verbose_name_plural = _("regulation acceptances")
        constraints = [models.UniqueConstraint(fields=["user", "regulation"], name="regulation_accepted_once")]

    def __str__(self) -> str:
        return f"{self.user} v{self.regulation_id}"


class ConsentPurpose(models.Model):
    """A purpose beyond the statutory ones that needs the resident's consent; the wording is versioned."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=200)
    wording = models.TextField(_("wording"))
    wording_version = models.PositiveIntegerField(_("wording version"), default=1)
    is_active = models.BooleanField(_("offered to residents"), default=True)

    class Meta:
        verbose_name = _("consent purpose")
        verbose_name_plural = _("consent purposes")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Consent(models.Model):
    """A resident's consent to one wording version of a purpose; withdrawing keeps the record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents",
                             verbose_name=_("user"))
    purpose = models.ForeignKey(ConsentPurpose, on_delete=models.PROTECT, related_name="consents",
                                verbose_name=_("purpose"))
    wording_version = models.PositiveIntegerField(_("wording version"))
    wording = models.TextField(_("wording consented to"))
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "purpose"], condition=models.Q(withdrawn_at__isnull=True),
                                    name="one_live_consent_per_purpose"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.purpose} v{self.wording_version}"

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None
