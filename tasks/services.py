"""Recording job runs: each nightly job of a cooperative runs once per night and leaves its outcome."""

import datetime
import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iok.jobs import job_enqueue_on_commit
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record

from .models import JobRun
from .selectors import job_run_is_stuck

logger = logging.getLogger(__name__)


def job_run_record(*, job: str, night: datetime.date, work: Callable[[], tuple[str, str]]) -> JobRun:
    """Run `work` as tonight's run of `job` unless it already succeeded (or is running) tonight.

    A failed run is run again when the job is started again (by the next dispatch or by hand), and so
    is a run still marked running after the task's hard time limit: its worker was killed before it
    could record the end (job_run_is_stuck). `work` returns (outcome, summary); an exception is a
    failed run with the error as its summary.
    """
    run = JobRun.objects.filter(job=job, night=night).first()
    if run is not None and (run.outcome == JobRun.Outcome.SUCCEEDED
                            or (run.outcome == JobRun.Outcome.RUNNING and not job_run_is_stuck(run=run))):
        return run
    try:
        with transaction.atomic():
            if run is None:
                run = JobRun.objects.create(job=job, night=night, started_at=timezone.now())
            else:
                # Claimed only if nobody changed the row since it was read: of two workers restarting
                # the same failed or stuck run, one runs it.
                restarted_at = timezone.now()
                claimed = JobRun.objects.filter(pk=run.pk, outcome=run.outcome, started_at=run.started_at).update(
                    started_at=restarted_at, finished_at=None, outcome=JobRun.Outcome.RUNNING, summary="")
                if not claimed:
                    return JobRun.objects.get(pk=run.pk)
                run.started_at, run.finished_at, run.outcome, run.summary = (
                    restarted_at, None, JobRun.Outcome.RUNNING, "")
    except IntegrityError:  # another worker started it at the same moment
        return JobRun.objects.get(job=job, night=night)
    try:
        outcome, summary = work()
    except Exception as error:
        logger.exception("nightly job %s failed", job)
        outcome, summary = JobRun.Outcome.FAILED, f"{type(error).__name__}: {error}"
    run.outcome, run.summary, run.finished_at = outcome, summary[:500], timezone.now()
    run.save(update_fields=["outcome", "summary", "finished_at"])
    return run


def nightly_run_again(*, acting_user: User) -> None:
    """Staff run tonight's jobs again now (by Celery, after commit): the failed ones run, the ones that
    succeeded are left alone (job_run_record); audited."""
    with transaction.atomic():
        audit_record(acting_user=acting_user, action=AuditAction.JOB_RETRIED, target=_("nightly jobs"))
        job_enqueue_on_commit("tasks.jobs.nightly_run")
