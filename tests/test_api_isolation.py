"""Object-level access through the API (ASVS 8.4.1): every object of cooperative B, and
every object of another resident of A, answers 404 to a resident of A — the same answer as for an
object that does not exist — and nothing changes; a key of A is refused on B's host."""

import pytest

from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.failures.models import FailureEvent
from tenants_portal.fee_notices.models import FeeNotice
from tenants_portal.matters.models import MatterEntry
from tenants_portal.meters.models import Reading
from tenants_portal.online_payments.models import OnlinePayment

from .api_world import api_client, sequences_move_far, token_for, world_build

OBJECT_ENDPOINTS = [
    ("get", "/api/v1/units/{unit}/", None),
    ("get", "/api/v1/units/{unit}/balance/", None),
    ("get", "/api/v1/units/{unit}/ledger/", None),
    ("get", "/api/v1/units/{unit}/statement/", None),
    ("get", "/api/v1/units/{unit}/meters/", None),
    ("get", "/api/v1/meters/{meter}/", None),
    ("get", "/api/v1/meters/{meter}/readings/", None),
    ("post", "/api/v1/meters/{meter}/readings/", {"value": "104.000"}),
    ("get", "/api/v1/meters/readings/{reading}/photo/", None),
    ("get", "/api/v1/failures/{report}/", None),
    ("post", "/api/v1/failures/{report}/comments/", {"text": "Nadal cieknie."}),
    ("get", "/api/v1/failures/{report}/photos/{photo}/", None),
    ("get", "/api/v1/announcements/{announcement}/", None),
    ("get", "/api/v1/announcements/{announcement}/attachments/{attachment}/", None),
    ("get", "/api/v1/online-payments/{payment}/", None),
    ("get", "/api/v1/fee-notices/{fee_notice}/", None),
    ("get", "/api/v1/fee-notices/{fee_notice}/letter.pdf", None),
    ("get", "/api/v1/matters/{matter}/", None),
    ("post", "/api/v1/matters/{matter}/replies/", {"text": "Dopisuję jeszcze jedno."}),
    ("get", "/api/v1/matters/{matter}/attachments/{matter_attachment}/", None),
]


def _call(client, method, path, body):
    if method == "post":
        return client.post(path, body, content_type="application/json")
    return client.get(path)


def _counts(coop) -> tuple[int, int, int, int, int]:
    with coop.use():
        return (Reading.objects.count(), FailureEvent.objects.count(), OnlinePayment.objects.count(),
                FeeNotice.objects.filter(opened_at__isnull=False).count(), MatterEntry.objects.count())


@pytest.fixture
def worlds(coop_a, coop_b):
    with coop_b.use():
        sequences_move_far(coop_b)
        InstanceSettings.objects.filter(pk=1).update(module_meters=True)  # every module on, as in A
        instance_settings_forget()
    return {"alfa": world_build(coop_a), "beta": world_build(coop_b)}


@pytest.mark.parametrize(("method", "template", "body"), OBJECT_ENDPOINTS,
                         ids=[f"{method} {template}" for method, template, _ in OBJECT_ENDPOINTS])
@pytest.mark.parametrize("owner", ["resident of B", "another resident of A"])
def test_a_resident_of_a_gets_404_for_every_object_of_b_and_of_another_resident(coop_a, coop_b, worlds, method,
                                                                                template, body, owner):
    if owner == "resident of B":
        coop, user, holdings = coop_b, coop_b.resident, worlds["beta"].resident
    else:
        coop, user, holdings = coop_a, coop_a.outsider, worlds["alfa"].outsider
    path = template.format(**holdings.__dict__)
    # The owner reaches the object: the path is right.
    assert _call(api_client(coop, token=token_for(coop, user)), method, path, body).status_code in (200, 201)

    before = _counts(coop_a), _counts(coop_b)
    response = _call(api_client(coop_a, token=token_for(coop_a, coop_a.resident)), method, path, body)
    assert response.status_code == 404
    assert response.json() == {"type": "client_error",
                               "errors": [{"code": "not_found", "detail": "Nie znaleziono.", "attr": None}]}
    assert (_counts(coop_a), _counts(coop_b)) == before


def test_a_document_of_b_is_404_to_a_resident_of_a(coop_a, coop_b, worlds):
    resident = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    assert resident.get(f"/api/v1/documents/{worlds['alfa'].document}/file/").status_code == 200
    assert resident.get(f"/api/v1/documents/{worlds['beta'].document}/file/").status_code == 404
    listed = resident.get("/api/v1/documents/").json()
    assert [document["id"] for document in listed["results"]] == [worlds["alfa"].document]


def test_a_key_of_a_is_refused_on_bs_host_and_does_not_reach_bs_imports(coop_a, coop_b, worlds):
    key_a = worlds["alfa"].key
    own = api_client(coop_a, key=key_a).get(f"/api/v1/imports/{worlds['alfa'].import_run}/")
    assert (own.status_code, own.json()["filename"]) == (200, "naliczenia.csv")

    refused = api_client(coop_b, key=key_a).get(f"/api/v1/imports/{worlds['beta'].import_run}/")
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["code"] == "authentication_failed"
    assert api_client(coop_b, key=key_a).get("/api/v1/imports/").status_code == 401
    assert api_client(coop_a, key=key_a).get(f"/api/v1/imports/{worlds['beta'].import_run}/").status_code == 404


def test_a_token_of_a_is_refused_on_bs_host(coop_a, coop_b):
    token = token_for(coop_a, coop_a.resident)
    assert api_client(coop_a, token=token).get("/api/v1/units/").status_code == 200
    response = api_client(coop_b, token=token).get("/api/v1/units/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
