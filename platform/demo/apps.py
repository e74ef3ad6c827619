from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed for its management command (load_demo) only: the demo has no models."""

    name = "demo"
    verbose_name = "Demo"
