from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "tenants_portal.notices"
    label = "notices"
    verbose_name = "Powiadomienia"
