"""Cooperative admins configure sign-in and publish the regulation; every change is audited."""

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from iok.memo import RequestMemoMiddleware
from iok.uploads import cooperative_media_root
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.branding import LogoChecked
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_get
from tenants_portal.configuration.services import instance_settings_update
from tenants_portal.regulation.models import RegulationVersion

POLICY = {"password_min_length": 10, "password_require_letter": "on", "password_require_digit": "on",
          "password_refuse_common": "on", "password_refuse_personal": "on", "password_history": 3,
          "lockout_failures": 5, "lockout_minutes": 15, "session_idle_minutes": 30, "session_absolute_hours": 8,
          "one_time_password_days": 14}


def test_admin_changes_the_policy_and_the_change_is_audited(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    assert admin.post("/biuro/konfiguracja/logowanie/", POLICY)["Location"] == "/biuro/konfiguracja/logowanie/"
    with coop_a.use():
        assert InstanceSettings.objects.get().password_min_length == 10
        event = AuditEvent.objects.get(action=AuditAction.CONFIGURATION_CHANGED)
        assert (event.actor_login, event.details) == ("admin", {"password_min_length": [6, 10]})


@pytest.mark.parametrize("who", ["clerk", "technician", "resident"])
def test_only_the_admin_changes_configuration(coop_a, who):
    client = coop_a.client_logged_in_as(getattr(coop_a, who))
    assert client.post("/biuro/konfiguracja/logowanie/", POLICY).status_code == 403
    publish = {"title": "X", "text": "Y", "confirm": "on"}
    assert client.post("/biuro/konfiguracja/regulamin/", publish).status_code == 403
    with coop_a.use():
        assert InstanceSettings.objects.get().password_min_length == 6
        assert RegulationVersion.objects.count() == 1
        assert not AuditEvent.objects.filter(action=AuditAction.CONFIGURATION_CHANGED).exists()
        assert list(AuditEvent.objects.filter(action=AuditAction.REGULATION_PUBLISHED)
                    .values_list("target", flat=True)) == ["v1"]


def test_out_of_range_value_is_refused_and_nothing_changes(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    admin.cookies["django_language"] = "en"
    response = admin.post("/biuro/konfiguracja/logowanie/", {**POLICY, "lockout_failures": 1})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "lockout_failures": ["Ensure this value is greater than or equal to 3."]}
    with coop_a.use():
        assert InstanceSettings.objects.get().lockout_failures == 5


def test_admin_publishes_a_new_regulation_version(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    preview = admin.post("/biuro/konfiguracja/regulamin/", {"title": "Regulamin v2", "text": "1. **Nowe**",
                                                            "confirm": "on", "preview": "1"})
    assert "<strong>Nowe</strong>" in str(preview.context["preview"])
    with coop_a.use():
        assert RegulationVersion.objects.count() == 1
    admin.post("/biuro/konfiguracja/regulamin/", {"title": "Regulamin v2", "text": "1. **Nowe**", "confirm": "on"})
    with coop_a.use():
        assert list(RegulationVersion.objects.values_list("version", "title")) == [(2, "Regulamin v2"),
                                                                                  (1, "Regulamin IOK Alfa")]
        assert AuditEvent.objects.filter(action=AuditAction.REGULATION_PUBLISHED,
                                         actor_login="admin").get().target == "v2"


def test_regulation_markdown_is_sanitised(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    text = "<script>alert(1)</script>\n\n[x](javascript:alert(1))"
    admin.post("/biuro/konfiguracja/regulamin/", {"title": "R", "text": text, "confirm": "on"})
    page = coop_a.client().get("/regulamin/").content.decode()
    assert "<script>" not in page and "javascript:" not in page


def test_admin_switches_a_module_off_and_it_is_audited(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    response = admin.post("/biuro/konfiguracja/moduly/", {"module_failures": "on", "module_announcements": "on",
                                                          "module_documents": "on"})
    assert response["Location"] == "/biuro/konfiguracja/moduly/"
    with coop_a.use():
        assert InstanceSettings.objects.get().module_meters is False
        event = AuditEvent.objects.get(action=AuditAction.CONFIGURATION_CHANGED)
        assert event.details == {"module_meters": [True, False]}
    assert admin.get("/liczniki/").status_code == 404


@pytest.mark.parametrize("who", ["clerk", "technician", "resident"])
def test_only_the_admin_switches_modules(coop_a, who):
    client = coop_a.client_logged_in_as(getattr(coop_a, who))
    assert client.post("/biuro/konfiguracja/moduly/", {}).status_code == 403
    with coop_a.use():
        assert InstanceSettings.objects.get().module_meters is True


def test_settings_are_read_once_per_request_and_the_request_sees_its_own_change(coop_a):
    seen = []

    def view(request):
        seen.append(instance_settings_get() is instance_settings_get())
        instance_settings_update(acting_user=coop_a.admin, changes={"lockout_failures": 7})
        seen.append(instance_settings_get().lockout_failures)
        return HttpResponse()

    with coop_a.use():
        RequestMemoMiddleware(view)(RequestFactory().get("/"))
        # Outside a request nothing is kept: a worker reads the cache every time.
        seen.append(instance_settings_get() is instance_settings_get())
    assert seen == [True, 7, False]


def test_a_logo_whose_transaction_rolls_back_leaves_no_file(coop_a):
    logo = LogoChecked(data=b"\x89PNG stand-in", content_type="image/png", extension="png")
    with pytest.raises(RuntimeError), coop_a.use(), transaction.atomic():
        instance_settings_update(acting_user=coop_a.admin, changes={}, logo=logo, logo_original_name="logo.png")
        stored = cooperative_media_root() / InstanceSettings.objects.get().logo_path
        assert stored.read_bytes() == logo.data
        raise RuntimeError("the surrounding transaction fails after the logo")
    assert not stored.exists()
