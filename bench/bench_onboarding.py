"""Group `onboarding`: onboard a cooperative with 1,000 cooperative schemas present, against running
its migrations in the same run; and `migrate_schemas` with nothing to apply, per schema.

- onboard_seconds: cooperative_create() as the operators' console calls it (the schema cloned from
  the template, the domain, the first admin with an Argon2id one-time password, the configuration,
  audit rows) in a process that has not cloned before (the clone script comes from the shared cache,
  where migrate_schemas put it; reading it from the catalog is timed and printed apart).
- onboard_ratio: that time ÷ creating the same schema by running every migration (CREATE SCHEMA and
  `migrate_schemas --schema`, what onboarding cost before the template).
- migrate_noop_ms_per_schema: `migrate_schemas` (public, the template and every cooperative) with
  nothing to apply, divided by the number of cooperative schemas.

The 1,000 schemas (cooperatives `bench-onb-0000`…) are clones of the template, dropped again at the end
so that other groups run without them; BENCH_ONBOARDING_KEEP=1 keeps them for the next run (which then
only times; a run after new migrations would first migrate all of them).
"""

import os
import statistics
import time

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from cooperatives.models import Cooperative, Domain
from cooperatives.schema_template import clone_script_forget, clone_script_prepare
from operators.services import cooperative_create, schema_name_for_slug

SCHEMAS = 1000
PREFIX = "bench-onb-"
ONBOARDINGS = 3
MIGRATIONS = 2
NOOP_RUNS = 3


def _ensure_schemas(count: int) -> None:
    wanted = [f"{PREFIX}{index:04d}" for index in range(count)]
    existing = set(Cooperative.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    missing = [slug for slug in wanted if slug not in existing]
    if not missing:
        print(f"{count} benchmark cooperatives present (kept from an earlier run)")
        return
    started = time.perf_counter()
    for slug in missing:
        # One transaction each: creating a schema locks each of its few hundred new relations until
        # commit, and the lock table is shared by every connection (max_locks_per_transaction).
        with transaction.atomic():
            # save() creates the schema as onboarding does; the first admin (and its Argon2id hash)
            # that cooperative_create adds is left out.
            cooperative = Cooperative(name=f"Benchmark {slug}", slug=slug, schema_name=schema_name_for_slug(slug))
            cooperative.save(verbosity=0)
            Domain.objects.create(domain=f"{slug}.{settings.BASE_DOMAIN}", tenant=cooperative, is_primary=True)
    elapsed = time.perf_counter() - started
    print(f"{len(missing)} cooperative schemas cloned from the template in {elapsed:.1f} s "
          f"({elapsed / len(missing) * 1000:.0f} ms each)")


def _drop(cooperative: Cooperative) -> None:
    connection.set_schema_to_public()
    cooperative.delete(force_drop=True)


def _onboard_once(index: int) -> float:
    clone_script_forget()
    slug = f"{PREFIX}new-{index}"
    started = time.perf_counter()
    created = cooperative_create(name=f"Benchmark new {index}", slug=slug, admin_email=f"admin@{slug}.example",
                                 city="Katowice")
    elapsed = time.perf_counter() - started
    _drop(created.cooperative)
    return elapsed


def _migrate_once(index: int) -> float:
    schema = f"bench_migrated_{index}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema}"')
    call_command("migrate_schemas", tenant=True, schema_name=schema, interactive=False, verbosity=0)
    elapsed = time.perf_counter() - started
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
    return elapsed


def _noop_once() -> float:
    started = time.perf_counter()
    call_command("migrate_schemas", interactive=False, verbosity=0)
    return time.perf_counter() - started


def run() -> None:
    _ensure_schemas(SCHEMAS)
    schemas = Cooperative.objects.count()
    print(f"{schemas} cooperative schemas present")

    # Once per template version (migrate_schemas does it after migrating the template): read the
    # template's definition from the catalog, whose scans grow with the number of schemas.
    clone_script_forget(shared=True)
    started = time.perf_counter()
    clone_script_prepare()
    print(f"clone script read from the catalog (once per template version): {time.perf_counter() - started:.3f} s")

    onboard = statistics.median(_onboard_once(index) for index in range(ONBOARDINGS))
    migrate = statistics.median(_migrate_once(index) for index in range(MIGRATIONS))
    noop = statistics.median(_noop_once() for _ in range(NOOP_RUNS))
    print(f"onboarding one more: {onboard:.3f} s (median of {ONBOARDINGS}); "
          f"its migrations run instead: {migrate:.3f} s (median of {MIGRATIONS})")
    print(f"migrate_schemas with nothing to apply: {noop:.3f} s for {schemas} cooperatives (and public, the template)")
    print(f"BENCH onboard_seconds {onboard:.3f}")
    print(f"BENCH onboard_ratio {onboard / migrate:.3f}")
    print(f"BENCH migrate_noop_ms_per_schema {noop / schemas * 1000:.3f}")

    if os.environ.get("BENCH_ONBOARDING_KEEP") != "1":
        started = time.perf_counter()
        for cooperative in Cooperative.objects.filter(slug__startswith=PREFIX):
            with transaction.atomic():  # one schema per transaction, as when creating them
                _drop(cooperative)
        print(f"benchmark cooperatives dropped in {time.perf_counter() - started:.1f} s")
