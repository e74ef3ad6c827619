"""The staff page of the cooperative's background jobs: what ran each night and how it ended."""

from django.contrib import messages
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tenants.utils import schema_context

from tenants_portal.audit.services import audit_record
from tenants_portal.console.roles import Section, section_required

from .models import JobRun


@section_required(Section.BACKGROUND)
def job_runs_view(request: HttpRequest) -> HttpResponse:
    runs = JobRun.objects.all()[:120]
    return render(request, "jobs/runs.html", {"runs": runs,
                                              "failed": any(run.outcome == JobRun.Outcome.FAILED for run in runs[:4])})


@section_required(Section.BACKGROUND)
@require_POST
def job_runs_retry_view(request: HttpRequest) -> HttpResponse:
    """Run tonight's jobs again now: the ones that failed run, the ones that succeeded are left alone."""
    from .jobs import nightly_run

    schema_name = connection.schema_name
    with transaction.atomic():
        audit_record(acting_user=request.user, action="jobs.retried", target=_("nightly jobs"))

        def enqueue() -> None:
            with schema_context(schema_name):
                nightly_run.delay()

        transaction.on_commit(enqueue)
    messages.success(request, _("The jobs that failed will run again in a moment. "
                                "Refresh this page to see how they ended."))
    return redirect("job_runs")
