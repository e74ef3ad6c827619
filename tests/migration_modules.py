"""Throwaway migrations for the tests (and `make bench ONLY=migrate`) of migrate_schemas' fast path.

The project's apps never get a migration for this: a copy of one tenant app's migrations, plus one
extra migration after its last, is written into a temporary package that MIGRATION_MODULES points the
app at for the duration. The extra migration adds a column with a default and an index to a tenant
table (registry_unit), and optionally a RunPython step (which sends the plan to the stock executor) or a
SchemaLocalSQL step (which does not).
"""

import shutil
import sys
import uuid
from pathlib import Path

APP_LABEL = "registry"
APP_MIGRATIONS = Path(__file__).resolve().parents[1] / "tenants_portal" / "registry" / "migrations"
TABLE = "registry_unit"
COLUMN = "throwaway_flag"
INDEX = "registry_unit_throwaway_idx"
MIGRATION_NAME = "9000_throwaway_flag"

_EXTRA = '''from django.db import migrations, models

from cooperatives.migration_operations import SchemaLocalSQL


def _python_step(apps, schema_editor):
    apps.get_model("registry", "Unit").objects.update(throwaway_flag="python")


class Migration(migrations.Migration):
    dependencies = [("registry", "{last}")]
    operations = [
        migrations.AddField("unit", "{column}", models.CharField(max_length=20, default="new")),
        migrations.AddIndex("unit", models.Index(fields=["{column}"], name="{index}")),
    ]
    if {with_python}:
        operations.append(migrations.RunPython(_python_step, migrations.RunPython.noop))
    if {with_sql}:
        operations.append(SchemaLocalSQL("COMMENT ON COLUMN registry_unit.{column} IS \'{sql_comment}\'",
                                         reverse_sql=""))
'''


# What the SchemaLocalSQL step writes on the column, in every schema it runs in.
SQL_COMMENT = "written by SQL"


def throwaway_migration_module(folder: Path, *, with_python: bool = False, with_sql: bool = False) -> str:
    """Write the package under `folder` (put on sys.path) and return its dotted name, for
    MIGRATION_MODULES = {APP_LABEL: <it>}."""
    name = f"iok_throwaway_{uuid.uuid4().hex[:12]}"
    package = folder / name
    package.mkdir(parents=True)
    migrations = sorted(path for path in APP_MIGRATIONS.glob("[0-9]*.py"))
    for path in [APP_MIGRATIONS / "__init__.py", *migrations]:
        shutil.copy(path, package / path.name)
    (package / f"{MIGRATION_NAME}.py").write_text(_EXTRA.format(
        last=migrations[-1].stem, column=COLUMN, index=INDEX, with_python=with_python, with_sql=with_sql,
        sql_comment=SQL_COMMENT))
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    return name


def throwaway_undo_sql() -> str:
    """What takes the throwaway migration out of the schema first on the search path again."""
    return (f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {COLUMN}; "  # noqa: S608 - constants
            f"DELETE FROM django_migrations WHERE app = '{APP_LABEL}' AND name = '{MIGRATION_NAME}'")
