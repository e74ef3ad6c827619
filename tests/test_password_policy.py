"""Each cooperative's password policy, the same on every path."""

import pytest
from argon2.low_level import Type, hash_secret_raw
from django.contrib.auth.management.commands import changepassword
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from tenants_portal.accounts.models import User
from tenants_portal.accounts.passwords import (
    PasswordPolicy,
    one_time_password_generate,
    password_policy_violations,
)

STRICT = PasswordPolicy(min_length=10, require_letter=True, require_digit=True, require_upper=True,
                        require_lower=True, require_special=True, refuse_common=True, refuse_personal=True)


@pytest.mark.parametrize(("password", "broken"), [
    ("abc12", ["The password must be at least 10 characters long.",
               "The password must contain at least one upper-case letter.",
               "The password must contain at least one special character, e.g. ! ? # %."]),
    ("ABCDEFGHIJK", ["The password must contain at least one digit.",
                     "The password must contain at least one lower-case letter.",
                     "The password must contain at least one special character, e.g. ! ? # %."]),
    ("1234567890!", ["The password must contain at least one letter.",
                     "The password must contain at least one upper-case letter.",
                     "The password must contain at least one lower-case letter."]),
    ("Password123", ["The password must contain at least one special character, e.g. ! ? # %.",
                     "This password is too common: it is on the list of the most frequently used passwords."]),
    ("Kowalski-2026!", ["The password must not contain your login, first name or last name."]),
    ("Żółw-Ćma-2026", []),
    ("x" * 129 + "A1!", ["The password may be at most 128 characters long."]),
])
def test_policy_lists_every_rule_a_password_breaks(db, password, broken):
    user = User(username="jkowalski", first_name="Jan", last_name="Kowalski")
    with translation.override("en"):
        assert password_policy_violations(password=password, user=user, policy=STRICT) == broken


def test_password_123456_is_refused_as_common_even_under_a_lenient_policy(db):
    lenient = PasswordPolicy(min_length=6, require_letter=False, require_digit=True)
    with translation.override("en"):
        assert password_policy_violations(password="123456", user=None, policy=lenient) == [
            "This password is too common: it is on the list of the most frequently used passwords."]


def test_hutnik_policy_in_polish(coop_a):
    with coop_a.use(), translation.override("pl"), pytest.raises(ValidationError) as error:
        validate_password("zielonoscx", user=None)
    assert error.value.messages == ["Hasło musi zawierać co najmniej jedną cyfrę."]


def test_each_cooperative_applies_its_own_policy(coop_a, coop_b):
    with coop_a.use():
        validate_password("Hutnik2026x", user=None)  # 11 characters: fine for min 6
    with coop_b.use(), translation.override("en"), pytest.raises(ValidationError) as error:
        validate_password("Hutnik2026x", user=None)
    assert error.value.messages == ["The password must be at least 12 characters long."]


def test_last_passwords_are_refused(coop_a):
    with coop_a.use():
        user = User.objects.get(pk=coop_a.resident.pk)
        for password in ("Pierwsze1x", "Drugie22x", "Trzecie3x"):
            user.set_password(password)
            user.save()
        with translation.override("en"):
            assert password_policy_violations(password="Drugie22x", user=user, policy=PasswordPolicy(
                min_length=6, history=3)) == ["The password must differ from your last 3 passwords."]
            assert password_policy_violations(password="Trzecie3x", user=user, policy=PasswordPolicy(
                min_length=6, history=3)) == ["The new password must be different from the current one."]


def test_management_command_applies_the_cooperatives_policy(coop_a, monkeypatch):
    typed = iter(["abc", "abc"] * 3)
    monkeypatch.setattr(changepassword.Command, "_get_pass", lambda self, prompt="": next(typed))
    with coop_a.use():
        before = User.objects.get(pk=coop_a.resident.pk).password
        with pytest.raises(CommandError):
            call_command("changepassword", "lokator")
        assert User.objects.get(pk=coop_a.resident.pk).password == before


def test_one_time_passwords_are_random_and_pass_any_composition_rule(db):
    passwords = {one_time_password_generate() for _ in range(50)}
    assert len(passwords) == 50
    with translation.override("en"):
        for password in passwords:
            assert len(password) == 12
            assert password_policy_violations(password=password, user=None, policy=STRICT) == []


def test_admin_sees_the_nist_warning_when_the_minimum_is_below_8(coop_a, coop_b):
    page_a = coop_a.client_logged_in_as(coop_a.admin)
    page_b = coop_b.client_logged_in_as(coop_b.admin)
    warning = "below the 8 characters that NIST SP 800-63B and OWASP ASVS recommend"
    for client in (page_a, page_b):
        client.cookies["django_language"] = "en"
    # Staff land on the console's start page, which carries the warning for admins.
    assert warning in page_a.get("/konto/", follow=True).content.decode()
    assert warning not in page_b.get("/konto/", follow=True).content.decode()
    resident = coop_a.client_logged_in_as(coop_a.resident)
    resident.cookies["django_language"] = "en"
    assert warning not in resident.get("/konto/").content.decode()


@pytest.mark.argon2
def test_argon2id_parameters_are_at_least_owasp_minimum(coop_a):
    with coop_a.use():
        resident = User.objects.get(pk=coop_a.resident.pk)
        resident.set_password("Lokator2026")
        encoded = resident.password
    algorithm, variety, _version, parameters, *_ = encoded.split("$")
    assert (algorithm, variety) == ("argon2", "argon2id")
    assert dict(pair.split("=") for pair in parameters.split(",")) == {"m": "19456", "t": "2", "p": "1"}


def test_installed_argon2_build_gives_the_reference_answer():
    # deploy/argon2-build.sh may have compiled Argon2 for this CPU: it must still be the same function
    # (the expected value is the portable wheel's answer, and libsodium's).
    raw = hash_secret_raw(b"Lokator2026", b"S.M. Hutnik 1958", time_cost=2, memory_cost=19456, parallelism=1,
                          hash_len=32, type=Type.ID)
    assert raw.hex() == "08368d5f290657bc481a4c71d087a4a18f5135619fdf94be2dd07452705a5c99"


def test_api_like_client_without_language_gets_polish(coop_a):
    assert Client(HTTP_HOST=coop_a.host).get("/logowanie/")["Content-Language"] == "pl"
