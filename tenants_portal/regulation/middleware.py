"""The first sign-in gate: until a resident has accepted the current regulation and replaced the one-time
password, no page but those steps works (it reads the regulation, so it lives here, above the accounts)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_tenants.utils import get_public_schema_name

from cooperatives.middleware import RoutedRequest
from iok.db import connection
from iok.errors import is_api_request

from .selectors import regulation_acceptance_pending


class FirstLoginMiddleware:
    """Until a resident has accepted the current regulation and replaced the one-time password,
    no page but those two steps (and signing out) works."""

    # The recovery codes are shown once, right after the second factor is set up at the first sign-in.
    EXEMPT_NAMES = ("logout", "regulation_accept", "password_change", "regulation_public", "set_language",
                    "contact", "application_form_pdf", "brand_css", "brand_logo", "second_factor_recovery_codes")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self._exempt_paths: set[str] | None = None

    def __call__(self, request: RoutedRequest) -> HttpResponse:
        user = request.user
        # The API answers for itself, whichever way the caller signed in (tenants_portal.api.permissions).
        if user.is_authenticated and connection.schema_name != get_public_schema_name() \
                and not is_api_request(request):
            step = pending_first_login_step(request)
            if step is not None and request.path not in self._exempt(request):
                return redirect(step)
        return self.get_response(request)

    def _exempt(self, request: RoutedRequest) -> set[str]:
        if self._exempt_paths is None:
            self._exempt_paths = {reverse(name, urlconf=request.urlconf) for name in self.EXEMPT_NAMES}
        return self._exempt_paths


def pending_first_login_step(request: HttpRequest) -> str | None:
    """The URL of the first unfinished first-login step, or None when the account is ready."""
    step = first_login_step_pending(user=request.user, session=request.session)
    return reverse(step) if step is not None else None


def first_login_step_pending(*, user, session=None) -> str | None:
    """The URL name of the first unfinished first-login step, or None when the account is ready.
    `session` (optional) remembers an accepted regulation so that later requests cost no query."""
    if user.is_resident and regulation_acceptance_pending(user=user, session=session):
        return "regulation_accept"
    if user.must_change_password:
        return "password_change"
    return None
