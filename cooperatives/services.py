"""Creating cooperatives: the one path used by the operators' console and `create_cooperative`."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from tenants_portal.accounts.models import User
from tenants_portal.accounts.passwords import one_time_password_generate
from tenants_portal.audit.services import audit_record

from .models import Cooperative, Domain

SLUG_PATTERN = re.compile(r"^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$")
# Subdomains the platform keeps for itself or that would confuse residents and mail.
RESERVED_SLUGS = frozenset({
    "www", "api", "admin", "static", "media", "mail", "smtp", "imap", "pop", "ftp", "public",
    "platform", "operator", "operators", "status", "help", "pomoc", "test", "localhost",
})
FIRST_ADMIN_LOGIN = "admin"


@dataclass(frozen=True)
class CooperativeCreated:
    cooperative: Cooperative
    domain: str
    admin_login: str
    admin_one_time_password: str


def schema_name_for_slug(slug: str) -> str:
    # A prefix keeps cooperative schemas apart from `public`, `pg_*` and `information_schema`.
    return "coop_" + slug.replace("-", "_")


def cooperative_slug_validate(*, slug: str) -> None:
    if not SLUG_PATTERN.match(slug) or "--" in slug:
        raise ValidationError(
            _("The address name “%(slug)s” is invalid: use 1–40 lowercase letters (a–z), digits and "
              "single hyphens, starting with a letter and not ending with a hyphen."),
            code="invalid_slug", params={"slug": slug},
        )
    if slug in RESERVED_SLUGS:
        raise ValidationError(_("The address name “%(slug)s” is reserved by the platform."),
                              code="reserved_slug", params={"slug": slug})
    if Cooperative.objects.filter(slug=slug).exists() or Domain.objects.filter(
            domain=f"{slug}.{settings.BASE_DOMAIN}").exists():
        raise ValidationError(_("The address name “%(slug)s” is already taken by another cooperative."),
                              code="taken_slug", params={"slug": slug})


def cooperative_create(*, name: str, slug: str, admin_email: str, street: str = "", postal_code: str = "",
                       city: str = "", acting_user: AbstractBaseUser | None = None) -> CooperativeCreated:
    """Create the schema, the domain <slug>.<BASE_DOMAIN> and the first cooperative admin.

    The admin gets a random one-time password, returned here to be shown once and never stored
    in clear; it must be changed at first sign-in.
    """
    slug = slug.strip().lower()
    name = name.strip()
    if not name:
        raise ValidationError(_("Enter the cooperative's name."), code="name_required")
    cooperative_slug_validate(slug=slug)
    domain_name = f"{slug}.{settings.BASE_DOMAIN}"
    password = one_time_password_generate()

    # One transaction: the schema, its tables, the registry rows and the first admin appear
    # together or not at all (PostgreSQL DDL is transactional).
    with transaction.atomic():
        cooperative = Cooperative(name=name, slug=slug, schema_name=schema_name_for_slug(slug),
                                  street=street, postal_code=postal_code, city=city)
        cooperative.save()
        Domain.objects.create(domain=domain_name, tenant=cooperative, is_primary=True)
        audit_record(acting_user=acting_user, action="cooperative.created", target=slug,
                     details={"name": name, "domain": domain_name})
        with schema_context(cooperative.schema_name):
            admin = User(username=FIRST_ADMIN_LOGIN, email=admin_email, role=User.Role.ADMIN,
                         must_change_password=True)
            admin.set_password(password)
            admin.save()
            audit_record(acting_user=None, action="account.issued", target=FIRST_ADMIN_LOGIN,
                         details={"role": User.Role.ADMIN, "by": "platform onboarding"})
    return CooperativeCreated(cooperative=cooperative, domain=domain_name, admin_login=FIRST_ADMIN_LOGIN,
                              admin_one_time_password=password)


def cooperative_rename(*, cooperative: Cooperative, name: str) -> str:
    """Change the cooperative's name as residents see it; returns the previous name.

    Called by the cooperative's own configuration service, which audits the change in the
    cooperative's trail together with the rest of its page. Cached routes (which carry the name)
    are dropped by the post_save signal.
    """
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Enter the cooperative's name."), code="name_required")
    if len(name) > Cooperative._meta.get_field("name").max_length:
        raise ValidationError(_("The name may have at most %(limit)d characters.") % {
            "limit": Cooperative._meta.get_field("name").max_length}, code="name_too_long")
    previous = cooperative.name
    if name != previous:
        cooperative.name = name
        cooperative.save(update_fields=["name"])
    return previous
