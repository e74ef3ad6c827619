"""Reads for the console's start page and the staff accounts."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from iok.access import access_get
from tenants_portal.accounts.models import User
from tenants_portal.accounts.roles import STAFF_ROLES, Section, may_use

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def staff_members_list(*, include_closed: bool = False) -> QuerySet[User]:
    members = User.objects.filter(role__in=STAFF_ROLES)
    if not include_closed:
        members = members.filter(closed_at__isnull=True)
    return members.order_by("closed_at", "last_name", "first_name", "username")


def access_staff_member(*, user: User, id: int) -> User:
    """A staff account, for an admin; the same 404 for one that does not exist and one that is not staff."""
    return access_get(User.objects.filter(role__in=STAFF_ROLES), pk=id, allowed=may_use(user, Section.STAFF))


@dataclass(frozen=True)
class ConsoleFigures:
    failures_new: int | None = None
    failures_open: int | None = None
    readings_waiting: int | None = None
    import_last: object | None = None
    payments_unbooked: int | None = None


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
    if modules.get("online_payments") and may_use(user, Section.PAYMENTS):
        from tenants_portal.online_payments.selectors import allocations_unbooked, gateway_settings_get

        figures["payments_unbooked"] = allocations_unbooked(days=gateway_settings_get().unbooked_after_days).count()
    if may_use(user, Section.IMPORTS):
        from billing_views.models import ImportRun

        figures["import_last"] = ImportRun.objects.order_by("-created_at", "-id").first()
    return ConsoleFigures(**figures)


@dataclass(frozen=True)
class SetupStep:
    label: "StrOrPromise"
    done: bool
    url_name: str


def setup_checklist() -> list[SetupStep]:
    """What a new cooperative's admin sets up before residents come, each step with whether it is done."""
    from tenants_portal.configuration.selectors import instance_settings_get
    from tenants_portal.registry.models import Office, Unit
    from tenants_portal.regulation.selectors import regulation_current

    settings = instance_settings_get()
    return [
        SetupStep(_("Give the online account your name, logo and colours"),
                  bool(settings.logo_path or settings.brand_primary), "configuration_appearance"),
        SetupStep(_("Publish the regulation of the online account"), regulation_current() is not None,
                  "configuration_regulation"),
        SetupStep(_("Add your offices with their opening hours and phone numbers"), Office.objects.exists(),
                  "registry_offices"),
        SetupStep(_("Import the registry of units and residents from the accounting system"),
                  Unit.objects.exists(), "staff_imports"),
        SetupStep(_("Set the sender of the cooperative's e-mails"), bool(settings.email_sender_name),
                  "configuration_email"),
        SetupStep(_("Create accounts for the office's clerks"),
                  User.objects.filter(role=User.Role.CLERK, closed_at__isnull=True).exists(), "staff_members"),
    ]

