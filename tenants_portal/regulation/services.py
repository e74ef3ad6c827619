from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record

from .models import Consent, ConsentPurpose, RegulationAcceptance, RegulationVersion
from .selectors import regulation_current_forget


def regulation_publish(*, title: str, text: str, acting_user: User | None) -> RegulationVersion:
    """Publish a new version: every resident is asked to accept it at their next sign-in."""
    if not text.strip():
        raise ValidationError(_("The regulation text cannot be empty."), code="empty")
    with transaction.atomic():
        # Serialise publishing so that two admins cannot both create the same version number.
        RegulationVersion.objects.select_for_update().order_by("-version").first()
        version = (RegulationVersion.objects.aggregate(Max("version"))["version__max"] or 0) + 1
        regulation = RegulationVersion.objects.create(
            version=version, title=title.strip(), text=text.strip(),
            published_by=acting_user if acting_user is not None and acting_user.pk else None)
        audit_record(acting_user=acting_user, action=AuditAction.REGULATION_PUBLISHED, target=f"v{version}",
                     details={"title": regulation.title})
        transaction.on_commit(regulation_current_forget)
    regulation_current_forget()
    return regulation


def regulation_accept(*, user: User, regulation: RegulationVersion,
                      ip_address: str | None) -> RegulationAcceptance:
    try:
        with transaction.atomic():
            acceptance = RegulationAcceptance.objects.create(user=user, regulation=regulation, ip_address=ip_address)
            audit_record(acting_user=user, action=AuditAction.REGULATION_ACCEPTED, target=f"v{regulation.version}",
                         ip_address=ip_address)
    except IntegrityError:  # accepted already, e.g. in another tab
        acceptance = RegulationAcceptance.objects.get(user=user, regulation=regulation)
    return acceptance


def consent_give(*, user: User, purpose: ConsentPurpose, ip_address: str | None = None) -> Consent:
    with transaction.atomic():
        live = Consent.objects.select_for_update().filter(user=user, purpose=purpose, withdrawn_at__isnull=True).first()
        if live is not None and live.wording_version == purpose.wording_version:
            return live
        if live is not None:  # consented to an older wording: that consent ends, the new one starts
            live.withdrawn_at = timezone.now()
            live.save(update_fields=["withdrawn_at"])
        consent = Consent.objects.create(user=user, purpose=purpose, wording_version=purpose.wording_version,
                                         wording=purpose.wording)
        audit_record(acting_user=user, action=AuditAction.CONSENT_GIVEN, target=purpose.code,
                     details={"wording_version": purpose.wording_version}, ip_address=ip_address)
    return consent


def consent_withdraw(*, user: User, purpose: ConsentPurpose, ip_address: str | None = None) -> bool:
    with transaction.atomic():
        withdrawn = Consent.objects.filter(user=user, purpose=purpose, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now())
        if withdrawn:
            audit_record(acting_user=user, action=AuditAction.CONSENT_WITHDRAWN, target=purpose.code,
                         ip_address=ip_address)
    return bool(withdrawn)
