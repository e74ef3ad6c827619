"""The staff console issue's done-when, on the demo."""

from django.test import Client
from django_tenants.utils import schema_context

from demo.load import demo_load
from tenants_portal.registry.models import LegalTitle, Person
from tenants_portal.registry.selectors import legal_titles_current


def _signed_in(login: str, password: str) -> Client:
    client = Client(HTTP_HOST="iok.smhutnik.localhost")
    assert client.post("/logowanie/", {"username": login, "password": password}).status_code == 302
    return client


def test_hutnik_admin_switches_meters_off_and_biuro_issues_an_account_end_to_end(db):
    demo_load(log=lambda message: None)

    lokator = _signed_in("lokator", "Lokator2026")
    assert 'href="/liczniki/"' in lokator.get("/konto/").content.decode()
    admin = _signed_in("admin", "hutnik-admin-2026")
    modules = admin.get("/biuro/konfiguracja/moduly/").context["form"].initial
    admin.post("/biuro/konfiguracja/moduly/", {name: "on" for name, on in modules.items()
                                               if on is True and name != "module_meters"})
    assert 'href="/liczniki/"' not in lokator.get("/konto/").content.decode()
    assert lokator.get("/liczniki/").status_code == 404

    with schema_context("coop_hutnik"):
        person = next(person for person in Person.objects.filter(account__isnull=True).order_by("pk")
                      if legal_titles_current(person=person).exists())
        units = list(LegalTitle.objects.filter(person=person).values_list("unit_id", flat=True))
    biuro = _signed_in("biuro", "hutnik-biuro-2026")
    found = biuro.get("/biuro/osoby/", {"q": f"{person.first_name} {person.last_name}"}).context["people"]
    assert person.pk in [candidate.pk for candidate in found]
    clerk_id = biuro.get(f"/biuro/osoby/{person.pk}/wniosek/").context["user"].pk
    issued = biuro.post(f"/biuro/osoby/{person.pk}/wniosek/", {
        "kind": "grant", "submitted_on": "2026-11-20", "units": units, "identity_document": "id_card",
        "document_seen_by": clerk_id})
    assert issued["Location"] == "/biuro/dane-dostepowe/"
    credentials = biuro.get("/biuro/dane-dostepowe/").context["issued"]

    newcomer = _signed_in(credentials["login"], credentials["password"])
    assert newcomer.get("/konto/")["Location"] == "/pierwsze-logowanie/regulamin/"
