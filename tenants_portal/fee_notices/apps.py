from django.apps import AppConfig


class FeeNoticesConfig(AppConfig):
    name = "tenants_portal.fee_notices"
    label = "fee_notices"

    def ready(self) -> None:
        from tenants_portal.audit.actions import AuditAction
        from tenants_portal.audit.labels import audit_values_register

        from .models import Basis, FeeChange

        audit_values_register(actions=[AuditAction.FEE_CHANGE_IMPORTED, AuditAction.FEE_CHANGE_JUSTIFIED,
                                       AuditAction.FEE_CHANGE_SENT, AuditAction.FEE_CHANGE_EXPORTED],
                               values={"basis": Basis}, model=FeeChange)

        # The fee schedule file plugs into the one import engine (billing_views.imports).
        from .imports import register

        register()
