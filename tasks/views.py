"""The staff page of the cooperative's background jobs: what ran each night and how it ended."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import Section, section_required

from .models import JobRun
from .selectors import job_runs_recent
from .services import nightly_run_again


@section_required(Section.BACKGROUND)
def job_runs_view(request: HttpRequest) -> HttpResponse:
    runs = job_runs_recent()
    failed = any(run.outcome == JobRun.Outcome.FAILED for run in runs[:4])
    return render(request, "jobs/runs.html", {"runs": runs, "failed": failed})


@section_required(Section.BACKGROUND)
@require_POST
def job_runs_retry_view(request: AuthenticatedRequest) -> HttpResponse:
    """Run tonight's jobs again now: the ones that failed run, the ones that succeeded are left alone."""
    nightly_run_again(acting_user=request.user)
    messages.success(request, _("The jobs that failed will run again in a moment. "
                                "Refresh this page to see how they ended."))
    return redirect("job_runs")
