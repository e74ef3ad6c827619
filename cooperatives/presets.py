"""What an operator chooses when onboarding a cooperative: a password policy preset and its modules.

A preset is a starting point for the cooperative's own settings (tenants_portal.configuration); its
admin can change every value afterwards under "Passwords and sign-in" and "Modules".
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PolicyPreset:
    code: str
    label: Promise
    description: Promise
    settings: dict = field(default_factory=dict)


_COMPOSITION_OFF = {"password_require_letter": False, "password_require_digit": False,
                    "password_require_upper": False, "password_require_lower": False,
                    "password_require_special": False}

POLICY_PRESETS: dict[str, PolicyPreset] = {preset.code: preset for preset in (
    PolicyPreset(
        "standard", _("Standard (NIST SP 800-63B)"),
        _("At least 12 characters, no composition rules; common passwords and the login or name refused; "
          "lockout after 5 failures for 15 minutes."),
        {"password_min_length": 12, **_COMPOSITION_OFF, "password_refuse_common": True,
         "password_refuse_personal": True, "password_history": 0, "lockout_failures": 5, "lockout_minutes": 15,
         "session_idle_minutes": 30, "session_absolute_hours": 8}),
    PolicyPreset(
        "like_hutnik", _("Like S.M. „Hutnik”'s regulation"),
        _("At least 6 characters with a letter and a digit; common passwords, the login or name and the last "
          "3 passwords refused. Below the NIST and OWASP recommendation of 8 characters; its admin is told so."),
        {"password_min_length": 6, **_COMPOSITION_OFF, "password_require_letter": True,
         "password_require_digit": True, "password_refuse_common": True, "password_refuse_personal": True,
         "password_history": 3, "lockout_failures": 5, "lockout_minutes": 15, "session_idle_minutes": 30,
         "session_absolute_hours": 8}),
    PolicyPreset(
        "strict", _("Strict"),
        _("At least 12 characters with upper- and lower-case letters, a digit and a special character; the "
          "last 5 passwords refused; lockout after 5 failures for 30 minutes; sign-out after 15 idle minutes."),
        {"password_min_length": 12, "password_require_letter": True, "password_require_digit": True,
         "password_require_upper": True, "password_require_lower": True, "password_require_special": True,
         "password_refuse_common": True, "password_refuse_personal": True, "password_history": 5,
         "lockout_failures": 5, "lockout_minutes": 30, "session_idle_minutes": 15, "session_absolute_hours": 8}),
)}
DEFAULT_POLICY_PRESET = "standard"

# The switchable modules (tenants_portal.modules), each an InstanceSettings.module_<code> field.
MODULES: dict[str, Promise] = {
    "meters": _("meter readings"),
    "failures": _("failure reports"),
    "announcements": _("announcements"),
    "documents": _("documents"),
    "fee_notices": _("fee change notices"),
    "matters": _("matters with the office"),
}
# What a new cooperative starts with when nobody chooses: every module but the fee change notices, which take
# over a legal act (its deadlines and proof of delivery) and wait until the cooperative asks for them.
MODULES_DEFAULT: tuple[str, ...] = ("meters", "failures", "announcements", "documents")
