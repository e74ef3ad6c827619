"""Behind PgBouncer in transaction pooling mode (DB_BEHIND_TRANSACTION_POOLER, iok.postgresql_backend):
two cooperatives' requests interleaved by three gunicorn workers over ONE server connection each get
their own cooperative's rows, and no search path is left behind on the server connection."""

import http.client
import socket
import subprocess
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from devstack.services import DEVDATA, embedded_pgbouncer, pgbouncer_available, processes_stop
from devstack.web import web_start, web_wait

from .conftest import child_environment

pytestmark = [pytest.mark.xdist_group("served"),
              pytest.mark.skipif(not pgbouncer_available(), reason="PgBouncer is not installed (make system-packages)")]
OFFICES = {"alfa.localhost": "Administracja Alfa", "beta.localhost": "Administracja Beta"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, host: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def pooled(django_db_setup, django_db_blocker, worker_id):
    """gunicorn (3 workers) on the test database through a PgBouncer of one server connection."""
    with django_db_blocker.unblock():
        direct = child_environment()["DATABASE_URL"]
    # Beside the database (PgBouncer runs as PostgreSQL's user, who cannot enter pytest's temporary folders).
    folder = DEVDATA / f"pgbouncer-test-{worker_id}"
    with embedded_pgbouncer(folder, postgres_url=direct, pool_size=1) as through_pooler:
        environment = child_environment(DJANGO_SETTINGS_MODULE="config.settings.local", LOG_LEVEL="WARNING",
                                        DATABASE_URL=through_pooler, DB_BEHIND_TRANSACTION_POOLER="1",
                                        WEB_CONCURRENCY="3",
                                        # Six requests at a time on two cooperatives: the fairness cap
                                        # (iok.fairness, tested on its own) would answer some with 429.
                                        COOPERATIVE_MAX_CONCURRENT_REQUESTS="0")
        environment.pop("DEBUG", None)
        port = _free_port()
        log = folder / "gunicorn.log"
        with log.open("wb") as output:
            process = web_start(environment=environment, port=port, stdout=output, stderr=subprocess.STDOUT)
        try:
            assert web_wait(port=port, host="alfa.localhost", process=process), log.read_text()[-3000:]
            yield port, through_pooler
        finally:
            processes_stop([process], timeout=20)


def _admin(url: str, command: str) -> list[tuple]:
    parts = urlsplit(url)
    # The admin console speaks the simple query protocol only: client-side binding cursors use it.
    with psycopg.connect(urlunsplit(parts._replace(path="/pgbouncer")), autocommit=True,
                         cursor_factory=psycopg.ClientCursor) as admin:
        cursor = admin.cursor()
        cursor.execute(command)
        return cursor.fetchall()


def test_interleaved_cooperatives_over_one_server_connection_each_get_their_own_rows(pooled):
    port, through_pooler = pooled
    hosts = ["alfa.localhost", "beta.localhost"] * 60

    with ThreadPoolExecutor(max_workers=6) as pool:
        pages = list(pool.map(lambda host: (host, *_get(port, "/kontakt/", host)), hosts))

    wrong = [(host, status) for host, status, page in pages
             if status != 200 or OFFICES[host] not in page
             or any(office in page for other, office in OFFICES.items() if other != host)]
    assert wrong == []
    # All of it went over one PostgreSQL connection.
    servers = _admin(through_pooler, "SHOW SERVERS")
    assert len(servers) == 1


def test_no_search_path_is_left_on_the_server_connection(pooled):
    port, through_pooler = pooled
    assert _get(port, "/kontakt/", "beta.localhost")[0] == 200

    # The next client of the one server connection finds PostgreSQL's default path, not coop_beta's.
    with psycopg.connect(through_pooler, autocommit=True, prepare_threshold=None) as client:
        assert client.execute("SHOW search_path").fetchone()[0] == '"$user", public'
        assert client.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()[0] == 0
