"""Support access: operators see a cooperative's residents only while its admin's grant is live,
read-only, and every page they open is recorded."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from operators.models import SupportGrant
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent

RESIDENTS = "/operator/spoldzielnie/{slug}/wsparcie/mieszkancy/"


def _grant(coop, duration: str = "24h", note: str = "") -> Client:
    admin = coop.client_logged_in_as(coop.admin)
    response = admin.post("/biuro/konfiguracja/wsparcie/", {"action": "grant", "duration": duration, "note": note})
    assert response["Location"] == "/biuro/konfiguracja/wsparcie/", response.content.decode()[:800]
    return admin


def _support_views(coop) -> list[tuple]:
    with coop.use():
        return list(AuditEvent.objects.filter(action=AuditAction.SUPPORT_VIEWED).order_by("id")
                    .values_list("actor_login", "target", "details"))


def _grants(coop) -> list[tuple]:
    return list(SupportGrant.objects.filter(cooperative=coop.cooperative).order_by("id")
                .values_list("granted_by_login", "duration", "note", "revoked_by_login"))


def test_without_a_grant_the_operator_gets_a_404_with_nothing_shown_and_nothing_recorded(operator_client, coop_a):
    with coop_a.use():
        person_id = coop_a.resident.person.pk
    for path in (RESIDENTS.format(slug="alfa"), RESIDENTS.format(slug="alfa") + f"{person_id}/"):
        response = operator_client.get(path)
        assert response.status_code == 404
        assert "Jan" not in response.content.decode()
    assert _support_views(coop_a) == []
    page = operator_client.get("/operator/spoldzielnie/alfa/").content.decode()
    assert "Brak udzielonego dostępu dla pomocy technicznej." in page
    assert RESIDENTS.format(slug="alfa") not in page


def test_admin_grants_support_access_for_a_limited_time_recorded_on_both_sides(coop_a):
    before = timezone.now()
    _grant(coop_a, duration="24h", note="Prosimy sprawdzić import rejestru")

    grant = SupportGrant.objects.get(cooperative=coop_a.cooperative)
    assert (grant.granted_by_login, grant.duration, grant.note, grant.revoked_at) == (
        "admin", "24h", "Prosimy sprawdzić import rejestru", None)
    assert grant.expires_at - grant.granted_at == datetime.timedelta(hours=24)
    assert grant.granted_at >= before
    details = {"grant": grant.pk, "duration": "24h", "until": grant.expires_at.isoformat(),
               "note": "Prosimy sprawdzić import rejestru"}
    with coop_a.use():
        assert list(AuditEvent.objects.filter(action=AuditAction.SUPPORT_GRANTED)
                    .values_list("actor_login", "details")) == [("admin", details)]
    with schema_context("public"):
        assert list(AuditEvent.objects.filter(action=AuditAction.SUPPORT_GRANTED).values_list(
            "actor_login", "target", "details")) == [("alfa:admin", "alfa", details)]


def test_a_live_grant_opens_the_residents_read_only_and_every_view_is_recorded(operator_client, coop_a):
    with coop_a.use():
        resident = User.objects.get(pk=coop_a.resident.pk)
        resident.email, resident.phone = "jan@example.com", "601 000 111"
        resident.save()
        person_id = resident.person.pk
    _grant(coop_a)

    listing = operator_client.get(RESIDENTS.format(slug="alfa"))
    person = operator_client.get(RESIDENTS.format(slug="alfa") + f"{person_id}/")

    assert listing.status_code == 200
    assert sorted((row.person.last_name, row.units, row.login, row.account_state)
                  for row in listing.context["page"]) == [
        ("Janska", ["ul. Hutnicza 1/1", "ul. Hutnicza 1, garaż G1"], "lokator", "active"),
        ("Piotrska", ["ul. Hutnicza 1/2"], "obcy", "active"),
        ("Łącka", ["ul. Hutnicza 1/3"], "", "none"),
    ]
    assert person.status_code == 200
    assert (person.context["details"].email, person.context["details"].phone) == ("jan@example.com", "601 000 111")
    assert "jan@example.com" in person.content.decode()
    assert _support_views(coop_a) == [
        ("platform:operator", "residents", {"grant": SupportGrant.objects.get().pk, "page": "residents",
                                            "query": "", "page_number": 1}),
        ("platform:operator", "resident", {"grant": SupportGrant.objects.get().pk, "page": "resident",
                                           "person": person_id}),
    ]
    admin_page = coop_a.client_logged_in_as(coop_a.admin).get("/biuro/konfiguracja/wsparcie/")
    assert [event.actor_login for event in admin_page.context["views"]] == ["platform:operator"] * 2


def test_support_pages_offer_no_way_to_change_anything(operator_client, coop_a):
    _grant(coop_a)
    with coop_a.use():
        person_id = coop_a.resident.person.pk
    for path in (RESIDENTS.format(slug="alfa"), RESIDENTS.format(slug="alfa") + f"{person_id}/"):
        page = operator_client.get(path).content.decode()
        assert 'method="post"' not in page.replace('method="post" action="/wyloguj/"', "")
        assert operator_client.post(path, {"email": "x@example.com"}).status_code == 405
    with coop_a.use():
        assert User.objects.get(pk=coop_a.resident.pk).email == ""


@pytest.mark.parametrize("ended", ["expired", "revoked"])
def test_an_expired_or_withdrawn_grant_opens_nothing(operator_client, coop_a, ended):
    admin = _grant(coop_a)
    grant = SupportGrant.objects.get()
    if ended == "expired":
        SupportGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    else:
        response = admin.post("/biuro/konfiguracja/wsparcie/", {"action": "revoke", "grant": grant.pk})
        assert response["Location"] == "/biuro/konfiguracja/wsparcie/"
        grant.refresh_from_db()
        assert (grant.revoked_by_login, grant.revoked_at is not None) == ("admin", True)

    assert operator_client.get(RESIDENTS.format(slug="alfa")).status_code == 404
    assert _support_views(coop_a) == []


def test_a_grant_of_one_cooperative_does_not_open_another(operator_client, coop_a, coop_b):
    _grant(coop_a)
    assert operator_client.get(RESIDENTS.format(slug="alfa")).status_code == 200
    assert operator_client.get(RESIDENTS.format(slug="beta")).status_code == 404
    with coop_b.use():
        person_of_b = coop_b.resident.person.pk
    # Nor does a person id of B, asked under A's grant, show anything of B.
    assert operator_client.get(RESIDENTS.format(slug="beta") + f"{person_of_b}/").status_code == 404
    assert _support_views(coop_b) == []


def test_a_second_grant_while_one_is_live_is_refused_and_changes_nothing(coop_a):
    admin = _grant(coop_a, duration="1h")
    response = admin.post("/biuro/konfiguracja/wsparcie/", {"action": "grant", "duration": "7d"})
    assert response.status_code == 200
    until = timezone.localtime(SupportGrant.objects.get().expires_at).strftime("%d.%m.%Y %H:%M")
    assert response.context["form"].non_field_errors() == [
        f"Dostęp dla pomocy technicznej jest już udzielony do {until}. Aby udzielić go na inny czas, najpierw go "
        "wycofaj."]
    assert _grants(coop_a) == [("admin", "1h", "", "")]


@pytest.mark.parametrize("role", ["clerk", "technician", "resident"])
def test_only_the_cooperatives_admin_can_grant(coop_a, role):
    client = coop_a.client_logged_in_as(getattr(coop_a, role))
    assert client.get("/biuro/konfiguracja/wsparcie/").status_code == 403
    assert client.post("/biuro/konfiguracja/wsparcie/", {"action": "grant", "duration": "7d"}).status_code == 403
    assert _grants(coop_a) == []


def test_an_admin_cannot_withdraw_another_cooperatives_grant(coop_a, coop_b):
    _grant(coop_b)
    grant_of_b = SupportGrant.objects.get()
    admin_a = coop_a.client_logged_in_as(coop_a.admin)
    response = admin_a.post("/biuro/konfiguracja/wsparcie/", {"action": "revoke", "grant": grant_of_b.pk})
    assert response.status_code == 404
    grant_of_b.refresh_from_db()
    assert grant_of_b.revoked_at is None


def test_a_non_operator_never_reaches_support_pages(coop_a):
    _grant(coop_a)
    anonymous = Client(HTTP_HOST="localhost")
    assert anonymous.get(RESIDENTS.format(slug="alfa"))["Location"].startswith("/logowanie/")
    # The cooperative's own host has no such page.
    assert coop_a.client_logged_in_as(coop_a.admin).get(RESIDENTS.format(slug="alfa")).status_code == 404
