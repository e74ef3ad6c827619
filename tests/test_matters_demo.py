"""The matters module in the demo: a few of lokator's matters in Hutnik in different states and a certificate of
no arrears for the garage whose QR address opens the public verification page saying it is genuine; loading
the demo again changes nothing."""

import datetime
from urllib.parse import urlsplit

import time_machine
from django.test import Client
from django_tenants.utils import schema_context

from demo.load import demo_load
from tenants_portal.matters.models import Certificate, Matter
from tenants_portal.matters.services import certificate_verification_url


def _matters() -> list[tuple[str, str, str, str]]:
    return [(matter.register_number, matter.resident.username, matter.kind, matter.status)
            for matter in Matter.objects.select_related("resident").order_by("year", "number")]


@time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_the_demo_has_lokators_matters_and_a_genuine_certificate_for_the_garage(db):
    demo_load(log=lambda message: None)
    with schema_context("coop_hutnik"):
        first = _matters()
        assert first == [("KOR/2026/00001", "lokator", "certificate", "closed"),
                         ("KOR/2026/00002", "lokator", "refund", "waiting"),
                         ("KOR/2026/00003", "lokator", "other", "in_progress"),
                         ("KOR/2026/00004", "nowy", "renovation", "received")]
        certificate = Certificate.objects.select_related("unit").get()
        assert (certificate.unit.number, certificate.as_of, certificate.revoked_at) == (
            "G1", datetime.date(2026, 11, 30), None)
        url = certificate_verification_url(code=certificate.code)
    demo_load(log=lambda message: None)
    with schema_context("coop_hutnik"):
        assert _matters() == first
        assert Certificate.objects.count() == 1
    with schema_context("coop_zakatek"):
        assert Matter.objects.count() == 0

    address = urlsplit(url)
    page = Client(HTTP_HOST=address.hostname).get(address.path)
    assert page.status_code == 200
    assert "Zaświadczenie autentyczne" in page.content.decode()
    assert "KOR/2026/00001" in page.content.decode()
