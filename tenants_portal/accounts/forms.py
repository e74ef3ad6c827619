from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from .models import User
from .passwords import (
    ONE_TIME_PASSWORD_EXPIRED,
    one_time_password_expired,
    password_policy_current,
    password_policy_rules,
)
from .services import email_change_check


class LoginForm(auth_forms.AuthenticationForm):
    """Django's sign-in form with the platform's own formal wording (Django's Polish one says "ty"), and
    one-time passwords that expire."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _("The login or the password is not correct. Please check both (capital letters "
                           "matter) and try again."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # Said only to whoever typed the right one-time password: it reveals nothing to anyone else.
        if one_time_password_expired(user=user):
            raise forms.ValidationError(ONE_TIME_PASSWORD_EXPIRED, code="one_time_password_expired")


class _PolicyNewPassword:
    """The new password twice, with the cooperative's rules listed beside it; every rule is checked
    against the first field, even when the repeat is missing or differs, so that the person sees at
    once everything the password breaks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = ""
        self.fields["new_password2"].label = _("Repeat the new password")

    @property
    def rules(self) -> list[str]:
        return password_policy_rules(policy=password_policy_current())

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class PasswordChangeForm(_PolicyNewPassword, auth_forms.PasswordChangeForm):
    """The current password (at first sign-in the one-time one), then the new one twice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["old_password"].help_text = _("At first sign-in: the one-time password from the office.")
        for name in ("old_password", "new_password1", "new_password2"):
            self.fields[name].widget.attrs.pop("autofocus", None)


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

    def save(self, **kwargs) -> None:
        from .services import password_reset_request

        password_reset_request(email=self.cleaned_data["email"])


class PolicySetPasswordForm(_PolicyNewPassword, auth_forms.SetPasswordForm):
    """New password after an e-mail reset."""
