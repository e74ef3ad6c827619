from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "tenants_portal.portal"
    label = "portal"
    verbose_name = "Portal"
