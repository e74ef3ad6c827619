"""Announcements of the manager: who sees what, attachments behind access checks, unread marks, the
e-mail to the audience exactly once, the office's validation and roles, and the module switch."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from iok.uploads import CheckedUpload, cooperative_media_root
from tasks.announcements_jobs import announcements_publish_due
from tenants_portal.accounts.models import User
from tenants_portal.announcements.models import Announcement, AnnouncementAttachment, AnnouncementRead
from tenants_portal.announcements.selectors import announcements_unread_count
from tenants_portal.announcements.services import announcement_create, announcement_update
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.notices.models import NoticePreference
from tenants_portal.registry.models import Building, Estate, LegalTitle, Person, Unit
from tenants_portal.regulation.models import RegulationAcceptance, RegulationVersion

from .conftest import PASSWORD, notices_deliver_waiting

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DAY = datetime.timedelta(days=1)


def _places(coop) -> dict:
    """The base building (ul. Hutnicza 1, Osiedle Alfa), another building on the same estate and one
    on another estate, with a resident ("sasiad") in the latter."""
    with coop.use():
        home = Building.objects.get(street="ul. Hutnicza", number="1")
        other_estate = Estate.objects.create(name="Osiedle Inne")
        far = Building.objects.create(estate=other_estate, street="ul. Polna", number="5", postal_code="41-200",
                                      city="Sosnowiec")
        near = Building.objects.create(estate=home.estate, street="ul. Hutnicza", number="3",
                                       postal_code="41-200", city="Sosnowiec")
        neighbour = User(username="sasiad", role=User.Role.RESIDENT, first_name="Stefan", last_name="Sąsiad",
                         email="stefan@example.com", email_verified_at=timezone.now())
        neighbour.set_password(PASSWORD)
        neighbour.save()
        person = Person.objects.create(first_name="Stefan", last_name="Sąsiad", account=neighbour)
        LegalTitle.objects.create(person=person, unit=Unit.objects.create(building=far, number="1"),
                                  kind=LegalTitle.Kind.OWNERSHIP, start_date=datetime.date(2018, 1, 1))
        RegulationAcceptance.objects.create(user=neighbour, regulation=RegulationVersion.objects.latest("version"),
                                            ip_address="127.0.0.1")
        User.objects.filter(pk=coop.resident.pk).update(email="jan@example.com", email_verified_at=timezone.now())
        User.objects.filter(pk=coop.outsider.pk).update(email="piotr@example.com", email_verified_at=timezone.now())
        return {"home": home, "estate": home.estate, "near": near, "far": far, "other_estate": other_estate,
                "neighbour": neighbour}


def _announcement(title: str, *, age: datetime.timedelta, scope: str = "cooperative", **fields) -> Announcement:
    now = timezone.now()
    fields.setdefault("notified_at", now)
    return Announcement.objects.create(title=title, body=f"Treść: {title}", scope=scope, publish_at=now - age,
                                       **fields)


def _titles(response) -> list[str]:
    return [announcement.title for announcement in response.context["page"]]


def test_a_resident_sees_exactly_their_buildings_estates_and_cooperatives_announcements_pinned_first(coop_a):
    places = _places(coop_a)
    now = timezone.now()
    with coop_a.use():
        _announcement("Cooperative, old", age=10 * DAY)
        _announcement("Cooperative, pinned", age=20 * DAY, pinned=True)
        _announcement("Estate", age=2 * DAY, scope="estate", estate=places["estate"])
        _announcement("Estate, pinned", age=30 * DAY, scope="estate", estate=places["estate"], pinned=True)
        _announcement("Building", age=DAY, scope="building", building=places["home"])
        # None of these is for the resident now:
        _announcement("Another building on the estate", age=DAY, scope="building", building=places["near"])
        _announcement("A building elsewhere", age=DAY, scope="building", building=places["far"])
        _announcement("Another estate", age=3 * DAY, scope="estate", estate=places["other_estate"])
        _announcement("Scheduled", age=-DAY, notified_at=None)
        _announcement("Expired", age=10 * DAY, expires_at=now - datetime.timedelta(minutes=1))
        _announcement("Withdrawn", age=DAY, scope="building", building=places["home"], withdrawn_at=now)

    expected = ["Cooperative, pinned", "Estate, pinned", "Building", "Estate", "Cooperative, old"]
    resident = coop_a.client_logged_in_as(coop_a.resident)
    assert _titles(resident.get("/ogloszenia/")) == expected
    # The neighbour on another estate sees the cooperative's and their own building's only.
    neighbour = coop_a.client_logged_in_as(places["neighbour"])
    assert _titles(neighbour.get("/ogloszenia/")) == ["Cooperative, pinned", "A building elsewhere",
                                                     "Another estate", "Cooperative, old"]
    with coop_a.use():
        hidden = Announcement.objects.get(title="Another building on the estate")
        scheduled = Announcement.objects.get(title="Scheduled")
        expired = Announcement.objects.get(title="Expired")
        visible = Announcement.objects.get(title="Building")
    for announcement in (hidden, scheduled, expired):
        assert resident.get(f"/ogloszenia/{announcement.pk}/").status_code == 404
    page = resident.get(f"/ogloszenia/{visible.pk}/")
    assert page.status_code == 200
    assert "Treść: Building" in page.content.decode()


def test_a_resident_in_an_ended_title_sees_nothing_and_staff_have_no_resident_pages(coop_a):
    with coop_a.use():
        _announcement("Cooperative", age=DAY)
        LegalTitle.objects.filter(person__account=coop_a.outsider).update(end_date=datetime.date(2020, 1, 1))
    assert _titles(coop_a.client_logged_in_as(coop_a.outsider).get("/ogloszenia/")) == []
    assert coop_a.client_logged_in_as(coop_a.clerk).get("/ogloszenia/").status_code == 404


def _with_attachment(coop, title: str, **fields) -> tuple[Announcement, AnnouncementAttachment]:
    with coop.use():
        announcement = announcement_create(
            acting_user=coop.admin, title=title, body="Załącznik w środku.",
            attachments=[CheckedUpload(data=PDF, content_type="application/pdf", extension="pdf",
                                          name="../harmonogram.pdf")], **fields)
        return announcement, announcement.attachments.get()


def test_an_announcement_whose_transaction_rolls_back_leaves_no_attachment_file(coop_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        _announcement, attachment = _with_attachment(coop_a, "Cofnięte", scope="cooperative")
        with coop_a.use():
            stored = cooperative_media_root() / attachment.path
        assert stored.read_bytes() == PDF
        raise RuntimeError("the surrounding transaction fails after the announcement")
    assert not stored.exists()


def test_attachments_are_served_only_to_the_audience_and_staff(coop_a):
    places = _places(coop_a)
    mine, my_file = _with_attachment(coop_a, "Mine", scope="building", building=places["home"])
    theirs, their_file = _with_attachment(coop_a, "Theirs", scope="building", building=places["far"])
    later, later_file = _with_attachment(coop_a, "Later", scope="cooperative",
                                         publish_at=timezone.now() + DAY)
    assert my_file.original_name == "harmonogram.pdf"
    assert my_file.path.startswith("announcements/") and "harmonogram" not in my_file.path

    resident = coop_a.client_logged_in_as(coop_a.resident)
    response = resident.get(f"/ogloszenia/{mine.pk}/zalaczniki/{my_file.pk}/")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    assert resident.get(f"/ogloszenia/{theirs.pk}/zalaczniki/{their_file.pk}/").status_code == 404
    assert resident.get(f"/ogloszenia/{later.pk}/zalaczniki/{later_file.pk}/").status_code == 404
    # An attachment under the wrong announcement's address is not found either.
    assert resident.get(f"/ogloszenia/{mine.pk}/zalaczniki/{their_file.pk}/").status_code == 404
    assert coop_a.client_logged_in_as(coop_a.technician).get(
        f"/ogloszenia/{mine.pk}/zalaczniki/{my_file.pk}/").status_code == 404
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    assert clerk.get(f"/ogloszenia/{theirs.pk}/zalaczniki/{their_file.pk}/").status_code == 200
    assert clerk.get(f"/ogloszenia/{later.pk}/zalaczniki/{later_file.pk}/").status_code == 200


def test_another_cooperatives_attachment_is_not_found(coop_a, coop_b):
    theirs, their_file = _with_attachment(coop_b, "Beta", scope="cooperative")
    path = f"/ogloszenia/{theirs.pk}/zalaczniki/{their_file.pk}/"
    with coop_a.use():
        assert not Announcement.objects.exists()
    resident = coop_a.client_logged_in_as(coop_a.resident)
    assert resident.get(path).status_code == 404
    replayed = resident.get(path, HTTP_HOST=coop_b.host)  # A's session is not valid on B's host
    assert replayed.status_code == 302 and replayed["Location"].startswith("/logowanie/")
    assert coop_b.client_logged_in_as(coop_b.resident).get(path).status_code == 200


def test_unread_count_falls_when_the_resident_opens_an_announcement(coop_a):
    with coop_a.use():
        first = _announcement("First", age=2 * DAY)
        _announcement("Second", age=DAY)
        assert announcements_unread_count(user=coop_a.resident) == 2
        assert announcements_unread_count(user=coop_a.clerk) == 0
    resident = coop_a.client_logged_in_as(coop_a.resident)
    listing = resident.get("/ogloszenia/")
    assert listing.context["unread_announcements"] == 2
    assert [(item.title, item.is_read) for item in listing.context["page"]] == [("Second", False), ("First", False)]

    before = timezone.now()
    assert resident.get(f"/ogloszenia/{first.pk}/").status_code == 200
    resident.get(f"/ogloszenia/{first.pk}/")
    with coop_a.use():
        read = AnnouncementRead.objects.get()
        assert (read.user_id, read.announcement_id) == (coop_a.resident.pk, first.pk)
        assert before <= read.read_at <= timezone.now()
        assert announcements_unread_count(user=coop_a.resident) == 1
        assert announcements_unread_count(user=coop_a.outsider) == 2
    listing = resident.get("/ogloszenia/")
    assert listing.context["unread_announcements"] == 1
    assert [(item.title, item.is_read) for item in listing.context["page"]] == [("Second", False), ("First", True)]


def _post_announcement(client, **data):
    return client.post("/biuro/ogloszenia/nowe/", {"title": "Przegląd gazowy", "body": "Prosimy o dostęp.\n\nDzięki.",
                                                   "scope": "cooperative", **data})


def test_a_scheduled_announcement_is_emailed_once_to_its_audience_except_who_opted_out(
        coop_a, django_capture_on_commit_callbacks):
    places = _places(coop_a)
    with coop_a.use():
        NoticePreference.objects.create(user=coop_a.outsider, kind="announcement", enabled=False)
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    later = timezone.localtime() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_announcement(clerk, scope="building", building=places["home"].pk,
                                      publish_at=later.strftime("%Y-%m-%dT%H:%M"))
    with coop_a.use():
        announcement = Announcement.objects.get()
    assert response["Location"] == f"/biuro/ogloszenia/{announcement.pk}/"
    assert (announcement.notified_at, announcement.recipients_count, announcement.status) == (None, None, "scheduled")
    assert mail.outbox == []

    with coop_a.use():
        assert announcements_publish_due.apply().result == []  # not due yet
        due = timezone.now() - datetime.timedelta(minutes=1)
        Announcement.objects.filter(pk=announcement.pk).update(publish_at=due)
        with django_capture_on_commit_callbacks(execute=True):
            first = announcements_publish_due.apply()
        with django_capture_on_commit_callbacks(execute=True):
            second = announcements_publish_due.apply()
        announcement.refresh_from_db()
    assert (first.result, second.result) == ([announcement.pk], [])
    notices_deliver_waiting(coop_a)
    assert [message.to for message in mail.outbox] == [["jan@example.com"]]  # not the opted-out, not sasiad
    assert mail.outbox[0].subject == "Spółdzielnia Mieszkaniowa „Alfa”: Przegląd gazowy"
    assert "Prosimy o dostęp." in mail.outbox[0].body
    assert f"/ogloszenia/{announcement.pk}/" in mail.outbox[0].body
    assert announcement.recipients_count == 1 and announcement.notified_at is not None
    staff_page = clerk.get(f"/biuro/ogloszenia/{announcement.pk}/")
    assert staff_page.context["announcement"].recipients_count == 1


def test_an_announcement_published_now_is_emailed_at_once_and_never_again(coop_a, django_capture_on_commit_callbacks):
    places = _places(coop_a)
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        _post_announcement(clerk, scope="estate", estate=places["estate"].pk)
    notices_deliver_waiting(coop_a)
    assert sorted(message.to[0] for message in mail.outbox) == ["jan@example.com", "piotr@example.com"]
    with coop_a.use():
        announcement = Announcement.objects.get()
        assert (announcement.scope, announcement.estate_id, announcement.recipients_count) == (
            "estate", places["estate"].pk, 2)
        with django_capture_on_commit_callbacks(execute=True):
            assert announcements_publish_due.apply().result == []
        assert list(AuditEvent.objects.filter(action__startswith="announcement.").values_list("action", "target")) == [
            (AuditAction.ANNOUNCEMENT_CREATED, "Przegląd gazowy")]
    assert notices_deliver_waiting(coop_a) == []
    assert len(mail.outbox) == 2


def test_a_withdrawn_scheduled_announcement_is_never_sent(coop_a, django_capture_on_commit_callbacks):
    with coop_a.use():
        announcement = _announcement("Withdrawn", age=DAY, notified_at=None, withdrawn_at=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            assert announcements_publish_due.apply().result == []
        announcement.refresh_from_db()
    assert (mail.outbox, announcement.notified_at) == ([], None)


@pytest.mark.parametrize(("data", "errors"), [
    ({"scope": "building"}, {"building": ["Choose the building the announcement is for."]}),
    ({"scope": "estate"}, {"estate": ["Choose the estate the announcement is for."]}),
    ({"publish_at": "2099-05-10T10:00", "expires_at": "2099-05-01T10:00"},
     {"expires_at": ["The expiry must be later than the publication."]}),
    ({"expires_at": "2020-05-01T10:00"}, {"expires_at": ["The expiry must be later than the publication."]}),
    ({"title": "", "body": ""}, {"title": ["This field is required."], "body": ["This field is required."]}),
])
def test_staff_get_a_message_for_each_invalid_announcement_and_nothing_is_saved(coop_a, data, errors):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    clerk.cookies["django_language"] = "en"
    response = _post_announcement(clerk, **data)
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert response.context["form"]["title"].value() == data.get("title", "Przegląd gazowy")  # kept as typed
    with coop_a.use():
        assert Announcement.objects.count() == 0


def test_a_file_that_is_not_a_pdf_or_image_is_refused(coop_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    clerk.cookies["django_language"] = "en"
    response = _post_announcement(clerk, attachments=[SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf")])
    assert response.context["form"].errors == {
        "attachments": ["“plan.pdf” is neither a PDF document nor a photo (JPEG, PNG, WebP)."]}
    with coop_a.use():
        assert Announcement.objects.count() == 0


@pytest.mark.parametrize("role", ["resident", "technician"])
def test_residents_and_technicians_cannot_write_announcements(coop_a, role):
    with coop_a.use():
        scheduled = _announcement("Scheduled", age=-DAY, notified_at=None)
    client = coop_a.client_logged_in_as(getattr(coop_a, role))
    assert client.get("/biuro/ogloszenia/").status_code == 403
    assert _post_announcement(client).status_code == 403
    assert client.post(f"/biuro/ogloszenia/{scheduled.pk}/edycja/", {
        "title": "Zmienione", "body": "x", "scope": "cooperative"}).status_code == 403
    assert client.post(f"/biuro/ogloszenia/{scheduled.pk}/wycofanie/").status_code == 403
    with coop_a.use():
        assert list(Announcement.objects.values_list("title", "withdrawn_at")) == [("Scheduled", None)]
        assert not AuditEvent.objects.filter(action__startswith="announcement.").exists()


def test_staff_list_shows_each_status_and_only_a_scheduled_announcement_can_be_edited(coop_a):
    now = timezone.now()
    with coop_a.use():
        scheduled = _announcement("Scheduled", age=-DAY, notified_at=None)
        published = _announcement("Published", age=DAY, recipients_count=7)
        _announcement("Expired", age=3 * DAY, expires_at=now - DAY)
        _announcement("Withdrawn", age=2 * DAY, withdrawn_at=now)
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.cookies["django_language"] = "en"
    listing = admin.get("/biuro/ogloszenia/")
    assert [(item.title, item.status, item.recipients_count) for item in listing.context["page"]] == [
        ("Scheduled", "scheduled", None), ("Published", "published", 7), ("Withdrawn", "withdrawn", None),
        ("Expired", "expired", None)]
    assert [item.title for item in admin.get("/biuro/ogloszenia/?status=expired").context["page"]] == ["Expired"]

    refused = admin.post(f"/biuro/ogloszenia/{published.pk}/edycja/", {
        "title": "Zmienione", "body": "x", "scope": "cooperative"}, follow=True)
    assert [str(message) for message in refused.context["messages"]] == [
        "Only an announcement that is not published yet can be edited."]
    edited = admin.post(f"/biuro/ogloszenia/{scheduled.pk}/edycja/", {
        "title": "Scheduled, corrected", "body": "Nowa treść", "scope": "cooperative", "pinned": "on",
        "publish_at": timezone.localtime(now + 2 * DAY).strftime("%Y-%m-%dT%H:%M")})
    assert edited["Location"] == f"/biuro/ogloszenia/{scheduled.pk}/"
    with coop_a.use():
        published.refresh_from_db()
        scheduled.refresh_from_db()
    assert published.title == "Published"
    assert (scheduled.title, scheduled.body, scheduled.pinned, scheduled.notified_at) == (
        "Scheduled, corrected", "Nowa treść", True, None)


def test_staff_withdraw_an_announcement_and_residents_no_longer_see_it(coop_a):
    with coop_a.use():
        published = _announcement("Published", age=DAY)
    resident = coop_a.client_logged_in_as(coop_a.resident)
    assert _titles(resident.get("/ogloszenia/")) == ["Published"]
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    response = clerk.post(f"/biuro/ogloszenia/{published.pk}/wycofanie/")
    assert response["Location"] == f"/biuro/ogloszenia/{published.pk}/"
    with coop_a.use():
        published.refresh_from_db()
        assert (published.status, published.withdrawn_by_id) == ("withdrawn", coop_a.clerk.pk)
        assert list(AuditEvent.objects.filter(action=AuditAction.ANNOUNCEMENT_WITHDRAWN)
                    .values_list("target", flat=True)) == ["Published"]
    assert _titles(resident.get("/ogloszenia/")) == []
    assert resident.get(f"/ogloszenia/{published.pk}/").status_code == 404


def test_the_module_switched_off_answers_404_on_every_route(coop_a):
    places = _places(coop_a)
    announcement, attachment = _with_attachment(coop_a, "Mine", scope="building", building=places["home"])
    routes = ["/ogloszenia/", f"/ogloszenia/{announcement.pk}/",
              f"/ogloszenia/{announcement.pk}/zalaczniki/{attachment.pk}/", "/biuro/ogloszenia/",
              "/biuro/ogloszenia/nowe/", f"/biuro/ogloszenia/{announcement.pk}/",
              f"/biuro/ogloszenia/{announcement.pk}/edycja/", f"/biuro/ogloszenia/{announcement.pk}/wycofanie/"]
    admin, resident = coop_a.client_logged_in_as(coop_a.admin), coop_a.client_logged_in_as(coop_a.resident)
    assert resident.get(routes[2]).status_code == 200  # on: the resident may fetch it
    with coop_a.use():
        InstanceSettings.objects.filter(pk=1).update(module_announcements=False)
        instance_settings_forget()
    for client in (admin, resident):
        for route in routes:
            assert client.get(route).status_code == 404, route
            assert client.post(route).status_code == 404, route
    with coop_a.use():
        announcement.refresh_from_db()
        assert announcement.withdrawn_at is None
        assert Announcement.objects.count() == 1


def test_editing_a_scheduled_announcement_to_publish_now_sends_it_once(coop_a, django_capture_on_commit_callbacks):
    _places(coop_a)
    with coop_a.use():
        scheduled = _announcement("Scheduled", age=-DAY, notified_at=None)
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    assert clerk.get(f"/biuro/ogloszenia/{scheduled.pk}/edycja/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        clerk.post(f"/biuro/ogloszenia/{scheduled.pk}/edycja/",
                   {"title": "Now", "body": "Teraz", "scope": "cooperative"})
    with coop_a.use():
        scheduled.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            assert announcements_publish_due.apply().result == []
    assert (scheduled.status, scheduled.recipients_count) == ("published", 3)
    notices_deliver_waiting(coop_a)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "jan@example.com", "piotr@example.com", "stefan@example.com"]


def test_a_removed_attachment_leaves_no_file_behind(coop_a, django_capture_on_commit_callbacks):
    later = timezone.now() + datetime.timedelta(days=2)
    announcement, attachment = _with_attachment(coop_a, "Later", scope="cooperative", publish_at=later)
    with coop_a.use():
        stored = cooperative_media_root() / attachment.path
        assert stored.read_bytes() == PDF
        with django_capture_on_commit_callbacks(execute=True):
            announcement_update(acting_user=coop_a.admin, announcement=announcement, title="Later", body="Bez pliku.",
                                scope="cooperative", publish_at=later, attachments_remove=[attachment.pk])
        assert (announcement.attachments.count(), stored.exists()) == (0, False)


@pytest.mark.parametrize(("port", "scheme", "expected"), [
    ("8000", "http", "http://alfa.localhost:8000/x/"), ("", "https", "https://alfa.localhost/x/")])
def test_links_in_e_mails_carry_the_port_people_reach_the_platform_on(coop_a, settings, port, scheme, expected):
    from cooperatives.selectors import cooperative_url

    settings.SITE_PORT, settings.SITE_SCHEME = port, scheme
    with coop_a.use():
        assert cooperative_url(path="/x/") == expected
