from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    name = "tenants_portal.announcements"
    label = "announcements"

    def ready(self) -> None:
        from tenants_portal.access.export import OwnDataSection, own_data_register
        from tenants_portal.audit.actions import AuditAction
        from tenants_portal.audit.labels import audit_values_register

        from . import selectors
        from .models import Announcement

        audit_values_register(actions=[AuditAction.ANNOUNCEMENT_CREATED, AuditAction.ANNOUNCEMENT_CHANGED,
                                       AuditAction.ANNOUNCEMENT_SENT, AuditAction.ANNOUNCEMENT_WITHDRAWN],
                              values={"status_before": Announcement.Status})
        own_data_register(OwnDataSection(
            key="announcements_read", title=_("Announcements read"), collect=selectors.own_data_announcements_read,
            columns={"announcement": _("Announcement"), "read_at": _("Read at")}))
