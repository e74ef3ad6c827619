"""The second factor of staff and operators (ASVS 5.0 V6.3): TOTP through django-otp, passkeys (WebAuthn,
accounts.passkeys: an assertion bound to the user, relying party = the cooperative's or the platform's host),
and ten single-use recovery codes (django-otp's static tokens).

Sign-in in two steps. The password page (views.SecondFactorLoginMixin) does not sign in a user who has, or
must have, a second factor: it leaves a *pending* sign-in in the session, and the second step completes it
with `sign_in_complete`. That is the one way in after a password, whatever the method: a further method
(a passkey) verifies itself against `sign_in_pending_user` and calls `sign_in_complete`.
Until then nothing is signed in, so nothing else is reachable, and a wrong code counts in django-axes'
lockout exactly like a wrong password (the same signal, the same per-login limit).

Who must have one: operators always; a cooperative's staff when its policy
(InstanceSettings.staff_second_factor_required) says so. A check within the last STEP_UP_SECONDS is what
the sensitive actions ask for (`second_factor_recent_required`).
"""

import base64
import html
import time
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import login
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import get_public_schema_name

from iok.db import connection
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record
from tenants_portal.configuration.selectors import instance_settings_get

from .models import Passkey, User
from .passkeys import passkey_remove

RECOVERY_CODE_COUNT = 10
# A sensitive action needs a code typed this recently (issue 19: 15 minutes).
STEP_UP_SECONDS = 15 * 60
# The time between the password and the code: long enough to find the phone, short enough that a
# forgotten half-signed-in browser is not waiting for anyone.
PENDING_SECONDS = 5 * 60
BACKEND = "tenants_portal.accounts.backends.AccountBackend"

SESSION_PENDING = "_iok_second_factor_pending"
SESSION_VERIFIED_AT = "_iok_second_factor_at"
# Recovery codes wait here (server-side session) only until the page that shows them once.
SESSION_RECOVERY_CODES = "_iok_recovery_codes"

METHOD_TOTP = "totp"
METHOD_RECOVERY_CODE = "recovery_code"
METHOD_PASSKEY = "passkey"


# ---- who needs what ---------------------------------------------------------------------------------

def second_factor_required(*, user: User) -> bool:
    """Operators always; staff when their cooperative's policy says so; residents never (passkeys are theirs)."""
    if user.role == User.Role.OPERATOR:
        return True
    if not user.is_staff_member or connection.schema_name == get_public_schema_name():
        return False
    return instance_settings_get().staff_second_factor_required


def second_factor_user(*, user: User) -> bool:
    """Staff and operators: the people whose passkeys are a second factor (a resident's passkey signs in alone)."""
    return user.is_staff_member or user.role == User.Role.OPERATOR


def totp_device_of(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def second_factor_passkeys_of(*, user: User) -> list[Passkey]:
    return list(Passkey.objects.filter(user=user)) if second_factor_user(user=user) else []


def second_factor_enrolled(*, user: User) -> bool:
    """An authenticator app, or (staff and operators) a passkey."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return True
    return second_factor_user(user=user) and Passkey.objects.filter(user=user).exists()


def second_factor_enrolled_of(*, users: Sequence[User]) -> set[int]:
    """The ids of those of `users` who have set up an authenticator app or (staff, operators) a passkey."""
    with_passkey = [user.pk for user in users if second_factor_user(user=user)]
    return (set(TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True))
            | set(Passkey.objects.filter(user__in=with_passkey).values_list("user_id", flat=True)))


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# ---- enrolment --------------------------------------------------------------------------------------

def totp_enrolment_begin(*, user: User, key: str | None = None) -> TOTPDevice:
    """A new, unconfirmed device with a fresh secret (or `key`, hex, for the demo's documented one); an
    earlier unconfirmed one is dropped. A confirmed device stays in use until the new one is confirmed."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    extra = {"key": key} if key else {}
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False, **extra)


def totp_pending_device_of(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def totp_secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii")


def totp_setup_url(device: TOTPDevice, *, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code (Key Uri Format)."""
    label = quote(f"{issuer}:{device.user.get_username()}")
    query = urlencode({"secret": totp_secret_base32(device), "issuer": issuer, "digits": device.digits,
                       "period": device.step, "algorithm": "SHA1"})
    return f"otpauth://totp/{label}?{query}"


def totp_setup_qr_svg(device: TOTPDevice, *, issuer: str, title: str) -> str:
    """The setup address as an inline SVG QR code with an accessible name (no script, no data: URL)."""
    import segno  # Only the enrolment page draws one.

    code = segno.make(totp_setup_url(device, issuer=issuer), error="M", micro=False)
    svg = code.svg_inline(scale=5, border=4, dark="#000", light="#fff", title=title, omitsize=False, lineclass=None)
    return f'<svg role="img" aria-label="{html.escape(title, quote=True)}" ' + svg.removeprefix("<svg ")


@transaction.atomic
def totp_enrolment_confirm(*, user: User, code: str, ip_address: str | None = None) -> list[str] | None:
    """The pending device becomes the user's second factor when `code` is right: any earlier device and
    recovery codes are replaced, and ten new recovery codes are returned (shown once). None: wrong code."""
    device = totp_pending_device_of(user=user)
    if device is None or not device.verify_token(_digits(code)):
        return None
    return _totp_activate(user=user, device=device, ip_address=ip_address)


@transaction.atomic
def totp_enrol_published_secret(*, user: User, key: str) -> list[str]:
    """The demo's logins: an authenticator app with a published secret (hex), without a code to confirm it."""
    return _totp_activate(user=user, device=totp_enrolment_begin(user=user, key=key), ip_address=None)


def _totp_activate(*, user: User, device: TOTPDevice, ip_address: str | None) -> list[str]:
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(acting_user=user, action=AuditAction.SECOND_FACTOR_ENROLLED, target=user.get_username(),
                 details={"method": METHOD_TOTP}, ip_address=ip_address)
    return _recovery_codes_replace(user=user)


@transaction.atomic
def recovery_codes_regenerate(*, user: User, ip_address: str | None = None) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    codes = _recovery_codes_replace(user=user)
    audit_record(acting_user=user, action=AuditAction.RECOVERY_CODES_GENERATED, target=user.get_username(),
                 ip_address=ip_address)
    return codes


def _recovery_codes_replace(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def passkey_enrolled_recovery_codes(*, user: User) -> list[str] | None:
    """After a staff member's or operator's passkey was added: ten recovery codes (to show once) if they have
    none yet, as when an authenticator app is set up; None when they have some."""
    if StaticToken.objects.filter(device__user=user, device__confirmed=True).exists():
        return None
    return _recovery_codes_replace(user=user)


class LastSecondFactor(Exception):
    """The passkey is the only second factor left and the user must have one."""


@transaction.atomic
def second_factor_passkey_remove(*, user: User, passkey: Passkey, request: HttpRequest | None = None) -> None:
    """A staff member's or operator's own removal of one of their passkeys (`passkey` is one of
    second_factor_passkeys_of(user=user)). Where a second factor is required, the last one cannot go (the office
    can reset it); when none is left, the recovery codes go too (they would stand in for nothing)."""
    other_passkeys = Passkey.objects.filter(user=user).exclude(pk=passkey.pk).exists()
    has_totp = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if not (other_passkeys or has_totp):
        if second_factor_required(user=user):
            raise LastSecondFactor
        StaticDevice.objects.filter(user=user).delete()
    passkey_remove(user=user, passkey=passkey, request=request)


@transaction.atomic
def second_factor_remove(*, user: User, acting_user: User | None, actor_login: str = "",
                         ip_address: str | None = None) -> bool:
    """Every device, passkey (staff, operators) and recovery code of `user` is deleted (turned off; where it is
    required, the user sets it up again at the next sign-in). False: there was nothing to remove. The e-mail to
    the user is the account lifecycle's (access.services.second_factor_reset)."""
    removed = (TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0])
    if second_factor_user(user=user):
        removed += Passkey.objects.filter(user=user).delete()[0]
    if not removed:
        return False
    audit_record(acting_user=acting_user, actor_login=actor_login, action=AuditAction.SECOND_FACTOR_REMOVED,
                 target=user.get_username(), ip_address=ip_address)
    return True


def second_factor_verify(*, user: User, code: str, ip_address: str | None = None) -> str | None:
    """The method `code` proves (a current TOTP code, or an unused recovery code, which is used up), or None."""
    device = totp_device_of(user=user)
    digits = _digits(code)
    if device is not None and len(digits) == device.digits and digits.isdigit():
        return METHOD_TOTP if device.verify_token(digits) else None
    recovery = "".join(code.split()).replace("-", "").lower()
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if recovery and static is not None and static.verify_token(recovery):
        audit_record(acting_user=user, action=AuditAction.RECOVERY_CODE_USED, target=user.get_username(),
                     details={"left": static.token_set.count()}, ip_address=ip_address)
        return METHOD_RECOVERY_CODE
    return None


def _digits(code: str) -> str:
    return "".join(code.split())


# ---- the sign-in's second step -------------------------------------------------------------------------

def sign_in_pending_start(request: HttpRequest, *, user: User, next_url: str) -> None:
    """The password was right: remember whose it was (not signed in) until the second step."""
    request.session.cycle_key()
    request.session[SESSION_PENDING] = {"user": user.pk, "until": int(time.time()) + PENDING_SECONDS,
                                        "next": next_url}


def sign_in_pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(SESSION_PENDING)
    if not pending or pending["until"] < time.time():
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True, closed_at__isnull=True).first()
    return user


def sign_in_pending_next(request: HttpRequest) -> str:
    pending = request.session.get(SESSION_PENDING) or {}
    return pending.get("next") or ""


def sign_in_locked(request: HttpRequest, *, user: User) -> bool:
    return AxesProxyHandler.is_locked(request, credentials={"username": user.get_username()})


def sign_in_failed(request: HttpRequest, *, user: User) -> None:
    """A wrong code: the same signal as a wrong password, so django-axes counts it against this login
    (and address) and the audit log has the failed sign-in."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)


def sign_in_complete(request: HttpRequest, *, user: User) -> None:
    """The second step passed: sign in (a new session id; django-axes' counter of this login is reset)."""
    request.session.pop(SESSION_PENDING, None)
    login(request, user, backend=BACKEND)
    second_factor_verified_mark(request)


def second_factor_verified_mark(request: HttpRequest) -> None:
    request.session[SESSION_VERIFIED_AT] = int(time.time())


def second_factor_verified(request: HttpRequest) -> bool:
    return SESSION_VERIFIED_AT in request.session


def second_factor_recent(request: HttpRequest) -> bool:
    """Checked within STEP_UP_SECONDS, or nothing to check (no device, none required: the admin's warning
    says so)."""
    user = request.user
    if not isinstance(user, User):
        return False
    if not second_factor_enrolled(user=user) and not second_factor_required(user=user):
        return True
    verified_at = request.session.get(SESSION_VERIFIED_AT)
    return verified_at is not None and time.time() - verified_at <= STEP_UP_SECONDS


def safe_next(request: HttpRequest, next_url: str, *, default: str) -> str:
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                                    require_https=request.is_secure()):
        return next_url
    return reverse(default)


def _return_to(request: HttpRequest) -> str:
    """Where to continue after the code: the page a form was sent from (a POST-only address would answer
    405 to the browser's GET), else this page."""
    referer = request.META.get("HTTP_REFERER", "")
    if request.method == "POST" and referer and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def second_factor_recent_required(methods: Sequence[str] | None = None) -> Callable:
    """A sensitive action (all requests, or only `methods`): without a code within STEP_UP_SECONDS the
    person is asked for one first and then comes back to the page (a form is filled in again)."""
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if (methods is None or request.method in methods) and not second_factor_recent(request):
                return redirect(f"{reverse('second_factor_step_up')}?{urlencode({'next': _return_to(request)})}")
            return view(request, *args, **kwargs)
        return wrapped
    return decorator


def recovery_codes_show_once(request: HttpRequest, *, codes: list[str], next_url: str) -> None:
    request.session[SESSION_RECOVERY_CODES] = {"codes": codes, "next": next_url}


def recovery_codes_take(request: HttpRequest) -> dict[str, Any] | None:
    return request.session.pop(SESSION_RECOVERY_CODES, None)
