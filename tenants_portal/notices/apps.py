from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "tenants_portal.notices"
    label = "notices"
    verbose_name = "Powiadomienia"

    def ready(self) -> None:
        from tenants_portal.audit.actions import AuditAction
        from tenants_portal.audit.labels import audit_values_register

        from .models import NoticeKind

        # Its own-data sections are registered by tenants_portal.access (AccessConfig.ready): the export lives
        # there, above the notices.
        audit_values_register(actions=[AuditAction.NOTICE_PREFERENCES_CHANGED], keys=NoticeKind)
