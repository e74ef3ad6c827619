"""Writes of the matters module: file a matter (entered in the correspondence register), reply, change the
status, assign, issue and revoke certificates of no arrears, close the account a withdrawal asks for.

Who may change a matter is checked once, where the office reaches it: the view's section and access_matter;
the services do not repeat the role check."""

import datetime
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.selectors import cooperative_url
from iok.text import plain_text
from iok.uploads import CheckedUpload, document_validate, file_store, uploads_check
from tenants_portal.access.services import account_close
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record
from tenants_portal.configuration.selectors import instance_settings_get
from tenants_portal.notices.models import NoticeKind
from tenants_portal.notices.services import notice_send
from tenants_portal.registry.models import Unit

from .models import (
    Certificate,
    Matter,
    MatterAttachment,
    MatterEntry,
    MatterTopic,
    RegisterCounter,
    ReplyTemplate,
    TopicKind,
)
from .selectors import (
    MAX_ATTACHMENTS,
    certificate_valid_of,
    is_matter_staff,
    matter_units_for,
    today,
    unit_arrears,
)

ATTACHMENT_FOLDER = "matters"
# Unambiguous letters and digits (no 0/O, 1/I/L): read from paper and typed by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16  # 16 characters of 31: about 79 bits, not guessable through a rate-limited page


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _target(matter: Matter) -> str:
    return f"matter {matter.register_number}"


def matter_attachments_check(*, uploads: list[UploadedFile]) -> list[CheckedUpload]:
    """The files chosen for a matter or a reply: PDF documents or photos, each checked by its content (photos
    re-encoded), at most MAX_ATTACHMENTS at a time."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(_("You can attach at most %(max)d files; you chose %(count)d.") % {
            "max": MAX_ATTACHMENTS, "count": len(uploads)}, code="too_many")
    return uploads_check(uploads, validate=document_validate)


def _attachments_store(*, matter: Matter, entry: MatterEntry, attachments: Sequence[CheckedUpload]) -> int:
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(_("You can attach at most %(max)d files; you chose %(count)d.") % {
            "max": MAX_ATTACHMENTS, "count": len(attachments)}, code="too_many")
    stored = [file_store(data=upload.data, folder=ATTACHMENT_FOLDER, extension=upload.extension,
                         content_type=upload.content_type, original_name=upload.name) for upload in attachments]
    MatterAttachment.objects.bulk_create([
        MatterAttachment(matter=matter, entry=entry, path=file.path, content_type=file.content_type, size=file.size,
                         original_name=file.original_name) for file in stored])
    return len(stored)


def _entry(*, matter: Matter, kind: str, author: User | None, text: str = "", status_from: str = "",
           status_to: str = "") -> MatterEntry:
    return MatterEntry.objects.create(matter=matter, kind=kind, author=author, author_name=_name(author), text=text,
                                      status_from=status_from, status_to=status_to)


def register_number_next(*, year: int) -> int:
    """The next number of the year's register. Call inside the transaction that creates the matter: the year's
    counter row stays locked until it ends, so concurrent matters wait in turn, and a rollback returns the
    number (no gap)."""
    RegisterCounter.objects.bulk_create([RegisterCounter(year=year)], ignore_conflicts=True)
    counter = RegisterCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _matter_url(matter: Matter) -> str:
    return cooperative_url(path=reverse("matters:resident_matter", args=[matter.pk]))


def _notify(*, matter: Matter, key: str, what: Any, text: str = "") -> None:
    """The resident's e-mail at a reply or status change (their notice preferences apply)."""
    notice_send(kind=NoticeKind.MATTER, key=key, users=[matter.resident], template="emails/matters_changed",
                context={"matter": matter, "number": matter.register_number, "subject": matter.subject,
                         "what": what, "status": Matter.Status(matter.status).label,
                         "outcome": Matter.Outcome(matter.outcome).label if matter.outcome else "",
                         "text": text, "matter_url": _matter_url(matter)})


def matter_create(*, acting_user: User, topic: MatterTopic, unit: Unit, fields: dict[str, Any], subject: str = "",
                  description: str = "", attachments: Sequence[CheckedUpload] = ()) -> Matter:
    """A resident files a matter about one of their units: it is entered in this year's register, gets the
    topic's due date and goes to the office serving the unit. `fields` were cleaned by the topic's form."""
    subject, description = plain_text(subject)[:200], plain_text(description)
    if not topic.is_active:
        raise ValidationError(_("This topic is no longer offered; please choose another."), code="topic_inactive")
    if unit.pk not in {own.pk for own in matter_units_for(user=acting_user)}:
        raise ValidationError(_("Choose one of your units."), code="invalid_unit")
    if topic.kind == TopicKind.OTHER and not subject:
        raise ValidationError({"subject": ValidationError(_("Give the subject of your matter."), code="required")})
    if topic.kind == TopicKind.OTHER and not description:
        raise ValidationError({"description": ValidationError(_("Describe your matter."), code="required")})
    received_at = timezone.now()
    received_on = timezone.localdate(received_at)
    with transaction.atomic():
        number = register_number_next(year=received_on.year)
        matter = Matter.objects.create(
            year=received_on.year, number=number, topic=topic, kind=topic.kind, resident=acting_user,
            resident_name=_name(acting_user), unit=unit, office=unit.building.office, subject=subject or topic.name,
            description=description, fields=fields, received_at=received_at,
            due_on=received_on + datetime.timedelta(days=topic.due_days))
        entry = _entry(matter=matter, kind=MatterEntry.Kind.RECEIVED, author=acting_user, text=description,
                       status_to=matter.status)
        entry.created_at = received_at
        entry.save(update_fields=["created_at"])
        count = _attachments_store(matter=matter, entry=entry, attachments=attachments)
        audit_record(acting_user=acting_user, action=AuditAction.MATTER_FILED, target=_target(matter),
                     details={"topic": topic.kind, "unit": unit.pk, "attachments": count})
        if (topic.kind == TopicKind.CERTIFICATE and instance_settings_get().matters_certificate_auto
                and not unit_arrears(unit=unit, on=received_on).in_arrears):
            certificate_issue(acting_user=None, matter=matter, automatic=True)
    return matter


def matter_reply(*, acting_user: User, matter: Matter, text: str, attachments: Sequence[CheckedUpload] = (),
                 internal: bool = False) -> MatterEntry:
    """A reply of the resident or the office (with attachments), or the office's internal note. The office's
    reply is e-mailed to the resident; the resident's reply to a matter waiting for them hands it back."""
    text = plain_text(text)
    if not text:
        raise ValidationError({"text": ValidationError(_("Write the reply."), code="required")})
    staff = is_matter_staff(acting_user)
    if not staff and (internal or matter.resident_id != acting_user.pk):
        raise ValidationError(_("You cannot reply in this matter."), code="not_allowed")
    with transaction.atomic():
        matter = Matter.objects.select_for_update().get(pk=matter.pk)
        if matter.is_closed and not staff:
            raise ValidationError(_("This matter is closed. To continue, please file a new one."), code="closed")
        kind = (MatterEntry.Kind.NOTE if internal else
                MatterEntry.Kind.OFFICE_REPLY if staff else MatterEntry.Kind.RESIDENT_REPLY)
        entry = _entry(matter=matter, kind=kind, author=acting_user, text=text)
        count = _attachments_store(matter=matter, entry=entry, attachments=attachments)
        # The resident's answer hands a waiting matter back to the office; the office's first reply takes it up.
        takes_up = matter.status == (Matter.Status.RECEIVED if staff else Matter.Status.WAITING)
        if takes_up and not internal:
            _status_set(matter=matter, status=Matter.Status.IN_PROGRESS, acting_user=acting_user)
        else:
            Matter.objects.filter(pk=matter.pk).update(updated_at=entry.created_at)
        audit_record(acting_user=acting_user, action=AuditAction.MATTER_REPLIED, target=_target(matter),
                     details={"internal": internal, "attachments": count})
        if staff and not internal:
            _notify(matter=matter, key=f"matter_reply:{entry.pk}", what=gettext_lazy("The office has replied."),
                    text=text)
    return entry


def _status_set(*, matter: Matter, status: str, acting_user: User | None, outcome: str = "",
                text: str = "") -> MatterEntry:
    previous = matter.status
    matter.status = status
    matter.outcome = outcome if status == Matter.Status.CLOSED else ""
    matter.closed_at = timezone.now() if status == Matter.Status.CLOSED else None
    matter.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    entry = _entry(matter=matter, kind=MatterEntry.Kind.STATUS, author=acting_user, text=text, status_from=previous,
                   status_to=status)
    details: dict[str, Any] = {"from": previous, "to": status}
    if outcome:
        details["outcome"] = outcome
    audit_record(acting_user=acting_user, action=AuditAction.MATTER_STATUS_CHANGED, target=_target(matter),
                 details=details)
    return entry


def matter_status_change(*, acting_user: User, matter: Matter, status: str, outcome: str = "",
                         text: str = "") -> Matter:
    """The office moves the matter on: in progress, waiting for the resident, closed (with an outcome), or
    opens a closed one again; the resident is e-mailed."""
    text = plain_text(text)
    if status not in Matter.Status.values or status == Matter.Status.RECEIVED:
        raise ValidationError({"status": ValidationError(_("Choose the new status."), code="invalid_status")})
    if status == Matter.Status.CLOSED and outcome not in Matter.Outcome.values:
        raise ValidationError({"outcome": ValidationError(_("Choose the outcome the matter is closed with."),
                                                          code="outcome_required")})
    if status == Matter.Status.WAITING and not text:
        raise ValidationError({"text": ValidationError(_("Tell the resident what the office is waiting for."),
                                                       code="text_required")})
    with transaction.atomic():
        matter = Matter.objects.select_for_update().get(pk=matter.pk)
        if matter.status == status:
            raise ValidationError({"status": ValidationError(_("The matter already has this status."),
                                                             code="unchanged")})
        entry = _status_set(matter=matter, status=status, acting_user=acting_user,
                            outcome=outcome if status == Matter.Status.CLOSED else "", text=text)
        _notify(matter=matter, key=f"matter_status:{entry.pk}",
                what=gettext_lazy("The status of your matter has changed."), text=text)
    return matter


def matter_assign(*, acting_user: User, matter: Matter, assignee: User | None) -> Matter:
    if assignee is not None and (not is_matter_staff(assignee) or not assignee.is_active):
        raise ValidationError(_("A matter can be assigned only to a member of the office's staff."),
                              code="not_staff_assignee")
    with transaction.atomic():
        matter = Matter.objects.select_for_update().get(pk=matter.pk)
        if matter.assigned_to_id == (assignee.pk if assignee else None):
            return matter
        matter.assigned_to = assignee
        matter.save(update_fields=["assigned_to", "updated_at"])
        _entry(matter=matter, kind=MatterEntry.Kind.ASSIGNED, author=acting_user,
               text=_name(assignee) if assignee else "")
        audit_record(acting_user=acting_user, action=AuditAction.MATTER_ASSIGNED, target=_target(matter),
                     details={"assigned_to": assignee.get_username() if assignee else None})
    return matter


def matters_assign(*, acting_user: User, matters: Sequence[Matter], assignee: User | None) -> int:
    """Bulk assignment from the queue: all of them or none. How many changed hands."""
    changed = 0
    with transaction.atomic():
        for matter in matters:
            before = matter.assigned_to_id
            after = matter_assign(acting_user=acting_user, matter=matter, assignee=assignee)
            changed += int(after.assigned_to_id != before)
    return changed


def certificate_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _index in range(CODE_LENGTH))


def certificate_verification_url(*, code: str) -> str:
    """Where the QR code and the printed address lead: the cooperative's own site (cooperative_url)."""
    return cooperative_url(path=reverse("certificate_verification:code", args=[code]))


def certificate_issue(*, acting_user: User | None, matter: Matter, automatic: bool = False) -> Certificate:
    """Issue the certificate of no arrears a matter asks for, if the unit is not in arrears today (Warsaw);
    the matter is closed as granted and the resident e-mailed. `acting_user` None: issued automatically."""
    on = today()
    with transaction.atomic():
        matter = Matter.objects.select_for_update().select_related("unit__building").get(pk=matter.pk)
        if matter.kind != TopicKind.CERTIFICATE:
            raise ValidationError(_("This matter does not ask for a certificate of no arrears."),
                                  code="not_certificate")
        if certificate_valid_of(matter=matter) is not None:
            raise ValidationError(_("A certificate has already been issued in this matter."), code="already_issued")
        arrears = unit_arrears(unit=matter.unit, on=on)
        if arrears.in_arrears:
            raise ValidationError(
                _("The certificate cannot be issued: on %(date)s the unit is in arrears of %(amount)s zł. "
                  "It can be issued once the arrears are paid and booked.") % {
                    "date": on.strftime("%d.%m.%Y"), "amount": f"{arrears.overdue:.2f}".replace(".", ",")},
                code="in_arrears")
        previous = matter.certificates.count()
        holders = sorted({str(title.person) for title in matter.unit.legal_titles.select_related("person")
                          .filter(start_date__lte=on).exclude(end_date__lt=on)})
        certificate = Certificate.objects.create(
            matter=matter, unit=matter.unit,
            number=matter.register_number + (f"/{previous + 1}" if previous else ""),
            unit_address=unit_address_line(matter.unit), holder_names=", ".join(holders) or matter.resident_name,
            as_of=on, code=certificate_code_new(), issued_by=acting_user)
        _entry(matter=matter, kind=MatterEntry.Kind.CERTIFICATE, author=acting_user, text=certificate.number)
        audit_record(acting_user=acting_user if acting_user is not None else matter.resident,
                     action=AuditAction.CERTIFICATE_ISSUED, target=_target(matter),
                     details={"certificate": certificate.number, "auto": automatic})
        if not matter.is_closed:
            _status_set(matter=matter, status=Matter.Status.CLOSED, acting_user=acting_user,
                        outcome=Matter.Outcome.GRANTED)
        _notify(matter=matter, key=f"certificate:{certificate.pk}",
                what=gettext_lazy("Your certificate of no arrears has been issued; you can download it from the "
                                  "matter's page."))
    return certificate


def unit_address_line(unit: Unit) -> str:
    building = unit.building
    return f"{unit}, {building.postal_code} {building.city}"


def certificate_revoke(*, acting_user: User, certificate: Certificate, reason: str) -> Certificate:
    """The office revokes a certificate (issued by mistake): the public page says so from now on."""
    reason = plain_text(reason)
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Give the reason for revoking the certificate."),
                                                         code="required")})
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.is_revoked:
            raise ValidationError(_("This certificate has already been revoked."), code="already_revoked")
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason
        certificate.save(update_fields=["revoked_at", "revoked_reason"])
        audit_record(acting_user=acting_user, action=AuditAction.CERTIFICATE_REVOKED,
                     target=_target(certificate.matter), details={"certificate": certificate.number,
                                                                  "reason": reason})
    return certificate


def matter_account_close(*, acting_user: User, matter: Matter) -> Matter:
    """A withdrawal of IOK access: the office closes the resident's account through the one closing flow
    (tenants_portal.access, audited there) and closes the matter as granted."""
    if matter.kind != TopicKind.ACCESS_WITHDRAWAL:
        raise ValidationError(_("This matter is not a withdrawal of IOK access."), code="not_withdrawal")
    with transaction.atomic():
        matter = Matter.objects.select_for_update().select_related("resident").get(pk=matter.pk)
        account = matter.resident
        if account.is_active:
            account_close(acting_user=acting_user, account=account, closure=User.Closure.RESIDENT_REQUEST,
                          note=_("Application %(number)s filed in the portal.") % {"number": matter.register_number})
        if not matter.is_closed:
            _status_set(matter=matter, status=Matter.Status.CLOSED, acting_user=acting_user,
                        outcome=Matter.Outcome.GRANTED, text=_("The IOK account has been closed."))
    return matter


def matter_topic_update(*, acting_user: User, topic: MatterTopic, name: str, due_days: int,
                        is_active: bool) -> MatterTopic:
    name = plain_text(name)
    if not name:
        raise ValidationError({"name": ValidationError(_("Give the topic's name."), code="required")})
    with transaction.atomic():
        changed = [field for field, value in (("name", name), ("due_days", due_days), ("is_active", is_active))
                   if getattr(topic, field) != value]
        if not changed:
            return topic
        topic.name, topic.due_days, topic.is_active = name, due_days, is_active
        topic.save(update_fields=changed)
        audit_record(acting_user=acting_user, action=AuditAction.MATTER_TOPICS_CHANGED, target=topic.name,
                     details={"changed": changed})
    return topic


def reply_template_add(*, acting_user: User, topic: MatterTopic, title: str, text: str) -> ReplyTemplate:
    title, text = plain_text(title), plain_text(text)
    if not title or not text:
        raise ValidationError(_("Give the template's title and text."), code="required")
    with transaction.atomic():
        template = ReplyTemplate.objects.create(topic=topic, title=title, text=text)
        audit_record(acting_user=acting_user, action=AuditAction.MATTER_TOPICS_CHANGED, target=topic.name,
                     details={"added": title})
    return template


def reply_template_remove(*, acting_user: User, template: ReplyTemplate) -> None:
    with transaction.atomic():
        topic_name, title = template.topic.name, template.title
        template.delete()
        audit_record(acting_user=acting_user, action=AuditAction.MATTER_TOPICS_CHANGED, target=topic_name,
                     details={"removed": title})


def register_exported(*, acting_user: User, year: int, format: str, count: int) -> None:
    audit_record(acting_user=acting_user, action=AuditAction.MATTER_REGISTER_EXPORTED, target=f"{count} matter(s)",
                 details={"year": year, "format": format})

