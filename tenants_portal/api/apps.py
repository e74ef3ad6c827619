from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tenants_portal.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - tokens end with the password and with the account
