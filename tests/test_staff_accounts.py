"""Staff accounts: admins create clerks, technicians and admins with a one-time password shown once,
change roles and close accounts, every step audited; there is always an admin left."""

import pytest
from django.test import Client

from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent

NEW_CLERK = {"first_name": "Anna", "last_name": "Nowak", "login": "a.nowak", "email": "a.nowak@alfa.example",
             "role": "clerk"}


def _staff(coop) -> list[tuple]:
    with coop.use():
        return sorted(User.objects.exclude(role="resident").values_list("username", "role", "is_active"))


def _events(coop, prefix: str) -> list[tuple]:
    with coop.use():
        return list(AuditEvent.objects.filter(action__startswith=prefix).order_by("id")
                    .values_list("actor_login", "action", "target", "details"))


def test_admin_creates_a_clerk_whose_one_time_password_is_shown_once_and_works(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    response = admin.post("/biuro/pracownicy/", NEW_CLERK)
    assert response["Location"] == "/biuro/pracownicy/haslo-jednorazowe/"
    issued = admin.get("/biuro/pracownicy/haslo-jednorazowe/").context["issued"]
    assert issued["login"] == "a.nowak"
    assert len(issued["password"]) >= 12
    with coop_a.use():
        member = User.objects.get(username="a.nowak")
        assert (member.role, member.must_change_password, member.get_full_name(), member.email) == (
            "clerk", True, "Anna Nowak", "a.nowak@alfa.example")
    assert _events(coop_a, "staff") == [("admin", AuditAction.STAFF_CREATED, "a.nowak",
                                          {"role": "clerk", "name": "Anna Nowak"})]
    assert issued["password"] not in str(_events(coop_a, ""))

    assert admin.post("/biuro/pracownicy/haslo-jednorazowe/")["Location"] == f"/biuro/pracownicy/{member.pk}/"
    assert admin.get("/biuro/pracownicy/haslo-jednorazowe/").context["issued"] is None

    colleague = Client(HTTP_HOST=coop_a.host)
    assert colleague.post("/logowanie/", {"username": "a.nowak", "password": issued["password"]}).status_code == 302
    assert colleague.get("/biuro/")["Location"] == "/konto/haslo/"


def test_a_taken_or_malformed_login_is_refused_and_the_form_keeps_what_was_typed(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    before = _staff(coop_a)
    taken = admin.post("/biuro/pracownicy/", {**NEW_CLERK, "login": "lokator"})
    assert taken.context["form"].non_field_errors() == ["Identyfikator lokator jest już zajęty."]
    assert taken.context["form"]["first_name"].value() == "Anna"
    malformed = admin.post("/biuro/pracownicy/", {**NEW_CLERK, "login": "Anna Nowak!"})
    assert len(malformed.context["form"].non_field_errors()) == 1
    assert _staff(coop_a) == before


def test_admin_changes_a_role_and_it_takes_effect_at_once(coop_a):
    technician = coop_a.client_logged_in_as(coop_a.technician)
    assert technician.get("/biuro/osoby/").status_code == 403
    admin = coop_a.client_logged_in_as(coop_a.admin)
    response = admin.post(f"/biuro/pracownicy/{coop_a.technician.pk}/role/", {"role": "clerk"})
    assert response["Location"] == f"/biuro/pracownicy/{coop_a.technician.pk}/"
    assert technician.get("/biuro/osoby/").status_code == 200
    assert _events(coop_a, "staff") == [
        ("admin", AuditAction.STAFF_ROLE_CHANGED, "technik", {"role": ["technician", "clerk"]})]


def test_admin_closes_a_staff_account_and_its_sessions_end(coop_a):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.post(f"/biuro/pracownicy/{coop_a.clerk.pk}/close/", {"note": "nie pracuje już w biurze"})
    with coop_a.use():
        member = User.objects.get(pk=coop_a.clerk.pk)
        assert (member.is_active, member.closure_note) == (False, "nie pracuje już w biurze")
    assert clerk.get("/biuro/osoby/")["Location"].startswith("/logowanie/")
    assert _events(coop_a, AuditAction.ACCOUNT_CLOSED) == [
        ("admin", AuditAction.ACCOUNT_CLOSED, "biuro", {"closure": "", "note": "nie pracuje już w biurze"})]
    assert "biuro" not in [member.username for member in admin.get("/biuro/pracownicy/").context["members"]]


@pytest.mark.parametrize(("action", "data"), [("role", {"role": "clerk"}), ("close", {"note": ""})])
def test_the_last_admin_cannot_be_removed(coop_a, action, data):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    before = _staff(coop_a)
    response = admin.post(f"/biuro/pracownicy/{coop_a.admin.pk}/{action}/", data)
    assert response.status_code == 400
    form = response.context["role_form" if action == "role" else "close_form"]
    assert form.non_field_errors() == [
        "admin jest jedynym administratorem spółdzielni. Najpierw nadaj rolę administratora komuś innemu, żeby ktoś "
        "nadal mógł zarządzać konfiguracją i pracownikami."]
    assert _staff(coop_a) == before
    assert _events(coop_a, "staff") == _events(coop_a, AuditAction.ACCOUNT_CLOSED) == []


def test_with_a_second_admin_the_first_may_step_down(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.post(f"/biuro/pracownicy/{coop_a.clerk.pk}/role/", {"role": "admin"})
    admin.post(f"/biuro/pracownicy/{coop_a.admin.pk}/role/", {"role": "clerk"})
    assert _staff(coop_a) == [("admin", "clerk", True), ("biuro", "admin", True), ("technik", "technician", True)]
    assert admin.get("/biuro/konfiguracja/").status_code == 403


def test_admin_issues_a_new_one_time_password_to_a_colleague(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.post(f"/biuro/pracownicy/{coop_a.technician.pk}/reset/")
    issued = admin.get("/biuro/pracownicy/haslo-jednorazowe/").context["issued"]
    assert issued["login"] == "technik"
    with coop_a.use():
        assert User.objects.get(pk=coop_a.technician.pk).check_password(issued["password"])
    assert _events(coop_a, AuditAction.ONE_TIME_PASSWORD_ISSUED) == [
        ("admin", AuditAction.ONE_TIME_PASSWORD_ISSUED, "technik", {})]


@pytest.mark.parametrize("who", ["clerk", "technician"])
def test_only_an_admin_manages_staff(coop_a, who):
    client = coop_a.client_logged_in_as(getattr(coop_a, who))
    before = _staff(coop_a)
    assert client.get("/biuro/pracownicy/").status_code == 403
    assert client.post("/biuro/pracownicy/", NEW_CLERK).status_code == 403
    assert client.post(f"/biuro/pracownicy/{coop_a.admin.pk}/role/", {"role": "clerk"}).status_code == 403
    assert client.post(f"/biuro/pracownicy/{coop_a.admin.pk}/close/", {}).status_code == 403
    assert _staff(coop_a) == before


def test_a_residents_account_is_not_a_staff_members(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    assert admin.get(f"/biuro/pracownicy/{coop_a.resident.pk}/").status_code == 404
    assert admin.post(f"/biuro/pracownicy/{coop_a.resident.pk}/role/", {"role": "admin"}).status_code == 404
    with coop_a.use():
        assert User.objects.get(pk=coop_a.resident.pk).role == "resident"
