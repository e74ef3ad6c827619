from django import forms

from .models import InstanceSettings

SIGN_IN_FIELDS = [
    "password_min_length", "password_require_letter", "password_require_digit", "password_require_upper",
    "password_require_lower", "password_require_special", "password_refuse_common", "password_refuse_personal",
    "password_history", "lockout_failures", "lockout_minutes", "session_idle_minutes", "session_absolute_hours",
    "password_reset_by_email",
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
