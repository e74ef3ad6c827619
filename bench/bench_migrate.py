"""Group `migrate`: a real migration (a column with a default and an index on registry_unit) applied by
migrate_schemas to the 3,500 bench cooperative schemas (bench_schemas keeps them), against stock
django-tenants' migrate_schemas on a sample of the same schemas in the same run, and a run killed
(SIGKILL) half-way then run again.

The migration is a throwaway one, never one of the project's: a copy of registry's migrations plus one
more, in a temporary package MIGRATION_MODULES points registry at (tests/migration_modules.py); a
settings module in the same temporary folder does that for the killed subprocess. Everything it adds is
taken out again at the end (and at the start, after an interrupted run), so reruns are repeatable.

BENCH migrate_real_seconds_3500: migrate_schemas --tenant over every cooperative (the check of every
schema included). BENCH migrate_real_ratio: our seconds per schema ÷ stock seconds per schema.
BENCH migrate_resume_duplicates: schemas where, after the kill and the rerun, the column, the index or
the migration's row is missing or there twice.
"""
# ruff: noqa: S608 - SQL here is built from the bench's own schema names and constants

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_schemas
import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings
from django_tenants.management.commands import migrate_schemas as migrate_schemas_command
from django_tenants.migration_executors import get_executor

from cooperatives.migration_fast import FastResult, schema_scripts_run
from cooperatives.models import Cooperative
from cooperatives.schema_template import SCHEMAS_PER_QUERY, migration_keys_expected, template_schema_name
from tests.migration_modules import (
    APP_LABEL,
    COLUMN,
    INDEX,
    MIGRATION_NAME,
    TABLE,
    throwaway_migration_module,
    throwaway_undo_sql,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
STOCK_SAMPLE = int(os.environ.get("BENCH_MIGRATE_STOCK_SAMPLE", "30"))


def _all_schemas() -> list[str]:
    return [template_schema_name(), *Cooperative.objects.order_by("schema_name").values_list("schema_name", flat=True)]


def _undo(schemas: list[str]) -> None:
    """Take the throwaway migration out of every given schema (one transaction each, in parallel)."""
    result = FastResult()
    quote = connection.ops.quote_name
    schema_scripts_run([(name, f"BEGIN; SET LOCAL search_path = {quote(name)}; SET LOCAL synchronous_commit = off; "
                               f"{throwaway_undo_sql()}; COMMIT;") for name in schemas],
                       connections=settings.MIGRATE_SCHEMAS_CONNECTIONS, result=result)
    assert not result.failed, result.failed


def _states(schemas: list[str]) -> dict[str, tuple[int, int, int]]:
    """Each schema's (columns named COLUMN, indexes named INDEX, rows of the migration)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT n.nspname, count(a.attname) FROM pg_namespace n "
                       "JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = %s "
                       "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = %s AND NOT a.attisdropped "
                       "WHERE n.nspname = ANY(%s) GROUP BY 1", [TABLE, COLUMN, schemas])
        columns = dict(cursor.fetchall())
        cursor.execute("SELECT schemaname, count(*) FROM pg_indexes WHERE indexname = %s AND schemaname = ANY(%s) "
                       "GROUP BY 1", [INDEX, schemas])
        indexes = dict(cursor.fetchall())
        rows: dict[str, int] = {}
        for start in range(0, len(schemas), SCHEMAS_PER_QUERY):
            chunk = schemas[start:start + SCHEMAS_PER_QUERY]
            cursor.execute(" UNION ALL ".join(
                f"SELECT %s, count(*) FROM {connection.ops.quote_name(name)}.django_migrations "
                "WHERE app = %s AND name = %s" for name in chunk),
                [value for name in chunk for value in (name, APP_LABEL, MIGRATION_NAME)])
            rows.update(cursor.fetchall())
    return {name: (columns.get(name, 0), indexes.get(name, 0), rows.get(name, 0)) for name in schemas}


def _stock_seconds_per_schema(sample: list[str]) -> float:
    """Stock django-tenants: its migrate_schemas with its own executor, one schema after another."""
    ours = migrate_schemas_command.GET_EXECUTOR_FUNCTION
    migrate_schemas_command.GET_EXECUTOR_FUNCTION = get_executor
    try:
        started = time.monotonic()
        for name in sample:
            call_command("migrate_schemas", tenant=True, schema_name=name, interactive=False, verbosity=0)
        elapsed = time.monotonic() - started
    finally:
        migrate_schemas_command.GET_EXECUTOR_FUNCTION = ours
        connection.set_schema_to_public()
    states = _states(sample)
    assert all(state == (1, 1, 1) for state in states.values()), states
    return elapsed / len(sample)


def _killed_half_way_then_rerun(folder: Path, module: str, schemas: list[str]) -> int:
    (folder / "bench_migrate_settings.py").write_text(
        f"from config.settings.test import *  # noqa: F403\nMIGRATION_MODULES = {{{APP_LABEL!r}: {module!r}}}\n")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench_migrate_settings",
                   "PYTHONPATH": os.pathsep.join([str(folder), str(REPO_ROOT), str(REPO_ROOT / "platform")])}
    command = [sys.executable, str(REPO_ROOT / "manage.py"), "migrate_schemas", "--tenant", "--verbosity", "0"]
    process = subprocess.Popen(command, env=environment, cwd=REPO_ROOT, start_new_session=True)
    # Half-way: once half the schemas have the index (visible in the catalog once a schema's transaction
    # has committed), without waiting for more.
    started = time.monotonic()
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as raw:
        while process.poll() is None:
            done = raw.execute("SELECT count(*) FROM pg_class WHERE relname = %s AND relkind = 'i'",
                               [INDEX]).fetchone()[0]
            if done >= len(schemas) // 2:
                break
            time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):  # finished before half-way: the assert below says so
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    states = _states(schemas)
    done = sum(state == (1, 1, 1) for state in states.values())
    untouched = sum(state == (0, 0, 0) for state in states.values())
    print(f"killed (SIGKILL) after {time.monotonic() - started:.1f} s: {done} schemas migrated, {untouched} untouched, "
          f"{len(schemas) - done - untouched} in between", flush=True)
    assert process.returncode == -signal.SIGKILL, process.returncode
    rerun = subprocess.run(command, env=environment, cwd=REPO_ROOT)
    assert rerun.returncode == 0, rerun.returncode
    states = _states(schemas)
    return sum(state != (1, 1, 1) for state in states.values())


def run() -> None:
    template = bench_schemas._template_ensure()
    bench_schemas._schemas_ensure(template)
    folder = Path(tempfile.mkdtemp(prefix="iok-bench-migrate-"))
    module = throwaway_migration_module(folder)
    schemas = _all_schemas()
    bench = [name for name in schemas if name.startswith("coop_b")]
    assert len(bench) == bench_schemas.COUNT, len(bench)
    with override_settings(MIGRATION_MODULES={APP_LABEL: module}):
        migration_keys_expected.cache_clear()
        try:
            _undo(schemas)  # what an interrupted earlier run may have left
            sample = bench[-STOCK_SAMPLE:]
            stock = _stock_seconds_per_schema(sample)
            print(f"stock django-tenants migrate_schemas: {stock * 1000:.0f} ms per schema "
                  f"({STOCK_SAMPLE} schemas; {stock * len(bench) / 60:.1f} min for {len(bench)} extrapolated)",
                  flush=True)
            _undo(sample)

            connection.close()
            started = time.monotonic()
            call_command("migrate_schemas", tenant=True, interactive=False, verbosity=1)
            seconds = time.monotonic() - started
            states = _states(schemas)
            assert all(state == (1, 1, 1) for state in states.values()), "not every schema migrated"
            ours = seconds / len(schemas)
            print(f"ours: {len(schemas)} schemas in {seconds:.1f} s ({ours * 1000:.1f} ms per schema, "
                  f"{settings.MIGRATE_SCHEMAS_CONNECTIONS} connections)", flush=True)

            _undo(schemas)
            duplicates = _killed_half_way_then_rerun(folder, module, schemas)
        finally:
            _undo(schemas)
            migration_keys_expected.cache_clear()
    if len(bench) != 3500:
        # BENCH_SCHEMAS set lower (the bench database not yet at 3,500): the measured time per schema × 3,500.
        print(f"measured on {len(schemas)} schemas: {seconds:.1f} s; {ours * 3500:.1f} s for 3,500 at the same rate")
    print(f"BENCH migrate_real_seconds_3500 {ours * 3500 if len(bench) != 3500 else seconds:.1f}")
    print(f"BENCH migrate_real_ratio {ours / stock:.4f}")
    print(f"BENCH migrate_resume_duplicates {duplicates}")
