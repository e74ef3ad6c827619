"""migrate_schemas' fast path (cooperatives.migration_fast): a schema-only migration generated once and
applied to several schemas, one transaction and one round trip each, with its django_migrations rows;
a failing schema is reported and the others finish; a rerun applies nothing twice; SchemaLocalSQL runs in
every schema; RunPython goes the stock way. The migration is a throwaway one (tests/migration_modules.py),
never one of the project's."""
# ruff: noqa: S608 - schema names in these queries are the tests' own constants

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.test.utils import override_settings

from cooperatives.migration_fast import migration_is_fast, schemas_migrate_fast
from cooperatives.schema_template import migration_keys_expected, schemas_behind, template_clone
from tests.migration_modules import (
    APP_LABEL,
    COLUMN,
    INDEX,
    MIGRATION_NAME,
    SQL_COMMENT,
    TABLE,
    throwaway_migration_module,
)

# One xdist worker runs them all, one after another: they share the schemas coop_fastmig_1…4 and the
# throwaway migration's column.
pytestmark = pytest.mark.xdist_group("fastmig")

SCHEMAS = [f"coop_fastmig_{number}" for number in range(1, 5)]


def _scalar(sql: str, params: list | None = None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def _state(schema: str) -> tuple[int, int, int]:
    """(the column, the index, the migration's rows): each 1 once migrated, 0 before."""
    return (
        _scalar("SELECT count(*) FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
                "AND column_name = %s", [schema, TABLE, COLUMN]),
        _scalar("SELECT count(*) FROM pg_indexes WHERE schemaname = %s AND indexname = %s", [schema, INDEX]),
        _scalar(f'SELECT count(*) FROM "{schema}".django_migrations WHERE app = %s AND name = %s',
                [APP_LABEL, MIGRATION_NAME]),
    )


@pytest.fixture
def schemas(django_db_setup, django_db_blocker):
    """Four committed copies of the template (the fast path works on other connections), dropped after."""
    with django_db_blocker.unblock():
        for name in SCHEMAS:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')  # left by an interrupted run
                template_clone(schema_name=name)
        yield SCHEMAS
        with connection.cursor() as cursor:
            for name in SCHEMAS:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        connection.close()


@pytest.fixture
def throwaway(tmp_path, request):
    """MIGRATION_MODULES pointing registry at a copy of its migrations plus the throwaway one."""
    step = getattr(request, "param", None)  # "python" or "sql": the migration's extra step
    module = throwaway_migration_module(tmp_path, with_python=step == "python", with_sql=step == "sql")
    migration_keys_expected.cache_clear()
    with override_settings(MIGRATION_MODULES={APP_LABEL: module}):
        yield
    migration_keys_expected.cache_clear()


def _fast(**overrides):
    return schemas_migrate_fast(**{"schema_names": SCHEMAS, "connections": 2, "lock_timeout_ms": 2000,
                                   "statement_timeout_ms": 60000, **overrides})


def test_the_fast_path_migrates_every_schema_with_its_rows_in_one_go(schemas, throwaway):
    assert schemas_behind(schema_names=SCHEMAS) == SCHEMAS
    assert [_state(name) for name in SCHEMAS] == [(0, 0, 0)] * 4

    result = _fast()

    assert sorted(result.applied) == SCHEMAS
    assert (result.already_applied, result.failed, result.stock) == ([], {}, [])
    assert [_state(name) for name in SCHEMAS] == [(1, 1, 1)] * 4
    assert schemas_behind(schema_names=SCHEMAS) == []
    # Django drops the default once existing rows have it; everything the code has is recorded.
    assert _scalar('SELECT column_default FROM information_schema.columns WHERE table_schema = %s '
                   "AND table_name = %s AND column_name = %s", [SCHEMAS[0], TABLE, COLUMN]) is None
    assert _scalar(f'SELECT count(*) FROM "{SCHEMAS[0]}".django_migrations') == len(migration_keys_expected())


def test_a_failing_schema_is_reported_the_others_finish_and_a_rerun_applies_nothing_twice(schemas, throwaway):
    # coop_fastmig_3 already has a column of that name: its ALTER TABLE fails.
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{SCHEMAS[2]}".{TABLE} ADD COLUMN {COLUMN} integer')

    first = _fast()

    assert sorted(first.applied) == [SCHEMAS[0], SCHEMAS[1], SCHEMAS[3]]
    assert list(first.failed) == [SCHEMAS[2]]
    assert f'column "{COLUMN}" of relation "{TABLE}" already exists' in first.failed[SCHEMAS[2]]
    # The failed schema is as it was: no index, no row (the conflicting column is the test's own).
    assert _state(SCHEMAS[2]) == (1, 0, 0)

    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{SCHEMAS[2]}".{TABLE} DROP COLUMN {COLUMN}')
    second = _fast()

    assert second.applied == [SCHEMAS[2]]
    assert (second.already_applied, second.failed) == ([], {})
    assert [_state(name) for name in SCHEMAS] == [(1, 1, 1)] * 4


def test_a_schema_recorded_meanwhile_by_another_run_is_not_applied_again(schemas, throwaway):
    from django.db.migrations.loader import MigrationLoader

    from cooperatives.migration_fast import plan_sql, schema_script

    loader = MigrationLoader(None, ignore_no_migrations=True)
    plan = [loader.graph.nodes[(APP_LABEL, MIGRATION_NAME)]]
    script = schema_script(schema_name=SCHEMAS[0], plan=plan,
                           statements=plan_sql(loader=loader, plan=plan, schema_name=SCHEMAS[0]),
                           lock_timeout_ms=2000, statement_timeout_ms=60000)
    _fast(schema_names=[SCHEMAS[0]])
    assert _state(SCHEMAS[0]) == (1, 1, 1)

    # The same script run again (a second migrate_schemas that read the state before the first committed)
    # finds the rows under the schema's lock and changes nothing.
    with pytest.raises(Exception, match="already applied"), connection.cursor() as cursor:
        cursor.execute(script)
    connection.close()
    assert _state(SCHEMAS[0]) == (1, 1, 1)


def test_migrate_schemas_reports_a_failed_schema_and_exits_with_an_error(schemas, throwaway, capsys):
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{SCHEMAS[1]}".{TABLE} ADD COLUMN {COLUMN} integer')

    with pytest.raises(CommandError, match=f"1 schema\\(s\\) not migrated .*{SCHEMAS[1]}: .*already exists"):
        call_command("migrate_schemas", tenant=True, schema_name=SCHEMAS[1], interactive=False, verbosity=1)
    call_command("migrate_schemas", tenant=True, schema_name=SCHEMAS[0], interactive=False, verbosity=1)

    output = capsys.readouterr()
    assert f"[migrate_schemas] {SCHEMAS[1]}: FAILED: " in output.err
    assert "1 schema(s) migrated in one transaction each, 0 already migrated by another run, 0 failed" in output.out
    assert _state(SCHEMAS[0]) == (1, 1, 1)
    assert _state(SCHEMAS[1]) == (1, 0, 0)


@pytest.mark.parametrize("throwaway", ["sql"], indirect=True)
def test_a_migration_with_schema_local_sql_takes_the_fast_path_and_runs_it_in_every_schema(schemas, throwaway):
    result = _fast()

    assert (sorted(result.applied), result.stock, result.failed) == (SCHEMAS, [], {})
    assert [_state(name) for name in SCHEMAS] == [(1, 1, 1)] * 4
    assert [_scalar("SELECT col_description(%s::regclass, attnum) FROM pg_attribute WHERE attrelid = %s::regclass "
                    "AND attname = %s", [f'"{name}".{TABLE}', f'"{name}".{TABLE}', COLUMN])
            for name in SCHEMAS] == [SQL_COMMENT] * 4


@pytest.mark.parametrize("throwaway", ["python"], indirect=True)
def test_a_migration_that_runs_python_takes_the_stock_executor(schemas, throwaway, capsys):
    result = _fast()
    assert sorted(result.stock) == SCHEMAS
    assert (result.applied, result.failed) == ([], {})
    assert [_state(name) for name in SCHEMAS] == [(0, 0, 0)] * 4

    call_command("migrate_schemas", tenant=True, schema_name=SCHEMAS[0], interactive=False, verbosity=1)

    assert "Applying registry.9000_throwaway_flag... OK" in capsys.readouterr().out
    assert _state(SCHEMAS[0]) == (1, 1, 1)


@pytest.mark.parametrize("key", ["configuration.0013_payment_day", "fee_notices.0003_payment_day_in_configuration"])
def test_this_releases_migrations_take_the_fast_path(key):
    """The payment day's move (a column, and its value copied in SQL) reaches 3,500 schemas in seconds, not hours."""
    app_label, name = key.split(".")
    assert migration_is_fast(MigrationLoader(None, ignore_no_migrations=True).get_migration(app_label, name))
