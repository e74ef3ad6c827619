from django.apps import AppConfig


class FailuresConfig(AppConfig):
    name = "tenants_portal.failures"
    label = "failures"
