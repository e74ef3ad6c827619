"""Account recovery (issue 16 finding 6, ASVS V6.4): changing the recovery e-mail address needs the current
password and tells the old address; one-time passwords expire after the cooperative's number of days and the
office issues a new one."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail

from tenants_portal.access.services import account_password_reset
from tenants_portal.accounts.models import User
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.notices.models import OutboxMessage

from .api_world import api_client, token_for
from .conftest import PASSWORD, notices_deliver_waiting

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
ISSUED = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=WARSAW)


def _with_address(coop, email: str = "jan@example.com") -> None:
    with coop.use():
        User.objects.filter(pk=coop.resident.pk).update(email=email, email_verified_at=ISSUED)


def _stored(coop) -> tuple[str, bool]:
    with coop.use():
        user = User.objects.get(pk=coop.resident.pk)
        return user.email, user.email_verified_at is not None


@pytest.mark.parametrize(("password", "error"), [
    ("", "Aby zmienić adres e-mail, proszę podać obecne hasło."),
    ("zgadywane-1", "Obecne hasło jest nieprawidłowe."),
])
def test_the_address_is_not_changed_without_the_right_current_password(coop_a, password, error):
    _with_address(coop_a)
    client = coop_a.client_logged_in_as(coop_a.resident)
    response = client.post("/konto/dane-kontaktowe/", {"email": "napastnik@example.com", "phone": "600 123 456",
                                                       "current_password": password})
    assert response.status_code == 200
    assert response.context["form"].errors == {"current_password": [error]}
    assert response.context["form"]["email"].value() == "napastnik@example.com"  # nothing typed is lost
    assert _stored(coop_a) == ("jan@example.com", True)
    with coop_a.use():
        assert OutboxMessage.objects.count() == 0


def test_the_phone_alone_changes_without_the_password(coop_a):
    _with_address(coop_a)
    client = coop_a.client_logged_in_as(coop_a.resident)
    response = client.post("/konto/dane-kontaktowe/", {"email": "JAN@example.com", "phone": "600 123 456"})
    assert response["Location"] == "/konto/dane-kontaktowe/"
    with coop_a.use():
        assert User.objects.get(pk=coop_a.resident.pk).phone == "600 123 456"
        assert OutboxMessage.objects.count() == 0


def test_a_changed_address_is_told_to_the_old_one_and_confirmed_at_the_new_one(coop_a):
    _with_address(coop_a)
    client = coop_a.client_logged_in_as(coop_a.resident)
    with time_machine.travel(ISSUED, tick=False):
        response = client.post("/konto/dane-kontaktowe/", {"email": "nowy@example.org", "phone": "",
                                                           "current_password": PASSWORD})
    assert response["Location"] == "/konto/dane-kontaktowe/"
    assert _stored(coop_a) == ("nowy@example.org", False)
    notices_deliver_waiting(coop_a)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["jan@example.com", "nowy@example.org"]
    old = by_address["jan@example.com"]
    assert old.subject == "Spółdzielnia Mieszkaniowa „Alfa”: zmieniono adres e-mail Państwa konta"
    assert ("Dnia 02.03.2026 10:00 adres e-mail Państwa konta internetowego zmieniono z tego adresu na "
            "n***@example.org.") in old.body
    assert "/potwierdz-email/" in by_address["nowy@example.org"].body


def test_the_api_changes_the_address_only_with_the_current_password_and_tells_the_old_one(coop_a):
    _with_address(coop_a)
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    refused = client.patch("/api/v1/me/", {"email": "napastnik@example.com"}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == [{"code": "required", "attr": "current_password",
                                         "detail": "Aby zmienić adres e-mail, proszę podać obecne hasło."}]
    assert _stored(coop_a) == ("jan@example.com", True)
    changed = client.patch("/api/v1/me/", {"email": "nowy@example.org", "current_password": PASSWORD},
                           content_type="application/json")
    assert (changed.status_code, changed.json()["email"]) == (200, "nowy@example.org")
    notices_deliver_waiting(coop_a)
    assert sorted(message.to[0] for message in mail.outbox) == ["jan@example.com", "nowy@example.org"]


def _one_time_password_issued(coop) -> str:
    with coop.use(), time_machine.travel(ISSUED, tick=False):
        return account_password_reset(acting_user=coop.clerk, account=User.objects.get(pk=coop.resident.pk)
                                      ).one_time_password


def _sign_in(coop, password: str):
    return coop.client().post("/logowanie/", {"username": "lokator", "password": password})


@pytest.mark.parametrize(("days_later", "days_allowed", "signs_in"), [
    (13, 14, True),
    (15, 14, False),
    (15, 30, True),
    (31, 30, False),
])
def test_a_one_time_password_signs_in_only_within_the_cooperatives_days(coop_a, days_later, days_allowed, signs_in):
    with coop_a.use():
        InstanceSettings.objects.filter(pk=1).update(one_time_password_days=days_allowed)
    password = _one_time_password_issued(coop_a)
    with time_machine.travel(ISSUED + datetime.timedelta(days=days_later), tick=False):
        response = _sign_in(coop_a, password)
    if signs_in:
        assert response["Location"] == "/konto/"
    else:
        assert response.status_code == 200
        assert response.context["form"].errors == {"__all__": [
            "To hasło jednorazowe wygasło. Prosimy zgłosić się do biura spółdzielni po nowe."]}
        assert "_auth_user_id" not in response.wsgi_request.session


def test_an_expired_one_time_password_gets_no_app_token_and_the_office_issues_a_new_one(coop_a):
    expired = _one_time_password_issued(coop_a)
    later = ISSUED + datetime.timedelta(days=20)
    with time_machine.travel(later, tick=False):
        refused = api_client(coop_a).post("/api/v1/auth/token/", {"username": "lokator", "password": expired,
                                                                  "device": "telefon"},
                                          content_type="application/json")
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["code"] == "one_time_password_expired"
        with coop_a.use():
            fresh = account_password_reset(acting_user=coop_a.clerk,
                                           account=User.objects.get(pk=coop_a.resident.pk)).one_time_password
        assert _sign_in(coop_a, fresh)["Location"] == "/konto/"


def test_a_password_the_resident_chose_never_expires(coop_a):
    with time_machine.travel(ISSUED + datetime.timedelta(days=400), tick=False):
        assert _sign_in(coop_a, PASSWORD)["Location"] == "/konto/"
