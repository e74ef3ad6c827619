"""Authentication events go to the audit log of the schema they happen in."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record

from .services import client_ip
from .sessions import AUTHENTICATED_AT, SEEN_AT


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs) -> None:
    now = int(time.time())
    if request is not None and hasattr(request, "session"):
        request.session[AUTHENTICATED_AT] = now
        request.session[SEEN_AT] = now
    audit_record(acting_user=user, action=AuditAction.LOGIN_SUCCEEDED, target=user.get_username(),
                 ip_address=client_ip(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Credentials arrive with the password already masked by Django; only the login is kept.
    login = str(credentials.get("username", ""))[:150]
    audit_record(acting_user=None, action=AuditAction.LOGIN_FAILED, target=login, ip_address=client_ip(request))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(acting_user=user, action=AuditAction.SESSION_ENDED, target=user.get_username(),
                     ip_address=client_ip(request))
