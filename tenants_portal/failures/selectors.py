"""Reads of the failures module. Reports are tenant-sensitive: only through access_* (same 404 for
missing and forbidden)."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, QuerySet, Value, When

from iok.access import access_get
from iok.formats import local
from tenants_portal.accounts.models import User
from tenants_portal.accounts.roles import Section, may_use, roles_of
from tenants_portal.registry.models import Building, Unit
from tenants_portal.registry.selectors import person_of, units_current_for_person

from .models import EmergencyContact, FailureCategory, FailureEvent, FailurePhoto, FailureReport

FAILURE_STAFF = roles_of(Section.FAILURES)
MAX_PHOTOS = 5

# Which status may follow which; a resolved report can be reopened (the fix did not hold), a rejected one is final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    FailureReport.Status.NEW: (FailureReport.Status.ACCEPTED, FailureReport.Status.REJECTED),
    FailureReport.Status.ACCEPTED: (FailureReport.Status.IN_PROGRESS, FailureReport.Status.RESOLVED,
                                    FailureReport.Status.REJECTED),
    FailureReport.Status.IN_PROGRESS: (FailureReport.Status.RESOLVED, FailureReport.Status.REJECTED),
    FailureReport.Status.RESOLVED: (FailureReport.Status.IN_PROGRESS,),
    FailureReport.Status.REJECTED: (),
}
COMMENT_REQUIRED = {FailureReport.Status.RESOLVED, FailureReport.Status.REJECTED}


def is_failure_staff(user: User) -> bool:
    return may_use(user, Section.FAILURES)


def _reports() -> QuerySet[FailureReport]:
    return FailureReport.objects.select_related("category", "building", "unit__building", "reporter", "assigned_to")


def access_failure_report(*, user: User, id: int) -> FailureReport:
    """Staff of the cooperative see every report; a resident only their own."""
    if is_failure_staff(user):
        return access_get(_reports(), pk=id)
    return access_get(_reports().filter(reporter_id=user.pk), pk=id, allowed=user.is_authenticated and user.is_resident)


def access_failure_photo(*, user: User, report_id: int, id: int) -> FailurePhoto:
    return access_get(FailurePhoto.objects.filter(report=access_failure_report(user=user, id=report_id)), pk=id)


def failure_reports_of_resident(*, user: User) -> QuerySet[FailureReport]:
    return _reports().filter(reporter=user)


def failure_queue_filter(*, status: str = "", category: FailureCategory | None = None, urgency: str = "",
                         building: Building | None = None, assigned_to: str = "",
                         acting_user: User | None = None) -> QuerySet[FailureReport]:
    """The staff queue; `assigned_to` is a user id, "me" or "none". Emergencies first, then the oldest."""
    reports = _reports()
    if status == "open":
        reports = reports.exclude(status__in=COMMENT_REQUIRED)
    elif status:
        reports = reports.filter(status=status)
    if category is not None:
        reports = reports.filter(category=category)
    if urgency:
        reports = reports.filter(urgency=urgency)
    if building is not None:
        reports = reports.filter(building=building)
    if assigned_to == "none":
        reports = reports.filter(assigned_to__isnull=True)
    elif assigned_to == "me" and acting_user is not None:
        reports = reports.filter(assigned_to=acting_user)
    elif assigned_to.isdigit():
        reports = reports.filter(assigned_to_id=int(assigned_to))
    urgency_rank = Case(When(urgency=FailureReport.Urgency.EMERGENCY, then=Value(0)),
                        When(urgency=FailureReport.Urgency.URGENT, then=Value(1)),
                        default=Value(2), output_field=IntegerField())
    return reports.order_by(urgency_rank, "created_at", "id")


def failure_events_visible(*, report: FailureReport, user: User) -> QuerySet[FailureEvent]:
    """The history; internal staff notes only for staff."""
    events = report.events.select_related("author")
    if not is_failure_staff(user):
        events = events.exclude(kind=FailureEvent.Kind.NOTE)
    return events.order_by("created_at", "id")


def failure_categories_active() -> QuerySet[FailureCategory]:
    return FailureCategory.objects.filter(is_active=True)


def emergency_contacts_list() -> QuerySet[EmergencyContact]:
    return EmergencyContact.objects.all()


def failure_assignees() -> QuerySet[User]:
    return User.objects.filter(role__in=FAILURE_STAFF, is_active=True).order_by("last_name", "first_name", "username")


def failure_buildings() -> QuerySet[Building]:
    """Buildings that have reports (for the queue's filter)."""
    return Building.objects.filter(failure_reports__isnull=False).distinct().order_by("street", "number")


@dataclass(frozen=True)
class FailurePlace:
    """Where a resident may report a failure: one of their units, or a common area of one of their buildings."""
    value: str  # "unit:<id>" or "area:<building id>:<area>", as the page's <select> and the API name it
    label: str
    building: Building
    unit: Unit | None = None
    common_area: str = ""


def failure_places_for(*, user: User) -> list[FailurePlace]:
    """Where the resident may report a failure: each of their current units, then the common areas of their
    buildings (none for anyone who holds no unit now)."""
    units = units_current_for_person(person=person_of(user)) if user.is_authenticated else []
    places = [FailurePlace(value=f"unit:{unit.pk}", label=str(unit), building=unit.building, unit=unit)
              for unit in units]
    buildings = {unit.building_id: unit.building for unit in units}
    for building in sorted(buildings.values(), key=lambda b: (b.street, b.number)):
        for area, label in FailureReport.CommonArea.choices:
            places.append(FailurePlace(value=f"area:{building.pk}:{area}", label=f"{building} — {label}",
                                       building=building, common_area=area))
    return places


def failure_place_choose(*, user: User, value: str) -> FailurePlace:
    """The resident's place named `value`; anything else is refused in the words of a form's choice field,
    so the page's <select> and the API give the same answer."""
    place = next((place for place in failure_places_for(user=user) if place.value == value), None)
    if place is None:
        raise ValidationError(forms.ChoiceField.default_error_messages["invalid_choice"], code="invalid_choice",
                              params={"value": value})
    return place


def failure_category_choose(*, id: int) -> FailureCategory:
    """An active category; anything else is refused in the words of the page's category field."""
    category = failure_categories_active().filter(pk=id).first()
    if category is None:
        raise ValidationError(forms.ModelChoiceField.default_error_messages["invalid_choice"],
                              code="invalid_choice", params={"value": id})
    return category


def own_data_failure_reports(user: User) -> list[dict]:
    """The person's reports, for their own-data page and file."""
    return [{"number": report.pk, "reported_at": local(report.created_at), "category": report.category.name,
             "place": report.place_label, "urgency": report.get_urgency_display(), "description": report.description,
             "status": report.get_status_display(), "photos": report.photos.count()}
            for report in failure_reports_of_resident(user=user).order_by("created_at")]


def own_data_failure_comments(user: User) -> list[dict]:
    """What the person wrote on their reports after filing them."""
    comments = FailureEvent.objects.filter(author=user, kind=FailureEvent.Kind.COMMENT).order_by("created_at")
    return [{"report": event.report_id, "at": local(event.created_at), "text": event.text} for event in comments]
