from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "billing_views"
    label = "ledger"
    verbose_name = "Rozrachunki"
