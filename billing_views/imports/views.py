"""The office's pages of the import engine: upload, history, the row-level report, retry, confirm, the inbox
and the nightly schedule (shown among the configuration's pages)."""

from typing import Protocol

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing_views.models import ImportRun
from iok.access import access_get
from iok.forms import posted
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.models import User
from tenants_portal.accounts.roles import Section, may_use, section_required
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_get
from tenants_portal.configuration.services import instance_settings_update

from .forms import ImportScheduleForm, ImportUploadForm
from .selectors import import_runs, inbox_files, inbox_label
from .services import import_confirm, import_page, import_receive, import_retry, imports_inbox_start

import_staff = section_required(Section.IMPORTS)
IN_PROGRESS = (ImportRun.Status.PENDING, ImportRun.Status.RUNNING)


def access_import_run(*, user: User, id: int) -> ImportRun:
    return access_get(ImportRun.objects.select_related("uploaded_by", "same_as"), pk=id,
                      allowed=may_use(user, Section.IMPORTS))


@import_staff
def imports_view(request: AuthenticatedRequest) -> HttpResponse:
    form = ImportUploadForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = import_receive(data=upload.read(), filename=upload.name, source=ImportRun.Source.UPLOAD,
                                 acting_user=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The file has been received; the import runs in a moment."))
            return redirect("staff_import", run_id=run.pk)
    page = Paginator(import_runs(), 25).get_page(request.GET.get("page"))
    return render(request, "ledger/imports.html", {"form": form, "page": page, "inbox": inbox_label(),
                                                   "waiting": inbox_files()})


@import_staff
def import_view(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    run = access_import_run(user=request.user, id=run_id)
    errors = Paginator(run.row_errors.all(), 100).get_page(request.GET.get("page"))
    in_progress = run.status in IN_PROGRESS
    # A module's file is followed up on its module's page (a fee schedule: the fee change it set).
    report_page = import_page(run=run) if not in_progress else ""
    return render(request, "ledger/import.html", {
        "run": run, "errors": errors, "in_progress": in_progress,
        "report_page": report_page if report_page != request.path else ""})


@import_staff
def import_status_view(request: AuthenticatedRequest, run_id: int) -> JsonResponse:
    """What the import's page polls while the import runs (iok/import-status.js), instead of reloading itself."""
    run = access_import_run(user=request.user, id=run_id)
    return JsonResponse({"status": run.status, "in_progress": run.status in IN_PROGRESS})


class _RunService(Protocol):
    def __call__(self, *, run: ImportRun, acting_user: User) -> ImportRun: ...


def _run_again(request: AuthenticatedRequest, run_id: int, *, service: _RunService, done: str) -> HttpResponse:
    """Retry or confirm: the run's service, its refusal as a message, and back to the run's page."""
    run = access_import_run(user=request.user, id=run_id)
    try:
        service(run=run, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("staff_import", run_id=run.pk)


@import_staff
@require_POST
def import_retry_view(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    return _run_again(request, run_id, service=import_retry, done=_("The import will run again in a moment."))


@import_staff
@require_POST
def imports_inbox_now_view(request: AuthenticatedRequest) -> HttpResponse:
    try:
        imports_inbox_start(acting_user=request.user, files=[file.name for file in inbox_files()])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The files from the import folder are being imported; the results appear in "
                                    "the history below in a moment."))
    return redirect("staff_imports")


@import_staff
@require_POST
def import_confirm_view(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    return _run_again(request, run_id, service=import_confirm, done=_("The file will be applied again in a moment."))


@section_required(Section.CONFIGURATION)
def import_schedule_view(request: AuthenticatedRequest) -> HttpResponse:
    """The hour of the nightly import of the inbox (an instance setting, changed through the audited service)."""
    # The form edits a row of its own: instance_settings_get's is the request's shared, cached copy.
    current = instance_settings_get()
    form = ImportScheduleForm(posted(request), instance=InstanceSettings.objects.get(pk=current.pk))
    if request.method == "POST" and form.is_valid():
        changed = instance_settings_update(acting_user=request.user,
                                           changes={"import_hour": form.cleaned_data["import_hour"]})
        messages.success(request, _("Saved.") if changed else _("Nothing has changed."))
        return redirect("configuration_imports")
    return render(request, "configuration/imports.html", {"form": form, "inbox": inbox_label(),
                                                          "waiting": inbox_files()})
