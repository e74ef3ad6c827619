"""The staff navigation every /biuro/ page shares, read from the role table (accounts.roles)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tenants_portal.accounts.roles import Section, may_use


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
    NavItem(Section.PAYMENTS, "online_payments:staff_list", _("Online payments"), module="online_payments"),
    NavItem(Section.FEE_NOTICES, "fee_notices:staff_list", _("Fee changes"), module="fee_notices"),
    NavItem(Section.MATTERS, "matters:staff_queue", _("Matters"), module="matters"),
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
