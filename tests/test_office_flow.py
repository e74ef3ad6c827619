"""The office flow: applications in person, credentials issued once, closing and reopening (regulation 5–7, 11)."""

import datetime

import pytest
import time_machine
from django.test import Client

from tenants_portal.access.models import AccessApplication
from tenants_portal.access.services import accounts_close_titles_ended
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.registry.models import LegalTitle, Person

from .conftest import PASSWORD


def _applicant(coop) -> Person:
    with coop.use():
        return Person.objects.get(last_name="Łącka")


def _application(coop, person, clerk_client, **extra):
    with coop.use():
        unit_ids = list(LegalTitle.objects.filter(person=person).values_list("unit_id", flat=True))
    data = {"kind": "grant", "submitted_on": "2026-11-20", "units": unit_ids, "identity_document": "id_card",
            "document_seen_by": coop.clerk.pk, **extra}
    return clerk_client.post(f"/biuro/osoby/{person.pk}/wniosek/", data)


def test_application_records_the_document_type_and_clerk_never_a_number():
    fields = {field.name for field in AccessApplication._meta.get_fields()}
    assert {"identity_document", "document_seen_by"} <= fields
    assert not {name for name in fields if "number" in name or "scan" in name or "copy" in name}


def test_clerk_issues_credentials_shown_once_and_printable(coop_a):
    person = _applicant(coop_a)
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    response = _application(coop_a, person, clerk)
    assert response["Location"] == "/biuro/dane-dostepowe/"

    page = clerk.get("/biuro/dane-dostepowe/")
    issued = page.context["issued"]
    assert issued["login"] == "zlacka"
    assert issued["units"] == ["ul. Hutnicza 1/3"]
    letter = clerk.get("/biuro/dane-dostepowe/list.pdf")
    assert (letter.status_code, letter["Content-Type"]) == (200, "application/pdf")
    assert letter.content.startswith(b"%PDF-")

    with coop_a.use():
        account = User.objects.get(username="zlacka")
        assert (account.role, account.must_change_password, account.first_name, account.last_name) == (
            User.Role.RESIDENT, True, "Zofia", "Łącka")
        assert account.check_password(issued["password"])
        application = AccessApplication.objects.get(person=person)
        assert (application.identity_document, application.document_seen_by.username,
                application.recorded_by.username, application.account_id) == ("id_card", "biuro", "biuro", account.pk)
        assert list(AuditEvent.objects.filter(actor_login="biuro").exclude(action__startswith="login.")
                    .values_list("action", "target")) == [
            (AuditAction.ACCOUNT_ISSUED, "zlacka"), (AuditAction.GRANT_APPLICATION_RECORDED, "Zofia Łącka")]
        assert issued["password"] not in str(list(AuditEvent.objects.values_list("details", flat=True)))

    clerk.post("/biuro/dane-dostepowe/")
    assert clerk.get("/biuro/dane-dostepowe/").context["issued"] is None
    assert clerk.get("/biuro/dane-dostepowe/list.pdf")["Location"] == "/biuro/dane-dostepowe/"

    resident = Client(HTTP_HOST=coop_a.host)
    assert resident.post("/logowanie/", {"username": "zlacka", "password": issued["password"]}).status_code == 302
    assert resident.get("/konto/")["Location"] == "/pierwsze-logowanie/regulamin/"


def test_a_person_with_an_account_gets_a_clear_message_and_nothing_is_issued(coop_a):
    with coop_a.use():
        person = Person.objects.get(account__username="lokator")
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    with coop_a.use():
        users_before = User.objects.count()
    response = _application(coop_a, person, clerk)
    # A person who has an account gets only the application recorded, no second account.
    assert response["Location"] == f"/biuro/osoby/{person.pk}/"
    with coop_a.use():
        assert User.objects.count() == users_before


def test_taken_login_is_refused_and_the_form_keeps_what_was_typed(coop_a):
    person = _applicant(coop_a)
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    clerk.cookies["django_language"] = "en"
    response = _application(coop_a, person, clerk, login="lokator", email="z.lacka@example.com")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["The login lokator is already taken."]
    assert response.context["form"]["email"].value() == "z.lacka@example.com"
    with coop_a.use():
        assert not AccessApplication.objects.filter(person=person).exists()
        assert not User.objects.filter(email="z.lacka@example.com").exists()


@pytest.mark.parametrize("who", ["resident", "technician"])
def test_only_office_staff_reach_the_office_pages(coop_a, who):
    client = coop_a.client_logged_in_as(getattr(coop_a, who))
    person = _applicant(coop_a)
    assert client.get("/biuro/osoby/?q=Łącka").status_code == 403
    assert _application(coop_a, person, client).status_code == 403
    with coop_a.use():
        assert not AccessApplication.objects.exists()


def test_staff_of_another_cooperative_never_see_this_cooperatives_people(coop_a, coop_b):
    with coop_a.use():
        only_in_a = Person.objects.create(first_name="Tylko", last_name="Alfowska")
    clerk_b = coop_b.client_logged_in_as(coop_b.clerk)
    response = clerk_b.get(f"/biuro/osoby/{only_in_a.pk}/")
    assert "Alfowska" not in response.content.decode()
    with coop_b.use():
        exists_in_b = Person.objects.filter(pk=only_in_a.pk).exists()
    assert response.status_code == (200 if exists_in_b else 404)
    assert list(clerk_b.get("/biuro/osoby/?q=Alfowska").context["people"]) == []


def test_withdrawal_application_closes_the_account(coop_a):
    with coop_a.use():
        person = Person.objects.get(account__username="lokator")
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    _application(coop_a, person, clerk, kind="withdraw")
    with coop_a.use():
        account = User.objects.get(username="lokator")
        assert (account.is_active, account.closure) == (False, User.Closure.RESIDENT_REQUEST)
        assert account.closure_note == "Wniosek o odebranie dostępu z dnia 20.11.2026"


def test_office_reset_issues_a_new_one_time_password_and_the_old_password_stops_working(coop_a):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    response = clerk.post(f"/biuro/konta/{coop_a.resident.pk}/reset/")
    assert response["Location"] == "/biuro/dane-dostepowe/"
    new_password = clerk.get("/biuro/dane-dostepowe/").context["issued"]["password"]
    assert coop_a.client().post("/logowanie/", {"username": "lokator", "password": PASSWORD}).status_code == 200
    fresh = coop_a.client_logged_in_as(coop_a.resident, password=new_password)
    assert fresh.get("/konto/")["Location"] == "/konto/haslo/"


def test_closing_for_misuse_needs_a_reason_and_changes_nothing_without_it(coop_a):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    clerk.cookies["django_language"] = "en"
    refused = clerk.post(f"/biuro/konta/{coop_a.resident.pk}/close/", {"closure": "misuse", "note": " "})
    assert refused.status_code == 400
    assert refused.context["close_errors"] == ["Give the reason for closing the account."]
    with coop_a.use():
        assert User.objects.get(pk=coop_a.resident.pk).is_active is True
    clerk.post(f"/biuro/konta/{coop_a.resident.pk}/close/", {"closure": "misuse", "note": "Udostępnianie hasła"})
    with coop_a.use():
        account = User.objects.get(pk=coop_a.resident.pk)
        assert (account.is_active, account.closure, account.closure_note) == (False, "misuse", "Udostępnianie hasła")
        event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_CLOSED)
        assert (event.actor_login, event.target, event.details) == (
            "biuro", "lokator", {"closure": "misuse", "note": "Udostępnianie hasła"})


def test_reopening_gives_a_new_one_time_password(coop_a):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    clerk.post(f"/biuro/konta/{coop_a.resident.pk}/close/", {"closure": "resident_request", "note": ""})
    clerk.post(f"/biuro/konta/{coop_a.resident.pk}/reopen/")
    password = clerk.get("/biuro/dane-dostepowe/").context["issued"]["password"]
    with coop_a.use():
        account = User.objects.get(pk=coop_a.resident.pk)
        assert (account.is_active, account.closed_at, account.must_change_password) == (True, None, True)
        assert account.check_password(password)


def test_nightly_closure_closes_only_accounts_whose_every_title_has_ended(coop_a):
    with coop_a.use():
        LegalTitle.objects.filter(person__account__username="lokator").update(end_date=datetime.date(2026, 1, 31))
        LegalTitle.objects.filter(person__account__username="obcy").update(end_date=datetime.date(2027, 1, 31))
        assert accounts_close_titles_ended(on=datetime.date(2026, 11, 24)) == ["lokator"]
        assert accounts_close_titles_ended(on=datetime.date(2026, 11, 24)) == []
        lokator, obcy = User.objects.get(username="lokator"), User.objects.get(username="obcy")
        assert (lokator.is_active, lokator.closure) == (False, User.Closure.TITLES_ENDED)
        assert obcy.is_active is True


def test_audit_log_is_for_admins_and_filters(coop_a):
    coop_a.client_logged_in_as(coop_a.resident)
    assert coop_a.client_logged_in_as(coop_a.clerk).get("/biuro/dziennik/").status_code == 403
    admin = coop_a.client_logged_in_as(coop_a.admin)
    page = admin.get("/biuro/dziennik/?login=lokator&action=login")
    assert [(event.action, event.target) for event in page.context["page"]] == [
        (AuditAction.LOGIN_SUCCEEDED, "lokator")]


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_applications_date_is_filled_in_the_date_inputs_iso_form_and_kept_on_first_submit(coop_a, language):
    person = _applicant(coop_a)
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    clerk.cookies["django_language"] = language
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC), tick=False):
        page = clerk.get(f"/biuro/osoby/{person.pk}/wniosek/")
        assert '<input type="date" name="submitted_on" value="2026-12-01"' in page.content.decode()
        # What the browser sends back from that input is accepted as it is.
        response = _application(coop_a, person, clerk, submitted_on="2026-12-01")
    assert response["Location"] == "/biuro/dane-dostepowe/"
    with coop_a.use():
        assert AccessApplication.objects.get(person=person).submitted_on == datetime.date(2026, 12, 1)
