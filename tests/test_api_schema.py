"""The OpenAPI schema is the API's contract: the committed file is what the code generates, and
schemathesis, driven by the live schema, finds no server error, no ignored authentication and no
accepted invalid data in any operation, as a signed-in resident of cooperative A."""

from pathlib import Path

import pytest
import schemathesis
import yaml
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

import tenants_portal.api

from .api_world import token_for, world_build

SCHEMA_FILE = Path(tenants_portal.api.__file__).parent / "openapi.yaml"
# Enough examples per operation to reach every parameter in both modes, few enough for a fast suite.
EXAMPLES = 12


def test_the_committed_schema_is_what_the_code_generates(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--lang", "en", "--validate", "--fail-on-warn", "--file", str(generated))
    assert yaml.safe_load(generated.read_text()) == yaml.safe_load(SCHEMA_FILE.read_text()), (
        "The API changed: regenerate the contract with `.venv/bin/python manage.py spectacular --lang en "
        "--validate --fail-on-warn --file tenants_portal/api/openapi.yaml` and review the difference.")


def test_the_schema_and_its_docs_page_are_served_on_a_cooperatives_host_without_a_cdn(coop_a):
    client = coop_a.client()
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert yaml.safe_load(schema.content)["info"]["title"] == "IOK API"
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200


WSGI = get_wsgi_application()
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
# Collected from the committed contract (the first test keeps it equal to the live schema).
OPERATIONS = [(method.upper(), path) for path, item in yaml.safe_load(SCHEMA_FILE.read_text())["paths"].items()
              for method in item if method in HTTP_METHODS]
_live_schema: list = []


@pytest.fixture
def _connection_kept():
    """The WSGI handler closes the database connection after each request, as it should in production;
    here the connection holds the test's transaction, so it stays open (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _schema(host: str):
    """The live schema, fetched once per test process from a cooperative's host through the WSGI app."""
    if not _live_schema:
        _live_schema.append(schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGI, base_url=f"http://{host}"))
    return _live_schema[0]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{method} {path}" for method, path in OPERATIONS])
def test_the_api_holds_its_contract_for_a_signed_in_resident(coop_a, _connection_kept, method, path, mode):
    world = world_build(coop_a)
    token = token_for(coop_a, coop_a.resident)
    operation = _schema(coop_a.host)[path][method]
    # The resident's real objects in the path, so that every example reaches the operation's own logic.
    real_ids = {"unit_id": world.resident.unit, "meter_id": world.resident.meter, "reading_id": world.resident.reading,
                "report_id": world.resident.report, "photo_id": world.resident.photo,
                "announcement_id": world.resident.announcement, "attachment_id": world.resident.attachment,
                "document_id": world.document, "run_id": world.import_run, "payment_id": world.resident.payment,
                "notice_id": world.resident.fee_notice, "matter_id": world.resident.matter,
                "matter_attachment_id": world.resident.matter_attachment}
    path_parameters = {name: value for name, value in real_ids.items() if "{" + name + "}" in path}

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def holds(case):
        case.call_and_validate(
            base_url=f"http://{coop_a.host}", headers={"Authorization": f"Bearer {token}"},
            checks=[not_a_server_error, ignored_auth, negative_data_rejection, status_code_conformance,
                    content_type_conformance, response_schema_conformance])

    holds()
