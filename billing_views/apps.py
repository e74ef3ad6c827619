from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "billing_views"
    label = "ledger"
    verbose_name = "Rozrachunki"

    def ready(self) -> None:
        from tenants_portal.audit.actions import AuditAction
        from tenants_portal.audit.labels import audit_values_register

        from .models import ImportRun

        audit_values_register(actions=[AuditAction.IMPORT_RECEIVED, AuditAction.IMPORT_RETRIED,
                                       AuditAction.IMPORT_CONFIRMED, AuditAction.INBOX_IMPORT_STARTED],
                              values={"source": ImportRun.Source})
