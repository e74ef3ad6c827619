"""The sign-in page (with a password or a passkey) and the password change (the last first sign-in step, and
any later change)."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from iok.forms import posted
from iok.ratelimits import rate_limited

from . import services
from .forms import LoginForm, PasswordChangeForm
from .http import AuthenticatedRequest
from .passkeys import passkey_authentication_options, passkey_of_assertion, relying_party_of
from .second_factor import second_factor_enrolled, second_factor_required, sign_in_pending_start


class SecondFactorLoginMixin:
    """After the right password: whoever has, or must have, a second factor is not signed in yet but
    sent to the second step (second_factor_views), which signs in."""

    request: HttpRequest

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if second_factor_enrolled(user=user) or second_factor_required(user=user):
            sign_in_pending_start(self.request, user=user, next_url=self.get_redirect_url())  # type: ignore[attr-defined]
            return redirect("second_factor_sign_in")
        return super().form_valid(form)  # type: ignore[misc]


class LoginView(SecondFactorLoginMixin, auth_views.LoginView):
    template_name = "portal/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm


def json_body(request: HttpRequest) -> dict[str, Any]:
    """A JSON object posted by the passkey script; {} for anything else."""
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


@require_POST
def passkey_sign_in_options_view(request: HttpRequest) -> HttpResponse:
    """A fresh challenge for signing in with a passkey (the login field's autofill asks for one on loading)."""
    options = passkey_authentication_options(relying_party=relying_party_of(request))
    return HttpResponse(options, content_type="application/json")


@require_POST
def passkey_sign_in_view(request: HttpRequest) -> HttpResponse:
    """Signs in with the browser's answer to the challenge. Any failure, a closed account's included, gets the
    words of a wrong password; a locked-out address gets axes' lockout page (AxesMiddleware, 429)."""
    body = json_body(request)
    credential = body.get("credential")
    user = None
    if isinstance(credential, dict):
        passkey = passkey_of_assertion(credential=credential)
        # axes counts a failure under a login as well as the address: the passkey's owner's (the same lockout
        # as their password's), or, for a passkey nobody has, a name of its own, never one shared by all such
        # attempts (a stranger could lock every passkey sign-in of the cooperative with it).
        login_name = passkey.user.get_username() if passkey else f"passkey:{credential.get('id', '')}"[:150]
        user = authenticate(request, username=login_name, passkey=passkey, passkey_credential=credential)
    if user is None:
        return JsonResponse({"error": str(LoginForm.error_messages["invalid_login"])}, status=400)
    login(request, user)
    # The first sign-in gate (tenants_portal.regulation.middleware) sends the next page to any step still due.
    target = body.get("next")
    if not isinstance(target, str) or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = reverse("home")
    return JsonResponse({"redirect": target})


@login_required
@rate_limited("password_check", methods=("POST",))
def password_change_view(request: AuthenticatedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, posted(request))
    if request.method == "POST" and form.is_valid():
        first_sign_in = request.user.must_change_password
        services.password_change(user=request.user, new_password=form.cleaned_data["new_password1"],
                                 request=request)
        if first_sign_in:
            messages.success(request, _("Your password is set. Welcome to your online account."))
        else:
            messages.success(request, _("Your password has been changed. Other devices were signed out."))
        return redirect("home")
    return render(request, "accounts/password_change.html", {
        "form": form, "first_sign_in": request.user.must_change_password})
