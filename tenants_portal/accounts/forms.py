from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from .passwords import (
    ONE_TIME_PASSWORD_EXPIRED,
    one_time_password_expired,
    password_policy_current,
    password_policy_rules,
)


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


class PolicySetPasswordForm(_PolicyNewPassword, auth_forms.SetPasswordForm):
    """New password after an e-mail reset."""


class SecondFactorCodeForm(forms.Form):
    """The code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(label=_("Code"), max_length=32, strip=True, widget=forms.TextInput(attrs={
        "autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "none", "spellcheck": "false"}))
