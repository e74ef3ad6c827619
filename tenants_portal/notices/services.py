"""notice_send: the one way modules send notices (e-mails) to people of the current cooperative."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tenants.utils import schema_context

from tenants_portal.accounts.models import User

from .models import NoticePreference


def recipients_opted_in(*, users: list[User], kind: str) -> list[User]:
    """Those with an address who have not switched this kind of notice off."""
    opted_out = set(NoticePreference.objects.filter(user__in=users, kind=kind, enabled=False)
                    .values_list("user_id", flat=True))
    return [user for user in users if user.email and user.pk not in opted_out]


def notice_send(*, kind: str, users: list[User], template: str, context: dict, respect_preferences: bool = True) -> int:
    """Render `<template>_subject.txt`, `.txt` and `.html` per recipient and send after commit.

    Returns how many recipients the notice is for. Templates get `user` and `cooperative` besides
    `context`, and are rendered in the cooperative's language.
    """
    from cooperatives.selectors import cooperative_current

    recipients = recipients_opted_in(users=users, kind=kind) if respect_preferences else [u for u in users if u.email]
    if not recipients:
        return 0
    schema_name = connection.schema_name
    cooperative = cooperative_current()
    ids = [user.pk for user in recipients]

    def send() -> None:
        with schema_context(schema_name), translation.override(settings.LANGUAGE_CODE):
            messages = []
            for user in User.objects.filter(pk__in=ids):
                full = {**context, "user": user, "cooperative": cooperative}
                message = EmailMultiAlternatives(
                    subject=render_to_string(f"{template}_subject.txt", full).strip(),
                    body=render_to_string(f"{template}.txt", full), to=[user.email])
                message.attach_alternative(render_to_string(f"{template}.html", full), "text/html")
                messages.append(message)
            if messages:
                messages[0].get_connection().send_messages(messages)

    transaction.on_commit(send)
    return len(recipients)


def notice_preferences_set(*, user: User, choices: dict[str, bool]) -> list[str]:
    """Save a resident's choices; returns the kinds that changed (audited)."""
    from tenants_portal.audit.services import audit_record

    from .selectors import notice_preferences_get

    with transaction.atomic():
        current = notice_preferences_get(user=user)
        changed = [kind for kind, enabled in choices.items() if kind in current and current[kind] != enabled]
        for kind in changed:
            NoticePreference.objects.update_or_create(user=user, kind=kind, defaults={"enabled": choices[kind]})
        if changed:
            audit_record(acting_user=user, action="notices.preferences_changed", target=user.get_username(),
                         details={kind: choices[kind] for kind in changed})
    return changed
