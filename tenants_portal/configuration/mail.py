"""The sender a cooperative's e-mails go out under (every e-mail of a cooperative is a notice: see
tenants_portal.notices, which puts this on each message)."""

from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings


def cooperative_sender() -> str:
    """'Name <address>': what the cooperative's admin configured, else its name at the platform's address.
    Written as people read it (quoted where the name needs it, never RFC 2047-encoded): the mail backend
    encodes the header itself when it sends, and staff see this text on the configuration pages."""
    from cooperatives.selectors import cooperative_current

    from .selectors import instance_settings_get

    settings_row = instance_settings_get()
    _, default_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return str(Address(display_name=settings_row.email_sender_name or cooperative_current().name,
                       addr_spec=settings_row.email_sender_address or default_address))
