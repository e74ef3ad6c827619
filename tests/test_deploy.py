"""deploy/ is real: every file is checked here with the tools this machine has (nginx, systemd-analyze,
pg_dump, gunicorn); what needs a Docker engine is checked for consistency with the repository."""

import ast
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import yaml
from django.conf import settings
from django.db import connection

from .e2e.stack import (
    database_drop,
    database_recreate,
    database_url_with_name,
    nginx_command,
    nginx_main_config,
    nginx_render,
    self_signed_certificate,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
DEPLOY = REPO_ROOT / "deploy"
SETTINGS = REPO_ROOT / "platform" / "config" / "settings"


def _env_example_names() -> list[str]:
    return re.findall(r"^([A-Z][A-Z0-9_]*)=", (DEPLOY / "env.example").read_text(), flags=re.MULTILINE)


def _settings_env_names() -> set[str]:
    """Names read through django-environ (env(...), env.str(...), ...) in the settings layers that run
    on servers (the test layer reads only what pytest-xdist sets)."""
    names = set()
    for path in SETTINGS.glob("*.py"):
        if path.name == "test.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
                continue
            function = node.func
            if (isinstance(function, ast.Name) and function.id == "env") or (
                    isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name)
                    and function.value.id == "env"):
                names.add(node.args[0].value)
    return names


def _gunicorn_env_names() -> set[str]:
    source = (DEPLOY / "gunicorn.conf.py").read_text()
    return set(re.findall(r'(?:_int|os\.environ\.get)\("([A-Z_]+)"', source))


def _script_env_names() -> set[str]:
    names = set()
    for script in ("backup.sh", "restore.sh"):
        names |= set(re.findall(r"\$\{([A-Z_]+)", (DEPLOY / script).read_text()))
    return names


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_env_example_lists_every_setting_once():
    listed = _env_example_names()
    assert len(listed) == len(set(listed)), [name for name in listed if listed.count(name) > 1]
    read = _settings_env_names() | _gunicorn_env_names()
    assert sorted(read - set(listed)) == []


def test_env_example_lists_nothing_that_is_not_read():
    compose_variables = set(re.findall(r"\$\{([A-Z_]+)", (DEPLOY / "compose.yaml").read_text()))
    read = (_settings_env_names() | _gunicorn_env_names() | _script_env_names() | compose_variables
            | {"DJANGO_SETTINGS_MODULE"})  # read by manage.py, config.wsgi and tasks.celery
    assert sorted(set(_env_example_names()) - read) == []


def test_env_example_has_no_comment_after_a_value():
    """systemd's EnvironmentFile would take `VALUE  # comment` as the value."""
    lines = [line for line in (DEPLOY / "env.example").read_text().splitlines()
             if re.match(r"^[A-Z]", line) and " #" in line]
    assert lines == []


def test_nginx_body_limit_admits_the_largest_upload_django_accepts():
    template = (DEPLOY / "nginx" / "iok.conf.template").read_text()
    limit_mib = int(re.search(r"client_max_body_size (\d+)m;", template).group(1))
    largest = max(settings.IMPORT_MAX_BYTES, settings.UPLOAD_MAX_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    # Above the largest file, with room for the multipart form around it, and not far above.
    assert largest < limit_mib * 1024 * 1024 <= largest + 2 * 1024 * 1024


def test_nginx_sends_the_scheme_header_that_production_settings_trust(monkeypatch):
    monkeypatch.setenv("STATIC_ROOT", "/srv/iok/static")
    from config.settings import production

    template = (DEPLOY / "nginx" / "iok.conf.template").read_text()
    header, value = production.SECURE_PROXY_SSL_HEADER
    assert header == "HTTP_X_FORWARDED_PROTO" and value == "https"
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in template
    # Set to the address nginx saw, never appended to what the client sent (AXES_IPWARE_PROXY_COUNT=0).
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in template
    assert "$proxy_add_x_forwarded_for" not in template


@pytest.mark.skipif(not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()), reason="nginx is not installed")
def test_production_nginx_configuration_passes_nginx_t(tmp_path):
    certificate, key = self_signed_certificate(tmp_path / "tls", names=["iok.example.pl", "*.iok.example.pl"])
    site = tmp_path / "iok.conf"
    site.write_text(nginx_render({
        "IOK_BASE_DOMAIN": "iok.example.pl", "IOK_HTTP_LISTEN": "80", "IOK_HTTPS_LISTEN": "443",
        "IOK_UPSTREAM": "unix:/run/iok/gunicorn.sock", "IOK_STATIC_ROOT": "/srv/iok/static",
        "IOK_TLS_CERTIFICATE": str(certificate), "IOK_TLS_CERTIFICATE_KEY": str(key),
    }))
    main = tmp_path / "nginx.conf"
    main.write_text(nginx_main_config(prefix=tmp_path, site=site))
    checked = subprocess.run(nginx_command(prefix=tmp_path, config=main, test=True), capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "server_name iok.example.pl *.iok.example.pl;" in site.read_text()


def test_nginx_template_refuses_to_render_without_every_value():
    with pytest.raises(KeyError, match="IOK_UPSTREAM"):
        nginx_render({"IOK_BASE_DOMAIN": "x", "IOK_HTTP_LISTEN": "80", "IOK_HTTPS_LISTEN": "443",
                      "IOK_STATIC_ROOT": "/s", "IOK_TLS_CERTIFICATE": "/c", "IOK_TLS_CERTIFICATE_KEY": "/k"})


def test_compose_renders_the_nginx_template_with_exactly_its_placeholders():
    template = (DEPLOY / "nginx" / "iok.conf.template").read_text()
    placeholders = set(re.findall(r"\$\{(IOK_[A-Z_]+)\}", template))
    assert set(_compose()["services"]["nginx"]["environment"]) == placeholders


UNITS = ["iok-pgbouncer.service", "iok-web.service", "iok-worker.service", "iok-beat.service", "iok.target"]


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_units_verify(tmp_path):
    """systemd-analyze verify, with the install paths pointed at this checkout (it checks that
    ExecStart's program exists)."""
    for unit in UNITS:
        text = (DEPLOY / "systemd" / unit).read_text()
        text = text.replace("/srv/iok/venv", str(Path(sys.executable).parents[1])).replace("/srv/iok/app",
                                                                                          str(REPO_ROOT))
        (tmp_path / unit).write_text(text)
    verified = subprocess.run(["systemd-analyze", "verify", "--man=no", *[f"./{unit}" for unit in UNITS]],
                              cwd=tmp_path, capture_output=True, text=True)
    assert (verified.returncode, verified.stderr.strip()) == (0, "")


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
@pytest.mark.parametrize("unit", ["iok-pgbouncer.service", "iok-web.service", "iok-worker.service", "iok-beat.service"])
def test_systemd_services_are_hardened(unit):
    result = subprocess.run(["systemd-analyze", "security", "--offline=yes", "--no-pager",
                             str(DEPLOY / "systemd" / unit)], capture_output=True, text=True)
    exposure = float(re.search(r"Overall exposure level for \S+: ([0-9.]+)", result.stdout).group(1))
    assert exposure <= 2.0, result.stdout[-2000:]


@pytest.mark.parametrize("unit", ["iok-web.service", "iok-worker.service", "iok-beat.service"])
def test_systemd_services_run_what_the_repository_has(unit):
    text = (DEPLOY / "systemd" / unit).read_text()
    command = shlex.split(re.search(r"^ExecStart=(.*)$", text, flags=re.MULTILINE).group(1))
    assert command[0].startswith("/srv/iok/venv/bin/")
    assert "EnvironmentFile=/etc/iok/iok.env" in text and "User=iok" in text
    if "gunicorn" in command[0]:
        assert command[command.index("--config") + 1] == "/srv/iok/app/deploy/gunicorn.conf.py"
        assert command[-1] == "config.wsgi:application"
    else:
        assert command[1:3] == ["--app", "tasks"]


def test_compose_has_the_whole_platform_and_only_existing_files():
    compose = _compose()
    services = compose["services"]
    assert set(services) == {"postgres", "pgbouncer", "redis", "web", "worker", "beat", "nginx"}
    web = services["web"]
    assert (DEPLOY / web["build"]["context"] / web["build"]["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    for service in services.values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (DEPLOY / source).exists(), source
            else:
                assert source in compose["volumes"], source
    assert "deploy/gunicorn.conf.py" in " ".join(web["command"])
    assert (REPO_ROOT / "deploy" / "gunicorn.conf.py").exists()
    assert services["worker"]["command"][:4] == ["celery", "--app", "tasks", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "--app", "tasks", "beat"]
    # Every setting the app containers get is a setting the platform reads.
    environment = set(services["web"]["environment"]) | set(services["worker"]["environment"])
    assert sorted(environment - set(_env_example_names())) == []


def test_dockerfile_is_multi_stage_non_root_and_copies_what_exists():
    lines = (DEPLOY / "Dockerfile").read_text().splitlines()
    assert sum(line.startswith("FROM ") for line in lines) >= 2
    assert [line for line in lines if line.startswith("USER ")] == ["USER iok"]
    for line in lines:
        if line.startswith("COPY ") and "--from=" not in line:
            for source in line.split()[1:-1]:
                assert (REPO_ROOT / source).exists(), source
    command = [line for line in lines if line.startswith("CMD ")][-1]
    assert '"deploy/gunicorn.conf.py", "config.wsgi:application"' in command
    # The exact, hash-checked versions of the lock, then the project itself without fetching anything.
    assert "RUN /srv/iok/venv/bin/pip install --require-hashes --no-deps -r /srv/iok/requirements.lock" in lines
    assert "RUN /srv/iok/venv/bin/pip install --no-deps --no-build-isolation --editable /srv/iok/app" in lines


def test_argon2_build_refuses_an_unknown_mode_and_changes_nothing():
    before = _argon2_library()
    finished = subprocess.run(["sh", str(DEPLOY / "argon2-build.sh"), sys.executable], capture_output=True,
                              text=True, env={**os.environ, "ARGON2_BUILD": "fast"})
    assert (finished.returncode, finished.stderr) == (2, "ARGON2_BUILD must be auto, avx2 or portable, not 'fast'\n")
    assert _argon2_library() == before


def _argon2_library() -> bytes:
    import _argon2_cffi_bindings

    return next(Path(_argon2_cffi_bindings.__file__).parent.glob("_ffi*.so")).read_bytes()


def test_image_builds_argon2_for_the_build_argument():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "ARG ARGON2_BUILD=auto" in dockerfile
    assert "sh /srv/iok/app/deploy/argon2-build.sh /srv/iok/venv/bin/python" in dockerfile
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert compose["x-app"]["build"]["args"] == {"ARGON2_BUILD": "${ARGON2_BUILD:-auto}"}


def test_gunicorn_configuration_loads_with_the_values_from_the_environment():
    environment = {**os.environ, "WEB_CONCURRENCY": "3", "GUNICORN_BIND": "127.0.0.1:18999",
                   "GUNICORN_MAX_REQUESTS": "1000", "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    printed = subprocess.run(
        [sys.executable, "-c", "from gunicorn.config import Config; from gunicorn.app.base import Application\n"
         "class A(Application):\n def init(self, *a): pass\n def load(self): pass\n"
         "a = A(); a.load_config_from_file('deploy/gunicorn.conf.py')\n"
         "c = a.cfg; print(c.workers, c.bind, c.max_requests, c.max_requests_jitter, c.preload_app, c.timeout)"],
        env=environment, cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert printed == ["3", "['127.0.0.1:18999']", "1000", "100", "True", "60"]


def test_gunicorn_refuses_a_malformed_number():
    environment = {**os.environ, "WEB_CONCURRENCY": "many"}
    result = subprocess.run([sys.executable, str(DEPLOY / "gunicorn.conf.py")], env=environment,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "WEB_CONCURRENCY must be a whole number, not 'many'" in result.stderr


def _pg_bindir(database_url: str) -> str | None:
    """pg_dump must not be older than the server: take the embedded server's own tools when it is newer."""
    with psycopg.connect(database_url) as conn:
        server_major = int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000
    system = shutil.which("pg_dump")
    if system:
        version = subprocess.run([system, "--version"], capture_output=True, text=True).stdout
        if int(re.search(r"\) (\d+)", version).group(1)) >= server_major:
            return None
    # Found, not imported: importing pgserver picks a runtime directory, which is no business of this test.
    spec = importlib.util.find_spec("pgserver")
    if spec is None or spec.origin is None:
        return None
    return str(Path(spec.origin).parent / "pginstall" / "bin")


def _schema_fingerprint(database_url: str) -> list[tuple]:
    with psycopg.connect(database_url) as conn:
        tables = conn.execute(
            "SELECT table_schema, count(*) FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') GROUP BY 1 ORDER BY 1").fetchall()
        rows = []
        for (schema,) in conn.execute("SELECT schema_name FROM cooperatives_cooperative ORDER BY 1").fetchall():
            rows.append((schema, *conn.execute(
                f'SELECT (SELECT count(*) FROM "{schema}".accounts_user), '  # noqa: S608 - schema names from our table
                f'(SELECT count(*) FROM "{schema}".registry_unit)').fetchone()))
        return [*tables, *rows]


def test_backup_and_restore_round_trip_every_schema(tmp_path, django_db_setup):
    """backup.sh dumps the whole test database (public and every cooperative's schema); restore.sh
    brings it back into an empty database with the same tables and rows, and refuses a non-empty one."""
    database = connection.settings_dict
    source_url = os.environ["DATABASE_URL"]
    source_url = database_url_with_name(source_url, database["NAME"])
    target_url = database_url_with_name(source_url, f"{database['NAME']}_restored")
    environment = {**os.environ, "DATABASE_URL": source_url}
    bindir = _pg_bindir(source_url)
    if bindir:
        environment["PG_BINDIR"] = bindir
    expired = tmp_path / "iok-20200101T000000Z.dump"
    expired.write_bytes(b"an old backup")
    os.utime(expired, (time.time() - 15 * 86400,) * 2)
    backed_up = subprocess.run(["bash", str(DEPLOY / "backup.sh"), str(tmp_path)], env=environment,
                               capture_output=True, text=True)
    assert backed_up.returncode == 0, backed_up.stderr
    dump = Path(backed_up.stdout.strip())
    # Older than BACKUP_KEEP_DAYS (14) goes; the new dump stays whatever the clock says.
    assert sorted(tmp_path.iterdir()) == [dump]
    assert dump.parent == tmp_path and dump.name.startswith("iok-") and dump.suffix == ".dump"
    assert dump.read_bytes()[:5] == b"PGDMP"

    database_recreate(target_url)
    try:
        restored = subprocess.run(["bash", str(DEPLOY / "restore.sh"), str(dump)],
                                  env={**environment, "DATABASE_URL": target_url}, capture_output=True, text=True)
        assert restored.returncode == 0, restored.stderr
        assert _schema_fingerprint(target_url) == _schema_fingerprint(source_url)
        assert ("coop_alfa",) in [row[:1] for row in _schema_fingerprint(target_url)]

        again = subprocess.run(["bash", str(DEPLOY / "restore.sh"), str(dump)],
                               env={**environment, "DATABASE_URL": target_url}, capture_output=True, text=True)
        assert again.returncode == 3
        assert "the target database is not empty" in again.stderr
    finally:
        database_drop(target_url)


def test_backup_needs_a_database_url(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(["bash", str(DEPLOY / "backup.sh"), str(tmp_path)], env=environment,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_database_url_helpers_keep_the_server_and_change_the_name():
    url = "postgres://postgres@/iok?host=/tmp/pg"
    assert database_url_with_name(url, "iok_e2e") == "postgres://postgres@/iok_e2e?host=/tmp/pg"
    assert urlsplit(database_url_with_name("postgres://u:p@127.0.0.1:5432/a", "b")).path == "/b"
