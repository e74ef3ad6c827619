"""The forms of the configuration pages (configuration_views)."""

from email.utils import parseaddr

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from stdnum.pl import nip

from cooperatives.selectors import cooperative_current
from tenants_portal.configuration.branding import DEFAULT_ACCENT, DEFAULT_PRIMARY, colour_clean, logo_validate
from tenants_portal.configuration.models import InstanceSettings

SIGN_IN_FIELDS = [
    "password_min_length", "password_require_letter", "password_require_digit", "password_require_upper",
    "password_require_lower", "password_require_special", "password_refuse_common", "password_refuse_personal",
    "password_history", "lockout_failures", "lockout_minutes", "session_idle_minutes", "session_absolute_hours",
    "one_time_password_days", "password_reset_by_email", "staff_second_factor_required",
]


MODULE_FIELDS = ["module_meters", "module_failures", "module_announcements", "module_documents"]


class ModulesForm(forms.ModelForm):
    class Meta:
        model = InstanceSettings
        fields = MODULE_FIELDS


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
        fields = ["payment_nip"]

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
