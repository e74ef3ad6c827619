from django.apps import AppConfig


class AnnouncementsConfig(AppConfig):
    name = "tenants_portal.announcements"
    label = "announcements"

    def ready(self) -> None:
        from tenants_portal.audit.labels import audit_values_register

        from .models import Announcement

        audit_values_register(prefix="announcements.", values={"status_before": Announcement.Status})
