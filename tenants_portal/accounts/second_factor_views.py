"""The pages of the second factor: the sign-in's second step, setting up an authenticator app or a passkey,
the recovery codes (shown once), the own status page (passkeys: name, last use, removal), and the check that
sensitive actions ask for. The passkey ceremonies answer the script static/iok/passkeys.js in JSON."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from iok.access import access_get
from iok.forms import posted
from tenants_portal.configuration.lockout import lockout_response

from .forms import SecondFactorCodeForm
from .models import Passkey, User
from .passkeys import (
    NAME_MAX_LENGTH,
    PASSKEYS_PER_USER,
    PasskeyRefused,
    passkey_add,
    passkey_registration_options,
    passkey_second_factor_check,
    passkey_second_factor_options,
    relying_party_of,
)
from .second_factor import (
    METHOD_RECOVERY_CODE,
    LastSecondFactor,
    passkey_enrolled_recovery_codes,
    recovery_codes_left,
    recovery_codes_regenerate,
    recovery_codes_show_once,
    recovery_codes_take,
    safe_next,
    second_factor_enrolled,
    second_factor_passkey_remove,
    second_factor_passkeys_of,
    second_factor_recent,
    second_factor_recent_required,
    second_factor_required,
    second_factor_user,
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
from .views import json_body


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
    return render(request, "accounts/second_factor_sign_in.html", {
        "form": form, "has_totp": totp_device_of(user=user) is not None,
        "has_passkeys": bool(second_factor_passkeys_of(user=user))})


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
        "name_max_length": NAME_MAX_LENGTH,
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
    passkeys = second_factor_passkeys_of(user=user)
    return render(request, "accounts/second_factor.html", {
        "device": device, "passkeys": passkeys, "required": second_factor_required(user=user),
        "codes_left": recovery_codes_left(user=user) if device or passkeys else 0,
        "can_add_passkey": len(passkeys) < PASSKEYS_PER_USER, "recent": second_factor_recent(request),
        "name_max_length": NAME_MAX_LENGTH})


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
    return render(request, "accounts/second_factor_step_up.html", {
        "form": form, "next": next_url, "has_totp": totp_device_of(user=user) is not None,
        "has_passkeys": bool(second_factor_passkeys_of(user=user))})


# ---- passkeys as the second factor ----------------------------------------------------------------------

def _checked_user(request: HttpRequest) -> tuple[User | None, bool]:
    """Whose passkey a check is for: the pending sign-in's user (True: signing in), else the signed-in staff
    member or operator (a step-up check), else nobody."""
    if not request.user.is_authenticated:
        return sign_in_pending_user(request), True
    user = request.user
    if isinstance(user, User) and second_factor_user(user=user):
        return user, False
    return None, False


def _refused(message: str, *, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _locked() -> JsonResponse:
    return _refused(_("Too many failed sign-ins. Please wait a while and try again, or ask the office to unlock "
                      "your account."), status=429)


@require_POST
def second_factor_passkey_options_view(request: HttpRequest) -> HttpResponse:
    """A challenge that only the passkeys of the person being checked can answer."""
    user, _signing_in = _checked_user(request)
    if user is None:
        return _refused(_("Please sign in again: the time for the second step has passed."))
    if sign_in_locked(request, user=user):
        return _locked()
    options = passkey_second_factor_options(user=user, session=request.session, relying_party=relying_party_of(request))
    return HttpResponse(options, content_type="application/json")


@require_POST
def second_factor_passkey_view(request: HttpRequest) -> HttpResponse:
    """The browser's answer: signs in (the sign-in's second step) or marks the step-up check. A failure counts
    toward the same lockout as a wrong code."""
    user, signing_in = _checked_user(request)
    if user is None:
        return _refused(_("Please sign in again: the time for the second step has passed."))
    if sign_in_locked(request, user=user):
        return _locked()
    body = json_body(request)
    credential = body.get("credential")
    try:
        if not isinstance(credential, dict):
            raise PasskeyRefused("no credential")
        passkey_second_factor_check(user=user, session=request.session, relying_party=relying_party_of(request),
                                    credential=credential)
    except PasskeyRefused:
        sign_in_failed(request, user=user)
        if sign_in_locked(request, user=user):
            return _locked()
        return _refused(_("The passkey was not accepted. Please try again, or type a code."))
    if signing_in:
        next_url = sign_in_pending_next(request)
        sign_in_complete(request, user=user)
        return JsonResponse({"redirect": safe_next(request, next_url, default="home")})
    second_factor_verified_mark(request)
    target = body.get("next")
    return JsonResponse({"redirect": safe_next(request, target if isinstance(target, str) else "", default="home")})


def _registering_user(request: HttpRequest) -> tuple[User | None, bool]:
    """Who may add a passkey as a second factor now: at the sign-in's set-up step, the pending user who has none
    yet (True); on the status page, the staff member or operator checked within the last 15 minutes."""
    user, signing_in = _checked_user(request)
    if user is None:
        return None, signing_in
    if signing_in:
        return (None if second_factor_enrolled(user=user) or not second_factor_user(user=user) else user), True
    return (user if second_factor_recent(request) else None), False


@require_POST
def second_factor_passkey_add_options_view(request: HttpRequest) -> HttpResponse:
    user, _signing_in = _registering_user(request)
    if user is None:
        return _refused(_("The passkey could not be added. Please try again."), status=403)
    options = passkey_registration_options(user=user, session=request.session, relying_party=relying_party_of(request))
    return HttpResponse(options, content_type="application/json")


@require_POST
def second_factor_passkey_add_view(request: HttpRequest) -> HttpResponse:
    """Keeps the new passkey; at the sign-in's set-up step it completes the sign-in. The first second factor
    comes with recovery codes, shown once."""
    user, signing_in = _registering_user(request)
    if user is None:
        return _refused(_("The passkey could not be added. Please try again."), status=403)
    body = json_body(request)
    name, credential = body.get("name"), body.get("credential")
    if not isinstance(name, str) or not name.strip():
        return _refused(_("Please give the passkey a name."))
    if not isinstance(credential, dict):
        return _refused(_("The passkey could not be added. Please try again."))
    try:
        passkey = passkey_add(user=user, session=request.session, relying_party=relying_party_of(request),
                              name=name, credential=credential, request=request)
    except PasskeyRefused:
        return _refused(_("The passkey could not be added. Please try again."))
    codes = passkey_enrolled_recovery_codes(user=user)
    next_url = sign_in_pending_next(request) if signing_in else ""
    # Like an app's confirming code, the new passkey's ceremony (user verified) counts as a check just made.
    if signing_in:
        sign_in_complete(request, user=user)
    else:
        second_factor_verified_mark(request)
    messages.success(request, _("The passkey “%(name)s” has been added. Signing in asks for it (or for a code from "
                                "the app) after the password.") % {"name": passkey.name})
    if codes is not None:
        recovery_codes_show_once(request, codes=codes, next_url=next_url)
        return JsonResponse({"redirect": reverse("second_factor_recovery_codes")})
    return JsonResponse({"redirect": safe_next(request, next_url, default="second_factor")})


@require_POST
@login_required
@second_factor_recent_required()
def second_factor_passkey_remove_view(request: HttpRequest, passkey_id: int) -> HttpResponse:
    user = _own_user(request)
    passkey = access_get(Passkey.objects.filter(user=user), pk=passkey_id)
    try:
        second_factor_passkey_remove(user=user, passkey=passkey, request=request)
    except LastSecondFactor:
        messages.error(request, _("The passkey “%(name)s” is your only second factor, which is required: add another "
                                  "passkey or set up the authenticator app first.") % {"name": passkey.name})
        return redirect("second_factor")
    messages.success(request, _("The passkey “%(name)s” has been removed. Remove it from the device too, in its "
                                "password or passkey settings.") % {"name": passkey.name})
    return redirect("second_factor")
