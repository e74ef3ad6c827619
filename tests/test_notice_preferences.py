"""Residents choose which kinds of notice they get; their choice is honoured and audited."""

from django.utils import timezone

from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.notices.models import NoticePreference
from tenants_portal.notices.services import notice_send


def test_resident_switches_announcement_mails_off_and_back_on(coop_a):
    client = coop_a.client_logged_in_as(coop_a.resident)
    page = client.get("/konto/powiadomienia/")
    assert page.context["form"].initial == {"announcement": True, "failure_status": True, "reading_window": True,
                                            "matter": True}
    assert client.post("/konto/powiadomienia/", {"failure_status": "on", "reading_window": "on", "matter": "on"})[
        "Location"] == "/konto/powiadomienia/"
    with coop_a.use():
        assert list(NoticePreference.objects.values_list("kind", "enabled")) == [("announcement", False)]
        resident = type(coop_a.resident).objects.get(pk=coop_a.resident.pk)
        resident.email, resident.email_verified_at = "jan@example.com", timezone.now()

        def mailed(kind: str) -> int:
            return notice_send(kind=kind, key=f"test:{kind}", users=[resident], template="emails/account_closed",
                               context={})

        assert (mailed("announcement"), mailed("failure_status")) == (0, 1)
        assert AuditEvent.objects.get(action=AuditAction.NOTICE_PREFERENCES_CHANGED).details == {"announcement": False}
    client.post("/konto/powiadomienia/", {"announcement": "on", "failure_status": "on", "reading_window": "on",
                                           "matter": "on"})
    with coop_a.use():
        assert list(NoticePreference.objects.values_list("kind", "enabled")) == [("announcement", True)]


def test_staff_have_no_preferences_page(coop_a):
    assert coop_a.client_logged_in_as(coop_a.clerk).get("/konto/powiadomienia/").status_code == 404
