"""Group `pooler`: the platform behind PgBouncer in transaction pooling mode, swept over the 3,500 bench
cooperatives (bench_schemas keeps them), against the same gunicorn connecting directly, in the same run.

Each bench cooperative's office gets a name of its own in its schema ("Administracja b0042"), and the
contact page, which lists the offices, is requested for every cooperative: a page showing another
cooperative's office (or none) is a request answered from the wrong schema (BENCH pooler_wrong_schema).
PgBouncer (devstack's, or one started here) has 20 server connections at most (default_pool_size =
max_db_connections = 20); SHOW SERVERS is sampled while the web works (BENCH pooler_server_connections
is the largest count seen). Throughput through PgBouncer ÷ direct (wrk over every host in turn, same
workers, alternately) is BENCH pooler_routing_ratio. The backends behind PgBouncer serve every
cooperative; PgBouncer's server_lifetime (SERVER_LIFETIME below) replaces the web's own per-connection
recycling there, and the largest backend's private memory is BENCH max_backend_mib.
"""
# ruff: noqa: S608 - SQL here is built from the bench's own schema names

import http.client
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit, urlunsplit

import bench_schemas
import psycopg
import served
from bench_schemas import BackendMemory
from django.conf import settings
from django.db import connection

from devstack.services import DEVDATA, embedded_pgbouncer

POOL_SIZE = 20
# Seconds a server connection lives (then PgBouncer closes it once idle and opens a fresh one): the
# bound on how many schemas' catalogs one backend gathers.
SERVER_LIFETIME = int(os.environ.get("BENCH_PGBOUNCER_SERVER_LIFETIME", "10"))
WORKERS = "4"
ROUNDS = 3
SECONDS_PER_ROUND = 8


def _offices_name() -> None:
    """Each bench cooperative's office named after it, in its own schema (idempotent)."""
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as raw:
        for number in range(1, bench_schemas.COUNT + 1):
            slug = bench_schemas._slug(number)
            raw.execute(f'UPDATE "coop_{slug}".registry_office SET name = %s WHERE name <> %s',
                        (f"Administracja {slug}", f"Administracja {slug}"))


class ServerCount:
    """Samples PgBouncer's server connections (SHOW SERVERS) for one database, every 0.2 s."""

    def __init__(self, admin_url: str, database: str):
        self.admin_url, self.database = admin_url, database
        self.largest = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        # The admin console speaks the simple query protocol only: client-side binding cursors use it.
        with psycopg.connect(self.admin_url, autocommit=True, cursor_factory=psycopg.ClientCursor) as admin:
            while not self._stop.is_set():
                cursor = admin.cursor()
                cursor.execute("SHOW SERVERS")
                names = [column.name for column in cursor.description]
                servers = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
                self.largest = max(self.largest, sum(server["database"] == self.database for server in servers))
                self._stop.wait(0.2)


def _get(port: int, host: str) -> tuple[int, str]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        client.request("GET", "/kontakt/", headers={"Host": host, "X-Forwarded-Proto": "https"})
        response = client.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        client.close()


def _wrong_schema(server: served.Server, slugs: list[str]) -> int:
    """Every cooperative's contact page once (8 at a time): how many show anything but its own office."""
    def wrong(slug: str) -> bool:
        status, page = _get(server.port, f"{slug}.{settings.BASE_DOMAIN}")
        return status != 200 or f"Administracja {slug}" not in page or page.count("Administracja b") != 1

    with ThreadPoolExecutor(max_workers=8) as pool:
        return sum(pool.map(wrong, slugs))


def _throughput(server: served.Server, hosts: list[str], offset: int) -> tuple[int, float]:
    result = served.wrk(server, path="/kontakt/", hosts=hosts, cookies=[""] * len(hosts),
                        seconds=SECONDS_PER_ROUND, offset=offset, connections=8)
    assert result.errors == 0, f"{result.errors} failed requests"
    return result.requests, result.seconds


def run() -> None:
    served.collectstatic()
    template = bench_schemas._template_ensure()
    bench_schemas._schemas_ensure(template)
    _offices_name()
    connection.close()
    slugs = [bench_schemas._slug(number) for number in range(1, bench_schemas.COUNT + 1)]
    hosts = [f"{slug}.{settings.BASE_DOMAIN}" for slug in slugs]
    database = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")
    with embedded_pgbouncer(DEVDATA / "pgbouncer-bench-pooler", postgres_url=os.environ["DATABASE_URL"],
                            pool_size=POOL_SIZE, server_lifetime=SERVER_LIFETIME) as pooler_url:
        admin_url = urlunsplit(urlsplit(pooler_url)._replace(path="/pgbouncer"))
        pooled = served.gunicorn(DATABASE_URL=pooler_url, DB_BEHIND_TRANSACTION_POOLER="1", WEB_CONCURRENCY=WORKERS,
                                 GUNICORN_MAX_REQUESTS="0")
        direct = served.gunicorn(WEB_CONCURRENCY=WORKERS, GUNICORN_MAX_REQUESTS="0")
        try:
            with ServerCount(admin_url, database) as servers, BackendMemory(database) as memory:
                started = time.monotonic()
                wrong = _wrong_schema(pooled, slugs)
                print(f"through PgBouncer: {len(slugs)} cooperatives' contact pages in "
                      f"{time.monotonic() - started:.0f} s, {wrong} from a wrong schema", flush=True)
                totals = {"pooled": [0, 0.0], "direct": [0, 0.0]}
                offset = 0
                for server in (pooled, direct):  # warm both
                    served.wrk(server, path="/kontakt/", hosts=hosts[:50], cookies=[""] * 50, seconds=2)
                for _ in range(ROUNDS):
                    for side, server in (("pooled", pooled), ("direct", direct)):
                        requests, seconds = _throughput(server, hosts, offset)
                        offset += requests
                        totals[side][0] += requests
                        totals[side][1] += seconds
            pooled_rps = totals["pooled"][0] / totals["pooled"][1]
            direct_rps = totals["direct"][0] / totals["direct"][1]
            print(f"/kontakt/ over all {len(hosts)} cooperatives: through PgBouncer {pooled_rps:.1f} req/s, direct "
                  f"{direct_rps:.1f} req/s (gunicorn {WORKERS} workers, wrk 8 connections, "
                  f"{ROUNDS}×{SECONDS_PER_ROUND} s each); PgBouncer server_lifetime {SERVER_LIFETIME} s; "
                  f"{len(memory.backends_seen)} backends seen, largest private {memory.largest_private / 1024:.1f} MiB",
                  flush=True)
        finally:
            pooled.stop()
            direct.stop()
    print(f"BENCH pooler_wrong_schema {wrong}")
    print(f"BENCH pooler_server_connections {servers.largest}")
    print(f"BENCH pooler_routing_ratio {pooled_rps / direct_rps:.3f}")
    print(f"BENCH max_backend_mib {memory.largest_private / 1024:.1f}")
