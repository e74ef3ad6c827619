"""Periodic jobs. Thin: each calls a service in the cooperative's schema."""

from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.models import Cooperative

from .celery import app


@app.task(platform_task=True, name="tasks.jobs.every_cooperative")
def every_cooperative(task_name: str) -> int:
    """Enqueue `task_name` once in each active cooperative's schema."""
    task = app.tasks[task_name]
    schemas = list(Cooperative.objects.filter(status=Cooperative.Status.ACTIVE)
                   .exclude(schema_name="public").values_list("schema_name", flat=True))
    for schema_name in schemas:
        with schema_context(schema_name):
            task.delay()
    return len(schemas)


@app.task(name="tasks.jobs.sessions_clear_expired")
def sessions_clear_expired() -> int:
    """Delete this cooperative's expired sessions (each schema has its own session table)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@app.task(name="tasks.jobs.accounts_close_titles_ended")
def accounts_close_titles_ended() -> list[str]:
    """Close this cooperative's accounts whose every legal title has ended (regulation point 11)."""
    from tenants_portal.access.services import accounts_close_titles_ended as close

    return close()


@app.task(name="tasks.jobs.import_run_process")
def import_run_process(run_id: int) -> str:
    """Process one received import file in its cooperative's schema (a finished run is skipped)."""
    from billing_views.imports.services import import_process

    run = import_process(run_id=run_id)
    return run.status if run else "missing"


@app.task(name="tasks.jobs.imports_inbox_collect")
def imports_inbox_collect() -> list[str]:
    """The nightly import of the cooperative's inbox folder."""
    from billing_views.imports.services import imports_inbox_collect as collect

    return [f"{run.filename}: {run.status}" for run in collect()]


@app.task(platform_task=True, name="tasks.jobs.imports_dispatch_due")
def imports_dispatch_due() -> int:
    """Hourly: start the inbox import of every cooperative whose configured hour it is now."""
    from tenants_portal.configuration.selectors import instance_settings_get

    hour = timezone.localtime().hour
    started = 0
    for schema_name in Cooperative.objects.filter(status=Cooperative.Status.ACTIVE).exclude(
            schema_name="public").values_list("schema_name", flat=True):
        with schema_context(schema_name):
            if instance_settings_get().import_hour == hour:
                imports_inbox_collect.delay()
                started += 1
    return started
