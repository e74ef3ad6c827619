"""The template schema new cooperatives are cloned from, and the migration state of every schema.

Running every migration for a new cooperative takes seconds (the migration state is rebuilt in Python
for each of them); copying a schema that is already migrated takes a fraction of that. The template
(`COOPERATIVE_TEMPLATE_SCHEMA`) is a cooperative schema with no cooperative: `migrate_schemas` keeps it
migrated along with every cooperative (cooperatives.migration_executor), and no Domain or Cooperative
row points at it, so it is never routed to and never listed.

django-tenants can clone a TENANT_BASE_SCHEMA too, but its PL/pgSQL clone_schema walks the catalog one
object at a time (over a second for our ~50 tables) and then runs `migrate --fake`. Here the template's
definition is read from the catalog in a few set-based queries, turned into one SQL script, kept while
the template's migration state is unchanged, and run in one round trip: tables, the rows migrations put
there (content types, permissions, django_migrations), identity sequence positions, then constraints and
indexes under their original names. A test compares a cloned schema with a migrated one object by object.

The cloner copies what Django migrations create: tables, identity columns, defaults, constraints,
indexes and comments. A template holding anything else (views, triggers, functions, free-standing
sequences, row security, ...) is refused, and the new cooperative is migrated the long way instead.
"""
# ruff: noqa: S608 - SQL here is assembled from catalog names quoted with quote_name; values are parameters

import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.db.migrations.loader import MigrationLoader

from iok.cache import cache_seal, cache_unseal
from iok.db import connection

logger = logging.getLogger(__name__)

# How many schemas one catalog-wide query reads: every table a query touches holds a lock until the
# transaction ends, and the lock table is shared by all connections (max_locks_per_transaction).
SCHEMAS_PER_QUERY = 250
# The clone script is cached under the template's migration state, so a new state gets a new key.
SCRIPT_CACHE_SECONDS = 30 * 24 * 3600


def template_schema_name() -> str:
    return settings.COOPERATIVE_TEMPLATE_SCHEMA


class TemplateUnusable(Exception):
    """The template is missing or holds objects the cloner does not copy."""


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# --- migration state ----------------------------------------------------------------------------------

@cache
def migration_keys_expected() -> frozenset[str]:
    """Every migration of the code, as "app.name", that a fully migrated schema has recorded.

    Django records every migration in every schema's django_migrations (the router only skips the
    operations of apps that live elsewhere), so public and cooperative schemas expect the same set. A
    squashed migration is recorded as the migrations it replaces, so those are expected instead.
    """
    loader = MigrationLoader(None, ignore_no_migrations=True)
    keys: set[str] = set()
    for node in loader.graph.nodes:
        migration = loader.graph.nodes[node]
        for app_label, name in migration.replaces or [node]:
            keys.add(f"{app_label}.{name}")
    return frozenset(keys)


def schemas_behind(*, schema_names: Iterable[str]) -> list[str]:
    """The schemas (in the given order) that miss at least one of the code's migrations.

    One query per SCHEMAS_PER_QUERY schemas compares each schema's django_migrations with the
    migration graph; a schema that does not exist or has no django_migrations table is behind.
    """
    names = list(dict.fromkeys(schema_names))
    if not names:
        return []
    expected = sorted(migration_keys_expected())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid "
            "WHERE n.nspname = ANY(%s) AND c.relname = 'django_migrations' AND c.relkind = 'r'", [names])
        with_table = [row[0] for row in cursor.fetchall()]
        recorded: dict[str, int] = {}
        for start in range(0, len(with_table), SCHEMAS_PER_QUERY):
            chunk = with_table[start:start + SCHEMAS_PER_QUERY]
            # Schema names are quoted identifiers here; their values travel as parameters.
            parts = [
                f"SELECT %s, count(DISTINCT m.app || '.' || m.name) FROM {_quote(name)}.django_migrations m "
                "JOIN expected e ON e.key = m.app || '.' || m.name"
                for name in chunk
            ]
            cursor.execute("WITH expected(key) AS (SELECT unnest(%s::text[])) " + " UNION ALL ".join(parts),
                           [expected, *chunk])
            recorded.update(cursor.fetchall())
    return [name for name in names if recorded.get(name, -1) < len(expected)]


# --- the template -----------------------------------------------------------------------------------

def template_schema_ensure() -> None:
    """Create the (empty) template schema if it is missing; migrate_schemas then migrates it."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {_quote(template_schema_name())}")


@dataclass(frozen=True)
class CloneScript:
    """SQL that builds a copy of the template in the schema first on the search path (names in it are
    unqualified; only the template, which rows are copied from, is named)."""

    tables: str
    rows: str
    foreign_keys_and_comments: str


_scripts: dict[tuple, CloneScript] = {}


def _template_fingerprint(cursor, template: str) -> tuple | None:
    cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [template])
    row = cursor.fetchone()
    if row is None:
        return None
    cursor.execute("SELECT to_regclass(%s)", [f"{_quote(template)}.django_migrations"])
    if cursor.fetchone()[0] is None:
        return None
    cursor.execute(f"SELECT count(*), max(id), max(applied) FROM {_quote(template)}.django_migrations")
    return (row[0], *cursor.fetchone())


def _refuse_unsupported(cursor, namespace: int, table_oids: list[int]) -> None:
    checks = {
        "relations other than tables, indexes and identity sequences": (
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = %s AND (c.relkind NOT IN ('r', 'i', 'S') "
            "OR c.relpersistence <> 'p' OR c.relrowsecurity OR c.relispartition OR c.reloptions IS NOT NULL "
            "OR (c.relkind = 'S' AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid "
            "AND d.classid = 'pg_class'::regclass AND d.deptype = 'i')))", [namespace]),
        "triggers or rules": (
            "SELECT t.tgname FROM pg_trigger t WHERE t.tgrelid = ANY(%s) AND NOT t.tgisinternal "
            "UNION ALL SELECT r.rulename FROM pg_rewrite r WHERE r.ev_class = ANY(%s)", [table_oids, table_oids]),
        "functions, types or other objects": (
            "SELECT p.proname FROM pg_proc p WHERE p.pronamespace = %s "
            "UNION ALL SELECT t.typname FROM pg_type t WHERE t.typnamespace = %s AND t.typrelid = 0 "
            "AND t.typelem = 0 UNION ALL SELECT e.extname FROM pg_extension e WHERE e.extnamespace = %s "
            "UNION ALL SELECT o.conname FROM pg_constraint o WHERE o.connamespace = %s AND o.conrelid = 0",
            [namespace] * 4),
        "inherited tables or constraint kinds other than primary key, unique, check, foreign key, exclusion": (
            "SELECT o.conname FROM pg_constraint o WHERE o.conrelid = ANY(%s) "
            "AND (o.contype NOT IN ('p', 'u', 'c', 'f', 'x') OR NOT o.conislocal) "
            "UNION ALL SELECT i.inhrelid::regclass::text FROM pg_inherits i WHERE i.inhrelid = ANY(%s)",
            [table_oids, table_oids]),
        "column defaults that use a sequence": (
            "SELECT d.adrelid::regclass::text FROM pg_attrdef d WHERE d.adrelid = ANY(%s) "
            "AND pg_get_expr(d.adbin, d.adrelid) LIKE '%%nextval(%%'", [table_oids]),
    }
    for what, (sql, params) in checks.items():
        cursor.execute(sql, params)
        found = [row[0] for row in cursor.fetchall()]
        if found:
            raise TemplateUnusable(f"the template holds {what}: {', '.join(sorted(found)[:10])}")


def _script_build(cursor, template: str) -> CloneScript:
    """Read the template's definition from the catalog (search_path = the template only, so that
    references between its own tables come out unqualified) and write the clone script."""
    cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [template])
    namespace = cursor.fetchone()[0]
    cursor.execute(
        "SELECT c.oid, c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c "
        "WHERE c.relnamespace = %s AND c.relkind = 'r' ORDER BY c.relname", [namespace])
    tables = cursor.fetchall()
    table_oids = [oid for oid, _, _ in tables]
    _refuse_unsupported(cursor, namespace, table_oids)

    cursor.execute(
        "SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity, "
        "a.attgenerated, pg_get_expr(d.adbin, d.adrelid), "
        "CASE WHEN a.attcollation <> t.typcollation THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) "
        "END, col_description(a.attrelid, a.attnum) "
        "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
        "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "LEFT JOIN pg_collation co ON co.oid = a.attcollation LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace "
        "WHERE a.attrelid = ANY(%s) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum",
        [table_oids])
    columns: dict[int, list[tuple]] = {}
    for row in cursor.fetchall():
        columns.setdefault(row[0], []).append(row[1:])

    cursor.execute(
        "SELECT d.refobjid, a.attname, s.relname, q.seqstart, q.seqincrement, q.seqmin, q.seqmax, q.seqcache, "
        "q.seqcycle FROM pg_depend d JOIN pg_class s ON s.oid = d.objid JOIN pg_sequence q ON q.seqrelid = s.oid "
        "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
        "WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'i' "
        "AND d.refobjid = ANY(%s) AND s.relkind = 'S'", [table_oids])
    identities = {(row[0], row[1]): row[2:] for row in cursor.fetchall()}

    cursor.execute(
        "SELECT o.conrelid, o.conname, o.contype, pg_get_constraintdef(o.oid), o.conindid, "
        "obj_description(o.oid, 'pg_constraint') FROM pg_constraint o WHERE o.conrelid = ANY(%s) "
        "ORDER BY o.conrelid, o.conname", [table_oids])
    constraints = cursor.fetchall()
    constraint_indexes = {row[4] for row in constraints if row[4]}
    # pg_get_indexdef always names the table with its schema; the clone's indexes go on its own tables.
    cursor.execute(
        "SELECT i.indexrelid, pg_get_indexdef(i.indexrelid), obj_description(i.indexrelid, 'pg_class'), "
        "' ON ' || quote_ident(%s) || '.' FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = ANY(%s) ORDER BY c.relname", [template, table_oids])
    indexes = [row for row in cursor.fetchall() if row[0] not in constraint_indexes]

    names = {oid: name for oid, name, _ in tables}
    # Keys and checks go into CREATE TABLE itself and each table's foreign keys into one ALTER TABLE:
    # a statement per table, not one per constraint, is most of what makes the clone fast.
    inline: dict[int, list[str]] = {}
    foreign: dict[int, list[str]] = {}
    comments = []
    for conrelid, name, kind, definition, _, comment in constraints:
        deferred_to_alter = kind == "f" or "NOT VALID" in definition
        (foreign if deferred_to_alter else inline).setdefault(conrelid, []).append(
            f"CONSTRAINT {_quote(name)} {definition}")
        if comment is not None:
            comments.append(f"COMMENT ON CONSTRAINT {_quote(name)} ON {_quote(names[conrelid])} IS {_literal(comment)}")

    create, copy = [], []
    for oid, table, table_comment in tables:
        definitions, insert_columns, has_identity = [], [], False
        for name, type_, not_null, identity, generated, default, collation, comment in columns.get(oid, []):
            parts = [_quote(name), type_]
            if collation:
                parts.append(f"COLLATE {collation}")
            if generated == "s":
                parts.append(f"GENERATED ALWAYS AS ({default}) STORED")
            elif default is not None:
                parts.append(f"DEFAULT {default}")
            if identity:
                sequence, start, increment, minimum, maximum, cache_size, cycle = identities[(oid, name)]
                kind = "ALWAYS" if identity == "a" else "BY DEFAULT"
                parts.append(
                    f"GENERATED {kind} AS IDENTITY (SEQUENCE NAME {_quote(sequence)} START WITH {start} "
                    f"INCREMENT BY {increment} MINVALUE {minimum} MAXVALUE {maximum} CACHE {cache_size} "
                    f"{'CYCLE' if cycle else 'NO CYCLE'})")
                has_identity = True
            if not_null:
                parts.append("NOT NULL")
            definitions.append(" ".join(parts))
            if generated != "s":
                insert_columns.append(_quote(name))
            if comment is not None:
                comments.append(f"COMMENT ON COLUMN {_quote(table)}.{_quote(name)} IS {_literal(comment)}")
            if identity:
                # The sequence continues where the template's stands (rows migrations inserted).
                copy.append(f"SELECT setval({_literal(_quote(sequence))}, s.last_value, s.is_called) "
                            f"FROM {_quote(template)}.{_quote(sequence)} s")
        create.append(f"CREATE TABLE {_quote(table)} ({', '.join(definitions + inline.get(oid, []))})")
        if table_comment is not None:
            comments.append(f"COMMENT ON TABLE {_quote(table)} IS {_literal(table_comment)}")
        listed = ", ".join(insert_columns)
        overriding = " OVERRIDING SYSTEM VALUE" if has_identity else ""
        copy.append(f"INSERT INTO {_quote(table)} ({listed}){overriding} "
                    f"SELECT {listed} FROM {_quote(template)}.{_quote(table)}")

    index_statements = []
    for _, definition, comment, template_prefix in indexes:
        if template_prefix not in definition:
            raise TemplateUnusable(f"unexpected index definition: {definition}")
        index_statements.append(definition.replace(template_prefix, " ON ", 1))
        if comment is not None:
            index_name = definition.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
            comments.append(f"COMMENT ON INDEX {index_name} IS {_literal(comment)}")
    alters = [f"ALTER TABLE {_quote(names[oid])} {', '.join(f'ADD {c}' for c in added)}"
              for oid, added in foreign.items()]

    def script(statements: list[str]) -> str:
        return "".join(f"{statement};\n" for statement in statements)

    # The rows go in last but for the foreign keys: there are few (content types, permissions,
    # django_migrations), and the keys checked on insert are the ones a migrated schema has.
    return CloneScript(tables=script(create + index_statements), rows=script(copy),
                       foreign_keys_and_comments=script(alters + comments))


def _script_cache_key(fingerprint: tuple) -> str:
    return "clone-script:" + ":".join(str(part) for part in fingerprint)


def clone_script_shared(fingerprint: tuple) -> CloneScript | None:
    """The script in the shared cache: SQL this process will run, so taken only with its signature for
    this very template version (iok.cache.cache_seal)."""
    key = _script_cache_key(fingerprint)
    sealed = cache_unseal(caches["platform"].get(key), scope=key)
    return CloneScript(**sealed) if sealed is not None else None


def _clone_script(template: str) -> CloneScript:
    """The clone script of the template as it is now: from this process's memory, else from the shared
    cache (migrate_schemas puts it there after migrating the template), else read from the catalog.

    Reading the catalog costs a few scans of pg_class and pg_trigger, which grow with every schema (a
    fraction of a second with a thousand cooperatives), so it is done once per template version.
    """
    with connection.cursor() as cursor:
        fingerprint = _template_fingerprint(cursor, template)
    if fingerprint is None:
        raise TemplateUnusable(f"the template schema {template} does not exist or was never migrated")
    script = _scripts.get(fingerprint)
    if script is None:
        script = clone_script_shared(fingerprint)
        if script is None:
            connection.set_schema(template, include_public=False)
            try:
                with connection.cursor() as cursor:
                    script = _script_build(cursor, template)
            finally:
                connection.set_schema_to_public()
            key = _script_cache_key(fingerprint)
            caches["platform"].set(key, cache_seal(asdict(script), scope=key), SCRIPT_CACHE_SECONDS)
        _scripts.clear()
        _scripts[fingerprint] = script
    return script


def clone_script_prepare() -> bool:
    """Have the template's clone script ready (after migrate_schemas migrated the template); False when
    the template cannot be cloned, which onboarding then works around."""
    try:
        _clone_script(template_schema_name())
    except TemplateUnusable as reason:
        logger.warning("New cooperatives will be migrated from scratch: %s", reason)
        return False
    return True


def template_clone(*, schema_name: str) -> None:
    """Create `schema_name` as a copy of the template, in the caller's transaction.

    Raises TemplateUnusable (having changed nothing) when the template cannot be cloned; the schema
    may then lack migrations the code has, which the caller applies (migrate_schemas --schema).
    """
    template = template_schema_name()
    script = _clone_script(template)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {_quote(schema_name)}")
    connection.set_schema(schema_name, include_public=False)
    try:
        with connection.cursor() as cursor:
            # One round trip: the tables with their keys and indexes, their rows, then the foreign keys
            # once every table they point at exists.
            cursor.execute(script.tables + script.rows + script.foreign_keys_and_comments)
    finally:
        connection.set_schema_to_public()


def clone_script_forget(*, shared: bool = False) -> None:
    """Forget the script in this process (and, with shared=True, in the shared cache too)."""
    if shared:
        with connection.cursor() as cursor:
            fingerprint = _template_fingerprint(cursor, template_schema_name())
        if fingerprint is not None:
            caches["platform"].delete(_script_cache_key(fingerprint))
    _scripts.clear()
