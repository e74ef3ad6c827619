"""The resident's own data, for GDPR access and portability (art. 15 and 20)."""

from typing import Any

from django.utils import timezone

from tenants_portal.access.models import AccessApplication
from tenants_portal.audit.models import AuditEvent
from tenants_portal.regulation.models import Consent, RegulationAcceptance

from .models import User


def _when(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def own_data_collect(*, user: User) -> dict[str, Any]:
    from tenants_portal.portal.selectors import person_of

    person = person_of(user)
    titles = []
    if person is not None:
        for title in person.legal_titles.select_related("unit__building").order_by("start_date"):
            titles.append({
                "unit": str(title.unit), "unit_kind": title.unit.get_kind_display(),
                "legal_title": title.get_kind_display(),
                "from": title.start_date.isoformat(), "until": title.end_date.isoformat() if title.end_date else None,
            })
    return {
        "generated_at": _when(timezone.now()),
        "account": {
            "login": user.username, "first_name": user.first_name, "last_name": user.last_name,
            "email": user.email, "email_verified_at": _when(user.email_verified_at), "phone": user.phone,
            "created_at": _when(user.date_joined), "last_login": _when(user.last_login),
            "password_changed_at": _when(user.password_changed_at),
        },
        "legal_titles": titles,
        "access_applications": [
            {"kind": application.get_kind_display(), "submitted_on": application.submitted_on.isoformat(),
             "identity_document_shown": application.get_identity_document_display(),
             "units": [str(unit) for unit in application.units.all()]}
            for application in AccessApplication.objects.filter(person=person).prefetch_related("units")
        ] if person is not None else [],
        "regulation_acceptances": [
            {"version": acceptance.regulation.version, "title": acceptance.regulation.title,
             "accepted_at": _when(acceptance.accepted_at), "ip_address": acceptance.ip_address}
            for acceptance in RegulationAcceptance.objects.filter(user=user).select_related("regulation")
        ],
        "consents": [
            {"purpose": consent.purpose.title, "wording_version": consent.wording_version, "wording": consent.wording,
             "given_at": _when(consent.given_at), "withdrawn_at": _when(consent.withdrawn_at)}
            for consent in Consent.objects.filter(user=user).select_related("purpose")
        ],
        "sign_in_history": [
            {"event": event.action, "at": _when(event.at), "ip_address": event.ip_address}
            for event in AuditEvent.objects.filter(actor=user, action__startswith="login.")[:200]
        ],
    }
