"""Nightly jobs: per cooperative at its configured hour, each recorded as a job run with its outcome."""

import datetime
import shutil

import pytest
from django.utils import timezone

from billing_views.imports.selectors import inbox_path
from tasks.jobs import nightly_dispatch_due, nightly_run
from tasks.models import JobRun
from tenants_portal.access.services import accounts_anonymise_closed
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.notices.models import NoticePreference
from tenants_portal.registry.models import Person

from .test_imports import CHARGES_HEADER, _csv


def _inbox(coop, *files: tuple[str, str]) -> None:
    with coop.use():
        inbox = inbox_path()
    shutil.rmtree(inbox.parent, ignore_errors=True)
    inbox.mkdir(parents=True)
    for name, text in files:
        (inbox / name).write_text(text, encoding="utf-8")


def _runs() -> list[tuple[str, str]]:
    return sorted(JobRun.objects.values_list("job", "outcome"))


def test_the_nightly_run_records_each_job_once_per_night(coop_a):
    _inbox(coop_a)
    with coop_a.use():
        first = nightly_run.apply()
        second = nightly_run.apply()
        runs = _runs()
        summaries = dict(JobRun.objects.values_list("job", "summary"))
    assert first.result == {"imports": "succeeded", "accounts_closure": "succeeded",
                            "accounts_retention": "succeeded", "sessions_cleanup": "succeeded"}
    assert second.result == first.result
    assert runs == [("accounts_closure", "succeeded"), ("accounts_retention", "succeeded"),
                    ("imports", "succeeded"), ("sessions_cleanup", "succeeded")]
    assert summaries == {"imports": "brak plików", "accounts_closure": "zamknięte konta: 0",
                         "accounts_retention": "zanonimizowane konta: 0", "sessions_cleanup": "usunięte sesje: 0"}


def test_a_refused_import_is_a_failed_run_that_runs_again_when_started_again(coop_a):
    _inbox(coop_a, ("naliczenia.csv", _csv(CHARGES_HEADER, [
        "alfa;A-1;ALFA-1-1;naliczenie;eksploatacja;10.2026;01.10.2026;x;"])))
    with coop_a.use():
        assert nightly_run.apply().result["imports"] == "failed"
        failed = JobRun.objects.get(job="imports")
        assert failed.summary == "naliczenia.csv: odrzucony"
        nightly_run.apply()
        again = JobRun.objects.get(job="imports")
    assert (again.pk, again.outcome, again.summary) == (failed.pk, "succeeded", "brak plików")
    assert again.started_at > failed.started_at


def test_a_job_that_raises_is_recorded_as_failed_and_the_others_still_run(coop_a, settings):
    settings.IMPORT_ROOT = "/proc/iok-cannot-write-here"
    with coop_a.use():
        result = nightly_run.apply().result
        run = JobRun.objects.get(job="imports")
    assert result["imports"] == "failed" and result["accounts_closure"] == "succeeded"
    assert run.summary.startswith(("FileNotFoundError", "PermissionError", "OSError"))
    assert run.finished_at is not None


def test_the_dispatcher_starts_only_cooperatives_whose_hour_it_is(coop_a, coop_b):
    hour = timezone.localtime().hour
    with coop_a.use():
        InstanceSettings.objects.filter(pk=1).update(import_hour=hour)
        instance_settings_forget()
    with coop_b.use():
        InstanceSettings.objects.filter(pk=1).update(import_hour=(hour + 1) % 24)
        instance_settings_forget()
    started = nightly_dispatch_due.apply().result
    assert coop_a.schema_name in started and coop_b.schema_name not in started


def test_nightly_jobs_are_in_the_beat_schedule_and_never_run_without_a_schema():
    from tasks.celery import app

    assert app.conf.beat_schedule["nightly-dispatch-due"]["task"] == "tasks.jobs.nightly_dispatch_due"
    assert app.conf.beat_schedule["notices-sweep"]["task"] == "tasks.notices_jobs.notices_sweep"
    assert nightly_run.apply().failed()


@pytest.mark.parametrize(("closed_days_ago", "anonymised"), [(400, True), (300, False)])
def test_accounts_closed_longer_than_the_retention_period_lose_their_personal_data(coop_a, closed_days_ago,
                                                                                 anonymised):
    with coop_a.use():
        account = coop_a.outsider
        User.objects.filter(pk=account.pk).update(
            is_active=False, closed_at=timezone.now() - datetime.timedelta(days=closed_days_ago),
            closure="resident_request", email="piotr@example.com", phone="600 100 200")
        NoticePreference.objects.create(user=account, kind="announcement", enabled=False)
        assert accounts_anonymise_closed() == int(anonymised)
        account.refresh_from_db()
        person = Person.objects.get(account=account)
        events = list(AuditEvent.objects.filter(action=AuditAction.ACCOUNT_ANONYMISED).values_list("target", flat=True))
        preferences = NoticePreference.objects.filter(user=account).count()
    if anonymised:
        assert (account.username, account.first_name, account.last_name, account.email, account.phone) == (
            f"usuniete-{account.pk}", "", "", "", "")
        assert not account.has_usable_password() and account.anonymised_at is not None
        assert (events, preferences) == ([f"usuniete-{account.pk}"], 0)
    else:
        assert (account.username, account.email, account.anonymised_at) == ("obcy", "piotr@example.com", None)
        assert (events, preferences) == ([], 1)
    assert person.last_name == "Piotrska"  # the registry keeps the member, as the ledger needs


def test_staff_see_job_runs_and_start_failed_ones_again(coop_a, coop_b):
    with coop_a.use():
        JobRun.objects.create(job="imports", night=timezone.localdate(), started_at=timezone.now(),
                              outcome="failed", summary="naliczenia.csv: odrzucony")
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    page = clerk.get("/biuro/zadania/")
    assert [(run.job, run.outcome) for run in page.context["runs"]] == [("imports", "failed")]
    assert page.context["failed"] is True
    assert clerk.post("/biuro/zadania/ponow/")["Location"] == "/biuro/zadania/"
    with coop_a.use():
        assert AuditEvent.objects.filter(action=AuditAction.JOB_RETRIED, actor_login="biuro").count() == 1
    technician = coop_a.client_logged_in_as(coop_a.technician)
    assert technician.get("/biuro/zadania/").status_code == 403
    assert coop_b.client_logged_in_as(coop_b.clerk).get("/biuro/zadania/").context["runs"] == []
