from django.apps import AppConfig


class RegulationConfig(AppConfig):
    name = "tenants_portal.regulation"
    label = "regulation"
    verbose_name = "Regulamin i zgody"
