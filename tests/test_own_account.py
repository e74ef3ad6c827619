"""The resident's own account: units, contact data with verification, consents, own data (GDPR)."""

import datetime
import json
import re
from decimal import Decimal

import time_machine
from django.core import mail
from django.test import Client

from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.failures.models import FailureCategory
from tenants_portal.failures.services import failure_comment_add, failure_report_create
from tenants_portal.meters.models import Meter, Reading
from tenants_portal.notices.models import NoticePreference
from tenants_portal.registry.models import Unit
from tenants_portal.regulation.models import Consent, ConsentPurpose
from tests.conftest import PASSWORD, notices_deliver_waiting


def test_resident_sees_and_switches_between_their_current_units(coop_a):
    client = coop_a.client_logged_in_as(coop_a.resident)
    home = client.get("/konto/")
    assert [str(unit) for unit in home.context["units"]] == ["ul. Hutnicza 1/1", "ul. Hutnicza 1, garaż G1"]
    assert str(home.context["current_unit"]) == "ul. Hutnicza 1/1"
    garage = home.context["units"][1]
    assert client.post("/konto/lokal/", {"unit": garage.pk})["Location"] == "/konto/"
    assert client.get("/konto/").context["current_unit"] == garage


def test_switching_to_a_unit_that_is_not_theirs_is_404_and_changes_nothing(coop_a):
    client = coop_a.client_logged_in_as(coop_a.resident)
    with coop_a.use():
        from tenants_portal.registry.models import Unit
        foreign = Unit.objects.get(number="2")
    assert client.post("/konto/lokal/", {"unit": foreign.pk}).status_code == 404
    assert client.post("/konto/lokal/", {"unit": 999999}).status_code == 404
    assert str(client.get("/konto/").context["current_unit"]) == "ul. Hutnicza 1/1"


def test_contact_change_sends_a_verification_link_that_confirms_the_address(coop_a, django_capture_on_commit_callbacks):
    client = coop_a.client_logged_in_as(coop_a.resident)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/konto/dane-kontaktowe/", {"email": "jan@example.com", "phone": "600 123 456",
                                                             "current_password": PASSWORD})
    assert response["Location"] == "/konto/dane-kontaktowe/"
    notices_deliver_waiting(coop_a)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jan@example.com"]
    link = re.search(r"https://alfa\.localhost/potwierdz-email/\S+/", message.body).group(0)
    with coop_a.use():
        user = User.objects.get(pk=coop_a.resident.pk)
        assert (user.email, user.phone, user.email_verified_at) == ("jan@example.com", "600 123 456", None)

    assert client.get(link.removeprefix("https://alfa.localhost"))["Location"] == "/konto/dane-kontaktowe/"
    with coop_a.use():
        assert User.objects.get(pk=coop_a.resident.pk).has_verified_email


def test_verification_link_of_one_cooperative_is_refused_on_another(coop_a, coop_b,
                                                                   django_capture_on_commit_callbacks):
    client = coop_a.client_logged_in_as(coop_a.resident)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/konto/dane-kontaktowe/", {"email": "jan@example.com", "phone": "", "current_password": PASSWORD})
    notices_deliver_waiting(coop_a)
    path = re.search(r"/potwierdz-email/\S+/", mail.outbox[0].body).group(0)
    assert Client(HTTP_HOST=coop_b.host).get(path).status_code == 400
    with coop_b.use():
        assert User.objects.get(username="lokator").email_verified_at is None


def test_invalid_phone_is_refused_and_the_form_keeps_what_was_typed(coop_a):
    client = coop_a.client_logged_in_as(coop_a.resident)
    client.cookies["django_language"] = "en"
    response = client.post("/konto/dane-kontaktowe/", {"email": "jan@example.com", "phone": "abc",
                                                       "current_password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors == {"phone": ["Enter a phone number of 9 digits, e.g. 600 123 456."]}
    assert response.context["form"]["email"].value() == "jan@example.com"
    with coop_a.use():
        assert User.objects.get(pk=coop_a.resident.pk).email == ""


def test_consent_is_recorded_with_wording_version_and_can_be_withdrawn(coop_a):
    with coop_a.use():
        purpose = ConsentPurpose.objects.create(code="ankiety", title="Ankiety", wording="Zgoda na ankiety.",
                                                wording_version=2)
    client = coop_a.client_logged_in_as(coop_a.resident)
    client.post("/konto/zgody/ankiety/", {"decision": "give"})
    with coop_a.use():
        consent = Consent.objects.get(user=coop_a.resident, purpose=purpose)
        assert (consent.wording_version, consent.wording, consent.withdrawn_at) == (2, "Zgoda na ankiety.", None)
    client.post("/konto/zgody/ankiety/", {"decision": "withdraw"})
    with coop_a.use():
        consent.refresh_from_db()
        assert consent.withdrawn_at is not None
        assert Consent.objects.filter(user=coop_a.resident).count() == 1


def test_resident_downloads_their_own_data(coop_a):
    client = coop_a.client_logged_in_as(coop_a.resident)
    response = client.get("/konto/moje-dane/?format=json")
    assert response["Content-Disposition"].startswith('attachment; filename="moje-dane-lokator-')
    data = json.loads(response.content)
    assert data["account"]["login"] == "lokator"
    assert [(title["unit"], title["from"]) for title in data["legal_titles"]] == [
        ("ul. Hutnicza 1/1", "2015-01-01"), ("ul. Hutnicza 1, garaż G1", "2015-01-01")]
    assert [acceptance["version"] for acceptance in data["regulation_acceptances"]] == [1]
    assert data["sign_in_history"][0]["action"] == AuditAction.LOGIN_SUCCEEDED
    assert "obcy" not in response.content.decode()
    readable = client.get("/konto/moje-dane/")
    assert readable.status_code == 200 and "ul. Hutnicza 1, garaż G1" in readable.content.decode()


def test_own_data_holds_every_modules_rows_in_local_time_and_plain_words(coop_a):
    with coop_a.use(), time_machine.travel(datetime.datetime(2026, 7, 1, 8, 30, tzinfo=datetime.UTC), tick=False):
        unit = Unit.objects.get(code="ALFA-1-1")
        report = failure_report_create(acting_user=coop_a.resident, category=FailureCategory.objects.create(
            name="elektryka"), unit=unit, photos=[], description="Iskrzy gniazdko.", urgency="normal")
        failure_comment_add(acting_user=coop_a.resident, report=report, text="Będę w domu po 16.")
        meter = Meter.objects.create(unit=unit, kind=Meter.Kind.HEAT_ALLOCATOR, serial_number="PO-1")
        Reading.objects.create(meter=meter, read_on=datetime.date(2026, 7, 1), value=Decimal("927"),
                               source=Reading.Source.RESIDENT, submitted_by=coop_a.resident)
        NoticePreference.objects.create(user=coop_a.resident, kind="announcement", enabled=False)
    client = coop_a.client_logged_in_as(coop_a.resident)
    client.cookies["django_language"] = "pl"
    data = json.loads(client.get("/konto/moje-dane/?format=json").content)
    assert data["failure_reports"] == [{
        "number": report.pk, "reported_at": "2026-07-01T10:30:00+02:00", "category": "elektryka",
        "place": "ul. Hutnicza 1/1", "urgency": "zwykła", "description": "Iskrzy gniazdko.", "status": "nowe",
        "photos": 0}]
    assert data["failure_report_comments"] == [
        {"report": report.pk, "at": "2026-07-01T10:30:00+02:00", "text": "Będę w domu po 16."}]
    assert [(reading["reading"], reading["read_on"], reading["status"]) for reading in data["meter_readings"]] == [
        ("927 jedn.", "2026-07-01", "oczekuje na akceptację")]
    assert data["notice_choices"][0] == {"notice": "ogłoszenia zarządcy", "code": "announcement", "send": "nie"}
    assert data["sign_in_history"][0]["event"] == "Zalogowanie"
    page = client.get("/konto/moje-dane/").content.decode()
    assert "<td>01.07.2026 10:30</td>" in page and "<td>927 jedn.</td>" in page
    assert AuditAction.LOGIN_SUCCEEDED not in page and "+02:00" not in page and "T10:30" not in page
    assert "onclick" not in page and "data-print" in page


def test_blank_application_form_is_public_and_names_the_cooperative(coop_a):
    response = Client(HTTP_HOST=coop_a.host).get("/wniosek-o-dostep.pdf")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    from io import BytesIO

    from pypdf import PdfReader
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Spółdzielnia Mieszkaniowa „Alfa”" in text
