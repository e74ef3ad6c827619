from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "tenants_portal.documents"
    label = "documents"

    def ready(self) -> None:
        from tenants_portal.audit.labels import audit_values_register

        from .models import Document

        audit_values_register(prefix="documents.", values={"category": Document.Category,
                                                           "visibility": Document.Visibility})
