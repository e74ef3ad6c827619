from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FailuresConfig(AppConfig):
    name = "tenants_portal.failures"
    label = "failures"

    def ready(self) -> None:
        from tenants_portal.access.export import OwnDataSection, own_data_register
        from tenants_portal.audit.actions import AuditAction
        from tenants_portal.audit.labels import audit_values_register

        from . import selectors
        from .models import FailureReport

        audit_values_register(actions=[AuditAction.FAILURE_REPORTED, AuditAction.FAILURE_STATUS_CHANGED,
                                       AuditAction.FAILURE_ASSIGNED, AuditAction.FAILURE_COMMENTED],
                              values={"status": FailureReport.Status, "urgency": FailureReport.Urgency})
        own_data_register(OwnDataSection(
            key="failure_reports", title=_("Failure reports"), collect=selectors.own_data_failure_reports,
            columns={"number": _("No."), "reported_at": _("Reported at"), "category": _("Category"),
                     "place": _("Where"), "urgency": _("Urgency"), "description": _("Description"),
                     "status": _("Status"), "photos": _("Photos")}))
        own_data_register(OwnDataSection(
            key="failure_report_comments", title=_("Comments on failure reports"),
            collect=selectors.own_data_failure_comments,
            columns={"report": _("Report no."), "at": _("When"), "text": _("Comment")}))
