"""Operators' console on the base domain: onboarding in one step, the list of cooperatives with their
figures, suspension and reactivation; operators never see residents' personal data here."""

import base64
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from billing_views.models import ImportRun
from cooperatives.models import Cooperative, Domain
from operators.selectors import cooperative_figures_forget
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings

from .conftest import PASSWORD, totp_code

ONBOARDING = {
    "name": "SM Testowa", "slug": "testowa", "street": "ul. Próbna 7", "postal_code": "40-001", "city": "Katowice",
    "admin_email": "zarzad@testowa.example", "modules": ["failures", "announcements"], "policy": "like_hutnik",
}
# Personal data of Alfa's resident that no console page may show (set in the `marked_resident` fixture).
RESIDENT_MARKS = ("Kowalczykowska", "jan.kowalczykowski@example.com", "601 202 303")


@pytest.fixture
def marked_resident(coop_a):
    with coop_a.use():
        resident = User.objects.get(pk=coop_a.resident.pk)
        resident.last_name, resident.email, resident.phone = RESIDENT_MARKS
        resident.save()
        person = resident.person
        person.last_name = RESIDENT_MARKS[0]
        person.save()
    return resident


def _platform_audit(fields: tuple[str, ...], **filters) -> list[tuple]:
    """The platform's own audit rows (a cooperative host's request leaves the connection on its schema)."""
    with schema_context("public"):
        return list(AuditEvent.objects.filter(**filters).order_by("id").values_list(*fields))


def _state_of(slug: str) -> dict:
    """What onboarding made of a cooperative, without what differs between two runs."""
    cooperative = Cooperative.objects.get(slug=slug)
    with schema_context(cooperative.schema_name):
        settings = InstanceSettings.objects.values().get()
        admin = User.objects.get()
        return {
            "cooperative": (cooperative.name, cooperative.schema_name, cooperative.street, cooperative.postal_code,
                            cooperative.city, cooperative.status),
            "domains": list(Domain.objects.filter(tenant=cooperative).values_list("domain", "is_primary")),
            "settings": settings,
            "admin": (admin.username, admin.email, admin.role, admin.must_change_password, admin.is_active),
            "audit": list(AuditEvent.objects.order_by("id").values_list("action", "target", "details")),
        }


def test_operator_onboards_a_cooperative_and_its_admin_signs_in_with_the_one_time_password(operator_client):
    form = operator_client.get("/operator/nowa/")
    assert form.status_code == 200
    assert form.context["form"]["modules"].value() == ["meters", "failures", "announcements", "documents"]

    response = operator_client.post("/operator/nowa/", ONBOARDING)

    assert response.status_code == 200
    assert response.templates[0].name == "operators/onboarded.html"
    assert response["Cache-Control"] == "no-store"
    password = response.context["created"].admin_one_time_password
    assert f'<code id="one-time-password">{password}</code>' in response.content.decode()
    assert response.context["url"] == "http://testowa.localhost/"
    state = _state_of("testowa")
    assert state["cooperative"] == ("SM Testowa", "coop_testowa", "ul. Próbna 7", "40-001", "Katowice", "active")
    assert state["domains"] == [("testowa.localhost", True)]
    assert state["admin"] == ("admin", "zarzad@testowa.example", User.Role.ADMIN, True, True)
    settings = state["settings"]
    assert (settings["password_min_length"], settings["password_require_letter"], settings["password_require_digit"],
            settings["password_history"]) == (6, True, True, 3)
    assert (settings["module_meters"], settings["module_failures"], settings["module_announcements"],
            settings["module_documents"]) == (False, True, True, False)
    assert _platform_audit(("actor_login", "details"), action=AuditAction.COOPERATIVE_CREATED, target="testowa") == [
        ("operator", {"name": "SM Testowa", "domain": "testowa.localhost", "policy": "like_hutnik",
                      "modules": ["announcements", "failures"]})]

    # A new cooperative's staff sign in with a second factor: its admin sets one up at the first sign-in.
    assert settings["staff_second_factor_required"] is True
    admin = Client(HTTP_HOST="testowa.localhost")
    signed = admin.post("/logowanie/", {"username": "admin", "password": password})
    assert signed["Location"] == "/logowanie/drugi-krok/"
    assert admin.get("/logowanie/drugi-krok/")["Location"] == "/logowanie/aplikacja-uwierzytelniajaca/"
    secret = admin.get("/logowanie/aplikacja-uwierzytelniajaca/").context["secret"]
    code = totp_code(base64.b32decode(secret).hex())
    enrolled = admin.post("/logowanie/aplikacja-uwierzytelniajaca/", {"code": code})
    assert enrolled["Location"] == "/konto/drugi-skladnik/kody/"
    assert len(admin.get("/konto/drugi-skladnik/kody/").context["codes"]) == 10
    assert admin.get("/konto/")["Location"] == "/konto/haslo/"
    assert admin.get("/biuro/konfiguracja/moduly/")["Location"] == "/konto/haslo/"
    changed = admin.post("/konto/haslo/", {"old_password": password, "new_password1": "Testowa2026x",
                                           "new_password2": "Testowa2026x"})
    assert changed["Location"] == "/konto/"
    assert admin.get("/biuro/konfiguracja/moduly/").status_code == 200


def test_the_one_time_password_is_not_on_the_cooperatives_page_afterwards(operator_client):
    password = operator_client.post("/operator/nowa/", ONBOARDING).context["created"].admin_one_time_password
    for path in ("/operator/", "/operator/spoldzielnie/testowa/"):
        page = operator_client.get(path)
        assert page.status_code == 200
        assert password not in page.content.decode()


@pytest.mark.parametrize("via", ["console", "command"])
def test_console_and_command_onboard_through_the_same_service_with_the_same_result(operator_client, via):
    if via == "console":
        operator_client.post("/operator/nowa/", ONBOARDING)
    else:
        call_command("create_cooperative", "--name", ONBOARDING["name"], "--slug", "testowa", "--admin-email",
                     ONBOARDING["admin_email"], "--street", ONBOARDING["street"], "--postal-code", "40-001",
                     "--city", "Katowice", "--policy", "like_hutnik", "--modules", "failures,announcements",
                     stdout=StringIO())

    state = _state_of("testowa")
    assert state["audit"] == [
        (AuditAction.COOPERATIVE_CREATED, "testowa",
         {"policy": "like_hutnik", "modules": ["announcements", "failures"]}),
        (AuditAction.ACCOUNT_ISSUED, "admin", {"role": "admin", "by": "platform onboarding"}),
    ]
    expected_actor = "platform:operator" if via == "console" else "platform:command-line"
    with schema_context("coop_testowa"):
        assert AuditEvent.objects.get(action=AuditAction.COOPERATIVE_CREATED).actor_login == expected_actor
    assert state["admin"] == ("admin", "zarzad@testowa.example", User.Role.ADMIN, True, True)
    assert {k: v for k, v in state["settings"].items() if k.startswith(("password_", "module_"))} == {
        "password_min_length": 6, "password_require_letter": True, "password_require_digit": True,
        "password_require_upper": False, "password_require_lower": False, "password_require_special": False,
        "password_refuse_common": True, "password_refuse_personal": True, "password_history": 3,
        "password_reset_by_email": False,
        "module_meters": False, "module_failures": True, "module_announcements": True, "module_documents": False,
        "module_online_payments": False,
        "module_fee_notices": False,
        "module_matters": False,
    }


INVALID_PL = ("Nazwa w adresie „{slug}” jest nieprawidłowa: należy użyć od 1 do 40 małych liter (a–z), cyfr i "
              "pojedynczych łączników; nazwa musi zaczynać się od litery i nie może kończyć się łącznikiem.")


@pytest.mark.parametrize(("slug", "message"), [
    ("alfa", "Nazwa w adresie „alfa” jest już zajęta przez inną spółdzielnię."),
    ("www", "Nazwa w adresie „www” jest zarezerwowana przez platformę."),
    ("zła nazwa", INVALID_PL.format(slug="zła nazwa")),
    ("abc-", INVALID_PL.format(slug="abc-")),
])
def test_onboarding_form_refuses_a_bad_slug_in_polish_and_keeps_what_was_typed(operator_client, coop_a, slug, message):
    before = list(Cooperative.objects.values_list("slug", flat=True).order_by("slug"))

    response = operator_client.post("/operator/nowa/", {**ONBOARDING, "slug": slug})

    assert response.status_code == 200
    assert response.context["form"].errors == {"slug": [message]}
    assert response.context["form"]["name"].value() == "SM Testowa"
    assert response.context["form"]["admin_email"].value() == "zarzad@testowa.example"
    assert list(Cooperative.objects.values_list("slug", flat=True).order_by("slug")) == before


def test_onboarding_form_refuses_a_bad_email_and_postal_code(operator_client):
    response = operator_client.post("/operator/nowa/", {**ONBOARDING, "admin_email": "zarzad", "postal_code": "40001"})
    assert response.context["form"].errors == {"admin_email": ["Proszę podać poprawny adres e-mail."],
                                               "postal_code": ["Proszę wpisać kod pocztowy w postaci 00-000."]}
    assert not Cooperative.objects.filter(slug="testowa").exists()


def test_only_operators_open_the_console(db, coop_a):
    anonymous = Client(HTTP_HOST="localhost")
    assert anonymous.get("/operator/")["Location"] == "/logowanie/?next=/operator/"
    assert anonymous.get("/operator/nowa/")["Location"] == "/logowanie/?next=/operator/nowa/"
    # A cooperative's admin has no account on the platform site.
    refused = anonymous.post("/logowanie/", {"username": "admin", "password": PASSWORD})
    assert refused.status_code == 200 and not refused.context["user"].is_authenticated


def test_list_shows_each_cooperatives_status_and_figures(operator_client, coop_a, coop_b):
    with coop_a.use():
        ImportRun.objects.create(kind=ImportRun.Kind.CHARGES, source=ImportRun.Source.UPLOAD, filename="a.csv",
                                 stored_path="x", checksum="0" * 64, status=ImportRun.Status.FAILED)
    Cooperative.objects.filter(pk=coop_b.cooperative.pk).update(status=Cooperative.Status.SUSPENDED)

    response = operator_client.get("/operator/")

    # (Other tests' cooperatives may be in the test database too.)
    rows = {row.cooperative.slug: row for row in response.context["overview"]
            if row.cooperative.slug in ("alfa", "beta")}
    assert list(rows) == ["alfa", "beta"]
    alfa, beta = rows["alfa"], rows["beta"]
    assert (alfa.domain, alfa.cooperative.status, alfa.figures.units, alfa.figures.active_accounts) == (
        "alfa.localhost", "active", 4, 2)
    assert (alfa.figures.last_import_status, alfa.figures.last_import_kind, alfa.figures.last_import_failed) == (
        "failed", "charges", True)
    assert (beta.cooperative.status, beta.figures.units, beta.figures.last_import_at) == ("suspended", 4, None)
    page = response.content.decode()
    assert "odrzucony" in page and "zawieszona" in page


def test_list_figures_take_a_fixed_number_of_queries_whatever_the_number_of_cooperatives(operator_client, coop_a,
                                                                                        coop_b):
    with CaptureQueriesContext(connection) as two:
        before = len(operator_client.get("/operator/").context["overview"])
    operator_client.post("/operator/nowa/", ONBOARDING)
    operator_client.post("/operator/nowa/", {**ONBOARDING, "slug": "testowa-dwa"})
    cooperative_figures_forget(schema_names=["coop_alfa", "coop_beta"])  # all four are read afresh
    with CaptureQueriesContext(connection) as four:
        response = operator_client.get("/operator/")
    assert len(response.context["overview"]) == before + 2
    assert len(four.captured_queries) == len(two.captured_queries)


def test_console_pages_show_no_personal_data_of_residents(operator_client, coop_a, marked_resident):
    for path in ("/operator/", "/operator/spoldzielnie/alfa/", "/operator/spoldzielnie/alfa/zawies/"):
        page = operator_client.get(path)
        assert page.status_code == 200, path
        for mark in RESIDENT_MARKS:
            assert mark not in page.content.decode(), (path, mark)


# --- suspension ---------------------------------------------------------------------------------------------

def _suspend(client: Client, slug: str = "alfa", reason: str = "Zaległa umowa serwisowa") -> None:
    response = client.post(f"/operator/spoldzielnie/{slug}/zawies/", {"reason": reason, "confirm": "on"})
    assert response["Location"] == f"/operator/spoldzielnie/{slug}/", response.content.decode()[:500]


def test_suspension_needs_a_reason_and_confirmation_and_changes_nothing_without(operator_client, coop_a):
    response = operator_client.post("/operator/spoldzielnie/alfa/zawies/", {"reason": "  "})
    assert response.context["form"].errors == {"reason": ["To pole jest wymagane."],
                                               "confirm": ["Proszę zaznaczyć pole, aby potwierdzić."]}
    assert Cooperative.objects.get(slug="alfa").status == "active"
    assert _platform_audit(("id",), action=AuditAction.COOPERATIVE_SUSPENDED) == []


API_PATHS = ["/api/v1/", "/api/v1/konto/", "/api/v1/rozrachunki/"]


def test_suspended_cooperative_shows_its_residents_the_notice_and_its_api_refuses(operator_client, coop_a, coop_b):
    resident = coop_a.client_logged_in_as(coop_a.resident)
    assert resident.get("/konto/").status_code == 200  # the route is cached now

    _suspend(operator_client)

    cooperative = Cooperative.objects.get(slug="alfa")
    assert (cooperative.status, cooperative.status_reason) == ("suspended", "Zaległa umowa serwisowa")
    for path in ("/konto/", "/", "/logowanie/", "/rozrachunki/"):
        page = resident.get(path)
        assert page.status_code == 403, path
        assert page.templates[0].name == "errors/cooperative_suspended.html"
        assert "Usługa internetowej obsługi" in page.content.decode() or "zawieszona" in page.content.decode()
    for path in API_PATHS:
        refused = resident.get(path, HTTP_AUTHORIZATION="Token abc")
        assert refused.status_code == 403, path
        assert refused["Content-Type"] == "application/json"
        body = json.loads(refused.content)  # the API's one error shape
        assert (body["type"], [error["code"] for error in body["errors"]]) == (
            "client_error", ["cooperative_suspended"])
        assert "Spółdzielnia Mieszkaniowa „Alfa”" in body["errors"][0]["detail"]
        assert "zawieszon" in body["errors"][0]["detail"]
    assert coop_b.client_logged_in_as(coop_b.resident).get("/konto/").status_code == 200
    assert _platform_audit(("actor_login", "target", "details"), action=AuditAction.COOPERATIVE_SUSPENDED) == [
        ("operator", "alfa", {"reason": "Zaległa umowa serwisowa"})]
    with coop_a.use():
        assert list(AuditEvent.objects.filter(action=AuditAction.COOPERATIVE_SUSPENDED).values_list(
            "actor_login", "details")) == [("platform:operator", {"reason": "Zaległa umowa serwisowa"})]


def test_reactivation_restores_the_cooperative_at_once(operator_client, coop_a):
    resident = coop_a.client_logged_in_as(coop_a.resident)
    _suspend(operator_client)
    assert resident.get("/konto/").status_code == 403

    response = operator_client.post("/operator/spoldzielnie/alfa/wznow/", {"reason": "Umowa podpisana",
                                                                          "confirm": "on"})

    assert response["Location"] == "/operator/spoldzielnie/alfa/"
    assert resident.get("/konto/").status_code == 200
    cooperative = Cooperative.objects.get(slug="alfa")
    assert (cooperative.status, cooperative.status_reason) == ("active", "Umowa podpisana")
    assert _platform_audit(("action", "actor_login"), target="alfa",
                           action__in=[AuditAction.COOPERATIVE_SUSPENDED, AuditAction.COOPERATIVE_REACTIVATED]) == [
        (AuditAction.COOPERATIVE_SUSPENDED, "operator"), (AuditAction.COOPERATIVE_REACTIVATED, "operator")]
    page = operator_client.get("/operator/spoldzielnie/alfa/").content.decode()
    assert "Umowa podpisana" in page and "Zaległa umowa serwisowa" in page


def test_suspending_a_suspended_cooperative_is_refused_without_a_second_audit_row(operator_client, coop_a):
    _suspend(operator_client)
    again = operator_client.get("/operator/spoldzielnie/alfa/zawies/")
    assert again["Location"] == "/operator/spoldzielnie/alfa/"
    assert len(_platform_audit(("id",), action=AuditAction.COOPERATIVE_SUSPENDED)) == 1


def test_unknown_cooperative_in_the_console_is_a_404(operator_client):
    assert operator_client.get("/operator/spoldzielnie/nie-ma/").status_code == 404
    assert operator_client.get("/operator/spoldzielnie/nie-ma/zawies/").status_code == 404


def test_command_refuses_an_unknown_policy_or_module(db):
    with pytest.raises(Exception, match="invalid choice"):
        call_command("create_cooperative", "--name", "X", "--slug", "iks", "--admin-email", "a@b.example",
                     "--policy", "lax", stderr=StringIO())
    with pytest.raises(Exception, match=re.escape("Nieznany moduł: sauna.")):
        call_command("create_cooperative", "--name", "X", "--slug", "iks", "--admin-email", "a@b.example",
                     "--modules", "meters,sauna")
    assert not Cooperative.objects.filter(slug="iks").exists()
