from django.apps import AppConfig


class ConfigurationConfig(AppConfig):
    name = "tenants_portal.configuration"
    label = "configuration"
    verbose_name = "Konfiguracja"
