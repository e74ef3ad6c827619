"""Fee-change notices, delivery: the channel of each unit's notice (electronic with a resident's consent of its
own and a confirmed address, paper otherwise), one e-mail per addressee through the outbox, the first opening
by an addressee recorded exactly once as the receipt (never by staff or another resident: 404, nothing changed),
unopened notices to paper after the cooperative's days, the resident's home and ledger pages, the API, the
module switch and the other cooperative."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from billing_views.models import ChargeComponent, LedgerEntry
from operators.services import cooperative_create
from tasks.fee_notices_jobs import fee_notices_to_paper
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.fee_notices import services
from tenants_portal.fee_notices.models import E_DELIVERY_CONSENT, FeeChange, FeeChangeLine, FeeNotice
from tenants_portal.notices.models import Notice, OutboxMessage
from tenants_portal.registry.models import LegalTitle, Person, Unit
from tenants_portal.regulation.models import Consent, ConsentPurpose
from tenants_portal.regulation.services import consent_give, consent_withdraw

from .api_world import api_client, token_for
from .conftest import notices_deliver_waiting

D = datetime.date
WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
SENT = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=WARSAW)
OPENED = datetime.datetime(2026, 12, 3, 19, 45, tzinfo=WARSAW)
JUSTIFICATION = "Wzrost kosztów eksploatacji (uchwała zarządu nr 12/2026)."
# (unit code or number, component, now, new): Jan's flat and garage, Piotr's flat, Zofia's flat (no account).
LINES = [
    ("ALFA-1-1", "eksploatacja", "245.60", "262.10"),
    ("ALFA-1-1", "fundusz_remontowy", "120.00", "150.00"),
    ("ALFA-1-G1", "eksploatacja", "40.00", "45.50"),
    ("ALFA-1-2", "eksploatacja", "200.00", "210.00"),
    ("3", "eksploatacja", "180.00", "190.00"),
]


def _module(coop, on=True):
    with coop.use():
        InstanceSettings.objects.filter(pk=1).update(module_fee_notices=on)
        instance_settings_forget()


def _unit(coop, key: str) -> Unit:
    with coop.use():
        return Unit.objects.get(code=key) if "-" in key else Unit.objects.get(number=key, code__isnull=True)


def _e_delivery(coop, user, *, email="jan.janska@example.pl", verified=True, consent=True):
    """The resident's address (confirmed or not) and their consent to electronic delivery."""
    with coop.use():
        user.email = email
        user.email_verified_at = timezone.now() if verified else None
        user.save(update_fields=["email", "email_verified_at"])
        if consent:
            consent_give(user=user, purpose=ConsentPurpose.objects.get(code=E_DELIVERY_CONSENT))


def _draft(coop, lines=LINES) -> FeeChange:
    with coop.use():
        change = FeeChange.objects.create(effective_month=D(2027, 4, 1), basis="art_4_ust_7",
                                          justification=JUSTIFICATION, created_by=coop.clerk)
        for key, component, now, new in lines:
            FeeChangeLine.objects.create(fee_change=change, unit=_unit(coop, key),
                                         component=ChargeComponent.objects.get(code=component),
                                         current_amount=Decimal(now), new_amount=Decimal(new))
        return change


def _send(coop, change) -> FeeChange:
    with coop.use(), time_machine.travel(SENT, tick=False):
        return services.fee_change_send(acting_user=coop.clerk, fee_change=change, today=SENT.date())


def _channels(coop) -> dict[str, str]:
    with coop.use():
        return {notice.unit.code or notice.unit.number: notice.channel
                for notice in FeeNotice.objects.select_related("unit")}


def _notice(coop, key: str) -> FeeNotice:
    with coop.use():
        return FeeNotice.objects.select_related("fee_change", "unit").get(unit=_unit(coop, key))


def _receipts(coop) -> dict[str, tuple]:
    """{unit number: (opened at, by whom, channel)}"""
    with coop.use():
        return {number: tuple(rest) for number, *rest in FeeNotice.objects.values_list(
            "unit__number", "opened_at", "opened_by__username", "channel")}


def _signed_in(coop, user, moment):
    """A client signed in at `moment` (the clock stays there while the test asks)."""
    with time_machine.travel(moment, tick=False):
        return coop.client_logged_in_as(user)


def _opened_events(coop) -> list[tuple]:
    with coop.use():
        return list(AuditEvent.objects.filter(action=AuditAction.FEE_NOTICE_OPENED).order_by("pk")
                    .values_list("actor__username", "target", "details"))


# ---- the consent ------------------------------------------------------------------------------------

def test_every_cooperative_has_the_consent_to_electronic_delivery_and_residents_give_and_withdraw_it(
        coop_a, coop_b):
    for coop in (coop_a, coop_b):
        with coop.use():
            purpose = ConsentPurpose.objects.get(code=E_DELIVERY_CONSENT)
            assert (purpose.title, purpose.wording_version, purpose.is_active) == (
                "Doręczanie zawiadomień o zmianie opłat drogą elektroniczną", 1, True)
            assert purpose.wording.startswith(
                "Wyrażam zgodę na doręczanie mi przez Spółdzielnię drogą elektroniczną zawiadomień o zmianie "
                "wysokości opłat za używanie lokalu (art. 4 ust. 7 i 7¹ ustawy o spółdzielniach mieszkaniowych).")
    client = coop_a.client_logged_in_as(coop_a.resident)
    page = client.get("/konto/zgody/").content.decode()
    assert "Doręczanie zawiadomień o zmianie opłat drogą elektroniczną" in page
    assert client.post(f"/konto/zgody/{E_DELIVERY_CONSENT}/", {"decision": "give"}).status_code == 302
    with coop_a.use():
        consent = Consent.objects.get(user=coop_a.resident, purpose__code=E_DELIVERY_CONSENT)
        assert (consent.wording_version, consent.withdrawn_at) == (1, None)
    assert client.post(f"/konto/zgody/{E_DELIVERY_CONSENT}/", {"decision": "withdraw"}).status_code == 302
    with coop_a.use():
        assert Consent.objects.get(pk=consent.pk).withdrawn_at is not None
    with coop_b.use():
        assert not Consent.objects.filter(purpose__code=E_DELIVERY_CONSENT).exists()


def test_a_new_cooperative_has_the_consent_from_its_first_day(db):
    created = cooperative_create(name="Spółdzielnia Mieszkaniowa „Delta”", slug="delta",
                                 admin_email="zarzad@delta.example", street="ul. Nowa 1", postal_code="40-001",
                                 city="Katowice")
    with schema_context(created.cooperative.schema_name):
        assert list(ConsentPurpose.objects.filter(code=E_DELIVERY_CONSENT).values_list("title", "wording_version")) \
            == [("Doręczanie zawiadomień o zmianie opłat drogą elektroniczną", 1)]


# ---- the channel and the e-mails -----------------------------------------------------------------------

def test_consent_and_a_confirmed_address_make_a_notice_electronic_everyone_else_gets_paper(coop_a):
    _module(coop_a)
    _e_delivery(coop_a, coop_a.resident)
    # Piotr consented but never confirmed his address; Zofia has no account at all.
    _e_delivery(coop_a, coop_a.outsider, email="piotr@example.pl", verified=False)
    _send(coop_a, _draft(coop_a))
    assert _channels(coop_a) == {"ALFA-1-1": "electronic", "ALFA-1-G1": "electronic", "ALFA-1-2": "paper",
                                 "3": "paper"}


@pytest.mark.parametrize("missing", ["consent", "confirmed address", "consent withdrawn", "account closed"])
def test_without_consent_or_a_confirmed_address_the_notice_goes_on_paper(coop_a, missing):
    _module(coop_a)
    _e_delivery(coop_a, coop_a.resident, consent=missing != "consent", verified=missing != "confirmed address")
    with coop_a.use():
        if missing == "consent withdrawn":
            consent_withdraw(user=coop_a.resident, purpose=ConsentPurpose.objects.get(code=E_DELIVERY_CONSENT))
        if missing == "account closed":
            coop_a.resident.closed_at = timezone.now()
            coop_a.resident.save(update_fields=["closed_at"])
    _send(coop_a, _draft(coop_a))
    assert _channels(coop_a) == {"ALFA-1-1": "paper", "ALFA-1-G1": "paper", "ALFA-1-2": "paper", "3": "paper"}
    with coop_a.use():
        assert OutboxMessage.objects.count() == 0


def test_one_e_mail_per_addressee_of_each_electronic_notice_without_amounts(coop_a):
    _module(coop_a)
    _e_delivery(coop_a, coop_a.resident)
    with coop_a.use():
        # A co-owner of the flat with an account and consent of her own; another without consent.
        for first_name, email, consents in (("Anna", "anna@example.pl", True), ("Olga", "olga@example.pl", False)):
            account = type(coop_a.resident).objects.create(username=first_name.lower(), role="resident",
                                                          first_name=first_name, last_name="Janska")
            _e_delivery(coop_a, account, email=email, consent=consents)
            person = Person.objects.create(first_name=first_name, last_name="Janska", account=account)
            LegalTitle.objects.create(person=person, unit=_unit(coop_a, "ALFA-1-1"),
                                      kind=LegalTitle.Kind.OWNERSHIP, start_date=D(2020, 1, 1))
    change = _send(coop_a, _draft(coop_a))
    flat, garage = _notice(coop_a, "ALFA-1-1"), _notice(coop_a, "ALFA-1-G1")
    with coop_a.use():
        # By the notice's number, not its key's text ("fee_notice:12" sorts before "fee_notice:9").
        assert sorted(OutboxMessage.objects.values_list("notice__key", "notice__kind", "to_address", "status"),
                      key=lambda row: (int(row[0].split(":")[1]), row[2])) == [
            (f"fee_notice:{flat.pk}", "fee_notice", "anna@example.pl", "pending"),
            (f"fee_notice:{flat.pk}", "fee_notice", "jan.janska@example.pl", "pending"),
            (f"fee_notice:{garage.pk}", "fee_notice", "jan.janska@example.pl", "pending"),
        ]
        # Sending the same notice's e-mail again mails nobody twice (the outbox's key).
        services.fee_notices_deliver(fee_change=change, notices=[flat])
        assert OutboxMessage.objects.count() == 3
        assert Notice.objects.filter(kind="fee_notice").count() == 2
    assert len(notices_deliver_waiting(coop_a)) == 3
    jan = [message for message in mail.outbox if message.to == ["jan.janska@example.pl"]]
    assert [message.subject for message in jan] == [
        "Zawiadomienie o zmianie opłat od 1 kwietnia 2027 czeka na Państwa koncie"] * 2
    body = next(message.body for message in jan if f"/oplaty/zmiany/{flat.pk}/" in message.body)
    host = f"https://{coop_a.host}"
    assert body == (
        "Dzień dobry, Jan Janska,\n\n"
        "Spółdzielnia Mieszkaniowa „Alfa” przesyła Państwu zawiadomienie o zmianie wysokości opłat za lokal "
        "ul. Hutnicza 1/1 od 1 kwietnia 2027. Zawiadomienie czeka na Państwa koncie w serwisie internetowym.\n\n"
        f"Prosimy zalogować się i otworzyć zawiadomienie: {host}/oplaty/zmiany/{flat.pk}/\n\n"
        "Pierwsze otwarcie zawiadomienia na koncie potwierdza jego odbiór. Zawiadomienie nieotwarte w terminie "
        "zostanie doręczone w formie papierowej.\n\n"
        "Otrzymują Państwo tę wiadomość, ponieważ wyrazili Państwo zgodę na doręczanie zawiadomień o zmianie "
        "opłat drogą elektroniczną; zgodę można wycofać na koncie.\n")
    assert not any(amount in message.body + message.alternatives[0][0]
                   for message in mail.outbox for amount in ("262", "150,00", "45,50", "zł"))


# ---- unopened notices go on paper --------------------------------------------------------------------

def test_unopened_electronic_notices_go_on_paper_after_the_cooperatives_days(coop_a):
    _module(coop_a)
    _e_delivery(coop_a, coop_a.resident)
    _send(coop_a, _draft(coop_a))
    flat, garage = _notice(coop_a, "ALFA-1-1"), _notice(coop_a, "ALFA-1-G1")
    with coop_a.use(), time_machine.travel(OPENED, tick=False):
        services.fee_notice_open(user=coop_a.resident, notice=flat, via="page")
    # Sent on 2 December: the 7 days (the default) run out at the end of the 9th.
    with coop_a.use(), time_machine.travel(datetime.datetime(2026, 12, 9, 23, 0, tzinfo=WARSAW), tick=False):
        assert fee_notices_to_paper() == 0
        assert services.fee_notices_unopened_to_paper(today=D(2026, 12, 9)) == []
    assert _channels(coop_a)["ALFA-1-G1"] == "electronic"
    with coop_a.use(), time_machine.travel(datetime.datetime(2026, 12, 10, 6, 30, tzinfo=WARSAW), tick=False):
        assert fee_notices_to_paper() == 1
        assert fee_notices_to_paper() == 0  # once
        event = AuditEvent.objects.get(action=AuditAction.FEE_NOTICES_MOVED_TO_PAPER)
        assert (event.actor, event.target, event.details) == (
            None, "1 fee notice(s)", {"fee_notices": [garage.pk], "paper_after_days": 7})
    # The opened one stays electronic with its receipt; the paper ones were never electronic.
    assert _channels(coop_a) == {"ALFA-1-1": "electronic", "ALFA-1-G1": "paper", "ALFA-1-2": "paper",
                                 "3": "paper"}


def test_the_days_to_open_are_the_cooperatives_setting_and_the_job_waits_for_the_module(coop_a):
    _module(coop_a)
    _e_delivery(coop_a, coop_a.resident)
    with coop_a.use():
        services.fee_notice_paper_days_update(acting_user=coop_a.admin, paper_after_days=3)
        event = AuditEvent.objects.get(action=AuditAction.FEE_CHANGE_SETTINGS_CHANGED)
        assert event.details == {"paper_after_days": [7, 3]}
    _send(coop_a, _draft(coop_a))
    _module(coop_a, on=False)
    with coop_a.use(), time_machine.travel(datetime.datetime(2026, 12, 6, 6, 30, tzinfo=WARSAW), tick=False):
        assert fee_notices_to_paper() == 0
    assert _channels(coop_a)["ALFA-1-1"] == "electronic"
    _module(coop_a)
    with coop_a.use(), time_machine.travel(datetime.datetime(2026, 12, 6, 6, 30, tzinfo=WARSAW), tick=False):
        assert fee_notices_to_paper() == 2
    assert set(_channels(coop_a).values()) == {"paper"}


# ---- the receipt: the first opening by an addressee, once ---------------------------------------------

def test_the_first_opening_by_the_resident_is_recorded_once_and_later_ones_change_nothing(coop_a):
    _module(coop_a)
    _e_delivery(coop_a, coop_a.resident)
    _send(coop_a, _draft(coop_a))
    flat, garage = _notice(coop_a, "ALFA-1-1"), _notice(coop_a, "ALFA-1-G1")
    client = _signed_in(coop_a, coop_a.resident, OPENED)
    with time_machine.travel(OPENED, tick=False):
        page = client.get(f"/oplaty/zmiany/{flat.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Zmiana opłat od 1 kwietnia 2027</h1>" in html
    assert ('<tr><th scope="row">Eksploatacja</th><td class="num" data-label="Teraz">245,60 zł</td>'
            '<td class="num" data-label="Od 1 kwietnia 2027">262,10 zł</td>'
            '<td class="num" data-label="Różnica">+16,50 zł</td></tr>') in html.replace("\xa0", " ")
    assert ('<tfoot><tr><th scope="row">Razem</th><td class="num" data-label="Teraz">365,60 zł</td>'
            '<td class="num" data-label="Od 1 kwietnia 2027"><strong>412,10 zł</strong></td>'
            '<td class="num" data-label="Różnica">+46,50 zł</td></tr></tfoot>') in html.replace("\xa0", " ")
    assert JUSTIFICATION in html
    assert "art. 4 ust. 7 ustawy z dnia 15 grudnia 2000 r. o spółdzielniach mieszkaniowych." in html
    assert f'href="/oplaty/zmiany/{flat.pk}/zawiadomienie.pdf"' in html
    assert "Odbiór potwierdzony: pierwsze otwarcie 3 grudnia 2026, 19:45." in html
    # Later openings, of the page or of its letter, change nothing.
    client = _signed_in(coop_a, coop_a.resident, OPENED + datetime.timedelta(days=2))
    with time_machine.travel(OPENED + datetime.timedelta(days=2), tick=False):
        assert client.get(f"/oplaty/zmiany/{flat.pk}/").status_code == 200
        letter = client.get(f"/oplaty/zmiany/{flat.pk}/zawiadomienie.pdf")
    assert (letter.status_code, letter["Content-Type"], letter.content[:5]) == (200, "application/pdf", b"%PDF-")
    # The letter alone is a receipt too.
    client = _signed_in(coop_a, coop_a.resident, OPENED + datetime.timedelta(days=3))
    with time_machine.travel(OPENED + datetime.timedelta(days=3), tick=False):
        assert client.get(f"/oplaty/zmiany/{garage.pk}/zawiadomienie.pdf").status_code == 200
    assert _receipts(coop_a) == {
        "1": (OPENED, "lokator", "electronic"), "G1": (OPENED + datetime.timedelta(days=3), "lokator", "electronic"),
        "2": (None, None, "paper"), "3": (None, None, "paper")}
    assert _opened_events(coop_a) == [
        ("lokator", f"fee notice #{flat.pk}", {"fee_change": flat.fee_change_id, "unit": flat.unit_id,
                                               "source": "page"}),
        ("lokator", f"fee notice #{garage.pk}", {"fee_change": garage.fee_change_id, "unit": garage.unit_id,
                                                 "source": "letter"})]


def test_staff_and_other_residents_get_404_and_record_nothing(coop_a):
    _module(coop_a)
    _e_delivery(coop_a, coop_a.resident)
    _send(coop_a, _draft(coop_a))
    flat, outsiders = _notice(coop_a, "ALFA-1-1"), _notice(coop_a, "ALFA-1-2")
    before = _receipts(coop_a)
    for user in (coop_a.clerk, coop_a.admin, coop_a.outsider):
        client = coop_a.client_logged_in_as(user)
        for path in (f"/oplaty/zmiany/{flat.pk}/", f"/oplaty/zmiany/{flat.pk}/zawiadomienie.pdf",
                     f"/oplaty/zmiany/{flat.pk}/uzasadnienie.pdf"):
            assert client.get(path).status_code == 404, (user, path)
    # Nor does the resident see the outsider's notice.
    client = coop_a.client_logged_in_as(coop_a.resident)
    assert client.get(f"/oplaty/zmiany/{outsiders.pk}/").status_code == 404
    assert client.get(f"/oplaty/zmiany/{outsiders.pk}/zawiadomienie.pdf").status_code == 404
    assert client.get("/oplaty/zmiany/999999/").status_code == 404
    assert _receipts(coop_a) == before
    assert _opened_events(coop_a) == []


def test_a_draft_change_is_no_notice_and_the_justification_pdf_is_served_to_addressees(coop_a):
    _module(coop_a)
    change = _draft(coop_a)
    pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    with coop_a.use():
        change = services.fee_change_justification_set(
            acting_user=coop_a.clerk, fee_change=change, text=JUSTIFICATION,
            pdf=SimpleUploadedFile("Uchwała 12-2026.pdf", pdf, content_type="application/pdf"))
    _send(coop_a, change)
    flat = _notice(coop_a, "ALFA-1-1")
    client = coop_a.client_logged_in_as(coop_a.resident)
    html = client.get(f"/oplaty/zmiany/{flat.pk}/").content.decode()
    assert (f'<a href="/oplaty/zmiany/{flat.pk}/uzasadnienie.pdf">Uzasadnienie: Uchwała 12-2026.pdf (PDF)</a>'
            in html)
    response = client.get(f"/oplaty/zmiany/{flat.pk}/uzasadnienie.pdf")
    assert (response.status_code, b"".join(response.streaming_content)) == (200, pdf)


# ---- the resident's pages -------------------------------------------------------------------------

def test_the_home_page_names_each_units_coming_change_until_it_is_in_effect(coop_a):
    _module(coop_a)
    _e_delivery(coop_a, coop_a.resident)
    _send(coop_a, _draft(coop_a))
    flat, garage = _notice(coop_a, "ALFA-1-1"), _notice(coop_a, "ALFA-1-G1")
    december, april = (datetime.datetime(2026, 12, 5, 12, 0, tzinfo=WARSAW),
                       datetime.datetime(2027, 4, 1, 8, 0, tzinfo=WARSAW))
    client = _signed_in(coop_a, coop_a.resident, december)
    with time_machine.travel(december, tick=False):
        html = client.get("/konto/").content.decode()
    assert (f'<li><a href="/oplaty/zmiany/{flat.pk}/">Zmiana opłat od 1 kwietnia 2027</a>\n'
            '      <span class="hint">ul. Hutnicza 1/1 · nowe, jeszcze nieotwarte</span></li>') in html
    assert (f'<li><a href="/oplaty/zmiany/{garage.pk}/">Zmiana opłat od 1 kwietnia 2027</a>\n'
            '      <span class="hint">ul. Hutnicza 1, garaż G1 · nowe, jeszcze nieotwarte</span></li>') in html
    # Opening it, the note "not opened" goes; from 1 April the change is in effect and leaves the home page.
    with time_machine.travel(december, tick=False):
        assert client.get(f"/oplaty/zmiany/{flat.pk}/").status_code == 200
        html = client.get("/konto/").content.decode()
    assert '<span class="hint">ul. Hutnicza 1/1</span>' in html
    client = _signed_in(coop_a, coop_a.resident, april)
    with time_machine.travel(april, tick=False):
        html = client.get("/konto/").content.decode()
    assert "Zmiana opłat od" not in html
    # The outsider's home page shows his paper notice too (the notice is his, whatever its channel).
    outsiders = _notice(coop_a, "ALFA-1-2")
    client = _signed_in(coop_a, coop_a.outsider, december)
    with time_machine.travel(december, tick=False):
        html = client.get("/konto/").content.decode()
    assert f'<a href="/oplaty/zmiany/{outsiders.pk}/">Zmiana opłat od 1 kwietnia 2027</a>' in html
    assert f"/oplaty/zmiany/{flat.pk}/" not in html


def test_the_ledger_page_shows_the_coming_fee_and_its_month_in_the_chart(coop_a):
    _module(coop_a)
    flat_unit = _unit(coop_a, "ALFA-1-1")
    with coop_a.use():
        for number, (component, amount) in enumerate((("eksploatacja", "245.60"), ("fundusz_remontowy", "120.00"),
                                                      ("co", "180.00"))):
            LedgerEntry.objects.create(source_id=f"FD-{number}", unit=flat_unit, kind=LedgerEntry.Kind.CHARGE,
                                       booked_on=D(2026, 11, 10), amount=Decimal(amount),
                                       component=ChargeComponent.objects.get(code=component), period=D(2026, 11, 1))
    _send(coop_a, _draft(coop_a))
    flat = _notice(coop_a, "ALFA-1-1")
    december = datetime.datetime(2026, 12, 5, 12, 0, tzinfo=WARSAW)
    client = _signed_in(coop_a, coop_a.resident, december)
    with time_machine.travel(december, tick=False):
        html = client.get(f"/rozrachunki/?unit={flat_unit.pk}").content.decode().replace("\xa0", " ")
    assert '<h2 id="coming-heading-1">Zmiana opłat od 1 kwietnia 2027</h2>' in html
    assert ('<tfoot><tr><th scope="row">Razem</th><td class="num" data-label="Teraz">365,60 zł</td>'
            '<td class="num" data-label="Po zmianie"><strong>412,10 zł</strong></td></tr></tfoot>') in html
    assert f'<a href="/oplaty/zmiany/{flat.pk}/">Zawiadomienie o zmianie wraz z uzasadnieniem</a>' in html
    # The chart: November charged (545,60 zł), April announced (545,60 + 46,50), drawn as an outline.
    assert "oraz opłata zapowiedziana od 04.2027" in html
    assert 'stroke-dasharray="3 2"/><text x="338" y="46" text-anchor="end" font-size="12">592,10 zł</text>' in html
    assert "<td>04.2027 (zapowiedziana)</td>" in html
    # The ledger page never opens the notice: the receipt is the notice's own page.
    assert _notice(coop_a, "ALFA-1-1").opened_at is None
    _module(coop_a, on=False)
    with time_machine.travel(december, tick=False):
        html = client.get(f"/rozrachunki/?unit={flat_unit.pk}").content.decode()
    assert "Zmiana opłat od" not in html and "stroke-dasharray" not in html


# ---- the API --------------------------------------------------------------------------------------

def test_the_api_lists_the_residents_notices_and_reading_one_or_its_letter_is_the_receipt(coop_a):
    _module(coop_a)
    _e_delivery(coop_a, coop_a.resident)
    _send(coop_a, _draft(coop_a))
    flat, garage, outsiders = (_notice(coop_a, key) for key in ("ALFA-1-1", "ALFA-1-G1", "ALFA-1-2"))
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    listed = client.get("/api/v1/fee-notices/")
    assert listed.status_code == 200
    assert [(item["id"], item["heading"], item["effective_month"], item["basis"], item["unit_label"],
             item["opened_at"]) for item in listed.json()["results"]] == [
        (flat.pk, "Zmiana opłat od 1 kwietnia 2027", "2027-04-01", "art_4_ust_7", "ul. Hutnicza 1/1", None),
        (garage.pk, "Zmiana opłat od 1 kwietnia 2027", "2027-04-01", "art_4_ust_7", "ul. Hutnicza 1, garaż G1",
         None)]
    assert _opened_events(coop_a) == []  # listing is not a receipt
    with time_machine.travel(OPENED, tick=False):
        detail = client.get(f"/api/v1/fee-notices/{flat.pk}/")
    assert detail.status_code == 200
    body = detail.json()
    assert body["opened_at"] == "2026-12-03T19:45:00+01:00"
    assert body["lines"] == [
        {"component": "Eksploatacja", "current_amount": "245.60", "new_amount": "262.10", "difference": "16.50"},
        {"component": "Fundusz remontowy", "current_amount": "120.00", "new_amount": "150.00",
         "difference": "30.00"}]
    assert (body["current_total"], body["new_total"], body["difference"], body["justification"],
            body["legal_basis"]) == ("365.60", "412.10", "46.50", JUSTIFICATION,
                                     "art. 4 ust. 7 ustawy o spółdzielniach mieszkaniowych")
    assert body["letter_url"] == f"https://{coop_a.host}/api/v1/fee-notices/{flat.pk}/letter.pdf"  # the primary address
    with time_machine.travel(OPENED + datetime.timedelta(days=1), tick=False):
        assert client.get(f"/api/v1/fee-notices/{flat.pk}/").json()["opened_at"] == "2026-12-03T19:45:00+01:00"
        letter = client.get(f"/api/v1/fee-notices/{garage.pk}/letter.pdf")
    assert (letter.status_code, letter["Content-Type"], letter.content[:5]) == (200, "application/pdf", b"%PDF-")
    assert [details["source"] for _actor, _target, details in _opened_events(coop_a)] == ["api", "api_letter"]
    receipts = _receipts(coop_a)
    assert (receipts["1"], receipts["G1"]) == ((OPENED, "lokator", "electronic"),
                                               (OPENED + datetime.timedelta(days=1), "lokator", "electronic"))
    # Someone else's notice: the same 404 as none, and nothing recorded.
    for path in (f"/api/v1/fee-notices/{outsiders.pk}/", f"/api/v1/fee-notices/{outsiders.pk}/letter.pdf",
                 "/api/v1/fee-notices/999999/"):
        assert client.get(path).status_code == 404
    outsider = api_client(coop_a, token=token_for(coop_a, coop_a.outsider))
    assert [item["id"] for item in outsider.get("/api/v1/fee-notices/").json()["results"]] == [outsiders.pk]
    assert outsider.get(f"/api/v1/fee-notices/{flat.pk}/").status_code == 404
    assert _notice(coop_a, "ALFA-1-2").opened_at is None


# ---- the module switch and the other cooperative ---------------------------------------------------

def test_with_the_module_off_every_page_and_endpoint_answers_404_and_nothing_is_recorded(coop_a):
    _module(coop_a)
    _e_delivery(coop_a, coop_a.resident)
    _send(coop_a, _draft(coop_a))
    flat = _notice(coop_a, "ALFA-1-1")
    _module(coop_a, on=False)
    client = coop_a.client_logged_in_as(coop_a.resident)
    for path in (f"/oplaty/zmiany/{flat.pk}/", f"/oplaty/zmiany/{flat.pk}/zawiadomienie.pdf"):
        assert client.get(path).status_code == 404
    assert "Zmiana opłat od" not in client.get("/konto/").content.decode()
    api = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    for path in ("/api/v1/fee-notices/", f"/api/v1/fee-notices/{flat.pk}/",
                 f"/api/v1/fee-notices/{flat.pk}/letter.pdf"):
        assert api.get(path).status_code == 404
    assert _notice(coop_a, "ALFA-1-1").opened_at is None
    assert _opened_events(coop_a) == []


def test_a_notice_of_cooperative_a_is_not_found_on_cooperative_bs_host(coop_a, coop_b):
    _module(coop_a)
    _module(coop_b)
    _e_delivery(coop_a, coop_a.resident)
    _send(coop_a, _draft(coop_a))
    flat = _notice(coop_a, "ALFA-1-1")
    # Beta's lokator (the same login, another person) on Beta's host, and with a Beta token.
    client = coop_b.client_logged_in_as(coop_b.resident)
    assert client.get(f"/oplaty/zmiany/{flat.pk}/").status_code == 404
    assert "Zmiana opłat od" not in client.get("/konto/").content.decode()
    api = api_client(coop_b, token=token_for(coop_b, coop_b.resident))
    assert api.get(f"/api/v1/fee-notices/{flat.pk}/").status_code == 404
    assert api.get("/api/v1/fee-notices/").json()["results"] == []
    # Alfa's session cookie means nothing on Beta's host.
    alfa = coop_a.client_logged_in_as(coop_a.resident)
    alfa.defaults["HTTP_HOST"] = coop_b.host
    assert alfa.get(f"/oplaty/zmiany/{flat.pk}/").status_code in (302, 404)
    with coop_b.use():
        assert (FeeNotice.objects.count(), OutboxMessage.objects.count()) == (0, 0)
    assert _notice(coop_a, "ALFA-1-1").opened_at is None
    with translation.override("pl"):
        assert _opened_events(coop_a) == []
