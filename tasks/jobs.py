"""The platform's jobs and the nightly orchestration: which jobs run each night, in which order, and what
follows an import. Thin: each job calls a service in the cooperative's schema."""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from billing_views.imports import services as imports
from billing_views.models import ImportRun
from cooperatives.selectors import cooperative_schemas_active
from tenants_portal.access import services as access
from tenants_portal.configuration.selectors import instance_settings_get

from .celery import app
from .models import JobRun
from .services import job_run_record


@app.task(platform_task=True, name="tasks.jobs.every_cooperative")
def every_cooperative(task_name: str) -> int:
    """Enqueue `task_name` once in each active cooperative's schema."""
    task = app.tasks[task_name]
    schemas = cooperative_schemas_active()
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
    return access.accounts_close_titles_ended()


@app.task(name="tasks.jobs.import_run_process")
def import_run_process(run_id: int) -> str:
    """Process one received import file in its cooperative's schema (a finished run is skipped)."""
    run = imports.import_process(run_id=run_id)
    return run.status if run else "missing"


def _after_imports(runs: list[ImportRun]) -> list[ImportRun]:
    """What follows an import of the inbox: titles that ended in the registry imported close their holders'
    accounts at once (regulation point 11), even when tonight's closure job has already run."""
    if any(run.kind == ImportRun.Kind.REGISTRY and run.status == ImportRun.Status.SUCCEEDED for run in runs):
        access.accounts_close_titles_ended()
    return runs


@app.task(name="tasks.jobs.imports_inbox_collect")
def imports_inbox_collect() -> list[str]:
    """The import of the cooperative's inbox folder when staff start it ("import now"); at night the same
    service runs as the first of nightly_run's jobs."""
    return [f"{run.filename}: {run.status}" for run in _after_imports(imports.imports_inbox_collect())]


def _imports() -> tuple[str, str]:
    runs = imports.imports_inbox_collect_nightly()
    if runs is None:
        return JobRun.Outcome.SUCCEEDED, str(_("the nightly import is switched off"))
    refused = [run for run in _after_imports(runs) if run.status == ImportRun.Status.FAILED]
    summary = "; ".join(f"{run.filename}: {run.get_status_display()}" for run in runs) or str(_("no files"))
    return (JobRun.Outcome.FAILED if refused else JobRun.Outcome.SUCCEEDED), summary


def _closure() -> tuple[str, str]:
    closed = access.accounts_close_titles_ended()
    return JobRun.Outcome.SUCCEEDED, (_("accounts closed: %(count)d") % {"count": len(closed)})


def _retention() -> tuple[str, str]:
    count = access.accounts_anonymise_closed()
    return JobRun.Outcome.SUCCEEDED, (_("accounts anonymised: %(count)d") % {"count": count})


def _sessions() -> tuple[str, str]:
    return JobRun.Outcome.SUCCEEDED, (_("sessions removed: %(count)d") % {"count": sessions_clear_expired()})


# In this order: the registry import may end legal titles, which closes accounts, which may be old enough to anonymise.
NIGHTLY = ((JobRun.Job.IMPORTS, _imports), (JobRun.Job.ACCOUNTS_CLOSURE, _closure),
           (JobRun.Job.ACCOUNTS_RETENTION, _retention), (JobRun.Job.SESSIONS_CLEANUP, _sessions))


# Killed at the hard limit, so a run still marked running after it is known to be dead (tasks.selectors).
@app.task(name="tasks.jobs.nightly_run", time_limit=settings.NIGHTLY_TASK_TIME_LIMIT)
def nightly_run() -> dict[str, str]:
    """The cooperative's nightly jobs, each recorded as a job run; a job that succeeded tonight is not repeated."""
    night = timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return {job: job_run_record(job=job, night=night, work=work).outcome for job, work in NIGHTLY}


# A cooperative that switched its nightly import off still closes, anonymises and cleans up, at this hour.
NIGHTLY_HOUR_WITHOUT_IMPORT = 2


@app.task(platform_task=True, name="tasks.jobs.nightly_dispatch_due")
def nightly_dispatch_due() -> list[str]:
    """Hourly: start the nightly jobs of every active cooperative whose configured hour it is now."""
    hour = timezone.localtime().hour
    started = []
    for schema_name in cooperative_schemas_active():
        with schema_context(schema_name):
            configured = instance_settings_get().import_hour
            if (NIGHTLY_HOUR_WITHOUT_IMPORT if configured is None else configured) == hour:
                nightly_run.delay()
                started.append(schema_name)
    return started
