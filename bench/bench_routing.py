"""Group `routing`: a routed resident-facing page against the same view with routing bypassed.

In-process WSGI, so that the figure isolates what routing costs (gunicorn and the network are
the same on both sides). The routed side alternates between two cooperatives, the worst case for
the search-path switch; the bypassed side serves the same page of one cooperative with the routing
middleware replaced by one that hands every request that cooperative (no lookup, no switch).
"""

import time
from io import BytesIO

import psycopg
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test.utils import override_settings
from django_tenants.utils import get_tenant_model

PATH = "/kontakt/"
ROUNDS = 5
REQUESTS_PER_ROUND = 400


class FixedCooperativeMiddleware:
    tenant = None

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.cooperative = request.tenant = self.tenant
        request.urlconf = settings.ROOT_URLCONF
        return self.get_response(request)


def _environ(host: str) -> dict:
    return {
        "REQUEST_METHOD": "GET", "PATH_INFO": PATH, "QUERY_STRING": "", "SERVER_NAME": host,
        "SERVER_PORT": "80", "HTTP_HOST": host, "wsgi.url_scheme": "http", "wsgi.input": BytesIO(),
        "wsgi.errors": BytesIO(), "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
    }


def _serve(handler: WSGIHandler, hosts: list[str], count: int) -> float:
    def start_response(status, headers):
        assert status.startswith("200"), status

    started = time.perf_counter()
    for index in range(count):
        body = handler(_environ(hosts[index % len(hosts)]), start_response)
        for _ in body:
            pass
        body.close()
    return time.perf_counter() - started


def _count_queries(handler: WSGIHandler, hosts: list[str], count: int) -> int:
    """Round trips to PostgreSQL, counted where psycopg sends them (SET search_path included)."""
    sent = 0
    original = psycopg.Cursor.execute

    def counting(cursor, *args, **kwargs):
        nonlocal sent
        sent += 1
        return original(cursor, *args, **kwargs)

    psycopg.Cursor.execute = counting
    try:
        _serve(handler, hosts, count)
    finally:
        psycopg.Cursor.execute = original
    return sent


def run() -> None:
    hosts = ["hutnik.localhost", "zakatek.localhost"]
    # Persistent connections, as in production: otherwise both sides mostly measure connecting.
    connection.settings_dict["CONN_MAX_AGE"] = None
    routed = WSGIHandler()
    hutnik = get_tenant_model().objects.get(slug="hutnik")
    FixedCooperativeMiddleware.tenant = hutnik
    # The same stack with the routing middleware swapped for one that hands every request the same
    # cooperative: identical page, no host lookup, no schema switch.
    without_routing = [("bench_routing.FixedCooperativeMiddleware" if m == "iok.routing.CooperativeRoutingMiddleware"
                        else m) for m in settings.MIDDLEWARE]
    with override_settings(MIDDLEWARE=without_routing):
        bypassed = WSGIHandler()

    _serve(routed, hosts, 50)  # warm the routing cache and the template cache

    routed_seconds = bypassed_seconds = 0.0
    for _ in range(ROUNDS):
        routed_seconds += _serve(routed, hosts, REQUESTS_PER_ROUND)
        connection.set_tenant(hutnik)
        bypassed_seconds += _serve(bypassed, ["hutnik.localhost"], REQUESTS_PER_ROUND)

    routed_queries = _count_queries(routed, hosts, 100)
    connection.set_tenant(hutnik)
    bypassed_queries = _count_queries(bypassed, ["hutnik.localhost"], 100)

    total = ROUNDS * REQUESTS_PER_ROUND
    routed_rps, bypassed_rps = total / routed_seconds, total / bypassed_seconds
    extra = (routed_queries - bypassed_queries) / 100
    print(f"routed (alternating hutnik/zakatek): {routed_rps:.0f} req/s; bypassed (one schema): "
          f"{bypassed_rps:.0f} req/s")
    print(f"BENCH routing_ratio {routed_rps / bypassed_rps:.3f}")
    print(f"BENCH routing_extra_queries {extra:.2f}")
