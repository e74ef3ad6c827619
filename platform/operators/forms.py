from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative
from cooperatives.presets import DEFAULT_POLICY_PRESET, MODULES, MODULES_DEFAULT, POLICY_PRESETS

from .models import SupportGrant
from .services import NOTE_MAX_LENGTH, STATUS_REASON_MAX_LENGTH, cooperative_slug_validate


class OnboardingForm(forms.Form):
    name = forms.CharField(label=_("Full name of the cooperative"), max_length=200,
                           help_text=_("As in its statute, e.g. Spółdzielnia Mieszkaniowa „Testowa”."))
    slug = forms.CharField(label=_("Address name"), max_length=60)
    street = forms.CharField(label=_("Street and number"), max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), max_length=6, validators=[RegexValidator(
        r"^\d{2}-\d{3}$", _("Enter the postal code as 00-000."))])
    city = forms.CharField(label=_("City"), max_length=100)
    admin_email = forms.EmailField(label=_("First admin's e-mail address"), help_text=_(
        "Kept on the admin's account. The login is “admin”; its one-time password is shown on the next page."))
    modules = forms.MultipleChoiceField(label=_("Modules"), required=False, widget=forms.CheckboxSelectMultiple,
                                        choices=list(MODULES.items()), initial=list(MODULES_DEFAULT), help_text=_(
                                            "The cooperative's admin can switch them on and off later."))
    policy = forms.ChoiceField(label=_("Password policy"), widget=forms.RadioSelect, initial=DEFAULT_POLICY_PRESET,
                               choices=[(code, code) for code in POLICY_PRESETS],
                               help_text=_("A starting point: the admin can change every rule later."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].help_text = _(
            "Becomes the cooperative's address, e.g. testowa.%(base)s: lowercase letters (a–z), digits and hyphens."
        ) % {"base": settings.BASE_DOMAIN}
        # Labels in the language of this request (the presets hold lazy translations).
        self.fields["policy"].choices = [
            (preset.code, format_html('{} <span class="preset-description">{}</span>', preset.label,
                                      preset.description))
            for preset in POLICY_PRESETS.values()]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        cooperative_slug_validate(slug=slug)
        return slug


class StatusChangeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=STATUS_REASON_MAX_LENGTH, widget=forms.Textarea(
        attrs={"rows": 3}), help_text=_("Kept in the platform's and the cooperative's audit logs."))
    confirm = forms.BooleanField(label=_("I confirm"), error_messages={"required": _("Tick the box to confirm.")})

    def __init__(self, *args, cooperative: Cooperative, suspending: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = (
            _("I confirm: suspend %(name)s now. Its residents and staff will see only a notice page.")
            if suspending else _("I confirm: reactivate %(name)s now.")) % {"name": cooperative.name}

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise ValidationError(_("Give the reason; it is kept in the audit log."))
        return reason


class SupportGrantForm(forms.Form):
    duration = forms.ChoiceField(label=_("For how long"), widget=forms.RadioSelect,
                                 choices=SupportGrant.Duration.choices, initial=SupportGrant.Duration.DAY)
    note = forms.CharField(label=_("Note for the operators (optional)"), max_length=NOTE_MAX_LENGTH, required=False,
                           help_text=_("E.g. what they should look at. Do not write residents' data here."))
