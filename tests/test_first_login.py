"""First sign-in: accept the regulation, then replace the one-time password; nothing else works before."""

import pytest
from django.test import Client

from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.regulation.models import RegulationAcceptance, RegulationVersion
from tenants_portal.regulation.services import regulation_publish

ONE_TIME = "Xk7pQ2mR9w#a"


@pytest.fixture
def newcomer(coop_a):
    """A resident the office has just issued a one-time password to."""
    with coop_a.use():
        user = User(username="nowy", role=User.Role.RESIDENT, first_name="Zofia", last_name="Nowak",
                    must_change_password=True)
        user.set_password(ONE_TIME)
        user.save()
    return user


def _signed_in(coop, password=ONE_TIME, language="en") -> Client:
    client = Client(HTTP_HOST=coop.host)
    client.cookies["django_language"] = language
    response = client.post("/logowanie/", {"username": "nowy", "password": password})
    assert response.status_code == 302
    return client


PAGES = ["/konto/", "/konto/dane-kontaktowe/", "/konto/zgody/", "/konto/moje-dane/", "/biuro/osoby/",
         "/konto/lokal/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_leads_to_the_regulation_first(coop_a, newcomer, path):
    client = _signed_in(coop_a)
    response = client.get(path)
    assert (response.status_code, response["Location"]) == (302, "/pierwsze-logowanie/regulamin/")


@pytest.mark.parametrize("path", [*PAGES, "/pierwsze-logowanie/regulamin/"])
def test_after_accepting_every_page_leads_to_the_password_change(coop_a, newcomer, path):
    client = _signed_in(coop_a)
    client.post("/pierwsze-logowanie/regulamin/", {"accept": "on"})
    response = client.get(path)
    assert (response.status_code, response["Location"]) == (302, "/konto/haslo/")


def test_api_answers_a_clear_403_until_the_first_sign_in_is_finished(coop_a, newcomer):
    client = _signed_in(coop_a)
    response = client.get("/api/v1/units/")
    assert response.status_code == 403
    assert response.json() == {"type": "client_error", "errors": [{
        "code": "first_sign_in_pending", "attr": None,
        "detail": "Finish your first sign-in on the website: accept the regulation and set your own password. Then "
                  "the app will work."}]}


def test_regulation_must_be_ticked_and_acceptance_is_recorded_with_version_time_and_ip(coop_a, newcomer):
    client = _signed_in(coop_a)
    refused = client.post("/pierwsze-logowanie/regulamin/", {})
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"accept": ["To use the online account you must accept the regulation."]}
    with coop_a.use():
        assert not RegulationAcceptance.objects.filter(user=newcomer).exists()

    accepted = client.post("/pierwsze-logowanie/regulamin/", {"accept": "on"}, REMOTE_ADDR="10.1.2.3")
    assert accepted["Location"] == "/konto/haslo/"
    with coop_a.use():
        acceptance = RegulationAcceptance.objects.get(user=newcomer)
        assert (acceptance.regulation.version, acceptance.ip_address) == (1, "10.1.2.3")
        assert acceptance.accepted_at is not None


def test_weak_password_is_refused_naming_exactly_the_broken_rule_and_a_good_one_is_accepted(coop_a, newcomer):
    client = _signed_in(coop_a, language="pl")
    client.post("/pierwsze-logowanie/regulamin/", {"accept": "on"})

    refused = client.post("/konto/haslo/", {"old_password": ONE_TIME, "new_password1": "abc12",
                                            "new_password2": "abc12"})
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"new_password1": ["Hasło musi mieć co najmniej 6 znaków."]}
    assert "Hasło musi mieć co najmniej 6 znaków." in refused.content.decode()
    assert refused.context["form"].rules == [
        "co najmniej 6 znaków", "co najmniej jedna litera", "co najmniej jedna cyfra",
        "nie może być jednym z często używanych haseł", "nie może zawierać identyfikatora, imienia ani nazwiska",
        "inne niż 3 ostatnie hasła"]
    with coop_a.use():
        assert User.objects.get(pk=newcomer.pk).check_password(ONE_TIME)

    accepted = client.post("/konto/haslo/", {"old_password": ONE_TIME, "new_password1": "Hutnik2026x",
                                             "new_password2": "Hutnik2026x"})
    assert (accepted.status_code, accepted["Location"]) == (302, "/konto/")
    assert client.get("/konto/").status_code == 200
    with coop_a.use():
        user = User.objects.get(pk=newcomer.pk)
        assert user.check_password("Hutnik2026x") and user.must_change_password is False
        assert list(AuditEvent.objects.filter(actor_login="nowy").values_list("action", flat=True)) == [
            AuditAction.PASSWORD_CHANGED, AuditAction.REGULATION_ACCEPTED, AuditAction.LOGIN_SUCCEEDED]


def test_new_regulation_version_is_asked_again_at_next_sign_in(coop_a):
    client = coop_a.client_logged_in_as(coop_a.resident)
    assert client.get("/konto/").status_code == 200
    with coop_a.use():
        regulation_publish(title="Regulamin IOK, wersja 2", text="1. Nowe zasady.", acting_user=coop_a.admin)
        assert RegulationVersion.objects.count() == 2
    again = coop_a.client_logged_in_as(coop_a.resident)
    assert again.get("/konto/")["Location"] == "/pierwsze-logowanie/regulamin/"
    page = again.get("/pierwsze-logowanie/regulamin/")
    assert page.context["regulation"].version == 2
    assert "Nowe zasady." in page.content.decode()


def test_public_regulation_page_shows_the_current_version(coop_a):
    page = coop_a.client().get("/regulamin/")
    assert page.status_code == 200
    assert page.context["regulation"].version == 1
    assert "<li>Konto IOK służy do wglądu w rozrachunki.</li>" in page.content.decode()
