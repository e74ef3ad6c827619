"""The resident's own data, for GDPR access and portability (art. 15 and 20): the account's own rows here, and
every module's rows about the person through sections the modules register (access does not import them;
the notices' sections, below access, it registers itself: AccessConfig.ready)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone
from django.utils.functional import Promise

from iok.formats import local
from tenants_portal.accounts.models import User
from tenants_portal.audit.labels import audit_action_label
from tenants_portal.audit.models import AuditEvent
from tenants_portal.registry.selectors import person_of
from tenants_portal.regulation.models import Consent, RegulationAcceptance

from .models import AccessApplication


@dataclass(frozen=True)
class OwnDataSection:
    """One module's rows about the person: `key` names it in the JSON, `title` on the page, `columns` maps each
    row's keys to their headings (in order); `collect` gives the rows, with dates, times and text as values."""

    key: str
    title: Promise
    columns: dict[str, Promise]
    collect: Callable[[User], list[dict[str, Any]]]


_SECTIONS: dict[str, OwnDataSection] = {}


def own_data_register(section: OwnDataSection) -> None:
    """Called from a module's AppConfig.ready(): its rows join the own-data page and file."""
    _SECTIONS[section.key] = section


def own_data_sections() -> list[OwnDataSection]:
    return list(_SECTIONS.values())


def own_data_collect(*, user: User) -> dict[str, Any]:
    person = person_of(user)
    titles = []
    if person is not None:
        for title in person.legal_titles.select_related("unit__building").order_by("start_date"):
            titles.append({
                "unit": str(title.unit), "unit_kind": title.unit.get_kind_display(),
                "legal_title": title.get_kind_display(), "from": title.start_date, "until": title.end_date,
            })
    data = {
        "generated_at": local(timezone.now()),
        "account": {
            "login": user.username, "first_name": user.first_name, "last_name": user.last_name,
            "email": user.email, "email_verified_at": local(user.email_verified_at), "phone": user.phone,
            "created_at": local(user.date_joined), "last_login": local(user.last_login),
            "password_changed_at": local(user.password_changed_at),
        },
        "legal_titles": titles,
        "access_applications": [
            {"kind": application.get_kind_display(), "submitted_on": application.submitted_on,
             "identity_document_shown": application.get_identity_document_display(),
             "units": [str(unit) for unit in application.units.all()]}
            for application in AccessApplication.objects.filter(person=person).prefetch_related("units")
        ] if person is not None else [],
        "regulation_acceptances": [
            {"version": acceptance.regulation.version, "title": acceptance.regulation.title,
             "accepted_at": local(acceptance.accepted_at), "ip_address": acceptance.ip_address}
            for acceptance in RegulationAcceptance.objects.filter(user=user).select_related("regulation")
        ],
        "consents": [
            {"purpose": consent.purpose.title, "wording_version": consent.wording_version, "wording": consent.wording,
             "given_at": local(consent.given_at), "withdrawn_at": local(consent.withdrawn_at)}
            for consent in Consent.objects.filter(user=user).select_related("purpose")
        ],
        "sign_in_history": [
            {"event": audit_action_label(event.action), "action": event.action, "at": local(event.at),
             "ip_address": event.ip_address}
            for event in AuditEvent.objects.filter(actor=user, action__startswith="login.")[:200]
        ],
    }
    for section in own_data_sections():
        data[section.key] = section.collect(user)
    return data


@dataclass(frozen=True)
class OwnDataTable:
    title: str
    headings: list[str]
    rows: list[list[str]]


def display(value: Any) -> str:
    """A value as the printable page shows it: local dates and times as the office writes them."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "d.m.Y H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "d.m.Y")
    return str(value)


def own_data_tables(*, data: dict[str, Any]) -> list[OwnDataTable]:
    """The modules' sections of `data` (from own_data_collect) as tables for the printable page."""
    return [OwnDataTable(title=str(section.title), headings=[str(heading) for heading in section.columns.values()],
                         rows=[[display(row.get(key)) for key in section.columns] for row in data[section.key]])
            for section in own_data_sections()]
