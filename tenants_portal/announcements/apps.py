from django.apps import AppConfig


class AnnouncementsConfig(AppConfig):
    name = "tenants_portal.announcements"
    label = "announcements"
