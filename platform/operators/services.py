"""Support access: a cooperative's admin lets platform operators look at its residents, read-only,
for a limited time; every grant, withdrawal and page viewed is in the cooperative's audit log and the
platform's."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from cooperatives.selectors import cooperative_current
from cooperatives.services import audit_record_in_cooperative, audit_record_on_platform, operator_actor_login
from iok.access import access_get
from tenants_portal.accounts.models import User
from tenants_portal.audit.services import audit_record

from .models import SupportGrant
from .selectors import support_grant_live_of

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
        audit_record(acting_user=acting_user, action="support.granted", target=cooperative.slug, details=details)
        audit_record_on_platform(actor_login=_cooperative_admin_login(cooperative=cooperative, user=acting_user),
                                 action="support.granted", target=cooperative.slug, details=details)
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
        audit_record(acting_user=acting_user, action="support.revoked", target=cooperative.slug, details=details)
        audit_record_on_platform(actor_login=_cooperative_admin_login(cooperative=cooperative, user=acting_user),
                                 action="support.revoked", target=cooperative.slug, details=details)
    return grant


def support_view_record(*, operator: User, cooperative: Cooperative, grant: SupportGrant, page: str,
                        details: dict | None = None) -> None:
    """Every page an operator opens under a grant: in the cooperative's log (for its admin) and the platform's."""
    details = {"grant": grant.pk, "page": page, **(details or {})}
    with transaction.atomic():
        audit_record_in_cooperative(cooperative=cooperative, actor_login=operator_actor_login(operator),
                                    action="support.viewed", target=page, details=details)
        audit_record(acting_user=operator, action="support.viewed", target=cooperative.slug, details=details)
