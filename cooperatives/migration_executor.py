"""`migrate_schemas` that skips schemas with nothing to apply, and keeps the template migrated.

Stock django-tenants runs Django's whole migrate command for every schema, which costs about 90 ms
each even when there is nothing to do (the migration state is loaded and checked per schema). Here one
query per few hundred schemas compares their django_migrations with the code's migrations
(cooperatives.schema_template.schemas_behind) and only the schemas that are behind are handed to
django-tenants' executor, which migrates them as before. Runs with options that change what migrate
does (an app or migration target, --fake, --plan, --prune, ...) go to the stock executor for every
schema. A run over all cooperatives also migrates the template schema new cooperatives are cloned from.

Schemas that are behind by schema-only migrations (the common case: a column, an index, a constraint)
take the fast path of cooperatives.migration_fast: the SQL generated once, then one transaction and one
round trip per schema over MIGRATE_SCHEMAS_CONNECTIONS parallel connections, with MIGRATE_SCHEMAS_LOCK_TIMEOUT_MS
as each schema's lock_timeout. Plans with Python or data steps take the stock executor. A schema that
fails is reported and the others finish; the run then ends with an error naming the failed schemas.

Enabled by GET_EXECUTOR_FUNCTION = "cooperatives.migration_executor.executor_for"; `--executor`
still chooses django-tenants' standard or multiprocessing executor underneath.
"""

import sys
from functools import cache
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django_tenants.migration_executors import get_executor
from django_tenants.utils import get_public_schema_name

from iok.db import connection

from .migration_fast import schemas_migrate_fast
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
        failed: dict[str, str] = {}
        migrated = list(tenants)
        # The fast path works on connections of its own: inside a caller's transaction (which they would
        # neither see nor wait for) everything goes the stock way.
        if self._is_plain_run() and tenants and public not in tenants and not connection.in_atomic_block:
            tenants, failed = self._run_fast(tenants)
        if tenants:
            super().run_migrations(tenants=tenants)
        if template_schema_name() in migrated:
            # The template changed: read its new definition now rather than at the next onboarding.
            clone_script_prepare()
        if failed:
            raise CommandError(f"{len(failed)} schema(s) not migrated (each left as it was; run migrate_schemas "
                               f"again once the cause is fixed): " + "; ".join(
                                   f"{name}: {error}" for name, error in sorted(failed.items())))

    def _run_fast(self, tenants: list[str]) -> tuple[list[str], dict[str, str]]:
        """Migrate what the fast path can; returns the schemas left for the stock executor and the
        schemas that failed (with their errors)."""
        verbose = int(self.options.get("verbosity", 1)) >= 1

        def report(message: str) -> None:
            if verbose:
                sys.stdout.write(f"[migrate_schemas] {message}\n")

        result = schemas_migrate_fast(
            schema_names=tenants, connections=settings.MIGRATE_SCHEMAS_CONNECTIONS,
            lock_timeout_ms=settings.MIGRATE_SCHEMAS_LOCK_TIMEOUT_MS,
            statement_timeout_ms=settings.MIGRATE_SCHEMAS_STATEMENT_TIMEOUT_MS, report=report)
        if result.applied or result.already_applied or result.failed:
            report(f"{len(result.applied)} schema(s) migrated in one transaction each, "
                   f"{len(result.already_applied)} already migrated by another run, {len(result.failed)} failed "
                   f"({result.seconds:.1f} s, {settings.MIGRATE_SCHEMAS_CONNECTIONS} connections)")
        for name, error in sorted(result.failed.items()):
            sys.stderr.write(f"[migrate_schemas] {name}: FAILED: {error}\n")
        stock = set(result.stock)
        return [name for name in tenants if name in stock], result.failed

    def _report(self, *, checked: int, behind: int) -> None:
        sys.stdout.write(f"[migrate_schemas] {checked} schema(s) checked, {checked - behind} up to date, "
                         f"{behind} to migrate\n")


@cache
def executor_for(codename: str | None = None) -> type:
    base = get_executor(codename=codename)
    return type(f"SkipUpToDate{base.__name__}", (SkipUpToDateSchemas, base), {})
