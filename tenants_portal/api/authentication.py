"""How callers of the API sign in: an app token (Authorization: Bearer), a system's key (X-API-Key),
or the browser's own session (with its CSRF check)."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header

from tenants_portal.accounts.second_factor import second_factor_required

from .selectors import api_key_find, api_token_find
from .services import api_key_touch, api_token_touch

TOKEN_REFUSED = _("The token is not valid: it has expired or was revoked. Sign in again.")
SECOND_FACTOR_REFUSED = _("Your cooperative requires staff to sign in with a second factor: this token, obtained "
                          "with a password alone, no longer works.")
KEY_REFUSED = _("The API key is not valid or was revoked.")


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(TOKEN_REFUSED)
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(TOKEN_REFUSED) from None
        token = api_token_find(secret=secret)
        if token is None:
            raise exceptions.AuthenticationFailed(TOKEN_REFUSED)
        # Staff whose cooperative has since required a second factor: their password-only token stops.
        if second_factor_required(user=token.user):
            raise exceptions.AuthenticationFailed(SECOND_FACTOR_REFUSED, code="second_factor_required")
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ApiKeyAuthentication(BaseAuthentication):
    """A system, not a person: request.user stays anonymous and request.auth is the ApiKey."""

    header = "HTTP_X_API_KEY"

    def authenticate(self, request):
        secret = request.META.get(self.header)
        if secret is None:
            return None
        key = api_key_find(secret=secret.strip())
        if key is None:
            raise exceptions.AuthenticationFailed(KEY_REFUSED)
        api_key_touch(key=key)
        return AnonymousUser(), key

    def authenticate_header(self, request) -> str:
        return 'ApiKey realm="api"'


class BrowserSessionAuthentication(SessionAuthentication):
    """The browser's session, with Django's CSRF check on unsafe methods."""


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "appToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "A token from POST /api/v1/auth/token/ (an app signed in as a resident)."}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "systemKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-API-Key",
                "description": "A key the cooperative's admin created for its accounting system."}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = BrowserSessionAuthentication
    name = "browserSession"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": "The session of a browser signed in on the cooperative's site (CSRF token "
                               "required for writes)."}
