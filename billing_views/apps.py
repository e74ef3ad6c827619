from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "billing_views"
    label = "ledger"
    verbose_name = "Rozrachunki"

    def ready(self) -> None:
        from tenants_portal.audit.labels import audit_values_register

        from .models import ImportRun

        audit_values_register(prefix="import.", values={"source": ImportRun.Source})
