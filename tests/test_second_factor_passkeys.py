"""Passkeys as the second factor of staff and operators: added at the set-up step or on the status page, passing
the sign-in's second step and the 15-minute check, counted in the lockout when wrong, removed under the rule that
a required second factor never goes to zero; and the resident's e-mail when the office removes their passkeys.
The authenticator is tests/webauthn_authenticator.py's (the browser's side: tests/e2e/test_passkeys.py)."""

import datetime
import json
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.db import connection
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants_portal.accounts.models import Passkey, User
from tenants_portal.accounts.second_factor import recovery_codes_regenerate
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget

from .conftest import (
    PASSWORD,
    CooperativeFixture,
    notices_deliver_waiting,
    sign_in_with_code,
    totp_code,
    totp_device_give,
)
from .webauthn_authenticator import SoftAuthenticator, b64

SECOND_STEP = "/logowanie/drugi-krok/"
ENROL = "/logowanie/aplikacja-uwierzytelniajaca/"
CHECK_OPTIONS = "/logowanie/drugi-krok/klucz/wyzwanie/"
CHECK = "/logowanie/drugi-krok/klucz/"
ADD_OPTIONS = "/logowanie/drugi-krok/nowy-klucz/wyzwanie/"
ADD = "/logowanie/drugi-krok/nowy-klucz/"
STATUS = "/konto/drugi-skladnik/"
STEP_UP = "/konto/potwierdz-kodem/"
T0 = datetime.datetime(2026, 11, 16, 9, 0, 10, tzinfo=datetime.UTC)
NEW_STAFF = {"first_name": "Nowa", "last_name": "Osoba", "login": "n.osoba", "email": "", "role": User.Role.CLERK}


def _post_json(client: Client, path: str, data: dict[str, Any] | None = None, **extra: Any):
    return client.post(path, json.dumps(data or {}), content_type="application/json", **extra)


def _policy(coop: CooperativeFixture, *, on: bool) -> None:
    with coop.use():
        InstanceSettings.objects.filter(pk=1).update(staff_second_factor_required=on)
        instance_settings_forget()


def _add(client: Client, authenticator: SoftAuthenticator, *, origin: str, name: str = "Klucz USB"):
    options = _post_json(client, ADD_OPTIONS).json()
    credential = authenticator.create(options, origin=origin)
    return _post_json(client, ADD, {"name": name, "credential": credential})


def _staff_with_passkey(coop: CooperativeFixture, user: User, authenticator: SoftAuthenticator) -> None:
    """`user` has an authenticator app (with recovery codes) and adds a passkey on the status page (a code checked
    just now)."""
    with coop.use():
        totp_device_give(user)
        recovery_codes_regenerate(user=user)
    client = sign_in_with_code(coop.client(), username=user.username)
    assert _add(client, authenticator, origin=f"http://{coop.host}").json() == {"redirect": STATUS}


def _check(client: Client, authenticator: SoftAuthenticator, *, origin: str, next_url: str = "", ip: str = "127.0.0.1"):
    options = _post_json(client, CHECK_OPTIONS, REMOTE_ADDR=ip).json()
    credential = authenticator.get(options, origin=origin)
    return options, _post_json(client, CHECK, {"credential": credential, "next": next_url}, REMOTE_ADDR=ip)


def _audit(coop: CooperativeFixture, *actions: AuditAction) -> list[tuple[str, str]]:
    with coop.use():
        return list(AuditEvent.objects.filter(action__in=actions).order_by("id").values_list("action", "target"))


# ---- adding one ------------------------------------------------------------------------------------

def test_at_the_set_up_step_staff_add_a_passkey_instead_of_the_app_and_are_signed_in(coop_a):
    _policy(coop_a, on=True)
    client = coop_a.client()
    assert client.post("/logowanie/", {"username": "biuro", "password": PASSWORD})["Location"] == SECOND_STEP
    assert client.get(SECOND_STEP)["Location"] == ENROL
    assert "Dodaj klucz dostępu" in client.get(ENROL).content.decode()
    options = _post_json(client, ADD_OPTIONS).json()
    assert options["rp"]["id"] == "alfa.localhost" and options["user"]["name"] == "biuro"
    response = _post_json(client, ADD, {"name": "Klucz USB",
                                        "credential": SoftAuthenticator().create(options, origin="http://alfa.localhost")})
    # The first second factor comes with recovery codes, shown once; then the console.
    assert response.json() == {"redirect": "/konto/drugi-skladnik/kody/"}
    assert len(client.get("/konto/drugi-skladnik/kody/").context["codes"]) == 10
    assert client.get("/biuro/").status_code == 200
    with coop_a.use():
        assert list(Passkey.objects.values_list("user__username", "name")) == [("biuro", "Klucz USB")]
        assert StaticToken.objects.filter(device__user=coop_a.clerk).count() == 10
    assert _audit(coop_a, AuditAction.PASSKEY_ADDED, AuditAction.LOGIN_SUCCEEDED) == [
        (AuditAction.PASSKEY_ADDED, "biuro"), (AuditAction.LOGIN_SUCCEEDED, "biuro")]


def test_a_password_alone_cannot_add_a_passkey_beside_a_factor_already_set_up(coop_a):
    with coop_a.use():
        totp_device_give(coop_a.admin)
    client = coop_a.client()
    client.post("/logowanie/", {"username": "admin", "password": PASSWORD})
    assert _post_json(client, ADD_OPTIONS).status_code == 403
    assert _post_json(client, ADD, {"name": "X", "credential": {}}).status_code == 403
    assert "_auth_user_id" not in client.session
    with coop_a.use():
        assert Passkey.objects.count() == 0


def test_the_status_page_adds_a_passkey_only_after_a_check_within_15_minutes(coop_a):
    with coop_a.use():
        totp_device_give(coop_a.admin)
        codes = recovery_codes_regenerate(user=coop_a.admin)
    client = coop_a.client()
    with time_machine.travel(T0, tick=False):
        sign_in_with_code(client, username="admin")
    with time_machine.travel(T0 + datetime.timedelta(minutes=16), tick=False):
        page = client.get(STATUS)
        assert page.context["recent"] is False and 'data-passkey-add' not in page.content.decode()
        assert _post_json(client, ADD_OPTIONS).status_code == 403
    with time_machine.travel(T0 + datetime.timedelta(minutes=5), tick=False):
        assert 'data-passkey-add' in client.get(STATUS).content.decode()
        assert _add(client, SoftAuthenticator(), origin="http://alfa.localhost").json() == {"redirect": STATUS}
        page = client.get(STATUS).content.decode()
    assert "Klucz USB" in page and "jeszcze nieużywany" in page
    # Recovery codes came with the app; adding a passkey leaves them as they are.
    with coop_a.use():
        assert sorted(StaticToken.objects.filter(device__user=coop_a.admin).values_list("token", flat=True)) == sorted(
            codes)


# ---- the second step and the 15-minute check -------------------------------------------------------------

def test_a_passkey_passes_the_second_step_only_with_that_users_passkeys_allowed(coop_a):
    authenticator = SoftAuthenticator()
    _staff_with_passkey(coop_a, coop_a.admin, authenticator)
    client = coop_a.client()
    client.post("/logowanie/", {"username": "admin", "password": PASSWORD})
    assert "Użyj klucza dostępu" in client.get(SECOND_STEP).content.decode()
    options, response = _check(client, authenticator, origin="http://alfa.localhost", next_url="/biuro/")
    with coop_a.use():
        passkey = Passkey.objects.get()
    assert options["rpId"] == "alfa.localhost"
    assert [item["id"] for item in options["allowCredentials"]] == [b64(bytes(passkey.credential_id))]
    assert response.json() == {"redirect": "/konto/"}
    assert int(client.session["_auth_user_id"]) == coop_a.admin.pk
    assert client.get("/biuro/").status_code == 200
    with coop_a.use():
        passkey.refresh_from_db()
        assert passkey.last_used_at is not None and passkey.sign_count == 1


def test_another_users_passkey_is_refused_and_wrong_assertions_count_toward_the_lockout(coop_a):
    _staff_with_passkey(coop_a, coop_a.admin, SoftAuthenticator())
    clerks = SoftAuthenticator()
    _staff_with_passkey(coop_a, coop_a.clerk, clerks)
    client = coop_a.client()
    client.post("/logowanie/", {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="10.9.0.1")
    statuses = [_check(client, clerks, origin="http://alfa.localhost", ip="10.9.0.1")[1].status_code
                for _ in range(5)]
    # Five failures of this login lock it, the same limit as wrong codes and passwords.
    assert statuses == [400] * 4 + [429]
    assert _post_json(client, CHECK_OPTIONS, REMOTE_ADDR="10.9.0.1").status_code == 429
    assert "_auth_user_id" not in client.session
    with coop_a.use():
        assert AccessAttempt.objects.get(username="admin").failures_since_start == 5
        assert Passkey.objects.get(user=coop_a.clerk).sign_count == 0
    assert len(_audit(coop_a, AuditAction.LOGIN_FAILED)) == 5


def test_an_answer_without_its_challenge_is_refused(coop_a):
    authenticator = SoftAuthenticator()
    _staff_with_passkey(coop_a, coop_a.admin, authenticator)
    client = coop_a.client()
    client.post("/logowanie/", {"username": "admin", "password": PASSWORD})
    options = _post_json(client, CHECK_OPTIONS).json()
    credential = authenticator.get(options, origin="http://alfa.localhost")
    assert _post_json(client, CHECK, {"credential": credential}).status_code == 200
    # Replayed in another half-signed-in browser: no challenge of its own was answered.
    other = coop_a.client()
    other.post("/logowanie/", {"username": "admin", "password": PASSWORD})
    assert _post_json(other, CHECK, {"credential": credential}).status_code == 400
    assert "_auth_user_id" not in other.session


def test_a_passkey_satisfies_the_15_minute_check_of_a_sensitive_action(coop_a):
    authenticator = SoftAuthenticator()
    with time_machine.travel(T0, tick=False):
        _staff_with_passkey(coop_a, coop_a.admin, authenticator)
        client = coop_a.client()
        client.post("/logowanie/", {"username": "admin", "password": PASSWORD})
        _check(client, authenticator, origin="http://alfa.localhost")
    with time_machine.travel(T0 + datetime.timedelta(minutes=16), tick=False):
        refused = client.post("/biuro/pracownicy/", NEW_STAFF)
        assert refused["Location"] == f"{STEP_UP}?next=%2Fbiuro%2Fpracownicy%2F"
        assert "Użyj klucza dostępu" in client.get(refused["Location"]).content.decode()
        _options, response = _check(client, authenticator, origin="http://alfa.localhost",
                                    next_url="/biuro/pracownicy/")
        assert response.json() == {"redirect": "/biuro/pracownicy/"}
        assert client.post("/biuro/pracownicy/", NEW_STAFF)["Location"] == "/biuro/pracownicy/haslo-jednorazowe/"


def test_a_residents_passkey_is_no_second_factor(coop_a):
    with coop_a.use():
        Passkey.objects.create(user=coop_a.resident, name="Telefon", credential_id=b"r", public_key=b"k",
                               user_handle=b"h")
    client = coop_a.client()
    assert client.post("/logowanie/", {"username": "lokator", "password": PASSWORD})["Location"] == "/konto/"
    assert client.get(STATUS).status_code == 404
    assert _post_json(client, CHECK_OPTIONS).status_code == 400


# ---- removing one -----------------------------------------------------------------------------------

def test_the_only_second_factor_cannot_be_removed_while_the_policy_requires_one(coop_a):
    _policy(coop_a, on=True)
    client = coop_a.client()
    client.post("/logowanie/", {"username": "biuro", "password": PASSWORD})
    _add(client, SoftAuthenticator(), origin="http://alfa.localhost")
    with coop_a.use():
        passkey = Passkey.objects.get()
    response = client.post(f"/konto/drugi-skladnik/klucze/{passkey.pk}/usun/")
    assert response["Location"] == STATUS
    assert "jedynym drugim składnikiem" in client.get(STATUS).content.decode()
    with coop_a.use():
        assert Passkey.objects.filter(pk=passkey.pk).exists()
    assert _audit(coop_a, AuditAction.PASSKEY_REMOVED) == []
    # With the app set up as well, the passkey can go.
    with coop_a.use():
        totp_device_give(coop_a.clerk)
    assert client.post(f"/konto/drugi-skladnik/klucze/{passkey.pk}/usun/")["Location"] == STATUS
    with coop_a.use():
        assert not Passkey.objects.exists()
        assert StaticToken.objects.filter(device__user=coop_a.clerk).count() == 10
    assert _audit(coop_a, AuditAction.PASSKEY_REMOVED) == [(AuditAction.PASSKEY_REMOVED, "biuro")]


def test_with_the_policy_off_the_last_passkey_goes_with_the_recovery_codes(coop_a):
    client = coop_a.client_logged_in_as(coop_a.clerk)
    _add(client, SoftAuthenticator(), origin="http://alfa.localhost")
    client.get("/konto/drugi-skladnik/kody/")
    with coop_a.use():
        passkey = Passkey.objects.get()
    assert client.post(f"/konto/drugi-skladnik/klucze/{passkey.pk}/usun/")["Location"] == STATUS
    with coop_a.use():
        assert not Passkey.objects.exists()
        assert not StaticToken.objects.filter(device__user=coop_a.clerk).exists()
    # Nothing left: the password alone signs in again.
    assert coop_a.client().post("/logowanie/", {"username": "biuro", "password": PASSWORD})["Location"] == "/konto/"


def test_removing_a_passkey_needs_a_check_within_15_minutes_and_only_ones_own(coop_a):
    _staff_with_passkey(coop_a, coop_a.clerk, SoftAuthenticator())
    with coop_a.use():
        passkey = Passkey.objects.get()
        totp_device_give(coop_a.admin)
    admin = coop_a.client()
    with time_machine.travel(T0, tick=False):
        sign_in_with_code(admin, username="admin")
        assert admin.post(f"/konto/drugi-skladnik/klucze/{passkey.pk}/usun/").status_code == 404
    with time_machine.travel(T0 + datetime.timedelta(minutes=16), tick=False):
        assert admin.post(f"/konto/drugi-skladnik/klucze/{passkey.pk}/usun/")["Location"].startswith(STEP_UP)
    with coop_a.use():
        assert Passkey.objects.filter(pk=passkey.pk).exists()
    assert _audit(coop_a, AuditAction.PASSKEY_REMOVED) == []


def test_the_offices_reset_of_a_second_factor_removes_the_passkeys_too(coop_a):
    _staff_with_passkey(coop_a, coop_a.clerk, SoftAuthenticator())
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.post(f"/biuro/pracownicy/{coop_a.clerk.pk}/second-factor-reset/")
    with coop_a.use():
        assert not Passkey.objects.exists() and not TOTPDevice.objects.exists()
    assert _audit(coop_a, AuditAction.SECOND_FACTOR_REMOVED) == [(AuditAction.SECOND_FACTOR_REMOVED, "biuro")]


# ---- operators, on the platform's host ------------------------------------------------------------------

def test_the_passkey_table_exists_in_the_public_schema_for_operators(db):
    assert connection.schema_name == "public"
    assert Passkey._meta.db_table in connection.introspection.table_names()


def test_an_operator_adds_a_passkey_for_the_platforms_host_and_signs_in_with_it(operator):
    authenticator = SoftAuthenticator()
    client = sign_in_with_code(Client(HTTP_HOST="localhost"), username="operator")
    options = _post_json(client, ADD_OPTIONS).json()
    assert options["rp"] == {"id": "localhost", "name": "IOK"}
    credential = authenticator.create(options, origin="http://localhost")
    # The fixture's operator has an app without recovery codes: they come now, shown once.
    response = _post_json(client, ADD, {"name": "Klucz", "credential": credential})
    assert response.json() == {"redirect": "/konto/drugi-skladnik/kody/"}
    again = Client(HTTP_HOST="localhost")
    again.post("/logowanie/", {"username": "operator", "password": PASSWORD})
    options, response = _check(again, authenticator, origin="http://localhost", next_url="/operator/")
    assert options["rpId"] == "localhost"
    assert response.json() == {"redirect": "/operator/"}
    assert again.get("/operator/").status_code == 200
    assert list(AuditEvent.objects.filter(action=AuditAction.PASSKEY_ADDED).values_list("target", flat=True)) == [
        "operator"]


# ---- the resident's notice when the office removes their passkeys ----------------------------------------

@pytest.mark.parametrize("passkeys", [1, 0])
def test_the_office_removing_a_residents_passkeys_tells_the_resident_by_e_mail(coop_a, passkeys):
    with coop_a.use():
        User.objects.filter(pk=coop_a.resident.pk).update(email="lokator@alfa.example",
                                                         email_verified_at=datetime.datetime.now(tz=datetime.UTC))
    if passkeys:
        resident = coop_a.client_logged_in_as(coop_a.resident)
        options = _post_json(resident, "/konto/klucze-dostepu/wyzwanie/").json()
        credential = SoftAuthenticator().create(options, origin="http://alfa.localhost")
        _post_json(resident, "/konto/klucze-dostepu/dodaj/", {"name": "Telefon", "credential": credential})
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    clerk.post(f"/biuro/konta/{coop_a.resident.pk}/passkeys-remove/")
    notices_deliver_waiting(coop_a)
    expected = [(["lokator@alfa.example"], "Usunięto Państwa klucze dostępu")] if passkeys else []
    assert [(message.to, message.subject) for message in mail.outbox] == expected
    if passkeys:
        assert "biuro usunęło 1 klucz dostępu" in mail.outbox[0].body


# ---- what ASVS V6.5 asks of the codes beside the passkeys ---------------------------------------------------

def test_a_totp_code_lives_one_time_step_either_side_and_no_longer(coop_a):
    with coop_a.use():
        totp_device_give(coop_a.admin)
    with time_machine.travel(T0 - datetime.timedelta(minutes=2), tick=False):
        old = totp_code()
    client = coop_a.client()
    with time_machine.travel(T0, tick=False):
        client.post("/logowanie/", {"username": "admin", "password": PASSWORD})
        assert client.post(SECOND_STEP, {"code": old}).status_code == 200
        assert "_auth_user_id" not in client.session


def test_recovery_codes_are_40_random_bits_each(coop_a):
    with coop_a.use():
        codes = recovery_codes_regenerate(user=coop_a.admin)
    # Eight base32 characters from os.urandom(5) (django-otp's StaticToken.random_token).
    assert all(len(code) == 8 and set(code) <= set("abcdefghijklmnopqrstuvwxyz234567") for code in codes)
    assert len(set(codes)) == 10
