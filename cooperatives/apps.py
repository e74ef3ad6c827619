from django.apps import AppConfig


class CooperativesConfig(AppConfig):
    name = "cooperatives"
    verbose_name = "Spółdzielnie"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects routing-cache invalidation
