from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "tenants_portal.access"
    label = "access"
    verbose_name = "Dostęp do IOK"

    def ready(self) -> None:
        from tenants_portal.audit.actions import AuditAction
        from tenants_portal.audit.labels import audit_values_register

        from .models import AccessApplication

        audit_values_register(
            actions=[AuditAction.GRANT_APPLICATION_RECORDED, AuditAction.WITHDRAWAL_APPLICATION_RECORDED],
            values={"identity_document": AccessApplication.IdentityDocument})
