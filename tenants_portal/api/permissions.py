from django.http import Http404
from rest_framework.permissions import BasePermission

from tenants_portal.accounts.roles import Section, may_use
from tenants_portal.regulation.middleware import first_login_step_pending

from .authentication import BrowserSessionAuthentication
from .exceptions import FirstSignInPending
from .models import ApiKey


class FirstSignInFinished(BasePermission):
    """Until the regulation is accepted and the one-time password replaced on the website, every
    endpoint answers 403 with a sentence saying so — for a session and a token alike."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return True  # IsAuthenticated (or the view's own rule) decides
        session = request._request.session if isinstance(request.successful_authenticator,
                                                         BrowserSessionAuthentication) else None
        if first_login_step_pending(user=user, session=session) is not None:
            raise FirstSignInPending
        return True


class ResidentOnly(BasePermission):
    """Residents' endpoints: anyone else gets the same 404 as the pages give them (resident_ensure)."""

    def has_permission(self, request, view) -> bool:
        if request.user and request.user.is_authenticated and not request.user.is_resident:
            raise Http404
        return True


class ImportAccess(BasePermission):
    """A system's key with the scope the method needs, or the office (admin, clerk) signed in."""

    def has_permission(self, request, view) -> bool:
        if isinstance(request.auth, ApiKey):
            needed = ApiKey.Scope.IMPORTS_READ if request.method in ("GET", "HEAD", "OPTIONS") \
                else ApiKey.Scope.IMPORTS_WRITE
            return needed in request.auth.scopes
        return may_use(request.user, Section.IMPORTS)  # the same people as the import pages
