"""Account writes. Each runs in one transaction, takes the acting user and leaves an audit row."""

import uuid

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from iok.jobs import job_enqueue_on_commit
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record

from .models import User


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request)


def password_change(*, user: User, new_password: str, request: HttpRequest | None = None) -> None:
    """The user's own change (first sign-in or later). Other sessions of the user end; this one stays."""
    validate_password(new_password, user=user)
    with transaction.atomic():
        user.set_password(new_password)
        first_change = user.must_change_password
        user.must_change_password = False
        user.save()
        audit_record(acting_user=user, action=AuditAction.PASSWORD_CHANGED, target=user.get_username(),
                     details={"first_sign_in": first_change}, ip_address=client_ip(request))
    if request is not None:
        # Keeps this session valid; every other session's auth hash no longer matches.
        update_session_auth_hash(request, user)


def contact_update(*, user: User, email: str, phone: str, request: HttpRequest | None = None) -> bool:
    """Update the resident's own contact data; returns True when the e-mail changed and needs verifying.

    The e-mail address is how a password is recovered, so the caller has checked the current password
    (email_change_needs_password), and the old address is told of the change: if it was not its owner,
    they learn it at once."""
    email = email.strip()
    with transaction.atomic():
        email_changed = email.lower() != (user.email or "").lower()
        changed = [field for field, new in (("email", email), ("phone", phone.strip()))
                   if getattr(user, field) != new]
        if email_changed and user.email:
            _email_change_notify(user=user, new_email=email)
        user.email, user.phone = email, phone.strip()
        if email_changed:
            user.email_verified_at = None
        user.save(update_fields=["email", "phone", "email_verified_at"])
        if changed:
            audit_record(acting_user=user, action=AuditAction.CONTACT_CHANGED, target=user.get_username(),
                         details={"fields": changed}, ip_address=client_ip(request))
    return email_changed and bool(email)


def password_reset_request(*, email: str) -> None:
    """The forgotten-password form's only work, the same whatever the address: one job on the queue
    after commit. The job (password_reset_send) looks the address up and mails a link if it may."""
    job_enqueue_on_commit("tasks.accounts_jobs.password_reset_mail", kwargs={"email": email})


def password_reset_send(*, email: str) -> int:
    """A reset link to each active resident whose verified address this is (a security notice: it goes
    whatever the preferences); returns how many. Nothing is sent to an unverified or unknown address."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from cooperatives.selectors import cooperative_url
    from tenants_portal.notices.models import Notice
    from tenants_portal.notices.services import notice_send

    users = [user for user in User.objects.filter(
        email__iexact=email, is_active=True, closed_at__isnull=True, email_verified_at__isnull=False,
        role=User.Role.RESIDENT) if user.has_usable_password()]
    for user in users:
        link = cooperative_url(path=reverse("password_reset_confirm", kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}))
        notice_send(kind=Notice.Kind.PASSWORD_RESET, key=f"password_reset:{uuid.uuid4()}", users=[user],
                    template="emails/password_reset", respect_preferences=False, context={"link": link})
    return len(users)


def email_change_needs_password(*, user: User, email: str) -> bool:
    return email.strip().lower() != (user.email or "").lower()


def email_change_check(*, user: User, email: str, current_password: str) -> None:
    """Refuses (ValidationError with a code) a change of the e-mail address without the right current password."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if not email_change_needs_password(user=user, email=email):
        return
    if not current_password:
        raise ValidationError(_("To change the e-mail address, enter your current password."), code="required")
    if not user.check_password(current_password):
        raise ValidationError(_("The current password is incorrect."), code="wrong_password")


def _email_change_notify(*, user: User, new_email: str) -> None:
    """A security notice to the address being replaced (the user object still carries it)."""
    from tenants_portal.notices.models import Notice
    from tenants_portal.notices.services import notice_send

    notice_send(kind=Notice.Kind.EMAIL_CHANGED, key=f"email_changed:{uuid.uuid4()}", users=[user],
                template="emails/email_changed", respect_preferences=False,
                context={"new_email": _email_masked(new_email), "changed_at": timezone.now()})


def _email_masked(email: str) -> str:
    """j***@example.com: enough for the owner to recognise, not a new address handed to whoever reads the old."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else ""


def email_mark_verified(*, user: User, email: str) -> bool:
    """Marks the address verified if it is still the account's address (the link may be stale)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not email or user.email.lower() != email.lower():
            return False
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
            audit_record(acting_user=user, action=AuditAction.EMAIL_VERIFIED, target=user.get_username())
    return True
