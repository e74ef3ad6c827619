"""Residents read the announcements for their buildings; the office writes, schedules and withdraws them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from iok.forms import form_add_errors, posted
from iok.uploads import file_response
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import Section, resident_ensure, section_required
from tenants_portal.notices.selectors import notice_delivery

from . import services
from .forms import AnnouncementForm, StatusFilterForm
from .models import Announcement
from .selectors import (
    access_announcement_attachment,
    access_announcement_for_resident,
    access_announcement_for_staff,
    announcements_for_resident,
    announcements_for_staff,
)
from .services import announcement_notice_key

announcement_staff = section_required(Section.ANNOUNCEMENTS)



@login_required
def resident_index(request: AuthenticatedRequest) -> HttpResponse:
    resident_ensure(request)
    page = Paginator(announcements_for_resident(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "announcements/resident_list.html", {"page": page})


@login_required
def resident_detail(request: AuthenticatedRequest, announcement_id: int) -> HttpResponse:
    resident_ensure(request)
    announcement = access_announcement_for_resident(user=request.user, id=announcement_id)
    services.announcement_mark_read(user=request.user, announcement=announcement)
    return render(request, "announcements/resident_detail.html", {
        "announcement": announcement, "attachments": announcement.attachments.all()})


@login_required
def attachment_view(request: AuthenticatedRequest, announcement_id: int, attachment_id: int) -> FileResponse:
    attachment = access_announcement_attachment(user=request.user, announcement_id=announcement_id, id=attachment_id)
    return file_response(path=attachment.path, content_type=attachment.content_type,
                         download_name=attachment.original_name)


@announcement_staff
def staff_index(request: AuthenticatedRequest) -> HttpResponse:
    filters = StatusFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    page = Paginator(announcements_for_staff(status=status), 25).get_page(request.GET.get("page"))
    return render(request, "announcements/staff_list.html", {"page": page, "filters": filters})


@announcement_staff
def staff_create(request: AuthenticatedRequest) -> HttpResponse:
    form = AnnouncementForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = services.announcement_create(acting_user=request.user, **form.service_arguments())
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _published_message(announcement))
            return redirect("announcements:staff_detail", announcement_id=announcement.pk)
    return render(request, "announcements/staff_form.html", {"form": form, "announcement": None})


@announcement_staff
def staff_detail(request: AuthenticatedRequest, announcement_id: int) -> HttpResponse:
    announcement = access_announcement_for_staff(user=request.user, id=announcement_id)
    return render(request, "announcements/staff_detail.html", {
        "announcement": announcement, "attachments": announcement.attachments.all(),
        "delivery": notice_delivery(key=announcement_notice_key(announcement)) if announcement.notified_at else None,
        "editable": announcement.status == Announcement.Status.SCHEDULED})


@announcement_staff
def staff_edit(request: AuthenticatedRequest, announcement_id: int) -> HttpResponse:
    announcement = access_announcement_for_staff(user=request.user, id=announcement_id)
    if announcement.status != Announcement.Status.SCHEDULED:
        messages.error(request, _("Only an announcement that is not published yet can be edited."))
        return redirect("announcements:staff_detail", announcement_id=announcement.pk)
    initial = {"title": announcement.title, "body": announcement.body, "scope": announcement.scope,
               "estate": announcement.estate_id, "building": announcement.building_id,
               "publish_at": timezone.localtime(announcement.publish_at),
               "expires_at": timezone.localtime(announcement.expires_at) if announcement.expires_at else None,
               "pinned": announcement.pinned}
    form = AnnouncementForm(posted(request), request.FILES or None, initial=initial, announcement=announcement)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = services.announcement_update(acting_user=request.user, announcement=announcement,
                                                        **form.service_arguments())
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _published_message(announcement))
            return redirect("announcements:staff_detail", announcement_id=announcement.pk)
    return render(request, "announcements/staff_form.html", {"form": form, "announcement": announcement})


@announcement_staff
@require_POST
def staff_withdraw(request: AuthenticatedRequest, announcement_id: int) -> HttpResponse:
    announcement = access_announcement_for_staff(user=request.user, id=announcement_id)
    try:
        services.announcement_withdraw(acting_user=request.user, announcement=announcement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The announcement has been withdrawn; residents no longer see it."))
    return redirect("announcements:staff_detail", announcement_id=announcement.pk)


def _errors_to_form(form: AnnouncementForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            for field_error in field_errors:
                form.add_error(field if field in form.fields else None, field_error)
    else:
        form_add_errors(form, error)


def _published_message(announcement: Announcement) -> str:
    if announcement.notified_at is not None:
        return _("The announcement has been published and sent by e-mail to %(count)d residents.") % {
            "count": announcement.recipients_count or 0}
    return _("The announcement has been scheduled for %(when)s.") % {
        "when": timezone.localtime(announcement.publish_at).strftime("%d.%m.%Y %H:%M")}
