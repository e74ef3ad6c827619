from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "tenants_portal.notices"
    label = "notices"
    verbose_name = "Powiadomienia"

    def ready(self) -> None:
        from tenants_portal.accounts.export import OwnDataSection, own_data_register
        from tenants_portal.audit.actions import AuditAction
        from tenants_portal.audit.labels import audit_values_register

        from . import selectors
        from .models import NoticeKind

        audit_values_register(actions=[AuditAction.NOTICE_PREFERENCES_CHANGED], keys=NoticeKind)
        own_data_register(OwnDataSection(
            key="notice_choices", title=_("E-mail notices chosen"), collect=selectors.own_data_notice_choices,
            columns={"notice": _("Notice"), "send": _("Sent by e-mail")}))
        own_data_register(OwnDataSection(
            key="emails", title=_("E-mails sent to you"), collect=selectors.own_data_emails,
            columns={"created_at": _("Created"), "notice": _("Notice"), "to_address": _("Address"),
                     "status": _("Status"), "sent_at": _("Sent")}))
