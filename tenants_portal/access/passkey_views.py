"""The resident's own passkeys: the list (name, when added, when last used), adding one, removing one. The
pages work only after the first sign-in (tenants_portal.regulation.middleware sends anyone else to the step
still due); signing in with a passkey is tenants_portal.accounts.views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from iok.access import access_get
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.models import Passkey
from tenants_portal.accounts.passkeys import (
    NAME_MAX_LENGTH,
    PASSKEYS_PER_USER,
    PasskeyRefused,
    passkey_add,
    passkey_registration_options,
    passkey_remove,
    passkeys_of,
    relying_party_of,
)
from tenants_portal.accounts.roles import resident_ensure
from tenants_portal.accounts.views import json_body


@login_required
def passkeys_view(request: AuthenticatedRequest) -> HttpResponse:
    resident_ensure(request)
    passkeys = passkeys_of(user=request.user)
    return render(request, "accounts/passkeys.html", {
        "passkeys": passkeys, "name_max_length": NAME_MAX_LENGTH,
        "can_add": len(passkeys) < PASSKEYS_PER_USER, "limit": PASSKEYS_PER_USER})


@login_required
@require_POST
def passkey_options_view(request: AuthenticatedRequest) -> HttpResponse:
    resident_ensure(request)
    options = passkey_registration_options(user=request.user, session=request.session,
                                           relying_party=relying_party_of(request))
    return HttpResponse(options, content_type="application/json")


@login_required
@require_POST
def passkey_add_view(request: AuthenticatedRequest) -> HttpResponse:
    resident_ensure(request)
    body = json_body(request)
    name, credential = body.get("name"), body.get("credential")
    if not isinstance(name, str) or not name.strip():
        return JsonResponse({"error": _("Please give the passkey a name.")}, status=400)
    if not isinstance(credential, dict):
        return JsonResponse({"error": _("The passkey could not be added. Please try again.")}, status=400)
    try:
        passkey = passkey_add(user=request.user, session=request.session, relying_party=relying_party_of(request),
                              name=name, credential=credential, request=request)
    except PasskeyRefused:
        return JsonResponse({"error": _("The passkey could not be added. Please try again.")}, status=400)
    messages.success(request, _("The passkey “%(name)s” has been added. From now on you can sign in with it "
                                "instead of the password.") % {"name": passkey.name})
    return JsonResponse({"redirect": reverse("passkeys")})


@login_required
@require_POST
def passkey_remove_view(request: AuthenticatedRequest, passkey_id: int) -> HttpResponse:
    resident_ensure(request)
    passkey = access_get(Passkey.objects.filter(user=request.user), pk=passkey_id)
    passkey_remove(user=request.user, passkey=passkey, request=request)
    messages.success(request, _("The passkey “%(name)s” has been removed. Remove it from the device too, in its "
                                "password or passkey settings.") % {"name": passkey.name})
    return redirect("passkeys")
