"""Passwords: the one-time password generator and each cooperative's password policy.

The policy is a Django password validator, so every path that sets a password through
`validate_password` — the sign-in forms, the API, `changepassword` — applies the same rules,
and a rejected password is answered with every rule it breaks, not only the first.
"""

import datetime
import secrets
from dataclasses import dataclass
from functools import cache

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tenants.utils import get_public_schema_name

from iok.db import connection

# No 0/O, 1/l/I: a one-time password is read off paper and typed by hand.
_LETTERS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"
# NIST SP 800-63B: allow at least 64 characters; beyond 128 only costs hashing time.
MAX_LENGTH = 128


def one_time_password_generate(*, length: int = 12) -> str:
    """A random initial password (shown once, then changed) that passes any policy's composition rules."""
    alphabet = _LETTERS + _DIGITS
    while True:
        body = [secrets.choice(alphabet) for _ in range(length - 1)]
        if any(c in _DIGITS for c in body) and any(c.isupper() for c in body) and any(c.islower() for c in body):
            break
    body.insert(secrets.randbelow(length), secrets.choice("!#%+=?"))  # and one special character
    return "".join(body)


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int
    require_letter: bool = False
    require_digit: bool = False
    require_upper: bool = False
    require_lower: bool = False
    require_special: bool = False
    refuse_common: bool = True
    refuse_personal: bool = True
    history: int = 0


# Operators on the platform site: NIST SP 800-63B / ASVS level with no composition rules.
PLATFORM_POLICY = PasswordPolicy(min_length=12, history=5)


def password_policy_current() -> PasswordPolicy:
    """The policy of the cooperative whose schema the connection is on."""
    if connection.schema_name == get_public_schema_name():
        return PLATFORM_POLICY
    from tenants_portal.configuration.selectors import instance_settings_get

    s = instance_settings_get()
    return PasswordPolicy(
        min_length=s.password_min_length, require_letter=s.password_require_letter,
        require_digit=s.password_require_digit, require_upper=s.password_require_upper,
        require_lower=s.password_require_lower, require_special=s.password_require_special,
        refuse_common=s.password_refuse_common, refuse_personal=s.password_refuse_personal,
        history=s.password_history,
    )


def one_time_password_expired(*, user) -> bool:
    """An office-issued one-time password not replaced within the cooperative's limit no longer signs in
    (ASVS 6.4.1: initial passwords expire). Operators, on the platform site, choose their own at once."""
    if not user.must_change_password or user.password_changed_at is None:
        return False
    if connection.schema_name == get_public_schema_name():
        return False
    from tenants_portal.configuration.selectors import instance_settings_get

    return timezone.now() - user.password_changed_at > datetime.timedelta(
        days=instance_settings_get().one_time_password_days)


ONE_TIME_PASSWORD_EXPIRED = gettext_lazy(
    "This one-time password has expired. Please ask your cooperative's office for a new one.")


@cache
def _common_passwords() -> frozenset[str]:
    # Django ships the 20,000 most common passwords (lower-cased), the list the password policy checks against.
    return frozenset(CommonPasswordValidator().passwords)


def _personal_words(user) -> list[str]:
    if user is None:
        return []
    words = [user.get_username(), user.first_name, user.last_name]
    return [word.lower() for word in words if word and len(word) >= 3]


def _is_special(character: str) -> bool:
    return not character.isalnum() and not character.isspace()


def password_policy_violations(*, password: str, user=None, policy: PasswordPolicy) -> list[str]:
    """Every rule of the policy that `password` breaks, as sentences for the person choosing it."""
    broken: list[str] = []
    if len(password) < policy.min_length:
        broken.append(ngettext("The password must be at least %(count)d character long.",
                               "The password must be at least %(count)d characters long.",
                               policy.min_length) % {"count": policy.min_length})
    if len(password) > MAX_LENGTH:
        broken.append(_("The password may be at most %(count)d characters long.") % {"count": MAX_LENGTH})
    if policy.require_letter and not any(c.isalpha() for c in password):
        broken.append(_("The password must contain at least one letter."))
    if policy.require_digit and not any(c.isdigit() for c in password):
        broken.append(_("The password must contain at least one digit."))
    if policy.require_upper and not any(c.isupper() for c in password):
        broken.append(_("The password must contain at least one upper-case letter."))
    if policy.require_lower and not any(c.islower() for c in password):
        broken.append(_("The password must contain at least one lower-case letter."))
    if policy.require_special and not any(_is_special(c) for c in password):
        broken.append(_("The password must contain at least one special character, e.g. ! ? # %."))
    if policy.refuse_common and password.lower().strip() in _common_passwords():
        broken.append(_("This password is too common: it is on the list of the most frequently used passwords."))
    if policy.refuse_personal and any(word in password.lower() for word in _personal_words(user)):
        broken.append(_("The password must not contain your login, first name or last name."))
    if user is not None and user.pk is not None:
        if user.password and check_password(password, user.password):
            broken.append(_("The new password must be different from the current one."))
        elif policy.history and any(check_password(password, old) for old in
                                    user.password_history.values_list("password", flat=True)[:policy.history]):
            broken.append(ngettext("The password must differ from your last password.",
                                   "The password must differ from your last %(count)d passwords.",
                                   policy.history) % {"count": policy.history})
    return broken


def password_policy_rules(*, policy: PasswordPolicy) -> list[str]:
    """The policy as a list of requirements, shown beside the field before anything is typed."""
    rules = [ngettext("at least %(count)d character", "at least %(count)d characters",
                      policy.min_length) % {"count": policy.min_length}]
    for required, text in (
        (policy.require_letter, _("at least one letter")),
        (policy.require_digit, _("at least one digit")),
        (policy.require_upper, _("at least one upper-case letter")),
        (policy.require_lower, _("at least one lower-case letter")),
        (policy.require_special, _("at least one special character, e.g. ! ? # %")),
        (policy.refuse_common, _("not one of the commonly used passwords")),
        (policy.refuse_personal, _("not containing your login, first name or last name")),
    ):
        if required:
            rules.append(text)
    if policy.history:
        rules.append(ngettext("different from your last password", "different from your last %(count)d passwords",
                              policy.history) % {"count": policy.history})
    return rules


class CooperativePasswordPolicyValidator:
    """Django password validator applying the current cooperative's policy."""

    def validate(self, password: str, user=None) -> None:
        broken = password_policy_violations(password=password, user=user, policy=password_policy_current())
        if broken:
            raise ValidationError([ValidationError(message, code="password_policy") for message in broken])

    def get_help_text(self) -> str:
        return "; ".join(password_policy_rules(policy=password_policy_current()))
