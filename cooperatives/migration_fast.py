"""Applying the same schema-only migrations to thousands of cooperative schemas at once.

The stock executor runs Django's migrate command once per schema: the migration state is rebuilt in
Python and every statement is a round trip, about a second per schema for a one-column migration
(hours for thousands). Here, for the schemas that miss the same migrations (most often all of them):

1. the plan is checked: every pending migration is atomic and made only of schema operations
   (FAST_OPERATIONS: fields, indexes, constraints, table names and comments, and SchemaLocalSQL: fixed
   SQL on the schema's own tables, such as copying a setting to its new column) — any RunPython, RunSQL,
   model creation or deletion (whose content types and permissions post_migrate writes per schema),
   squashed or non-atomic migration sends the whole group to the stock executor instead;
2. its SQL is generated once, by Django's own schema editor in collect-SQL mode with the connection set
   to one schema of the group (Django writes table, index and constraint names unqualified, so the
   script holds no schema name; what the editor reads from the catalog — constraint names — is the same
   in every schema of the group, all being copies of the template);
3. each schema gets it in ONE round trip, over `connections` parallel connections:
   `BEGIN; SET LOCAL search_path, lock_timeout, statement_timeout; advisory lock on the schema; check
   that none of the plan is recorded; <the SQL>; INSERT INTO django_migrations …; COMMIT`.

A schema's migration is all-or-nothing (DDL is transactional in PostgreSQL and the django_migrations
rows commit with it), so a run killed at any point leaves each schema either migrated and recorded or
untouched; the next run sees the recorded rows and skips those schemas. Two runs at once serialise on
the per-schema advisory lock (transaction-scoped), and the second finds the rows and applies nothing.
A schema whose statements fail (or wait on a lock longer than lock_timeout) is rolled back, reported
with its error, and the others go on; the run then ends with an error listing those schemas.
synchronous_commit is off for these transactions: a crash may lose the last few commits, but each one
whole (its DDL and its rows together), and the next run applies them again.
"""
# ruff: noqa: S608 - SQL here is built from quoted identifiers and literals of migration names

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import psycopg
from django.db.migrations import operations
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.migration import Migration

from iok.db import connection

from .migration_operations import SchemaLocalSQL
from .schema_template import SCHEMAS_PER_QUERY, migration_keys_expected

# Operations whose SQL does not depend on Python code or differ between schemas, and which need nothing
# from post_migrate (no new or removed models: content types and permissions stay as they are).
FAST_OPERATIONS: tuple[type, ...] = (
    operations.AddField, operations.RemoveField, operations.AlterField, operations.RenameField,
    operations.AddIndex, operations.RemoveIndex, operations.RenameIndex,
    operations.AddConstraint, operations.RemoveConstraint,
    operations.AlterUniqueTogether, operations.AlterIndexTogether, operations.AlterOrderWithRespectTo,
    operations.AlterModelTable, operations.AlterModelTableComment, operations.AlterModelManagers,
    SchemaLocalSQL,
)
# Model options that change permissions are written by post_migrate: those go the stock way.
_PERMISSION_OPTIONS = ("permissions", "default_permissions")
# SQLSTATE the script raises when another run has recorded the plan in this schema meanwhile.
ALREADY_APPLIED_STATE = "IK001"


def operation_is_fast(operation) -> bool:
    if isinstance(operation, operations.SeparateDatabaseAndState):
        return all(operation_is_fast(inner) for inner in operation.database_operations)
    if isinstance(operation, operations.AlterModelOptions):
        return not any(name in operation.options for name in _PERMISSION_OPTIONS)
    return isinstance(operation, FAST_OPERATIONS)


def migration_is_fast(migration: Migration) -> bool:
    """Atomic, not squashed, made only of schema operations."""
    return migration.atomic and not migration.replaces and all(map(operation_is_fast, migration.operations))


@dataclass
class FastResult:
    applied: list[str] = field(default_factory=list)
    already_applied: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    # Schemas whose plan cannot take the fast path: the stock executor migrates them.
    stock: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def schemas_missing(*, schema_names: Iterable[str]) -> dict[str, frozenset[str]]:
    """For each schema that is behind, the code's migrations ("app.name") it has not recorded.

    A schema without a django_migrations table misses everything (and is left to the stock executor).
    """
    names = list(dict.fromkeys(schema_names))
    expected = sorted(migration_keys_expected())
    missing: dict[str, frozenset[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid "
            "WHERE n.nspname = ANY(%s) AND c.relname = 'django_migrations' AND c.relkind = 'r'", [names])
        with_table = {row[0] for row in cursor.fetchall()}
        for name in names:
            if name not in with_table:
                missing[name] = frozenset(expected)
        present = [name for name in names if name in with_table]
        for start in range(0, len(present), SCHEMAS_PER_QUERY):
            chunk = present[start:start + SCHEMAS_PER_QUERY]
            parts = [
                f"SELECT %s, array(SELECT e.key FROM expected e EXCEPT "
                f"SELECT m.app || '.' || m.name FROM {_quote(name)}.django_migrations m)"
                for name in chunk
            ]
            cursor.execute("WITH expected(key) AS (SELECT unnest(%s::text[])) " + " UNION ALL ".join(parts),
                           [expected, *chunk])
            for name, keys in cursor.fetchall():
                if keys:
                    missing[name] = frozenset(keys)
    return missing


def _fast_plan(loader: MigrationLoader, missing: frozenset[str]) -> list[Migration] | None:
    """The migrations to apply, in dependency order, or None when they cannot take the fast path."""
    graph = loader.graph
    missing_nodes = {tuple(key.split(".", 1)) for key in missing}
    plan: list[Migration] = []
    seen: set[tuple[str, str]] = set()
    for leaf in graph.leaf_nodes():
        for node in graph.forwards_plan(leaf):
            if node in missing_nodes and node not in seen:
                seen.add(node)
                plan.append(graph.nodes[node])
    if not plan or not all(map(migration_is_fast, plan)):
        return None
    return plan


def plan_sql(*, loader: MigrationLoader, plan: list[Migration], schema_name: str) -> list[str]:
    """The plan's SQL as Django's schema editor writes it for `schema_name` (collected, not run).

    The state the plan starts from is every migration of the code that is not in the plan (the schema
    has recorded all of them).
    """
    planned = {(migration.app_label, migration.name) for migration in plan}
    applied = [node for node in loader.graph.nodes if node not in planned]
    state = loader.graph.make_state(nodes=applied, at_end=True, real_apps=loader.unmigrated_apps)
    statements: list[str] = []
    connection.set_schema(schema_name)
    try:
        for migration in plan:
            with connection.schema_editor(collect_sql=True, atomic=migration.atomic) as editor:
                state = migration.apply(state, editor, collect_sql=True)
            statements.extend(editor.collected_sql)
    finally:
        connection.set_schema_to_public()
    return statements


def schema_script(*, schema_name: str, plan: list[Migration], statements: list[str], lock_timeout_ms: int,
                  statement_timeout_ms: int) -> str:
    """One schema's whole migration, for one round trip."""
    rows = [(migration.app_label, migration.name) for migration in plan]
    keys = ", ".join(f"({_literal(app)}, {_literal(name)})" for app, name in rows)
    values = ", ".join(f"({_literal(app)}, {_literal(name)}, now())" for app, name in rows)
    body = "\n".join(statement if statement.rstrip().endswith(";") else f"{statement};" for statement in statements)
    return (
        "BEGIN;\n"
        f"SET LOCAL search_path = {_quote(schema_name)}, public;\n"
        f"SET LOCAL lock_timeout = {int(lock_timeout_ms)};\n"
        f"SET LOCAL statement_timeout = {int(statement_timeout_ms)};\n"
        "SET LOCAL synchronous_commit = off;\n"
        f"SELECT pg_advisory_xact_lock(hashtext({_literal('iok-migrate:' + schema_name)}));\n"
        f"DO $iok$ BEGIN IF EXISTS (SELECT FROM django_migrations WHERE (app, name) IN ({keys})) THEN "
        f"RAISE EXCEPTION 'already applied' USING ERRCODE = '{ALREADY_APPLIED_STATE}'; END IF; END $iok$;\n"
        f"{body}\n"
        f"INSERT INTO django_migrations (app, name, applied) VALUES {values};\n"
        "COMMIT;"
    )


def _connection_parameters() -> dict:
    params = dict(connection.get_connection_params())
    for name in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(name, None)
    return params


def schemas_migrate_fast(*, schema_names: Iterable[str], connections: int, lock_timeout_ms: int,
                         statement_timeout_ms: int, report: Callable[[str], None] | None = None) -> FastResult:
    """Migrate every given schema that is behind: the fast way where its plan allows, and list the
    others in `stock` for the caller to hand to the stock executor. Never raises for one schema's
    failure: `failed` names each with its error."""
    started = time.monotonic()
    result = FastResult()
    missing = schemas_missing(schema_names=schema_names)
    groups: dict[frozenset[str], list[str]] = {}
    for name, keys in missing.items():
        groups.setdefault(keys, []).append(name)
    loader = MigrationLoader(None, ignore_no_migrations=True)
    jobs: list[tuple[str, str]] = []
    for keys, names in groups.items():
        plan = _fast_plan(loader, keys) if keys != migration_keys_expected() else None
        if plan is None:
            result.stock.extend(names)
            continue
        statements = plan_sql(loader=loader, plan=plan, schema_name=names[0])
        if report:
            report(f"{len(names)} schema(s) to migrate in one transaction each: "
                   f"{', '.join(f'{m.app_label}.{m.name}' for m in plan)} ({len(statements)} statement(s))")
        jobs.extend((name, schema_script(schema_name=name, plan=plan, statements=statements,
                                         lock_timeout_ms=lock_timeout_ms,
                                         statement_timeout_ms=statement_timeout_ms)) for name in names)
    if jobs:
        schema_scripts_run(jobs, connections=max(1, connections), result=result)
    result.seconds = time.monotonic() - started
    return result


def schema_scripts_run(jobs: list[tuple[str, str]], *, connections: int, result: FastResult) -> None:
    """Run each (schema, script) job, `connections` at a time on connections of their own; each job's
    outcome goes into `result` (applied, already applied or failed with its error)."""
    params = _connection_parameters()
    local = threading.local()
    opened: list[psycopg.Connection] = []
    lock = threading.Lock()

    def run(job: tuple[str, str]) -> None:
        schema_name, script = job
        raw = getattr(local, "connection", None)
        try:
            if raw is None or raw.closed:
                raw = local.connection = psycopg.connect(**params, autocommit=True)
                with lock:
                    opened.append(raw)
            raw.execute(script)
        except psycopg.Error as error:
            if raw is not None and not raw.closed and raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                try:
                    raw.execute("ROLLBACK")
                except psycopg.Error:
                    raw.close()  # the next schema of this thread opens a new connection
            with lock:
                if error.sqlstate == ALREADY_APPLIED_STATE:
                    result.already_applied.append(schema_name)
                else:
                    result.failed[schema_name] = str(error).strip().splitlines()[0]
            return
        with lock:
            result.applied.append(schema_name)

    try:
        with ThreadPoolExecutor(max_workers=connections) as pool:
            list(pool.map(run, jobs))
    finally:
        for raw in opened:
            raw.close()
