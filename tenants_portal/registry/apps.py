from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "tenants_portal.registry"
    label = "registry"
    verbose_name = "Zasoby"
