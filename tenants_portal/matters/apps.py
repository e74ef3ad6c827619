from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MattersConfig(AppConfig):
    name = "tenants_portal.matters"
    label = "matters"

    def ready(self) -> None:
        from tenants_portal.access.export import OwnDataSection, own_data_register
        from tenants_portal.audit.actions import AuditAction
        from tenants_portal.audit.labels import audit_values_register

        from . import selectors
        from .models import Matter, TopicKind

        audit_values_register(
            actions=[AuditAction.MATTER_FILED, AuditAction.MATTER_REPLIED, AuditAction.MATTER_STATUS_CHANGED,
                     AuditAction.MATTER_ASSIGNED, AuditAction.MATTER_REGISTER_EXPORTED,
                     AuditAction.MATTER_TOPICS_CHANGED, AuditAction.CERTIFICATE_ISSUED,
                     AuditAction.CERTIFICATE_REVOKED],
            values={"from": Matter.Status, "to": Matter.Status, "outcome": Matter.Outcome, "topic": TopicKind})
        own_data_register(OwnDataSection(
            key="matters", title=_("Matters with the office"), collect=selectors.own_data_matters,
            columns={"number": _("Register no."), "received_at": _("Received at"), "topic": _("Topic"),
                     "subject": _("Subject"), "status": _("Status"), "outcome": _("Outcome")}))
