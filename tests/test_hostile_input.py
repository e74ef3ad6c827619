"""Input a hostile or careless client sends gets a clear Polish answer, never a 500 (issue 16, finding 3):
OPTIONS on every API endpoint, dates outside any ledger, a unit code with CR/LF or quotes reaching a
download's file name."""

import datetime
import re

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver

from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.registry.models import Unit
from tests.api_world import api_client, token_for, world_build

OUT_OF_RANGE = "Proszę podać datę od 01.01.1900 do 31.12.2999."


def _api_routes(resolver: URLResolver, prefix: str = "") -> list[str]:
    routes = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLPattern):
            routes.append(route)
        else:
            routes.extend(_api_routes(pattern, route))
    return [route for route in routes if route.startswith("api/")]


SOME_UUID = "6f1c2b9e-0d4a-4c1e-9b7a-2f3e4d5c6b7a"
API_ROUTES = sorted({"/" + re.sub(r"<uuid:\w+>", SOME_UUID, re.sub(r"<int:\w+>", "1", route))
                     for route in _api_routes(get_resolver("config.urls_tenant"))})


def test_every_api_route_is_probed():
    assert "/api/v1/me/password/" in API_ROUTES and "/api/v1/failures/1/comments/" in API_ROUTES
    assert len(API_ROUTES) == 41


# OPTIONS is checked like any other method: a resident's token may not ask about the systems' imports.
OPTIONS_REFUSED = {"/api/v1/imports/": 403, "/api/v1/imports/1/": 403, "/api/v1/docs/": 405}


@pytest.mark.parametrize("url", API_ROUTES)
def test_options_on_every_api_endpoint_names_it_without_a_server_error(coop_a, url):
    with coop_a.use():  # every module on (online payments are off by default)
        InstanceSettings.objects.filter(pk=1).update(module_online_payments=True, module_fee_notices=True,
                                                     module_matters=True)
        instance_settings_forget()
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    response = client.options(url)
    assert response.status_code == OPTIONS_REFUSED.get(url, 200), response.content[:300]
    if response.status_code == 200 and url != "/api/v1/schema/":
        assert set(response.json()) == {"name", "description", "renders", "parses"}


@pytest.mark.parametrize("url", ["/api/v1/me/password/", "/api/v1/failures/1/comments/"])
def test_options_without_signing_in_is_the_apis_401(coop_a, url):
    response = api_client(coop_a).options(url)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


@pytest.mark.parametrize("query", ["date_from=0001-01-01", "date_to=9999-12-31",
                                   "date_from=1899-12-31&date_to=2026-01-01"])
def test_a_statement_for_dates_outside_any_ledger_is_refused_in_polish_on_the_api(coop_a, query):
    world = world_build(coop_a)
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    response = client.get(f"/api/v1/units/{world.resident.unit}/statement/?{query}")
    field = query.split("=", 1)[0]
    assert response.status_code == 400
    assert response.json() == {"type": "validation_error", "errors": [
        {"code": "min_value" if query != "date_to=9999-12-31" else "max_value", "detail": OUT_OF_RANGE,
         "attr": field}]}


@pytest.mark.parametrize("path", ["/rozrachunki/wyciag.pdf", "/rozrachunki/historia/"])
def test_a_statement_or_ledger_for_year_one_shows_the_ledger_with_the_dates_error(coop_a, path):
    client = coop_a.client_logged_in_as(coop_a.resident)
    response = client.get(f"{path}?date_from=0001-01-01")
    assert response.status_code == (400 if path.endswith(".pdf") else 200)
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.context["form"].errors == {"date_from": [OUT_OF_RANGE]}
    assert OUT_OF_RANGE in response.content.decode()


# A unit code as an accounting system's import may carry it, and the file name's parameter it must become.
HOSTILE_CODES = [
    ("A-1\r\nSet-Cookie: sessionid=x", "filename*=utf-8''{}A-1%0D%0ASet-Cookie%3A%20sessionid%3Dx{}"),
    ("A-1\nX: y", "filename*=utf-8''{}A-1%0AX%3A%20y{}"),
    # Quotes are escaped inside the quoted name: no second parameter is injected.
    ('A-1"; filename*=utf-8\'\'evil.exe; x="', 'filename="{}A-1\\"; filename*=utf-8\'\'evil.exe; x=\\"{}"'),
]


@pytest.mark.parametrize(("code", "file_name"), HOSTILE_CODES)
def test_a_unit_code_with_line_breaks_or_quotes_stays_inside_the_file_name(coop_a, code, file_name):
    world = world_build(coop_a)
    with coop_a.use():
        Unit.objects.filter(pk=world.resident.unit).update(code=code)
        # The unit the ledger page opens on (unit codes are unique).
        Unit.objects.filter(code="ALFA-1-1").update(code=f"{code}-2")
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    statement = client.get(f"/api/v1/units/{world.resident.unit}/statement/?date_from=2026-01-01&date_to=2026-01-31")
    assert statement.status_code == 200
    assert statement["Content-Disposition"] == "attachment; " + file_name.format("wyciag-", "-20260101-20260131.pdf")
    assert "Set-Cookie" not in statement.headers and "X" not in statement.headers
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)):
        csv = coop_a.client_logged_in_as(coop_a.resident).get("/rozrachunki/historia/?format=csv")
    assert csv.status_code == 200
    assert csv["Content-Disposition"] == "attachment; " + file_name.format("rozrachunki-", "-2-2026-03-02.csv")
