"""The pages of the instance's configuration (admins): its settings go through configuration's audited service.
The import schedule's page is the import engine's (billing_views.imports.views)."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Field
from django.forms import ModelForm
from django.http import Http404, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperatives.selectors import cooperative_current, cooperative_details, cooperative_primary_host, cooperative_url
from iok.forms import form_add_errors, posted
from iok.ratelimits import client_address
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import Section, section_required
from tenants_portal.accounts.second_factor import second_factor_recent_required
from tenants_portal.configuration.branding import DEFAULT_ACCENT, DEFAULT_PRIMARY, contrast_with_white
from tenants_portal.configuration.domains import (
    access_domain,
    custom_domain_add,
    custom_domain_check,
    custom_domain_make_primary,
    custom_domain_remove,
    domain_records,
    domains_of_current,
)
from tenants_portal.configuration.mail import cooperative_sender
from tenants_portal.configuration.models import RECOMMENDED_MIN_LENGTH, InstanceSettings, OldLink
from tenants_portal.configuration.old_links import old_link_add, old_link_remove
from tenants_portal.configuration.selectors import instance_settings_get
from tenants_portal.configuration.services import instance_settings_update
from tenants_portal.online_payments import gateway as payment_gateway
from tenants_portal.online_payments.models import Gateway, GatewaySettings
from tenants_portal.online_payments.selectors import gateway_settings_get
from tenants_portal.online_payments.services import gateway_settings_save

from .configuration_forms import (
    MODULE_FIELDS,
    AppearanceForm,
    DomainAddForm,
    EmailSenderForm,
    GatewaySettingsForm,
    ModulesForm,
    OldLinkForm,
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
        "modules_off": [label for label, on in modules if not on],
        "online_payments_ready": payment_gateway.gateway_ready(gateway_settings_get()),
        "online_payments_gateway": gateway_settings_get()})


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


# The fee example's amount: the page shows what the gateway's fee would be on it.
FEE_EXAMPLE_AMOUNT = Decimal("100.00")


@section_required(Section.CONFIGURATION)
@second_factor_recent_required(methods=("POST",))
def online_payments_view(request: AuthenticatedRequest) -> HttpResponse:
    """The cooperative's payment gateway: which one, its credentials (typed, stored encrypted, never shown
    again), the smallest payment, the fee, the days before an unbooked payment is flagged. Not part of
    the module's URLs: it is set up before the module can be switched on."""
    stored = gateway_settings_get()
    form = GatewaySettingsForm(posted(request), instance=GatewaySettings.objects.get(pk=stored.pk),
                               stored_credentials=payment_gateway.credentials_of(stored),
                               module_on=instance_settings_get().module_online_payments)
    if request.method == "POST" and form.is_valid():
        gateway_settings_save(acting_user=request.user, values=form.values(), credentials=form.credentials(),
                              ip_address=client_address(request))
        messages.success(request, _("Saved."))
        return redirect("configuration_online_payments")
    fee_example = (stored.fee_fixed + FEE_EXAMPLE_AMOUNT * stored.fee_percent / 100).quantize(Decimal("0.01"))
    return render(request, "configuration/online_payments.html", {
        "form": form, "stored": stored, "ready": payment_gateway.gateway_ready(stored),
        "credentials_stored": bool(stored.credentials_encrypted),
        "gateways": [(value, label, form.credential_fields(value)) for value, label in Gateway.choices],
        "fee_example": fee_example, "fee_example_amount": FEE_EXAMPLE_AMOUNT,
        "module_on": instance_settings_get().module_online_payments})


# --- the cooperative's own addresses (custom domains), old links and the website's button ---------------------


def _login_button_snippet() -> str:
    """The HTML the admin copies into the cooperative's website: a link in its colours, styled inline (a
    website's CSS cannot be relied on), with no script and no frame (IOK's pages refuse to be framed)."""
    colour = instance_settings_get().brand_primary or DEFAULT_PRIMARY
    link = cooperative_url(path=reverse("login"))
    label = _("Sign in to IOK")
    return format_html(
        '<a href="{}" style="display:inline-block;padding:12px 20px;background:{};color:#ffffff;'
        'font:bold 16px/1.2 Arial,Helvetica,sans-serif;text-decoration:none;border-radius:6px">{}</a>',
        link, colour, label)


@section_required(Section.CONFIGURATION)
@second_factor_recent_required(methods=("POST",))
def domains_view(request: AuthenticatedRequest) -> HttpResponse:
    """The cooperative's addresses: add one (then create its DNS records), check it, make it the main one,
    remove it; the old links' redirects; the button for the cooperative's website."""
    domain_form = DomainAddForm(request.POST if request.POST.get("form") == "domain" else None)
    link_form = OldLinkForm(request.POST if request.POST.get("form") == "old_link" else None)
    if domain_form.is_bound and domain_form.is_valid():
        try:
            added = custom_domain_add(acting_user=request.user, domain=domain_form.cleaned_data["domain"])
        except ValidationError as error:
            form_add_errors(domain_form, error)
        else:
            messages.success(request, _("The address %(name)s was added. Create the two DNS records shown below; "
                                        "it will be served once they are found.") % {"name": added.domain})
            return redirect("configuration_domains")
    if link_form.is_bound and link_form.is_valid():
        try:
            link = old_link_add(acting_user=request.user, from_path=link_form.cleaned_data["from_path"],
                                to_path=link_form.cleaned_data["to_path"])
        except ValidationError as error:
            form_add_errors(link_form, error)
        else:
            messages.success(request, _("%(old)s now leads to %(new)s.") % {"old": link.from_path,
                                                                           "new": link.to_path})
            return redirect("configuration_domains")
    domains = domains_of_current()
    return render(request, "configuration/domains.html", {
        "domains": [(domain, domain_records(domain=domain) if domain.is_custom else []) for domain in domains],
        "domain_form": domain_form, "link_form": link_form, "old_links": OldLink.objects.all(),
        "snippet": _login_button_snippet(),
        "any_pending": any(not domain.is_verified for domain in domains),
    })


def _addresses_page_at(request: AuthenticatedRequest, *, host: str) -> str:
    """This page's address on another of the cooperative's hosts (same scheme and port as the request)."""
    _hostname, port = split_domain_port(request.get_host())
    return f"{request.scheme}://{host}{f':{port}' if port else ''}{reverse('configuration_domains')}"


@section_required(Section.CONFIGURATION)
@require_POST
@second_factor_recent_required()
def domain_action_view(request: AuthenticatedRequest, domain_id: int, action: str) -> HttpResponse:
    domain = access_domain(id=domain_id)
    try:
        if action == "sprawdz":
            checked = custom_domain_check(domain_id=domain.pk, acting_user=request.user)
            if checked.is_verified:
                messages.success(request, _("%(name)s is verified and served now.") % {"name": checked.domain})
            else:
                messages.error(request, _("%(name)s is not verified yet: %(problem)s") % {
                    "name": checked.domain, "problem": checked.check_error})
        elif action == "glowny":
            custom_domain_make_primary(acting_user=request.user, domain_id=domain.pk)
            # A page, not a redirect: this host now redirects to the new one, and the page's CSP (form-action
            # 'self') stops a form's redirect to another host. The link takes the admin there (to sign in
            # again: cookies are host-only).
            return render(request, "configuration/domain_primary.html", {
                "domain": domain, "address": _addresses_page_at(request, host=domain.domain)})
        elif action == "usun":
            name = custom_domain_remove(acting_user=request.user, domain_id=domain.pk)
            if split_domain_port(request.get_host())[0] == name:
                # The page was open at the address just removed, which no longer answers: a redirect there would
                # end on the platform's "unknown address"; the link leads to the cooperative's main address.
                return render(request, "configuration/domain_removed.html", {
                    "name": name, "address": _addresses_page_at(request, host=cooperative_primary_host(
                        cooperative=cooperative_current()))})
            messages.success(request, _("%(name)s was removed and is no longer served.") % {"name": name})
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("configuration_domains")


@section_required(Section.CONFIGURATION)
@require_POST
@second_factor_recent_required()
def old_link_remove_view(request: AuthenticatedRequest, link_id: int) -> HttpResponse:
    old_link_remove(acting_user=request.user, link_id=link_id)
    messages.success(request, _("The redirect was removed."))
    return redirect("configuration_domains")
