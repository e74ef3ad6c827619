"""`migrate_schemas` that skips schemas with nothing to apply, and keeps the template migrated.

Stock django-tenants runs Django's whole migrate command for every schema, which costs about 90 ms
each even when there is nothing to do (the migration state is loaded and checked per schema). Here one
query per few hundred schemas compares their django_migrations with the code's migrations
(cooperatives.schema_template.schemas_behind) and only the schemas that are behind are handed to
django-tenants' executor, which migrates them as before. Runs with options that change what migrate
does (an app or migration target, --fake, --plan, --prune, ...) go to the stock executor for every
schema. A run over all cooperatives also migrates the template schema new cooperatives are cloned from.

Enabled by GET_EXECUTOR_FUNCTION = "cooperatives.migration_executor.executor_for"; `--executor`
still chooses django-tenants' standard or multiprocessing executor underneath.
"""

import sys
from functools import cache
from typing import Any

from django_tenants.migration_executors import get_executor
from django_tenants.utils import get_public_schema_name

from .schema_template import clone_script_prepare, schemas_behind, template_schema_ensure, template_schema_name

# Options under which migrate does something other than "apply what is missing".
_SPECIAL_OPTIONS = ("app_label", "migration_name", "fake", "fake_initial", "plan", "prune", "check_unapplied",
                    "run_syncdb")


class SkipUpToDateSchemas:
    # migrate_schemas' options, set by the django-tenants executor this is mixed into (executor_for).
    options: dict[str, Any]

    def _is_plain_run(self) -> bool:
        return not any(self.options.get(name) for name in _SPECIAL_OPTIONS)

    def run_migrations(self, tenants=None):
        tenants = list(tenants or [])
        public = get_public_schema_name()
        if public not in tenants and not self.options.get("schema_name"):
            # Every cooperative is being migrated: the template goes first, like any cooperative.
            template_schema_ensure()
            tenants = [template_schema_name(), *tenants]
        if self._is_plain_run() and tenants:
            behind = set(schemas_behind(schema_names=tenants))
            if int(self.options.get("verbosity", 1)) >= 1:
                self._report(checked=len(tenants), behind=len(behind))
            tenants = [name for name in tenants if name in behind]
        if tenants:
            super().run_migrations(tenants=tenants)
        if template_schema_name() in tenants:
            # The template changed: read its new definition now rather than at the next onboarding.
            clone_script_prepare()

    def _report(self, *, checked: int, behind: int) -> None:
        sys.stdout.write(f"[migrate_schemas] {checked} schema(s) checked, {checked - behind} up to date, "
                         f"{behind} to migrate\n")


@cache
def executor_for(codename: str | None = None) -> type:
    base = get_executor(codename=codename)
    return type(f"SkipUpToDate{base.__name__}", (SkipUpToDateSchemas, base), {})
