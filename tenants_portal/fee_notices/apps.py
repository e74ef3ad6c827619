from django.apps import AppConfig


class FeeNoticesConfig(AppConfig):
    name = "tenants_portal.fee_notices"
    label = "fee_notices"

    def ready(self) -> None:
        from tenants_portal.audit.actions import AuditAction
        from tenants_portal.audit.labels import audit_values_register

        from .models import Basis, FeeChange, FeeNotice

        audit_values_register(actions=[AuditAction.FEE_CHANGE_IMPORTED, AuditAction.FEE_CHANGE_JUSTIFIED,
                                       AuditAction.FEE_CHANGE_SENT, AuditAction.FEE_CHANGE_EXPORTED],
                               values={"basis": Basis}, model=FeeChange)
        audit_values_register(actions=[AuditAction.FEE_CHANGE_PAPER_DELIVERED],
                              values={"method": FeeNotice.DeliveryMethod})

        # Delivery (i21-delivery): where a notice was first opened; the coming fee on the ledger page.
        from billing_views.coming import coming_fees_register

        from .selectors import coming_fees_of_unit
        from .services import OpenedVia

        audit_values_register(actions=[AuditAction.FEE_NOTICE_OPENED], values={"source": OpenedVia})
        coming_fees_register(coming_fees_of_unit)

        # The fee schedule file plugs into the one import engine (billing_views.imports).
        from .imports import register

        register()
