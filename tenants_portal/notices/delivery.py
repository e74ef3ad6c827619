"""Delivery of outbox rows: claimed before sending, marked after, so a message goes at most once.

A delivery task claims its rows in one UPDATE (only rows still waiting and due), sends them over one
SMTP connection, and marks each row sent right after the server accepted it. A replayed or redelivered
task finds its rows claimed or sent and sends nothing. A temporary failure (4xx, lost connection) puts
the row back with exponential backoff until NOTICES_MAX_ATTEMPTS, then it is failed and shown to staff;
a permanent refusal (5xx) fails it at once.

The sweep (every few minutes) is what makes a killed worker or a restarted Redis lose nothing: rows
claimed by a worker that died (older than NOTICES_CLAIM_TIMEOUT_SECONDS, which is longer than a task may
live) wait again, and waiting rows whose task never ran are enqueued again. Those stale claims are the
one place we choose a resend over a loss: such a row was claimed but never marked sent, which means the
worker died before the server's acceptance reached the database — almost always before sending, since
the mark follows the acceptance at once. The Message-ID stays the same on a resend.
"""

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from cooperatives.selectors import cooperative_current, cooperative_url
from tenants_portal.configuration.mail import cooperative_sender

from .context import context_unpack
from .models import NoticeKind, OutboxMessage
from .services import outbox_enqueue_on_commit, outbox_mark_enqueued

logger = logging.getLogger(__name__)
TABLE = OutboxMessage._meta.db_table


@dataclass
class DeliveryOutcome:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def _claim(ids: list[int]) -> list[int]:
    """Take the rows that are still waiting and due; committed at once, so no other task can take them."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET status = %s, claimed_at = clock_timestamp(), attempts = attempts + 1 "  # noqa: S608
            "WHERE id = ANY(%s) AND status = %s "
            "AND (next_attempt_at IS NULL OR next_attempt_at <= clock_timestamp()) "
            "RETURNING id", [OutboxMessage.Status.SENDING, ids, OutboxMessage.Status.PENDING])
        return sorted(row[0] for row in cursor.fetchall())


class _Renderer:
    """Renders each notice's templates per recipient; the notice's context is loaded once per batch."""

    def __init__(self) -> None:
        self.cooperative = cooperative_current()
        self.sender = cooperative_sender()
        self.preferences_url = cooperative_url(path=reverse("notice_preferences"))
        self.contexts: dict[int, dict] = {}

    def message(self, row: OutboxMessage) -> EmailMultiAlternatives:
        notice = row.notice
        if notice.pk not in self.contexts:
            self.contexts[notice.pk] = context_unpack(notice.context)
        full = {**self.contexts[notice.pk], "user": row.recipient, "cooperative": self.cooperative}
        headers = {"Message-ID": row.message_id, "Auto-Submitted": "auto-generated",
                   "X-IOK-Notice": notice.kind}
        if notice.kind in NoticeKind.values:
            # Kinds a resident may switch off say where (RFC 2369); security notices do not.
            headers["List-Unsubscribe"] = f"<{self.preferences_url}>"
        message = EmailMultiAlternatives(
            subject=" ".join(render_to_string(f"{notice.template}_subject.txt", full).split()),
            body=render_to_string(f"{notice.template}.txt", full), from_email=self.sender,
            to=[row.to_address], headers=headers)
        message.attach_alternative(render_to_string(f"{notice.template}.html", full), "text/html")
        return message


def _permanent(error: Exception) -> bool:
    """A refusal the server will repeat (5xx) — retrying would not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def _backoff(attempts: int) -> int:
    return settings.NOTICES_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)


def outbox_deliver(*, message_ids: list[int]) -> DeliveryOutcome:
    """Send the given outbox rows that are still waiting (the work of one delivery task)."""
    outcome = DeliveryOutcome()
    claimed = _claim(message_ids)
    if not claimed:
        return outcome
    rows = list(OutboxMessage.objects.filter(pk__in=claimed).select_related("notice", "recipient").order_by("pk"))
    with translation.override(settings.LANGUAGE_CODE):
        renderer = _Renderer()
        smtp = get_connection(fail_silently=False)
        try:
            for index, row in enumerate(rows):
                try:
                    if index == 0:
                        smtp.open()  # one session for the batch (Django would otherwise open one per message)
                    message = renderer.message(row)
                    message.connection = smtp
                    message.send()
                except Exception as error:
                    _failed_attempt(row=row, error=error, outcome=outcome)
                    if _connection_lost(error):
                        # The rest of the batch was not tried: it waits again without using an attempt.
                        _release(rows=rows[index + 1:], outcome=outcome)
                        break
                    continue  # smtplib has reset the session after a refusal: the next message goes on it
                OutboxMessage.objects.filter(pk=row.pk).update(
                    status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error="")
                outcome.sent.append(row.pk)
        finally:
            smtp.close()
    return outcome


def _connection_lost(error: Exception) -> bool:
    # smtplib's exceptions are OSErrors too; only these mean the session itself is gone.
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def _failed_attempt(*, row: OutboxMessage, error: Exception, outcome: DeliveryOutcome) -> None:
    text = f"{type(error).__name__}: {error}"[:500]
    if _permanent(error) or row.attempts >= settings.NOTICES_MAX_ATTEMPTS:
        OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxMessage.Status.FAILED, last_error=text)
        outcome.failed.append(row.pk)
        logger.warning("notice e-mail %s failed for good after %s attempt(s): %s", row.pk, row.attempts, text)
        return
    delay = _backoff(row.attempts)
    _wait_again(ids=[row.pk], delay=delay, last_error=text)
    outcome.retrying.append(row.pk)


def _release(*, rows: list[OutboxMessage], outcome: DeliveryOutcome) -> None:
    ids = [row.pk for row in rows]
    if not ids:
        return
    _wait_again(ids=ids, delay=settings.NOTICES_RETRY_BASE_SECONDS, last_error="", untried=True)
    outcome.retrying.extend(ids)


def _wait_again(*, ids: list[int], delay: int, last_error: str, untried: bool = False) -> None:
    """Back to waiting for `delay` seconds; `untried` rows get back the attempt their claim counted."""
    due = timezone.now() + timedelta(seconds=delay)
    with transaction.atomic():
        # enqueued_at = due: the sweep leaves the row to its countdown task for NOTICES_REQUEUE_AFTER_SECONDS.
        update = {"status": OutboxMessage.Status.PENDING, "next_attempt_at": due, "enqueued_at": due,
                  "claimed_at": None}
        if last_error:
            update["last_error"] = last_error
        if untried:
            update["attempts"] = F("attempts") - 1
        OutboxMessage.objects.filter(pk__in=ids).update(**update)
        outbox_enqueue_on_commit(ids=ids, countdown=delay)


@dataclass(frozen=True)
class SweepOutcome:
    reclaimed: int
    enqueued: int


def outbox_sweep() -> SweepOutcome:
    """Stale claims wait again; waiting, due rows whose task never ran are enqueued again."""
    now = timezone.now()
    with transaction.atomic():
        reclaimed = OutboxMessage.objects.filter(
            status=OutboxMessage.Status.SENDING,
            claimed_at__lt=now - timedelta(seconds=settings.NOTICES_CLAIM_TIMEOUT_SECONDS),
        ).update(status=OutboxMessage.Status.PENDING, claimed_at=None, enqueued_at=None, next_attempt_at=None)
        if reclaimed:
            logger.warning("%s notice e-mail(s) claimed by a worker that died wait again", reclaimed)
        lost = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).exclude(
            next_attempt_at__gt=now).exclude(
            enqueued_at__gte=now - timedelta(seconds=settings.NOTICES_REQUEUE_AFTER_SECONDS))
        ids = outbox_mark_enqueued(lost)
        outbox_enqueue_on_commit(ids=ids)
    return SweepOutcome(reclaimed=reclaimed, enqueued=len(ids))
