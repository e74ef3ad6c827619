"""Failure reports: residents report with photos and follow the status; staff (admin, clerk, technician)
work the queue; emergency numbers come before an urgent report; photos only for those who may see them."""

import datetime
import io
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation
from PIL import Image

from iok.uploads import CheckedUpload, cooperative_media_root
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.failures import services
from tenants_portal.failures.models import (
    EmergencyContact,
    FailureCategory,
    FailureEvent,
    FailurePhoto,
    FailureReport,
)
from tenants_portal.notices.models import NoticeKind, NoticePreference
from tenants_portal.registry.models import Building, Unit
from tests.conftest import notices_deliver_waiting


def _png(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _photo(name: str = "awaria.png", colour: str = "red") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _png(colour), content_type="image/png")


def _setup(coop) -> tuple[FailureCategory, Unit]:
    with coop.use():
        category = FailureCategory.objects.create(name="woda/kanalizacja")
        EmergencyContact.objects.create(name="Pogotowie gazowe", phone="992")
        EmergencyContact.objects.create(name="Pogotowie techniczne spółdzielni", phone="32 290 11 00")
        return category, Unit.objects.select_related("building").get(code=f"{coop.cooperative.slug.upper()}-1-1")


def _form(category, unit, **extra) -> dict:
    return {"category": category.pk, "place": f"unit:{unit.pk}", "place_detail": "kuchnia",
            "description": "Cieknie syfon pod zlewem.", "urgency": "normal", **extra}


def _report_of(coop, user, *, photo: bool = False, unit_code: str | None = None) -> FailureReport:
    """A report filed through the service (with a stored photo when asked)."""
    with coop.use():
        category = FailureCategory.objects.get_or_create(name="elektryka")[0]
        unit = Unit.objects.get(code=unit_code or f"{coop.cooperative.slug.upper()}-1-2")
        photos = [CheckedUpload(
            data=_png("blue"), content_type="image/png", extension="png", name="gniazdko.png")] if photo else []
        return services.failure_report_create(acting_user=user, category=category, unit=unit, photos=photos,
                                              description="Iskrzy gniazdko w pokoju.", urgency="normal")


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_resident_files_a_report_with_a_photo_and_sees_it_accepted_by_the_office(coop_a):
    category, flat = _setup(coop_a)
    resident = _english(coop_a.client_logged_in_as(coop_a.resident))
    assert resident.get("/awarie/nowe/").status_code == 200

    response = resident.post("/awarie/nowe/", _form(category, flat, photos=[_photo()]))
    with coop_a.use():
        report = FailureReport.objects.get()
        photo = report.photos.get()
    assert response["Location"] == f"/awarie/{report.pk}/"
    assert (report.reporter_id, report.unit_id, report.building_id, report.common_area, report.status,
            report.urgency, report.description, report.place_detail) == (
        coop_a.resident.pk, flat.pk, flat.building_id, "", "new", "normal", "Cieknie syfon pod zlewem.", "kuchnia")
    served = resident.get(f"/awarie/{report.pk}/zdjecia/{photo.pk}/")
    assert (served.status_code, served["Content-Type"]) == (200, "image/png")
    stored = b"".join(served.streaming_content)
    assert (photo.content_type, photo.original_name, photo.size) == ("image/png", "awaria.png", len(stored))
    # Re-encoded on the way in (iok.uploads.image_reencode): the same pixels, not the same bytes.
    with Image.open(io.BytesIO(stored)) as kept, Image.open(io.BytesIO(_png())) as sent:
        assert (kept.size, kept.tobytes()) == (sent.size, sent.tobytes())
    assert [r.pk for r in resident.get("/awarie/").context["reports"]] == [report.pk]

    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    assert [r.pk for r in clerk.get("/biuro/awarie/").context["page"]] == [report.pk]
    assert clerk.post(f"/biuro/awarie/{report.pk}/status/", {"status": "accepted"})["Location"] == (
        f"/biuro/awarie/{report.pk}/")

    page = resident.get(f"/awarie/{report.pk}/")
    assert page.context["report"].status == "accepted"
    assert [(e.kind, e.author.username, e.status_from, e.status_to) for e in page.context["events"]] == [
        ("created", "lokator", "", "new"), ("status", "biuro", "new", "accepted")]
    assert '<span class="status status-accepted">accepted</span>' in page.content.decode()


def test_resident_sees_only_own_reports_and_photos(coop_a):
    other = _report_of(coop_a, coop_a.outsider, photo=True)
    with coop_a.use():
        photo = other.photos.get()
    resident = coop_a.client_logged_in_as(coop_a.resident)
    assert resident.get(f"/awarie/{other.pk}/").status_code == 404
    assert resident.get(f"/awarie/{other.pk}/zdjecia/{photo.pk}/").status_code == 404
    assert list(resident.get("/awarie/").context["reports"]) == []
    # Commenting on someone else's report is refused the same way, and nothing is written.
    assert resident.post(f"/awarie/{other.pk}/", {"text": "To ja"}).status_code == 404
    with coop_a.use():
        assert list(FailureEvent.objects.filter(report=other).values_list("kind", flat=True)) == ["created"]
    # The reporter and the cooperative's staff do see the photo.
    for user in (coop_a.outsider, coop_a.clerk, coop_a.technician):
        assert coop_a.client_logged_in_as(user).get(f"/awarie/{other.pk}/zdjecia/{photo.pk}/").status_code == 200


def test_another_cooperative_never_sees_the_report_or_its_photo(coop_a, coop_b):
    report = _report_of(coop_a, coop_a.outsider, photo=True)
    with coop_a.use():
        photo = report.photos.get()
    for user in (coop_b.resident, coop_b.clerk, coop_b.admin):
        client = coop_b.client_logged_in_as(user)
        assert client.get(f"/awarie/{report.pk}/").status_code == 404
        assert client.get(f"/awarie/{report.pk}/zdjecia/{photo.pk}/").status_code == 404
    assert coop_b.client_logged_in_as(coop_b.clerk).get(f"/biuro/awarie/{report.pk}/").status_code == 404
    # A session of A replayed on B's host is not a session there.
    client_a = coop_a.client_logged_in_as(coop_a.clerk)
    client_a.defaults["HTTP_HOST"] = coop_b.host
    assert client_a.get(f"/awarie/{report.pk}/zdjecia/{photo.pk}/").status_code in (302, 404)


@pytest.mark.parametrize(("extra", "field", "message"), [
    ({"description": ""}, "description", "Describe the failure."),
    ({"photos": [_photo(f"zdjecie{n}.png") for n in range(6)]}, "photos",
     "You can attach at most 5 photos; you chose 6."),
    ({"photos": [SimpleUploadedFile("notatka.txt", b"to nie jest zdjecie", content_type="image/png")]}, "photos",
     "“notatka.txt” is not a photo in JPEG, PNG or WebP format."),
    ({"place": "area:999999:lift"}, "place", "Select a valid choice. area:999999:lift is not one of the available "
                                             "choices."),
])
def test_report_form_validation_messages_and_nothing_saved(coop_a, extra, field, message):
    category, flat = _setup(coop_a)
    resident = _english(coop_a.client_logged_in_as(coop_a.resident))
    response = resident.post("/awarie/nowe/", _form(category, flat, **extra))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [message]
    assert message in response.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”")
    if field != "description":
        assert form["description"].value() == "Cieknie syfon pod zlewem."
    with coop_a.use():
        assert not FailureReport.objects.exists()


def test_a_common_area_needs_the_exact_place(coop_a):
    category, flat = _setup(coop_a)
    resident = _english(coop_a.client_logged_in_as(coop_a.resident))
    place = f"area:{flat.building_id}:staircase"
    response = resident.post("/awarie/nowe/", _form(category, flat, place=place, place_detail=""))
    assert response.context["form"].errors["place_detail"] == ["Say where exactly in the common area the failure is."]
    response = resident.post("/awarie/nowe/", _form(category, flat, place=place, place_detail="II piętro"))
    with coop_a.use(), translation.override("en"):
        report = FailureReport.objects.get()
        place_label = report.place_label
    assert (report.unit_id, report.building_id, report.common_area, place_label) == (
        None, flat.building_id, "staircase", "ul. Hutnicza 1, staircase (II piętro)")
    # A unit needs no detail.
    assert resident.post("/awarie/nowe/", _form(category, flat, place_detail="")).status_code == 302


@pytest.mark.parametrize("urgency", ["urgent", "emergency"])
def test_emergency_numbers_come_before_an_urgent_report_and_nothing_is_filed_until_confirmed(coop_a, urgency):
    category, flat = _setup(coop_a)
    resident = _english(coop_a.client_logged_in_as(coop_a.resident))
    first = resident.post("/awarie/nowe/", _form(category, flat, urgency=urgency, photos=[_photo()]))
    assert first.status_code == 200
    assert first.context["confirming"] is True
    page = first.content.decode()
    for number in ("992", "32 290 11 00", "Pogotowie gazowe"):
        assert number in page
    assert 'name="confirm_emergency"' in page
    assert first.context["form"]["description"].value() == "Cieknie syfon pod zlewem."
    assert [photo.original_name for photo in first.context["pending"]] == ["awaria.png"]
    with coop_a.use():
        assert not FailureReport.objects.exists()

    # Confirmed: filed, with the photo chosen before (no need to choose it again).
    second = resident.post("/awarie/nowe/", _form(category, flat, urgency=urgency, confirm_emergency="on"))
    with coop_a.use():
        report = FailureReport.objects.get()
        assert list(report.photos.values_list("original_name", flat=True)) == ["awaria.png"]
    assert second["Location"] == f"/awarie/{report.pk}/"
    assert (report.urgency, report.emergency_numbers_confirmed) == (urgency, True)


def test_numbers_are_on_the_form_from_the_start_and_a_normal_report_needs_no_confirmation(coop_a):
    category, flat = _setup(coop_a)
    resident = coop_a.client_logged_in_as(coop_a.resident)
    assert "992" in resident.get("/awarie/nowe/").content.decode()
    assert resident.post("/awarie/nowe/", _form(category, flat)).status_code == 302


def test_the_service_refuses_an_unconfirmed_urgent_report(coop_a):
    category, flat = _setup(coop_a)
    with coop_a.use(), translation.override("en"), pytest.raises(ValidationError) as error:
        services.failure_report_create(acting_user=coop_a.resident, category=category, unit=flat,
                                       description="Zalewa łazienkę", urgency="emergency")
    assert error.value.messages == ["Confirm that you have seen the emergency numbers."]


def _status(client, report, status, comment=""):
    return client.post(f"/biuro/awarie/{report.pk}/status/", {"status": status, "comment": comment})


def test_workflow_transitions_comments_assignment_and_history(coop_a):
    report = _report_of(coop_a, coop_a.resident, unit_code="ALFA-1-1")
    clerk = _english(coop_a.client_logged_in_as(coop_a.clerk))
    technician = _english(coop_a.client_logged_in_as(coop_a.technician))
    resident = _english(coop_a.client_logged_in_as(coop_a.resident))

    refused = _status(clerk, report, "in_progress")  # new → in progress skips acceptance
    assert refused.status_code == 200
    assert refused.context["status_form"].errors["status"] == [
        "Select a valid choice. in_progress is not one of the available choices."]
    assert _status(clerk, report, "accepted").status_code == 302
    assert clerk.post(f"/biuro/awarie/{report.pk}/przydzial/",
                      {"assignee": coop_a.technician.pk}).status_code == 302
    assert technician.get("/biuro/awarie/?assigned_to=me").context["page"].object_list[0].pk == report.pk
    assert _status(technician, report, "in_progress").status_code == 302
    assert technician.post(f"/biuro/awarie/{report.pk}/komentarz/",
                           {"text": "Będę jutro o 9.", "internal": ""}).status_code == 302
    assert technician.post(f"/biuro/awarie/{report.pk}/komentarz/",
                           {"text": "Potrzebna nowa puszka.", "internal": "on"}).status_code == 302
    assert resident.post(f"/awarie/{report.pk}/", {"text": "Dziękuję, będę w domu."}).status_code == 302
    no_comment = _status(technician, report, "resolved")
    assert no_comment.context["status_form"].non_field_errors() == [
        "Write a comment for the resident: why the report is closed this way."]
    assert _status(technician, report, "resolved", "Wymieniono gniazdko.").status_code == 302

    with coop_a.use():
        report.refresh_from_db()
        assert (report.status, report.assigned_to_id) == ("resolved", coop_a.technician.pk)
        history = [(e.kind, e.author.username, e.status_from, e.status_to, e.text) for e in report.events.all()]
        assert list(AuditEvent.objects.filter(action__startswith="failure").values_list("action", "actor_login")
                    .order_by("id")) == [
            (AuditAction.FAILURE_REPORTED, "lokator"), (AuditAction.FAILURE_STATUS_CHANGED, "biuro"),
            (AuditAction.FAILURE_ASSIGNED, "biuro"),
            (AuditAction.FAILURE_STATUS_CHANGED, "technik"), (AuditAction.FAILURE_COMMENTED, "technik"),
            (AuditAction.FAILURE_COMMENTED, "technik"), (AuditAction.FAILURE_COMMENTED, "lokator"),
            (AuditAction.FAILURE_STATUS_CHANGED, "technik")]
    assert history == [
        ("created", "lokator", "", "new", ""),
        ("status", "biuro", "new", "accepted", ""),
        ("assigned", "biuro", "", "", "Tadeusz Tadeuszska"),
        ("status", "technik", "accepted", "in_progress", ""),
        ("comment", "technik", "", "", "Będę jutro o 9."),
        ("note", "technik", "", "", "Potrzebna nowa puszka."),
        ("comment", "lokator", "", "", "Dziękuję, będę w domu."),
        ("status", "technik", "in_progress", "resolved", "Wymieniono gniazdko."),
    ]
    # The resident sees the history without the staff's internal note.
    page = resident.get(f"/awarie/{report.pk}/")
    assert [e.kind for e in page.context["events"]] == [
        "created", "status", "assigned", "status", "comment", "comment", "status"]
    assert "Potrzebna nowa puszka." not in page.content.decode()
    assert "Potrzebna nowa puszka." in clerk.get(f"/biuro/awarie/{report.pk}/").content.decode()


def test_a_resolved_report_is_reopened_audited_and_its_reporter_told(coop_a):
    report = _report_of(coop_a, coop_a.resident, unit_code="ALFA-1-1")
    with coop_a.use():
        services.failure_status_change(acting_user=coop_a.clerk, report=report, status="accepted")
        services.failure_status_change(acting_user=coop_a.clerk, report=report, status="resolved",
                                       comment="Wymieniono gniazdko.")
    clerk = _english(coop_a.client_logged_in_as(coop_a.clerk))
    page = clerk.get(f"/biuro/awarie/{report.pk}/")
    assert page.context["status_form"].fields["status"].choices == [("in_progress", "in progress")]
    assert '<h2 id="status-heading">Reopen the report</h2>' in page.content.decode()
    assert _status(clerk, report, "in_progress", "Gniazdko znów iskrzy.").status_code == 302
    with coop_a.use():
        report.refresh_from_db()
        assert report.status == "in_progress"
        event = AuditEvent.objects.filter(action=AuditAction.FAILURE_STATUS_CHANGED).latest("id")
        assert (event.actor_login, event.details) == (
            "biuro", {"from": "resolved", "to": "in_progress", "comment": "Gniazdko znów iskrzy."})
        assert [(e.status_from, e.status_to) for e in report.events.filter(kind="status")] == [
            ("new", "accepted"), ("accepted", "resolved"), ("resolved", "in_progress")]


def test_the_queue_opens_on_waiting_reports_most_urgent_and_oldest_first_with_reporter_and_age(coop_a):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        oldest = _report_of(coop_a, coop_a.resident, unit_code="ALFA-1-1")
        closed = _report_of(coop_a, coop_a.outsider)
    with time_machine.travel(datetime.datetime(2026, 11, 4, 7, 0, tzinfo=datetime.UTC), tick=False):
        urgent = _report_of(coop_a, coop_a.outsider)
    with coop_a.use():
        FailureReport.objects.filter(pk=urgent.pk).update(urgency="urgent")
        services.failure_status_change(acting_user=coop_a.clerk, report=closed, status="rejected", comment="Nie nasze.")
    clerk = _english(coop_a.client_logged_in_as(coop_a.clerk))
    with time_machine.travel(datetime.datetime(2026, 11, 4, 10, 30, tzinfo=datetime.UTC), tick=False):
        queue = clerk.get("/biuro/awarie/")
        assert [report.pk for report in queue.context["page"]] == [urgent.pk, oldest.pk]
        html = queue.content.decode()
        assert "<td>3 hours</td>" in html and "<td>2 days</td>" in html
        assert "<td>Jan Janska</td>" in html and "<td>Piotr Piotrska</td>" in html
        assert queue.context["form"]["status"].value() == "open"
        assert [report.pk for report in clerk.get("/biuro/awarie/?status=").context["page"]] == [
            urgent.pk, oldest.pk, closed.pk]


def test_rejection_needs_a_comment_and_is_final(coop_a):
    report = _report_of(coop_a, coop_a.resident, unit_code="ALFA-1-1")
    with coop_a.use(), translation.override("en"):
        with pytest.raises(ValidationError) as error:
            services.failure_status_change(acting_user=coop_a.clerk, report=report, status="rejected")
        assert error.value.messages == ["Write a comment for the resident: why the report is closed this way."]
        services.failure_status_change(acting_user=coop_a.clerk, report=report, status="rejected",
                                       comment="Okna należą do lokatora.")
        with pytest.raises(ValidationError):
            services.failure_status_change(acting_user=coop_a.clerk, report=report, status="accepted")
        report.refresh_from_db()
        assert report.status == "rejected"


def test_only_staff_can_be_assigned(coop_a):
    report = _report_of(coop_a, coop_a.resident, unit_code="ALFA-1-1")
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    response = clerk.post(f"/biuro/awarie/{report.pk}/przydzial/", {"assignee": coop_a.outsider.pk})
    assert response.status_code == 200
    assert response.context["assign_form"].errors["assignee"]
    with coop_a.use():
        report.refresh_from_db()
        assert report.assigned_to_id is None


@pytest.mark.parametrize("who", ["admin", "clerk", "technician"])
def test_staff_work_the_queue(coop_a, who):
    report = _report_of(coop_a, coop_a.resident, unit_code="ALFA-1-1")
    client = coop_a.client_logged_in_as(getattr(coop_a, who))
    assert [r.pk for r in client.get("/biuro/awarie/?status=new&urgency=normal").context["page"]] == [report.pk]
    assert list(client.get("/biuro/awarie/?status=resolved").context["page"]) == []
    assert client.get(f"/biuro/awarie/{report.pk}/").status_code == 200
    assert _status(client, report, "accepted").status_code == 302
    with coop_a.use():
        report.refresh_from_db()
        assert report.status == "accepted"


def test_a_resident_cannot_work_the_queue(coop_a):
    report = _report_of(coop_a, coop_a.resident, unit_code="ALFA-1-1")
    resident = coop_a.client_logged_in_as(coop_a.resident)
    assert resident.get("/biuro/awarie/").status_code == 403
    assert resident.get(f"/biuro/awarie/{report.pk}/").status_code == 403
    assert _status(resident, report, "accepted").status_code == 403
    assert resident.post(f"/biuro/awarie/{report.pk}/przydzial/",
                         {"assignee": coop_a.resident.pk}).status_code == 403
    assert resident.post(f"/biuro/awarie/{report.pk}/komentarz/",
                         {"text": "x", "internal": "on"}).status_code == 403
    with coop_a.use():
        report.refresh_from_db()
        assert (report.status, report.assigned_to_id) == ("new", None)
        assert list(report.events.values_list("kind", flat=True)) == ["created"]


def test_the_resident_gets_an_email_at_each_status_change(coop_a, django_capture_on_commit_callbacks):
    report = _report_of(coop_a, coop_a.resident, unit_code="ALFA-1-1")
    with coop_a.use():
        type(coop_a.resident).objects.filter(pk=coop_a.resident.pk).update(email="jan@example.com",
                                                                           email_verified_at=timezone.now())
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        assert _status(clerk, report, "accepted").status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert _status(clerk, report, "rejected", "To usterka w lokalu, naprawa we własnym zakresie.").status_code \
            == 302
    assert len(notices_deliver_waiting(coop_a)) == 2
    assert [message.to for message in mail.outbox] == [["jan@example.com"], ["jan@example.com"]]
    assert all(f"Zgłoszenie awarii nr {report.pk}: " in message.subject for message in mail.outbox)
    assert "To usterka w lokalu, naprawa we własnym zakresie." in mail.outbox[1].body
    assert f"https://{coop_a.host}/awarie/{report.pk}/" in mail.outbox[1].body
    assert f"https://{coop_a.host}/awarie/{report.pk}/" in mail.outbox[1].alternatives[0][0]


def test_no_email_when_the_resident_opted_out(coop_a, django_capture_on_commit_callbacks):
    report = _report_of(coop_a, coop_a.resident, unit_code="ALFA-1-1")
    with coop_a.use():
        type(coop_a.resident).objects.filter(pk=coop_a.resident.pk).update(email="jan@example.com")
        NoticePreference.objects.create(user=coop_a.resident, kind=NoticeKind.FAILURE_STATUS, enabled=False)
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        assert _status(clerk, report, "accepted").status_code == 302
    assert notices_deliver_waiting(coop_a) == []
    assert mail.outbox == []
    with coop_a.use():
        report.refresh_from_db()
        assert report.status == "accepted"


def test_the_module_switched_off_answers_404_on_every_route(coop_a):
    report = _report_of(coop_a, coop_a.resident, photo=True, unit_code="ALFA-1-1")
    with coop_a.use():
        photo = report.photos.get()
        InstanceSettings.objects.filter(pk=1).update(module_failures=False)
        instance_settings_forget()
    routes = ["/awarie/", "/awarie/nowe/", f"/awarie/{report.pk}/", f"/awarie/{report.pk}/zdjecia/{photo.pk}/",
              "/biuro/awarie/", f"/biuro/awarie/{report.pk}/", f"/biuro/awarie/{report.pk}/status/",
              f"/biuro/awarie/{report.pk}/przydzial/", f"/biuro/awarie/{report.pk}/komentarz/"]
    for user in (coop_a.resident, coop_a.clerk):
        client = coop_a.client_logged_in_as(user)
        for route in routes:
            assert client.get(route).status_code == 404, route
            assert client.post(route, {"status": "accepted", "text": "x"}).status_code == 404, route
    with coop_a.use():
        report.refresh_from_db()
        assert (report.status, report.events.count()) == ("new", 1)


def test_control_characters_typed_into_comments_are_stripped(coop_a):
    report = _report_of(coop_a, coop_a.resident, unit_code="ALFA-1-1")
    resident = _english(coop_a.client_logged_in_as(coop_a.resident))
    assert resident.post(f"/awarie/{report.pk}/", {"text": "Dzwonek\x07 nie\x1b działa.\r\nProszę o kontakt.\x7f"}
                         ).status_code == 302
    only_controls = resident.post(f"/awarie/{report.pk}/", {"text": "\x07\x1b\x08"})
    assert only_controls.status_code == 200
    assert only_controls.context["comment_form"].non_field_errors() == ["Write the comment."]
    with coop_a.use():
        assert list(report.events.filter(kind="comment").values_list("text", flat=True)) == [
            "Dzwonek nie działa.\nProszę o kontakt."]
        services.failure_status_change(acting_user=coop_a.clerk, report=report, status="rejected",
                                       comment="\x1bNie\u0085 nasze.")
        assert report.events.get(kind="status").text == "Nie nasze."


def test_a_confirmation_is_announced_by_a_status_region_around_a_plain_list(coop_a):
    report = _report_of(coop_a, coop_a.resident, unit_code="ALFA-1-1")
    resident = _english(coop_a.client_logged_in_as(coop_a.resident))
    page = resident.post(f"/awarie/{report.pk}/", {"text": "Dziękuję."}, follow=True).content.decode()
    assert ('<div role="status"><ul class="messages"><li class="message-success">Your comment has been added.</li>'
            '</ul></div>') in page
    assert not re.search(r"<ul[^>]*role=", page)


def test_a_report_whose_transaction_rolls_back_leaves_no_photo_file(coop_a):
    _setup(coop_a)
    with pytest.raises(RuntimeError), coop_a.use(), transaction.atomic():
        report = _report_of(coop_a, coop_a.resident, photo=True, unit_code="ALFA-1-1")
        stored = cooperative_media_root() / report.photos.get().path
        assert stored.is_file()
        raise RuntimeError("the surrounding transaction fails after the report")
    assert not stored.exists()
    with coop_a.use():
        assert not FailurePhoto.objects.exists()


@pytest.mark.parametrize("place", ["another resident's unit", "a common area of another building"])
def test_the_service_refuses_a_place_that_is_not_the_reporters_own_and_files_nothing(coop_a, place):
    category, flat = _setup(coop_a)
    with coop_a.use():
        other_flat = Unit.objects.select_related("building").get(code="ALFA-1-2")  # the outsider's
        other_building = Building.objects.create(estate=flat.building.estate, office=flat.building.office,
                                                 street=flat.building.street, number="2", postal_code="41-200",
                                                 city=flat.building.city)
        where = ({"unit": other_flat} if place == "another resident's unit"
                 else {"building": other_building, "common_area": "staircase"})
    with coop_a.use(), translation.override("en"), pytest.raises(ValidationError) as error:
        services.failure_report_create(acting_user=coop_a.resident, category=category, description="Cieknie.",
                                       urgency="normal", **where)
    assert (error.value.code, error.value.messages) == ("invalid_place", ["Choose where the failure is."])
    with coop_a.use():
        assert not FailureReport.objects.exists()
