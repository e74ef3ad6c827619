"""The production stack on loopback, for the end-to-end test: nginx (rendered from the production
template in deploy/nginx, with a self-signed certificate) in front of gunicorn (deploy/gunicorn.conf.py,
settings.production), a Celery worker and beat, against a database of its own with the demo, and the
payment gateway simulator the demo's Hutnik pays through.

Host names are the demo's: localhost, iok.smhutnik.localhost (Hutnik's primary address; hutnik.localhost
redirects there), zakatek.localhost — Chromium resolves
*.localhost to loopback; Python clients here connect to 127.0.0.1 and send the name (SNI and Host).
"""

import contextlib
import http.client
import os
import random
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from devstack.services import processes_stop
from devstack.simulator import simulator_start, simulator_wait

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY = REPO_ROOT / "deploy"
NGINX_TEMPLATE = DEPLOY / "nginx" / "iok.conf.template"
PORT_RANGE = range(18000, 19000)

# Debian packages the stack needs; `make test` installs them first (deploy/test-packages.sh).
SYSTEM_PACKAGES = {"nginx": "nginx-light", "chromium": "chromium", "openssl": "openssl"}


def system_tools_missing() -> str | None:
    """None when nginx, Chromium and openssl are there, else which packages are missing and how to get them."""
    missing = [package for binary, package in SYSTEM_PACKAGES.items()
               if not shutil.which(binary) and not Path(f"/usr/sbin/{binary}").exists()]
    if not missing:
        return None
    packages = " ".join(missing)
    return f"Debian packages missing: {packages} (make system-packages, or apt-get install {packages})"


def nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_render(values: dict[str, str]) -> str:
    """deploy/nginx/iok.conf.template with its ${IOK_...} filled in (as envsubst does); nginx's own
    $variables are left alone. Every placeholder must have a value."""
    template = NGINX_TEMPLATE.read_text()
    wanted = set(re.findall(r"\$\{(IOK_[A-Z_]+)\}", template))
    missing = wanted - set(values)
    if missing:
        raise KeyError(f"no value for {', '.join(sorted(missing))}")
    return re.sub(r"\$\{(IOK_[A-Z_]+)\}", lambda match: values[match.group(1)], template)


def nginx_main_config(*, prefix: Path, site: Path) -> str:
    """A minimal nginx.conf around the rendered site (as Debian's /etc/nginx/nginx.conf includes it)."""
    temp = prefix / "temp"
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / name).mkdir(parents=True, exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read files under a 0700 tmp dir
    return f"""{user}worker_processes 1;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    sendfile on;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site};
}}
"""


def nginx_command(*, prefix: Path, config: Path, test: bool = False) -> list[str]:
    directives = f"pid {prefix}/nginx.pid;" + ("" if test else " daemon off;")
    return [nginx_binary(), *(["-t", "-q"] if test else []), "-p", str(prefix), "-c", str(config), "-g", directives]


def self_signed_certificate(folder: Path, *, names: list[str]) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    certificate, key = folder / "fullchain.pem", folder / "privkey.pem"
    alt_names = ",".join(f"DNS:{name}" for name in names)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    f"/CN={names[0]}", "-addext", f"subjectAltName={alt_names}", "-keyout", str(key),
                    "-out", str(certificate)], check=True, capture_output=True)
    return certificate, key


def free_ports(count: int) -> list[int]:
    """Ports in 18000–18999 that nothing listens on now (other servers on this machine use the range too)."""
    chosen: list[int] = []
    candidates = list(PORT_RANGE)
    random.shuffle(candidates)
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        chosen.append(port)
        if len(chosen) == count:
            return chosen
    raise RuntimeError("no free port in 18000–18999")


def database_url_with_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_connect(url: str) -> psycopg.Connection:
    return psycopg.connect(database_url_with_name(url, "postgres"), autocommit=True)


def database_recreate(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with _admin_connect(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def database_drop(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with _admin_connect(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class _LoopbackHTTPS(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1 with the given host name in SNI and Host (Python does not resolve *.localhost)."""

    def connect(self):
        raw = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def _unverified_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def https_request(host: str, port: int, path: str, *, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    connection = _LoopbackHTTPS(host, port, timeout=30, context=_unverified_context())
    try:
        connection.request(method, path, headers={"Host": f"{host}:{port}"})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def http_request(host: str, port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": f"{host}:{port}"})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@dataclass
class Stack:
    root: Path
    database_url: str
    environment: dict[str, str]
    https_port: int
    http_port: int
    web_port: int
    simulator_port: int
    # The DNS server the platform's domain checks ask (DNS_RESOLVER): tests/e2e/test_domains.py starts one there.
    dns_port: int
    # What web, worker and beat run with: through PgBouncer (transaction pooling) when devstack started
    # one (PGBOUNCER_URL), as in production; manage commands (migrations) keep the direct connection.
    served_environment: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def url(self, host: str, path: str = "/") -> str:
        return f"https://{host}:{self.https_port}{path}"

    @property
    def simulator_url(self) -> str:
        return f"http://127.0.0.1:{self.simulator_port}"

    def log(self, name: str) -> str:
        path = self.root / "logs" / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    @property
    def mail_folder(self) -> Path:
        return self.root / "mail"

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            return connection.execute(query, params).fetchall()

    def manage(self, *arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(REPO_ROOT / "manage.py"), *arguments], env=self.environment,
                              cwd=REPO_ROOT, check=True, capture_output=True, text=True)

    def start(self, name: str, command: list[str]) -> None:
        log = (self.root / "logs" / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(command, env=self.served_environment or self.environment,
                                                cwd=REPO_ROOT, stdout=log,
                                                stderr=subprocess.STDOUT, start_new_session=True)

    def assert_running(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log(name)[-3000:]}")

    def stop(self) -> None:
        processes_stop(self.processes.values(), timeout=20)


def stack_start(root: Path) -> Stack:
    base_url = os.environ["DATABASE_URL"]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    database_url = database_url_with_name(base_url, f"{urlsplit(base_url).path.lstrip('/')}_e2e_{worker}")
    https_port, http_port, web_port, simulator_port, dns_port = free_ports(5)
    for folder in ("logs", "static", "media", "imports", "mail", "nginx"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DEMO_ALLOWED": "true",  # a throw-away database of its own
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECRETS_ENCRYPTION_KEYS": "Yt3wQe8p0cM2b0Rk1n3v5x7z9B1D3F5H7J9L1N3P5R0=",
        "DATABASE_URL": database_url,
        # The test suite uses the same Redis: everything of this stack carries its own prefix.
        "REDIS_KEY_PREFIX": f"e2e-{secrets.token_hex(4)}",
        "BASE_DOMAIN": "localhost",
        "STATIC_ROOT": str(root / "static"),
        "MEDIA_ROOT": str(root / "media"),
        "IMPORT_ROOT": str(root / "imports"),
        # Four slashes: django-environ drops the first one of the path.
        "EMAIL_URL": f"filemail:///{root / 'mail'}",
        "AXES_IPWARE_PROXY_COUNT": "0",
        # Links the platform gives out (e-mails, the gateway's way back to the result page) carry nginx's port.
        "SITE_PORT": str(https_port),
        # The payment gateway simulator (the demo's Hutnik pays through its PayU); its notifications come
        # through nginx, to the platform's own host, as a real gateway's would.
        "PAYMENTS_SIMULATOR_URL": f"http://127.0.0.1:{simulator_port}",
        "PAYMENTS_NOTIFY_BASE_URL": f"https://localhost:{https_port}",
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        "DNS_RESOLVER": f"127.0.0.1:{dns_port}",
        # Routes straight from Redis: a domain change made by another process (a test's) shows at once.
        "ROUTING_LOCAL_SECONDS": "0",
        "WEB_CONCURRENCY": "2",
        "CELERY_WORKER_CONCURRENCY": "1",
        "LOG_LEVEL": "INFO",
    }
    for inherited in ("DJANGO_DEBUG", "DEBUG", "ALLOWED_HOSTS", "PYTEST_XDIST_WORKER", "CELERY_BROKER_URL"):
        environment.pop(inherited, None)
    served_environment = dict(environment)
    if os.environ.get("PGBOUNCER_URL"):
        served_environment["DATABASE_URL"] = database_url_with_name(os.environ["PGBOUNCER_URL"],
                                                                    urlsplit(database_url).path.lstrip("/"))
        served_environment["DB_BEHIND_TRANSACTION_POOLER"] = "1"
    stack = Stack(root=root, database_url=database_url, environment=environment, https_port=https_port,
                  http_port=http_port, web_port=web_port, simulator_port=simulator_port, dns_port=dns_port,
                  served_environment=served_environment)

    database_recreate(database_url)
    stack.manage("migrate_schemas", "--shared", "--verbosity", "0")
    # Then the cooperatives' side, as a deployment does: this prepares the template schema, which
    # onboarding (the demo's and the operator's) copies instead of migrating a new schema from scratch.
    stack.manage("migrate_schemas", "--tenant", "--verbosity", "0")
    stack.manage("load_demo")
    stack.manage("collectstatic", "--noinput", "--verbosity", "0")

    python = sys.executable
    stack.start("web", [python, "-m", "gunicorn", "--config", str(DEPLOY / "gunicorn.conf.py"),
                        "config.wsgi:application"])
    stack.start("worker", [python, "-m", "celery", "--app", "tasks", "worker", "--loglevel", "INFO",
                           "--hostname", f"e2e-{web_port}@%h"])
    stack.start("beat", [python, "-m", "celery", "--app", "tasks", "beat", "--loglevel", "INFO",
                         "--schedule", str(root / "celerybeat-schedule")])

    certificate, key = self_signed_certificate(root / "tls", names=["localhost", "*.localhost",
                                                                    "*.smhutnik.localhost"])
    site = root / "nginx" / "iok.conf"
    site.write_text(nginx_render({
        "IOK_BASE_DOMAIN": "localhost",
        "IOK_HTTP_LISTEN": f"127.0.0.1:{http_port}",
        "IOK_HTTPS_LISTEN": f"127.0.0.1:{https_port}",
        "IOK_UPSTREAM": f"127.0.0.1:{web_port}",
        "IOK_STATIC_ROOT": str(root / "static"),
        "IOK_TLS_CERTIFICATE": str(certificate),
        "IOK_TLS_CERTIFICATE_KEY": str(key),
    }))
    main = root / "nginx" / "nginx.conf"
    main.write_text(nginx_main_config(prefix=root / "nginx", site=site))
    stack.processes["nginx"] = subprocess.Popen(
        nginx_command(prefix=root / "nginx", config=main), stdout=(root / "logs" / "nginx.log").open("ab"),
        stderr=subprocess.STDOUT, start_new_session=True)
    # The simulator trusts the stack's self-signed certificate (httpx reads SSL_CERT_FILE) to notify
    # https://localhost:<https_port>; Paynow's notification address is per merchant, set here for Hutnik.
    with (root / "logs" / "simulator.log").open("ab") as simulator_log:
        stack.processes["simulator"] = simulator_start(
            port=simulator_port, paynow_notify_url=f"https://localhost:{https_port}/platnosci/hutnik/powiadomienie/",
            env={"SSL_CERT_FILE": str(certificate)}, stdout=simulator_log, stderr=subprocess.STDOUT)

    deadline = time.monotonic() + 90
    while True:
        stack.assert_running()
        with contextlib.suppress(OSError, http.client.HTTPException):
            if https_request("iok.smhutnik.localhost", https_port, "/logowanie/")[0] == 200:
                break
        if time.monotonic() > deadline:
            stack.stop()
            raise RuntimeError(f"the stack did not answer in time:\n{stack.log('web')[-3000:]}")
        time.sleep(0.3)
    if not simulator_wait(port=simulator_port, process=stack.processes["simulator"]):
        stack.stop()
        raise RuntimeError(f"the payment gateway simulator did not start:\n{stack.log('simulator')[-3000:]}")
    return stack
