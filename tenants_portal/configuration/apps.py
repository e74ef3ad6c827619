from django.apps import AppConfig


class ConfigurationConfig(AppConfig):
    name = "tenants_portal.configuration"
    label = "configuration"
    verbose_name = "Konfiguracja"

    def ready(self) -> None:
        from tenants_portal.audit.actions import AuditAction
        from tenants_portal.audit.labels import audit_values_register

        from .models import InstanceSettings

        # Changes are written as {field: [before, after]}: the fields read by their verbose names.
        audit_values_register(actions=[AuditAction.CONFIGURATION_CHANGED], model=InstanceSettings)
