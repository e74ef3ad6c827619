"""The staff console: one set of role rules for every /biuro/ page, the console's start page and
navigation, the instance configuration (admins only, every change audited once), the done-when."""

import email
import email.policy
import io
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from PIL import Image

from cooperatives.models import Cooperative
from tenants_portal.accounts.models import User
from tenants_portal.accounts.roles import SECTION_ROLES, Section
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.registry.models import LegalTitle, Person

# Arguments that fill a route's converters; ids that do not exist give a 404 only *after* the role
# check, so a refused role still sees 403.
CONVERTER_VALUES = {"int": "1", "slug": "reset", "str": "x", "path": "x",
                    "uuid": "00000000-0000-0000-0000-000000000001"}


def _biuro_routes() -> list[tuple[str, object, list[str]]]:
    """Every /biuro/ URL of a cooperative's host: (path with sample arguments, view, namespaces)."""
    found = []

    def walk(patterns, prefix: str, namespaces: list[str]) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route, [*namespaces, pattern.namespace] if pattern.namespace else namespaces)
            elif isinstance(pattern, URLPattern) and route.startswith("biuro/"):
                path = re.sub(r"<(?:(\w+):)?\w+>", lambda match: CONVERTER_VALUES[match.group(1) or "str"], route)
                found.append(("/" + path, pattern.callback, namespaces))

    walk(get_resolver(settings.ROOT_URLCONF).url_patterns, "", [])
    return found


BIURO_ROUTES = _biuro_routes()


def _snapshot(coop) -> dict:
    """What a refused request must leave exactly as it was."""
    with coop.use():
        return {
            "settings": InstanceSettings.objects.values().get(),
            "name": Cooperative.objects.get(pk=coop.cooperative.pk).name,
            "users": sorted(User.objects.values_list("username", "role", "is_active")),
            "audit": list(AuditEvent.objects.exclude(action__startswith="login.").values_list("action", "target")),
        }


def test_every_biuro_page_declares_the_section_it_belongs_to():
    assert len(BIURO_ROUTES) > 50
    undeclared = [path for path, view, _namespaces in BIURO_ROUTES if not hasattr(view, "console_section")]
    assert undeclared == []


def test_only_the_failure_reports_are_a_technicians():
    assert [section for section, roles in SECTION_ROLES.items() if User.Role.TECHNICIAN in roles] == [
        Section.HOME, Section.FAILURES]


def _every_module_on(coop) -> None:
    """Modules off by default (online payments, fee notices) answer 404 before the role check: switched on here."""
    with coop.use():
        InstanceSettings.objects.filter(pk=1).update(module_online_payments=True, module_fee_notices=True,
                                                     module_matters=True)
        instance_settings_forget()


def test_technician_is_refused_on_every_biuro_page_but_the_failure_reports(coop_a):
    _every_module_on(coop_a)
    technician = coop_a.client_logged_in_as(coop_a.technician)
    refused, allowed = [], []
    for path, view, namespaces in BIURO_ROUTES:
        status = technician.get(path).status_code
        (allowed if "failures" in namespaces or view.console_section == Section.HOME else refused).append(
            (path, status))
    assert {status for _path, status in refused} == {403}
    assert len(refused) > 40
    assert sorted(allowed) == [("/biuro/", 302), ("/biuro/awarie/", 200), ("/biuro/awarie/1/", 404),
                               ("/biuro/awarie/1/komentarz/", 405), ("/biuro/awarie/1/przydzial/", 405),
                               ("/biuro/awarie/1/status/", 405)]


def test_a_resident_is_refused_on_every_biuro_page(coop_a):
    _every_module_on(coop_a)
    resident = coop_a.client_logged_in_as(coop_a.resident)
    assert {resident.get(path).status_code for path, _view, _namespaces in BIURO_ROUTES} == {403}


def test_the_403_page_is_plain_polish(coop_a):
    response = coop_a.client_logged_in_as(coop_a.technician).get("/biuro/osoby/")
    assert response.status_code == 403
    assert "<h1>Brak dostępu</h1>" in response.content.decode()


# --- the start page and the navigation ------------------------------------------------------------

def _nav(response) -> list[str]:
    return [str(link.label) for link in response.context["staff_nav"]]


def test_staff_sign_in_lands_on_the_console(coop_a):
    client = coop_a.client()
    response = client.post("/logowanie/", {"username": "biuro", "password": "correct-horse-42"}, follow=True)
    assert response.redirect_chain[-1] == ("/biuro/", 302)
    assert response.templates[0].name == "console/home.html"


@pytest.mark.parametrize(("who", "expected"), [
    ("clerk", ["Start biura", "Lokatorzy", "Zgłoszenia awarii", "Odczyty", "Ogłoszenia", "Dokumenty", "Importy",
               "Osiedla i lokale", "Niedoręczone e-maile", "Zadania nocne"]),
    ("admin", ["Start biura", "Lokatorzy", "Zgłoszenia awarii", "Odczyty", "Ogłoszenia", "Dokumenty", "Importy",
               "Osiedla i lokale", "Niedoręczone e-maile", "Zadania nocne", "Pracownicy", "Dziennik zdarzeń",
               "Konfiguracja"]),
])
def test_the_staff_navigation_shows_what_the_role_may_use(coop_a, who, expected):
    client = coop_a.client_logged_in_as(getattr(coop_a, who))
    response = client.get("/biuro/")
    assert response.status_code == 200
    assert _nav(response) == expected
    # Every /biuro/ page shares it; the page's own item is marked current.
    people = client.get("/biuro/osoby/")
    assert _nav(people) == expected
    assert [link.href for link in people.context["staff_nav"] if link.current] == ["/biuro/osoby/"]
    assert 'aria-current="page">Lokatorzy</a>' in people.content.decode()


def test_a_technicians_console_is_the_failure_queue(coop_a):
    technician = coop_a.client_logged_in_as(coop_a.technician)
    assert technician.get("/konto/", follow=True).redirect_chain == [("/biuro/", 302), ("/biuro/awarie/", 302)]
    assert _nav(technician.get("/biuro/awarie/")) == ["Start biura", "Zgłoszenia awarii"]


def test_start_page_counts_what_waits(coop_a):
    from tenants_portal.failures.models import FailureCategory, FailureReport
    from tenants_portal.registry.models import Building

    with coop_a.use():
        category = FailureCategory.objects.first() or FailureCategory.objects.create(name="Hydraulika")
        for status in ("new", "new", "in_progress", "resolved"):
            FailureReport.objects.create(category=category, building=Building.objects.get(), status=status,
                                         common_area="staircase", description="Cieknie", reporter=coop_a.resident)
    figures = coop_a.client_logged_in_as(coop_a.clerk).get("/biuro/").context["figures"]
    assert (figures.failures_new, figures.failures_open, figures.readings_waiting) == (2, 3, 0)


# --- configuration: admins only, each change audited once ------------------------------------------

PNG_COLOUR = (11, 79, 138)


def _png(size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, PNG_COLOUR).save(buffer, format="PNG")
    return buffer.getvalue()


APPEARANCE = {"name": "Spółdzielnia Mieszkaniowa „Alfa”", "brand_primary": "#0b4f8a", "brand_accent": "#073763"}

# (page, valid POST changing one thing, the audit details it must write)
CONFIGURATION_CHANGES = [
    ("/biuro/konfiguracja/logowanie/",
     {"password_min_length": 10, "password_require_letter": "on", "password_require_digit": "on",
      "password_refuse_common": "on", "password_refuse_personal": "on", "password_history": 3,
      "lockout_failures": 5, "lockout_minutes": 15, "session_idle_minutes": 30, "session_absolute_hours": 8,
      "one_time_password_days": 14},
     {"password_min_length": [6, 10]}),
    ("/biuro/konfiguracja/logowanie/",
     {"password_min_length": 6, "password_require_letter": "on", "password_require_digit": "on",
      "password_refuse_common": "on", "password_refuse_personal": "on", "password_history": 3,
      "lockout_failures": 5, "lockout_minutes": 15, "session_idle_minutes": 30, "session_absolute_hours": 8,
      "one_time_password_days": 14, "password_reset_by_email": "on"},
     {"password_reset_by_email": [False, True]}),
    ("/biuro/konfiguracja/moduly/",
     {"module_failures": "on", "module_announcements": "on", "module_documents": "on"},
     {"module_meters": [True, False]}),
    ("/biuro/konfiguracja/wyglad/", {**APPEARANCE, "brand_primary": "#7a1f2b"},
     {"brand_primary": ["", "#7a1f2b"]}),
    ("/biuro/konfiguracja/wyglad/", {**APPEARANCE, "name": "S.M. „Alfa” w Sosnowcu"},
     {"name": ["Spółdzielnia Mieszkaniowa „Alfa”", "S.M. „Alfa” w Sosnowcu"]}),
    ("/biuro/konfiguracja/e-mail/", {"email_sender_name": "S.M. Alfa – Administracja",
                                     "email_sender_address": "iok@alfa.example"},
     {"email_sender_name": ["", "S.M. Alfa – Administracja"], "email_sender_address": ["", "iok@alfa.example"]}),
    ("/biuro/konfiguracja/importy/", {"import_hour": ""}, {"import_hour": [2, None]}),
    ("/biuro/konfiguracja/importy/", {"import_hour": "23"}, {"import_hour": [2, 23]}),
]
CONFIGURATION_PAGES = sorted({page for page, _data, _details in CONFIGURATION_CHANGES} | {
    "/biuro/konfiguracja/", "/biuro/konfiguracja/regulamin/"})


@pytest.mark.parametrize(("page", "data", "details"), CONFIGURATION_CHANGES)
def test_every_configuration_change_writes_exactly_one_audit_row(coop_a, page, data, details):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    response = admin.post(page, data)
    assert (response.status_code, response["Location"]) == (302, page)
    with coop_a.use():
        events = list(AuditEvent.objects.filter(action=AuditAction.CONFIGURATION_CHANGED))
        assert [(event.actor_login, event.target, event.details) for event in events] == [
            ("admin", "instance_settings", details)]
    # The same form again changes nothing and writes nothing.
    admin.post(page, data)
    with coop_a.use():
        assert AuditEvent.objects.filter(action=AuditAction.CONFIGURATION_CHANGED).count() == 1


def test_a_logo_change_is_one_audit_row_too(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.post("/biuro/konfiguracja/wyglad/", {**APPEARANCE, "brand_accent": "#2d4a1e",
                                               "logo": SimpleUploadedFile("herb alfy.png", _png())})
    with coop_a.use():
        assert [event.details for event in AuditEvent.objects.filter(action=AuditAction.CONFIGURATION_CHANGED)] == [
            {"brand_accent": ["", "#2d4a1e"], "logo": [None, "herb alfy.png"]}]


@pytest.mark.parametrize("who", ["clerk", "technician"])
@pytest.mark.parametrize("page", CONFIGURATION_PAGES)
def test_only_an_admin_opens_or_changes_configuration(coop_a, who, page):
    client = coop_a.client_logged_in_as(getattr(coop_a, who))
    before = _snapshot(coop_a)
    assert client.get(page).status_code == 403
    data = next((data for changed_page, data, _details in CONFIGURATION_CHANGES if changed_page == page),
                {"title": "X", "text": "Y", "confirm": "on"})
    assert client.post(page, data).status_code == 403
    assert _snapshot(coop_a) == before


def test_the_configuration_pages_share_one_navigation(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    for page in CONFIGURATION_PAGES:
        html = admin.get(page).content.decode()
        assert html.count('class="sub-nav"') == 1, page
        assert 'href="/biuro/konfiguracja/e-mail/"' in html and 'href="/biuro/rejestr/administracje/"' in html


# --- name, colours and logo ------------------------------------------------------------------------

def test_a_colour_too_light_for_white_text_is_refused_with_the_ratio_and_nothing_changes(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.cookies["django_language"] = "en"
    before = _snapshot(coop_a)
    response = admin.post("/biuro/konfiguracja/wyglad/", {**APPEARANCE, "name": "Nowa nazwa",
                                                           "brand_primary": "#ffcc00"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"brand_primary": [
        "Main colour #ffcc00 is too light: white text on it and the colour on white have a contrast of 1.51:1, "
        "and WCAG 2.1 level AA requires at least 4.5:1. Choose a darker shade."]}
    # What was typed stays in the form.
    assert response.context["form"]["name"].value() == "Nowa nazwa"
    assert _snapshot(coop_a) == before


def test_a_malformed_colour_is_refused_in_polish(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    response = admin.post("/biuro/konfiguracja/wyglad/", {**APPEARANCE, "brand_accent": "zielony"})
    assert response.context["form"].errors == {"brand_accent": [
        "Kolor menu: proszę podać kolor jako # i sześć cyfr szesnastkowych, np. #0b4f8a."]}


def test_colours_and_name_reach_the_residents_pages(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    resident = coop_a.client_logged_in_as(coop_a.resident)
    assert "/wyglad/kolory.css" not in resident.get("/konto/").content.decode()
    admin.post("/biuro/konfiguracja/wyglad/", {"name": "S.M. „Alfa Nowa”", "brand_primary": "#7A1F2B",
                                               "brand_accent": "#2d4a1e"})
    page = resident.get("/konto/").content.decode()
    assert "S.M. „Alfa Nowa”" in page
    css_url = re.search(r'href="(/wyglad/kolory\.css\?v=[^"]+)"', page).group(1)
    css = resident.get(css_url)
    assert css["Content-Type"] == "text/css; charset=utf-8"
    assert css["Cache-Control"] == "public, max-age=31536000, immutable"
    text = css.content.decode()
    assert "--brand: #7a1f2b;" in text and "--brand-accent: #2d4a1e;" in text
    # Visitors on the sign-in page see them too.
    assert css_url in coop_a.client().get("/logowanie/").content.decode()


def test_choosing_the_platform_colours_clears_the_own_ones(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.post("/biuro/konfiguracja/wyglad/", {**APPEARANCE, "brand_primary": "#7a1f2b"})
    admin.post("/biuro/konfiguracja/wyglad/", {**APPEARANCE, "brand_primary": "#ffff00", "default_colours": "on"})
    with coop_a.use():
        assert (InstanceSettings.objects.get().brand_primary, InstanceSettings.objects.get().brand_accent) == ("", "")


def test_a_logo_is_checked_stored_and_shown_in_the_header(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.post("/biuro/konfiguracja/wyglad/", {**APPEARANCE, "logo": SimpleUploadedFile("logo.png", _png())})
    page = coop_a.client().get("/logowanie/").content.decode()
    logo_url = re.search(r'<img class="brand-logo" src="(/wyglad/logo\?v=[0-9a-f]+)" alt="">', page).group(1)
    logo = coop_a.client().get(logo_url)
    assert (logo.status_code, logo["Content-Type"]) == (200, "image/png")
    # Re-encoded when it was received (iok.uploads.image_reencode): the same pixels, not the same bytes.
    with Image.open(io.BytesIO(b"".join(logo.streaming_content))) as kept, Image.open(io.BytesIO(_png())) as sent:
        assert (kept.format, kept.size, kept.tobytes()) == ("PNG", sent.size, sent.tobytes())
    with coop_a.use():
        stored = InstanceSettings.objects.get().logo_path
    assert stored.startswith("branding/") and "logo" not in stored  # a random name, never the uploader's

    admin.post("/biuro/konfiguracja/wyglad/", {**APPEARANCE, "logo_remove": "on"})
    assert coop_a.client().get(logo_url).status_code == 404
    assert "brand-logo" not in coop_a.client().get("/logowanie/").content.decode()


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
     "“logo.png” is not an image in PNG, JPEG or WebP format."),
    (SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/svg+xml"),
     "“logo.svg” is not an image in PNG, JPEG or WebP format."),
    (SimpleUploadedFile("logo.png", b"\x89PNG\r\n" + b"0" * (1024 * 1024)),
     "The logo file is larger than 1 MB. Save it smaller (e.g. 600 × 200 pixels)."),
    (SimpleUploadedFile("logo.png", _png(size=(2400, 100))),
     "The logo is 2400 × 100 pixels; at most 2000 pixels per side, please."),
])
def test_a_logo_that_is_not_a_small_image_is_refused_and_nothing_changes(coop_a, upload, message):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.cookies["django_language"] = "en"
    before = _snapshot(coop_a)
    response = admin.post("/biuro/konfiguracja/wyglad/", {**APPEARANCE, "logo": upload})
    assert response.context["form"].errors == {"logo": [message]}
    assert _snapshot(coop_a) == before


def test_the_name_cannot_be_emptied(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    before = _snapshot(coop_a)
    response = admin.post("/biuro/konfiguracja/wyglad/", {**APPEARANCE, "name": "   "})
    assert response.context["form"].errors == {"name": ["To pole jest wymagane."]}
    assert _snapshot(coop_a) == before


# --- e-mail sender and imports ---------------------------------------------------------------------

def test_the_cooperatives_sender_goes_on_every_email(coop_a):
    from tenants_portal.notices.services import notice_send
    from tests.conftest import notices_deliver_waiting

    def notice(key: str) -> None:
        with coop_a.use():
            notice_send(kind="account_closed", key=key, users=[coop_a.admin], template="emails/account_closed",
                        context={}, respect_preferences=False)
        notices_deliver_waiting(coop_a)

    notice("before")
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.post("/biuro/konfiguracja/e-mail/", {"email_sender_name": "S.M. „Alfa” – Administracja",
                                               "email_sender_address": "iok@alfa.example"})
    notice("after")
    assert [message.from_email for message in mail.outbox] == [
        "Spółdzielnia Mieszkaniowa „Alfa” <no-reply@localhost>", '"S.M. „Alfa” – Administracja" <iok@alfa.example>']
    # On the wire the header is encoded once, and reads back as written.
    sent = email.message_from_bytes(mail.outbox[1].message().as_bytes(), policy=email.policy.default)
    assert str(sent["From"]) == '"S.M. „Alfa” – Administracja" <iok@alfa.example>'
    page = admin.get("/biuro/konfiguracja/e-mail/").content.decode()
    assert "S.M. „Alfa” – Administracja" in page and "=?utf-8?" not in page



@pytest.mark.parametrize(("data", "errors"), [
    ({"email_sender_name": "Alfa", "email_sender_address": "iok@alfa"},
     {"email_sender_address": ["Proszę podać poprawny adres e-mail."]}),
    ({"email_sender_name": "Alfa <admin@x.pl>", "email_sender_address": ""},
     {"email_sender_name": ["Nazwa nadawcy nie może zawierać znaków < > \" @."]}),
])
def test_a_wrong_sender_is_refused_and_nothing_changes(coop_a, data, errors):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    before = _snapshot(coop_a)
    response = admin.post("/biuro/konfiguracja/e-mail/", data)
    assert response.context["form"].errors == errors
    assert _snapshot(coop_a) == before


def test_the_import_folder_shows_waiting_files_and_staff_may_import_them_now(
        coop_a, django_capture_on_commit_callbacks):
    from billing_views.imports.selectors import inbox_path

    with coop_a.use():
        inbox = inbox_path()
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / "naliczenia-2026-11.csv").write_bytes(b"spoldzielnia;id_zapisu\n")
    try:
        admin = coop_a.client_logged_in_as(coop_a.admin)
        assert [file.name for file in admin.get("/biuro/konfiguracja/importy/").context["waiting"]] == [
            "naliczenia-2026-11.csv"]
        clerk = coop_a.client_logged_in_as(coop_a.clerk)
        for page in (clerk.get("/biuro/importy/"), admin.get("/biuro/konfiguracja/importy/")):
            html = page.content.decode()
            assert "<code>alfa/inbox/</code>" in html and str(inbox) not in html
        with django_capture_on_commit_callbacks() as callbacks:
            assert clerk.post("/biuro/importy/folder/")["Location"] == "/biuro/importy/"
        assert len(callbacks) == 1  # the import task, enqueued after commit
        with coop_a.use():
            event = AuditEvent.objects.get(action=AuditAction.INBOX_IMPORT_STARTED)
            assert (event.actor_login, event.details) == ("biuro", {"files": ["naliczenia-2026-11.csv"]})
    finally:
        (inbox / "naliczenia-2026-11.csv").unlink()


def test_import_now_with_an_empty_folder_says_so(coop_a):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    page = clerk.post("/biuro/importy/folder/", follow=True)
    assert [str(message) for message in page.context["messages"]] == ["W folderze importu nie czekają żadne pliki."]
    with coop_a.use():
        assert not AuditEvent.objects.filter(action=AuditAction.INBOX_IMPORT_STARTED).exists()


# --- the audit log reads in plain words -------------------------------------------------------------

def test_the_audit_log_names_actions_and_settings_in_polish(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.post(*CONFIGURATION_CHANGES[0][:2])
    page = admin.get("/biuro/dziennik/?action=configuration").content.decode()
    assert "Zmiana konfiguracji" in page
    assert "minimalna długość hasła: 6 → 10" in page


# --- the issue's done-when -------------------------------------------------------------------------

def test_admin_switches_the_meter_module_off_and_residents_no_longer_see_it(coop_a):
    resident = coop_a.client_logged_in_as(coop_a.resident)
    assert 'href="/liczniki/"' in resident.get("/konto/").content.decode()
    assert resident.get("/liczniki/").status_code == 200
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.post("/biuro/konfiguracja/moduly/", {"module_failures": "on", "module_announcements": "on",
                                               "module_documents": "on"})
    assert 'href="/liczniki/"' not in resident.get("/konto/").content.decode()
    assert resident.get("/liczniki/").status_code == 404
    assert "Odczyty" not in _nav(admin.get("/biuro/"))
    assert admin.get("/biuro/odczyty/").status_code == 404


@pytest.mark.parametrize("query", ["Łącka", "Zofia Łąc", "Hutnicza 1/3"])
def test_clerk_issues_an_account_for_a_new_resident_end_to_end(coop_a, query):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    found = clerk.get("/biuro/osoby/", {"q": query}).context["people"]
    assert [str(person) for person in found] == ["Zofia Łącka"]
    person = found[0]
    assert [str(title.unit) for title in person.current_titles] == ["ul. Hutnicza 1/3"]
    assert clerk.get(f"/biuro/osoby/{person.pk}/").status_code == 200
    with coop_a.use():
        units = list(LegalTitle.objects.filter(person=person).values_list("unit_id", flat=True))
    response = clerk.post(f"/biuro/osoby/{person.pk}/wniosek/", {
        "kind": "grant", "submitted_on": "2026-11-20", "units": units, "identity_document": "id_card",
        "document_seen_by": coop_a.clerk.pk, "email": "zofia@example.com"})
    assert response["Location"] == "/biuro/dane-dostepowe/"
    issued = clerk.get("/biuro/dane-dostepowe/").context["issued"]
    assert issued["login"] == "zlacka"
    assert clerk.get("/biuro/dane-dostepowe/list.pdf").content.startswith(b"%PDF-")

    resident = Client(HTTP_HOST=coop_a.host)
    assert resident.post("/logowanie/", {"username": "zlacka", "password": issued["password"]})["Location"] == (
        "/konto/")
    assert resident.get("/konto/")["Location"] == "/pierwsze-logowanie/regulamin/"
    with coop_a.use():
        assert Person.objects.get(pk=person.pk).account.must_change_password is True


@pytest.mark.parametrize(("query", "expected"), [
    ("ALFA-1-1", ["Jan Janska"]),        # the unit's accounting code
    ("alfa-1-g1", ["Jan Janska"]),
    ("obcy", ["Piotr Piotrska"]),        # the login
    ("Piotrska", ["Piotr Piotrska"]),    # the name
    ("Hutnicza 1/2", ["Piotr Piotrska"]),  # the unit's address
])
def test_resident_search_by_name_unit_or_login(coop_a, query, expected):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    assert [str(person) for person in clerk.get("/biuro/osoby/", {"q": query}).context["people"]] == expected


def test_the_first_sign_in_pages_wear_the_cooperatives_colours_too(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.post("/biuro/konfiguracja/wyglad/", {**APPEARANCE, "brand_primary": "#7a1f2b",
                                               "logo": SimpleUploadedFile("logo.png", _png())})
    with coop_a.use():
        # As the office issues it: just now (the base fixture's password may be older than the expiry).
        User.objects.filter(pk=coop_a.resident.pk).update(must_change_password=True,
                                                           password_changed_at=timezone.now())
    resident = coop_a.client_logged_in_as(coop_a.resident)
    page = resident.get("/konto/haslo/").content.decode()
    css_url = re.search(r'href="(/wyglad/kolory\.css\?v=[^"]+)"', page).group(1)
    logo_url = re.search(r'src="(/wyglad/logo\?v=[^"]+)"', page).group(1)
    assert resident.get(css_url).status_code == resident.get(logo_url).status_code == 200


def test_an_admin_gets_a_setup_checklist_and_hints_from_their_own_cooperative(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.cookies["django_language"] = "en"
    home = admin.get("/biuro/")
    assert [(step.url_name, step.done) for step in home.context["checklist"]] == [
        ("configuration_appearance", False), ("configuration_regulation", True), ("registry_offices", True),
        ("staff_imports", True), ("configuration_email", False), ("staff_members", True)]
    html = home.content.decode()
    assert "(e.g. Hutnicza 1/1 or ALFA-1-1)" in html and "Wawel" not in html
    sender_page = admin.get("/biuro/konfiguracja/e-mail/").content.decode()
    assert "e.g. “Spółdzielnia Mieszkaniowa „Alfa” – Administracja”" in sender_page and "Hutnik" not in sender_page
    with coop_a.use():
        InstanceSettings.objects.filter(pk=1).update(brand_primary="#0b4f8a", email_sender_name="S.M. Alfa")
        instance_settings_forget()
    assert admin.get("/biuro/").context["checklist"] == []
    # A clerk never sees it.
    assert coop_a.client_logged_in_as(coop_a.clerk).get("/biuro/").context["checklist"] == []
