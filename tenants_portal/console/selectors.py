"""Reads for the console's start page and the staff accounts."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from tenants_portal.accounts.models import User

from .roles import STAFF_ROLES, Section, may_use


def staff_members_list(*, include_closed: bool = False) -> QuerySet[User]:
    members = User.objects.filter(role__in=STAFF_ROLES)
    if not include_closed:
        members = members.filter(closed_at__isnull=True)
    return members.order_by("closed_at", "last_name", "first_name", "username")


def access_staff_member(*, user: User, id: int) -> User:
    """A staff account, for an admin; the same 404 for one that does not exist and one that is not staff."""
    if not may_use(user, Section.STAFF):
        raise Http404
    member = User.objects.filter(pk=id, role__in=STAFF_ROLES).first()
    if member is None:
        raise Http404
    return member


def active_admins_count() -> int:
    return User.objects.filter(role=User.Role.ADMIN, is_active=True, closed_at__isnull=True).count()


@dataclass(frozen=True)
class ConsoleFigures:
    failures_new: int | None = None
    failures_open: int | None = None
    readings_waiting: int | None = None
    import_last: object | None = None


def console_figures(*, user: User, modules: dict[str, bool]) -> ConsoleFigures:
    """What waits for this user's attention, for the parts of the console their role may use."""
    figures = {}
    if modules.get("failures") and may_use(user, Section.FAILURES):
        from tenants_portal.failures.models import FailureReport

        open_statuses = [FailureReport.Status.NEW, FailureReport.Status.ACCEPTED, FailureReport.Status.IN_PROGRESS]
        counts = FailureReport.objects.aggregate(
            new=Count("pk", filter=Q(status=FailureReport.Status.NEW)),
            open=Count("pk", filter=Q(status__in=open_statuses)))
        figures["failures_new"], figures["failures_open"] = counts["new"], counts["open"]
    if modules.get("meters") and may_use(user, Section.READINGS):
        from tenants_portal.meters.models import Reading

        figures["readings_waiting"] = Reading.objects.filter(status=Reading.Status.SUBMITTED).count()
    if may_use(user, Section.IMPORTS):
        from billing_views.models import ImportRun

        figures["import_last"] = ImportRun.objects.order_by("-created_at", "-id").first()
    return ConsoleFigures(**figures)
