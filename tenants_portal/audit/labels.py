"""How audit rows read to office staff: each action in plain words (its AuditAction label), each detail by its
name, and each value as the module that writes it registers (foundations do not import the modules)."""

import re
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .actions import AuditAction
from .models import AuditEvent

# The audit log's filter: kinds of events, each the actions whose code starts with one of its nouns (a
# resident's own account actions have none). A meter readings file is both an import and meter readings.
_GROUPS: list[tuple[str, Promise, tuple[str, ...]]] = [
    ("login", _("Sign-ins"), ("login",)),
    ("second_factor", _("Second factor"), ("second_factor", "recovery_codes", "recovery_code")),
    ("account", _("Residents' accounts"), ("account", "one_time_password")),
    ("application", _("Access applications"), ("grant_application", "withdrawal_application")),
    ("staff", _("Staff accounts"), ("staff", "staff_role")),
    ("configuration", _("Configuration"), ("configuration",)),
    ("domains", _("Addresses and old links"), ("domain", "domain_primary", "old_link")),
    ("regulation", _("Regulation"), ("regulation",)),
    ("registry", _("Estates and units"), ("estate", "building", "unit", "office", "office_buildings")),
    ("import", _("Imports"), ("import", "inbox_import", "readings")),
    ("failures", _("Failure reports"), ("failure", "failure_status")),
    ("meters", _("Meter readings"), ("reading", "readings", "reading_window", "reading_reminder", "meter_settings")),
    ("announcements", _("Announcements"), ("announcement",)),
    ("documents", _("Documents"), ("document", "document_file")),
    ("consent", _("Consents"), ("consent",)),
    ("passkeys", _("Passkeys"), ("passkey", "passkeys")),
    ("payments", _("Online payments"), ("online_payment", "online_payments", "payment_gateway")),
    ("fee_changes", _("Fee changes"), ("fee_change", "fee_change_settings", "fee_notice", "fee_notices")),
    ("matters", _("Matters with the office"), ("matter", "matter_status", "matter_register", "matter_topics",
                                                "certificate")),
    ("api", _("API (apps and systems)"), ("api_key", "api_key_scopes", "api_token", "api_tokens")),
    ("notices", _("E-mail notices"), ("notice_preferences", "notice")),
    ("jobs", _("Background jobs"), ("job",)),
    ("support", _("Platform support"), ("support",)),
    ("cooperative", _("The cooperative on the platform"), ("cooperative",)),
]
ACTION_GROUPS = [(key, label) for key, label, _nouns in _GROUPS]


def audit_group_actions(group: str) -> list[AuditAction]:
    """The actions the log's filter shows for `group` (a key of ACTION_GROUPS)."""
    nouns = next((nouns for key, _label, nouns in _GROUPS if key == group), ())
    return [action for action in AuditAction if action.value.split(".")[0] in nouns]


TARGET_LABELS = {
    "instance_settings": _("the cooperative's configuration"),
    "meter settings": _("meter reading settings"),
    "fee change settings": _("fee change settings"),
}
# Targets written with a number in them: "failure #12", "40 rows", "3 e-mail(s)", "v2".
TARGET_PATTERNS = [
    (re.compile(r"^failure #(?P<number>\d+)$"), _("failure report no. %(number)s")),
    (re.compile(r"^(?P<number>\d+) rows$"), _("a file of %(number)s rows")),
    (re.compile(r"^(?P<number>\d+) e-mail\(s\)$"), _("e-mails: %(number)s")),
    (re.compile(r"^v(?P<number>\d+)$"), _("version %(number)s")),
    (re.compile(r"^fee change #(?P<number>\d+)$"), _("fee change no. %(number)s")),
    (re.compile(r"^fee notice #(?P<number>\d+)$"), _("fee change notice no. %(number)s")),
    (re.compile(r"^(?P<number>\d+) fee notice\(s\)$"), _("fee change notices: %(number)s")),
    (re.compile(r"^matter (?P<number>KOR/\d+/\d+)$"), _("matter %(number)s")),
    (re.compile(r"^(?P<number>\d+) matter\(s\)$"), _("matters: %(number)s")),
]

DETAIL_LABELS = {
    "name": _("name"),
    "logo": _("logo"),
    "buildings": _("buildings"),
    "role": _("role"),
    "added": _("added"),
    "amount": _("amount"),
    "credentials_entered": _("credentials entered"),
    "entry": _("ledger entry no."),
    "fee": _("fee"),
    "refunded": _("refunded"),
    "application": _("application no."),
    "passkey": _("passkey no."),
    "assigned_to": _("assigned to"),
    "attachments": _("attachments"),
    "attachments_added": _("attachments added"),
    "attachments_removed": _("attachments removed"),
    "audience": _("for"),
    "by": _("by"),
    "bytes": _("size in bytes"),
    "category": _("category"),
    "changed": _("fields changed"),
    "closed_at": _("closed on"),
    "closure": _("reason for closing"),
    "comment": _("comment"),
    "confirmed": _("confirmed"),
    "count": _("number"),
    "device": _("device"),
    "document": _("document no."),
    "domain": _("address"),
    "ends_on": _("ends on"),
    "failures_cleared": _("failed sign-ins cleared"),
    "fields": _("fields"),
    "file": _("file"),
    "files": _("files"),
    "first_sign_in": _("at first sign-in"),
    "from": _("from"),
    "id": _("no."),
    "identity_document": _("identity document shown"),
    "import": _("import no."),
    "internal": _("internal note"),
    "key": _("key no."),
    "left": _("left"),
    "method": _("method"),
    "messages": _("messages"),
    "modules": _("modules"),
    "note": _("note"),
    "page_number": _("page"),
    "person": _("person"),
    "photo": _("photo"),
    "photos": _("photos"),
    "place": _("place"),
    "plausibility_factor": _("unusual consumption factor"),
    "policy": _("password policy"),
    "primary": _("main address"),
    "prefix": _("key begins with"),
    "previous_prefix": _("previous key began with"),
    "publish_at": _("published from"),
    "query": _("search"),
    "read_on": _("reading date"),
    "reading": _("reading no."),
    "reason": _("reason"),
    "recipients": _("recipients"),
    "run": _("import no."),
    "differences": _("entries that differ from the database"),
    "scopes": _("permissions"),
    "seen_by": _("document seen by"),
    "size": _("size in bytes"),
    "source": _("source"),
    "starts_on": _("starts on"),
    "status": _("status"),
    "status_before": _("status before"),
    "title": _("title"),
    "was_primary": _("was the main address"),
    "to": _("to"),
    "token": _("sign-in no."),
    "unchanged": _("unchanged"),
    "unit": _("unit no."),
    "units": _("units"),
    "until": _("until"),
    "unusual_confirmed": _("unusual consumption confirmed"),
    "urgency": _("urgency"),
    "value": _("reading"),
    "visibility": _("who can see it"),
    "window": _("reading window no."),
    "wording_version": _("wording version"),
    # Fee changes.
    "basis": _("legal basis"),
    "created": _("created"),
    "deadline": _("delivery deadline"),
    "delivered_on": _("delivered on"),
    "registered_mail_number": _("registered mail number"),
    "effective_month": _("effective from"),
    "fee_change": _("fee change no."),
    "fee_changes": _("fee changes no."),
    "justification_text": _("written justification"),
    "payment_day": _("payment day of the month"),
    "fee_notices": _("fee change notices no."),
    "paper_after_days": _("days to open an electronic notice"),
    "updated": _("updated"),
    # Matters with the office.
    "certificate": _("certificate no."),
    "outcome": _("outcome"),
    "topic": _("topic"),
    "year": _("year"),
    "format": _("format"),
    "auto": _("issued automatically"),
    "removed": _("removed"),
}

# How details read, registered by the module that writes them: {action: {detail key: {code: label}}} for
# values, {action: {detail key: label}} for details whose keys are codes, {action: model} for details named
# after a model's fields.
_VALUE_LABELS: dict[str, dict[str, dict[str, Any]]] = {}
_KEY_LABELS: dict[str, dict[str, Any]] = {}
_FIELD_MODELS: dict[str, type[models.Model]] = {}


def _as_dict(choices: Any) -> dict[str, Any]:
    return dict(choices.choices) if hasattr(choices, "choices") else dict(choices)


def audit_values_register(*, actions: Iterable[AuditAction], values: dict[str, Any] | None = None,
                          keys: Any = None, model: type[models.Model] | None = None) -> None:
    """Called from a module's AppConfig.ready(), for the rows of `actions`: `values` {detail key: a TextChoices
    class or {code: label}} says how the values read; `keys` (a TextChoices class or {key: label}) names details
    whose keys are codes; `model` names details that are its fields (their verbose names)."""
    for action in actions:
        registered = _VALUE_LABELS.setdefault(action, {})
        for key, choices in (values or {}).items():
            registered.setdefault(key, {}).update(_as_dict(choices))
        if keys is not None:
            _KEY_LABELS.setdefault(action, {}).update(_as_dict(keys))
        if model is not None:
            _FIELD_MODELS[action] = model


def audit_action_label(action: str) -> str:
    """The action in plain words; a code the platform no longer writes reads as itself."""
    return str(AuditAction(action).label) if action in AuditAction.values else action


def audit_target_label(target: str) -> str:
    if target in TARGET_LABELS:
        return str(TARGET_LABELS[target])
    for pattern, label in TARGET_PATTERNS:
        match = pattern.match(target)
        if match:
            return str(label) % match.groupdict()
    return target


def _field_label(key: str, action: str) -> str:
    names = _KEY_LABELS.get(action, {})
    if key in names:
        return str(names[key])
    if key in DETAIL_LABELS:
        return str(DETAIL_LABELS[key])
    model = _FIELD_MODELS.get(action)
    fields = {field.name: field.verbose_name for field in model._meta.concrete_fields} if model is not None else {}
    return str(fields[key]) if key in fields else key.replace("_", " ")


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")

# Rows whose details are {field: [before, after]}.
PAIRED_ACTIONS = frozenset({
    AuditAction.CONFIGURATION_CHANGED, AuditAction.STAFF_ROLE_CHANGED, AuditAction.METER_SETTINGS_CHANGED,
    AuditAction.API_KEY_SCOPES_CHANGED, AuditAction.FEE_CHANGE_SETTINGS_CHANGED,
    AuditAction.ESTATE_CREATED, AuditAction.ESTATE_CHANGED, AuditAction.ESTATE_DELETED,
    AuditAction.BUILDING_CREATED, AuditAction.BUILDING_CHANGED, AuditAction.BUILDING_DELETED,
    AuditAction.UNIT_CREATED, AuditAction.UNIT_CHANGED, AuditAction.UNIT_DELETED,
    AuditAction.OFFICE_CREATED, AuditAction.OFFICE_CHANGED, AuditAction.OFFICE_DELETED,
    AuditAction.OFFICE_BUILDINGS_CHANGED,
})


def _value(value: Any, key: str = "", labels: dict[str, Any] | None = None) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if isinstance(value, list):
        return ", ".join(_value(item, key, labels) for item in value) or "—"
    if labels and str(value) in labels:
        return str(labels[str(value)])
    if isinstance(value, str) and ISO_MOMENT.match(value):
        moment = parse_datetime(value)
        if moment is not None:
            moment = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
            return formats.date_format(timezone.localtime(moment), "d.m.Y H:i")
    if isinstance(value, str) and ISO_DATE.match(value):
        day = parse_date(value)
        if day is not None:
            return formats.date_format(day, "d.m.Y")
    return str(value)


def audit_details_text(event: AuditEvent) -> list[str]:
    """'minimum password length: 6 → 10' for a [before, after] pair, 'key: value' otherwise; a status change
    written as "from" and "to" reads as one line, 'status: in progress → resolved'."""
    lines = []
    pairs = event.action in PAIRED_ACTIONS
    registered = _VALUE_LABELS.get(event.action, {})
    details = dict(event.details or {})
    if "from" in details and "to" in details:
        labels = registered.get("status")
        lines.append(f"{DETAIL_LABELS['status']}: {_value(details.pop('from'), 'status', labels)} → "
                     f"{_value(details.pop('to'), 'status', labels)}")
    for key, value in details.items():
        label = _field_label(key, event.action)
        labels = registered.get(key)
        if pairs and isinstance(value, list) and len(value) == 2:
            lines.append(f"{label}: {_value(value[0], key, labels)} → {_value(value[1], key, labels)}")
        else:
            lines.append(f"{label}: {_value(value, key, labels)}")
    return lines
