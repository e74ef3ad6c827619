"""The user's own password change, and the client address that sign-in audit rows carry. The rest of the
account lifecycle (creation, issuing, closing, contact data, resets) is tenants_portal.access.services."""

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.http import HttpRequest

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
