from django.apps import AppConfig


class MetersConfig(AppConfig):
    name = "tenants_portal.meters"
    label = "meters"

    def ready(self) -> None:
        # The readings file plugs into the one import engine (billing_views.imports).
        from .imports import register

        register()
