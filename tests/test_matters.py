"""Matters with the office: the correspondence register's numbers under concurrent submissions, each topic's
fields with exact Polish messages, a resident sees only their own matters and attachments, certificates of no
arrears refused in arrears and checked on the public page, the module's switch."""

import datetime
import io
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import translation
from django_tenants.utils import schema_context
from PIL import Image

from billing_views.models import LedgerEntry
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.matters import services
from tenants_portal.matters.models import Certificate, Matter, MatterAttachment, MatterTopic, RegisterCounter, TopicKind
from tenants_portal.matters.selectors import unit_arrears
from tenants_portal.matters.topics import topic_fields_form
from tenants_portal.registry.models import Unit

# A Wednesday in the middle of a month, well away from DST changes and month ends.
NOW = datetime.datetime(2027, 3, 17, 10, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2027, 3, 17)
VALID_ACCOUNT = "61 1090 1014 0000 0712 1981 2874"


def _on(coop) -> None:
    with coop.use():
        InstanceSettings.objects.filter(pk=1).update(module_matters=True)
        instance_settings_forget()


def _topic(kind: str) -> MatterTopic:
    return MatterTopic.objects.filter(kind=kind).order_by("sort_order").first()


def _unit(coop, suffix: str = "1") -> Unit:
    return Unit.objects.select_related("building__office").get(code=f"{coop.cooperative.slug.upper()}-1-{suffix}")


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def _file(name: str = "deklaracja.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _png(), content_type="image/png")


def _matter(coop, *, kind: str = TopicKind.OTHER, user=None, unit_suffix: str = "1", fields=None) -> Matter:
    with coop.use():
        return services.matter_create(acting_user=user or coop.resident, topic=_topic(kind),
                                      unit=_unit(coop, unit_suffix), fields=fields or {}, subject="Pytanie",
                                      description="Proszę o informację.")


def _errors(kind: str, data: dict) -> dict[str, list[str]]:
    with translation.override("pl"):
        form = topic_fields_form(kind, data, today=TODAY)
        form.is_valid()
        return {name: list(messages) for name, messages in form.errors.items()}


# The register.

@time_machine.travel(NOW, tick=False)
def test_matters_are_numbered_in_the_years_register_with_the_topics_due_date_and_the_units_office(coop_a):
    _on(coop_a)
    first = _matter(coop_a)
    second = _matter(coop_a, kind=TopicKind.CERTIFICATE, unit_suffix="G1")
    with coop_a.use():
        first.refresh_from_db()
        assert (first.register_number, second.register_number) == ("KOR/2027/00001", "KOR/2027/00002")
        assert first.due_on == TODAY + datetime.timedelta(days=_topic(TopicKind.OTHER).due_days)
        assert second.due_on == datetime.date(2027, 3, 24)  # the certificate topic's 7 days
        assert first.office.name == "Administracja Alfa"
        assert first.status == Matter.Status.RECEIVED
        assert AuditEvent.objects.filter(action=AuditAction.MATTER_FILED, target="matter KOR/2027/00001").count() == 1


@time_machine.travel(datetime.datetime(2031, 6, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_concurrent_submissions_get_consecutive_numbers_without_gaps_or_repeats(coop_a, coop_b):
    """Twelve threads, each with its own database connection, file matters at once; every third rolls its
    transaction back after taking a number. The committed numbers are 1..8 of 2031, each once. (They commit,
    so they run in the other cooperative than the rest of this file, and clean up after themselves.)"""
    _on(coop_b)
    schema = coop_b.schema_name
    with coop_b.use():
        topic_id, unit_id = _topic(TopicKind.OTHER).pk, _unit(coop_b).pk
    start = threading.Barrier(12)
    failures: list[BaseException] = []

    class Undo(Exception):
        pass

    def submit(index: int) -> None:
        try:
            with schema_context(schema):
                resident = User.objects.get(username="lokator")
                start.wait(timeout=30)
                try:
                    with transaction.atomic():
                        services.matter_create(acting_user=resident, topic=MatterTopic.objects.get(pk=topic_id),
                                               unit=Unit.objects.select_related("building").get(pk=unit_id),
                                               fields={}, subject=f"Wątek {index}", description="Równocześnie.")
                        if index % 3 == 0:
                            raise Undo
                except Undo:
                    pass
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    def clean() -> None:
        # The threads commit: what they wrote is removed by a connection of its own too (the test's own
        # transaction would roll the removal back), before (a run cut short) and after.
        try:
            for cooperative_schema in (schema, coop_a_schema):
                with schema_context(cooperative_schema), transaction.atomic():
                    AuditEvent.objects.filter(target__startswith="matter KOR/2031/").delete()
                    Matter.objects.filter(year=2031).delete()
                    RegisterCounter.objects.filter(year=2031).delete()
        finally:
            connection.close()

    def in_thread(target) -> None:
        thread = threading.Thread(target=target)
        thread.start()
        thread.join(timeout=120)

    coop_a_schema = coop_a.schema_name
    in_thread(clean)
    threads = [threading.Thread(target=submit, args=(index,)) for index in range(12)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert failures == []
        with coop_b.use():
            numbers = sorted(Matter.objects.filter(year=2031).values_list("number", flat=True))
            assert numbers == list(range(1, 9))
            assert RegisterCounter.objects.get(year=2031).last_number == 8
            assert sorted(Matter.objects.filter(year=2031).values_list("subject", flat=True)) == sorted(
                f"Wątek {index}" for index in range(12) if index % 3)
    finally:
        in_thread(clean)


# Each topic's fields.

@pytest.mark.parametrize(("kind", "data", "errors"), [
    (TopicKind.PEOPLE, {}, {"people": ["Proszę podać liczbę osób zamieszkałych w lokalu."],
                            "effective_from": ["Proszę podać datę, od której obowiązuje zmiana."]}),
    (TopicKind.PEOPLE, {"people": "-1", "effective_from": "2027-04-02"},
     {"people": ["Liczba osób nie może być ujemna."],
      "effective_from": ["Zmiana obowiązuje od pierwszego dnia miesiąca: proszę wybrać 1. dzień."]}),
    (TopicKind.PEOPLE, {"people": "2", "effective_from": "2027-02-01"},
     {"effective_from": ["Zmiana nie może obowiązywać od minionego miesiąca: proszę wybrać 01.03.2027 lub później."]}),
    (TopicKind.PEOPLE, {"people": "2", "effective_from": "2028-04-01"},
     {"effective_from": ["Zmianę można zgłosić najwyżej rok naprzód: proszę wybrać 01.03.2028 lub wcześniej."]}),
    (TopicKind.PEOPLE, {"people": "2", "effective_from": "2027-04-01"}, {}),
    (TopicKind.REFUND, {"account": "61 1090 1014 0000 0712 1981 2875", "account_holder": "Jan Kowalski"},
     {"account": ["Numer rachunku ma błędne cyfry kontrolne: proszę sprawdzić go z wyciągiem z banku."]}),
    (TopicKind.REFUND, {"account": "1234", "account_holder": ""},
     {"account": ["Polski numer rachunku ma 26 cyfr (można go poprzedzić literami PL)."],
      "account_holder": ["Proszę podać imię i nazwisko właściciela rachunku."]}),
    (TopicKind.REFUND, {"account": "PL" + VALID_ACCOUNT, "account_holder": "Jan Kowalski"}, {}),
    (TopicKind.RENOVATION, {"scope": "", "date_from": "2027-03-16", "date_to": "2027-03-10"},
     {"scope": ["Proszę opisać zakres prac."],
      "date_from": ["Prace nie mogą zacząć się w przeszłości: o zgodę prosi się przed nimi."]}),
    (TopicKind.RENOVATION, {"scope": "Wymiana okien", "date_from": "2027-04-10", "date_to": "2027-04-01"},
     {"date_to": ["Prace nie mogą skończyć się przed rozpoczęciem."]}),
    (TopicKind.ACCESS_WITHDRAWAL, {}, {"confirm": ["Proszę potwierdzić wniosek o zamknięcie konta IOK."]}),
    (TopicKind.CERTIFICATE, {}, {}),
])
def test_each_topic_refuses_bad_fields_with_exact_polish_messages(kind, data, errors):
    assert _errors(kind, data) == errors


@time_machine.travel(NOW, tick=False)
def test_the_accepted_fields_are_kept_on_the_matter_as_json(coop_a):
    _on(coop_a)
    form = topic_fields_form(TopicKind.REFUND, {"account": "PL" + VALID_ACCOUNT, "account_holder": "Jan Kowalski"},
                             today=TODAY)
    assert form.is_valid()
    matter = _matter(coop_a, kind=TopicKind.REFUND, fields=form.as_json())
    with coop_a.use():
        matter.refresh_from_db()
        assert matter.fields == {"account": "61109010140000071219812874", "account_holder": "Jan Kowalski"}


# Who sees what.

@time_machine.travel(NOW, tick=False)
def test_the_resident_files_two_people_with_a_scan_and_reads_the_offices_answer(coop_a):
    _on(coop_a)
    resident = coop_a.client_logged_in_as(coop_a.resident)
    with coop_a.use():
        topic, flat = _topic(TopicKind.PEOPLE), _unit(coop_a)
    response = resident.post(f"/sprawy/nowa/{topic.pk}/", {
        "unit": flat.pk, "people": "2", "effective_from": "2027-04-01", "description": "Wprowadziła się córka.",
        "attachments": [_file()]})
    assert response.status_code == 302, response.content.decode()[:3000]
    with coop_a.use():
        matter = Matter.objects.get(year=2027)
        assert (matter.register_number, matter.fields) == ("KOR/2027/00001",
                                                           {"people": 2, "effective_from": "2027-04-01"})
        attachment = MatterAttachment.objects.get(matter=matter)
        assert attachment.content_type == "image/png"
    office = coop_a.client_logged_in_as(coop_a.clerk)
    assert office.get("/biuro/sprawy/").status_code == 200
    assert office.post(f"/biuro/sprawy/{matter.pk}/odpowiedz/", {"text": "Przyjęto od 1 kwietnia."}).status_code == 302
    assert office.post(f"/biuro/sprawy/{matter.pk}/status/", {"status": "closed", "outcome": "granted"}
                       ).status_code == 302
    page = resident.get(f"/sprawy/{matter.pk}/").content.decode()
    assert "Przyjęto od 1 kwietnia." in page
    assert resident.get(f"/sprawy/{matter.pk}/zalaczniki/{attachment.pk}/").status_code == 200
    with coop_a.use():
        matter.refresh_from_db()
        assert (matter.status, matter.outcome) == ("closed", "granted")


@time_machine.travel(NOW, tick=False)
def test_another_resident_gets_404_for_the_matter_its_attachment_and_in_the_api(coop_a):
    _on(coop_a)
    with coop_a.use():
        matter = services.matter_create(acting_user=coop_a.resident, topic=_topic(TopicKind.OTHER),
                                        unit=_unit(coop_a), fields={}, subject="Prywatne", description="Tylko moje.",
                                        attachments=services.matter_attachments_check(uploads=[_file("skan.png")]))
        attachment = MatterAttachment.objects.get(matter=matter)
    outsider = coop_a.client_logged_in_as(coop_a.outsider)
    assert outsider.get(f"/sprawy/{matter.pk}/").status_code == 404
    assert outsider.get(f"/sprawy/{matter.pk}/zalaczniki/{attachment.pk}/").status_code == 404
    assert outsider.get("/sprawy/999999/").status_code == 404
    assert "Prywatne" not in outsider.get("/sprawy/").content.decode()
    assert outsider.post(f"/sprawy/{matter.pk}/", {"text": "Wtrącam się."}).status_code == 404
    with coop_a.use():
        assert matter.entries.count() == 1


@time_machine.travel(NOW, tick=False)
def test_attachments_of_internal_notes_are_not_served_to_the_resident(coop_a):
    _on(coop_a)
    matter = _matter(coop_a)
    with coop_a.use():
        services.matter_reply(acting_user=coop_a.clerk, matter=matter, text="Notatka wewnętrzna", internal=True,
                              attachments=services.matter_attachments_check(uploads=[_file("notatka.png")]))
        attachment = MatterAttachment.objects.get(matter=matter)
    resident = coop_a.client_logged_in_as(coop_a.resident)
    assert "Notatka wewnętrzna" not in resident.get(f"/sprawy/{matter.pk}/").content.decode()
    assert resident.get(f"/sprawy/{matter.pk}/zalaczniki/{attachment.pk}/").status_code == 404
    assert coop_a.client_logged_in_as(coop_a.clerk).get(
        f"/sprawy/{matter.pk}/zalaczniki/{attachment.pk}/").status_code == 200


def test_an_attachment_that_is_neither_pdf_nor_image_is_refused_in_polish(coop_a):
    with translation.override("pl"), pytest.raises(ValidationError) as refused:
        services.matter_attachments_check(uploads=[SimpleUploadedFile("wirus.exe", b"MZ\x90\x00binary")])
    assert refused.value.messages == ["„wirus.exe” nie jest ani dokumentem PDF, ani zdjęciem (JPEG, PNG, WebP)."]


def test_the_module_switched_off_answers_404(coop_a):
    with coop_a.use():
        InstanceSettings.objects.filter(pk=1).update(module_matters=False)
        instance_settings_forget()
    resident = coop_a.client_logged_in_as(coop_a.resident)
    assert resident.get("/sprawy/").status_code == 404
    assert resident.get("/sprawy/nowa/").status_code == 404
    assert coop_a.client_logged_in_as(coop_a.clerk).get("/biuro/sprawy/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_offices_refused_steps_show_why_on_the_matters_page_keep_what_was_typed_and_change_nothing(coop_a):
    _on(coop_a)
    matter = _matter(coop_a, kind=TopicKind.CERTIFICATE, unit_suffix="G1")
    office = coop_a.client_logged_in_as(coop_a.clerk)
    with coop_a.use():
        _ledger(coop_a, matter.unit, "85.40")
        before = (Matter.objects.values_list("status", "outcome", "assigned_to").get(pk=matter.pk),
                  AuditEvent.objects.count(), Certificate.objects.count())
    base = f"/biuro/sprawy/{matter.pk}/"

    waiting = office.post(f"{base}status/", {"status": "waiting", "comment": "  "})
    assert waiting.status_code == 200
    assert waiting.context["status_form"].errors == {"comment": ["Proszę napisać mieszkańcowi, na co czeka biuro."]}
    closing = office.post(f"{base}status/", {"status": "closed", "comment": "Załatwione."})
    assert closing.context["status_form"].errors == {"outcome": [
        "Proszę wybrać rozstrzygnięcie, z jakim sprawa jest zamykana."]}
    assert "Załatwione." in closing.content.decode()
    revoking = office.post(f"{base}zaswiadczenia/999999/uniewaznij/", {"reason": ""})
    assert revoking.status_code == 404
    issuing = office.post(f"{base}zaswiadczenie/", follow=True)
    assert "Nie można wydać zaświadczenia: na dzień 17.03.2027 lokal ma zaległość 85,40 zł." in (
        issuing.content.decode())
    with coop_a.use():
        assert (Matter.objects.values_list("status", "outcome", "assigned_to").get(pk=matter.pk),
                AuditEvent.objects.count(), Certificate.objects.count()) == before


# Certificates of no arrears.

def _ledger(coop, unit: Unit, amount: str, day: datetime.date = datetime.date(2027, 3, 10)) -> None:
    LedgerEntry.objects.create(source_id=f"M-{unit.pk}-{amount}", unit=unit, kind=LedgerEntry.Kind.CHARGE,
                               booked_on=day, amount=Decimal(amount))


@time_machine.travel(NOW, tick=False)
def test_a_certificate_is_refused_while_the_unit_is_in_arrears_and_nothing_changes(coop_a):
    _on(coop_a)
    matter = _matter(coop_a, kind=TopicKind.CERTIFICATE, unit_suffix="G1")
    with coop_a.use(), translation.override("pl"):
        _ledger(coop_a, matter.unit, "85.40")
        with pytest.raises(ValidationError) as refused:
            services.certificate_issue(acting_user=coop_a.clerk, matter=matter)
        assert refused.value.messages == [
            "Nie można wydać zaświadczenia: na dzień 17.03.2027 lokal ma zaległość 85,40 zł. Można je wydać, gdy "
            "zaległość zostanie zapłacona i zaksięgowana."]
        matter.refresh_from_db()
        assert (matter.status, Certificate.objects.count()) == ("received", 0)
        assert not AuditEvent.objects.filter(action=AuditAction.CERTIFICATE_ISSUED).exists()


def _month_charged(unit: Unit, *, month: datetime.date, amount: str) -> None:
    """A month's fee as the charges import books it: on the month's first day, with the month as its period."""
    LedgerEntry.objects.create(source_id=f"N-{unit.pk}-{month:%Y%m}", unit=unit, kind=LedgerEntry.Kind.CHARGE,
                               period=month, booked_on=month, amount=Decimal(amount))


# (the cooperative's payment day, the day, what the unit owes past due that day). February's fee is paid;
# March's 85,40 zł is booked on 1 March and owed from the day after the payment day.
ARREARS = [
    (10, datetime.date(2027, 3, 5), Decimal("0.00")),
    (10, datetime.date(2027, 3, 10), Decimal("0.00")),    # the payment day itself: still on time
    (10, datetime.date(2027, 3, 11), Decimal("85.40")),
    (20, datetime.date(2027, 3, 17), Decimal("0.00")),
    (20, datetime.date(2027, 3, 21), Decimal("85.40")),
    (1, datetime.date(2027, 3, 1), Decimal("0.00")),
    (1, datetime.date(2027, 3, 2), Decimal("85.40")),
    # February's fee is due on its last day and was paid that day: until the day is over, the payment is
    # ahead of the fee (an overpayment, not arrears).
    (28, datetime.date(2027, 2, 28), Decimal("-85.40")),
]


@pytest.mark.parametrize(("payment_day", "on", "overdue"), ARREARS)
def test_a_months_fee_is_arrears_only_after_the_cooperatives_payment_day(coop_a, payment_day, on, overdue):
    with coop_a.use():
        InstanceSettings.objects.filter(pk=1).update(payment_day=payment_day)
        instance_settings_forget()
        unit = _unit(coop_a, "G1")
        _month_charged(unit, month=datetime.date(2027, 2, 1), amount="85.40")
        LedgerEntry.objects.create(source_id=f"P-{unit.pk}", unit=unit, kind=LedgerEntry.Kind.PAYMENT,
                                   booked_on=datetime.date(2027, 2, 28), amount=Decimal("-85.40"))
        _month_charged(unit, month=datetime.date(2027, 3, 1), amount="85.40")
        arrears = unit_arrears(unit=unit, on=on)
        assert (arrears.overdue, arrears.in_arrears) == (overdue, overdue > 0)


@time_machine.travel(datetime.datetime(2027, 3, 5, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_a_certificate_is_issued_before_the_payment_day_although_the_months_fee_is_unpaid(coop_a):
    _on(coop_a)
    matter = _matter(coop_a, kind=TopicKind.CERTIFICATE, unit_suffix="G1")
    with coop_a.use():
        _month_charged(matter.unit, month=datetime.date(2027, 3, 1), amount="85.40")
        certificate = services.certificate_issue(acting_user=coop_a.clerk, matter=matter)
        assert (certificate.as_of, Certificate.objects.count()) == (datetime.date(2027, 3, 5), 1)


@time_machine.travel(NOW, tick=False)
def test_a_certificate_issued_in_one_click_is_genuine_on_the_public_page_until_revoked(coop_a):
    _on(coop_a)
    matter = _matter(coop_a, kind=TopicKind.CERTIFICATE, unit_suffix="G1")
    with coop_a.use():
        _ledger(coop_a, matter.unit, "85.40")
        _ledger(coop_a, matter.unit, "-85.40", day=datetime.date(2027, 3, 12))
    office = coop_a.client_logged_in_as(coop_a.clerk)
    assert office.post(f"/biuro/sprawy/{matter.pk}/zaswiadczenie/").status_code == 302
    with coop_a.use():
        certificate = Certificate.objects.get()
        matter.refresh_from_db()
        assert (certificate.number, certificate.as_of, matter.status, matter.outcome) == (
            "KOR/2027/00001", TODAY, "closed", "granted")
        assert len(certificate.code) == 16
    resident = coop_a.client_logged_in_as(coop_a.resident)
    pdf = resident.get(f"/sprawy/{matter.pk}/zaswiadczenia/{certificate.pk}.pdf")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")

    public = coop_a.client()
    genuine = public.get(f"/zaswiadczenia/weryfikacja/{certificate.code}/")
    page = genuine.content.decode()
    assert genuine.status_code == 200
    assert "Zaświadczenie autentyczne" in page
    assert "KOR/2027/00001" in page and "17.03.2027" in page and certificate.unit_address in page
    assert "lokator" not in page and "Jan" not in page  # nothing but what the certificate states
    grouped = "-".join(certificate.code[index:index + 4] for index in range(0, 16, 4)).lower()
    assert public.post("/zaswiadczenia/weryfikacja/", {"code": grouped})["Location"] == (
        f"/zaswiadczenia/weryfikacja/{certificate.code}/")

    assert office.post(f"/biuro/sprawy/{matter.pk}/zaswiadczenia/{certificate.pk}/uniewaznij/",
                       {"reason": "Wydane omyłkowo."}).status_code == 302
    revoked = public.get(f"/zaswiadczenia/weryfikacja/{certificate.code}/").content.decode()
    assert "Zaświadczenie unieważnione" in revoked
    with coop_a.use():
        assert AuditEvent.objects.filter(action=AuditAction.CERTIFICATE_REVOKED).count() == 1

    unknown = public.get("/zaswiadczenia/weryfikacja/AAAABBBBCCCCDDDD/")
    assert unknown.status_code == 404
    assert "Nieznany kod" in unknown.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_cooperative_may_have_certificates_issued_automatically(coop_a):
    _on(coop_a)
    with coop_a.use():
        InstanceSettings.objects.filter(pk=1).update(matters_certificate_auto=True)
        instance_settings_forget()
    matter = _matter(coop_a, kind=TopicKind.CERTIFICATE, unit_suffix="G1")
    with coop_a.use():
        matter.refresh_from_db()
        assert (matter.status, matter.certificates.count()) == ("closed", 1)


# Withdrawal of access.

@time_machine.travel(NOW, tick=False)
def test_the_office_closes_the_account_a_withdrawal_asks_for(coop_a):
    _on(coop_a)
    matter = _matter(coop_a, kind=TopicKind.ACCESS_WITHDRAWAL, user=coop_a.outsider, unit_suffix="2",
                     fields={"confirm": True})
    office = coop_a.client_logged_in_as(coop_a.clerk)
    assert office.post(f"/biuro/sprawy/{matter.pk}/zamknij-konto/").status_code == 302
    with coop_a.use():
        account = User.objects.get(pk=coop_a.outsider.pk)
        matter.refresh_from_db()
        assert (account.is_active, account.closure) == (False, User.Closure.RESIDENT_REQUEST)
        assert (matter.status, matter.outcome) == ("closed", "granted")
        assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CLOSED, target="obcy").count() == 1


# The office's queue and register.

@time_machine.travel(NOW, tick=False)
def test_the_queue_opens_on_what_waits_for_the_office_and_assigns_in_bulk(coop_a):
    _on(coop_a)
    first, second, waiting = _matter(coop_a), _matter(coop_a), _matter(coop_a)
    with coop_a.use():
        services.matter_status_change(acting_user=coop_a.clerk, matter=waiting, status="waiting",
                                      text="Proszę dosłać skan.")
    office = coop_a.client_logged_in_as(coop_a.clerk)
    page = office.get("/biuro/sprawy/").content.decode()
    assert "KOR/2027/00001" in page and "KOR/2027/00002" in page and "KOR/2027/00003" not in page
    response = office.post("/biuro/sprawy/przydziel/", {"matters": [first.pk, second.pk],
                                                        "assignee": coop_a.clerk.pk})
    assert response.status_code == 302
    with coop_a.use():
        assert list(Matter.objects.filter(assigned_to=coop_a.clerk).order_by("number").values_list(
            "number", flat=True)) == [1, 2]
    csv = office.get("/biuro/sprawy/rejestr/2027.csv").content.decode("utf-8-sig").splitlines()
    assert csv[0].startswith("Numer;Data wpływu;Temat")
    assert [line.split(";")[0] for line in csv[1:]] == ["KOR/2027/00001", "KOR/2027/00002", "KOR/2027/00003"]
    assert office.get("/biuro/sprawy/rejestr/2027.pdf")["Content-Type"] == "application/pdf"


@time_machine.travel(NOW, tick=False)
def test_overdue_is_a_due_date_before_today_in_warsaw_and_not_closed(coop_a):
    _on(coop_a)
    matter = _matter(coop_a)
    with coop_a.use():
        Matter.objects.filter(pk=matter.pk).update(due_on=datetime.date(2027, 3, 16))
    office = coop_a.client_logged_in_as(coop_a.clerk)
    assert "KOR/2027/00001" in office.get("/biuro/sprawy/?status=&overdue=on").content.decode()
    with coop_a.use():
        Matter.objects.filter(pk=matter.pk).update(due_on=TODAY)
    assert "KOR/2027/00001" not in office.get("/biuro/sprawy/?status=&overdue=on").content.decode()


# E-mails.

@time_machine.travel(NOW, tick=False)
def test_the_resident_is_mailed_at_the_offices_reply_unless_they_switched_matters_off(coop_a):
    from django.core import mail
    from django.utils import timezone

    from tenants_portal.notices.models import NoticeKind, NoticePreference
    from tests.conftest import notices_deliver_waiting

    _on(coop_a)
    with coop_a.use():
        User.objects.filter(pk=coop_a.resident.pk).update(email="jan@example.com", email_verified_at=timezone.now())
    matter = _matter(coop_a)
    with coop_a.use(), translation.override("pl"):
        services.matter_reply(acting_user=User.objects.get(pk=coop_a.clerk.pk), matter=matter, text="Odpowiadamy.")
    notices_deliver_waiting(coop_a)
    assert [message.subject for message in mail.outbox] == ["Sprawa KOR/2027/00001: w toku"]
    assert "Odpowiadamy." in mail.outbox[0].body and "Biuro odpowiedziało." in mail.outbox[0].body

    with coop_a.use():
        NoticePreference.objects.create(user=coop_a.resident, kind=NoticeKind.MATTER, enabled=False)
        services.matter_status_change(acting_user=User.objects.get(pk=coop_a.clerk.pk), matter=matter,
                                      status="closed", outcome="answered")
    notices_deliver_waiting(coop_a)
    assert len(mail.outbox) == 1
