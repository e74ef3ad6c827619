"""Audit codes in one shape, `<noun>.<past participle>` (tenants_portal.audit.actions.AuditAction): stored rows
are renamed so the log keeps reading them. The mappings are written out here because the enum moves on."""

from django.db import migrations

OLD_TO_NEW = {
    "logout": "session.ended",
    "contact.updated": "contact.changed",
    "contact.email_verified": "email.verified",
    "notices.preferences_changed": "notice_preferences.changed",
    "account.password_reset": "one_time_password.issued",
    "application.grant": "grant_application.recorded",
    "application.withdraw": "withdrawal_application.recorded",
    "staff.role_changed": "staff_role.changed",
    "registry.estate.created": "estate.created",
    "registry.estate.changed": "estate.changed",
    "registry.estate.deleted": "estate.deleted",
    "registry.building.created": "building.created",
    "registry.building.changed": "building.changed",
    "registry.building.deleted": "building.deleted",
    "registry.unit.created": "unit.created",
    "registry.unit.changed": "unit.changed",
    "registry.unit.deleted": "unit.deleted",
    "registry.office.created": "office.created",
    "registry.office.changed": "office.changed",
    "registry.office.deleted": "office.deleted",
    "registry.office.buildings_changed": "office_buildings.changed",
    "import.inbox_started": "inbox_import.started",
    "failures.reported": "failure.reported",
    "failures.status_changed": "failure_status.changed",
    "failures.assigned": "failure.assigned",
    "failures.commented": "failure.commented",
    "meters.reading_submit": "reading.submitted",
    "meters.reading_accept": "reading.accepted",
    "meters.reading_reject": "reading.rejected",
    "meters.reading_record": "reading.recorded",
    "meters.readings_import": "readings.imported",
    "meters.window_create": "reading_window.created",
    "meters.window_remind": "reading_reminder.sent",
    "meters.settings_update": "meter_settings.changed",
    "announcements.create": "announcement.created",
    "announcements.update": "announcement.changed",
    "announcements.send": "announcement.sent",
    "announcements.withdraw": "announcement.withdrawn",
    "documents.upload": "document.uploaded",
    "documents.update": "document.changed",
    "documents.replace_file": "document_file.replaced",
    "documents.archive": "document.archived",
    "documents.unarchive": "document.unarchived",
    "api.key_created": "api_key.created",
    "api.key_revoked": "api_key.revoked",
    "api.key_rotated": "api_key.rotated",
    "api.key_scopes_changed": "api_key_scopes.changed",
    "api.key_used": "api_key.used",
    "api.token_issued": "api_token.issued",
    "api.token_revoked": "api_token.revoked",
    "api.tokens_revoked": "api_tokens.revoked",
    "notices.retried": "notice.retried",
    "jobs.retried": "job.retried",
}


def _rename(apps, mapping: dict[str, str]) -> None:
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for old, new in mapping.items():
        AuditEvent.objects.filter(action=old).update(action=new)


def forwards(apps, schema_editor) -> None:
    _rename(apps, OLD_TO_NEW)


def backwards(apps, schema_editor) -> None:
    _rename(apps, {new: old for old, new in OLD_TO_NEW.items()})


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
