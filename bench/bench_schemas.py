"""Group `schemas`: 3,500 cooperative schemas, a resident's ledger page requested across all of
them through gunicorn, and the largest PostgreSQL backend memory while that runs.

Schemas are made the way onboarding makes them (a clone of the migrated template schema in one round
trip, cooperatives.schema_template) plus the rows of one small template cooperative (its resident), and
kept in the bench database between runs, so only the first run pays for them. Each backend's memory is read from
/proc/<pid>/smaps_rollup: its private memory (what the catalog caches of the schemas it touched
cost; shared buffers are not its own). The sweep runs twice: with connections recycled after
DB_MAX_SCHEMAS_PER_CONNECTION schemas (the platform's default; BENCH max_backend_mib), and, for
comparison, with the cap switched off.
"""

import datetime
import os
import re
import threading
import time
from pathlib import Path

import psycopg
import served
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from cooperatives.models import Cooperative, Domain

COUNT = int(os.environ.get("BENCH_SCHEMAS", "3500"))
TEMPLATE = "szablon"
PASSWORD = "Szablon-bench-2026"
SESSION_KEY_VALUE = "benchsweep0000000000000000000001"


def _slug(number: int) -> str:
    return f"b{number:04d}"


def _template_ensure() -> Cooperative:
    from operators.services import cooperative_create
    from tenants_portal.accounts.models import User
    from tenants_portal.registry.models import Building, Estate, LegalTitle, Office, Person, Unit

    existing = Cooperative.objects.filter(slug=TEMPLATE).first()
    if existing:
        return existing
    created = cooperative_create(name="Spółdzielnia Mieszkaniowa „Szablon”", slug=TEMPLATE,
                                 admin_email="zarzad@szablon.example", city="Katowice")
    with schema_context(created.cooperative.schema_name):
        resident = User(username="lokator", role=User.Role.RESIDENT, first_name="Jan", last_name="Nowak",
                        must_change_password=False)
        resident.set_password(PASSWORD)
        resident.save()
        office = Office.objects.create(name="Administracja", street="ul. Długa 1", postal_code="40-001",
                                       city="Katowice", phone="32 000 00 00")
        estate = Estate.objects.create(name="Osiedle Szablon")
        building = Building.objects.create(estate=estate, office=office, street="ul. Długa", number="1",
                                           postal_code="40-001", city="Katowice")
        unit = Unit.objects.create(building=building, number="1", kind=Unit.Kind.FLAT, code="SZ-1-1")
        person = Person.objects.create(first_name="Jan", last_name="Nowak", account=resident)
        LegalTitle.objects.create(person=person, unit=unit, kind=LegalTitle.Kind.OWNERSHIP,
                                  start_date=datetime.date(2015, 1, 1))
    return created.cooperative


def _data_tables(template: Cooperative) -> list[str]:
    """The template cooperative's tables holding its resident (those a cloned empty schema lacks)."""
    from cooperatives.schema_template import template_schema_name

    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = %s AND c.relkind = 'r' ORDER BY c.relname", [template.schema_name])
        tables = [row[0] for row in cursor.fetchall()]
        with_rows = []
        for table in tables:
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{template.schema_name}"."{table}"), '  # noqa: S608
                           f'EXISTS (SELECT 1 FROM "{template_schema_name()}"."{table}")')
            own, in_template = cursor.fetchone()
            if own and not in_template:
                with_rows.append(table)
    return with_rows


def _schemas_ensure(template: Cooperative) -> None:
    """Each bench cooperative: a clone of the onboarding template (one round trip, as onboarding does) plus
    the template cooperative's rows (its resident, unit, title, regulation), in one transaction each."""
    from django.db import close_old_connections, transaction

    from cooperatives.schema_template import template_clone

    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname ~ '^coop_b[0-9]{4}$'")
        schemas = {row[0] for row in cursor.fetchall()}
    to_clone = [n for n in range(1, COUNT + 1) if f"coop_{_slug(n)}" not in schemas]
    if to_clone:
        tables = _data_tables(template)
        started = time.monotonic()
        done = 0
        lock = threading.Lock()

        def clone(numbers: list[int]) -> None:
            nonlocal done
            try:
                for number in numbers:
                    schema = f"coop_{_slug(number)}"
                    # One schema per transaction: a transaction holds a lock per table it creates.
                    with transaction.atomic(), connection.cursor() as cursor:
                        template_clone(schema_name=schema)
                        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                        cursor.execute("".join(
                            f'INSERT INTO "{schema}"."{table}" SELECT * FROM "{template.schema_name}"."{table}";'  # noqa: S608
                            for table in tables))
                    with lock:
                        done += 1
                        if done % 250 == 0:
                            print(f"  {done}/{len(to_clone)} schemas cloned ({time.monotonic() - started:.0f} s)",
                                  flush=True)
            finally:
                close_old_connections()
                connection.close()

        threads = [threading.Thread(target=clone, args=(to_clone[i::2],)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"{len(to_clone)} schemas cloned in {time.monotonic() - started:.0f} s "
              f"({(time.monotonic() - started) / len(to_clone) * 1000:.0f} ms each, 2 connections)")
    have = set(Cooperative.objects.filter(slug__regex=r"^b\d{4}$").values_list("slug", flat=True))
    new = [Cooperative(name=f"Spółdzielnia Mieszkaniowa nr {n}", slug=_slug(n), schema_name=f"coop_{_slug(n)}")
           for n in range(1, COUNT + 1) if _slug(n) not in have]
    Cooperative.objects.bulk_create(new)
    Domain.objects.bulk_create([Domain(domain=f"{c.slug}.{settings.BASE_DOMAIN}", tenant=c, is_primary=True)
                                for c in new])
    print(f"{COUNT} bench cooperatives registered")


def _sessions_refresh() -> None:
    """One fresh signed-in session of the template's resident, under the same key in every schema."""
    client = Client(HTTP_HOST=f"{TEMPLATE}.{settings.BASE_DOMAIN}")
    response = client.post("/logowanie/", {"username": "lokator", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    with schema_context(f"coop_{TEMPLATE}"):
        data = SessionStore(session_key=client.session.session_key).load()
    assert SESSION_KEY in data
    data.pop("_iok_schema", None)  # each schema binds it on first use
    encoded = SessionStore().encode(data)
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as raw:
        for number in range(1, COUNT + 1):
            # One schema per statement, in autocommit: a transaction over thousands of schemas would hold a
            # lock per session table and exhaust max_locks_per_transaction.
            raw.execute(f'INSERT INTO "coop_{_slug(number)}".django_session '  # noqa: S608 - our own names
                        "(session_key, session_data, expire_date) VALUES (%s, %s, now() + interval '1 day') "
                        "ON CONFLICT (session_key) DO UPDATE "
                        "SET session_data = EXCLUDED.session_data, expire_date = EXCLUDED.expire_date",
                        (SESSION_KEY_VALUE, encoded))


class BackendMemory:
    """Samples the memory of this database's client backends twice a second."""

    def __init__(self, database: str):
        self.database = database
        self.largest_private = 0
        self.largest_rss = 0
        self.backends_seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as raw:
            own = raw.execute("SELECT pg_backend_pid()").fetchone()[0]
            while not self._stop.is_set():
                pids = [row[0] for row in raw.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend' "
                    "AND pid <> %s", (self.database, own)).fetchall()]
                for pid in pids:
                    self.backends_seen.add(pid)
                    try:
                        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
                    except OSError:
                        continue
                    fields = {key: int(value) for key, value in re.findall(r"^(\w+):\s+(\d+) kB", rollup, re.M)}
                    private = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
                    self.largest_private = max(self.largest_private, private)
                    self.largest_rss = max(self.largest_rss, fields.get("Rss", 0))
                self._stop.wait(0.5)


def _sweep(*, cap: int) -> BackendMemory:
    hosts = [f"{_slug(n)}.{settings.BASE_DOMAIN}" for n in range(1, COUNT + 1)]
    cookie = f"__Host-iok_session={SESSION_KEY_VALUE}"
    # No gunicorn worker recycling here: only the connection cap is measured.
    server = served.gunicorn(DB_MAX_SCHEMAS_PER_CONNECTION=str(cap), GUNICORN_MAX_REQUESTS="0")
    try:
        with BackendMemory(connection.settings_dict["NAME"]) as memory:
            started = time.monotonic()
            done = 0
            # Every host in turn, once: wrk runs in slices, each starting where the last one stopped.
            while done < len(hosts):
                result = served.wrk(server, path="/rozrachunki/", hosts=hosts, cookies=[cookie] * len(hosts),
                                    seconds=10, offset=done)
                assert result.errors == 0, f"{result.errors} failed requests"
                done += result.requests
            elapsed = time.monotonic() - started
        print(f"cap {cap or 'off'}: {done} requests over {COUNT} schemas in {elapsed:.0f} s; "
              f"{len(memory.backends_seen)} backends; largest private {memory.largest_private / 1024:.1f} MiB, "
              f"largest RSS {memory.largest_rss / 1024:.1f} MiB", flush=True)
        return memory
    finally:
        server.stop()


def run() -> None:
    served.collectstatic()
    template = _template_ensure()
    _schemas_ensure(template)
    _sessions_refresh()
    # The harness's own connection has read every schema's migration table (migrate_schemas at the start)
    # and would be the largest backend in sight; only the web workers' backends are measured.
    connection.close()
    capped = _sweep(cap=settings.DB_MAX_SCHEMAS_PER_CONNECTION)
    _sessions_refresh()
    connection.close()
    _sweep(cap=0)
    print(f"BENCH max_backend_mib {capped.largest_private / 1024:.1f}")
