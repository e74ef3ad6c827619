"""New cooperatives are copies of a migrated template schema; migrate_schemas skips schemas with
nothing to apply but still applies real migrations everywhere, the template included."""
# ruff: noqa: S608 - schema names in these queries are the tests' own constants

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperatives.models import Cooperative, Domain
from cooperatives.schema_template import (
    _template_fingerprint,
    clone_script_shared,
    migration_keys_expected,
    schemas_behind,
    template_clone,
    template_schema_name,
)
from operators.services import cooperative_create

TEMPLATE = "cooperative_template"


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def _snapshot(schema: str) -> dict[str, list[tuple]]:
    """Everything a schema is made of, as the catalog describes it, and the rows migrations put in it."""
    namespace = "(SELECT oid FROM pg_namespace WHERE nspname = %s)"
    return {
        "tables": _rows(f"SELECT relname FROM pg_class WHERE relnamespace = {namespace} AND relkind = 'r' "
                        "ORDER BY 1", [schema]),
        "columns": _rows(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity, "
            "a.attgenerated, pg_get_expr(d.adbin, d.adrelid), a.attcollation, "
            "row_number() OVER (PARTITION BY c.relname ORDER BY a.attnum) "
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            f"WHERE c.relnamespace = {namespace} AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY 1, 2", [schema]),
        "constraints": _rows(
            # Foreign keys name their table with its schema (not on the search path here): drop the schema.
            "SELECT c.relname, o.conname, o.contype, replace(pg_get_constraintdef(o.oid), quote_ident(%s) || '.', ''), "
            "o.condeferrable, o.condeferred FROM pg_constraint o JOIN pg_class c ON c.oid = o.conrelid "
            f"WHERE c.relnamespace = {namespace} ORDER BY 1, 2", [schema, schema]),
        "indexes": _rows(
            "SELECT tablename, indexname, replace(indexdef, ' ON ' || quote_ident(schemaname) || '.', ' ON ') "
            "FROM pg_indexes WHERE schemaname = %s ORDER BY 1, 2", [schema]),
        "sequences": _rows(
            "SELECT sequencename, data_type::text, start_value, min_value, max_value, increment_by, cycle, "
            "cache_size FROM pg_sequences WHERE schemaname = %s ORDER BY 1", [schema]),
        # Where each sequence stands: a clone continues from its template's position (which a rolled-back
        # transaction can have moved, so this is compared with the template, not with a migrated schema).
        "sequence_positions": _rows("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = %s "
                                    "ORDER BY 1", [schema]),
        "migrations": _rows(f'SELECT app, name FROM "{schema}".django_migrations ORDER BY 1, 2', []),
        # Ids differ between a template migrated step by step and a schema migrated at once (content
        # types are numbered in the order they appeared), so rows are compared by what they say.
        "content_types": _rows(f'SELECT app_label, model FROM "{schema}".django_content_type ORDER BY 1, 2', []),
        "permissions": _rows(
            f'SELECT t.app_label, t.model, p.codename, p.name FROM "{schema}".auth_permission p '
            f'JOIN "{schema}".django_content_type t ON t.id = p.content_type_id ORDER BY 1, 2, 3', []),
    }


def _migrate_from_scratch(schema: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema}"')
    call_command("migrate_schemas", tenant=True, schema_name=schema, interactive=False, verbosity=0)
    connection.set_schema_to_public()


def test_a_cloned_schema_is_identical_to_a_migrated_one(db):
    _migrate_from_scratch("coop_cmp_migrated")
    template_clone(schema_name="coop_cmp_cloned")

    migrated, cloned = _snapshot("coop_cmp_migrated"), _snapshot("coop_cmp_cloned")
    assert len(migrated["tables"]) > 40
    assert {f"{app}.{name}" for app, name in migrated["migrations"]} == migration_keys_expected()
    for part in migrated.keys() - {"sequence_positions"}:
        assert cloned[part] == migrated[part], part
    assert cloned["sequence_positions"] == _snapshot(TEMPLATE)["sequence_positions"]


def test_the_template_is_fully_migrated_but_no_cooperative_and_not_routable(coop_a):
    assert template_schema_name() == TEMPLATE
    assert schemas_behind(schema_names=[TEMPLATE]) == []
    assert not Cooperative.objects.filter(schema_name=TEMPLATE).exists()
    assert not Domain.objects.filter(tenant__schema_name=TEMPLATE).exists()
    assert _rows(f'SELECT count(*) FROM "{TEMPLATE}".accounts_user', []) == [(0,)]


def test_onboarding_clones_the_template_and_the_new_schema_has_no_migration_to_apply(db):
    created = cooperative_create(name="Spółdzielnia Mieszkaniowa „Delta”", slug="delta", admin_email="a@delta.example")

    assert created.cooperative.schema_name == "coop_delta"
    assert schemas_behind(schema_names=["coop_delta"]) == []
    snapshot, template = _snapshot("coop_delta"), _snapshot(TEMPLATE)
    for part in template.keys() - {"sequence_positions"}:  # onboarding then adds the admin, audit rows...
        assert snapshot[part] == template[part], part


def test_migrate_schemas_with_nothing_to_apply_runs_no_migrate_command_per_schema(coop_a, coop_b, capsys):
    capsys.readouterr()
    with CaptureQueriesContext(connection) as queries:
        call_command("migrate_schemas", interactive=False, verbosity=1)

    # The stock command prints "=== Starting migration" for every schema it runs migrate in.
    schemas = Cooperative.objects.count() + 1  # and the template
    assert capsys.readouterr().out.splitlines() == [
        "[migrate_schemas] 1 schema(s) checked, 1 up to date, 0 to migrate",
        f"[migrate_schemas] {schemas} schema(s) checked, {schemas} up to date, 0 to migrate",
    ]
    # A handful of queries whatever the number of schemas: no per-schema round trips.
    assert len(queries.captured_queries) < 15


@pytest.mark.parametrize("schema", ["coop_alfa", TEMPLATE])
def test_migrate_schemas_applies_a_missing_migration_to_the_schemas_behind(coop_a, coop_b, schema):
    # Make one schema behind: forget a leaf migration (the job runs' table) and undo what it did.
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s',
                       ["jobs", "0001_initial"])
        cursor.execute(f'DROP TABLE "{schema}".jobs_jobrun')
    assert schemas_behind(schema_names=["coop_alfa", "coop_beta", TEMPLATE]) == [schema]

    call_command("migrate_schemas", interactive=False, verbosity=0)

    assert schemas_behind(schema_names=["coop_alfa", "coop_beta", TEMPLATE]) == []
    assert _rows("SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
                 "AND table_name = 'jobs_jobrun' AND column_name = 'outcome'", [schema]) == [("outcome",)]


def test_after_migrating_the_template_its_clone_script_waits_in_the_shared_cache(coop_a):
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{TEMPLATE}".django_migrations WHERE app = %s AND name = %s',
                       ["jobs", "0001_initial"])
        cursor.execute(f'DROP TABLE "{TEMPLATE}".jobs_jobrun')

    call_command("migrate_schemas", interactive=False, verbosity=0)

    with connection.cursor() as cursor:
        fingerprint = _template_fingerprint(cursor, TEMPLATE)
    script = clone_script_shared(fingerprint)
    assert "jobs_jobrun" in script.tables
