"""Reading job runs as they are, including runs whose worker was killed before it could record the end."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import JobRun


def job_run_is_stuck(*, run: JobRun, now: datetime.datetime | None = None) -> bool:
    """A run still marked running after the nightly task's hard time limit: Celery kills a task at that
    limit and a killed worker records nothing, so nothing is still working on it."""
    if run.outcome != JobRun.Outcome.RUNNING:
        return False
    now = now or timezone.now()
    return run.started_at < now - datetime.timedelta(seconds=settings.NIGHTLY_TASK_TIME_LIMIT)


def job_runs_recent(*, limit: int = 120) -> list[JobRun]:
    """The latest runs, newest first; a stuck run is shown as the failure it is (the row itself changes
    when the job is started again)."""
    now = timezone.now()
    runs = list(JobRun.objects.all()[:limit])
    for run in runs:
        if job_run_is_stuck(run=run, now=now):
            run.outcome = JobRun.Outcome.FAILED
            run.summary = _("interrupted: the worker stopped before the job ended")
    return runs
