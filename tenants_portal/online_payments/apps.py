from django.apps import AppConfig


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
