"""Who may use which part of the staff console: the one table every /biuro/ view, access helper
and the navigation read, so a role's rights are stated once.

A view declares its section with @section_required; a user whose role is not allowed in that
section gets the 403 page (the URL itself is no secret: every cooperative has the same pages).
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tenants_portal.accounts.models import User

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


SECTION_ROLES: dict[Section, frozenset[str]] = {
    Section.HOME: frozenset({ADMIN, CLERK, TECHNICIAN}),
    Section.RESIDENTS: frozenset({ADMIN, CLERK}),
    Section.FAILURES: frozenset({ADMIN, CLERK, TECHNICIAN}),
    Section.READINGS: frozenset({ADMIN, CLERK}),
    Section.ANNOUNCEMENTS: frozenset({ADMIN, CLERK}),
    Section.DOCUMENTS: frozenset({ADMIN, CLERK}),
    Section.IMPORTS: frozenset({ADMIN, CLERK}),
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


def section_required(section: Section) -> Callable:
    """Signed in (else the sign-in page) and allowed in `section` (else 403)."""
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not may_use(request.user, section):
                raise PermissionDenied
            return view(request, *args, **kwargs)
        wrapped.console_section = section  # read by the test that checks every /biuro/ page has one
        return wrapped
    return decorator


@dataclass(frozen=True)
class NavItem:
    section: Section
    url_name: str
    label: Promise
    module: str = ""  # a switchable module (tenants_portal.modules) the item needs
    also: tuple[str, ...] = ()  # other path prefixes that belong to the item (marks it current)


@dataclass(frozen=True)
class NavLink:
    href: str
    label: Promise
    current: bool


# The staff navigation every /biuro/ page shares, in this order; each user sees what their role
# may use and what the cooperative has switched on.
STAFF_NAV = [
    NavItem(Section.HOME, "staff_home", _("Office start")),
    NavItem(Section.RESIDENTS, "staff_people", _("Residents"), also=("/biuro/konta/", "/biuro/dane-dostepowe/")),
    NavItem(Section.FAILURES, "failures:staff_queue", _("Failure queue"), module="failures"),
    NavItem(Section.READINGS, "meters:staff_readings", _("Readings"), module="meters", also=("/biuro/liczniki/",)),
    NavItem(Section.ANNOUNCEMENTS, "announcements:staff_list", _("Announcements"), module="announcements"),
    NavItem(Section.DOCUMENTS, "documents:staff_list", _("Documents"), module="documents"),
    NavItem(Section.IMPORTS, "staff_imports", _("Imports")),
    NavItem(Section.REGISTRY, "registry_estates", _("Estates and units"), also=("/biuro/rejestr/",)),
    NavItem(Section.BACKGROUND, "notices_outbox", _("Undelivered e-mails")),
    NavItem(Section.BACKGROUND, "job_runs", _("Nightly jobs")),
    NavItem(Section.STAFF, "staff_members", _("Staff")),
    NavItem(Section.AUDIT, "staff_audit_log", _("Audit log")),
    NavItem(Section.CONFIGURATION, "configuration_index", _("Configuration"),
            also=("/biuro/konfiguracja/", "/biuro/klucze-api/")),
]


def staff_nav_for(user, *, modules: dict[str, bool], path: str = "") -> list[NavLink]:
    """The links `user` may follow, the one `path` belongs to (the longest matching prefix) current."""
    items = [(item, reverse(item.url_name)) for item in STAFF_NAV
             if may_use(user, item.section) and (not item.module or modules.get(item.module, False))]
    best = max(((len(prefix), index) for index, (item, href) in enumerate(items)
                for prefix in (href, *item.also) if path.startswith(prefix)), default=(0, -1))[1]
    return [NavLink(href=href, label=item.label, current=index == best) for index, (item, href) in enumerate(items)]
