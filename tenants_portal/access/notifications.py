"""E-mails about the account itself (security notices: they always go, whatever the preferences)."""

import uuid

from django.core import signing
from django.urls import reverse

from cooperatives.selectors import cooperative_url
from iok.db import connection
from tenants_portal.accounts.models import User
from tenants_portal.notices.models import Notice
from tenants_portal.notices.services import notice_send

_SALT = "iok.email-verification"
VERIFICATION_MAX_AGE = 3 * 24 * 3600


def email_verification_token_make(*, user: User) -> str:
    # The schema is part of the token: a link issued by one cooperative means nothing on another.
    return signing.dumps({"u": user.pk, "e": user.email, "s": connection.schema_name}, salt=_SALT, compress=True)


def email_verification_token_read(*, token: str) -> tuple[User, str]:
    data = signing.loads(token, salt=_SALT, max_age=VERIFICATION_MAX_AGE)
    if data.get("s") != connection.schema_name:
        raise signing.BadSignature("token of another cooperative")
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise signing.BadSignature("no such account")
    return user, data.get("e", "")


def email_verification_send(*, user: User) -> None:
    """A security notice: it goes whatever the preferences, once per request for a link."""
    token = email_verification_token_make(user=user)
    link = cooperative_url(path=reverse("email_verify", args=[token]))
    notice_send(kind=Notice.Kind.EMAIL_VERIFICATION, key=f"email_verification:{uuid.uuid4()}", users=[user],
                template="emails/email_verification", respect_preferences=False,
                context={"link": link, "days": VERIFICATION_MAX_AGE // 86400})


def account_closed_notify(*, account: User) -> None:
    """Tell the person their account was closed (a security notice), if they left an address."""
    closed_at = account.closed_at
    assert closed_at is not None  # account_close has just set it
    notice_send(kind=Notice.Kind.ACCOUNT_CLOSED, key=f"account_closed:{account.pk}:{closed_at.isoformat()}",
                users=[account], template="emails/account_closed", respect_preferences=False,
                context={"closure": User.Closure(account.closure).label if account.closure else "",
                         "closed_at": closed_at})



def passkeys_removed_notify(*, account: User, count: int) -> None:
    """Tell the resident the office removed their passkeys (a security notice: if they did not ask, they should
    know at once)."""
    notice_send(kind=Notice.Kind.PASSKEYS_REMOVED, key=f"passkeys_removed:{uuid.uuid4()}", users=[account],
                template="emails/passkeys_removed", respect_preferences=False, context={"count": count})


def second_factor_reset_notify(*, account: User) -> None:
    """Tell the person their second factor was turned off or reset by the office (a security notice)."""
    notice_send(kind=Notice.Kind.SECOND_FACTOR_RESET, key=f"second_factor_reset:{uuid.uuid4()}", users=[account],
                template="emails/second_factor_reset", respect_preferences=False, context={})
