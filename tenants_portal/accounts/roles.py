"""Who may do what: the role table every staff view, access check, API permission and the console's
navigation read, so a role's rights are stated once (beside the user model whose roles it names).

A view declares its section with @section_required; a user whose role is not allowed in that
section gets the 403 page (the URL itself is no secret: every cooperative has the same pages).
"""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, Protocol, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from .models import User

ADMIN, CLERK, TECHNICIAN = User.Role.ADMIN, User.Role.CLERK, User.Role.TECHNICIAN


class Section(StrEnum):
    HOME = "home"                    # the console's start page
    RESIDENTS = "residents"          # people, access applications, residents' accounts
    FAILURES = "failures"            # the failure report queue
    READINGS = "readings"            # submitted meter readings, windows, meters
    ANNOUNCEMENTS = "announcements"
    DOCUMENTS = "documents"
    IMPORTS = "imports"              # uploads and history of the accounting system's files
    REGISTRY = "registry"            # estates, buildings, units, offices: reading
    REGISTRY_EDIT = "registry_edit"  # … and changing them
    STAFF = "staff"                  # staff accounts and their roles
    AUDIT = "audit"                  # the audit log
    CONFIGURATION = "configuration"  # the instance's configuration
    BACKGROUND = "background"        # undelivered notice e-mails and the nightly jobs' runs
    PAYMENTS = "payments"            # online payments, their export and those not booked in time
    FEE_NOTICES = "fee_notices"      # fee changes: the schedule, the justification, sending, delivery
    MATTERS = "matters"              # matters with the office: the queue, replies, the register, certificates


SECTION_ROLES: dict[Section, frozenset[str]] = {
    Section.HOME: frozenset({ADMIN, CLERK, TECHNICIAN}),
    Section.RESIDENTS: frozenset({ADMIN, CLERK}),
    Section.FAILURES: frozenset({ADMIN, CLERK, TECHNICIAN}),
    Section.READINGS: frozenset({ADMIN, CLERK}),
    Section.ANNOUNCEMENTS: frozenset({ADMIN, CLERK}),
    Section.DOCUMENTS: frozenset({ADMIN, CLERK}),
    Section.IMPORTS: frozenset({ADMIN, CLERK}),
    Section.PAYMENTS: frozenset({ADMIN, CLERK}),
    Section.FEE_NOTICES: frozenset({ADMIN, CLERK}),
    Section.MATTERS: frozenset({ADMIN, CLERK}),
    Section.REGISTRY: frozenset({ADMIN, CLERK}),
    Section.REGISTRY_EDIT: frozenset({ADMIN}),
    Section.STAFF: frozenset({ADMIN}),
    Section.AUDIT: frozenset({ADMIN}),
    Section.CONFIGURATION: frozenset({ADMIN}),
    Section.BACKGROUND: frozenset({ADMIN, CLERK}),
}
STAFF_ROLES = SECTION_ROLES[Section.HOME]


def roles_of(section: Section) -> frozenset[str]:
    return SECTION_ROLES[section]


def may_use(user, section: Section) -> bool:
    return bool(user is not None and user.is_authenticated and user.role in SECTION_ROLES[section])


class SectionView(Protocol):
    """A view as section_required leaves it: it names its section."""

    console_section: Section

    def __call__(self, request: HttpRequest, /, *args: Any, **kwargs: Any) -> HttpResponse: ...


def section_required(section: Section) -> Callable:
    """Signed in (else the sign-in page) and allowed in `section` (else 403)."""
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not may_use(request.user, section):
                raise PermissionDenied
            return view(request, *args, **kwargs)
        section_view = cast(SectionView, wrapped)
        section_view.console_section = section  # read by the test that checks every /biuro/ page has one
        return section_view
    return decorator


def resident_ensure(request: HttpRequest) -> None:
    """Resident-only pages: staff and operators get the same 404 as for a page that does not exist."""
    user = request.user
    # Every caller sits behind login_required; the first test only narrows the type for the checker.
    if not user.is_authenticated or not user.is_resident:
        raise Http404
