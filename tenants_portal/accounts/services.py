"""Account writes. Each runs in one transaction, takes the acting user and leaves an audit row."""

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

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
        audit_record(acting_user=user, action="password.changed", target=user.get_username(),
                     details={"first_sign_in": first_change}, ip_address=client_ip(request))
    if request is not None:
        # Keeps this session valid; every other session's auth hash no longer matches.
        update_session_auth_hash(request, user)


def contact_update(*, user: User, email: str, phone: str, request: HttpRequest | None = None) -> bool:
    """Update the resident's own contact data; returns True when the e-mail changed and needs verifying."""
    email = email.strip()
    with transaction.atomic():
        email_changed = email.lower() != (user.email or "").lower()
        changed = [field for field, new in (("email", email), ("phone", phone.strip()))
                   if getattr(user, field) != new]
        user.email, user.phone = email, phone.strip()
        if email_changed:
            user.email_verified_at = None
        user.save(update_fields=["email", "phone", "email_verified_at"])
        if changed:
            audit_record(acting_user=user, action="contact.updated", target=user.get_username(),
                         details={"fields": changed}, ip_address=client_ip(request))
    return email_changed and bool(email)


def email_mark_verified(*, user: User, email: str) -> bool:
    """Marks the address verified if it is still the account's address (the link may be stale)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not email or user.email.lower() != email.lower():
            return False
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
            audit_record(acting_user=user, action="contact.email_verified", target=user.get_username())
    return True
