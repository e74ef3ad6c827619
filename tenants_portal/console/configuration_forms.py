"""The forms of the configuration pages (configuration_views)."""

from email.utils import parseaddr
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from stdnum.pl import nip

from cooperatives.selectors import cooperative_current
from tenants_portal.configuration.branding import DEFAULT_ACCENT, DEFAULT_PRIMARY, colour_clean, logo_validate
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.online_payments.gateway import CREDENTIAL_FIELDS, gateway_ready
from tenants_portal.online_payments.models import Gateway, GatewayEnvironment, GatewaySettings
from tenants_portal.online_payments.selectors import gateway_settings_get

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SIGN_IN_FIELDS = [
    "password_min_length", "password_require_letter", "password_require_digit", "password_require_upper",
    "password_require_lower", "password_require_special", "password_refuse_common", "password_refuse_personal",
    "password_history", "lockout_failures", "lockout_minutes", "session_idle_minutes", "session_absolute_hours",
    "one_time_password_days", "password_reset_by_email", "staff_second_factor_required",
]


MODULE_FIELDS = ["module_meters", "module_failures", "module_announcements", "module_documents",
                 "module_online_payments", "module_fee_notices", "module_matters"]


class ModulesForm(forms.ModelForm):
    class Meta:
        model = InstanceSettings
        # A module's own choice beside its switch.
        fields = [*MODULE_FIELDS, "matters_certificate_auto"]

    def clean_module_online_payments(self) -> bool:
        switched_on = self.cleaned_data["module_online_payments"]
        # Only switching it on is refused: a module already on is not turned off behind the admin's back.
        if switched_on and not self.instance.module_online_payments and not gateway_ready(gateway_settings_get()):
            raise forms.ValidationError(_(
                "Online payments cannot be switched on yet: first choose the payment gateway and enter all its "
                "credentials under Configuration → Online payments."), code="gateway_not_ready")
        return switched_on


class SignInPolicyForm(forms.ModelForm):
    class Meta:
        model = InstanceSettings
        fields = SIGN_IN_FIELDS


class ColourInput(forms.TextInput):
    input_type = "color"


class AppearanceForm(forms.Form):
    """The cooperative's name, colours and logo, as residents see them."""

    name = forms.CharField(label=_("Cooperative's name"), max_length=200,
                           help_text=_("As residents see it at the top of every page and in letters."))
    brand_primary = forms.CharField(
        label=_("Main colour"), required=False, widget=ColourInput,
        help_text=_("The page header, buttons and links. White text must be readable on it (contrast at least "
                    "4.5:1)."))
    brand_accent = forms.CharField(
        label=_("Menu colour"), required=False, widget=ColourInput,
        help_text=_("The menu bar under the header. White text must be readable on it (contrast at least 4.5:1)."))
    default_colours = forms.BooleanField(label=_("Use the platform's colours"), required=False)
    logo = forms.FileField(label=_("New logo"), required=False,
                           help_text=_("PNG, JPEG or WebP, at most 1 MB and 2000 pixels per side. Shown in the "
                                       "header of every page."))
    logo_remove = forms.BooleanField(label=_("Remove the logo"), required=False)

    def clean_brand_primary(self) -> str:
        return self._colour("brand_primary", DEFAULT_PRIMARY)

    def clean_brand_accent(self) -> str:
        return self._colour("brand_accent", DEFAULT_ACCENT)

    def _colour(self, name: str, default: str) -> str:
        value = colour_clean(self.cleaned_data.get(name, ""), label=str(self.fields[name].label))
        # The picker always sends a colour: the platform's own one means "no colour of our own".
        return "" if value == default else value

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        return logo_validate(upload) if upload else None

    def clean(self):
        data = super().clean()
        if data.get("default_colours"):
            data["brand_primary"] = data["brand_accent"] = ""
            self.errors.pop("brand_primary", None)
            self.errors.pop("brand_accent", None)
        if data.get("logo") and data.get("logo_remove"):
            raise forms.ValidationError(_("Either send a new logo or remove the current one, not both."))
        return data


class EmailSenderForm(forms.ModelForm):
    class Meta:
        model = InstanceSettings
        fields = ["email_sender_name", "email_sender_address"]
        help_texts = {
            "email_sender_address": _("Empty: the platform's address. Use an address in your own domain only when "
                                      "the platform's mail server may send for it (SPF/DKIM), otherwise residents' "
                                      "mailboxes may reject the messages."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The example is the cooperative's own name, not the demo's.
        self.fields["email_sender_name"].help_text = _(
            "Shown to residents as the sender, e.g. “%(name)s – Administracja”. Empty: the cooperative's name.") % {
            "name": cooperative_current().name}

    def clean_email_sender_address(self) -> str:
        """Not on the platform's own domain (or a subdomain of it): mail from there is trusted as the platform's,
        so one cooperative could write as the platform, or as another cooperative, to anyone."""
        address = self.cleaned_data["email_sender_address"].strip()
        domain = address.rpartition("@")[2].lower().rstrip(".")
        platform_domains = {settings.BASE_DOMAIN.lower(), parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
                            .lower()} - {""}
        if any(domain == own or domain.endswith(f".{own}") for own in platform_domains):
            raise forms.ValidationError(
                _("The sender's address may not be in the platform's domain (%(domain)s): use your cooperative's "
                  "own domain, or leave the field empty for the platform's address.")
                % {"domain": settings.BASE_DOMAIN}, code="platform_domain")
        return address

    def clean_email_sender_name(self) -> str:
        name = " ".join(self.cleaned_data["email_sender_name"].split())
        if any(character in name for character in "<>\"@"):
            raise forms.ValidationError(_("The sender's name may not contain the characters < > \" @."))
        return name


class PaymentsForm(forms.ModelForm):
    # Typed with dashes, spaces or "PL" as it is printed; stored as its 10 digits.
    payment_nip = forms.CharField(
        label=_("NIP of the cooperative"), max_length=20, required=False,
        help_text=_("Ten digits, with or without dashes, e.g. 644-100-10-03. It goes into the QR code on residents' "
                    "“How to pay”; empty: a code without a NIP."))

    class Meta:
        model = InstanceSettings
        fields = ["payment_nip", "payment_day"]

    def clean_payment_nip(self) -> str:
        value = self.cleaned_data["payment_nip"].strip()
        if not value:
            return ""
        try:
            return nip.validate(value.removeprefix("PL").removeprefix("pl"))
        except nip.ValidationError:
            raise forms.ValidationError(
                _("This is not a valid NIP: it has 10 digits and its last digit is a check digit that must match the "
                  "others.")) from None


# The credentials' labels as each gateway's panel names them (gateway.CREDENTIAL_FIELDS gives the order).
CREDENTIAL_LABELS: "dict[str, dict[str, StrOrPromise]]" = {
    Gateway.PAYU: {"pos_id": _("Point of sale id (pos_id)"), "second_key": _("Second key (MD5)"),
                   "oauth_id": _("Client id (OAuth)"), "oauth_secret": _("Client secret (OAuth)")},
    Gateway.PAYNOW: {"api_key": pgettext_lazy("payment gateway", "API key"), "signature_key": _("Signature key")},
}


def credential_field_name(gateway: str, name: str) -> str:
    return f"{gateway}_{name}"


class GatewaySettingsForm(forms.ModelForm):
    """The cooperative's payment gateway. The credentials are typed, never shown: an empty field keeps what
    is stored (for the same gateway). The simulator is offered only where the platform runs one."""

    class Meta:
        model = GatewaySettings
        fields = ["gateway", "environment", "minimum_amount", "resident_pays_fee", "fee_fixed", "fee_percent",
                  "unbooked_after_days"]
        localized_fields = ["minimum_amount", "fee_fixed", "fee_percent"]
        widgets = {"gateway": forms.RadioSelect, "environment": forms.RadioSelect}
        help_texts = {
            "fee_fixed": _("What the gateway charges per payment, as in your contract with it."),
            "fee_percent": _("What the gateway charges as a percentage of the amount, e.g. 1,2."),
            "unbooked_after_days": _("An online payment the accounting system's import has not booked after so "
                                     "many days is listed for the office, with what to do."),
        }

    def __init__(self, *args, stored_credentials: dict[str, str], module_on: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stored_gateway = self.instance.gateway
        self.stored_credentials = stored_credentials
        self.module_on = module_on
        gateway_field = self.fields["gateway"]
        gateway_field.required = True
        gateway_field.choices = list(Gateway.choices)  # type: ignore[attr-defined]
        environments = [choice for choice in GatewayEnvironment.choices
                        if choice[0] != GatewayEnvironment.SIMULATOR or settings.PAYMENTS_SIMULATOR_URL]
        self.fields["environment"].choices = environments  # type: ignore[attr-defined]
        for decimal_name in ("minimum_amount", "fee_fixed", "fee_percent"):
            self.fields[decimal_name].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        for gateway, names in CREDENTIAL_FIELDS.items():
            for name in names:
                self.fields[credential_field_name(gateway, name)] = forms.CharField(
                    label=CREDENTIAL_LABELS[gateway][name], required=False, max_length=200, strip=True,
                    widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}))

    def credential_fields(self, gateway: str) -> list:
        return [self[credential_field_name(gateway, name)] for name in CREDENTIAL_FIELDS[gateway]]

    def credentials(self) -> dict[str, str]:
        """What was typed for the chosen gateway (empty: keep the stored one)."""
        gateway = self.cleaned_data["gateway"]
        return {name: self.cleaned_data.get(credential_field_name(gateway, name), "")
                for name in CREDENTIAL_FIELDS[gateway]}

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}

    def clean(self):
        data = super().clean()
        gateway = data.get("gateway")
        if gateway and self.module_on:
            # Residents are paying now: the settings saved must leave every credential in place.
            kept = self.stored_credentials if gateway == self.stored_gateway else {}
            missing = [name for name in CREDENTIAL_FIELDS[gateway]
                       if not (data.get(credential_field_name(gateway, name)) or kept.get(name))]
            if missing:
                raise forms.ValidationError(_(
                    "Online payments are switched on, so every credential of the chosen gateway must be entered. "
                    "Enter them all, or switch the module off first."))
        return data


class DomainAddForm(forms.Form):
    domain = forms.CharField(label=_("Address (domain)"), max_length=253,
                             help_text=_("The name residents will type, e.g. iok.smhutnik.pl (without https://)."),
                             widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                                           "autocapitalize": "none", "inputmode": "url"}))


class OldLinkForm(forms.Form):
    from_path = forms.CharField(label=_("Old address (path)"), max_length=500,
                                help_text=_("As on the old portal, from the “/” after the domain, e.g. "
                                            "/InetObsKontr/LoginPage."),
                                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                                              "autocapitalize": "none"}))
    to_path = forms.CharField(label=_("New address (path)"), max_length=500,
                              help_text=_("A page of IOK, e.g. /logowanie/."),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                                            "autocapitalize": "none"}))
