import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tenants_portal.audit.labels import audit_action_label, audit_details_text, audit_target_label

register = template.Library()


@register.filter
def audit_label(event) -> str:
    return audit_action_label(event.action)


@register.filter
def audit_details(event) -> list[str]:
    return audit_details_text(event)


@register.filter
def audit_target(event) -> str:
    return audit_target_label(event.target)


@register.filter
def age(moment: datetime.datetime) -> str:
    """How long something has waited, in the one unit a queue needs: hours on the first day, then days."""
    hours = int((timezone.now() - moment).total_seconds() // 3600)
    if hours < 1:
        return _("under an hour")
    if hours < 24:
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    days = hours // 24
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
