"""Fee changes, the office's side: the list with each change's deadline, a change's page (lines, the import's
report, the justification, sending refused when late with the earliest month and nothing changed), the
delivery dashboard with its counts and the board's export, the payment day, the module switch, the roles,
and the demo's two draft changes."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context

from billing_views.imports.services import import_page, import_process, import_receive
from billing_views.models import ImportRun
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.fee_notices import services
from tenants_portal.fee_notices.models import FeeChange, FeeChangeLine, FeeNotice, FeeNoticeSettings
from tenants_portal.registry.models import Building, Unit

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
D = datetime.date
HEADER = "spoldzielnia;lokal;skladnik;kwota_obecna;kwota_nowa;od;podstawa"
APRIL = [
    "alfa;ALFA-1-1;eksploatacja;245,60;262,10;04.2027;art_4_ust_7",
    "alfa;ALFA-1-1;fundusz_remontowy;120,00;150,00;04.2027;art_4_ust_7",
    "alfa;ALFA-1-G1;eksploatacja;40,00;45,50;04.2027;art_4_ust_7",
]
MARCH = ["alfa;ALFA-1-1;co;1 180,00;1 250,40;03.2027;art_4_ust_7_1"]
LIST = "/biuro/zmiany-oplat/"
SETTINGS = "/biuro/zmiany-oplat/ustawienia/"


def _at(day: str, time: str = "10:00") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=WARSAW)


def _module(coop, on: bool = True) -> None:
    with coop.use():
        InstanceSettings.objects.filter(pk=1).update(module_fee_notices=on)
        instance_settings_forget()


def _import(coop, rows, *, filename="stawki.csv") -> ImportRun:
    with coop.use(), translation.override("en"):
        run = import_receive(data=("\r\n".join([HEADER, *rows]) + "\r\n").encode(), filename=filename,
                             source=ImportRun.Source.UPLOAD, acting_user=coop.clerk)
        processed = import_process(run_id=run.pk)
        assert processed is not None
        return processed


def _change(coop, month: datetime.date) -> FeeChange:
    with coop.use():
        return FeeChange.objects.get(effective_month=month)


def _justify(coop, change: FeeChange) -> FeeChange:
    with coop.use():
        return services.fee_change_justification_set(acting_user=coop.clerk, fee_change=change,
                                                     text="Wzrost kosztów eksploatacji (uchwała nr 12/2026).")


@pytest.fixture
def april(coop_a) -> FeeChange:
    """Alfa with the module on and the April change (art. 4 ust. 7, two units) and the March one (7¹) imported."""
    _module(coop_a)
    _import(coop_a, APRIL + MARCH)
    return _change(coop_a, D(2027, 4, 1))


def _pages(change: FeeChange) -> list[str]:
    base = f"{LIST}{change.pk}/"
    return [LIST, SETTINGS, base, f"{base}doreczenia/", f"{base}doreczenia.csv"]


def _state(coop):
    """What a refused request must leave as it was."""
    with coop.use():
        return (list(FeeChange.objects.order_by("pk").values_list("status", "sent_at", "sent_by_id", "justification")),
                FeeNotice.objects.count(), FeeNoticeSettings.objects.get_or_create(pk=1)[0].paper_after_days,
                list(AuditEvent.objects.filter(action__startswith="fee_change").values_list("action", flat=True)))


# --- the pages, the roles and the module switch ----------------------------------------------------------------

@pytest.mark.parametrize("who", ["admin", "clerk"])
def test_the_office_reads_the_fee_changes_with_their_deadlines(coop_a, april, who):
    with time_machine.travel(_at("2026-12-02"), tick=False):
        client = coop_a.client_logged_in_as(getattr(coop_a, who))
        listing = client.get(LIST)
        detail = client.get(f"{LIST}{april.pk}/")
        for path in _pages(april):
            assert client.get(path).status_code == 200, path
    assert [(change.effective_month, basis, change.status, change.unit_count, timing["deadline"], timing["days_left"],
             timing["late"]) for change, basis, timing in listing.context["rows"]] == [
        (D(2027, 4, 1), "art. 4 ust. 7", "draft", 2, D(2026, 12, 31), 29, False),
        # 10 March − 14 days = 24 February, before the end of February.
        (D(2027, 3, 1), "art. 4 ust. 7¹", "draft", 1, D(2027, 2, 24), 84, False)]
    page = listing.content.decode()
    assert "<h1>Zmiany opłat</h1>" in page
    assert "w terminie: zostało 29 dni" in page
    assert f'href="/biuro/zmiany-oplat/{april.pk}/">1 kwietnia 2027</a>' in page
    assert [(str(line.unit.code), line.component.code, line.current_amount, line.new_amount, line.difference)
            for line in detail.context["page"]] == [
        ("ALFA-1-1", "eksploatacja", Decimal("245.60"), Decimal("262.10"), Decimal("16.50")),
        ("ALFA-1-1", "fundusz_remontowy", Decimal("120.00"), Decimal("150.00"), Decimal("30.00")),
        ("ALFA-1-G1", "eksploatacja", Decimal("40.00"), Decimal("45.50"), Decimal("5.50"))]
    assert detail.context["totals"] == {"current": Decimal("405.60"), "new": Decimal("457.60"),
                                        "difference": Decimal("52.00"), "units": 2}
    text = detail.content.decode()
    assert "<h1>Zmiana opłat od 1 kwietnia 2027</h1>" in text
    assert "Wyślij zawiadomienia" in text
    assert "1 kwietnia 2027" in text and "31.12.2026" in text
    # The letter preview is another part's page: linked once its URL exists (see the template's TODO).
    with time_machine.travel(_at("2026-12-02"), tick=False):
        searched = client.get(f"{LIST}{april.pk}/", {"szukaj": "G1"})
    assert [line.unit.code for line in searched.context["page"]] == ["ALFA-1-G1"]


def test_the_navigation_has_the_fee_changes_only_with_the_module_on(coop_a):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    technician = coop_a.client_logged_in_as(coop_a.technician)

    def labels(client, path="/biuro/"):
        return [str(link.label) for link in client.get(path).context["staff_nav"]]

    assert "Zmiany opłat" not in labels(clerk)
    _module(coop_a)
    assert "Zmiany opłat" in labels(clerk)
    assert "Zmiany opłat" not in labels(technician, "/biuro/awarie/")


@pytest.mark.parametrize("who", ["technician", "resident", "outsider"])
def test_the_technician_and_residents_are_refused_and_nothing_changes(coop_a, april, who):
    _justify(coop_a, april)
    before = _state(coop_a)
    with time_machine.travel(_at("2026-12-02"), tick=False):
        client = coop_a.client_logged_in_as(getattr(coop_a, who))
        assert {client.get(path).status_code for path in _pages(april)} == {403}
        base = f"{LIST}{april.pk}/"
        assert client.post(f"{base}wyslij/").status_code == 403
        assert client.post(f"{base}uzasadnienie/", {"justification": "Inne."}).status_code == 403
        assert client.post(SETTINGS, {"paper_after_days": "3"}).status_code == 403
    assert _state(coop_a) == before


def test_with_the_module_off_every_page_answers_404(coop_a, april):
    _module(coop_a, on=False)
    admin = coop_a.client_logged_in_as(coop_a.admin)
    base = f"{LIST}{april.pk}/"
    assert {admin.get(path).status_code for path in _pages(april)} == {404}
    assert admin.post(f"{base}wyslij/").status_code == 404
    assert _change(coop_a, D(2027, 4, 1)).status == "draft"


def test_an_unknown_change_is_not_found(coop_a, april):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    assert clerk.get(f"{LIST}{april.pk + 100}/").status_code == 404
    assert clerk.get(f"{LIST}{april.pk}/uzasadnienie.pdf").status_code == 404  # no PDF stored


def test_the_module_is_on_the_modules_page_and_switched_by_the_admin(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    assert "module_fee_notices" in admin.get("/biuro/konfiguracja/moduly/").content.decode()
    response = admin.post("/biuro/konfiguracja/moduly/", {
        "module_meters": "on", "module_failures": "on", "module_announcements": "on", "module_documents": "on",
        "module_fee_notices": "on"})
    assert response["Location"] == "/biuro/konfiguracja/moduly/"
    with coop_a.use():
        instance_settings_forget()
        assert InstanceSettings.objects.get().module_fee_notices is True
        event = AuditEvent.objects.get(action=AuditAction.CONFIGURATION_CHANGED)
        assert event.details == {"module_fee_notices": [False, True]}
    assert admin.get(LIST).status_code == 200


# --- the justification, the payment day and sending ----------------------------------------------------------

def test_the_justification_is_given_as_text_and_as_a_pdf(coop_a, april):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    url = f"{LIST}{april.pk}/uzasadnienie/"
    before = _state(coop_a)
    empty = clerk.post(url, {"justification": "  "})
    assert empty.status_code == 400
    assert "Proszę wpisać uzasadnienie albo dołączyć je jako PDF." in empty.content.decode()
    assert _state(coop_a) == before
    pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    saved = clerk.post(url, {"justification": "Wzrost kosztów.",
                             "pdf": SimpleUploadedFile("uchwala.pdf", pdf, content_type="application/pdf")})
    assert saved["Location"] == f"{LIST}{april.pk}/"
    change = _change(coop_a, D(2027, 4, 1))
    assert (change.justification, change.justification_pdf_name) == ("Wzrost kosztów.", "uchwala.pdf")
    served = clerk.get(f"{LIST}{april.pk}/uzasadnienie.pdf")
    assert (served.status_code, b"".join(served.streaming_content)) == (200, pdf)
    refused = clerk.post(url, {"justification": "Inny.",
                               "pdf": SimpleUploadedFile("skan.pdf", b"GIF89a", content_type="application/pdf")})
    assert refused.status_code == 400
    assert "„skan.pdf” nie jest dokumentem PDF." in refused.content.decode()
    assert _change(coop_a, D(2027, 4, 1)).justification == "Wzrost kosztów."


def test_the_days_before_paper_are_set_on_the_settings_page_which_names_the_payment_day(coop_a):
    _module(coop_a)
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    refused = clerk.post(SETTINGS, {"paper_after_days": "61"})
    assert refused.status_code == 400
    assert refused.context["form"].errors == {"paper_after_days": [
        "Wartość nie może być większa niż 60."]}
    assert 'value="61"' in refused.content.decode()  # what was typed stays
    assert clerk.post(SETTINGS, {"paper_after_days": "3"})["Location"] == SETTINGS
    with coop_a.use():
        assert FeeNoticeSettings.objects.get(pk=1).paper_after_days == 3
        assert AuditEvent.objects.get(action=AuditAction.FEE_CHANGE_SETTINGS_CHANGED).details == {
            "paper_after_days": [7, 3]}
    page = clerk.get(SETTINGS).content.decode()
    assert "od dnia płatności w spółdzielni: 10." in page
    assert "/biuro/konfiguracja/platnosci/" not in page  # the clerk does not configure the cooperative
    admin_page = coop_a.client_logged_in_as(coop_a.admin).get(SETTINGS).content.decode()
    assert 'href="/biuro/konfiguracja/platnosci/"' in admin_page


def test_a_late_send_is_refused_on_the_page_with_the_earliest_month_and_nothing_changes(coop_a, april):
    _justify(coop_a, april)
    before = _state(coop_a)
    with time_machine.travel(_at("2027-01-01", "09:00"), tick=False):
        clerk = coop_a.client_logged_in_as(coop_a.clerk)
        listing = clerk.get(LIST).content.decode()
        response = clerk.post(f"{LIST}{april.pk}/wyslij/")
    assert "za późno na wysłanie; najwcześniejszy możliwy miesiąc to 1 maja 2027" in listing
    assert response.status_code == 400
    assert response.context["send_errors"] == [
        "Na wysłanie tej zmiany jest za późno: na podstawie art. 4 ust. 7 zawiadomienie o zmianie od 1 kwietnia "
        "2027 należało doręczyć do 31.12.2026 (lokale: 2). Najwcześniejszy miesiąc, od którego zmiana może "
        "obowiązywać przy wysłaniu dziś, to 1 maja 2027; proszę zaimportować stawki z od = 05.2027."]
    assert "Zmiana opłat nie została wysłana." in response.content.decode()
    assert _state(coop_a) == before


def test_a_change_without_justification_is_refused_on_the_page(coop_a, april):
    before = _state(coop_a)
    with time_machine.travel(_at("2026-12-02"), tick=False):
        clerk = coop_a.client_logged_in_as(coop_a.clerk)
        response = clerk.post(f"{LIST}{april.pk}/wyslij/")
    assert response.status_code == 400
    assert len(response.context["send_errors"]) == 1
    assert "uzasadnienia" in response.context["send_errors"][0]
    assert _state(coop_a) == before


def test_an_on_time_send_marks_the_change_sent(coop_a, april):
    _justify(coop_a, april)
    with time_machine.travel(_at("2026-12-31", "23:30"), tick=False):
        clerk = coop_a.client_logged_in_as(coop_a.clerk)
        response = clerk.post(f"{LIST}{april.pk}/wyslij/")
        assert response["Location"] == f"{LIST}{april.pk}/"
        page = clerk.get(response["Location"])
    change = _change(coop_a, D(2027, 4, 1))
    assert (change.status, change.sent_by, change.sent_at) == ("sent", coop_a.clerk, _at("2026-12-31", "23:30"))
    with coop_a.use():
        assert sorted(FeeNotice.objects.filter(fee_change=change).values_list("unit__code", flat=True)) == [
            "ALFA-1-1", "ALFA-1-G1"]
        assert AuditEvent.objects.get(action=AuditAction.FEE_CHANGE_SENT).details["deadline"] == "2026-12-31"
    assert [str(message) for message in page.context["messages"]] == [
        "Zmiana opłat została wysłana: zawiadomienia do doręczenia: 2."]
    assert page.context["counts"]["undelivered"] == 2
    assert "Wyślij zawiadomienia" not in page.content.decode()
    # Sent: nothing of it changes any more, and sending again is refused on the page.
    with time_machine.travel(_at("2026-12-31", "23:40"), tick=False):
        again = clerk.post(f"{LIST}{april.pk}/wyslij/")
        refused = clerk.post(f"{LIST}{april.pk}/uzasadnienie/", {"justification": "Inne."})
    assert refused.status_code == 400
    assert ("Ta zmiana opłat została już wysłana do mieszkańców i nie można jej zmienić."
            in refused.content.decode())
    assert again.status_code == 400
    assert _change(coop_a, D(2027, 4, 1)).justification == "Wzrost kosztów eksploatacji (uchwała nr 12/2026)."


# --- the delivery dashboard and the board's export -----------------------------------------------------------

def _sent_to_six_units(coop) -> FeeChange:
    """The April change for six units, sent on 2 December 2026, each notice left in another state."""
    _module(coop)
    with coop.use():
        building = Building.objects.get()
        for number in ("4", "5", "6"):
            Unit.objects.create(building=building, number=number, kind=Unit.Kind.FLAT, code=f"ALFA-1-{number}")
    _import(coop, [*APRIL, *(f"alfa;ALFA-1-{number};eksploatacja;200,00;210,00;04.2027;art_4_ust_7"
                             for number in ("2", "4", "5", "6"))])
    change = _justify(coop, _change(coop, D(2027, 4, 1)))
    with coop.use(), time_machine.travel(_at("2026-12-02"), tick=False):
        services.fee_change_send(acting_user=coop.clerk, fee_change=change, today=D(2026, 12, 2))
        notices = {notice.unit.code: notice for notice in FeeNotice.objects.filter(fee_change=change)}
        for code, values in {
            "ALFA-1-1": {"channel": "electronic", "opened_at": _at("2026-12-05", "18:30"), "opened_by": coop.resident,
                         "delivered_on": D(2026, 12, 5), "delivery_method": "electronic"},
            "ALFA-1-2": {"channel": "electronic"},
            "ALFA-1-4": {"channel": "paper"},
            "ALFA-1-5": {"channel": "paper", "delivered_on": D(2026, 12, 10), "delivery_method": "in_person"},
            "ALFA-1-6": {"channel": "paper", "delivered_on": D(2027, 1, 4), "delivery_method": "registered_mail",
                         "registered_mail_number": "RR123456789PL"},
            # ALFA-1-G1: its channel not decided (as a notice is between sending and delivery's choice).
            "ALFA-1-G1": {"channel": "undecided"},
        }.items():
            FeeNotice.objects.filter(pk=notices[code].pk).update(**values)
    return change


def test_the_dashboard_counts_and_lists_each_state_exactly(coop_a):
    change = _sent_to_six_units(coop_a)
    with time_machine.travel(_at("2026-12-20"), tick=False):
        clerk = coop_a.client_logged_in_as(coop_a.clerk)
        response = clerk.get(f"{LIST}{change.pk}/doreczenia/")
    assert response.status_code == 200
    assert response.context["counts"] == {"opened": 1, "paper": 2, "not_opened": 1, "to_print": 1, "undecided": 1,
                                          "delivered": 3, "undelivered": 3, "late": 1}
    assert response.context["dashboard"].units == 6
    assert response.context["dashboard"].days_left == 11

    def codes(key):
        return [(row.notice.unit.code, row.delivered_on, row.late) for row in response.context[key]]

    assert codes("opened") == [("ALFA-1-1", D(2026, 12, 5), False)]
    assert codes("not_opened") == [("ALFA-1-2", None, False)]
    assert codes("to_print") == [("ALFA-1-4", None, False)]
    assert codes("paper") == [("ALFA-1-5", D(2026, 12, 10), False), ("ALFA-1-6", D(2027, 1, 4), True)]
    assert codes("undelivered") == [("ALFA-1-2", None, False), ("ALFA-1-4", None, False),
                                    ("ALFA-1-G1", None, False)]
    page = response.content.decode()
    assert "05.12.2026 18:30" in page and "RR123456789PL" in page
    # On the change's page: the summary.
    with time_machine.travel(_at("2026-12-20", "10:05"), tick=False):
        detail = clerk.get(f"{LIST}{change.pk}/")
    assert "Doręczone: 3; jeszcze niedoręczone: 3." in detail.content.decode()


def test_the_boards_export_is_exact_and_audited(coop_a):
    change = _sent_to_six_units(coop_a)
    with time_machine.travel(_at("2027-01-05"), tick=False), translation.override("en"):
        clerk = coop_a.client_logged_in_as(coop_a.clerk)
        response = clerk.get(f"{LIST}{change.pk}/doreczenia.csv", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="zmiana-oplat-2027-04-art_4_ust_7-doreczenia-20270105.csv"')
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.decode("utf-8-sig").split("\r\n") == [
        "Lokal;Adres;Adresaci;Stan doręczenia;Kanał;Otwarte przez mieszkańca;Data doręczenia;Sposób doręczenia;"
        "Numer przesyłki poleconej;Termin doręczenia;Dni do terminu;Po terminie",
        "ALFA-1-1;ul. Hutnicza 1/1;Jan Janska;doręczone elektronicznie, otwarte;elektronicznie (portal i e-mail);"
        "05.12.2026 18:30;05.12.2026;otwarte przez mieszkańca w portalu;;31.12.2026;;nie",
        "ALFA-1-2;ul. Hutnicza 1/2;Piotr Piotrska;wysłane elektronicznie, nieotwarte;elektronicznie (portal i "
        "e-mail);;;;;31.12.2026;-5;tak",
        "ALFA-1-4;ul. Hutnicza 1/4;;do druku, niedoręczone;list papierowy;;;;;31.12.2026;-5;tak",
        "ALFA-1-5;ul. Hutnicza 1/5;;doręczone na papierze;list papierowy;;10.12.2026;osobiście, za podpisem;;"
        "31.12.2026;;nie",
        "ALFA-1-6;ul. Hutnicza 1/6;;doręczone na papierze;list papierowy;;04.01.2027;list polecony;RR123456789PL;"
        "31.12.2026;;tak",
        "ALFA-1-G1;ul. Hutnicza 1, garaż G1;Jan Janska;kanał doręczenia nieustalony;jeszcze nie ustalono;;;;;"
        "31.12.2026;-5;tak",
        ""]
    with coop_a.use():
        event = AuditEvent.objects.get(action=AuditAction.FEE_CHANGE_EXPORTED)
        assert (event.actor, event.target, event.details) == (
            coop_a.clerk, f"fee change #{change.pk}", {"fee_change": change.pk, "count": 6})


# --- the import's report ---------------------------------------------------------------------------------------

def test_the_imports_report_leads_to_the_change_it_set(coop_a):
    _module(coop_a)
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    one = _import(coop_a, APRIL)
    april = _change(coop_a, D(2027, 4, 1))
    change_page = f"{LIST}{april.pk}/"
    report = clerk.get(f"/biuro/importy/{one.pk}/")
    assert report.context["report_page"] == change_page
    assert f'href="{change_page}"' in report.content.decode()
    with coop_a.use():
        assert import_page(run=one) == change_page  # the e-mail about a run links there too
    # The change's page links back to the import's report.
    assert f'href="/biuro/importy/{one.pk}/"' in clerk.get(change_page).content.decode()
    # The same file again changes nothing: its report leads to the change of the file it repeats.
    again = _import(coop_a, APRIL, filename="stawki-ponownie.csv")
    assert (again.status, clerk.get(f"/biuro/importy/{again.pk}/").context["report_page"]) == (
        "unchanged", change_page)
    # A file with two changes: the list of its changes.
    both = _import(coop_a, [APRIL[0].replace("262,10", "263,00"), *MARCH])
    listing_url = f"{LIST}?import={both.pk}"
    assert clerk.get(f"/biuro/importy/{both.pk}/").context["report_page"] == listing_url
    listing = clerk.get(listing_url)
    assert [change.effective_month for change, _basis, _timing in listing.context["rows"]] == [
        D(2027, 4, 1), D(2027, 3, 1)]
    # A refused file has its report on the import's own page only.
    refused = _import(coop_a, ["alfa;ALFA-9-9;eksploatacja;1,00;2,00;04.2027;art_4_ust_7"])
    assert refused.status == "failed"
    assert clerk.get(f"/biuro/importy/{refused.pk}/").context["report_page"] == ""
    with coop_a.use():
        assert import_page(run=refused) == f"/biuro/importy/{refused.pk}/"


# --- the demo --------------------------------------------------------------------------------------------------

def _demo_state():
    with schema_context("coop_hutnik"):
        return {
            "changes": list(FeeChange.objects.order_by("effective_month").values_list(
                "pk", "effective_month", "basis", "status", "import_run__filename", "import_run__status")),
            "lines": FeeChangeLine.objects.count(),
            "runs": ImportRun.objects.filter(kind=ImportRun.Kind.FEE_SCHEDULE).count(),
            "payment_day": InstanceSettings.objects.get(pk=1).payment_day,
            "module": InstanceSettings.objects.get(pk=1).module_fee_notices,
            "notices": FeeNotice.objects.count(),
            "audit": AuditEvent.objects.filter(action__startswith="fee_change").count(),
        }


def test_the_demo_has_two_draft_changes_for_the_earliest_months_and_loads_twice_the_same(db):
    from demo.load import demo_load

    with time_machine.travel(_at("2026-12-02", "08:00"), tick=False):
        demo_load(log=lambda message: None)
        first = _demo_state()
        demo_load(log=lambda message: None)
        assert _demo_state() == first
    assert [change[1:] for change in first["changes"]] == [
        # Art. 4 ust. 7¹: delivered by 27 December (10 January − 14 days); art. 4 ust. 7: by 31 December.
        (D(2027, 1, 1), "art_4_ust_7_1", "draft", "hutnik-zmiana-oplat-woda-2027-01.csv", "succeeded"),
        (D(2027, 4, 1), "art_4_ust_7", "draft", "hutnik-zmiana-oplat-eksploatacja-2027-04.csv", "succeeded")]
    # ul. Wawel 1: 55 flats (operating fee, repair fund, water) and 4 garages (their fee).
    assert (first["lines"], first["runs"], first["payment_day"], first["module"], first["notices"]) == (
        55 * 3 + 4, 2, 10, True, 0)
    with schema_context("coop_hutnik"):
        lines = {(line.fee_change.basis, line.unit.code, line.component.code): (line.current_amount, line.new_amount)
                 for line in FeeChangeLine.objects.filter(unit__code__in=["WAWEL-1-12", "WAWEL-1-G1"])
                 .select_related("fee_change", "unit", "component")}
        assert lines == {
            # lokator's flat (35,40 m²) and garage: the current amounts are his ledger's last charges.
            ("art_4_ust_7", "WAWEL-1-12", "eksploatacja"): (Decimal("116.82"), Decimal("129.21")),
            ("art_4_ust_7", "WAWEL-1-12", "fundusz_remontowy"): (Decimal("77.88"), Decimal("84.96")),
            ("art_4_ust_7", "WAWEL-1-G1", "garaz"): (Decimal("87.00"), Decimal("93.00")),
            ("art_4_ust_7_1", "WAWEL-1-12", "zimna_woda"): (Decimal("72.00"), Decimal("78.40")),
        }
        changes = list(FeeChange.objects.order_by("effective_month"))
        assert all(change.justification for change in changes)
        assert changes[1].justification.startswith(
            "Zarząd Spółdzielni Mieszkaniowej „Hutnik” zawiadamia o zmianie wysokości opłat od 1 kwietnia 2027")
    # biuro sees both on time on the list.
    biuro = Client(HTTP_HOST="iok.smhutnik.localhost")
    with time_machine.travel(_at("2026-12-02", "09:00"), tick=False):
        assert biuro.post("/logowanie/", {"username": "biuro", "password": "hutnik-biuro-2026"}).status_code == 302
        rows = biuro.get(LIST).context["rows"]
    assert [(change.effective_month, timing["deadline"], timing["late"]) for change, _basis, timing in rows] == [
        (D(2027, 4, 1), D(2026, 12, 31), False), (D(2027, 1, 1), D(2026, 12, 27), False)]

    # The "done when": biuro sends the April change; lokator (who consented to electronic delivery)
    # opens it; the dashboard shows his notice received, with the time, and every other unit e-mailed or on paper.
    april = next(change for change, _basis, _timing in rows if change.effective_month == D(2027, 4, 1))
    with time_machine.travel(_at("2026-12-02", "09:05"), tick=False):
        assert biuro.post(f"{LIST}{april.pk}/wyslij/").status_code == 302
    with schema_context("coop_hutnik"):
        notice = FeeNotice.objects.get(fee_change=april, unit__code="WAWEL-1-12")
        assert notice.channel == "electronic"
        channels = set(FeeNotice.objects.filter(fee_change=april).values_list("channel", flat=True))
    assert channels <= {"electronic", "paper"}
    lokator = Client(HTTP_HOST="iok.smhutnik.localhost")
    with time_machine.travel(_at("2026-12-02", "18:30"), tick=False):
        assert lokator.post("/logowanie/", {"username": "lokator", "password": "Lokator2026"}).status_code == 302
        home = lokator.get("/konto/").content.decode()
        assert "Zmiana opłat od 1 kwietnia 2027" in home
        assert lokator.get(f"/oplaty/zmiany/{notice.pk}/").status_code == 200
    with time_machine.travel(_at("2026-12-03", "09:00"), tick=False):
        # A new day, a new sign-in (yesterday's session has ended).
        biuro = Client(HTTP_HOST="iok.smhutnik.localhost")
        assert biuro.post("/logowanie/", {"username": "biuro", "password": "hutnik-biuro-2026"}).status_code == 302
        dashboard = biuro.get(f"{LIST}{april.pk}/doreczenia/")
    assert dashboard.status_code == 200
    page = dashboard.content.decode()
    assert dashboard.context["counts"]["opened"] == 1
    assert "02.12.2026 18:30" in page
    with schema_context("coop_hutnik"):
        notice.refresh_from_db()
        assert (notice.opened_at.astimezone(zoneinfo.ZoneInfo("Europe/Warsaw")).strftime("%d.%m.%Y %H:%M"),
                notice.opened_by.username) == ("02.12.2026 18:30", "lokator")
