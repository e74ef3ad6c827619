import uuid

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from .models import User
from .passwords import password_policy_current, password_policy_rules


class LoginForm(auth_forms.AuthenticationForm):
    """Django's sign-in form with the platform's own formal wording (Django's Polish one says "ty")."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _("The login or the password is not correct. Please check both (capital letters "
                           "matter) and try again."),
    }


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


class VerifiedEmailPasswordResetForm(auth_forms.PasswordResetForm):
    """Sends a reset link only to residents whose address is verified; answers the same either way."""

    def get_users(self, email):
        users = User.objects.filter(email__iexact=email, is_active=True, closed_at__isnull=True,
                                    email_verified_at__isnull=False, role=User.Role.RESIDENT)
        return (user for user in users if user.has_usable_password())

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        """Through the outbox like every notice (a security notice: it goes whatever the preferences)."""
        from tenants_portal.notices.models import Notice
        from tenants_portal.notices.services import notice_send

        user = context["user"]
        notice_send(kind=Notice.Kind.PASSWORD_RESET, key=f"password_reset:{uuid.uuid4()}", users=[user],
                    template=email_template_name.removesuffix(".txt"), respect_preferences=False,
                    context={key: context[key] for key in ("uid", "token", "protocol", "domain")})


class PolicySetPasswordForm(_PolicyNewPassword, auth_forms.SetPasswordForm):
    """New password after an e-mail reset."""
