"""Pages of the failures module: residents report and follow their reports; staff (admin, clerk,
technician) work the queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperatives.selectors import cooperative_url
from iok.forms import form_add_errors, posted
from iok.pages import page_and_query
from iok.uploads import StoredFile, file_response
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import Section, resident_ensure, section_required
from tenants_portal.registry.selectors import resident_units

from . import services
from .forms import (
    FailureAssignForm,
    FailureCommentForm,
    FailureQueueFilterForm,
    FailureReportForm,
    FailureStatusForm,
)
from .models import FailureReport
from .selectors import (
    access_failure_photo,
    access_failure_report,
    emergency_contacts_list,
    failure_assignees,
    failure_buildings,
    failure_categories_active,
    failure_events_visible,
    failure_queue_filter,
    failure_reports_of_resident,
    is_failure_staff,
)

failure_staff = section_required(Section.FAILURES)

# Photos of a report waiting for the emergency confirmation: already checked and stored, so the
# resident does not have to choose them again (a browser cannot keep a file input's choice).
SESSION_PENDING_PHOTOS = "_iok_failure_pending_photos"



@login_required
def resident_index(request: AuthenticatedRequest) -> HttpResponse:
    if is_failure_staff(request.user):
        return redirect("failures:staff_queue")
    resident_ensure(request)
    units, _current = resident_units(request=request)
    return render(request, "failures/resident_reports.html", {
        "reports": failure_reports_of_resident(user=request.user), "can_report": bool(units)})


def _pending_photos(request: HttpRequest) -> list[StoredFile]:
    return [StoredFile(**photo) for photo in request.session.get(SESSION_PENDING_PHOTOS, [])]


@login_required
def report_new(request: AuthenticatedRequest) -> HttpResponse:
    resident_ensure(request)
    units, _current = resident_units(request=request)
    if not units:
        messages.error(request, _("You hold no unit at the moment, so you cannot report a failure here. "
                                  "Please contact the office."))
        return redirect("failures:resident_reports")
    if request.method != "POST":
        request.session.pop(SESSION_PENDING_PHOTOS, None)
    pending = _pending_photos(request)
    form = FailureReportForm(posted(request), request.FILES or None, user=request.user,
                             categories=failure_categories_active(), pending_photos=len(pending))
    confirming = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form.needs_confirmation:
            # Nothing is filed until the resident has seen the emergency numbers and confirmed.
            photos = pending + services.failure_photos_store(photos=data["photos"])
            request.session[SESSION_PENDING_PHOTOS] = [photo.__dict__ for photo in photos]
            confirming = True
            pending = photos
        else:
            place = data["place"]
            try:
                report = services.failure_report_create(
                    acting_user=request.user, category=data["category"], description=data["description"],
                    urgency=data["urgency"], unit=place.unit, building=place.building, common_area=place.common_area,
                    place_detail=data["place_detail"], photos=data["photos"], kept_photos=pending,
                    emergency_numbers_confirmed=bool(data["confirm_emergency"]))
            except ValidationError as error:
                form_add_errors(form, error)
            else:
                request.session.pop(SESSION_PENDING_PHOTOS, None)
                messages.success(request, _("Your report has been filed. You will get an e-mail when its status "
                                            "changes."))
                return redirect("failures:resident_report", report_id=report.pk)
    elif request.method == "POST":
        urgency = form.data.get("urgency", FailureReport.Urgency.NORMAL)
        confirming = urgency != FailureReport.Urgency.NORMAL and not form.data.get("confirm_emergency")
    return render(request, "failures/report_new.html", {
        "form": form, "confirming": confirming, "pending": pending, "contacts": emergency_contacts_list()})


@login_required
def resident_report(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = access_failure_report(user=request.user, id=report_id)
    if is_failure_staff(request.user):
        return redirect("failures:staff_report", report_id=report.pk)
    form = FailureCommentForm(posted(request), staff=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.failure_comment_add(acting_user=request.user, report=report, text=form.cleaned_data["text"])
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Your comment has been added."))
            return redirect("failures:resident_report", report_id=report.pk)
    return render(request, "failures/resident_report.html", {
        "report": report, "events": failure_events_visible(report=report, user=request.user),
        "photos": report.photos.all(), "comment_form": form})


@login_required
def report_photo(request: AuthenticatedRequest, report_id: int, photo_id: int) -> FileResponse:
    photo = access_failure_photo(user=request.user, report_id=report_id, id=photo_id)
    return file_response(path=photo.path, content_type=photo.content_type, download_name=photo.original_name)


@failure_staff
def staff_index(request: AuthenticatedRequest) -> HttpResponse:
    assignees = failure_assignees()
    # The queue opens on what waits; "all" is one choice away.
    filtered = any(key != "page" for key in request.GET)
    form = FailureQueueFilterForm(request.GET if filtered else None, buildings=failure_buildings(),
                                  assignees=assignees, initial={"status": "open"})
    filters = (form.cleaned_data if form.is_valid() else {}) if form.is_bound else {"status": "open"}
    reports = failure_queue_filter(status=filters.get("status", ""), category=filters.get("category"),
                                   urgency=filters.get("urgency", ""), building=filters.get("building"),
                                   assigned_to=filters.get("assigned_to", ""), acting_user=request.user)
    return render(request, "failures/staff_queue.html", {"form": form, **page_and_query(request, reports)})


def _staff_report_page(request: AuthenticatedRequest, report: FailureReport, *, status_form=None, assign_form=None,
                       comment_form=None) -> HttpResponse:
    return render(request, "failures/staff_report.html", {
        "report": report, "events": failure_events_visible(report=report, user=request.user),
        "photos": report.photos.all(),
        "status_form": status_form or FailureStatusForm(report=report),
        "assign_form": assign_form or FailureAssignForm(assignees=failure_assignees(),
                                                        initial={"assignee": report.assigned_to_id}),
        "comment_form": comment_form or FailureCommentForm(staff=True)})


@failure_staff
def staff_report(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    return _staff_report_page(request, access_failure_report(user=request.user, id=report_id))


@failure_staff
@require_POST
def staff_status(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = access_failure_report(user=request.user, id=report_id)
    form = FailureStatusForm(request.POST, report=report)
    if form.is_valid():
        try:
            services.failure_status_change(
                acting_user=request.user, report=report, status=form.cleaned_data["status"],
                comment=form.cleaned_data["comment"],
                report_url=cooperative_url(path=reverse("failures:resident_report", args=[report.pk])))
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The status has been changed."))
            return redirect("failures:staff_report", report_id=report.pk)
    return _staff_report_page(request, report, status_form=form)


@failure_staff
@require_POST
def staff_assign(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = access_failure_report(user=request.user, id=report_id)
    form = FailureAssignForm(request.POST, assignees=failure_assignees())
    if form.is_valid():
        try:
            services.failure_assign(acting_user=request.user, report=report, assignee=form.cleaned_data["assignee"])
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The assignment has been saved."))
            return redirect("failures:staff_report", report_id=report.pk)
    return _staff_report_page(request, report, assign_form=form)


@failure_staff
@require_POST
def staff_comment(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = access_failure_report(user=request.user, id=report_id)
    form = FailureCommentForm(request.POST, staff=True)
    if form.is_valid():
        try:
            services.failure_comment_add(acting_user=request.user, report=report, text=form.cleaned_data["text"],
                                         internal=form.cleaned_data["internal"])
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The comment has been added."))
            return redirect("failures:staff_report", report_id=report.pk)
    return _staff_report_page(request, report, comment_form=form)
