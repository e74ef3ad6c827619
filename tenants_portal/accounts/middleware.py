import time
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from iok.errors import api_error_response, is_api_request

from .second_factor import second_factor_required, second_factor_verified
from .sessions import AUTHENTICATED_AT, SEEN_AT, SEEN_AT_RESOLUTION_SECONDS, session_limits_current


class SessionTimeoutMiddleware:
    """Ends a session after the cooperative's idle time, and at the latest after its absolute time."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            limits = session_limits_current()
            authenticated_at = session.get(AUTHENTICATED_AT, now)
            seen_at = session.get(SEEN_AT, now)
            if now - authenticated_at > limits.absolute_seconds:
                logout(request)
                messages.info(request, _("For your security, a session lasts at most %(hours)d hours. Please "
                                         "sign in again.") % {"hours": limits.absolute_seconds // 3600})
                return redirect_to_login(request)
            if now - seen_at > limits.idle_seconds:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity. Please sign in again."))
                return redirect_to_login(request)
            if now - seen_at >= SEEN_AT_RESOLUTION_SECONDS or SEEN_AT not in session:
                session[SEEN_AT] = now
                session.setdefault(AUTHENTICATED_AT, now)
        return self.get_response(request)


class SecondFactorMiddleware:
    """A session of someone who must pass a second factor but has not (the cooperative turned its policy on
    while they were signed in) ends: the sign-in page then asks for the code, or for setting one up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not second_factor_verified(request) and second_factor_required(user=user):
            logout(request)
            messages.info(request, _("Signing in now needs a second factor. Please sign in again."))
            return redirect_to_login(request)
        return self.get_response(request)


def redirect_to_login(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return api_error_response(status=401, code="authentication_failed",
                                  detail=_("Your session has ended. Sign in again."))
    return redirect(f"{reverse('login')}?next={request.path}")
