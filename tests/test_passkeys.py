"""Residents' passkeys (WebAuthn), server side: adding, signing in, removing, and every refusal, with a software
authenticator that answers the server's options as a browser and a platform authenticator would (ES256, "none"
attestation, user verified). The browser's side is tests/e2e/test_passkeys.py."""

import datetime
import json
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from tenants_portal.access.services import account_close, accounts_anonymise_closed
from tenants_portal.accounts.models import Passkey, User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent

from .conftest import CooperativeFixture
from .webauthn_authenticator import SoftAuthenticator, b64

WRONG_PASSWORD_MESSAGE = ("Identyfikator lub hasło są nieprawidłowe. Prosimy sprawdzić oba pola (wielkość liter "
                          "ma znaczenie) i spróbować ponownie.")


def _post_json(client, path: str, data: dict[str, Any] | None = None, **extra: Any):
    return client.post(path, json.dumps(data or {}), content_type="application/json", **extra)


def _add_passkey(coop: CooperativeFixture, authenticator: SoftAuthenticator, *, name: str = "Mój telefon",
                 user: User | None = None) -> Any:
    client = coop.client_logged_in_as(user or coop.resident)
    options = _post_json(client, "/konto/klucze-dostepu/wyzwanie/").json()
    credential = authenticator.create(options, origin=f"http://{coop.host}")
    return client, _post_json(client, "/konto/klucze-dostepu/dodaj/", {"name": name, "credential": credential})


def _sign_in(coop: CooperativeFixture, authenticator: SoftAuthenticator, *, client=None, rp_id: str | None = None,
             next_url: str = "", ip: str = "127.0.0.1"):
    client = client or coop.client()
    options = _post_json(client, "/logowanie/klucz/wyzwanie/", REMOTE_ADDR=ip).json()
    credential = authenticator.get(options, origin=f"http://{coop.host}", rp_id=rp_id)
    response = _post_json(client, "/logowanie/klucz/", {"credential": credential, "next": next_url}, REMOTE_ADDR=ip)
    return client, response


def test_a_resident_adds_a_passkey_for_the_cooperatives_host_and_it_is_audited(coop_a):
    authenticator = SoftAuthenticator()
    client = coop_a.client_logged_in_as(coop_a.resident)
    options = _post_json(client, "/konto/klucze-dostepu/wyzwanie/").json()
    assert options["rp"] == {"id": "alfa.localhost", "name": "Spółdzielnia Mieszkaniowa „Alfa”"}
    assert options["user"]["name"] == "lokator"
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["excludeCredentials"] == []
    credential = authenticator.create(options, origin="http://alfa.localhost")
    response = _post_json(client, "/konto/klucze-dostepu/dodaj/", {"name": "Mój telefon", "credential": credential})
    assert response.status_code == 200
    assert response.json() == {"redirect": "/konto/klucze-dostepu/"}
    with coop_a.use():
        passkey = Passkey.objects.get()
        assert (passkey.user, passkey.name, passkey.transports, passkey.last_used_at) == (
            coop_a.resident, "Mój telefon", ["internal"], None)
        assert bytes(passkey.credential_id) == authenticator.credentials["alfa.localhost"]["id"]
        event = AuditEvent.objects.get(action=AuditAction.PASSKEY_ADDED)
        assert (event.actor, event.target, event.details) == (coop_a.resident, "lokator",
                                                              {"passkey": passkey.pk, "name": "Mój telefon"})
    page = client.get("/konto/klucze-dostepu/").content.decode()
    assert "Mój telefon" in page and "jeszcze nieużywany" in page
    # A second passkey gets the same user handle and is told not to create the first one again.
    again = _post_json(client, "/konto/klucze-dostepu/wyzwanie/").json()
    assert again["user"]["id"] == options["user"]["id"]
    assert [item["id"] for item in again["excludeCredentials"]] == [credential["id"]]


def test_an_answer_to_another_challenge_or_host_adds_nothing(coop_a):
    authenticator = SoftAuthenticator()
    client = coop_a.client_logged_in_as(coop_a.resident)
    options = _post_json(client, "/konto/klucze-dostepu/wyzwanie/").json()
    forged = authenticator.create({**options, "challenge": b64(b"x" * 32)}, origin="http://alfa.localhost")
    assert _post_json(client, "/konto/klucze-dostepu/dodaj/", {"name": "A", "credential": forged}).status_code == 400
    options = _post_json(client, "/konto/klucze-dostepu/wyzwanie/").json()
    elsewhere = authenticator.create(options, origin="http://beta.localhost")
    assert _post_json(client, "/konto/klucze-dostepu/dodaj/", {"name": "B", "credential": elsewhere}).status_code == 400
    # Without a name nothing is even checked.
    options = _post_json(client, "/konto/klucze-dostepu/wyzwanie/").json()
    unnamed = authenticator.create(options, origin="http://alfa.localhost")
    response = _post_json(client, "/konto/klucze-dostepu/dodaj/", {"name": " ", "credential": unnamed})
    assert response.status_code == 400
    with coop_a.use():
        assert Passkey.objects.count() == 0
        assert not AuditEvent.objects.filter(action=AuditAction.PASSKEY_ADDED).exists()


def test_a_resident_signs_in_with_a_passkey_without_a_password(coop_a):
    authenticator = SoftAuthenticator()
    _add_passkey(coop_a, authenticator)
    client, response = _sign_in(coop_a, authenticator, next_url="/rozrachunki/")
    assert response.status_code == 200
    assert response.json() == {"redirect": "/rozrachunki/"}
    assert int(client.session["_auth_user_id"]) == coop_a.resident.pk
    assert client.get("/rozrachunki/").status_code == 200
    with coop_a.use():
        passkey = Passkey.objects.get()
        assert passkey.last_used_at is not None and passkey.sign_count == 1
        assert AuditEvent.objects.filter(action=AuditAction.LOGIN_SUCCEEDED, actor=coop_a.resident).count() == 2
    assert "Ostatnio użyty" in client.get("/konto/klucze-dostepu/").content.decode()


def test_a_foreign_next_address_is_replaced_by_the_start_page(coop_a):
    authenticator = SoftAuthenticator()
    _add_passkey(coop_a, authenticator)
    _client, response = _sign_in(coop_a, authenticator, next_url="https://evil.example/")
    assert response.json() == {"redirect": "/konto/"}


def test_the_same_answer_cannot_be_used_twice(coop_a):
    authenticator = SoftAuthenticator()
    _add_passkey(coop_a, authenticator)
    client = coop_a.client()
    options = _post_json(client, "/logowanie/klucz/wyzwanie/").json()
    credential = authenticator.get(options, origin="http://alfa.localhost")
    assert _post_json(client, "/logowanie/klucz/", {"credential": credential}).status_code == 200
    client.post("/wyloguj/")
    # The challenge is used up; a fresh one is not the one signed.
    assert _post_json(client, "/logowanie/klucz/", {"credential": credential}).status_code == 400
    _post_json(client, "/logowanie/klucz/wyzwanie/")
    assert _post_json(client, "/logowanie/klucz/", {"credential": credential}).status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_closed_account_is_refused_with_the_words_of_a_wrong_password(coop_a):
    authenticator = SoftAuthenticator()
    _add_passkey(coop_a, authenticator)
    with coop_a.use():
        account_close(acting_user=coop_a.admin, account=User.objects.get(pk=coop_a.resident.pk),
                      closure=User.Closure.RESIDENT_REQUEST)
    client, response = _sign_in(coop_a, authenticator)
    assert response.status_code == 400
    assert response.json() == {"error": WRONG_PASSWORD_MESSAGE}
    assert "_auth_user_id" not in client.session
    with coop_a.use():
        # Refused before the signature was looked at: the passkey's use is not recorded.
        assert Passkey.objects.get().last_used_at is None
        assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 1
    wrong_password = coop_a.client().post("/logowanie/", {"username": "obcy", "password": "wrong-1"})
    assert WRONG_PASSWORD_MESSAGE in wrong_password.content.decode()


def test_a_passkey_of_one_cooperative_is_refused_on_the_other(coop_a, coop_b):
    authenticator = SoftAuthenticator()
    _add_passkey(coop_a, authenticator)
    client = coop_b.client()
    options = _post_json(client, "/logowanie/klucz/wyzwanie/").json()
    assert options["rpId"] == "beta.localhost"
    # The authenticator holds no passkey for beta.localhost; one answering with Alfa's anyway is refused,
    # whether it says it signs for Alfa's host or for Beta's.
    for rp_id in ("alfa.localhost", "beta.localhost"):
        credential = authenticator.credentials["alfa.localhost"]
        authenticator.credentials[rp_id] = credential
        _client, response = _sign_in(coop_b, authenticator, rp_id=rp_id)
        assert response.status_code == 400
        assert response.json() == {"error": WRONG_PASSWORD_MESSAGE}
    with coop_b.use():
        assert Passkey.objects.count() == 0
        assert AuditEvent.objects.filter(action=AuditAction.LOGIN_SUCCEEDED).count() == 0


def test_a_signature_for_another_host_is_refused_and_counted_toward_the_lockout(coop_a):
    authenticator = SoftAuthenticator()
    _add_passkey(coop_a, authenticator)
    authenticator.credentials["elsewhere.example"] = authenticator.credentials["alfa.localhost"]
    _client, response = _sign_in(coop_a, authenticator, rp_id="elsewhere.example", ip="10.7.0.1")
    assert response.status_code == 400
    with coop_a.use():
        attempt = AccessAttempt.objects.get(ip_address="10.7.0.1")
        assert (attempt.username, attempt.failures_since_start) == ("lokator", 1)


@pytest.mark.argon2
def test_failures_with_unknown_passkeys_never_lock_anyone_else_out(coop_a):
    authenticator = SoftAuthenticator()
    _add_passkey(coop_a, authenticator)
    stranger = SoftAuthenticator()
    stranger.create({"rp": {"id": "alfa.localhost"}, "user": {"id": b64(b"x")}, "challenge": b64(b"y")},
                    origin="http://alfa.localhost")
    statuses = [_sign_in(coop_a, stranger, ip=f"10.6.0.{number}")[1].status_code for number in range(6)]
    # The unknown passkey is locked out under a name of its own; the cooperative's residents are not.
    assert statuses == [400] * 4 + [429] * 2
    _client, response = _sign_in(coop_a, authenticator, ip="10.6.1.1")
    assert response.status_code == 200


@pytest.mark.argon2
def test_a_locked_out_address_cannot_sign_in_with_a_passkey_either(coop_a):
    authenticator = SoftAuthenticator()
    _add_passkey(coop_a, authenticator)
    for number in range(5):
        coop_a.client().post("/logowanie/", {"username": f"nobody{number}", "password": "x"}, REMOTE_ADDR="10.8.0.1")
    client, response = _sign_in(coop_a, authenticator, ip="10.8.0.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_passkey_sign_in_still_goes_through_the_first_sign_in_steps(coop_a):
    authenticator = SoftAuthenticator()
    _add_passkey(coop_a, authenticator)
    with coop_a.use():
        User.objects.filter(pk=coop_a.resident.pk).update(must_change_password=True)
    client, response = _sign_in(coop_a, authenticator)
    assert response.status_code == 200
    page = client.get(response.json()["redirect"])
    assert page.status_code == 302 and page["Location"] == "/konto/haslo/"
    assert client.get("/konto/klucze-dostepu/")["Location"] == "/konto/haslo/"


def test_staff_can_neither_add_passkeys_nor_sign_in_with_one(coop_a):
    client = coop_a.client_logged_in_as(coop_a.admin)
    assert client.get("/konto/klucze-dostepu/").status_code == 404
    assert _post_json(client, "/konto/klucze-dostepu/wyzwanie/").status_code == 404
    # A passkey row for a staff member (never made by these pages) does not sign them in.
    authenticator = SoftAuthenticator()
    _add_passkey(coop_a, authenticator)
    with coop_a.use():
        Passkey.objects.update(user=coop_a.admin)
    _client, response = _sign_in(coop_a, authenticator)
    assert response.status_code == 400


def test_a_resident_removes_a_passkey_and_it_is_audited_and_no_longer_signs_in(coop_a):
    authenticator = SoftAuthenticator()
    client, _response = _add_passkey(coop_a, authenticator)
    with coop_a.use():
        passkey = Passkey.objects.get()
    response = client.post(f"/konto/klucze-dostepu/{passkey.pk}/usun/")
    assert response.status_code == 302 and response["Location"] == "/konto/klucze-dostepu/"
    with coop_a.use():
        assert Passkey.objects.count() == 0
        event = AuditEvent.objects.get(action=AuditAction.PASSKEY_REMOVED)
        assert (event.actor, event.details) == (coop_a.resident, {"passkey": passkey.pk, "name": "Mój telefon"})
    _client, refused = _sign_in(coop_a, authenticator)
    assert refused.status_code == 400


def test_a_resident_cannot_remove_someone_elses_passkey(coop_a):
    authenticator = SoftAuthenticator()
    _add_passkey(coop_a, authenticator)
    with coop_a.use():
        passkey = Passkey.objects.get()
    other = coop_a.client_logged_in_as(coop_a.outsider)
    assert other.post(f"/konto/klucze-dostepu/{passkey.pk}/usun/").status_code == 404
    assert other.get(f"/konto/klucze-dostepu/{passkey.pk}/usun/").status_code == 405
    with coop_a.use():
        assert Passkey.objects.count() == 1
        assert not AuditEvent.objects.filter(action=AuditAction.PASSKEY_REMOVED).exists()


def test_the_sign_in_page_offers_passkeys_and_the_login_fields_autofill(coop_a):
    page = coop_a.client().get("/logowanie/").content.decode()
    # passkeys.js adds the "webauthn" autofill token where the browser offers passkeys in the autofill
    # (tests/e2e/test_passkeys.py); the page itself stays valid HTML for the Nu checker.
    assert 'autocomplete="username"' in page
    assert "Zaloguj się kluczem dostępu" in page
    assert "/static/iok/passkeys.js" in page


def test_the_own_data_file_lists_the_passkeys(coop_a):
    authenticator = SoftAuthenticator()
    client, _response = _add_passkey(coop_a, authenticator)
    data = client.get("/konto/moje-dane/?format=json")
    rows = json.loads(data.content)["passkeys"] if data["Content-Type"].startswith("application/json") else None
    assert rows is not None and [row["name"] for row in rows] == ["Mój telefon"]


def test_anonymising_a_long_closed_account_removes_its_passkeys(coop_a):
    authenticator = SoftAuthenticator()
    _add_passkey(coop_a, authenticator, user=coop_a.outsider)
    _add_passkey(coop_a, SoftAuthenticator())
    with coop_a.use():
        User.objects.filter(pk=coop_a.outsider.pk).update(
            is_active=False, closed_at=timezone.now() - datetime.timedelta(days=400), closure="resident_request")
        assert accounts_anonymise_closed() == 1
        assert list(Passkey.objects.values_list("user__username", flat=True)) == ["lokator"]


def test_asking_for_a_sign_in_challenge_leaves_no_session_behind(coop_a, settings):
    client = coop_a.client()
    options = _post_json(client, "/logowanie/klucz/wyzwanie/").json()
    assert options["rpId"] == "alfa.localhost" and options["userVerification"] == "required"
    assert settings.SESSION_COOKIE_NAME not in client.cookies


def test_the_office_removes_a_residents_passkeys_and_it_is_audited(coop_a, coop_b):
    authenticator = SoftAuthenticator()
    _add_passkey(coop_a, authenticator)
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    page = clerk.get(f"/biuro/konta/{coop_a.resident.pk}/").content.decode()
    assert "Usuń klucze dostępu" in page
    # Another cooperative's office reaches only its own accounts, whatever the number in the address.
    coop_b.client_logged_in_as(coop_b.clerk).post(f"/biuro/konta/{coop_a.resident.pk}/passkeys-remove/")
    with coop_a.use():
        assert Passkey.objects.count() == 1
        assert not AuditEvent.objects.filter(action=AuditAction.PASSKEYS_REMOVED).exists()
    response = clerk.post(f"/biuro/konta/{coop_a.resident.pk}/passkeys-remove/")
    assert response.status_code == 302
    with coop_a.use():
        assert Passkey.objects.count() == 0
        event = AuditEvent.objects.get(action=AuditAction.PASSKEYS_REMOVED)
        assert (event.actor, event.target, event.details) == (coop_a.clerk, "lokator", {"count": 1})
    _client, refused = _sign_in(coop_a, authenticator)
    assert refused.status_code == 400
    assert coop_a.client_logged_in_as(coop_a.resident).get("/konto/").status_code == 200
