"""The REST API: signing in like the pages (lockout, first sign-in, policy), tokens that end with the
password and the account, one error shape in Polish, and the residents' and systems' endpoints."""

import datetime
import io
import json
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from billing_views.models import ImportRun
from billing_views.payments import transfer_title
from tenants_portal.access.services import account_close, account_password_reset
from tenants_portal.accounts.models import User
from tenants_portal.api.models import ApiKey, ApiToken
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.failures.models import FailureCategory, FailureReport
from tenants_portal.meters.models import Reading
from tenants_portal.notices.models import NoticePreference

from .api_world import api_client, png, token_for, world_build
from .conftest import PASSWORD, notices_deliver_waiting


def _sign_in(coop, login, password=PASSWORD, *, ip="10.0.0.1", english=False, client=None):
    client = client or api_client(coop, english=english)
    return client.post("/api/v1/auth/token/", {"username": login, "password": password, "device": "Telefon"},
                       content_type="application/json", REMOTE_ADDR=ip)


def _error(code, detail, attr=None, kind="client_error"):
    return {"type": kind, "errors": [{"code": code, "detail": detail, "attr": attr}]}


def _live_tokens(coop, user) -> int:
    with coop.use():
        return ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()


# ---- signing in -----------------------------------------------------------------------------------

def test_a_resident_signs_in_and_the_token_lists_their_units_with_balances(coop_a):
    world_build(coop_a)
    response = _sign_in(coop_a, "lokator")
    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("iokt_") and body["token_type"] == "Bearer"
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies  # an app gets a token, not a session

    units = api_client(coop_a, token=body["token"]).get("/api/v1/units/")
    assert units.status_code == 200
    listed = [(unit["label"], unit["kind"], unit["balance"]) for unit in units.json()["results"]]
    assert listed == [("ul. Hutnicza 1/1", "flat", "0.00"), ("ul. Hutnicza 1/1A", "flat", "425.00"),
                      ("ul. Hutnicza 1, garaż G1", "garage", "0.00")]
    assert units.json()["count"] == 3
    with coop_a.use():
        token = ApiToken.objects.get(user=coop_a.resident)
        assert (token.name, token.key_hash != body["token"], len(token.key_hash)) == ("Telefon", True, 64)
        assert AuditEvent.objects.filter(action=AuditAction.LOGIN_SUCCEEDED, target="lokator").count() == 1
        assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_ISSUED, target="lokator").count() == 1


def test_the_token_is_stored_only_as_a_hash(coop_a):
    secret = _sign_in(coop_a, "lokator").json()["token"]
    with coop_a.use():
        rows = list(ApiToken.objects.values_list("key_hash", "name"))
    assert secret not in json.dumps(rows)


def test_a_wrong_password_and_an_unknown_login_get_the_same_polish_answer(coop_a):
    wrong = _sign_in(coop_a, "lokator", "zle-haslo-1", ip="10.0.1.1")
    unknown = _sign_in(coop_a, "nie-ma-takiego", "zle-haslo-1", ip="10.0.1.2")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json() == _error("invalid_credentials", "Login lub hasło są nieprawidłowe.",
                                                    "non_field_errors", kind="validation_error")


def test_english_with_the_language_cookie(coop_a):
    response = _sign_in(coop_a, "lokator", "zle-haslo-1", english=True)
    assert response.json()["errors"][0]["detail"] == "The login or password is incorrect."


def test_failures_lock_the_login_in_this_cooperative_only_and_the_lockout_is_json(coop_a, coop_b):
    for _ in range(4):
        assert _sign_in(coop_a, "lokator", "zle-haslo-1").status_code == 400
    locked = _sign_in(coop_a, "lokator", "zle-haslo-1")
    assert locked.status_code == 429
    assert locked.json() == _error("locked_out", "Zbyt wiele nieudanych prób logowania. Logowanie jest zablokowane "
                                                 "na 15 minut.")
    assert (locked["Retry-After"], locked["Cache-Control"]) == ("900", "no-store")
    # Even the right password, from another address, is refused while the login is locked.
    assert _sign_in(coop_a, "lokator", ip="10.0.0.2").status_code == 429
    assert _live_tokens(coop_a, coop_a.resident) == 0
    # The same login in the other cooperative is untouched.
    assert _sign_in(coop_b, "lokator").status_code == 201
    with coop_b.use():
        assert AccessAttempt.objects.count() == 0


def test_a_success_resets_the_failure_counter_like_the_login_page(coop_a):
    for _ in range(3):
        _sign_in(coop_a, "lokator", "zle-haslo-1")
    assert _sign_in(coop_a, "lokator").status_code == 201
    with coop_a.use():
        assert AccessAttempt.objects.filter(username="lokator").count() == 0


@pytest.fixture
def newcomer(coop_a):
    with coop_a.use():
        user = User(username="nowy", role=User.Role.RESIDENT, first_name="Nowak", must_change_password=True)
        user.set_password("Start2026")
        user.save()
        return user


FIRST_SIGN_IN = _error("first_sign_in_pending", "Prosimy dokończyć pierwsze logowanie na stronie internetowej: "
                                                "zaakceptować regulamin i ustalić własne hasło. Potem aplikacja "
                                                "zacznie działać.")


def test_an_account_with_a_pending_first_sign_in_gets_no_token_and_a_clear_403(coop_a, newcomer):
    response = _sign_in(coop_a, "nowy", "Start2026")
    assert (response.status_code, response.json()) == (403, FIRST_SIGN_IN)
    assert _live_tokens(coop_a, newcomer) == 0


def test_a_token_whose_account_must_accept_a_new_regulation_gets_the_same_403(coop_a):
    token = token_for(coop_a, coop_a.resident)
    with coop_a.use():
        from tenants_portal.regulation.services import regulation_publish

        regulation_publish(title="Regulamin 2", text="Nowa wersja.", acting_user=None)
    response = api_client(coop_a, token=token).get("/api/v1/units/")
    assert (response.status_code, response.json()) == (403, FIRST_SIGN_IN)


# ---- authentication and its end -------------------------------------------------------------------

@pytest.mark.parametrize("header", [None, "Bearer iokt_nieprawdziwy", "Bearer", "Token abc"])
def test_without_a_valid_token_the_answer_is_401(coop_a, header):
    client = Client(HTTP_HOST=coop_a.host, **({"HTTP_AUTHORIZATION": header} if header else {}))
    response = client.get("/api/v1/units/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["type"] == "client_error"
    assert response.json()["errors"][0]["code"] in ("not_authenticated", "authentication_failed")


def test_signing_out_ends_the_token(coop_a):
    token = _sign_in(coop_a, "lokator").json()["token"]
    client = api_client(coop_a, token=token)
    assert client.post("/api/v1/auth/sign-out/").status_code == 204
    assert client.get("/api/v1/units/").status_code == 401
    with coop_a.use():
        assert ApiToken.objects.get().revocation == ApiToken.Revocation.SIGNED_OUT


def test_changing_the_password_through_the_api_applies_the_policy_and_replaces_every_token(coop_a):
    phone, tablet = token_for(coop_a, coop_a.resident), token_for(coop_a, coop_a.resident)
    client = api_client(coop_a, token=phone)
    refused = client.post("/api/v1/me/password/", {"current_password": PASSWORD, "new_password": "abc"},
                          content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"code": "password_policy", "detail": "Hasło musi mieć co najmniej 6 znaków.", "attr": "new_password"},
        {"code": "password_policy", "detail": "Hasło musi zawierać co najmniej jedną cyfrę.", "attr": "new_password"},
        {"code": "password_policy", "detail": "To hasło jest zbyt popularne: znajduje się na liście najczęściej "
                                              "używanych haseł.", "attr": "new_password"}]
    wrong = client.post("/api/v1/me/password/", {"current_password": "nie-to", "new_password": "Hutnik2026x"},
                        content_type="application/json")
    assert wrong.json()["errors"][0]["code"] == "wrong_password"
    assert _live_tokens(coop_a, coop_a.resident) == 2

    changed = client.post("/api/v1/me/password/", {"current_password": PASSWORD, "new_password": "Hutnik2026x"},
                          content_type="application/json")
    assert changed.status_code == 200
    successor = changed.json()["token"]["token"]
    for old in (phone, tablet):
        assert api_client(coop_a, token=old).get("/api/v1/units/").status_code == 401
    assert api_client(coop_a, token=successor).get("/api/v1/units/").status_code == 200
    assert _live_tokens(coop_a, coop_a.resident) == 1


@pytest.mark.parametrize("how", ["page", "office reset", "changepassword"])
def test_a_password_changed_anywhere_revokes_the_tokens(coop_a, how):
    token = token_for(coop_a, coop_a.resident)
    if how == "page":
        client = coop_a.client_logged_in_as(coop_a.resident)
        client.post("/konto/haslo/", {"old_password": PASSWORD, "new_password1": "Hutnik2026x",
                                      "new_password2": "Hutnik2026x"})
    elif how == "office reset":
        with coop_a.use():
            account_password_reset(acting_user=coop_a.clerk, account=User.objects.get(pk=coop_a.resident.pk))
    else:
        with coop_a.use():
            user = User.objects.get(pk=coop_a.resident.pk)
            user.set_password("Inne-haslo-77")
            user.save()
    assert api_client(coop_a, token=token).get("/api/v1/units/").status_code == 401
    with coop_a.use():
        assert ApiToken.objects.get().revocation == ApiToken.Revocation.PASSWORD_CHANGED


def test_closing_the_account_revokes_its_tokens_at_once(coop_a):
    token = token_for(coop_a, coop_a.resident)
    with coop_a.use():
        account_close(acting_user=coop_a.clerk, account=User.objects.get(pk=coop_a.resident.pk),
                      closure=User.Closure.RESIDENT_REQUEST)
        assert ApiToken.objects.get().revocation == ApiToken.Revocation.ACCOUNT_CLOSED
    assert api_client(coop_a, token=token).get("/api/v1/units/").status_code == 401


def test_an_expired_token_is_refused(coop_a):
    token = token_for(coop_a, coop_a.resident)
    with coop_a.use():
        ApiToken.objects.update(expires_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert api_client(coop_a, token=token).get("/api/v1/units/").status_code == 401


def test_the_browser_session_works_and_its_writes_need_the_csrf_token(coop_a):
    client = coop_a.client_logged_in_as(coop_a.resident)
    client.handler.enforce_csrf_checks = True
    assert client.get("/api/v1/me/").json()["username"] == "lokator"
    refused = client.patch("/api/v1/me/", {"phone": "600 100 200"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "permission_denied"
    with coop_a.use():
        assert User.objects.get(pk=coop_a.resident.pk).phone == ""


# ---- one shape for every error --------------------------------------------------------------------

def test_unknown_api_address_and_unknown_host_answer_404_in_the_api_shape(coop_a):
    token = token_for(coop_a, coop_a.resident)
    missing = api_client(coop_a, token=token).get("/api/v1/nie-ma/")
    assert (missing.status_code, missing.json()) == (404, _error("not_found", "Nie znaleziono."))
    nowhere = Client(HTTP_HOST="nope.localhost").get("/api/v1/units/")
    assert (nowhere.status_code, nowhere.json()) == (404, _error("not_found", "Nie znaleziono."))


def test_an_idle_browser_session_ends_with_a_401_in_the_api_shape(coop_a):
    import time

    from tenants_portal.accounts.sessions import SEEN_AT

    client = coop_a.client_logged_in_as(coop_a.resident)
    session = client.session
    session[SEEN_AT] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/api/v1/me/")
    assert (response.status_code, response.json()) == (401, _error(
        "authentication_failed", "Sesja wygasła. Prosimy zalogować się ponownie."))


def test_a_suspended_cooperatives_api_answers_403_in_the_api_shape(coop_a):
    from cooperatives.models import Cooperative

    cooperative = Cooperative.objects.get(pk=coop_a.cooperative.pk)
    cooperative.status = Cooperative.Status.SUSPENDED
    cooperative.save()
    response = api_client(coop_a, token="iokt_x").get("/api/v1/units/")
    assert (response.status_code, response.json()) == (403, _error(
        "cooperative_suspended",
        "Internetowa Obsługa Kontrahenta – Spółdzielnia Mieszkaniowa „Alfa” – jest zawieszona."))


def test_a_switched_off_module_answers_404_like_its_pages(coop_b):
    client = api_client(coop_b, token=token_for(coop_b, coop_b.resident))
    assert client.get("/liczniki/").status_code == 404
    for path in ("/api/v1/meters/windows/", "/api/v1/meters/1/", "/api/v1/units/1/meters/"):
        response = client.get(path)
        assert (response.status_code, response.json()) == (404, _error("not_found", "Nie znaleziono.")), path
    assert client.get("/api/v1/failures/").status_code == 200


def test_staff_get_404_on_the_residents_endpoints_as_on_the_pages(coop_a):
    client = api_client(coop_a, token=token_for(coop_a, coop_a.clerk))
    assert client.get("/api/v1/units/").status_code == 404
    assert client.get("/api/v1/me/").status_code == 404


def test_a_json_body_is_taken_at_its_word(coop_a):
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    response = client.patch("/api/v1/me/", {"phone": 600100200, "email": "jan@example.com"},
                            content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"code": "invalid", "detail": "To nie jest poprawny tekst.",
                                          "attr": "phone"}]
    with coop_a.use():
        assert User.objects.get(pk=coop_a.resident.pk).email == ""


def test_a_server_error_is_json_without_a_trace(coop_a, monkeypatch):
    from tenants_portal.api import views

    def broken(**kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(views, "resident_units_current", broken)
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    client.raise_request_exception = False
    response = client.get("/api/v1/units/")
    assert (response.status_code, response.json()) == (500, _error("error", "Wystąpił błąd serwera.",
                                                                   kind="server_error"))
    assert response["Cache-Control"] == "no-store"


def test_pages_are_checked_and_a_bad_page_size_is_refused(coop_a):
    world_build(coop_a)
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    page = client.get("/api/v1/units/?page_size=2").json()
    assert (page["count"], len(page["results"]), page["previous"]) == (3, 2, None)
    assert page["next"] == "http://alfa.localhost/api/v1/units/?page=2&page_size=2"
    assert client.get("/api/v1/units/?page=9").json() == _error("not_found", "Nie ma takiej strony.")
    refused = client.get("/api/v1/units/?page_size=500")
    assert (refused.status_code, refused.json()["errors"][0]["attr"]) == (400, "page_size")


# ---- the resident's data --------------------------------------------------------------------------

def test_balance_ledger_and_statement(coop_a):
    world = world_build(coop_a)
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    unit = world.resident.unit
    balance = client.get(f"/api/v1/units/{unit}/balance/").json()
    assert (balance["balance"], balance["fee_month"], balance["fee_total"]) == ("425.00", "2026-02-01", "412.50")
    assert balance["fee"] == [{"component": "Eksploatacja", "amount": "412.50"}]
    assert balance["payment"] is None  # this unit has no account number to pay to
    assert balance["recent_payments"] == [{"booked_on": "2026-01-20", "amount": "-400.00", "reference": "PRZELEW 1"}]

    ledger = client.get(f"/api/v1/units/{unit}/ledger/").json()
    assert [(line["booked_on"], line["kind"], line["amount"], line["balance"]) for line in ledger["results"]] == [
        ("2026-02-10", "charge", "412.50", "425.00"), ("2026-01-20", "payment", "-400.00", "12.50"),
        ("2026-01-10", "charge", "412.50", "412.50")]
    payments = client.get(f"/api/v1/units/{unit}/ledger/?kind=payment").json()["results"]
    assert [line["amount"] for line in payments] == ["-400.00"]
    reversed_period = client.get(f"/api/v1/units/{unit}/ledger/?date_from=2026-03-01&date_to=2026-01-01")
    assert reversed_period.json() == _error("invalid", "Data początkowa jest późniejsza niż data końcowa.",
                                            "non_field_errors", kind="validation_error")

    statement = client.get(f"/api/v1/units/{unit}/statement/?date_from=2026-01-01&date_to=2026-01-31",
                           HTTP_ACCEPT="application/json")
    assert statement.status_code == 200
    assert statement["Content-Type"] == "application/pdf"
    assert statement.content.startswith(b"%PDF")


def test_a_unit_with_an_account_number_says_how_to_pay(coop_a):
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    flat = client.get("/api/v1/units/").json()["results"][0]
    payment = client.get(f"/api/v1/units/{flat['id']}/balance/").json()["payment"]
    assert payment["recipient"] == "Spółdzielnia Mieszkaniowa „Alfa”"
    assert payment["due"] == "0.00"
    assert payment["title"] == transfer_title(unit_label="ul. Hutnicza 1/1",
                                              period_label=timezone.localdate().strftime("%m.%Y"))
    assert len(payment["account_digits"]) == 26


def test_a_reading_is_sent_and_an_unusual_one_must_be_confirmed(coop_a):
    world = world_build(coop_a)
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    meter = client.get(f"/api/v1/meters/{world.resident.meter}/").json()
    assert (meter["serial_number"], meter["last_accepted"]["value"], meter["pending"]) == ("ALFA-W-1", "103.500", None)
    path = f"/api/v1/meters/{world.resident.meter}/readings/"
    lower = client.post(path, {"value": "99.000"}, content_type="application/json")
    assert lower.json()["errors"][0]["code"] == "lower_than_previous"
    unusual = client.post(path, {"value": "300.000"}, content_type="application/json")
    assert unusual.json()["errors"][0]["attr"] == "confirm_unusual"
    with coop_a.use():
        assert Reading.objects.filter(meter_id=world.resident.meter).count() == 2
    photo = SimpleUploadedFile("licznik.png", png(), content_type="image/png")
    sent = client.post(path, {"value": "300.000", "confirm_unusual": "true", "photo": photo})
    assert sent.status_code == 201
    assert (sent.json()["status"], sent.json()["value"]) == ("submitted", "300.000")
    assert client.get(sent.json()["photo_url"]).status_code == 200
    again = client.post(path, {"value": "301.000"}, content_type="application/json")
    assert again.json()["errors"][0]["code"] == "pending"


def test_a_failure_is_reported_with_a_photo_and_commented(coop_a):
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    with coop_a.use():
        category = FailureCategory.objects.create(name="elektryka")
    options = client.get("/api/v1/failures/options/").json()
    assert options["categories"] == [{"id": category.pk, "name": "elektryka"}]
    place = options["places"][0]["value"]
    urgent = client.post("/api/v1/failures/", {"category": category.pk, "place": place, "description": "Iskrzy.",
                                               "urgency": "urgent"}, content_type="application/json")
    assert urgent.json()["errors"][0]["attr"] == "emergency_numbers_confirmed"
    with coop_a.use():
        assert FailureReport.objects.count() == 0
    filed = client.post("/api/v1/failures/", {"category": category.pk, "place": place, "description": "Iskrzy.",
                                              "photos": [SimpleUploadedFile("a.png", png(), "image/png")]})
    assert filed.status_code == 201
    report = filed.json()
    assert (report["status"], report["place"], len(report["photos"])) == ("new", "ul. Hutnicza 1/1", 1)
    assert client.get(report["photos"][0]["url"]).status_code == 200
    comment = client.post(f"/api/v1/failures/{report['id']}/comments/", {"text": "Nadal iskrzy."},
                          content_type="application/json")
    assert comment.status_code == 201
    detail = client.get(f"/api/v1/failures/{report['id']}/").json()
    assert [event["kind"] for event in detail["events"]] == ["created", "comment"]
    not_a_photo = client.post("/api/v1/failures/", {"category": category.pk, "place": place, "description": "x",
                                                    "photos": [SimpleUploadedFile("a.png", b"nie", "image/png")]})
    assert not_a_photo.json()["errors"][0]["detail"] == "„a.png” nie jest zdjęciem w formacie JPEG, PNG ani WebP."


def test_announcements_are_marked_read_and_documents_listed(coop_a):
    world = world_build(coop_a)
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    listed = client.get("/api/v1/announcements/").json()["results"]
    assert [(item["id"], item["is_read"]) for item in listed] == [(world.resident.announcement, False)]
    detail = client.get(f"/api/v1/announcements/{world.resident.announcement}/").json()
    assert (detail["is_read"], detail["attachments"][0]["original_name"]) == (True, "plan.pdf")
    assert client.get("/api/v1/announcements/").json()["results"][0]["is_read"] is True
    documents = client.get("/api/v1/documents/?category=statute&year=2024").json()
    assert [(doc["title"], doc["residents_only"]) for doc in documents["results"]] == [("Statut", True)]
    assert client.get("/api/v1/documents/?year=1800").status_code == 400


def test_contact_data_and_notice_preferences(coop_a):
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    changed = client.patch("/api/v1/me/", {"email": "jan@example.com", "phone": "600 100 200",
                                           "current_password": PASSWORD}, content_type="application/json")
    assert changed.status_code == 200
    assert (changed.json()["email"], changed.json()["email_verified"]) == ("jan@example.com", False)
    bad = client.patch("/api/v1/me/", {"phone": "12"}, content_type="application/json")
    assert bad.json()["errors"][0]["detail"] == "Proszę podać 9-cyfrowy numer telefonu, np. 600 123 456."
    prefs = client.patch("/api/v1/me/notices/", {"announcement": False}, content_type="application/json")
    assert prefs.json() == {"announcement": False, "failure_status": True, "reading_window": True, "matter": True}
    with coop_a.use():
        assert NoticePreference.objects.get().kind == "announcement"
        assert AuditEvent.objects.filter(action=AuditAction.NOTICE_PREFERENCES_CHANGED).count() == 1


def test_contact_change_sends_the_verification_link(coop_a, django_capture_on_commit_callbacks):
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    with django_capture_on_commit_callbacks(execute=True):
        client.patch("/api/v1/me/", {"email": "jan@example.com", "current_password": PASSWORD},
                     content_type="application/json")
    notices_deliver_waiting(coop_a)
    assert [message.to for message in mail.outbox] == [["jan@example.com"]]


# ---- the accounting system's key ------------------------------------------------------------------

CHARGES = ("spoldzielnia;id_zapisu;lokal;rodzaj;skladnik;okres;data;kwota;opis\r\n"
           "alfa;N-1;ALFA-1-1;naliczenie;eksploatacja;03.2026;10.03.2026;412,50;Opłata\r\n").encode()


def test_an_admin_creates_a_key_shown_once_and_the_system_sends_an_import(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    created = admin.post("/biuro/klucze-api/", {"name": "System FK", "scopes": ["imports:write", "imports:read"]})
    assert created.status_code == 302
    page = admin.get(created["Location"])
    secret = page.context["secret"]
    assert secret.startswith("iokk_") and secret in page.content.decode()
    assert secret not in admin.get(created["Location"]).content.decode()  # shown once
    with coop_a.use():
        key = ApiKey.objects.get()
        assert secret not in json.dumps(list(ApiKey.objects.values()), default=str)
        assert AuditEvent.objects.get(action=AuditAction.API_KEY_CREATED).actor_login == "admin"

    system = api_client(coop_a, key=secret)
    sent = system.post("/api/v1/imports/", {"file": SimpleUploadedFile("naliczenia.csv", CHARGES)})
    assert sent.status_code == 202
    assert (sent.json()["status"], sent.json()["source"]) == ("pending", "api")
    status = system.get(f"/api/v1/imports/{sent.json()['id']}/").json()
    assert (status["filename"], status["errors"]) == ("naliczenia.csv", [])
    with coop_a.use():
        assert ImportRun.objects.get().source == ImportRun.Source.API
        assert AuditEvent.objects.get(action=AuditAction.API_KEY_USED).details["key"] == key.pk


def test_a_key_does_only_what_its_scopes_allow_and_residents_cannot_import(coop_a):
    with coop_a.use():
        from tenants_portal.api.services import api_key_create

        _key, reader = api_key_create(acting_user=coop_a.admin, name="Raporty", scopes=["imports:read"])
    assert api_client(coop_a, key=reader).get("/api/v1/imports/").status_code == 200
    refused = api_client(coop_a, key=reader).post("/api/v1/imports/",
                                                  {"file": SimpleUploadedFile("a.csv", CHARGES)})
    assert (refused.status_code, refused.json()["errors"][0]["code"]) == (403, "permission_denied")
    resident = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    assert resident.post("/api/v1/imports/", {"file": SimpleUploadedFile("a.csv", CHARGES)}).status_code == 403
    assert api_client(coop_a, key=reader).get("/api/v1/units/").status_code == 401
    with coop_a.use():
        assert ImportRun.objects.count() == 0


def test_a_rotated_secret_replaces_the_old_one_and_a_revoked_key_stops(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    created = admin.post("/biuro/klucze-api/", {"name": "System FK", "scopes": ["imports:read"]})
    first = admin.get(created["Location"]).context["secret"]
    with coop_a.use():
        key = ApiKey.objects.get()
    admin.post(f"/biuro/klucze-api/{key.pk}/nowy-sekret/", {"rotate-confirm": "on"})
    second = admin.get(f"/biuro/klucze-api/{key.pk}/").context["secret"]
    assert api_client(coop_a, key=first).get("/api/v1/imports/").status_code == 401
    assert api_client(coop_a, key=second).get("/api/v1/imports/").status_code == 200
    admin.post(f"/biuro/klucze-api/{key.pk}/odwolaj/", {"revoke-confirm": "on"})
    assert api_client(coop_a, key=second).get("/api/v1/imports/").status_code == 401
    with coop_a.use():
        assert list(AuditEvent.objects.filter(action__startswith="api_key").order_by("pk")
                    .values_list("action", flat=True)) == [
            AuditAction.API_KEY_CREATED, AuditAction.API_KEY_ROTATED, AuditAction.API_KEY_REVOKED]


@pytest.mark.parametrize("action", ["nowy-sekret", "odwolaj"])
def test_a_new_secret_or_revoking_a_key_needs_the_confirmation_ticked(coop_a, action):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.cookies["django_language"] = "en"
    secret = admin.get(admin.post("/biuro/klucze-api/", {"name": "System FK", "scopes": ["imports:read"]})[
        "Location"]).context["secret"]
    with coop_a.use():
        key = ApiKey.objects.get()
    page = admin.get(f"/biuro/klucze-api/{key.pk}/")
    assert 'data-copy="new-secret"' not in page.content.decode()  # the secret is shown once, with its copy button
    refused = admin.post(f"/biuro/klucze-api/{key.pk}/{action}/", follow=True)
    assert [str(message) for message in refused.context["messages"]] == [
        "Tick the box to confirm; nothing has changed."]
    assert refused.context["secret"] is None
    assert api_client(coop_a, key=secret).get("/api/v1/imports/").status_code == 200
    with coop_a.use():
        assert list(AuditEvent.objects.filter(action__startswith="api_key").values_list("action", flat=True)) == [
            AuditAction.API_KEY_CREATED]


def test_the_one_time_secret_comes_with_a_copy_button(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    shown = admin.get(admin.post("/biuro/klucze-api/", {"name": "System FK", "scopes": ["imports:read"]})["Location"])
    html = shown.content.decode()
    secret = re.search(r'id="new-secret" type="text" readonly value="([^"]+)"', html).group(1)
    assert f'data-copy="{secret}"' in html and "/static/iok/site.js" in html and "onclick" not in html


def test_a_key_needs_a_name_and_a_scope_and_only_admins_manage_keys(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.cookies["django_language"] = "en"
    refused = admin.post("/biuro/klucze-api/", {"name": ""})
    assert refused.status_code == 200
    assert refused.context["form"].errors == {
        "name": ["Give the key a name, e.g. the accounting system's name."],
        "scopes": ["Choose at least one permission for the key."]}
    assert coop_a.client_logged_in_as(coop_a.clerk).get("/biuro/klucze-api/").status_code == 403
    with coop_a.use():
        assert ApiKey.objects.count() == 0


def test_the_upload_of_a_non_csv_file_is_refused_with_the_reason(coop_a):
    with coop_a.use():
        from tenants_portal.api.services import api_key_create

        _key, writer = api_key_create(acting_user=coop_a.admin, name="FK", scopes=["imports:write"])
    response = api_client(coop_a, key=writer).post("/api/v1/imports/", {
        "file": SimpleUploadedFile("dane.xlsx", io.BytesIO(b"PK").getvalue())})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"code": "not_csv", "attr": "file", "detail": (
        "Proszę przesłać plik CSV (.csv) wyeksportowany z systemu księgowego.")}]
