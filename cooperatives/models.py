import logging

from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.utils import schema_exists

from iok.db import connection

from .schema_template import TemplateUnusable, template_clone

logger = logging.getLogger(__name__)


class Cooperative(TenantMixin):
    """A housing cooperative: one PostgreSQL schema, one subdomain."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The last suspension or reactivation (who and why are in the platform's audit log too).
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_reason = models.CharField(_("reason for the status"), max_length=500, blank=True)

    auto_create_schema = True
    # A cooperative's data is never dropped as a side effect of deleting a row.
    auto_drop_schema = False

    class Meta:
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def create_schema(self, check_if_exists: bool = False, sync_schema: bool = True, verbosity: int = 1) -> bool:
        """Copy the template schema (cooperatives.schema_template), then apply whatever migrations the
        template did not have yet; without a usable template, create the schema by migrating it."""
        if not sync_schema:
            return super().create_schema(check_if_exists=check_if_exists, sync_schema=False, verbosity=verbosity)
        if check_if_exists and schema_exists(self.schema_name):
            return False
        try:
            template_clone(schema_name=self.schema_name)
        except TemplateUnusable as reason:
            logger.warning("Migrating %s from scratch: %s (run migrate_schemas to prepare the template)",
                           self.schema_name, reason)
            return super().create_schema(check_if_exists=False, sync_schema=True, verbosity=verbosity)
        # Usually nothing to apply: one query finds that out (cooperatives.migration_executor).
        call_command("migrate_schemas", tenant=True, schema_name=self.schema_name, interactive=False,
                     verbosity=verbosity)
        connection.set_schema_to_public()
        return True

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def address(self) -> str:
        return ", ".join(part for part in (self.street, f"{self.postal_code} {self.city}".strip()) if part)


class Domain(DomainMixin):
    """A host name a cooperative answers on: the platform's own <slug>.<BASE_DOMAIN> (verified by
    construction), or a custom domain (its own address, e.g. iok.smhutnik.pl) that its admin or an
    operator added and the platform verified in DNS (tenants_portal.configuration.domains).

    Only verified rows route (cooperatives.routing); `domain` is unique, so a name belongs to one
    cooperative at most. The primary row is the address every link the platform gives out uses, and the
    other hosts redirect to it."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for verification")
        VERIFIED = "verified", _("verified")

    # DomainMixin's foreign key to the tenant model (TENANT_MODEL), spelled out for the type checker.
    tenant: Cooperative
    # The host name before an edit, kept by cooperatives.signals so that both names' routes are forgotten.
    _previous_domain: str | None

    # Verified unless said otherwise: the platform's own subdomain rows are created by onboarding (and by
    # the demo and the benchmarks); a custom domain is always added pending, by its service.
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.VERIFIED,
                             db_default=State.VERIFIED)
    # The value of the TXT record _iok-challenge.<domain> that proves the cooperative controls the name.
    verification_token = models.CharField(_("verification token"), max_length=64, blank=True, db_default="")
    created_at = models.DateTimeField(_("added at"), default=timezone.now, db_default=Now())
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # The last DNS check and, when it failed, why (in Polish, as the admin reads it).
    checked_at = models.DateTimeField(_("last checked at"), null=True, blank=True)
    check_error = models.CharField(_("last check's problem"), max_length=500, blank=True, db_default="")

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.domain

    @property
    def is_verified(self) -> bool:
        return self.state == self.State.VERIFIED

    @property
    def is_custom(self) -> bool:
        """A name of the cooperative's own, not the platform's subdomain <slug>.<BASE_DOMAIN> for it."""
        return self.domain != f"{self.tenant.slug}.{settings.BASE_DOMAIN}"
