from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tenants_portal.audit"
    label = "audit"
    verbose_name = "Dziennik zdarzeń"
