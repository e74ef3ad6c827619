"""The registry in the console: admins add and change estates, buildings, units and offices (audited,
with clear Polish messages); a record is deleted only when nothing depends on it; clerks only look."""

import pytest

from demo.ledger import nrb_for
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.labels import audit_group_actions
from tenants_portal.audit.models import AuditEvent
from tenants_portal.registry.models import Building, Estate, Office, Unit

VALID_NRB = nrb_for(sort_code="10202498", account="0000000000000123")


def _state(coop) -> dict:
    with coop.use():
        return {model.__name__: sorted(model.objects.values_list(*fields))
                for model, fields in ((Estate, ("name",)), (Building, ("street", "number", "office_id")),
                                      (Unit, ("number", "code", "bank_account")), (Office, ("name", "phone")))}


def _registry_events(coop) -> list[tuple]:
    with coop.use():
        return list(AuditEvent.objects.filter(action__in=audit_group_actions("registry")).order_by("id")
                    .values_list("actor_login", "action", "target", "details"))


def test_admin_builds_an_estate_with_a_building_a_unit_and_an_office(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    response = admin.post("/biuro/rejestr/osiedla/nowe/", {"name": "Osiedle Nowe"})
    with coop_a.use():
        estate = Estate.objects.get(name="Osiedle Nowe")
    assert response["Location"] == f"/biuro/rejestr/osiedla/{estate.pk}/"

    admin.post("/biuro/rejestr/budynki/nowy/", {"estate": estate.pk, "street": "ul. Nowa", "number": "7",
                                                "postal_code": "41-200", "city": "Sosnowiec"})
    with coop_a.use():
        building = Building.objects.get(street="ul. Nowa")
    admin.post("/biuro/rejestr/lokale/nowy/", {"building": building.pk, "number": "12", "kind": "flat",
                                               "code": "nowa-7-12", "bank_account": f"PL{VALID_NRB[:2]} "
                                               f"{VALID_NRB[2:6]} {VALID_NRB[6:]}", "area_m2": "51,30"})
    admin.post("/biuro/rejestr/administracje/nowa/", {
        "name": "Administracja Nowa", "street": "ul. Nowa 1", "postal_code": "41-200", "city": "Sosnowiec",
        "phone": "32 111 11 11", "email": "nowa@alfa.example", "opening_hours": "pon.–pt. 7:00–15:00",
        "buildings": [building.pk]})
    with coop_a.use():
        unit = Unit.objects.get(building=building)
        office = Office.objects.get(name="Administracja Nowa")
        assert (unit.code, unit.bank_account, str(unit.area_m2)) == ("NOWA-7-12", VALID_NRB, "51.30")
        assert list(office.buildings.values_list("street", flat=True)) == ["ul. Nowa"]
    assert [(login, action, target) for login, action, target, _details in _registry_events(coop_a)] == [
        ("admin", AuditAction.ESTATE_CREATED, "Osiedle Nowe"),
        ("admin", AuditAction.BUILDING_CREATED, "ul. Nowa 7"),
        ("admin", AuditAction.UNIT_CREATED, "ul. Nowa 7/12"),
        ("admin", AuditAction.OFFICE_CREATED, "Administracja Nowa"),
        ("admin", AuditAction.OFFICE_BUILDINGS_CHANGED, "Administracja Nowa"),
    ]
    assert _registry_events(coop_a)[-1][3] == {"buildings": [[], ["ul. Nowa 7"]]}
    # The resident's contact page lists the new office's building.
    assert "ul. Nowa 7" in coop_a.client().get("/kontakt/").content.decode()


def test_a_change_is_audited_with_before_and_after(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    with coop_a.use():
        unit = Unit.objects.get(code="ALFA-1-2")
    response = admin.post(f"/biuro/rejestr/lokale/{unit.pk}/", {
        "building": unit.building_id, "number": "2", "kind": "flat", "code": "ALFA-1-2", "bank_account": VALID_NRB,
        "area_m2": "60.00"})
    assert response["Location"] == f"/biuro/rejestr/lokale/{unit.pk}/"
    assert _registry_events(coop_a) == [("admin", AuditAction.UNIT_CHANGED, "ul. Hutnicza 1/2", {
        "bank_account": ["", VALID_NRB], "area_m2": [None, "60.00"]})]


@pytest.mark.parametrize(("page", "data", "errors"), [
    ("/biuro/rejestr/lokale/nowy/", {"number": "9", "kind": "flat", "bank_account": "12 3456 7890 1234 5678 9012 3456"},
     {"bank_account": ["Proszę podać poprawny 26-cyfrowy numer rachunku bankowego (NRB); cyfry kontrolne się nie "
                       "zgadzają."]}),
    ("/biuro/rejestr/lokale/nowy/", {"number": "1", "kind": "flat"},
     {"number": ["W budynku ul. Hutnicza 1 jest już lokal numer 1."]}),
    ("/biuro/rejestr/lokale/nowy/", {"number": "9", "kind": "flat", "code": "alfa-1-g1"},
     {"code": ["Kod ALFA-1-G1 jest już przypisany do lokalu ul. Hutnicza 1, garaż G1."]}),
    ("/biuro/rejestr/budynki/nowy/", {"street": "ul. Hutnicza", "number": "5", "postal_code": "41200",
                                      "city": "Sosnowiec"},
     {"postal_code": ["Proszę wpisać kod pocztowy w postaci 00-000, np. 41-200."]}),
    ("/biuro/rejestr/budynki/nowy/", {"street": "ul. Hutnicza", "number": "1", "postal_code": "41-200",
                                      "city": "Sosnowiec"},
     {"number": ["Budynek ul. Hutnicza 1 w miejscowości Sosnowiec już jest w ewidencji."]}),
    ("/biuro/rejestr/osiedla/nowe/", {"name": "Osiedle Alfa"}, {"name": ["Osiedle o tej nazwie już istnieje."]}),
    ("/biuro/rejestr/administracje/nowa/", {"name": "X", "street": "ul. Y 1", "postal_code": "41-200", "city": "Z",
                                            "email": "biuro@"},
     {"email": ["Proszę podać poprawny adres e-mail."]}),
])
def test_wrong_input_gets_a_clear_message_keeps_what_was_typed_and_changes_nothing(coop_a, page, data, errors):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    with coop_a.use():
        building, estate = Building.objects.get(), Estate.objects.get()
    data = {"building": building.pk, "estate": estate.pk, **data}
    before = _state(coop_a)
    response = admin.post(page, data)
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert response.context["form"]["number" if "number" in data else "name"].value() == data.get(
        "number", data.get("name"))
    assert _state(coop_a) == before
    assert _registry_events(coop_a) == []


@pytest.mark.parametrize(("kind", "lookup", "message"), [
    ("osiedla", lambda: Estate.objects.get(),
     "Nie można usunąć „Osiedle Alfa”, bo zależą od tego inne dane: budynki (1). Nic nie zostało zmienione."),
    ("budynki", lambda: Building.objects.get(),
     "Nie można usunąć „ul. Hutnicza 1”, bo zależą od tego inne dane: lokale (4). Nic nie zostało zmienione."),
    ("lokale", lambda: Unit.objects.get(code="ALFA-1-1"),
     "Nie można usunąć „ul. Hutnicza 1/1”, bo zależą od tego inne dane: tytuły prawne (1). Nic nie zostało "
     "zmienione."),
    ("administracje", lambda: Office.objects.get(),
     "Nie można usunąć „Administracja Alfa”, bo zależą od tego inne dane: budynki (1). Nic nie zostało zmienione."),
])
def test_a_record_something_depends_on_is_not_deleted(coop_a, kind, lookup, message):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    with coop_a.use():
        record = lookup()
    before = _state(coop_a)
    response = admin.post(f"/biuro/rejestr/{kind}/{record.pk}/usun/", follow=True)
    assert [str(m) for m in response.context["messages"]] == [message]
    assert _state(coop_a) == before
    assert _registry_events(coop_a) == []


def test_a_unit_nothing_depends_on_is_deleted_and_audited(coop_a):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    with coop_a.use():
        unit = Unit.objects.create(building=Building.objects.get(), number="99", kind=Unit.Kind.GARAGE)
    response = admin.post(f"/biuro/rejestr/lokale/{unit.pk}/usun/")
    assert response["Location"] == "/biuro/rejestr/lokale/"
    with coop_a.use():
        assert not Unit.objects.filter(pk=unit.pk).exists()
    assert _registry_events(coop_a) == [("admin", AuditAction.UNIT_DELETED, "ul. Hutnicza 1, garaż 99", {})]


def test_clerk_looks_up_the_registry_but_cannot_change_it(coop_a):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    units = clerk.get("/biuro/rejestr/lokale/", {"q": "ALFA-1-G1"})
    assert [str(unit) for unit in units.context["page"]] == ["ul. Hutnicza 1, garaż G1"]
    assert units.context["can_edit"] is False
    assert "/biuro/rejestr/lokale/nowy/" not in units.content.decode()
    for page in ("/biuro/rejestr/", "/biuro/rejestr/budynki/", "/biuro/rejestr/administracje/"):
        assert clerk.get(page).status_code == 200
    with coop_a.use():
        unit = Unit.objects.get(code="ALFA-1-1")
    before = _state(coop_a)
    assert clerk.get(f"/biuro/rejestr/lokale/{unit.pk}/").status_code == 403
    assert clerk.post(f"/biuro/rejestr/lokale/{unit.pk}/", {"number": "77"}).status_code == 403
    assert clerk.post("/biuro/rejestr/osiedla/nowe/", {"name": "Osiedle Clerka"}).status_code == 403
    assert clerk.post(f"/biuro/rejestr/lokale/{unit.pk}/usun/").status_code == 403
    assert _state(coop_a) == before


def test_units_filter_by_building_and_kind(coop_a):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    with coop_a.use():
        building = Building.objects.get()
    flats = clerk.get("/biuro/rejestr/lokale/", {"building": building.pk, "kind": "flat"})
    assert [str(unit) for unit in flats.context["page"]] == [
        "ul. Hutnicza 1/1", "ul. Hutnicza 1/2", "ul. Hutnicza 1/3"]


def test_another_cooperatives_registry_record_is_a_404(coop_a, coop_b):
    with coop_b.use():
        only_in_b = Unit.objects.create(building=Building.objects.get(), number="500", kind=Unit.Kind.FLAT)
    with coop_a.use():
        exists_in_a = Unit.objects.filter(pk=only_in_b.pk).exists()
    admin_a = coop_a.client_logged_in_as(coop_a.admin)
    response = admin_a.get(f"/biuro/rejestr/lokale/{only_in_b.pk}/")
    assert response.status_code == (200 if exists_in_a else 404)
    assert "1/500" not in response.content.decode()
