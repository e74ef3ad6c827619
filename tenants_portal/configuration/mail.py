"""Every e-mail a cooperative sends goes out under the sender its admin configured.

A wrapping e-mail backend, so that every path that sends mail (notices, account e-mails, import
reports) gets the sender without knowing about it: a message still carrying the platform's
DEFAULT_FROM_EMAIL gets the cooperative's sender, in the schema the message is sent from.
"""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django_tenants.utils import get_public_schema_name


def cooperative_sender() -> str:
    """'Name <address>' for the current cooperative, or '' for the platform's own sender."""
    if connection.schema_name == get_public_schema_name():
        return ""
    from .selectors import instance_settings_get

    settings_row = instance_settings_get()
    if not (settings_row.email_sender_name or settings_row.email_sender_address):
        return ""
    default_name, default_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((settings_row.email_sender_name or default_name,
                       settings_row.email_sender_address or default_address))


class CooperativeSenderBackend(BaseEmailBackend):
    """Wraps the backend named by IOK_EMAIL_BACKEND (SMTP, console, …)."""

    def __init__(self, fail_silently: bool = False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.inner = get_connection(settings.IOK_EMAIL_BACKEND, fail_silently=fail_silently, **kwargs)

    def open(self):
        return self.inner.open()

    def close(self):
        return self.inner.close()

    def send_messages(self, email_messages):
        sender = cooperative_sender()
        if sender:
            for message in email_messages:
                if message.from_email == settings.DEFAULT_FROM_EMAIL:
                    message.from_email = sender
        return self.inner.send_messages(email_messages)
