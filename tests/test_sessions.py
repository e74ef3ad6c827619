"""Sessions: new id at sign-in, other sessions end at a password change, timeouts, closing."""

import time

from tenants_portal.access.services import account_close
from tenants_portal.accounts.models import User
from tenants_portal.accounts.sessions import AUTHENTICATED_AT, SEEN_AT

from .conftest import PASSWORD


def test_sign_in_issues_a_new_session_id(coop_a):
    client = coop_a.client()
    client.get("/logowanie/")
    session = client.session
    session["probe"] = "before"
    session.save()
    before = client.cookies["sessionid"].value
    client.post("/logowanie/", {"username": "lokator", "password": PASSWORD})
    assert client.cookies["sessionid"].value != before


def test_a_sign_in_without_an_earlier_session_stores_exactly_one_signed_in_session(coop_a):
    from django.contrib.sessions.models import Session

    client = coop_a.client()
    with coop_a.use():
        before = set(Session.objects.values_list("session_key", flat=True))
    assert client.post("/logowanie/", {"username": "lokator", "password": PASSWORD}).status_code == 302
    with coop_a.use():
        new = [session for session in Session.objects.all() if session.session_key not in before]
    assert [session.session_key for session in new] == [client.cookies["sessionid"].value]
    assert new[0].get_decoded()["_auth_user_id"] == str(coop_a.resident.pk)


def test_password_change_ends_the_other_sessions_but_keeps_this_one(coop_a):
    phone = coop_a.client_logged_in_as(coop_a.resident)
    laptop = coop_a.client_logged_in_as(coop_a.resident)
    response = laptop.post("/konto/haslo/", {"old_password": PASSWORD, "new_password1": "Nowe-haslo-77",
                                             "new_password2": "Nowe-haslo-77"})
    assert response["Location"] == "/konto/"
    assert laptop.get("/konto/").status_code == 200
    assert phone.get("/konto/")["Location"] == "/logowanie/?next=/konto/"


def _age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_idle_timeout_ends_the_session(coop_a):
    client = coop_a.client_logged_in_as(coop_a.resident)
    _age_session(client, **{SEEN_AT: 31 * 60})
    assert client.get("/konto/")["Location"] == "/logowanie/?next=/konto/"
    assert client.get("/konto/")["Location"] == "/logowanie/?next=/konto/"


def test_activity_within_the_idle_time_keeps_the_session(coop_a):
    client = coop_a.client_logged_in_as(coop_a.resident)
    _age_session(client, **{SEEN_AT: 29 * 60})
    assert client.get("/konto/").status_code == 200


def test_absolute_timeout_ends_even_an_active_session(coop_a):
    client = coop_a.client_logged_in_as(coop_a.resident)
    _age_session(client, **{AUTHENTICATED_AT: 8 * 3600 + 1, SEEN_AT: 10})
    assert client.get("/konto/")["Location"] == "/logowanie/?next=/konto/"


def test_closing_an_account_ends_its_live_session_at_once(coop_a):
    client = coop_a.client_logged_in_as(coop_a.resident)
    assert client.get("/konto/").status_code == 200
    with coop_a.use():
        account_close(acting_user=User.objects.get(username="biuro"), account=User.objects.get(username="lokator"),
                      closure=User.Closure.MISUSE, note="Udostępnianie konta osobom trzecim")
    assert client.get("/konto/")["Location"] == "/logowanie/?next=/konto/"
    refused = coop_a.client().post("/logowanie/", {"username": "lokator", "password": PASSWORD})
    assert refused.status_code == 200
