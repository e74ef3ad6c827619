"""The one way to write audit rows: every row's action is an AuditAction, so each has its label."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from .actions import AuditAction
from .models import AuditEvent


def _action_check(action: AuditAction) -> None:
    # A plain string would be a code without a label, unseen by the enum's test.
    if not isinstance(action, AuditAction):
        raise TypeError(f"An audit action is an AuditAction, not {action!r}.")


def _event(*, acting_user: AbstractBaseUser | None, actor_login: str, action: AuditAction, target: str,
           details: dict[str, Any] | None, ip_address: str | None) -> AuditEvent:
    # An anonymous visitor (no pk) is no actor; neither is a user not saved yet.
    actor = acting_user if acting_user is not None and acting_user.pk is not None else None
    return AuditEvent(
        actor_id=actor.pk if actor is not None else None,
        actor_login=actor.get_username() if actor is not None else actor_login[:150],
        action=action,
        target=target[:200],
        details=details or {},
        ip_address=ip_address,
    )


def audit_record(*, acting_user: AbstractBaseUser | None, action: AuditAction, target: str = "",
                 details: dict[str, Any] | None = None, ip_address: str | None = None,
                 actor_login: str = "") -> AuditEvent:
    """Write one audit row in the schema the connection is on (the cooperative the action is in). A row about
    a cooperative written by the platform is written inside `schema_context` of that cooperative, with
    `actor_login` naming the actor who is no user there (an operator)."""
    _action_check(action)
    event = _event(acting_user=acting_user, actor_login=actor_login, action=action, target=target, details=details,
                   ip_address=ip_address)
    event.save()
    return event


def audit_record_each(*, acting_user: AbstractBaseUser, action: AuditAction,
                      entries: list[tuple[str, dict[str, Any]]]) -> list[AuditEvent]:
    """One audit row per (target, details) of one action done to many things at once, in one INSERT."""
    _action_check(action)
    return AuditEvent.objects.bulk_create([
        _event(acting_user=acting_user, actor_login="", action=action, target=target, details=details,
               ip_address=None)
        for target, details in entries])
