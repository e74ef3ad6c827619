"""Forms of the resident's own account that need the account lifecycle or the regulation: accepting the
regulation, contact data, a forgotten password."""

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from tenants_portal.accounts.models import User

from .services import email_change_check, password_reset_request


class RegulationAcceptForm(forms.Form):
    accept = forms.BooleanField(label=_("I have read the regulation and I accept it"), required=True,
                                error_messages={"required": _("To use the online account you must accept the "
                                                              "regulation.")})


class ContactForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), required=False,
                             help_text=_("We send a link to confirm it. Notices go only to a confirmed address."))
    phone = forms.RegexField(label=_("Phone"), required=False, regex=r"^\+?[0-9 ()-]{9,20}$", max_length=20,
                             error_messages={"invalid": _("Enter a phone number of 9 digits, e.g. 600 123 456.")})
    # The address is how a forgotten password is recovered: changing it takes the password, as changing that does.
    current_password = forms.CharField(
        label=_("Current password"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Needed only to change the e-mail address."))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    @property
    def checks_password(self) -> bool:
        """Whether validating this form checks the current password (it counts against the rate limit)."""
        return bool(self.data.get("current_password"))

    def clean(self):
        data = super().clean()
        if "email" in data:
            try:
                email_change_check(user=self.user, email=data["email"],
                                   current_password=data.get("current_password", ""))
            except forms.ValidationError as error:
                self.add_error("current_password", error)
        return data


class VerifiedEmailPasswordResetForm(auth_forms.PasswordResetForm):
    """The address only: whether an account has it is looked up later, by a background job, so that the
    answer, and the time it takes, are the same either way (services.password_reset_request)."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        password_reset_request(email=self.cleaned_data["email"])
