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
