from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tenants_portal.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from tenants_portal.audit.labels import audit_values_register

        from . import receivers  # noqa: F401 - tokens end with the password and with the account
        from .models import ApiKey

        audit_values_register(prefix="api.", values={"scopes": ApiKey.Scope})
