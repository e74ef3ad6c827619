"""How audit rows read to office staff: each action code in plain words, each detail by its name."""

import re
from typing import Any

from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

ACTION_LABELS = {
    "login.succeeded": _("Signed in"),
    "login.failed": _("Failed sign-in"),
    "logout": _("Signed out"),
    "password.changed": _("Changed the password"),
    "account.issued": _("Account issued"),
    "account.password_reset": _("New one-time password issued"),
    "account.unlocked": _("Sign-in unlocked"),
    "account.closed": _("Account closed"),
    "account.reopened": _("Account reopened"),
    "application.grant": _("Application to grant access recorded"),
    "application.withdraw": _("Application to withdraw access recorded"),
    "contact.updated": _("Contact data changed"),
    "contact.email_verified": _("E-mail address confirmed"),
    "consent.given": _("Consent given"),
    "consent.withdrawn": _("Consent withdrawn"),
    "notices.preferences_changed": _("E-mail notice choices changed"),
    "regulation.published": _("Regulation version published"),
    "regulation.accepted": _("Regulation accepted"),
    "configuration.changed": _("Configuration changed"),
    "staff.created": _("Staff account created"),
    "staff.role_changed": _("Staff member's role changed"),
    "registry.estate.created": _("Estate added"),
    "registry.estate.changed": _("Estate changed"),
    "registry.estate.deleted": _("Estate deleted"),
    "registry.building.created": _("Building added"),
    "registry.building.changed": _("Building changed"),
    "registry.building.deleted": _("Building deleted"),
    "registry.unit.created": _("Unit added"),
    "registry.unit.changed": _("Unit changed"),
    "registry.unit.deleted": _("Unit deleted"),
    "registry.office.created": _("Office added"),
    "registry.office.changed": _("Office changed"),
    "registry.office.deleted": _("Office deleted"),
    "registry.office.buildings_changed": _("Buildings served by an office changed"),
    "import.received": _("Import file received"),
    "import.retried": _("Import run again"),
    "import.confirmed": _("Older import file confirmed to be applied again"),
    "import.inbox_started": _("Import of the folder's files started"),
    "failures.reported": _("Failure reported"),
    "failures.status_changed": _("Failure report status changed"),
    "failures.assigned": _("Failure report assigned"),
    "failures.commented": _("Failure report commented"),
    "meters.reading_submit": _("Meter reading submitted"),
    "meters.reading_accept": _("Meter reading accepted"),
    "meters.reading_reject": _("Meter reading rejected"),
    "meters.reading_record": _("Meter reading recorded by the office"),
    "meters.readings_import": _("Meter readings imported"),
    "meters.window_create": _("Reading window set"),
    "meters.window_remind": _("Reading reminder sent"),
    "meters.settings_update": _("Meter reading settings changed"),
    "announcements.create": _("Announcement written"),
    "announcements.update": _("Announcement changed"),
    "announcements.send": _("Announcement e-mailed"),
    "announcements.withdraw": _("Announcement withdrawn"),
    "documents.upload": _("Document added"),
    "documents.update": _("Document changed"),
    "documents.replace_file": _("Document's file replaced"),
    "documents.archive": _("Document archived"),
    "documents.unarchive": _("Document restored"),
    "account.anonymised": _("Account anonymised"),
    "api.key_created": _("API key created"),
    "api.key_revoked": _("API key revoked"),
    "api.key_rotated": _("API key's secret replaced"),
    "api.key_scopes_changed": _("API key's permissions changed"),
    "api.key_used": _("File sent with an API key"),
    "api.token_issued": _("Signed in to the app"),
    "api.token_revoked": _("Signed out of the app"),
    "api.tokens_revoked": _("App sign-ins ended"),
    "notices.retried": _("E-mails sent again"),
    "jobs.retried": _("Nightly jobs run again"),
    "support.granted": _("Platform support given access"),
    "support.revoked": _("Platform support's access withdrawn"),
    "support.viewed": _("Viewed by platform support"),
    "cooperative.created": _("Cooperative set up on the platform"),
    "cooperative.suspended": _("Cooperative's service suspended"),
    "cooperative.reactivated": _("Cooperative's service resumed"),
}

# The audit log's filter: kinds of events, by the start of their action code.
ACTION_GROUPS = [
    ("login", _("Sign-ins")),
    ("account", _("Residents' accounts")),
    ("application", _("Access applications")),
    ("staff", _("Staff accounts")),
    ("configuration", _("Configuration")),
    ("regulation", _("Regulation")),
    ("registry", _("Estates and units")),
    ("import", _("Imports")),
    ("failures", _("Failure reports")),
    ("meters", _("Meter readings")),
    ("announcements", _("Announcements")),
    ("documents", _("Documents")),
    ("consent", _("Consents")),
    ("api", _("API (apps and systems)")),
    ("notices", _("E-mail notices")),
    ("jobs", _("Background jobs")),
    ("support", _("Platform support")),
    ("cooperative", _("The cooperative on the platform")),
]

TARGET_LABELS = {
    "instance_settings": _("the cooperative's configuration"),
    "meter settings": _("meter reading settings"),
}
# Targets written with a number in them: "failure #12", "40 rows", "3 e-mail(s)", "v2".
TARGET_PATTERNS = [
    (re.compile(r"^failure #(?P<number>\d+)$"), _("failure report no. %(number)s")),
    (re.compile(r"^(?P<number>\d+) rows$"), _("a file of %(number)s rows")),
    (re.compile(r"^(?P<number>\d+) e-mail\(s\)$"), _("e-mails: %(number)s")),
    (re.compile(r"^v(?P<number>\d+)$"), _("version %(number)s")),
]

DETAIL_LABELS = {
    "name": _("name"),
    "logo": _("logo"),
    "buildings": _("buildings"),
    "role": _("role"),
    "added": _("added"),
    "application": _("application no."),
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
}

# How the values of a detail read, registered by the module that writes them (foundations do not import the
# modules): {action prefix: {detail key: {code: label}}}. A module's AppConfig.ready() calls audit_values_register.
_VALUE_LABELS: dict[str, dict[str, dict[str, Any]]] = {}
_KEY_LABELS: dict[str, dict[str, Any]] = {}


def audit_values_register(*, prefix: str, values: dict[str, Any] | None = None, keys: Any = None) -> None:
    """For actions starting with `prefix`: `values` {detail key: a TextChoices class or {code: label}} says how
    the values read; `keys` (a TextChoices class or {key: label}) names details whose keys are codes."""
    _VALUE_LABELS.setdefault(prefix, {}).update({
        key: dict(choices.choices) if hasattr(choices, "choices") else dict(choices)
        for key, choices in (values or {}).items()})
    if keys is not None:
        _KEY_LABELS.setdefault(prefix, {}).update(dict(keys.choices) if hasattr(keys, "choices") else dict(keys))


def audit_action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def audit_target_label(target: str) -> str:
    if target in TARGET_LABELS:
        return str(TARGET_LABELS[target])
    for pattern, label in TARGET_PATTERNS:
        match = pattern.match(target)
        if match:
            return str(label) % match.groupdict()
    return target


def _model_for(action: str):
    from tenants_portal.configuration.models import InstanceSettings
    from tenants_portal.registry.models import Building, Estate, Office, Unit

    if action.startswith("configuration."):
        return InstanceSettings
    if action.startswith("registry."):
        return {"estate": Estate, "building": Building, "unit": Unit, "office": Office}.get(action.split(".")[1])
    return None


def _field_label(key: str, action: str) -> str:
    for prefix, names in _KEY_LABELS.items():
        if action.startswith(prefix) and key in names:
            return str(names[key])
    if key in DETAIL_LABELS:
        return str(DETAIL_LABELS[key])
    model = _model_for(action)
    if model is not None and key in {field.name for field in model._meta.concrete_fields}:
        return str(model._meta.get_field(key).verbose_name)
    return key.replace("_", " ")


def _registered(action: str) -> dict[str, dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for prefix, values in _VALUE_LABELS.items():
        if action.startswith(prefix):
            for key, labels in values.items():
                merged.setdefault(key, {}).update(labels)
    return merged


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _value(value, key: str = "", labels: dict[str, Any] | None = None) -> str:
    from tenants_portal.accounts.models import User

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
    if key == "role" and value in User.Role.values:
        return str(User.Role(value).label)
    if key == "closure" and value in User.Closure.values:
        return str(User.Closure(value).label)
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
    pairs = event.action.startswith(("configuration.", "registry.")) or event.action in (
        "staff.role_changed", "meters.settings_update", "api.key_scopes_changed")
    registered = _registered(event.action)
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
