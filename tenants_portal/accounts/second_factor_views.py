"""The pages of the second factor: the sign-in's second step, setting up an authenticator app, the
recovery codes (shown once), the own status page, and the check that sensitive actions ask for."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from iok.forms import posted
from tenants_portal.configuration.lockout import lockout_response

from .forms import SecondFactorCodeForm
from .models import User
from .second_factor import (
    METHOD_RECOVERY_CODE,
    recovery_codes_left,
    recovery_codes_regenerate,
    recovery_codes_show_once,
    recovery_codes_take,
    safe_next,
    second_factor_enrolled,
    second_factor_recent,
    second_factor_recent_required,
    second_factor_required,
    second_factor_verified_mark,
    second_factor_verify,
    sign_in_complete,
    sign_in_failed,
    sign_in_locked,
    sign_in_pending_next,
    sign_in_pending_user,
    totp_device_of,
    totp_enrolment_begin,
    totp_enrolment_confirm,
    totp_pending_device_of,
    totp_secret_base32,
    totp_setup_qr_svg,
)
from .services import client_ip


def _pending_or_login(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Please sign in again: the time for the second step has passed."))
    return redirect("login")


def _own_user(request: HttpRequest) -> User:
    """Staff and operators only: residents have no second factor of this kind (the page does not exist)."""
    user = request.user
    if not isinstance(user, User) or not (user.is_staff_member or user.role == User.Role.OPERATOR):
        raise Http404
    return user


def second_factor_sign_in_view(request: HttpRequest) -> HttpResponse:
    user = sign_in_pending_user(request)
    if user is None:
        return _pending_or_login(request)
    if not second_factor_enrolled(user=user):
        return redirect("second_factor_enrol")
    if sign_in_locked(request, user=user):
        return lockout_response(request)
    form = SecondFactorCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        method = second_factor_verify(user=user, code=form.cleaned_data["code"], ip_address=client_ip(request))
        if method is not None:
            next_url = sign_in_pending_next(request)
            sign_in_complete(request, user=user)
            if method == METHOD_RECOVERY_CODE:
                messages.warning(request, _("You signed in with a recovery code; it no longer works. Recovery codes "
                                            "left: %(left)d.") % {"left": recovery_codes_left(user=user)})
            return redirect(safe_next(request, next_url, default="home"))
        sign_in_failed(request, user=user)
        form.add_error("code", _("The code is not correct. Type the current code from the app (it changes every "
                                 "30 seconds), or one of your recovery codes."))
    return render(request, "accounts/second_factor_sign_in.html", {"form": form})


def second_factor_enrol_view(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: during a sign-in that requires one, or later from the status page."""
    signing_in = not request.user.is_authenticated
    if signing_in:
        pending = sign_in_pending_user(request)
        if pending is None:
            return _pending_or_login(request)
        # A password alone never replaces an app already set up: that would skip the second factor.
        if second_factor_enrolled(user=pending):
            return redirect("second_factor_sign_in")
        user = pending
    else:
        user = _own_user(request)
        if second_factor_enrolled(user=user) and not second_factor_recent(request):
            return redirect(f"{reverse('second_factor_step_up')}?next={reverse('second_factor_enrol')}")
    form = SecondFactorCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        codes = totp_enrolment_confirm(user=user, code=form.cleaned_data["code"], ip_address=client_ip(request))
        if codes is not None:
            next_url = sign_in_pending_next(request) if signing_in else ""
            if signing_in:
                sign_in_complete(request, user=user)
            else:
                second_factor_verified_mark(request)
            recovery_codes_show_once(request, codes=codes, next_url=next_url)
            return redirect("second_factor_recovery_codes")
        form.add_error("code", _("The code is not correct. Check that the phone's clock is right and type the "
                                 "code the app shows now."))
    device = totp_pending_device_of(user=user) or totp_enrolment_begin(user=user)
    issuer = f"IOK {request.get_host().split(':')[0]}"
    return render(request, "accounts/second_factor_enrol.html", {
        "form": form, "signing_in": signing_in, "secret": totp_secret_base32(device),
        "qr_svg": totp_setup_qr_svg(device, issuer=issuer, title=_("QR code to set up the authenticator app")),
    })


@login_required
def second_factor_recovery_codes_view(request: HttpRequest) -> HttpResponse:
    shown = recovery_codes_take(request)
    if shown is None:
        return redirect("second_factor")
    return render(request, "accounts/second_factor_recovery_codes.html", {
        "codes": shown["codes"], "next": safe_next(request, shown["next"], default="home")})


@login_required
def second_factor_view(request: HttpRequest) -> HttpResponse:
    user = _own_user(request)
    device = totp_device_of(user=user)
    return render(request, "accounts/second_factor.html", {
        "device": device, "required": second_factor_required(user=user),
        "codes_left": recovery_codes_left(user=user) if device else 0})


@require_POST
@login_required
@second_factor_recent_required()
def recovery_codes_regenerate_view(request: HttpRequest) -> HttpResponse:
    user = _own_user(request)
    if not second_factor_enrolled(user=user):
        return redirect("second_factor")
    codes = recovery_codes_regenerate(user=user, ip_address=client_ip(request))
    recovery_codes_show_once(request, codes=codes, next_url="")
    return redirect("second_factor_recovery_codes")


@login_required
def second_factor_step_up_view(request: HttpRequest) -> HttpResponse:
    """Type a code again before a sensitive action, then continue to it."""
    user = request.user
    assert isinstance(user, User)
    next_url = safe_next(request, request.GET.get("next", ""), default="home")
    if second_factor_recent(request):
        return redirect(next_url)
    if sign_in_locked(request, user=user):
        return lockout_response(request)
    form = SecondFactorCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if second_factor_verify(user=user, code=form.cleaned_data["code"], ip_address=client_ip(request)):
            second_factor_verified_mark(request)
            return redirect(next_url)
        sign_in_failed(request, user=user)
        form.add_error("code", _("The code is not correct. Type the current code from the app."))
    return render(request, "accounts/second_factor_step_up.html", {"form": form, "next": next_url})
