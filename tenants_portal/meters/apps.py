from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetersConfig(AppConfig):
    name = "tenants_portal.meters"
    label = "meters"

    def ready(self) -> None:
        from tenants_portal.access.export import OwnDataSection, own_data_register

        from . import selectors

        own_data_register(OwnDataSection(
            key="meter_readings", title=_("Meter readings sent"), collect=selectors.own_data_readings,
            columns={"submitted_at": _("Submitted"), "unit": _("Unit"), "meter": _("Meter"),
                     "read_on": _("Reading date"), "reading": _("Reading"), "status": _("Status"),
                     "rejection_reason": _("Reason for rejection"), "photo": _("Photo")}))

        # The readings file plugs into the one import engine (billing_views.imports).
        from .imports import register

        register()
