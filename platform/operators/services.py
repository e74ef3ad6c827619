"""What operators do to cooperatives: onboarding (the one path of the operators' console and
`create_cooperative`), suspending and reactivating; and support access: a cooperative's admin lets platform
operators look at its residents, read-only, for a limited time. Every grant, withdrawal and page viewed is in
the cooperative's audit log and the platform's."""

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from cooperatives.models import Cooperative, Domain
from cooperatives.presets import DEFAULT_POLICY_PRESET, MODULES, MODULES_DEFAULT, POLICY_PRESETS
from cooperatives.selectors import cooperative_current
from iok.access import access_get
from tenants_portal.access.services import account_create
from tenants_portal.accounts.models import User
from tenants_portal.accounts.second_factor import second_factor_remove
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.audit.services import audit_record
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget

from .models import SupportGrant
from .selectors import support_grant_live_of

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
        return audit_record(acting_user=None, actor_login=actor_login, action=action, target=target, details=details)


def audit_record_on_platform(*, actor_login: str, action: AuditAction, target: str = "",
                             details: dict[str, Any] | None = None) -> AuditEvent:
    """An audit row in the platform's (public) log for something a cooperative's user did."""
    with schema_context(get_public_schema_name()):
        return audit_record(acting_user=None, actor_login=actor_login, action=action, target=target, details=details)


def operator_actor_login(user: AbstractBaseUser | None) -> str:
    return PLATFORM_ACTOR_PREFIX + (user.get_username() if user is not None else "command-line")


def _modules_validate(modules: Collection[str] | None) -> set[str]:
    if modules is None:
        return set(MODULES_DEFAULT)
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
    configuration = {**POLICY_PRESETS[policy].settings,
                     **{f"module_{module}": module in chosen_modules for module in MODULES},
                     # A new cooperative starts with its staff's second factor required (ASVS V6.3).
                     "staff_second_factor_required": True}
    onboarded_by = operator_actor_login(acting_user)

    # One transaction: the schema, its tables, the registry rows and the first admin appear
    # together or not at all (PostgreSQL DDL is transactional).
    with transaction.atomic():
        cooperative = Cooperative(name=name, slug=slug, schema_name=schema_name_for_slug(slug),
                                  street=street.strip(), postal_code=postal_code.strip(), city=city.strip())
        # django-tenants' TenantMixin.save takes verbosity (for the schema's migrations); its stub in
        # devstack/stubs declares no save.
        cooperative.save(verbosity=0)  # type: ignore[call-arg]
        Domain.objects.create(domain=domain_name, tenant=cooperative, is_primary=True)
        audit_record(acting_user=acting_user, action=AuditAction.COOPERATIVE_CREATED, target=slug,
                     details={"name": name, "domain": domain_name, "policy": policy,
                              "modules": sorted(chosen_modules)})
        audit_record_in_cooperative(cooperative=cooperative, actor_login=onboarded_by,
                                    action=AuditAction.COOPERATIVE_CREATED, target=slug,
                                    details={"policy": policy, "modules": sorted(chosen_modules)})
        with schema_context(cooperative.schema_name):
            InstanceSettings.objects.update_or_create(pk=1, defaults=configuration)
            instance_settings_forget()
            # After the configuration: the one-time password is as long as the new policy asks.
            admin = account_create(acting_user=None, login=FIRST_ADMIN_LOGIN, role=User.Role.ADMIN,
                                   email=admin_email, details={"role": User.Role.ADMIN, "by": "platform onboarding"})
    return CooperativeCreated(cooperative=cooperative, domain=domain_name, admin_login=admin.login,
                              admin_one_time_password=admin.one_time_password)


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


# --- support access ---------------------------------------------------------------------------------------

NOTE_MAX_LENGTH = 300


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


def _cooperative_admin_login(*, cooperative: Cooperative, user: User) -> str:
    return f"{cooperative.slug}:{user.get_username()}"


def support_grant_create(*, acting_user: User, duration: str, note: str = "") -> SupportGrant:
    """Grant, on the admin's own cooperative (the one the connection is on), support access until
    now + duration. Only one grant is live at a time."""
    if acting_user.role != User.Role.ADMIN:
        raise ValidationError(_("Only the cooperative's admin can grant support access."), code="not_admin")
    if duration not in SupportGrant.DURATIONS:
        raise ValidationError(_("Choose for how long."), code="invalid_duration")
    note = " ".join(note.split())
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(_("Keep the note under %(limit)s characters."), code="note_too_long",
                              params={"limit": NOTE_MAX_LENGTH})
    cooperative = cooperative_current()
    with transaction.atomic():
        # One grant at a time: concurrent grants of one cooperative wait for each other here.
        Cooperative.objects.select_for_update().filter(pk=cooperative.pk).first()
        now = timezone.now()
        live = support_grant_live_of(cooperative_id=cooperative.pk, now=now)
        if live is not None:
            raise ValidationError(
                _("Support access is already granted until %(until)s. Withdraw it first to grant it for a "
                  "different time."), code="already_granted", params={"until": _local(live.expires_at)})
        grant = SupportGrant.objects.create(
            cooperative_id=cooperative.pk, granted_by_login=acting_user.get_username(), granted_at=now,
            duration=duration, expires_at=now + SupportGrant.DURATIONS[duration], note=note)
        details = {"grant": grant.pk, "duration": duration, "until": grant.expires_at.isoformat(), "note": note}
        audit_record(acting_user=acting_user, action=AuditAction.SUPPORT_GRANTED,
                     target=cooperative.slug, details=details)
        audit_record_on_platform(actor_login=_cooperative_admin_login(cooperative=cooperative, user=acting_user),
                                 action=AuditAction.SUPPORT_GRANTED, target=cooperative.slug, details=details)
    return grant


def support_grant_revoke(*, acting_user: User, grant_id: int) -> SupportGrant:
    """Withdraw a live grant of the admin's own cooperative at once."""
    if acting_user.role != User.Role.ADMIN:
        raise ValidationError(_("Only the cooperative's admin can withdraw support access."), code="not_admin")
    cooperative = cooperative_current()
    with transaction.atomic():
        grant = access_get(SupportGrant.objects.select_for_update().filter(cooperative_id=cooperative.pk), pk=grant_id)
        if not grant.is_live():
            raise ValidationError(_("This support access has already ended."), code="already_ended")
        grant.revoked_at = timezone.now()
        grant.revoked_by_login = acting_user.get_username()
        grant.save(update_fields=["revoked_at", "revoked_by_login"])
        details = {"grant": grant.pk}
        audit_record(acting_user=acting_user, action=AuditAction.SUPPORT_REVOKED,
                     target=cooperative.slug, details=details)
        audit_record_on_platform(actor_login=_cooperative_admin_login(cooperative=cooperative, user=acting_user),
                                 action=AuditAction.SUPPORT_REVOKED, target=cooperative.slug, details=details)
    return grant


def support_view_record(*, operator: User, cooperative: Cooperative, grant: SupportGrant, page: str,
                        details: dict | None = None) -> None:
    """Every page an operator opens under a grant: in the cooperative's log (for its admin) and the platform's."""
    details = {"grant": grant.pk, "page": page, **(details or {})}
    with transaction.atomic():
        audit_record_in_cooperative(cooperative=cooperative, actor_login=operator_actor_login(operator),
                                    action=AuditAction.SUPPORT_VIEWED, target=page, details=details)
        audit_record(acting_user=operator, action=AuditAction.SUPPORT_VIEWED, target=cooperative.slug, details=details)


def operator_second_factor_reset(*, acting_user: User, operator_id: int) -> bool:
    """Another operator's lost phone: their authenticator app, passkeys and recovery codes stop working, and they set
    one up again at their next sign-in. Audited in the platform's log; the operator is told by e-mail.
    An operator cannot do this to themselves (a stolen session must not turn the second factor off)."""
    operator = access_get(User.objects.filter(role=User.Role.OPERATOR).exclude(pk=acting_user.pk), id=operator_id)
    with transaction.atomic():
        removed = second_factor_remove(user=operator, acting_user=acting_user)
        if removed and operator.email:
            transaction.on_commit(lambda: send_mail(
                subject=_("Your second factor was turned off"), from_email=None, recipient_list=[operator.email],
                message=render_to_string("operators/emails/second_factor_reset.txt", {"user": operator,
                                                                                      "by": acting_user})))
    return removed
