from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "tenants_portal.documents"
    label = "documents"

    def ready(self) -> None:
        from tenants_portal.audit.actions import AuditAction
        from tenants_portal.audit.labels import audit_values_register

        from .models import Document

        audit_values_register(actions=[AuditAction.DOCUMENT_UPLOADED, AuditAction.DOCUMENT_CHANGED,
                                       AuditAction.DOCUMENT_FILE_REPLACED, AuditAction.DOCUMENT_ARCHIVED,
                                       AuditAction.DOCUMENT_UNARCHIVED],
                              values={"category": Document.Category, "visibility": Document.Visibility})
