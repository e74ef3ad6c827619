"""Onboarding, suspending and reactivating cooperatives: the one path used by the operators' console
and `create_cooperative`."""

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from tenants_portal.accounts.models import User
from tenants_portal.accounts.passwords import one_time_password_generate
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.audit.services import audit_record
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget

from .models import Cooperative, Domain
from .presets import DEFAULT_POLICY_PRESET, MODULES, POLICY_PRESETS

SLUG_PATTERN = re.compile(r"^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$")
# Subdomains the platform keeps for itself or that would confuse residents and mail.
RESERVED_SLUGS = frozenset({
    "www", "api", "admin", "static", "media", "mail", "smtp", "imap", "pop", "ftp", "public",
    "platform", "operator", "operators", "status", "help", "pomoc", "test", "localhost",
})
FIRST_ADMIN_LOGIN = "admin"
# How a platform operator appears in a cooperative's own audit log: operators are users of the public
# schema, so the cooperative's log names them instead of pointing at one of its own accounts.
PLATFORM_ACTOR_PREFIX = "platform:"
STATUS_REASON_MAX_LENGTH = 500


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


def audit_record_in_cooperative(*, cooperative: Cooperative, actor_login: str, action: AuditAction, target: str = "",
                                details: dict[str, Any] | None = None) -> AuditEvent:
    """An audit row in the cooperative's own log for something done from outside it (an operator on
    the platform site), whatever schema the connection is on."""
    with schema_context(cooperative.schema_name):
        return AuditEvent.objects.create(actor=None, actor_login=actor_login[:150], action=action,
                                         target=target[:200], details=details or {})


def audit_record_on_platform(*, actor_login: str, action: AuditAction, target: str = "",
                             details: dict[str, Any] | None = None) -> AuditEvent:
    """An audit row in the platform's (public) log for something a cooperative's user did."""
    with schema_context("public"):
        return AuditEvent.objects.create(actor=None, actor_login=actor_login[:150], action=action,
                                         target=target[:200], details=details or {})


def operator_actor_login(user: AbstractBaseUser | None) -> str:
    return PLATFORM_ACTOR_PREFIX + (user.get_username() if user is not None else "command-line")


def _modules_validate(modules: Collection[str] | None) -> set[str]:
    if modules is None:
        return set(MODULES)
    unknown = sorted(set(modules) - set(MODULES))
    if unknown:
        raise ValidationError(_("Unknown module: %(modules)s. Modules: %(known)s."), code="unknown_module",
                              params={"modules": ", ".join(unknown), "known": ", ".join(MODULES)})
    return set(modules)


def _policy_validate(policy: str) -> None:
    if policy not in POLICY_PRESETS:
        raise ValidationError(_("Unknown password policy preset “%(policy)s”. Presets: %(known)s."),
                              code="unknown_policy", params={"policy": policy, "known": ", ".join(POLICY_PRESETS)})


def cooperative_create(*, name: str, slug: str, admin_email: str, street: str = "", postal_code: str = "",
                       city: str = "", policy: str = DEFAULT_POLICY_PRESET, modules: Collection[str] | None = None,
                       acting_user: AbstractBaseUser | None = None) -> CooperativeCreated:
    """Create the schema (a copy of the template), the domain <slug>.<BASE_DOMAIN>, the configuration
    (a password policy preset and the chosen modules, all of them by default) and the first admin.

    The admin gets a random one-time password, returned here to be shown once and never stored
    in clear; it must be changed at first sign-in.
    """
    slug = slug.strip().lower()
    name = name.strip()
    admin_email = admin_email.strip()
    if not name:
        raise ValidationError(_("Enter the cooperative's name."), code="name_required")
    cooperative_slug_validate(slug=slug)
    try:
        validate_email(admin_email)
    except ValidationError as error:
        raise ValidationError(_("Enter a valid e-mail address for the first admin."), code="invalid_email") from error
    _policy_validate(policy)
    chosen_modules = _modules_validate(modules)
    domain_name = f"{slug}.{settings.BASE_DOMAIN}"
    password = one_time_password_generate()
    configuration = {**POLICY_PRESETS[policy].settings,
                     **{f"module_{module}": module in chosen_modules for module in MODULES}}
    onboarded_by = operator_actor_login(acting_user)

    # One transaction: the schema, its tables, the registry rows and the first admin appear
    # together or not at all (PostgreSQL DDL is transactional).
    with transaction.atomic():
        cooperative = Cooperative(name=name, slug=slug, schema_name=schema_name_for_slug(slug),
                                  street=street.strip(), postal_code=postal_code.strip(), city=city.strip())
        cooperative.save(verbosity=0)
        Domain.objects.create(domain=domain_name, tenant=cooperative, is_primary=True)
        audit_record(acting_user=acting_user, action=AuditAction.COOPERATIVE_CREATED, target=slug,
                     details={"name": name, "domain": domain_name, "policy": policy,
                              "modules": sorted(chosen_modules)})
        with schema_context(cooperative.schema_name):
            InstanceSettings.objects.update_or_create(pk=1, defaults=configuration)
            instance_settings_forget()
            admin = User(username=FIRST_ADMIN_LOGIN, email=admin_email, role=User.Role.ADMIN,
                         must_change_password=True)
            admin.set_password(password)
            admin.save()
            AuditEvent.objects.create(actor_login=onboarded_by, action=AuditAction.COOPERATIVE_CREATED, target=slug,
                                      details={"policy": policy, "modules": sorted(chosen_modules)})
            audit_record(acting_user=None, action=AuditAction.ACCOUNT_ISSUED, target=FIRST_ADMIN_LOGIN,
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


def _cooperative_status_change(*, cooperative: Cooperative, status: str, reason: str, action: AuditAction,
                               acting_user: AbstractBaseUser) -> Cooperative:
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(_("Give the reason; it is kept in the audit log."), code="reason_required")
    if len(reason) > STATUS_REASON_MAX_LENGTH:
        raise ValidationError(_("Keep the reason under %(limit)s characters."), code="reason_too_long",
                              params={"limit": STATUS_REASON_MAX_LENGTH})
    with transaction.atomic():
        locked = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
        if locked.status == status:
            raise ValidationError(
                _("The cooperative is already suspended.") if status == Cooperative.Status.SUSPENDED
                else _("The cooperative is already active."), code="status_unchanged")
        locked.status = status
        locked.status_reason = reason
        locked.status_changed_at = timezone.now()
        # save() sends the signal that drops the cached routes of the cooperative's domains at once.
        locked.save(update_fields=["status", "status_reason", "status_changed_at"])
        details = {"reason": reason}
        audit_record(acting_user=acting_user, action=action, target=locked.slug, details=details)
        audit_record_in_cooperative(cooperative=locked, actor_login=operator_actor_login(acting_user),
                                    action=action, target=locked.slug, details=details)
    return locked


def cooperative_suspend(*, cooperative: Cooperative, reason: str, acting_user: AbstractBaseUser) -> Cooperative:
    """Every host of the cooperative answers with the suspension notice page (and its API refuses)
    from the next request on; nothing in its schema changes."""
    return _cooperative_status_change(cooperative=cooperative, status=Cooperative.Status.SUSPENDED, reason=reason,
                                      action=AuditAction.COOPERATIVE_SUSPENDED, acting_user=acting_user)


def cooperative_reactivate(*, cooperative: Cooperative, reason: str, acting_user: AbstractBaseUser) -> Cooperative:
    return _cooperative_status_change(cooperative=cooperative, status=Cooperative.Status.ACTIVE, reason=reason,
                                      action=AuditAction.COOPERATIVE_REACTIVATED, acting_user=acting_user)
