"""Fee-change letters on paper: one tagged PDF per unit with the exact amounts, the office's preview of a
draft, the print batch of the paper notices (one letter each, in building/staircase/unit order, nothing
electronic) and the delivery register (recorded exactly once; bad cases refused with nothing changed)."""

import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation
from pypdf import PdfReader

from billing_views.models import ChargeComponent
from iok.bank import nrb_format
from iok.pdf import WARSAW
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.fee_notices import selectors, services
from tenants_portal.fee_notices.letters import ADDRESS_FIELD_MM, LetterLine, UnitLetter, letters_pdf
from tenants_portal.fee_notices.models import FeeChange, FeeChangeLine, FeeNotice
from tenants_portal.registry.models import Building, Estate, LegalTitle, Person, Unit
from tests.pdf_ua import assert_pdf_ua

D = datetime.date
SENT = datetime.datetime(2026, 12, 2, 9, 30, tzinfo=WARSAW)
LATER = datetime.datetime(2026, 12, 10, 12, 0, tzinfo=WARSAW)
NBSP = "\u00a0"
JUSTIFICATION = "Wzrost kosztów eksploatacji i konieczność zasilenia funduszu remontowego (uchwała zarządu nr 12/2026)."
# (unit code, component code, current, new): the flat of `lokator` and the other units of Alfa's building.
LINES = [
    ("ALFA-1-1", "eksploatacja", "245.60", "262.10"),
    ("ALFA-1-1", "fundusz_remontowy", "120.00", "150.00"),
    ("ALFA-1-1", "co", "96.40", "90.00"),
    ("ALFA-1-G1", "eksploatacja", "40.00", "45.50"),
    ("ALFA-1-2", "eksploatacja", "210.00", "221.00"),
]


@pytest.fixture(autouse=True)
def _clock():
    """The office works on 10 December 2026 (Warsaw); the change was sent on the 2nd (_send)."""
    with time_machine.travel(LATER, tick=False):
        yield


def _words(pdf: bytes) -> list[str]:
    """Each page's text with its lines joined and spaces (also the non-breaking ones) made single."""
    return [" ".join(page.extract_text().replace(NBSP, " ").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _module(coop, on=True):
    with coop.use():
        InstanceSettings.objects.filter(pk=1).update(module_fee_notices=on)
        instance_settings_forget()


def _change(coop, *, lines=LINES, justification=JUSTIFICATION, pdf_name="") -> FeeChange:
    """A draft change from 1 April 2027 under art. 4 ust. 7, as the fee schedule import leaves it."""
    with coop.use():
        change = FeeChange.objects.create(effective_month=D(2027, 4, 1), basis="art_4_ust_7",
                                          justification=justification, justification_pdf_name=pdf_name,
                                          justification_pdf_path=f"fee_notices/{pdf_name}" if pdf_name else "")
        FeeChangeLine.objects.bulk_create([
            FeeChangeLine(fee_change=change, unit=Unit.objects.get(code=unit),
                          component=ChargeComponent.objects.get(code=component),
                          current_amount=Decimal(current), new_amount=Decimal(new))
            for unit, component, current, new in lines])
        return change


def _send(coop, change) -> FeeChange:
    with coop.use(), time_machine.travel(SENT, tick=False):
        return services.fee_change_send(acting_user=coop.clerk, fee_change=change, today=D(2026, 12, 2))


def _notice(coop, change, code) -> FeeNotice:
    with coop.use():
        return FeeNotice.objects.select_related("fee_change", "unit__building__office").get(
            fee_change=change, unit__code=code)


def _channels(coop, change, *, electronic=("ALFA-1-1",)):
    """What the delivery decides: here the resident's flat electronic, everything else on paper."""
    with coop.use():
        FeeNotice.objects.filter(fee_change=change).update(channel=FeeNotice.Channel.PAPER)
        FeeNotice.objects.filter(fee_change=change, unit__code__in=electronic).update(
            channel=FeeNotice.Channel.ELECTRONIC)


def test_the_letter_says_the_exact_amounts_date_basis_account_and_office(coop_a):
    _module(coop_a)
    change = _send(coop_a, _change(coop_a, pdf_name="Uchwała 12-2026.pdf"))
    with coop_a.use():
        pdf = selectors.fee_notice_letter_pdf(notice=_notice(coop_a, change, "ALFA-1-1"))
        account = nrb_format(Unit.objects.get(code="ALFA-1-1").bank_account)
    [page] = _words(pdf)
    for expected in (
        "Spółdzielnia Mieszkaniowa „Alfa”",
        "Sosnowiec, 02.12.2026",
        # The address field: the title holder recorded on the notice, then the unit's postal address.
        "Jan Janska ul. Hutnicza 1/1 41-200 Sosnowiec",
        "Zawiadomienie o zmianie wysokości opłat od 1 kwietnia 2027 r.",
        "Na podstawie art. 4 ust. 7 ustawy o spółdzielniach mieszkaniowych zawiadamiamy, że od 1 kwietnia "
        "2027 r. zmienia się wysokość miesięcznych opłat za lokal ul. Hutnicza 1/1:",
        "Składnik opłaty Obecnie Od 1 kwietnia 2027 r. Zmiana",
        "Eksploatacja 245,60 zł 262,10 zł +16,50 zł",
        "Fundusz remontowy 120,00 zł 150,00 zł +30,00 zł",
        "C.o. 96,40 zł 90,00 zł \u22126,40 zł",
        "Razem miesięcznie 462,00 zł 502,10 zł +40,10 zł",
        "art. 4 ust. 7 ustawy z dnia 15 grudnia 2000 r. o spółdzielniach mieszkaniowych: o zmianie wysokości "
        "opłat spółdzielnia zawiadamia co najmniej na 3 miesiące naprzód, na koniec miesiąca kalendarzowego",
        f"Uzasadnienie {JUSTIFICATION}",
        "Uzasadnienie w postaci dokumentu „Uchwała 12-2026.pdf” (np. uchwała zarządu) jest dostępne w portalu "
        "mieszkańca IOK",
        f"Opłaty prosimy wnosić do 10. dnia każdego miesiąca na indywidualny rachunek lokalu: {account}",
        "Administracja Alfa ul. Hutnicza 1, 41-200 Sosnowiec tel. 32 000 00 00",
        "Strona 1 z 1",
    ):
        assert expected in page, expected
    assert account == "18 1020 2498 0000 0000 0000 0011"
    # The garage's letter names its own components only, and the kind in Polish.
    with coop_a.use(), translation.override("en"):
        [garage] = _words(selectors.fee_notice_letter_pdf(notice=_notice(coop_a, change, "ALFA-1-G1")))
    assert "opłat za lokal ul. Hutnicza 1, garaż G1: Składnik opłaty" in garage
    assert "Eksploatacja 40,00 zł 45,50 zł +5,50 zł Razem miesięcznie 40,00 zł 45,50 zł +5,50 zł" in garage
    assert "Fundusz remontowy" not in garage
    # Without a PDF of the justification, no line about it.
    assert "Uzasadnienie w postaci dokumentu" not in _words(letters_pdf(letters=[_plain_letter()], title="",
                                                                         generated_at=SENT))[0]


def test_the_letter_of_art_4_ust_7_1_cites_it_in_words():
    letter = _plain_letter(basis="art_4_ust_7_1")
    [page] = _words(letters_pdf(letters=[letter], title="", generated_at=SENT))
    assert "Na podstawie art. 4 ust. 7¹ ustawy o spółdzielniach mieszkaniowych" in page
    assert ("art. 4 ust. 7¹ ustawy z dnia 15 grudnia 2000 r. o spółdzielniach mieszkaniowych: o zmianie wysokości "
            "opłat za energię, gaz, wodę oraz odbiór ścieków, odpadów i nieczystości ciekłych") in page


def _plain_letter(**overrides) -> UnitLetter:
    values = {
        "cooperative_name": "Spółdzielnia Mieszkaniowa „Hutnik”",
        "cooperative_address": "ul. Hutnicza 1, 41-200 Sosnowiec",
        "cooperative_city": "Sosnowiec", "dated": D(2026, 12, 2), "addressees": ["Jan Kowalski"],
        "unit_label": "ul. Wawel 1/12", "address_lines": ["ul. Wawel 1/12", "41-200 Sosnowiec"],
        "effective_month": D(2027, 4, 1), "basis": "art_4_ust_7",
        "lines": [LetterLine(component="Woda", current_amount=Decimal("80.00"), new_amount=Decimal("88.00"))],
        "justification": "Podwyżka cen wody.", "justification_pdf_name": "", "account_nrb": "", "payment_day": 10,
        "office": None,
    }
    values.update(overrides)
    return UnitLetter(**values)  # type: ignore[arg-type]


def test_the_letter_is_a_tagged_pdf_ua_document(coop_a):
    _module(coop_a)
    change = _send(coop_a, _change(coop_a))
    with coop_a.use():
        pdf = selectors.fee_notice_letter_pdf(notice=_notice(coop_a, change, "ALFA-1-1"))
        # The same notice gives the same bytes: dated by the sending, not by the moment it is drawn.
        assert selectors.fee_notice_letter_pdf(notice=_notice(coop_a, change, "ALFA-1-1")) == pdf
    facts = assert_pdf_ua(pdf, title="Zawiadomienie o zmianie wysokości opłat od 1 kwietnia 2027 – ul. Hutnicza 1/1")
    assert facts.headings == ("H1", "H2", "H2", "H2", "H2")
    # The header row of 4 cells, 3 components, the totals row (a table footer).
    assert {kind: facts.elements[kind] for kind in ("Table", "THead", "TH", "TBody", "TFoot", "TR", "TD")} == {
        "Table": 1, "THead": 1, "TH": 4, "TBody": 1, "TFoot": 1, "TR": 5, "TD": 16}
    assert ADDRESS_FIELD_MM == (20, 45, 90, 45)


def test_many_addressees_fit_the_window_and_none_reads_as_the_user_of_the_unit():
    names = ["Anna Nowak", "Adam Nowak", "Ewa Nowak", "Jan Nowak", "Zofia Nowak"]
    [five] = _words(letters_pdf(letters=[_plain_letter(addressees=names)], title="", generated_at=SENT))
    assert "Anna Nowak Adam Nowak oraz 3 inne osoby ul. Wawel 1/12" in five
    [nobody] = _words(letters_pdf(letters=[_plain_letter(addressees=[])], title="", generated_at=SENT))
    assert "Użytkownik lokalu ul. Wawel 1/12" in nobody


def test_the_office_previews_a_drafts_letter_addressed_to_todays_title_holders(coop_a):
    _module(coop_a)
    change = _change(coop_a)
    with coop_a.use():
        unit = Unit.objects.get(code="ALFA-1-2")
        other = Unit.objects.get(code=None, number="3")
    client = coop_a.client_logged_in_as(coop_a.clerk)
    response = client.get(f"/biuro/zmiany-oplat/{change.pk}/podglad/{unit.pk}.pdf")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    [page] = _words(response.content)
    assert "Sosnowiec, 10.12.2026" in page
    assert "Piotr Piotrska ul. Hutnicza 1/2 41-200 Sosnowiec" in page
    assert "Eksploatacja 210,00 zł 221,00 zł +11,00 zł" in page
    # A unit the change has no lines for has no letter; nothing was sent or recorded by previewing.
    assert client.get(f"/biuro/zmiany-oplat/{change.pk}/podglad/{other.pk}.pdf").status_code == 404
    with coop_a.use():
        assert (FeeChange.objects.get(pk=change.pk).status, FeeNotice.objects.count()) == ("draft", 0)
    # Once sent, the letters are the notices' own.
    _send(coop_a, change)
    assert client.get(f"/biuro/zmiany-oplat/{change.pk}/podglad/{unit.pk}.pdf").status_code == 404


def _more_units(coop):
    """A second building whose street sorts first, with staircases; one letter each."""
    with coop.use():
        building = Building.objects.create(estate=Estate.objects.get(), office=None, street="ul. Akacjowa",
                                           number="10", postal_code="41-200", city="Sosnowiec")
        person = Person.objects.create(first_name="Ewa", last_name="Zięba")
        for number, staircase in (("10", "B"), ("7", "A"), ("2", "B")):
            unit = Unit.objects.create(building=building, number=number, staircase=staircase,
                                       code=f"AK-{number}")
            LegalTitle.objects.create(person=person, unit=unit, kind=LegalTitle.Kind.OWNERSHIP,
                                      start_date=D(2020, 1, 1))
    return [(f"AK-{number}", "eksploatacja", "100.00", "105.00") for number in ("10", "7", "2")]


def test_the_print_batch_has_one_letter_per_paper_notice_in_building_staircase_unit_order(coop_a):
    _module(coop_a)
    change = _send(coop_a, _change(coop_a, lines=[*LINES, *_more_units(coop_a)]))
    _channels(coop_a, change)
    with coop_a.use():
        notices = selectors.fee_change_paper_notices(fee_change=change)
        assert [str(notice.unit) for notice in notices] == [
            "ul. Akacjowa 10/7", "ul. Akacjowa 10/2", "ul. Akacjowa 10/10", "ul. Hutnicza 1/2",
            "ul. Hutnicza 1, garaż G1"]
        # Whatever order they come in.
        pdf = selectors.print_batch_pdf(fee_change=change, notices=list(reversed(notices)))
        electronic = _notice(coop_a, change, "ALFA-1-1")
        with pytest.raises(ValueError, match="Only the paper notices"):
            selectors.print_batch_pdf(fee_change=change, notices=[*notices, electronic])
    pages = _words(pdf)
    assert [re.search(r"opłat za lokal (.+?): Składnik", page).group(1) for page in pages] == [
        "ul. Akacjowa 10/7", "ul. Akacjowa 10/2", "ul. Akacjowa 10/10", "ul. Hutnicza 1/2",
        "ul. Hutnicza 1, garaż G1"]
    # Every letter starts on a page of its own and counts its own pages.
    assert all("Strona 1 z 1" in page for page in pages)
    assert not any("Hutnicza 1/1" in page for page in pages)
    assert "Ewa Zięba ul. Akacjowa 10/7 41-200 Sosnowiec" in pages[0]
    assert_pdf_ua(pdf, title="Zawiadomienia o zmianie opłat od 1 kwietnia 2027 r. – wydruk (5)")
    # The office downloads the same batch.
    response = coop_a.client_logged_in_as(coop_a.clerk).get(f"/biuro/zmiany-oplat/{change.pk}/wydruk.pdf")
    assert (response.status_code, len(_words(response.content))) == (200, 5)


def _delivery_state(coop, change):
    with coop.use():
        return (list(FeeNotice.objects.filter(fee_change=change).order_by("unit__code").values_list(
            "unit__code", "delivered_on", "delivery_method", "registered_mail_number")),
            AuditEvent.objects.filter(action=AuditAction.FEE_CHANGE_PAPER_DELIVERED).count())


def _post(client, change, notice, **data):
    return client.post(f"/biuro/zmiany-oplat/{change.pk}/na-papierze/", {"notice": notice.pk, **data})


def test_the_delivery_register_records_a_paper_delivery_exactly_once(coop_a):
    _module(coop_a)
    change = _send(coop_a, _change(coop_a))
    _channels(coop_a, change)
    garage, flat = _notice(coop_a, change, "ALFA-1-G1"), _notice(coop_a, change, "ALFA-1-2")
    client = coop_a.client_logged_in_as(coop_a.clerk)
    page = client.get(f"/biuro/zmiany-oplat/{change.pk}/na-papierze/")
    assert page.status_code == 200
    assert "Rejestr doręczeń na papierze" in page.content.decode()
    response = _post(client, change, garage, delivered_on="2026-12-09", method="in_person")
    assert response.status_code == 302
    response = _post(client, change, flat, delivered_on="2026-12-10", method="registered_mail",
                     registered_mail_number="  RR 1234 5678 9PL ")
    assert response.status_code == 302
    state = _delivery_state(coop_a, change)
    assert state == ([("ALFA-1-1", None, "", ""), ("ALFA-1-2", D(2026, 12, 10), "registered_mail", "RR 1234 5678 9PL"),
                      ("ALFA-1-G1", D(2026, 12, 9), "in_person", "")], 2)
    with coop_a.use():
        event = AuditEvent.objects.filter(action=AuditAction.FEE_CHANGE_PAPER_DELIVERED).order_by("pk").last()
        assert (event.actor, event.target, event.details) == (coop_a.clerk, f"fee change #{change.pk}", {
            "fee_change": change.pk, "unit": "ul. Hutnicza 1/2", "delivered_on": "2026-12-10",
            "method": "registered_mail", "registered_mail_number": "RR 1234 5678 9PL"})
    # Twice: refused in Polish, nothing changed.
    again = _post(client, change, garage, delivered_on="2026-12-10", method="registered_mail",
                  registered_mail_number="RR 1")
    assert again.status_code == 400
    assert "Doręczenie tego zawiadomienia jest już zapisane (09.12.2026)" in again.content.decode()
    assert _delivery_state(coop_a, change) == state
    # The register printed for signatures lists the paper letters with what is recorded.
    pdf = client.get(f"/biuro/zmiany-oplat/{change.pk}/na-papierze/rejestr.pdf")
    assert pdf.status_code == 200
    [register] = _words(pdf.content)
    assert "1 ul. Hutnicza 1/2 Piotr Piotrska 10.12.2026, list polecony nr RR 1234 5678 9PL" in register
    assert "2 ul. Hutnicza 1, garaż G1 Jan Janska 09.12.2026, osobiście, za podpisem" in register
    assert_pdf_ua(pdf.content, title="Rejestr doręczeń – zmiana opłat od 1 kwietnia 2027 r.")


@pytest.mark.parametrize(("data", "message"), [
    ({"delivered_on": "2026-12-09", "method": "registered_mail", "registered_mail_number": " "},
     "Proszę podać numer przesyłki poleconej"),
    ({"delivered_on": "2026-12-11", "method": "in_person"}, "Data doręczenia nie może być z przyszłości."),
    ({"delivered_on": "2026-12-01", "method": "in_person"},
     "Data doręczenia nie może być wcześniejsza niż wysłanie zmiany (02.12.2026)."),
    ({"delivered_on": "2026-12-09", "method": "electronic"},
     "Proszę wybrać jedną z dostępnych wartości (electronic do nich nie należy)."),
])
def test_a_bad_delivery_is_refused_and_nothing_changes(coop_a, data, message):
    _module(coop_a)
    change = _send(coop_a, _change(coop_a))
    _channels(coop_a, change)
    before = _delivery_state(coop_a, change)
    client = coop_a.client_logged_in_as(coop_a.clerk)
    response = _post(client, change, _notice(coop_a, change, "ALFA-1-2"), **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _delivery_state(coop_a, change) == before


def test_an_electronic_notice_is_not_recorded_on_paper(coop_a):
    _module(coop_a)
    change = _send(coop_a, _change(coop_a))
    _channels(coop_a, change)
    before = _delivery_state(coop_a, change)
    client = coop_a.client_logged_in_as(coop_a.clerk)
    response = _post(client, change, _notice(coop_a, change, "ALFA-1-1"), delivered_on="2026-12-09",
                     method="in_person")
    assert response.status_code == 400
    assert "To zawiadomienie nie jest doręczane na papierze" in response.content.decode()
    assert _delivery_state(coop_a, change) == before
    # The service says the same, in the language of the moment.
    with coop_a.use(), translation.override("en"), pytest.raises(ValidationError) as refused:
        services.fee_notice_paper_delivery_record(
            acting_user=coop_a.clerk, notice=_notice(coop_a, change, "ALFA-1-1"), delivered_on=D(2026, 12, 9),
            method="in_person", registered_mail_number="", today=D(2026, 12, 10))
    assert refused.value.code == "not_paper"
    assert _delivery_state(coop_a, change) == before


def _urls(change, notice, unit):
    return [f"/biuro/zmiany-oplat/{change.pk}/na-papierze/", f"/biuro/zmiany-oplat/{change.pk}/na-papierze/rejestr.pdf",
            f"/biuro/zmiany-oplat/{change.pk}/wydruk.pdf", f"/biuro/zmiany-oplat/zawiadomienia/{notice.pk}.pdf",
            f"/biuro/zmiany-oplat/{change.pk}/podglad/{unit.pk}.pdf"]


def test_residents_get_no_staff_page_and_the_module_off_answers_404(coop_a):
    _module(coop_a)
    draft = _change(coop_a)
    change = _send(coop_a, draft)
    _channels(coop_a, change)
    notice = _notice(coop_a, change, "ALFA-1-1")
    resident = coop_a.client_logged_in_as(coop_a.resident)
    for url in _urls(change, notice, notice.unit):
        assert resident.get(url).status_code == 403, url
    before = _delivery_state(coop_a, change)
    assert _post(resident, change, _notice(coop_a, change, "ALFA-1-2"), delivered_on="2026-12-09",
                 method="in_person").status_code == 403
    assert _delivery_state(coop_a, change) == before
    # Staff opening the resident's letter records nothing.
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    assert clerk.get(f"/biuro/zmiany-oplat/zawiadomienia/{notice.pk}.pdf").status_code == 200
    with coop_a.use():
        assert FeeNotice.objects.filter(opened_at__isnull=False).count() == 0
    _module(coop_a, on=False)
    for url in _urls(change, notice, notice.unit):
        assert clerk.get(url).status_code == 404, url


def test_each_letter_of_a_batch_counts_its_own_pages():
    long = _plain_letter(unit_label="ul. Wawel 1/1", lines=[
        LetterLine(component=f"Składnik {number}", current_amount=Decimal("10.00"), new_amount=Decimal("11.00"))
        for number in range(40)], justification="Wzrost kosztów. " * 80)
    short = _plain_letter(unit_label="ul. Wawel 1/2")
    pages = _words(letters_pdf(letters=[long, short], title="Wydruk", generated_at=SENT))
    assert [page[page.rfind("·"):] for page in pages] == [
        "· ul. Wawel 1/1 Strona 1 z 2", "· ul. Wawel 1/1 Strona 2 z 2", "· ul. Wawel 1/2 Strona 1 z 1"]
    # The second letter starts on a page of its own, with its address field.
    assert pages[2].startswith("Spółdzielnia Mieszkaniowa „Hutnik” ul. Hutnicza 1, 41-200 Sosnowiec Sosnowiec, "
                               "02.12.2026")
    assert "Jan Kowalski ul. Wawel 1/12 41-200 Sosnowiec" in pages[2]


def test_a_large_print_batch_comes_in_parts_in_print_order(coop_a, monkeypatch):
    monkeypatch.setattr(selectors, "PRINT_BATCH_MAX", 2)
    _module(coop_a)
    change = _send(coop_a, _change(coop_a, lines=[*LINES, *_more_units(coop_a)]))
    _channels(coop_a, change)
    client = coop_a.client_logged_in_as(coop_a.clerk)
    page = client.get(f"/biuro/zmiany-oplat/{change.pk}/na-papierze/").content.decode()
    assert "Część 2: ul. Akacjowa 10/10 – ul. Hutnicza 1/2" in page
    assert "Część 3: ul. Hutnicza 1, garaż G1 – ul. Hutnicza 1, garaż G1" in page
    response = client.get(f"/biuro/zmiany-oplat/{change.pk}/wydruk.pdf?czesc=2")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('wydruk-zmiana-oplat-2027-04-czesc-2.pdf"')
    pages = _words(response.content)
    assert [re.search(r"opłat za lokal (.+?): Składnik", page).group(1) for page in pages] == [
        "ul. Akacjowa 10/10", "ul. Hutnicza 1/2"]
    assert_pdf_ua(response.content,
                  title="Zawiadomienia o zmianie opłat od 1 kwietnia 2027 r. – wydruk, część 2 z 3 (2)")
    for part in ("4", "0", "x"):
        assert client.get(f"/biuro/zmiany-oplat/{change.pk}/wydruk.pdf?czesc={part}").status_code == 404


def test_another_cooperatives_staff_cannot_reach_the_letters(coop_a, coop_b):
    _module(coop_a)
    _module(coop_b)
    change = _send(coop_a, _change(coop_a))
    _channels(coop_a, change)
    notice = _notice(coop_a, change, "ALFA-1-2")
    other = coop_b.client_logged_in_as(coop_b.clerk)
    for url in _urls(change, notice, notice.unit):
        assert other.get(url).status_code == 404, url
    before = _delivery_state(coop_a, change)
    assert _post(other, change, notice, delivered_on="2026-12-09", method="in_person").status_code == 404
    assert _delivery_state(coop_a, change) == before


def test_a_drafts_preview_without_a_justification_says_it_is_missing():
    [page] = _words(letters_pdf(letters=[_plain_letter(justification="")], title="", generated_at=SENT))
    assert "Uzasadnienie (Uzasadnienie nie zostało jeszcze dodane.) Wpłaty" in page
