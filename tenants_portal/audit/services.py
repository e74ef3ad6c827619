from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from .models import AuditEvent


def audit_record(*, acting_user: AbstractBaseUser | None, action: str, target: str = "",
                 details: dict[str, Any] | None = None, ip_address: str | None = None,
                 actor_login: str = "") -> AuditEvent:
    """Write one audit row in the schema the connection is on (the cooperative the action is in).
    `actor_login` names an actor who is no user of this schema (acting_user None): a platform operator in a
    cooperative's log, a cooperative's admin in the platform's."""
    is_user = acting_user is not None and acting_user.pk is not None
    return AuditEvent.objects.create(
        actor=acting_user if is_user else None,
        actor_login=acting_user.get_username() if is_user else actor_login[:150],
        action=action,
        target=target[:200],
        details=details or {},
        ip_address=ip_address,
    )


def audit_record_each(*, acting_user: AbstractBaseUser, action: str,
                      entries: list[tuple[str, dict[str, Any]]]) -> list[AuditEvent]:
    """One audit row per (target, details) of one action done to many things at once, in one INSERT."""
    is_user = acting_user.pk is not None
    return AuditEvent.objects.bulk_create([
        AuditEvent(actor=acting_user if is_user else None, actor_login=acting_user.get_username() if is_user else "",
                   action=action, target=target[:200], details=details)
        for target, details in entries])
