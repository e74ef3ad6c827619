"""The platform served the way `make run` serves it (devstack.web: gunicorn with deploy/gunicorn.conf.py
and settings.local) holds under abuse: 500 requests with bad Bearer tokens leave every cooperative
answering and PostgreSQL's client connections bounded by the web workers (issue 16, finding 1).

Under runserver each of those requests had a thread of its own whose connection stayed open after the
thread ended, until a full garbage collection: 82 of them filled PostgreSQL's 100 connections.
"""

import http.client
import secrets
import socket
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from devstack.services import processes_stop
from devstack.web import WEB_WORKERS, web_start, web_wait

from .conftest import child_environment

pytestmark = pytest.mark.xdist_group("served")
APP_NAME = "iok-served"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    def __init__(self, port: int, database_url: str):
        self.port = port
        self.database_url = database_url

    def get(self, path: str, *, host: str, headers: dict | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("GET", path, headers={"Host": host, **(headers or {})})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def client_connections(self) -> int:
        """PostgreSQL's client backends opened by the served platform."""
        with psycopg.connect(self.database_url, autocommit=True, application_name="iok-served-test") as raw:
            return raw.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
                               "AND datname = current_database()", [APP_NAME]).fetchone()[0]


@pytest.fixture(scope="module")
def served(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        environment = child_environment(DJANGO_SETTINGS_MODULE="config.settings.local", LOG_LEVEL="WARNING",
                                        REDIS_KEY_PREFIX=f"served-{secrets.token_hex(4)}", PGAPPNAME=APP_NAME)
    environment.pop("DEBUG", None)
    port = _free_port()
    log = tmp_path_factory.mktemp("served") / "gunicorn.log"
    with log.open("wb") as output:
        process = web_start(environment=environment, port=port, stdout=output, stderr=subprocess.STDOUT)
    try:
        assert web_wait(port=port, host="alfa.localhost", process=process), log.read_text()[-3000:]
        yield Served(port, environment["DATABASE_URL"])
    finally:
        processes_stop([process], timeout=20)


def _flood(request, count: int, *, meanwhile) -> list:
    """`count` calls of request(number) from 16 threads while meanwhile() runs over and over in another."""
    flooding = threading.Event()
    flooding.set()

    def repeat():
        while flooding.is_set():
            meanwhile()

    companion = threading.Thread(target=repeat)
    companion.start()
    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            return list(pool.map(request, range(count)))
    finally:
        flooding.clear()
        companion.join()


def test_500_bad_tokens_leave_every_cooperative_answering_with_connections_bounded(served):
    peak = [served.client_connections()]

    def bad_token(number: int) -> int:
        host = ("alfa.localhost", "beta.localhost")[number % 2]
        token = f"iokt_{secrets.token_urlsafe(24)}" if number % 3 else "revoked-or-made-up"
        return served.get("/api/v1/units/", host=host, headers={"Authorization": f"Bearer {token}"})[0]

    statuses = _flood(bad_token, 500, meanwhile=lambda: peak.append(served.client_connections()))

    # Refused, or told to come back by the per-cooperative cap (iok.fairness); never a server error.
    assert set(statuses) <= {401, 429} and statuses.count(401) >= 100
    answers = {host: served.get("/logowanie/", host=host)[0]
               for host in ("alfa.localhost", "beta.localhost", "localhost")}
    assert answers == {"alfa.localhost": 200, "beta.localhost": 200, "localhost": 200}
    # One connection per web worker at most (DB_POOL_MAX_SIZE), during the flood and after it.
    assert max(peak) <= int(WEB_WORKERS)
    assert served.client_connections() <= int(WEB_WORKERS)


def test_errors_are_our_own_pages_and_the_apis_json_not_debug_pages(served):
    status, body = served.get("/no-such-page/", host="alfa.localhost")
    assert status == 404
    assert b"Nie znaleziono strony" in body and b"URLconf" not in body and b"Traceback" not in body
    status, body = served.get("/api/v1/units/abc/", host="alfa.localhost")
    assert (status, body) == (404, b'{"type": "client_error", "errors": [{"code": "not_found", '
                                    b'"detail": "Nie znaleziono.", "attr": null}]}')


def test_a_flood_on_one_cooperative_leaves_another_answering(served):
    """16 clients pound Alfa while Beta is asked one request at a time: Alfa holds at most
    COOPERATIVE_MAX_CONCURRENT_REQUESTS (2) of the 3 workers, the rest of its requests are told to come
    back, and every one of Beta's is answered."""
    beta = []
    alfa = _flood(lambda number: served.get("/logowanie/", host="alfa.localhost"), 400,
                  meanwhile=lambda: beta.append(served.get("/logowanie/", host="beta.localhost")[0]))

    assert len(beta) >= 5 and set(beta) == {200}
    statuses = [status for status, _body in alfa]
    assert set(statuses) == {200, 429}
    busy = next(body for status, body in alfa if status == 429).decode()
    assert "W tej chwili do internetowej obsługi spółdzielni trafia zbyt wiele zapytań." in busy
    api = served.get("/api/v1/units/", host="alfa.localhost")
    assert api[0] == 401  # the cap is over: Alfa is served again
