"""Group `routing`: a resident's page served by gunicorn with host routing, against the same view
with routing bypassed (bench/settings_routing_bypassed.py: one fixed cooperative, no lookup, no
schema switch), both loaded by wrk on loopback in the same run, alternately, so they share the
machine's state.

Each page is one line in PAGES; routing_ratio is the worst of them. The extra queries per
request are counted in-process, where psycopg sends them, with the routed side alternating between
two cooperatives (the worst case for the search-path switch).
"""

import os
from io import BytesIO

import psycopg
import served
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test.utils import override_settings

# (name, path): resident pages of lokator on Hutnik.
PAGES = [
    ("ledger", "/rozrachunki/"),
    ("api-units", "/api/v1/units/"),
]
ROUNDS = 3
SECONDS_PER_ROUND = 5


class FixedCooperativeMiddleware:
    """Hands every request the cooperative named by BENCH_FIXED_COOPERATIVE (looked up once)."""

    tenant = None

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.urls import set_urlconf
        from django_tenants.utils import get_tenant_model

        if FixedCooperativeMiddleware.tenant is None:
            FixedCooperativeMiddleware.tenant = get_tenant_model().objects.get(
                slug=os.environ.get("BENCH_FIXED_COOPERATIVE", "hutnik"))
        if connection.schema_name != FixedCooperativeMiddleware.tenant.schema_name:
            connection.set_tenant(FixedCooperativeMiddleware.tenant)
        request.cooperative = request.tenant = FixedCooperativeMiddleware.tenant
        request.urlconf = settings.ROOT_URLCONF
        set_urlconf(request.urlconf)
        return self.get_response(request)


def _count_queries(handler: WSGIHandler, hosts_cookies: list[tuple[str, str]], path: str, count: int) -> int:
    """Round trips to PostgreSQL, counted where psycopg sends them (SET search_path included)."""
    sent = 0
    original = psycopg.Cursor.execute

    def counting(cursor, *args, **kwargs):
        nonlocal sent
        sent += 1
        return original(cursor, *args, **kwargs)

    def start_response(status, headers):
        assert status.startswith("200"), status

    psycopg.Cursor.execute = counting
    try:
        for index in range(count):
            host, cookie = hosts_cookies[index % len(hosts_cookies)]
            environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": host,
                       "SERVER_PORT": "443", "HTTP_HOST": host, "wsgi.url_scheme": "https", "wsgi.input": BytesIO(),
                       "wsgi.errors": BytesIO(), "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
                       "HTTP_COOKIE": cookie.replace("__Host-iok_session", settings.SESSION_COOKIE_NAME)}
            body = handler(environ, start_response)
            for _ in body:
                pass
            body.close()
    finally:
        psycopg.Cursor.execute = original
    return sent


def _extra_queries(path: str, hutnik_cookie: str, zakatek_cookie: str) -> float:
    """Routed, alternating Hutnik and Zakątek, against the bypassed stack fixed on each in turn."""
    from django_tenants.utils import get_tenant_model

    connection.settings_dict["CONN_MAX_AGE"] = None
    routed = WSGIHandler()
    routing = "cooperatives.middleware.CooperativeRoutingMiddleware"
    without_routing = [("bench_routing.FixedCooperativeMiddleware" if m == routing else m) for m in settings.MIDDLEWARE]
    with override_settings(MIDDLEWARE=without_routing):
        bypassed = WSGIHandler()
    hutnik, zakatek = ("iok.smhutnik.localhost", hutnik_cookie), ("zakatek.localhost", zakatek_cookie)
    _count_queries(routed, [hutnik, zakatek], path, 20)  # warm caches
    routed_queries = _count_queries(routed, [hutnik, zakatek], path, 100)
    bypassed_queries = 0
    for slug, side in (("hutnik", hutnik), ("zakatek", zakatek)):
        FixedCooperativeMiddleware.tenant = get_tenant_model().objects.get(slug=slug)
        _count_queries(bypassed, [side], path, 5)
        bypassed_queries += _count_queries(bypassed, [side], path, 50)
    return (routed_queries - bypassed_queries) / 100


def run() -> None:
    served.collectstatic()
    routed = served.gunicorn()
    bypassed = served.gunicorn(DJANGO_SETTINGS_MODULE="settings_routing_bypassed", BENCH_FIXED_COOPERATIVE="hutnik")
    try:
        hutnik = routed.login(host="iok.smhutnik.localhost", username="lokator", password="Lokator2026")
        zakatek = routed.login(host="zakatek.localhost", username="lokator", password="zakatek-lokator-2026")
        ratios = []
        for name, path in PAGES:
            totals = {"routed": [0, 0.0], "bypassed": [0, 0.0]}
            for server in (routed, bypassed):  # warm both: templates, routes, connections
                served.wrk(server, path=path, hosts=["iok.smhutnik.localhost"], cookies=[hutnik], seconds=2)
            for _ in range(ROUNDS):
                for side, server in (("routed", routed), ("bypassed", bypassed)):
                    result = served.wrk(server, path=path, hosts=["iok.smhutnik.localhost"], cookies=[hutnik],
                                        seconds=SECONDS_PER_ROUND)
                    assert result.errors == 0, f"{side}: {result.errors} failed requests"
                    totals[side][0] += result.requests
                    totals[side][1] += result.seconds
            routed_rps = totals["routed"][0] / totals["routed"][1]
            bypassed_rps = totals["bypassed"][0] / totals["bypassed"][1]
            ratios.append(routed_rps / bypassed_rps)
            print(f"{name} {path}: routed {routed_rps:.1f} req/s, bypassed {bypassed_rps:.1f} req/s "
                  f"(gunicorn 2 workers, wrk 4 connections, {ROUNDS}×{SECONDS_PER_ROUND} s each)")
        extra = max(_extra_queries(path, hutnik, zakatek) for _name, path in PAGES)
    finally:
        routed.stop()
        bypassed.stop()
    print(f"BENCH routing_ratio {min(ratios):.3f}")
    print(f"BENCH routing_extra_queries {extra:.2f}")
