"""A nightly run left "running" by a worker killed mid-job (SIGKILL, out of memory, a lost machine)
counts as failed once the task's hard time limit has passed, and runs again when the jobs are started
again. Before, it blocked that job for the night and "run again" could not fix it.

This test commits: the worker is another process. It works in a cooperative of its own ("nocna"),
dropped at the end of the module.
"""

import datetime
import os
import signal
import time

import psycopg
import pytest
import time_machine
from django.db import connection
from django_redis import get_redis_connection
from django_tenants.utils import schema_context

from cooperatives.models import Cooperative
from devstack.worker import celery_worker
from operators.services import cooperative_create
from tasks.jobs import NIGHTLY, nightly_run
from tasks.models import JobRun
from tasks.selectors import job_runs_recent
from tasks.services import job_run_record

from .conftest import child_environment

SLUG = "nocna"


@pytest.fixture(scope="module")
def nocna(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # A test before this module on the same xdist worker may have left the connection in a cooperative.
        connection.set_schema_to_public()
        cooperative = Cooperative.objects.filter(slug=SLUG).first() or cooperative_create(
            name="Spółdzielnia Mieszkaniowa „Nocna”", slug=SLUG, admin_email="admin@nocna.example",
            street="ul. Nocna 1", postal_code="41-200", city="Sosnowiec").cooperative
        yield cooperative
        connection.set_schema_to_public()
        cooperative.delete(force_drop=True)


def _wait_until(condition, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_run_left_running_by_a_killed_worker_counts_as_failed_after_the_hard_limit_and_runs_again(
        nocna, django_db_blocker, tmp_path, settings):
    settings.NIGHTLY_TASK_TIME_LIMIT = 600
    environment = child_environment()
    with django_db_blocker.unblock(), schema_context(nocna.schema_name):
        JobRun.objects.all().delete()
        get_redis_connection("default").delete(settings.CELERY_TASK_DEFAULT_QUEUE)
        # The session table held locked by another connection: the worker's last job waits on it, as a
        # long job would, and is killed there.
        with psycopg.connect(environment["DATABASE_URL"]) as holder:
            holder.execute(f'SET search_path TO "{nocna.schema_name}"')
            holder.execute("LOCK TABLE django_session IN ACCESS EXCLUSIVE MODE")
            with celery_worker(environment=environment, log=tmp_path / "worker.log",
                               queue=settings.CELERY_TASK_DEFAULT_QUEUE) as worker:
                nightly_run.delay()
                _wait_until(lambda: JobRun.objects.filter(job="sessions_cleanup").exists(), timeout=60)
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
            holder.rollback()

        stuck = JobRun.objects.get(job="sessions_cleanup")
        assert (stuck.outcome, stuck.finished_at) == ("running", None)
        work = dict(NIGHTLY)[JobRun.Job.SESSIONS_CLEANUP]

        # Within the limit the run may still be working: neither shown as failed nor started again.
        with time_machine.travel(stuck.started_at + datetime.timedelta(seconds=599), tick=False):
            assert [run.outcome for run in job_runs_recent() if run.job == "sessions_cleanup"] == ["running"]
            assert job_run_record(job=stuck.job, night=stuck.night, work=work).outcome == "running"
        assert JobRun.objects.get(pk=stuck.pk).started_at == stuck.started_at

        # Past it: shown as failed, and starting the jobs again runs it to its end.
        after_limit = stuck.started_at + datetime.timedelta(seconds=601)
        with time_machine.travel(after_limit, tick=False):
            shown = next(run for run in job_runs_recent() if run.job == "sessions_cleanup")
            assert (shown.outcome, shown.summary) == ("failed", "przerwane: proces roboczy zatrzymał się przed końcem")
            again = job_run_record(job=stuck.job, night=stuck.night, work=work)
        assert (again.pk, again.outcome, again.summary) == (stuck.pk, "succeeded", "usunięte sesje: 0")
        assert again.started_at == after_limit
        assert JobRun.objects.filter(outcome="running").count() == 0
        JobRun.objects.all().delete()
