"""Anti-automation (issue 16 finding 5, ASVS V2.4.1 / V6.3.1): e-mails, password checks and costly documents are
limited per client, with counters in Redis per cooperative; a limited request gets a Polish page or the API's
JSON error with Retry-After, and changes nothing."""

import pytest
from django.test import Client, RequestFactory

from iok.ratelimits import LIMITS, rate_limit_hit
from tenants_portal.accounts.models import User
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.notices.models import OutboxMessage

from .api_world import api_client, token_for
from .conftest import PASSWORD


def _used_up(coop, name: str, *, user=None, times: int) -> None:
    """Counts `times` requests against a limit the way a view does (costly pages need not be built 30 times)."""
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_HOST=coop.host)
    request.user = user or _anonymous()
    with coop.use():
        for _ in range(times):
            rate_limit_hit(request, name)


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _limit(name: str) -> int:
    return int(LIMITS[name].rate.split("/")[0])


def _assert_polish_429(response, *, minutes: int) -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == str(minutes * 60)
    page = response.content.decode()
    assert "<h1>Zbyt wiele żądań</h1>" in page
    assert f"Proszę spróbować ponownie za {minutes} minut." in page


def _assert_api_429(response, *, seconds: int) -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == str(seconds)
    assert response.json() == {"type": "client_error", "errors": [{
        "code": "throttled", "attr": None,
        "detail": f"Zbyt wiele żądań tego rodzaju w krótkim czasie. Proszę spróbować ponownie za {seconds // 60} "
                  "minut."}]}


def test_password_reset_e_mails_to_one_address_are_limited_and_the_limited_request_enqueues_nothing(
        coop_a, django_capture_on_commit_callbacks):
    with coop_a.use():
        InstanceSettings.objects.filter(pk=1).update(password_reset_by_email=True)
    client = coop_a.client()
    for _ in range(_limit("password_reset_address")):
        assert client.post("/haslo/nie-pamietam/", {"email": "Jan@Example.com"}).status_code == 302
    with django_capture_on_commit_callbacks() as jobs:
        refused = client.post("/haslo/nie-pamietam/", {"email": "jan@example.com"})
    _assert_polish_429(refused, minutes=60)
    assert jobs == []
    assert client.post("/haslo/nie-pamietam/", {"email": "ktos@example.com"}).status_code == 302


def test_password_reset_requests_from_one_client_address_are_limited_whatever_the_e_mail(coop_a):
    with coop_a.use():
        InstanceSettings.objects.filter(pk=1).update(password_reset_by_email=True)
    client = coop_a.client()
    for number in range(_limit("password_reset_ip")):
        assert client.post("/haslo/nie-pamietam/", {"email": f"osoba{number}@example.com"}).status_code == 302
    _assert_polish_429(client.post("/haslo/nie-pamietam/", {"email": "inna@example.com"}), minutes=60)
    other_client = Client(HTTP_HOST=coop_a.host, REMOTE_ADDR="10.9.9.9")
    assert other_client.post("/haslo/nie-pamietam/", {"email": "inna@example.com"}).status_code == 302


def test_verification_e_mails_are_limited_per_account(coop_a):
    with coop_a.use():
        User.objects.filter(pk=coop_a.resident.pk).update(email="jan@example.com", email_verified_at=None)
    client = coop_a.client_logged_in_as(coop_a.resident)
    for _ in range(_limit("email_verification")):
        assert client.post("/konto/dane-kontaktowe/potwierdz-ponownie/").status_code == 302
    with coop_a.use():
        sent = OutboxMessage.objects.filter(notice__kind="email_verification").count()
    _assert_polish_429(client.post("/konto/dane-kontaktowe/potwierdz-ponownie/"), minutes=60)
    with coop_a.use():
        assert OutboxMessage.objects.filter(notice__kind="email_verification").count() == sent == 5


def test_changing_the_address_again_and_again_is_limited_and_the_limited_change_is_not_saved(coop_a):
    """Each change checks the password and sends a confirmation: the stricter window (15 minutes) answers."""
    client = coop_a.client_logged_in_as(coop_a.resident)
    for number in range(_limit("email_verification")):
        response = client.post("/konto/dane-kontaktowe/", {"email": f"adres{number}@example.com", "phone": "",
                                                           "current_password": PASSWORD})
        assert response.status_code == 302
    refused = client.post("/konto/dane-kontaktowe/", {"email": "obcy@example.com", "phone": "",
                                                      "current_password": PASSWORD})
    _assert_polish_429(refused, minutes=15)
    with coop_a.use():
        assert User.objects.get(pk=coop_a.resident.pk).email == "adres4@example.com"


def test_the_current_password_check_on_the_password_page_is_limited(coop_a):
    client = coop_a.client_logged_in_as(coop_a.resident)
    for number in range(_limit("password_check")):
        wrong = client.post("/konto/haslo/", {"old_password": f"zgadywane-{number}", "new_password1": "Nowe-haslo-9",
                                              "new_password2": "Nowe-haslo-9"})
        assert wrong.status_code == 200
    right_but_limited = client.post("/konto/haslo/", {"old_password": PASSWORD, "new_password1": "Nowe-haslo-9",
                                                      "new_password2": "Nowe-haslo-9"})
    _assert_polish_429(right_but_limited, minutes=15)
    with coop_a.use():
        assert User.objects.get(pk=coop_a.resident.pk).check_password(PASSWORD)


def test_the_current_password_check_of_the_api_is_limited_with_the_json_error(coop_a):
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    for number in range(_limit("password_check")):
        wrong = client.post("/api/v1/me/password/", {"current_password": f"zgadywane-{number}",
                                                     "new_password": "Nowe-haslo-9"}, content_type="application/json")
        assert wrong.status_code == 400
    limited = client.post("/api/v1/me/password/", {"current_password": PASSWORD, "new_password": "Nowe-haslo-9"},
                          content_type="application/json")
    _assert_api_429(limited, seconds=900)
    with coop_a.use():
        assert User.objects.get(pk=coop_a.resident.pk).check_password(PASSWORD)


@pytest.mark.parametrize(("name", "path", "signed_in"), [
    ("statement_pdf", "/rozrachunki/wyciag.pdf", True),
    ("application_form_pdf", "/wniosek-o-dostep.pdf", False),
])
def test_costly_documents_are_limited(coop_a, name, path, signed_in):
    client = coop_a.client_logged_in_as(coop_a.resident) if signed_in else coop_a.client()
    _used_up(coop_a, name, user=coop_a.resident if signed_in else None, times=_limit(name) - 1)
    assert client.get(path)["Content-Type"] == "application/pdf"
    _assert_polish_429(client.get(path), minutes=60)


@pytest.mark.parametrize(("name", "path"), [
    ("statement_pdf", "/api/v1/units/{unit}/statement/"),
    ("api_schema", "/api/v1/schema/"),
])
def test_costly_api_answers_are_limited_with_the_json_error(coop_a, name, path):
    with coop_a.use():
        unit = coop_a.resident.person.legal_titles.order_by("unit__number").first().unit_id
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    _used_up(coop_a, name, user=coop_a.resident if name == "statement_pdf" else None, times=_limit(name) - 1)
    assert client.get(path.format(unit=unit)).status_code == 200
    _assert_api_429(client.get(path.format(unit=unit)), seconds=3600)


def test_one_cooperative_using_up_a_limit_leaves_another_cooperative_alone(coop_a, coop_b):
    """The same login from the same client address in two cooperatives: two counters (keys carry the schema)."""
    _used_up(coop_a, "password_check", user=coop_a.resident, times=_limit("password_check"))
    body = {"current_password": "zgadywane", "new_password": "Nowe-haslo-9"}
    in_a = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    in_b = api_client(coop_b, token=token_for(coop_b, coop_b.resident))
    assert in_a.post("/api/v1/me/password/", body, content_type="application/json").status_code == 429
    assert in_b.post("/api/v1/me/password/", body, content_type="application/json").status_code == 400


def test_the_readme_states_every_limit():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for name, limit in LIMITS.items():
        assert f"| `{name}` | {limit.rate} |" in readme, name


def test_a_request_without_a_client_address_is_counted_under_one_name_not_an_error(coop_a):
    from iok.ratelimits import NO_ADDRESS, client_address

    request = RequestFactory().get("/", REMOTE_ADDR="", HTTP_HOST=coop_a.host)
    request.user = _anonymous()
    assert client_address(request) == NO_ADDRESS
    _used_up(coop_a, "api_schema", times=1)
    with coop_a.use():
        rate_limit_hit(request, "api_schema")
