"""Writes of the failures module: file a report, change its status, assign it, comment on it."""


from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from iok.text import plain_text
from iok.uploads import CheckedUpload, StoredFile, file_store
from tenants_portal.accounts.models import User
from tenants_portal.audit.services import audit_record
from tenants_portal.notices.models import NoticeKind
from tenants_portal.notices.services import notice_send
from tenants_portal.registry.models import Building, Unit

from .models import FailureCategory, FailureEvent, FailurePhoto, FailureReport
from .selectors import COMMENT_REQUIRED, FAILURE_STAFF, MAX_PHOTOS, TRANSITIONS

PHOTO_FOLDER = "failures"


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _event(*, report: FailureReport, kind: str, author: User | None, text: str = "", status_from: str = "",
           status_to: str = "") -> FailureEvent:
    return FailureEvent.objects.create(report=report, kind=kind, author=author, author_name=_name(author), text=text,
                                       status_from=status_from, status_to=status_to)


def failure_photos_store(*, photos: list[CheckedUpload]) -> list[StoredFile]:
    """Write validated photos to the cooperative's folder (random names); rows come with the report."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("You can attach at most %(max)d photos.") % {"max": MAX_PHOTOS}, code="too_many")
    return [file_store(data=photo.data, folder=PHOTO_FOLDER, extension=photo.extension,
                       content_type=photo.content_type, original_name=photo.name) for photo in photos]


def failure_report_create(*, acting_user: User, category: FailureCategory, description: str, urgency: str,
                          unit: Unit | None = None, building: Building | None = None, common_area: str = "",
                          place_detail: str = "", photos: Sequence[StoredFile] = (),
                          emergency_numbers_confirmed: bool = False) -> FailureReport:
    """A resident files a report about one of their units or a common area of their building.

    The caller checks that the unit (or the building) is the resident's; this checks the rest."""
    description, place_detail = plain_text(description), plain_text(place_detail)
    if not description:
        raise ValidationError(_("Describe the failure."), code="no_description")
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("You can attach at most %(max)d photos.") % {"max": MAX_PHOTOS}, code="too_many")
    if urgency != FailureReport.Urgency.NORMAL and not emergency_numbers_confirmed:
        raise ValidationError(_("Confirm that you have seen the emergency numbers."), code="not_confirmed")
    if unit is not None:
        building, common_area = unit.building, ""
    elif building is None or common_area not in FailureReport.CommonArea.values:
        raise ValidationError(_("Choose where the failure is."), code="no_place")
    with transaction.atomic():
        report = FailureReport.objects.create(
            reporter=acting_user, category=category, building=building, unit=unit, common_area=common_area,
            place_detail=place_detail, description=description, urgency=urgency,
            emergency_numbers_confirmed=emergency_numbers_confirmed)
        FailurePhoto.objects.bulk_create([
            FailurePhoto(report=report, path=photo.path, content_type=photo.content_type, size=photo.size,
                         original_name=photo.original_name) for photo in photos])
        _event(report=report, kind=FailureEvent.Kind.CREATED, author=acting_user, status_to=report.status)
        audit_record(acting_user=acting_user, action="failures.reported", target=f"failure #{report.pk}",
                     details={"category": category.name, "place": report.place_label, "urgency": urgency,
                              "photos": len(photos)})
    return report


def failure_status_change(*, acting_user: User, report: FailureReport, status: str, comment: str = "",
                          report_url: str = "") -> FailureReport:
    """Move the report along new → accepted → in progress → resolved / rejected; the reporter is told."""
    if acting_user.role not in FAILURE_STAFF:
        raise ValidationError(_("Only the cooperative's staff change the status of a report."), code="not_staff")
    comment = plain_text(comment)
    with transaction.atomic():
        report = FailureReport.objects.select_for_update().get(pk=report.pk)
        if status not in TRANSITIONS.get(report.status, ()):
            raise ValidationError(_("A report that is “%(current)s” cannot become “%(new)s”.") % {
                "current": report.get_status_display(),
                "new": FailureReport.Status(status).label if status in FailureReport.Status.values else status},
                code="invalid_transition")
        if status in COMMENT_REQUIRED and not comment:
            raise ValidationError(_("Write a comment for the resident: why the report is closed this way."),
                                  code="comment_required")
        previous = report.status
        report.status = status
        report.save(update_fields=["status", "updated_at"])
        event = _event(report=report, kind=FailureEvent.Kind.STATUS, author=acting_user, text=comment,
                       status_from=previous, status_to=status)
        audit_record(acting_user=acting_user, action="failures.status_changed", target=f"failure #{report.pk}",
                     details={"from": previous, "to": status, "comment": comment})
        notice_send(kind=NoticeKind.FAILURE_STATUS, key=f"failure_status:{event.pk}", users=[report.reporter],
                    template="emails/failures_status",
                    context={"report": report, "status": FailureReport.Status(report.status).label, "comment": comment,
                             "report_url": report_url})
    return report


def failure_assign(*, acting_user: User, report: FailureReport, assignee: User | None) -> FailureReport:
    if acting_user.role not in FAILURE_STAFF:
        raise ValidationError(_("Only the cooperative's staff assign reports."), code="not_staff")
    if assignee is not None and (assignee.role not in FAILURE_STAFF or not assignee.is_active):
        raise ValidationError(_("A report can be assigned only to a member of staff."), code="not_staff_assignee")
    with transaction.atomic():
        report = FailureReport.objects.select_for_update().get(pk=report.pk)
        if report.assigned_to_id == (assignee.pk if assignee else None):
            return report
        report.assigned_to = assignee
        report.save(update_fields=["assigned_to", "updated_at"])
        _event(report=report, kind=FailureEvent.Kind.ASSIGNED, author=acting_user,
               text=_name(assignee) if assignee else "")
        audit_record(acting_user=acting_user, action="failures.assigned", target=f"failure #{report.pk}",
                     details={"assigned_to": assignee.get_username() if assignee else None})
    return report


def failure_comment_add(*, acting_user: User, report: FailureReport, text: str, internal: bool = False) -> FailureEvent:
    """A comment from the resident or the staff; staff may write internal notes the resident never sees."""
    text = plain_text(text)
    if not text:
        raise ValidationError(_("Write the comment."), code="empty_comment")
    is_staff = acting_user.role in FAILURE_STAFF
    if not is_staff and (internal or report.reporter_id != acting_user.pk):
        raise ValidationError(_("You cannot comment on this report."), code="not_allowed")
    with transaction.atomic():
        event = _event(report=report, kind=FailureEvent.Kind.NOTE if internal else FailureEvent.Kind.COMMENT,
                       author=acting_user, text=text)
        FailureReport.objects.filter(pk=report.pk).update(updated_at=event.created_at)
        audit_record(acting_user=acting_user, action="failures.commented", target=f"failure #{report.pk}",
                     details={"internal": internal})
    return event
