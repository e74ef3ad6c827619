from django.apps import AppConfig


class FailuresConfig(AppConfig):
    name = "tenants_portal.failures"
    label = "failures"

    def ready(self) -> None:
        from tenants_portal.audit.labels import audit_values_register

        from .models import FailureReport

        audit_values_register(prefix="failures.", values={"status": FailureReport.Status,
                                                          "urgency": FailureReport.Urgency})
