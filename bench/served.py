"""The platform served for real in benchmarks: gunicorn with deploy/gunicorn.conf.py and
settings.production on a loopback port, and wrk as the load generator.

Requests go straight to gunicorn over plain HTTP with `X-Forwarded-Proto: https`, as nginx sends
them (nginx itself is the same on both sides of every ratio, so it is left out).
"""

import contextlib
import http.client
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from devstack.services import processes_stop

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = REPO_ROOT / "bench"
PORTS = range(18700, 18800)
_STATIC = Path(tempfile.gettempdir()) / "iok-bench-static"


def _free_port() -> int:
    import socket

    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18700–18799")


def environment(**overrides: str) -> dict[str, str]:
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRETS_ENCRYPTION_KEYS": "Yt3wQe8p0cM2b0Rk1n3v5x7z9B1D3F5H7J9L1N3P5R0=",
        "STATIC_ROOT": str(_STATIC),
        "BASE_DOMAIN": "localhost",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "2",
        # Throughput is measured here, one cooperative at a time: the fairness cap would turn the
        # load into 429s (iok.fairness; tests/test_served.py checks the cap).
        "COOPERATIVE_MAX_CONCURRENT_REQUESTS": "0",
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(REPO_ROOT / "platform"), str(BENCH_DIR)]),
    }
    base.pop("ALLOWED_HOSTS", None)
    base.update(overrides)
    return base


def collectstatic() -> None:
    subprocess.run([sys.executable, str(REPO_ROOT / "manage.py"), "collectstatic", "--noinput", "--verbosity", "0"],
                   env=environment(), cwd=REPO_ROOT, check=True)


@dataclass
class Server:
    port: int
    process: subprocess.Popen

    def stop(self) -> None:
        processes_stop([self.process], timeout=20)

    def request(self, method: str, path: str, *, host: str, headers: dict | None = None,
                body: str | None = None) -> tuple[int, dict[str, str], str, list[str]]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers={"Host": host, "X-Forwarded-Proto": "https",
                                                                 **(headers or {})})
            response = connection.getresponse()
            cookies = response.headers.get_all("Set-Cookie") or []
            return response.status, dict(response.getheaders()), response.read().decode(errors="replace"), cookies
        finally:
            connection.close()

    def login_form(self, *, host: str, username: str, password: str) -> tuple[str, str]:
        """The login form's CSRF cookie and the form body that signs `username` in with it."""
        status, _, page, cookies = self.request("GET", "/logowanie/", host=host)
        assert status == 200, status
        csrf_cookie = next(c.split(";")[0] for c in cookies if "csrf" in c.split("=")[0])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return csrf_cookie, urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})

    def login(self, *, host: str, username: str, password: str) -> str:
        """Signs in through the login form; returns the Cookie header of the new session."""
        csrf_cookie, body = self.login_form(host=host, username=username, password=password)
        status, _, _, cookies = self.request(
            "POST", "/logowanie/", host=host, body=body,
            headers={"Cookie": csrf_cookie, "Content-Type": "application/x-www-form-urlencoded",
                     "Referer": f"https://{host}/logowanie/"})
        assert status == 302, status
        session = next(c.split(";")[0] for c in cookies if "session" in c.split("=")[0])
        return session


def gunicorn(**overrides: str) -> Server:
    port = _free_port()
    env = environment(GUNICORN_BIND=f"127.0.0.1:{port}", **overrides)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(REPO_ROOT / "deploy" / "gunicorn.conf.py"),
         "config.wsgi:application"], env=env, cwd=REPO_ROOT, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE if os.environ.get("BENCH_QUIET") else None)
    server = Server(port=port, process=process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        with contextlib.suppress(OSError):
            server.request("GET", "/", host="localhost")
            return server
        time.sleep(0.2)
    server.stop()
    raise RuntimeError("gunicorn did not start")


@dataclass
class WrkResult:
    requests: int
    seconds: float
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


WRK_SCRIPT = """
-- Requests cycle through the given hosts (and their cookies); the body, if any, is posted.
local hosts = {%(hosts)s}
local cookies = {%(cookies)s}
local body = %(body)s
local counter = %(offset)d - 1
request = function()
  counter = counter + 1
  local i = (counter %% #hosts) + 1
  local headers = {["Host"] = hosts[i], ["X-Forwarded-Proto"] = "https", ["Cookie"] = cookies[i],
                   ["Referer"] = "https://" .. hosts[i] .. "%(path)s"}
  if body then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", "%(path)s", headers, body)
  end
  return wrk.format("GET", "%(path)s", headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%f %%d\\n", summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def wrk(server: Server, *, path: str, hosts: list[str], cookies: list[str], seconds: float, connections: int = 4,
        body: str | None = None, offset: int = 0) -> WrkResult:
    def lua(values: list[str]) -> str:
        return ", ".join('"' + value.replace('"', '\\"') + '"' for value in values)

    script = WRK_SCRIPT % {"hosts": lua(hosts), "cookies": lua(cookies), "path": path, "offset": offset,
                           "body": "nil" if body is None else '"' + body + '"'}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        output = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s",
                                 handle.name, f"http://127.0.0.1:{server.port}{path}"],
                                capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(handle.name)
    requests, duration, errors = re.search(r"RESULT (\d+) ([0-9.]+) (\d+)", output).groups()
    return WrkResult(requests=int(requests), seconds=float(duration), errors=int(errors))


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the given processes have used so far (those still alive)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def database_pids() -> list[int]:
    """The PostgreSQL backends connected to this database (but the one asking)."""
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as raw:
        return [row[0] for row in raw.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'").fetchall()]


def server_pids(server: Server) -> list[int]:
    """gunicorn's master and workers."""
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split()
    return [server.process.pid, *map(int, children)]

