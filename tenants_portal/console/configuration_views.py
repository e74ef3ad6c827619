"""The pages of the instance's configuration (admins): its settings go through configuration's audited service.
The import schedule's page is the import engine's (billing_views.imports.views)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Field
from django.forms import ModelForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cooperatives.selectors import cooperative_details
from iok.forms import form_add_errors, posted
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import Section, section_required
from tenants_portal.accounts.second_factor import second_factor_recent_required
from tenants_portal.configuration.branding import DEFAULT_ACCENT, DEFAULT_PRIMARY, contrast_with_white
from tenants_portal.configuration.mail import cooperative_sender
from tenants_portal.configuration.models import RECOMMENDED_MIN_LENGTH, InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_get
from tenants_portal.configuration.services import instance_settings_update

from .configuration_forms import (
    MODULE_FIELDS,
    AppearanceForm,
    EmailSenderForm,
    ModulesForm,
    PaymentsForm,
    SignInPolicyForm,
)


def _settings_form_page(request: AuthenticatedRequest, *, form_class: "type[ModelForm[InstanceSettings]]",
                        template: str, url_name: str, context: dict | None = None) -> HttpResponse:
    """Edit some of the instance settings through the audited service; one shape for every settings page."""
    current = instance_settings_get()
    form = form_class(posted(request), instance=type(current).objects.get(pk=current.pk))
    if request.method == "POST" and form.is_valid():
        changed = instance_settings_update(acting_user=request.user, changes={
            name: form.cleaned_data[name] for name in form.fields})  # its Meta's fields
        messages.success(request, _("Saved.") if changed else _("Nothing has changed."))
        return redirect(url_name)
    return render(request, template, {"form": form, **(context or {})})


@section_required(Section.CONFIGURATION)
@second_factor_recent_required(methods=("POST",))
def sign_in_policy_view(request: AuthenticatedRequest) -> HttpResponse:
    current = instance_settings_get()
    return _settings_form_page(request, form_class=SignInPolicyForm, template="configuration/sign_in_policy.html",
                               url_name="configuration_sign_in", context={
                                   "below_recommendation": current.password_min_length_below_recommendation,
                                   "recommended": RECOMMENDED_MIN_LENGTH, "current": current})


@section_required(Section.CONFIGURATION)
def modules_view(request: AuthenticatedRequest) -> HttpResponse:
    return _settings_form_page(request, form_class=ModulesForm, template="configuration/modules.html",
                               url_name="configuration_modules")


def _module_label(name: str) -> str:
    field = InstanceSettings._meta.get_field(name)
    assert isinstance(field, Field)  # a module's switch is a column of the settings, not a relation
    return str(field.verbose_name)


@section_required(Section.CONFIGURATION)
def configuration_index_view(request: AuthenticatedRequest) -> HttpResponse:
    current = instance_settings_get()
    modules = [(_module_label(name), getattr(current, name)) for name in MODULE_FIELDS]
    return render(request, "configuration/index.html", {
        "current": current, "cooperative_row": cooperative_details(), "sender": cooperative_sender(),
        "below_recommendation": current.password_min_length_below_recommendation,
        "modules_on": [label for label, on in modules if on],
        "modules_off": [label for label, on in modules if not on]})


@section_required(Section.CONFIGURATION)
def appearance_view(request: AuthenticatedRequest) -> HttpResponse:
    current = instance_settings_get()
    cooperative = cooperative_details()
    form = AppearanceForm(posted(request), request.FILES or None, initial={
        "name": cooperative.name, "brand_primary": current.brand_primary or DEFAULT_PRIMARY,
        "brand_accent": current.brand_accent or DEFAULT_ACCENT})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        logo_upload = request.FILES.get("logo") if data["logo"] else None
        try:
            changed = instance_settings_update(
                acting_user=request.user, cooperative_name=data["name"],
                changes={"brand_primary": data["brand_primary"], "brand_accent": data["brand_accent"]},
                logo=data["logo"], logo_original_name=(logo_upload.name or "") if logo_upload else "",
                logo_remove=data["logo_remove"])
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing has changed."))
            return redirect("configuration_appearance")
    return render(request, "configuration/appearance.html", {
        "form": form, "current": current, "cooperative_row": cooperative,
        "contrast": {"primary": contrast_with_white(current.brand_primary or DEFAULT_PRIMARY),
                     "accent": contrast_with_white(current.brand_accent or DEFAULT_ACCENT)}})


@section_required(Section.CONFIGURATION)
def email_sender_view(request: AuthenticatedRequest) -> HttpResponse:
    return _settings_form_page(request, form_class=EmailSenderForm, template="configuration/email_sender.html",
                               url_name="configuration_email", context={"sender": cooperative_sender()})


@section_required(Section.CONFIGURATION)
def payments_view(request: AuthenticatedRequest) -> HttpResponse:
    return _settings_form_page(request, form_class=PaymentsForm, template="configuration/payments.html",
                               url_name="configuration_payments")
