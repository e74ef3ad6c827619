from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tenants_portal.accounts"
    label = "accounts"
    verbose_name = "Konta"

    def ready(self) -> None:
        from tenants_portal.audit.actions import AuditAction
        from tenants_portal.audit.labels import audit_values_register

        from . import signals  # noqa: F401 - audit of authentication events
        from .models import User

        # A role or a reason for closing reads by its label in any row that names one.
        audit_values_register(actions=AuditAction, values={"role": User.Role, "closure": User.Closure})
