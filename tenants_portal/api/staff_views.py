"""The cooperative admin's page of API keys: create, change permissions, issue a new secret, revoke.
A secret is shown once, right after it is made, and never stored."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperatives.selectors import cooperative_url
from iok.forms import form_add_errors, posted
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import Section, section_required
from tenants_portal.accounts.second_factor import second_factor_recent_required

from . import services
from .forms import ApiKeyCreateForm, ApiKeyScopesForm, api_key_revoke_form, api_key_rotate_form
from .selectors import access_api_key, api_keys_list

# Keys are part of the instance's configuration: the cooperative's admins only.
admin_only = section_required(Section.CONFIGURATION)
# The secret waits in the admin's (server-side) session for one page view: shown once, then gone.
SESSION_NEW_SECRET = "_iok_api_key_secret"  # noqa: S105 - a session key name


def _remember_secret(request: HttpRequest, *, key_id: int, secret: str) -> None:
    request.session[SESSION_NEW_SECRET] = {"key": key_id, "secret": secret}


@admin_only
@second_factor_recent_required(methods=("POST",))
def api_keys_view(request: AuthenticatedRequest) -> HttpResponse:
    form = ApiKeyCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            key, secret = services.api_key_create(acting_user=request.user, name=form.cleaned_data["name"],
                                                  scopes=form.cleaned_data["scopes"])
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            _remember_secret(request, key_id=key.pk, secret=secret)
            return redirect("staff_api_key", key_id=key.pk)
    return render(request, "api/keys.html", {"form": form, "keys": api_keys_list(),
                                             "api_url": cooperative_url(path="/api/v1/")})


@admin_only
def api_key_view(request: AuthenticatedRequest, key_id: int) -> HttpResponse:
    key = access_api_key(user=request.user, id=key_id)
    form = ApiKeyScopesForm(posted(request), initial={"scopes": key.scopes})
    if request.method == "POST" and form.is_valid():
        try:
            services.api_key_scopes_update(acting_user=request.user, key=key, scopes=form.cleaned_data["scopes"])
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The key's permissions have been saved."))
            return redirect("staff_api_key", key_id=key.pk)
    new = request.session.pop(SESSION_NEW_SECRET, None)
    secret = new["secret"] if new and new["key"] == key.pk else None
    return render(request, "api/key.html", {"key": key, "form": form, "secret": secret,
                                            "rotate_form": api_key_rotate_form(), "revoke_form": api_key_revoke_form()})


def _confirmed(request: HttpRequest, form) -> bool:
    if form.is_valid():
        return True
    messages.error(request, " ".join(form.errors["confirm"]))
    return False


@admin_only
@second_factor_recent_required(methods=("POST",))
@require_POST
def api_key_rotate_view(request: AuthenticatedRequest, key_id: int) -> HttpResponse:
    key = access_api_key(user=request.user, id=key_id)
    if not _confirmed(request, api_key_rotate_form(request.POST)):
        return redirect("staff_api_key", key_id=key.pk)
    try:
        key, secret = services.api_key_rotate(acting_user=request.user, key=key)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _remember_secret(request, key_id=key.pk, secret=secret)
    return redirect("staff_api_key", key_id=key.pk)


@admin_only
@require_POST
def api_key_revoke_view(request: AuthenticatedRequest, key_id: int) -> HttpResponse:
    key = access_api_key(user=request.user, id=key_id)
    if not _confirmed(request, api_key_revoke_form(request.POST)):
        return redirect("staff_api_key", key_id=key.pk)
    services.api_key_revoke(acting_user=request.user, key=key)
    messages.success(request, _("The key %(name)s has been revoked; it no longer works.") % {"name": key.name})
    return redirect("staff_api_keys")
