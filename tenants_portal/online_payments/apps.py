from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnlinePaymentsConfig(AppConfig):
    name = "tenants_portal.online_payments"
    label = "online_payments"

    def ready(self) -> None:
        # Every payments file the import engine merges settles the provisional entries it brings the
        # bank's copy of, inside the import's own transaction.
        from billing_views.imports import sql
        from iok import encryption  # noqa: F401 (registers the deploy check of its keys)

        from .settlement import settle_from_import

        sql.after_merge_register("payments", settle_from_import)

        from tenants_portal.access.export import OwnDataSection, own_data_register

        from .selectors import own_data_payments

        own_data_register(OwnDataSection(
            key="online_payments", title=_("Online payments"), collect=own_data_payments,
            columns={"created_at": _("Started"), "reference": _("Reference"), "gateway": _("Payment gateway"),
                     "amount": _("Amount charged"), "fee": _("Fee"), "units": _("Units"), "status": _("Status"),
                     "paid_at": _("Paid")}))
