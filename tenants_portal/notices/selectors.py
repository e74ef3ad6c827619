from django.db.models import Count

from iok.formats import local, yes_no
from tenants_portal.accounts.models import User

from .models import Notice, NoticeKind, NoticePreference, OutboxMessage


def notice_preferences_get(*, user: User) -> dict[str, bool]:
    """Every kind a resident can switch off, with their choice (on unless they switched it off)."""
    chosen = dict(NoticePreference.objects.filter(user=user).values_list("kind", "enabled"))
    return {kind: chosen.get(kind, True) for kind in NoticeKind.values}


def notice_delivery(*, key: str) -> dict[str, int]:
    """How many of a notice's e-mails are sent, waiting, failed or switched off, and how many had no address."""
    counts = {status: 0 for status in OutboxMessage.Status.values}
    notice = Notice.objects.filter(key=key).first()
    if notice is not None:
        for row in notice.messages.values("status").annotate(count=Count("pk")):
            counts[row["status"]] = row["count"]
    return {"sent": counts["sent"], "waiting": counts["pending"] + counts["sending"], "failed": counts["failed"],
            "opted_out": counts["opted_out"], "without_address": notice.without_address if notice else 0}


def outbox_failed(*, limit: int = 200) -> list[OutboxMessage]:
    """E-mails that could not be sent, newest first, for the staff page."""
    return list(OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED)
                .select_related("notice", "recipient").order_by("-pk")[:limit])


def own_data_notice_choices(user: User) -> list[dict]:
    """Which e-mail notices the person gets, for their own-data page and file."""
    labels = dict(NoticeKind.choices)
    return [{"notice": str(labels[kind]), "code": kind, "send": yes_no(enabled)}
            for kind, enabled in notice_preferences_get(user=user).items()]


def own_data_emails(user: User) -> list[dict]:
    """The notice e-mails addressed to the person: when, to which address, about what and whether sent."""
    messages = OutboxMessage.objects.filter(recipient=user).select_related("notice").order_by("id")
    return [{"created_at": local(message.notice.created_at), "notice": message.notice.get_kind_display(),
             "to_address": message.to_address, "status": message.get_status_display(),
             "sent_at": local(message.sent_at)}
            for message in messages]
