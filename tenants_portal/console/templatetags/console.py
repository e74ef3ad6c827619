from django import template

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
