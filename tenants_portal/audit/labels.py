"""How audit rows read to office staff: each action code in plain words, each detail by its name."""

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
}

DETAIL_LABELS = {
    "name": _("name"),
    "logo": _("logo"),
    "buildings": _("buildings"),
    "role": _("role"),
}


def audit_action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def audit_target_label(target: str) -> str:
    return str(TARGET_LABELS.get(target, target))


def _model_for(action: str):
    from tenants_portal.configuration.models import InstanceSettings
    from tenants_portal.registry.models import Building, Estate, Office, Unit

    if action.startswith("configuration."):
        return InstanceSettings
    if action.startswith("registry."):
        return {"estate": Estate, "building": Building, "unit": Unit, "office": Office}.get(action.split(".")[1])
    return None


def _field_label(key: str, action: str) -> str:
    if key in DETAIL_LABELS:
        return str(DETAIL_LABELS[key])
    model = _model_for(action)
    if model is not None and key in {field.name for field in model._meta.concrete_fields}:
        return str(model._meta.get_field(key).verbose_name)
    return key.replace("_", " ")


def _value(value, key: str = "") -> str:
    from tenants_portal.accounts.models import User

    if value is None or value == "":
        return "—"
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if isinstance(value, list):
        return ", ".join(_value(item, key) for item in value) or "—"
    if key == "role" and value in User.Role.values:
        return str(User.Role(value).label)
    return str(value)


def audit_details_text(event: AuditEvent) -> list[str]:
    """'minimum password length: 6 → 10' for a [before, after] pair, 'key: value' otherwise."""
    lines = []
    pairs = event.action.startswith(("configuration.", "registry.")) or event.action == "staff.role_changed"
    for key, value in (event.details or {}).items():
        label = _field_label(key, event.action)
        if pairs and isinstance(value, list) and len(value) == 2:
            lines.append(f"{label}: {_value(value[0], key)} → {_value(value[1], key)}")
        else:
            lines.append(f"{label}: {_value(value, key)}")
    return lines
