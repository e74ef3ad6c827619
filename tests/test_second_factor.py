"""The second factor of staff and operators: TOTP (codes computed here from the secret) and single-use
recovery codes; the per-cooperative policy; the lockout; the 15-minute check before sensitive actions."""

import base64
import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants_portal.accounts.models import User
from tenants_portal.accounts.second_factor import recovery_codes_regenerate
from tenants_portal.api.models import ApiKey
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.console.configuration_forms import SIGN_IN_FIELDS

from .api_world import api_client, token_for
from .conftest import PASSWORD, TOTP_KEY, notices_deliver_waiting, sign_in_with_code, totp_code, totp_device_give

SECOND_STEP = "/logowanie/drugi-krok/"
ENROL = "/logowanie/aplikacja-uwierzytelniajaca/"
CODES = "/konto/drugi-skladnik/kody/"
STEP_UP = "/konto/potwierdz-kodem/"
# A fixed moment in the middle of a 30-second TOTP step, so a test's codes never straddle two steps.
T0 = datetime.datetime(2026, 11, 16, 9, 0, 10, tzinfo=datetime.UTC)


def _policy(coop, *, on: bool) -> None:
    with coop.use():
        InstanceSettings.objects.filter(pk=1).update(staff_second_factor_required=on)
        instance_settings_forget()


def _give_device(coop, user: User) -> None:
    with coop.use():
        totp_device_give(user)


def _audit(coop, *actions: AuditAction) -> list[tuple[str, str]]:
    with coop.use():
        return list(AuditEvent.objects.filter(action__in=actions).order_by("id").values_list("action", "target"))


def _password(client: Client, login: str, password: str = PASSWORD):
    return client.post("/logowanie/", {"username": login, "password": password})


# ---- enrolment -----------------------------------------------------------------------------------

def test_with_the_policy_on_staff_without_a_device_set_one_up_and_reach_nothing_else_before(coop_a):
    _policy(coop_a, on=True)
    client = coop_a.client()
    with time_machine.travel(T0, tick=False):
        assert _password(client, "biuro")["Location"] == SECOND_STEP
        # Not signed in yet: every other page sends to the sign-in page.
        assert "_auth_user_id" not in client.session
        assert client.get("/biuro/")["Location"].startswith("/logowanie/")
        assert client.get(SECOND_STEP)["Location"] == ENROL
        page = client.get(ENROL)
        secret = page.context["secret"]
        assert '<svg role="img" aria-label="' in page.content.decode()
        assert secret in page.content.decode()
        key = base64.b32decode(secret).hex()

        wrong = client.post(ENROL, {"code": "000000" if totp_code(key) != "000000" else "111111"})
        assert wrong.status_code == 200 and wrong.context["form"].errors["code"]
        assert "_auth_user_id" not in client.session
        assert client.post(ENROL, {"code": totp_code(key)})["Location"] == CODES
        codes = client.get(CODES).context["codes"]
        assert len(codes) == 10 == len(set(codes))
        # Shown once: the page does not show them again.
        assert client.get(CODES)["Location"] == "/konto/drugi-skladnik/"
        assert client.get("/biuro/").status_code == 200
    with coop_a.use():
        assert TOTPDevice.objects.get(user=coop_a.clerk, confirmed=True).key == key
        assert StaticToken.objects.filter(device__user=coop_a.clerk).count() == 10
    assert _audit(coop_a, AuditAction.SECOND_FACTOR_ENROLLED, AuditAction.LOGIN_SUCCEEDED) == [
        (AuditAction.SECOND_FACTOR_ENROLLED, "biuro"), (AuditAction.LOGIN_SUCCEEDED, "biuro")]


def test_a_password_alone_cannot_replace_an_app_already_set_up(coop_a):
    _give_device(coop_a, coop_a.admin)
    client = coop_a.client()
    assert _password(client, "admin")["Location"] == SECOND_STEP
    assert client.get(ENROL)["Location"] == SECOND_STEP
    assert client.post(ENROL, {"code": "123456"})["Location"] == SECOND_STEP
    assert "_auth_user_id" not in client.session
    with coop_a.use():
        assert list(TOTPDevice.objects.filter(user=coop_a.admin).values_list("key", "confirmed")) == [(TOTP_KEY, True)]


def test_the_second_step_expires_and_then_needs_the_password_again(coop_a):
    _give_device(coop_a, coop_a.admin)
    client = coop_a.client()
    with time_machine.travel(T0, tick=False):
        _password(client, "admin")
    with time_machine.travel(T0 + datetime.timedelta(minutes=6), tick=False):
        assert client.post(SECOND_STEP, {"code": totp_code()})["Location"] == "/logowanie/"
    assert "_auth_user_id" not in client.session


# ---- signing in ----------------------------------------------------------------------------------

def test_a_device_is_asked_for_even_with_the_policy_off_and_the_right_code_signs_in(coop_a):
    _give_device(coop_a, coop_a.admin)
    client = coop_a.client()
    with time_machine.travel(T0, tick=False):
        assert _password(client, "admin")["Location"] == SECOND_STEP
        assert client.post(SECOND_STEP, {"code": totp_code()})["Location"] == "/konto/"
        assert client.get("/biuro/").status_code == 200
    # The same code is not accepted twice (a code seen over a shoulder is spent).
    other = coop_a.client()
    with time_machine.travel(T0 + datetime.timedelta(seconds=5), tick=False):
        _password(other, "admin")
        assert other.post(SECOND_STEP, {"code": totp_code()}).status_code == 200
    assert "_auth_user_id" not in other.session


def test_wrong_codes_count_toward_the_same_lockout_as_wrong_passwords(coop_a):
    _give_device(coop_a, coop_a.admin)
    client = coop_a.client()
    with time_machine.travel(T0, tick=False):
        wrong = "000000" if totp_code() != "000000" else "111111"
        assert client.post("/logowanie/", {"username": "admin", "password": "zle-haslo-1"}).status_code == 200
        assert _password(client, "admin")["Location"] == SECOND_STEP
        for _ in range(3):
            assert client.post(SECOND_STEP, {"code": wrong}).status_code == 200
        # The fifth failure of this login (one password, four codes) locks it.
        assert client.post(SECOND_STEP, {"code": wrong}).status_code == 429
        assert client.post(SECOND_STEP, {"code": totp_code()}).status_code == 429
        with coop_a.use():
            assert AccessAttempt.objects.get(username="admin").failures_since_start == 5
        assert len(_audit(coop_a, AuditAction.LOGIN_FAILED)) == 5
        assert _password(coop_a.client(), "admin").status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(coop_a):
    _give_device(coop_a, coop_a.admin)
    client = coop_a.client()
    with coop_a.use():
        codes = recovery_codes_regenerate(user=coop_a.admin)
    _password(client, "admin")
    assert client.post(SECOND_STEP, {"code": codes[3].upper()})["Location"] == "/konto/"
    again = coop_a.client()
    _password(again, "admin")
    assert again.post(SECOND_STEP, {"code": codes[3]}).status_code == 200
    assert "_auth_user_id" not in again.session
    with coop_a.use():
        assert sorted(StaticToken.objects.filter(device__user=coop_a.admin).values_list("token", flat=True)) == \
            sorted(codes[:3] + codes[4:])
    assert _audit(coop_a, AuditAction.RECOVERY_CODES_GENERATED, AuditAction.RECOVERY_CODE_USED) == [
        (AuditAction.RECOVERY_CODES_GENERATED, "admin"), (AuditAction.RECOVERY_CODE_USED, "admin")]


# ---- the policy, per cooperative -------------------------------------------------------------------

def test_the_policy_of_one_cooperative_does_not_touch_the_other(coop_a, coop_b):
    _policy(coop_a, on=True)
    alfa, beta = coop_a.client(), coop_b.client()
    assert _password(alfa, "admin")["Location"] == SECOND_STEP
    assert alfa.get("/biuro/")["Location"].startswith("/logowanie/")
    assert _password(beta, "admin")["Location"] == "/konto/"
    assert beta.get("/biuro/").status_code == 200
    # Residents are never asked.
    assert _password(coop_a.client(), "lokator")["Location"] == "/konto/"


def test_the_admin_sees_a_warning_while_the_policy_is_off_and_none_once_it_is_on(coop_a):
    client = coop_a.client_logged_in_as(coop_a.admin)
    assert client.get("/biuro/").context["second_factor_warning"] is True
    assert coop_a.client_logged_in_as(coop_a.clerk).get("/biuro/").context["second_factor_warning"] is False
    _policy(coop_a, on=True)
    _give_device(coop_a, coop_a.admin)
    client = sign_in_with_code(coop_a.client(), username="admin")
    assert client.get("/biuro/").context["second_factor_warning"] is False


def test_turning_the_policy_on_ends_password_only_sessions_of_staff(coop_a):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    resident = coop_a.client_logged_in_as(coop_a.resident)
    _policy(coop_a, on=True)
    assert clerk.get("/biuro/")["Location"].startswith("/logowanie/")
    assert "_auth_user_id" not in clerk.session
    assert resident.get("/konto/").status_code == 200


def test_api_refuses_a_staff_token_by_password_alone_where_the_policy_is_on(coop_a):
    staff_token = token_for(coop_a, coop_a.clerk)
    _policy(coop_a, on=True)
    response = api_client(coop_a).post("/api/v1/auth/token/", {"username": "biuro", "password": PASSWORD,
                                                              "device": "Telefon"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "second_factor_required"
    # A token issued before the policy was turned on no longer works either.
    used = api_client(coop_a, token=staff_token).get("/api/v1/units/")
    assert used.status_code == 401
    assert used.json()["errors"][0]["code"] == "second_factor_required"
    # Residents' tokens are unchanged.
    resident = api_client(coop_a).post("/api/v1/auth/token/", {"username": "lokator", "password": PASSWORD,
                                                              "device": "Telefon"}, content_type="application/json")
    assert resident.status_code == 201
    assert api_client(coop_a, token=resident.json()["token"]).get("/api/v1/units/").status_code == 200


# ---- operators -----------------------------------------------------------------------------------

def test_an_operator_without_a_device_sets_one_up_before_reaching_the_console(db):
    user = User(username="operator", role=User.Role.OPERATOR)
    user.set_password(PASSWORD)
    user.save()
    client = Client(HTTP_HOST="localhost")
    with time_machine.travel(T0, tick=False):
        assert _password(client, "operator")["Location"] == SECOND_STEP
        assert client.get("/operator/")["Location"].startswith("/logowanie/")
        assert client.get(SECOND_STEP)["Location"] == ENROL
        key = base64.b32decode(client.get(ENROL).context["secret"]).hex()
        assert client.post(ENROL, {"code": totp_code(key)})["Location"] == CODES
        assert client.get(CODES).context["next"] == "/operator/"
        assert client.get("/operator/").status_code == 200


# ---- sensitive actions ask again after 15 minutes ---------------------------------------------------

NEW_STAFF = {"first_name": "Nowa", "last_name": "Osoba", "login": "n.osoba", "email": "", "role": User.Role.CLERK}


@pytest.mark.parametrize(("path", "data"), [
    ("/biuro/pracownicy/", NEW_STAFF),
    ("/biuro/klucze-api/", {"name": "Księgowość", "scopes": ["imports:write"]}),
    ("/biuro/konfiguracja/logowanie/", None),
])
def test_sensitive_actions_need_a_code_from_the_last_15_minutes(coop_a, path, data):
    _give_device(coop_a, coop_a.admin)
    client = coop_a.client()
    with time_machine.travel(T0, tick=False):
        sign_in_with_code(client, username="admin")
    with coop_a.use():
        settings_before = InstanceSettings.objects.values().get(pk=1)
        staff_before, keys_before = User.objects.count(), ApiKey.objects.count()
    form = data or {**{name: settings_before[name] for name in SIGN_IN_FIELDS
                       if not isinstance(settings_before[name], bool)},
                    **{name: "on" for name in SIGN_IN_FIELDS if settings_before[name] is True},
                    "password_min_length": 10}
    later = T0 + datetime.timedelta(minutes=16)
    with time_machine.travel(later, tick=False):
        refused = client.post(path, form)
        assert refused["Location"] == f"{STEP_UP}?next={path.replace('/', '%2F')}"
        with coop_a.use():
            assert InstanceSettings.objects.values().get(pk=1) == settings_before
            assert (User.objects.count(), ApiKey.objects.count()) == (staff_before, keys_before)
        assert client.post(f"{STEP_UP}?next={path}", {"code": totp_code()})["Location"] == path
        done = client.post(path, form)
    assert done.status_code == 302
    with coop_a.use():
        changed = (InstanceSettings.objects.get(pk=1).password_min_length, User.objects.count(), ApiKey.objects.count())
    assert changed != (settings_before["password_min_length"], staff_before, keys_before)


def test_after_the_code_a_form_sent_to_a_post_only_address_continues_on_the_page_it_was_sent_from(coop_a):
    _give_device(coop_a, coop_a.admin)
    client = coop_a.client()
    with time_machine.travel(T0, tick=False):
        sign_in_with_code(client, username="admin")
    member = f"/biuro/pracownicy/{coop_a.clerk.pk}/"
    with time_machine.travel(T0 + datetime.timedelta(minutes=16), tick=False):
        refused = client.post(f"{member}unlock/", HTTP_REFERER=f"http://{coop_a.host}{member}")
        assert refused["Location"] == f"{STEP_UP}?next={member.replace('/', '%2F')}"
        assert client.post(f"{STEP_UP}?next={member}", {"code": totp_code()})["Location"] == member
    assert _audit(coop_a, AuditAction.ACCOUNT_UNLOCKED) == []


def test_without_a_device_and_with_the_policy_off_nothing_is_asked_again(coop_a):
    client = coop_a.client_logged_in_as(coop_a.admin)
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(minutes=20)):
        assert client.post("/biuro/pracownicy/", NEW_STAFF)["Location"] == "/biuro/pracownicy/haslo-jednorazowe/"


def test_support_access_needs_the_operators_code_from_the_last_15_minutes(coop_a, operator):
    client = Client(HTTP_HOST="localhost")
    with time_machine.travel(T0, tick=False):
        sign_in_with_code(client, username="operator")
    path = "/operator/spoldzielnie/alfa/wsparcie/mieszkancy/"
    with time_machine.travel(T0 + datetime.timedelta(minutes=16), tick=False):
        assert client.get(path)["Location"].startswith(STEP_UP)
        assert _audit(coop_a, AuditAction.SUPPORT_VIEWED) == []


# ---- the office turns a second factor off ----------------------------------------------------------

def test_the_admin_turns_a_clerks_second_factor_off_audited_and_mailed(coop_a):
    with coop_a.use():
        User.objects.filter(pk=coop_a.clerk.pk).update(email="biuro@alfa.example",
                                                      email_verified_at=datetime.datetime.now(tz=datetime.UTC))
        totp_device_give(coop_a.clerk)
    admin = coop_a.client_logged_in_as(coop_a.admin)
    assert admin.get(f"/biuro/pracownicy/{coop_a.clerk.pk}/").context["second_factor"] is True
    response = admin.post(f"/biuro/pracownicy/{coop_a.clerk.pk}/second-factor-reset/")
    assert response["Location"] == f"/biuro/pracownicy/{coop_a.clerk.pk}/"
    with coop_a.use():
        assert not TOTPDevice.objects.filter(user=coop_a.clerk).exists()
    assert _audit(coop_a, AuditAction.SECOND_FACTOR_REMOVED) == [(AuditAction.SECOND_FACTOR_REMOVED, "biuro")]
    notices_deliver_waiting(coop_a)
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["biuro@alfa.example"], "Drugi składnik logowania został wyłączony")]
    # Without a device again, the clerk signs in with the password (the policy is off).
    assert _password(coop_a.client(), "biuro")["Location"] == "/konto/"


def test_a_clerk_cannot_turn_off_anyones_second_factor_and_nothing_changes(coop_a):
    _give_device(coop_a, coop_a.admin)
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    assert clerk.post(f"/biuro/pracownicy/{coop_a.admin.pk}/second-factor-reset/").status_code == 403
    with coop_a.use():
        assert TOTPDevice.objects.filter(user=coop_a.admin, confirmed=True, key=TOTP_KEY).exists()
    assert _audit(coop_a, AuditAction.SECOND_FACTOR_REMOVED) == []


def test_an_operator_turns_another_operators_second_factor_off_audited_and_mailed(operator,
                                                                                  django_capture_on_commit_callbacks):
    other = User(username="operator2", role=User.Role.OPERATOR, email="operator2@iok.example")
    other.set_password(PASSWORD)
    other.save()
    totp_device_give(other)
    client = sign_in_with_code(Client(HTTP_HOST="localhost"), username="operator")
    rows = client.get("/operator/operatorzy/").context["rows"]
    assert [(row.operator.username, row.second_factor) for row in rows] == [("operator", True), ("operator2", True)]
    # Not their own: a stolen session must not turn the second factor off.
    assert client.post(f"/operator/operatorzy/{operator.pk}/drugi-skladnik/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/operator/operatorzy/{other.pk}/drugi-skladnik/")
    assert response["Location"] == "/operator/operatorzy/"
    assert not TOTPDevice.objects.filter(user=other).exists()
    assert TOTPDevice.objects.filter(user=operator).exists()
    assert list(AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_REMOVED).values_list(
        "actor_login", "target")) == [("operator", "operator2")]
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["operator2@iok.example"], "Drugi składnik logowania został wyłączony")]
    # At the next sign-in the operator sets one up again.
    again = Client(HTTP_HOST="localhost")
    assert _password(again, "operator2")["Location"] == SECOND_STEP
    assert again.get(SECOND_STEP)["Location"] == ENROL
