from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from iok.forms import posted
from tenants_portal.access.views import staff_required
from tenants_portal.accounts.models import User

from .forms import ModulesForm, SignInPolicyForm
from .models import RECOMMENDED_MIN_LENGTH
from .selectors import instance_settings_get
from .services import instance_settings_update


def _settings_form_page(request: HttpRequest, *, form_class, template: str, url_name: str,
                        context: dict | None = None) -> HttpResponse:
    """Edit some of the instance settings through the audited service; one shape for every settings page."""
    current = instance_settings_get()
    form = form_class(posted(request), instance=type(current).objects.get(pk=current.pk))
    if request.method == "POST" and form.is_valid():
        changed = instance_settings_update(acting_user=request.user, changes={
            name: form.cleaned_data[name] for name in form.Meta.fields})
        messages.success(request, _("Saved.") if changed else _("Nothing has changed."))
        return redirect(url_name)
    return render(request, template, {"form": form, **(context or {})})


@staff_required({User.Role.ADMIN})
def sign_in_policy_view(request: HttpRequest) -> HttpResponse:
    current = instance_settings_get()
    return _settings_form_page(request, form_class=SignInPolicyForm, template="configuration/sign_in_policy.html",
                               url_name="configuration_sign_in", context={
                                   "below_recommendation": current.password_min_length_below_recommendation,
                                   "recommended": RECOMMENDED_MIN_LENGTH, "current": current})


@staff_required({User.Role.ADMIN})
def modules_view(request: HttpRequest) -> HttpResponse:
    return _settings_form_page(request, form_class=ModulesForm, template="configuration/modules.html",
                               url_name="configuration_modules")
