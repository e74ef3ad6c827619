"""The cooperative's staff console: one navigation, one table of who may use which part (roles),
the console's start page and the staff accounts. No models of its own."""
from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "tenants_portal.console"
    label = "console"
    verbose_name = "Biuro"
