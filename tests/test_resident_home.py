"""The resident's start page answers "what do I owe, what's new"; the menu fits a phone; the account's own
pages are one menu entry; first sign-in shows no menu; pages for visitors lead back to sign-in."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from billing_views.models import LedgerEntry
from tenants_portal.announcements.models import Announcement, AnnouncementRead
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.failures.models import FailureCategory, FailureReport
from tenants_portal.failures.services import failure_report_create
from tenants_portal.meters.models import Meter, Reading, ReadingWindow
from tenants_portal.registry.models import LegalTitle, Unit


def _world(coop):
    """The flat owes 12,50 zł, the garage is 50,00 zł overpaid; two announcements are new, one was read
    and one has expired; one report is open and one closed long ago; a reading window is open, with the
    flat's meter still to read and the garage's read."""
    now, today = timezone.now(), timezone.localdate()
    with coop.use():
        flat, garage = Unit.objects.get(code="ALFA-1-1"), Unit.objects.get(code="ALFA-1-G1")
        for number, (unit, kind, amount) in enumerate(((flat, "charge", "412.50"), (flat, "payment", "-400.00"),
                                                       (garage, "payment", "-50.00"))):
            LedgerEntry.objects.create(source_id=f"H-{number}", unit=unit, kind=kind, amount=Decimal(amount),
                                       booked_on=today - datetime.timedelta(days=20 - number))

        def announcement(title, *, days, expires=None):
            return Announcement.objects.create(
                title=title, body="Treść.", scope=Announcement.Scope.BUILDING, building=flat.building,
                publish_at=now - datetime.timedelta(days=days), expires_at=expires, notified_at=now)

        announcement("Przegląd instalacji gazowej", days=1)
        announcement("Wymiana domofonu", days=3)
        read = announcement("Mycie okien na klatkach", days=2)
        AnnouncementRead.objects.create(announcement=read, user=coop.resident)
        announcement("Zebranie w zeszłym miesiącu", days=40, expires=now - datetime.timedelta(days=10))
        category = FailureCategory.objects.create(name="woda/kanalizacja")
        failure_report_create(acting_user=coop.resident, category=category, unit=flat, description="Cieknie syfon.",
                              urgency="normal")
        closed = failure_report_create(acting_user=coop.resident, category=category, unit=flat,
                                       description="Nie działa dzwonek.", urgency="normal")
        FailureReport.objects.filter(pk=closed.pk).update(status=FailureReport.Status.RESOLVED,
                                                          updated_at=now - datetime.timedelta(days=30))
        window = ReadingWindow.objects.create(starts_on=today - datetime.timedelta(days=2),
                                              ends_on=today + datetime.timedelta(days=10))
        Meter.objects.create(unit=flat, kind=Meter.Kind.COLD_WATER, serial_number="W-1", location="łazienka")
        garage_meter = Meter.objects.create(unit=garage, kind=Meter.Kind.COLD_WATER, serial_number="W-2",
                                            location="garaż")
        Reading.objects.create(meter=garage_meter, read_on=today, value=Decimal("12.000"),
                               source=Reading.Source.RESIDENT, status=Reading.Status.SUBMITTED)
    return flat, window


def test_the_start_page_shows_what_each_unit_owes_and_what_is_new(coop_a):
    flat, window = _world(coop_a)
    page = coop_a.client_logged_in_as(coop_a.resident).get("/konto/")
    summary = page.context["summary"]
    assert [(item.unit.code, item.balance, item.meters_to_read) for item in summary.units] == [
        ("ALFA-1-1", Decimal("12.50"), 1), ("ALFA-1-G1", Decimal("-50.00"), 0)]
    assert [announcement.title for announcement in summary.announcements] == [
        "Przegląd instalacji gazowej", "Wymiana domofonu"]
    assert [report.description for report in summary.reports] == ["Cieknie syfon."]
    assert summary.window == window
    html = page.content.decode()
    assert "Do zapłaty: <strong>12,50\xa0zł</strong>" in html
    assert "Nadpłata: <strong>50,00\xa0zł</strong>" in html
    # "How to pay" only where something is due, for that unit.
    assert html.count('#pay-heading"') == 1 and f'href="/rozrachunki/?unit={flat.pk}#pay-heading"' in html
    assert f"Prosimy o podanie odczytu 1 licznika do {window.ends_on.day} " in html


def test_nothing_due_and_nothing_new_says_so(coop_a):
    page = coop_a.client_logged_in_as(coop_a.outsider).get("/konto/")
    html = page.content.decode()
    assert [(item.unit.code, item.balance) for item in page.context["summary"].units] == [("ALFA-1-2", Decimal("0"))]
    assert "Wszystko rozliczone – nie ma nic do zapłaty." in html
    assert "Nic nowego." in html and "Brak otwartych zgłoszeń." in html
    assert "Czas na odczyty liczników" not in html


def _menu(html: str, label: str) -> list[str]:
    menu = re.search(rf'<nav aria-label="{label}"[^>]*>(.*?)</nav>', html, re.S)
    return re.findall(r'<a href="[^"]+"[^>]*>([^<]+)', menu.group(1)) if menu else []


def test_the_resident_menu_has_seven_sections_and_names_the_person(coop_a):
    client = coop_a.client_logged_in_as(coop_a.resident)
    html = client.get("/konto/powiadomienia/").content.decode()
    assert _menu(html, "Menu główne") == ["Strona główna", "Rozrachunki", "Liczniki", "Awarie", "Ogłoszenia",
                                          "Dokumenty", "Moje konto"]
    assert '<a href="/konto/ustawienia/" aria-current="page">Moje konto</a>' in html
    assert "Zalogowano jako Jan Janska" in html
    account = client.get("/konto/ustawienia/").content.decode()
    assert re.findall(r'<h2><a href="([^"]+)">', account) == [
        "/konto/dane-kontaktowe/", "/konto/powiadomienia/", "/konto/zgody/", "/konto/moje-dane/", "/konto/haslo/",
        "/konto/klucze-dostepu/"]
    assert coop_a.client_logged_in_as(coop_a.clerk).get("/konto/ustawienia/").status_code == 404


def test_the_unread_badge_counts_new_announcements(coop_a):
    _world(coop_a)
    html = coop_a.client_logged_in_as(coop_a.resident).get("/konto/").content.decode()
    assert ('Ogłoszenia <span class="badge">2<span class="visually-hidden"> nieprzeczytane</span></span>'
            in html)


def test_first_sign_in_shows_no_menu_whose_links_would_bounce(coop_a):
    with coop_a.use():
        # As the office issues it: just now (the base fixture's password may be older than the expiry).
        coop_a.resident.must_change_password, coop_a.resident.password_changed_at = True, timezone.now()
        coop_a.resident.save(update_fields=["must_change_password", "password_changed_at"])
    html = coop_a.client_logged_in_as(coop_a.resident).get("/konto/haslo/").content.decode()
    assert _menu(html, "Menu główne") == []
    assert "Wyloguj" in html


@pytest.mark.parametrize("path", ["/regulamin/", "/kontakt/", "/haslo/nie-pamietam/"])
def test_pages_for_visitors_lead_back_to_sign_in(coop_a, path):
    html = coop_a.client().get(path).content.decode()
    assert '<a href="/logowanie/">Zaloguj się</a>' in html


def test_the_sign_in_page_itself_has_no_link_to_itself(coop_a):
    assert '<a href="/logowanie/">' not in coop_a.client().get("/logowanie/").content.decode()


@pytest.mark.parametrize(("typed", "stored"), [("644-100-10-03", "6441001003"), ("PL6441001003", "6441001003"),
                                               ("", "")])
def test_the_admin_sets_the_nip_for_payment_codes(coop_a, typed, stored):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    response = admin.post("/biuro/konfiguracja/platnosci/", {"payment_nip": typed, "payment_day": "10"})
    assert response.status_code == 302
    with coop_a.use():
        assert InstanceSettings.objects.get().payment_nip == stored


def test_a_nip_with_a_wrong_check_digit_is_refused_and_nothing_changes(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    with coop_a.use():
        events = AuditEvent.objects.count()
    response = admin.post("/biuro/konfiguracja/platnosci/", {"payment_nip": "644-100-10-04", "payment_day": "10"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"payment_nip": [
        "To nie jest poprawny NIP: ma 10 cyfr, a ostatnia jest cyfrą kontrolną, która musi zgadzać się z pozostałymi."]}
    with coop_a.use():
        assert InstanceSettings.objects.get().payment_nip == ""
        assert AuditEvent.objects.count() == events
    assert coop_a.client_logged_in_as(coop_a.clerk).get("/biuro/konfiguracja/platnosci/").status_code == 403


def test_the_admin_sets_the_payment_day_and_a_day_not_in_every_month_is_refused(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    with coop_a.use():
        events = AuditEvent.objects.count()
    refused = admin.post("/biuro/konfiguracja/platnosci/", {"payment_nip": "", "payment_day": "29"})
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"payment_day": [
        "Wartość nie może być większa niż 28."]}
    assert 'value="29"' in refused.content.decode()
    with coop_a.use():
        assert (InstanceSettings.objects.get().payment_day, AuditEvent.objects.count()) == (10, events)

    assert admin.post("/biuro/konfiguracja/platnosci/", {"payment_nip": "", "payment_day": "15"}).status_code == 302
    with coop_a.use():
        assert InstanceSettings.objects.get().payment_day == 15
        assert AuditEvent.objects.get(action=AuditAction.CONFIGURATION_CHANGED).details == {"payment_day": [10, 15]}


def test_a_resident_without_a_unit_sees_why_instead_of_an_error(coop_a):
    with coop_a.use():
        LegalTitle.objects.filter(person__account=coop_a.outsider).update(end_date=datetime.date(2020, 6, 1))
    page = coop_a.client_logged_in_as(coop_a.outsider).get("/konto/")
    assert page.status_code == 200
    assert page.context["summary"].units == [] and page.context["summary"].announcements == []
    assert "Nie mają Państwo obecnie tytułu prawnego do żadnego lokalu." in page.content.decode()
