"""The expand/contract rule (deploy/OPERATIONS.md, "Migrations at scale"): the previous release's code
keeps running against migrated schemas, and it inserts rows without the columns it does not know.
A column added NOT NULL therefore needs a database default (db_default=) or must be nullable."""

import sys
from pathlib import Path

from django.db.migrations import operations
from django.db.migrations.loader import MigrationLoader
from django.db.models import NOT_PROVIDED

REPO_ROOT = Path(__file__).resolve().parents[1]
# Added before the rule, while every cooperative was migrated before the code changed.
GRANDFATHERED = {
    "accounts.0002_user_closed_at_user_closure_user_closure_note_and_more",
    "configuration.0003_instancesettings_import_hour",
    "configuration.0004_instancesettings_module_announcements_and_more",
    "configuration.0005_branding_sender_import_off",
    "configuration.0006_one_time_password_days",
    "configuration.0007_instancesettings_payment_nip",
    "configuration.0008_staff_second_factor_required",
    "configuration.0009_instancesettings_module_online_payments",
    "configuration.0010_module_fee_notices",
    "cooperatives.0002_status_reason",
    "fee_notices.0002_delivery",
    "registry.0003_unit_bank_account_unit_code",
    "registry.0004_unit_staircase",
}


def _own(migration) -> bool:
    path = Path(sys.modules[type(migration).__module__].__file__ or "").resolve()
    return REPO_ROOT in path.parents and ".venv" not in path.parts


def test_new_columns_are_nullable_or_have_a_database_default():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    offending = []
    for (app, name), migration in sorted(loader.graph.nodes.items()):
        if not _own(migration) or f"{app}.{name}" in GRANDFATHERED:
            continue
        for operation in migration.operations:
            if not isinstance(operation, operations.AddField):
                continue
            field = operation.field
            if not field.null and not field.many_to_many and field.db_default is NOT_PROVIDED:
                offending.append(f"{app}.{name}: {operation.model_name}.{operation.name}")
    assert offending == [], "add db_default= or null=True (the previous release's code inserts without them)"
