from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "tenants_portal.access"
    label = "access"
    verbose_name = "Dostęp do IOK"
