from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tenants_portal.accounts"
    label = "accounts"
    verbose_name = "Konta"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - audit of authentication events
