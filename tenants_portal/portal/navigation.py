"""The resident's navigation: a few sections on every page, the account's own pages gathered on one page
of their own, so that the menu fits a phone (11 flat links were five rows at 360 px)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ResidentLink:
    href: str
    label: Promise
    current: bool
    badge: int = 0


# (URL name, label, module that must be on or "", further path prefixes that belong to the section)
RESIDENT_NAV = [
    ("home", _("Start"), "", ()),
    ("ledger", _("Ledger"), "", ()),
    ("meters:resident_meters", _("Meters"), "meters", ()),
    ("failures:resident_reports", _("Failures"), "failures", ()),
    ("matters:resident_list", _("Matters"), "matters", ()),
    ("announcements:resident_list", _("Announcements"), "announcements", ()),
    ("documents:library", _("Documents"), "documents", ()),
    ("account_settings", _("Your account"), "", ("/konto/dane-kontaktowe/", "/konto/zgody/", "/konto/powiadomienia/",
                                                 "/konto/moje-dane/", "/konto/haslo/",
                                                 "/konto/klucze-dostepu/")),
]


def resident_nav_for(*, modules: dict[str, bool], path: str, unread_announcements: int = 0) -> list[ResidentLink]:
    """The sections a resident may open; the one `path` belongs to (longest matching prefix) is current."""
    items = [(name, label, reverse(name), also) for name, label, module, also in RESIDENT_NAV
             if not module or modules.get(module, False)]
    best = max(((len(prefix), index) for index, (_name, _label, href, also) in enumerate(items)
                for prefix in (href, *also) if path.startswith(prefix)), default=(0, -1))[1]
    return [ResidentLink(href=href, label=label, current=index == best,
                         badge=unread_announcements if name == "announcements:resident_list" else 0)
            for index, (name, label, href, _also) in enumerate(items)]
