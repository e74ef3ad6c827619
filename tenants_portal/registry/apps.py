from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "tenants_portal.registry"
    label = "registry"
    verbose_name = "Zasoby"

    def ready(self) -> None:
        from tenants_portal.audit.actions import AuditAction
        from tenants_portal.audit.labels import audit_values_register

        from .models import Office
        from .services import REGISTRY_AUDIT_ACTIONS

        # A record's changes are written as {field: [before, after]}: the fields read by their verbose names.
        for model, actions in REGISTRY_AUDIT_ACTIONS.items():
            audit_values_register(actions=actions, model=model)
        audit_values_register(actions=[AuditAction.OFFICE_BUILDINGS_CHANGED], model=Office)
