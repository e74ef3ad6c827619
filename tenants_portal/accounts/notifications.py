"""E-mails about the account itself (security notices: they always go, whatever the preferences)."""

from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from .models import User

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


def email_verification_send(*, request: HttpRequest, user: User) -> None:
    link = request.build_absolute_uri(reverse("email_verify", args=[email_verification_token_make(user=user)]))
    cooperative = getattr(request, "cooperative", None)
    context = {"user": user, "link": link, "cooperative": cooperative, "days": VERIFICATION_MAX_AGE // 86400}
    subject = render_to_string("emails/email_verification_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string("emails/email_verification.txt", context), to=[user.email])
    message.attach_alternative(render_to_string("emails/email_verification.html", context), "text/html")
    transaction.on_commit(lambda: message.send(fail_silently=False))
