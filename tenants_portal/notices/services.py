"""notice_send: the one way to send a notice (e-mail) to people of the current cooperative.

Each notice is a row with a unique key and one outbox row per recipient (unique per notice and
recipient); Celery delivers the rows in batches after the transaction commits (delivery.py).
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from iok.jobs import job_enqueue_on_commit
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record

from .context import context_pack
from .models import Notice, NoticePreference, OutboxMessage
from .selectors import notice_preferences_get


def notice_send(*, kind: str, key: str, users: Iterable[User], template: str, context: dict,
                respect_preferences: bool = True) -> int:
    """Record the notice and its outbox rows; enqueue their delivery after commit.

    `key` names the event (e.g. "announcement:12"): sending the same key again adds only recipients who
    have no row yet, so a repeated call never mails anyone twice. Templates `<template>_subject.txt`,
    `.txt` and `.html` get `user` and `cooperative` besides `context`. Returns how many will be mailed.
    """
    users = list(users)
    with transaction.atomic():
        # Texts in the context (labels) are kept in the cooperative's language, whoever triggered the notice.
        with translation.override(settings.LANGUAGE_CODE):
            packed = context_pack(context)
        notice, _ = Notice.objects.get_or_create(key=key, defaults={
            "kind": kind, "template": template, "context": packed})
        with_address = [user for user in users if _addressable(user, verified_only=respect_preferences)]
        opted_out: set[int] = set()
        if respect_preferences:
            opted_out = set(NoticePreference.objects.filter(
                user__in=with_address, kind=kind, enabled=False).values_list("user_id", flat=True))
        waiting, switched_off = OutboxMessage.Status.PENDING, OutboxMessage.Status.OPTED_OUT
        OutboxMessage.objects.bulk_create([
            OutboxMessage(notice=notice, recipient=user, to_address=user.email,
                          status=switched_off if user.pk in opted_out else waiting)
            for user in with_address], batch_size=2000, ignore_conflicts=True)
        without = len(users) - len(with_address)
        if without != notice.without_address:
            Notice.objects.filter(pk=notice.pk).update(without_address=without)
        ids = outbox_mark_enqueued(OutboxMessage.objects.filter(
            notice=notice, status=OutboxMessage.Status.PENDING, enqueued_at__isnull=True))
        outbox_enqueue_on_commit(ids=ids)
    return len(with_address) - len(opted_out)


def _addressable(user: User, *, verified_only: bool) -> bool:
    """Residents get the notices they may switch off only at an address they confirmed (the contact page says so);
    security notices and staff notices go to the address on the account."""
    if not user.email:
        return False
    return not (verified_only and user.role == User.Role.RESIDENT and user.email_verified_at is None)


def outbox_mark_enqueued(messages) -> list[int]:
    """Stamp the rows as put on the queue now; the ids, in order."""
    ids = sorted(messages.values_list("pk", flat=True))
    OutboxMessage.objects.filter(pk__in=ids).update(enqueued_at=timezone.now())
    return ids


def outbox_enqueue_on_commit(*, ids: list[int], countdown: int = 0) -> None:
    """After commit, one delivery task per batch of rows (never one per person, never one for all)."""
    if not ids:
        return
    size = settings.NOTICES_BATCH_SIZE
    for start in range(0, len(ids), size):
        job_enqueue_on_commit("tasks.notices_jobs.notices_deliver", args=[ids[start:start + size]],
                              countdown=countdown or None)


def outbox_retry(*, acting_user: User, message_ids: list[int]) -> int:
    """Staff send failed messages again (new attempts from the first one); audited. Returns how many."""
    with transaction.atomic():
        messages = OutboxMessage.objects.select_for_update().filter(
            pk__in=message_ids, status=OutboxMessage.Status.FAILED)
        ids = sorted(messages.values_list("pk", flat=True))
        # Waiting again and put on the queue now (what outbox_mark_enqueued stamps), in one statement.
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=None, last_error="", claimed_at=None,
            enqueued_at=timezone.now())
        if ids:
            audit_record(acting_user=acting_user, action=AuditAction.NOTICE_RETRIED, target=f"{len(ids)} e-mail(s)",
                         details={"messages": ids})
        outbox_enqueue_on_commit(ids=ids)
    return len(ids)


def notice_preferences_set(*, user: User, choices: dict[str, bool]) -> list[str]:
    """Save a resident's choices; returns the kinds that changed (audited)."""
    with transaction.atomic():
        current = notice_preferences_get(user=user)
        changed = [kind for kind, enabled in choices.items() if kind in current and current[kind] != enabled]
        for kind in changed:
            NoticePreference.objects.update_or_create(user=user, kind=kind, defaults={"enabled": choices[kind]})
        if changed:
            audit_record(acting_user=user, action=AuditAction.NOTICE_PREFERENCES_CHANGED, target=user.get_username(),
                         details={kind: choices[kind] for kind in changed})
    return changed
