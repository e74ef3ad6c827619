from django.apps import AppConfig


class CooperativesConfig(AppConfig):
    name = "cooperatives"
    verbose_name = "Spółdzielnie"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401 - registers the host check, connects routing-cache invalidation
