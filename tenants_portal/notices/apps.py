from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "tenants_portal.notices"
    label = "notices"
    verbose_name = "Powiadomienia"

    def ready(self) -> None:
        from tenants_portal.audit.labels import audit_values_register

        from .models import NoticeKind

        audit_values_register(prefix="notices.preferences_changed", keys=NoticeKind)
