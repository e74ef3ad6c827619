"""Host routing: cooperatives, the platform site, unknown hosts and suspended cooperatives."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cooperatives.models import Cooperative, Domain


def test_cooperative_host_serves_its_own_sign_in_page(coop_a):
    response = coop_a.client().get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "portal/login.html"
    assert response.context["cooperative"].schema_name == "coop_alfa"
    assert "Spółdzielnia Mieszkaniowa „Alfa”" in response.content.decode()


def test_base_domain_serves_the_platform_site(db):
    response = Client(HTTP_HOST="localhost").get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "operators/landing.html"
    assert response.context["cooperative"] is None


@pytest.mark.parametrize("host", ["nope.localhost", "deep.alfa.localhost"])
def test_unknown_host_gets_the_404_page_not_the_platform_site(db, host):
    response = Client(HTTP_HOST=host).get("/logowanie/")
    assert response.status_code == 404
    assert response.templates[0].name == "errors/unknown_host.html"
    assert "operators/login.html" not in [t.name for t in response.templates]


@pytest.mark.parametrize("host", ["evil.example.com", "localhost.evil", "testserver", "127.0.0.1",
                                  "alfa.localhost.evil"])
def test_a_host_neither_the_platforms_nor_in_the_domains_table_gets_400_before_anything_else(db, host):
    response = Client(HTTP_HOST=host).get("/logowanie/")
    assert response.status_code == 400
    assert response.content.decode() == "Ten adres nie jest tu obsługiwany."
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert "Set-Cookie" not in response


def test_unknown_path_on_a_cooperative_host_gets_the_404_page(coop_a):
    response = coop_a.client().get("/nie-ma-takiej-strony/")
    assert response.status_code == 404
    assert response.templates[0].name == "errors/404.html"


def test_suspended_cooperative_shows_a_notice_and_reactivation_restores_it(coop_a):
    client = coop_a.client()
    assert client.get("/").status_code == 200  # the route is now cached

    Cooperative.objects.filter(pk=coop_a.cooperative.pk).update(status=Cooperative.Status.SUSPENDED)
    cooperative = Cooperative.objects.get(pk=coop_a.cooperative.pk)
    cooperative.save()  # the save signal drops the cached route

    response = client.get("/logowanie/")
    assert response.status_code == 403
    assert response.templates[0].name == "errors/cooperative_suspended.html"
    assert response.context["cooperative_name"] == "Spółdzielnia Mieszkaniowa „Alfa”"

    cooperative.status = Cooperative.Status.ACTIVE
    cooperative.save()
    assert client.get("/logowanie/").status_code == 200


def test_changing_a_domain_reroutes_at_once(coop_a):
    assert Client(HTTP_HOST="alfa.localhost").get("/").status_code == 200
    domain = Domain.objects.get(domain="alfa.localhost")
    domain.domain = "alfa-nowa.localhost"
    domain.save()

    assert Client(HTTP_HOST="alfa.localhost").get("/").status_code == 404
    assert Client(HTTP_HOST="alfa-nowa.localhost").get("/").status_code == 200


def test_new_domain_is_served_even_after_an_unknown_host_was_cached(coop_a):
    assert Client(HTTP_HOST="alfa2.localhost").get("/").status_code == 404
    Domain.objects.create(domain="alfa2.localhost", tenant=coop_a.cooperative, is_primary=False)
    # Served: a name that is not the primary one redirects to it (tests/test_domains.py).
    response = Client(HTTP_HOST="alfa2.localhost").get("/")
    assert (response.status_code, response["Location"]) == (301, "http://alfa.localhost/")


def test_routing_costs_at_most_one_round_trip_and_none_when_the_schema_is_unchanged(coop_a, coop_b):
    coop_a.client().get("/kontakt/")  # warm the route cache
    coop_b.client().get("/kontakt/")

    with CaptureQueriesContext(connection) as switching:
        coop_a.client().get("/kontakt/")
    with CaptureQueriesContext(connection) as staying:
        coop_a.client().get("/kontakt/")

    # The contact page itself runs two queries (offices, their buildings); routing adds only the search path.
    assert switching.captured_queries[0]["sql"] == 'SET search_path = "coop_alfa","public"'
    assert len(switching.captured_queries) == 3
    assert len(staying.captured_queries) == 2
    assert "registry_office" in staying.captured_queries[0]["sql"]
