from django.apps import AppConfig


class MetersConfig(AppConfig):
    name = "tenants_portal.meters"
    label = "meters"
