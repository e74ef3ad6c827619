"""Tenant-sensitive rows for staff pages: missing and forbidden give the same 404."""

from django.db.models import QuerySet

from iok.access import access_get
from tenants_portal.accounts.models import User
from tenants_portal.accounts.roles import Section, may_use
from tenants_portal.audit.labels import audit_group_actions
from tenants_portal.audit.models import AuditEvent
from tenants_portal.registry.models import Person, Unit


def access_person(*, user: User, id: int) -> Person:
    return access_get(Person.objects.select_related("account"), pk=id, allowed=may_use(user, Section.RESIDENTS))


def access_resident_account(*, user: User, id: int) -> User:
    return access_get(User.objects.filter(role=User.Role.RESIDENT), pk=id, allowed=may_use(user, Section.RESIDENTS))


def units_of_person_for_application(*, person: Person) -> QuerySet[Unit]:
    """Units the person holds or held a title to (an application may concern a title that just ended)."""
    return (Unit.objects.filter(legal_titles__person=person).select_related("building").distinct()
            .order_by("kind", "building__street", "building__number", "number"))


def staff_members() -> QuerySet[User]:
    return User.objects.filter(role__in=[User.Role.ADMIN, User.Role.CLERK], is_active=True).order_by("last_name")


def audit_events_filter(*, action: str = "", login: str = "", date_from=None, date_to=None) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if action:
        events = events.filter(action__in=audit_group_actions(action))
    if login:
        events = events.filter(actor_login__iexact=login) | events.filter(target__iexact=login)
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events.order_by("-at", "-id")
