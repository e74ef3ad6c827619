"""Fee-change notices' writes: the justification, and sending a change (refused when the act's deadline for
its month has passed). The change's lines come from the fee schedule import (imports.py)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import override

from billing_views.exports import spreadsheet_csv
from cooperatives.selectors import cooperative_url
from iok.memo import request_memo_forget
from iok.uploads import file_delete_on_commit, file_store
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record
from tenants_portal.configuration.selectors import instance_settings_get
from tenants_portal.notices.models import Notice
from tenants_portal.notices.services import notice_send
from tenants_portal.registry.models import Unit

from . import deadlines, selectors
from .models import BASIS_SHORT, FeeChange, FeeNotice, FeeNoticeSettings
from .selectors import (
    DELIVERED_STATES,
    DELIVERY_STATE_LABELS,
    SETTINGS_MEMO,
    DeliveryState,
    fee_change_dashboard,
    fee_change_units,
    fee_notice_settings_get,
    units_title_holders,
)

FOLDER = "fee_notices"
PDF_SIGNATURE = b"%PDF-"


def _target(fee_change: FeeChange) -> str:
    return f"fee change #{fee_change.pk}"


def _month(day: datetime.date) -> str:
    return formats.date_format(day, "j E Y")


def _draft_locked(fee_change: FeeChange) -> FeeChange:
    """The change, locked for this transaction; a change already sent is a legal act done and never changes."""
    locked = FeeChange.objects.select_for_update().get(pk=fee_change.pk)
    if locked.is_sent:
        raise ValidationError(_("This fee change was already sent to residents and can no longer be changed."),
                              code="already_sent")
    return locked


def _pdf_checked(upload: UploadedFile) -> bytes:
    """The justification's PDF, checked by its content (a resolution scanned to PDF), before any transaction."""
    if upload.size is not None and upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(_("The file is larger than %(limit)d MB.") % {
            "limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}, code="too_large")
    upload.seek(0)
    data = upload.read()
    if not data.startswith(PDF_SIGNATURE):
        raise ValidationError(_("“%(name)s” is not a PDF document.") % {"name": upload.name}, code="not_pdf")
    return data


def fee_change_justification_set(*, acting_user: User, fee_change: FeeChange, text: str,
                                 pdf: UploadedFile | None = None, pdf_remove: bool = False) -> FeeChange:
    """The written justification the act requires (art. 4 ust. 7 and 7¹): a text, a PDF (e.g. the board's
    resolution) or both; only while the change is a draft. `pdf` replaces the stored file, `pdf_remove` drops it."""
    data = _pdf_checked(pdf) if pdf is not None else None
    text = text.strip()
    with transaction.atomic():
        fee_change = _draft_locked(fee_change)
        old_path = fee_change.justification_pdf_path
        fee_change.justification = text
        if data is not None and pdf is not None:
            stored = file_store(data=data, folder=FOLDER, extension="pdf", content_type="application/pdf",
                                original_name=pdf.name or "uzasadnienie.pdf")
            fee_change.justification_pdf_path = stored.path
            fee_change.justification_pdf_name = stored.original_name
            fee_change.justification_pdf_size = stored.size
        elif pdf_remove:
            fee_change.justification_pdf_path = fee_change.justification_pdf_name = ""
            fee_change.justification_pdf_size = 0
        fee_change.save(update_fields=["justification", "justification_pdf_path", "justification_pdf_name",
                                       "justification_pdf_size"])
        if old_path and old_path != fee_change.justification_pdf_path:
            file_delete_on_commit(path=old_path)
        audit_record(acting_user=acting_user, action=AuditAction.FEE_CHANGE_JUSTIFIED, target=_target(fee_change),
                     details={"fee_change": fee_change.pk, "justification_text": bool(text),
                              "file": fee_change.justification_pdf_name})
    return fee_change


def fee_change_send(*, acting_user: User, fee_change: FeeChange, today: datetime.date) -> FeeChange:
    """Send a draft change to every unit it has lines for. Refused, with nothing changed, when it has no lines
    or no written justification, or when `today` (the cooperative's date) is after the last day its notice
    can be delivered: the message names that day and the earliest month the change can still take effect from.
    Every unit shares the deadline (the payment day is the cooperative's, one for all its units), so one late
    unit means all are late."""
    with transaction.atomic():
        fee_change = _draft_locked(fee_change)
        units = list(fee_change_units(fee_change=fee_change))
        if not units:
            raise ValidationError(_("The fee change has no lines: import its fee schedule first."), code="no_lines")
        if not fee_change.justification and not fee_change.justification_pdf_path:
            raise ValidationError(_("A change of fees needs a written justification (art. 4 ust. 7 of the act on "
                                    "housing cooperatives): add its text or a PDF before sending."),
                                  code="no_justification")
        payment_day = instance_settings_get().payment_day
        deadline = deadlines.delivery_deadline(effective_month=fee_change.effective_month, basis=fee_change.basis,
                                               payment_day=payment_day)
        if today > deadline:
            earliest = deadlines.earliest_effective_month(basis=fee_change.basis, on=today, payment_day=payment_day)
            raise ValidationError(_(
                "It is too late to send this change: on the basis of %(basis)s the notice of a change from "
                "%(month)s had to be delivered by %(deadline)s (units: %(count)d). The earliest month the change "
                "can take effect from if sent today is %(earliest)s; import the fee schedule with od = %(od)s.") % {
                "basis": BASIS_SHORT[fee_change.basis], "month": _month(fee_change.effective_month),
                "deadline": f"{deadline:%d.%m.%Y}", "count": len(units), "earliest": _month(earliest),
                "od": f"{earliest:%m.%Y}"}, code="too_late")
        notices = fee_change_deliver(acting_user=acting_user, fee_change=fee_change, units=units, today=today)
        audit_record(acting_user=acting_user, action=AuditAction.FEE_CHANGE_SENT, target=_target(fee_change),
                     details={"fee_change": fee_change.pk, "effective_month": fee_change.effective_month.isoformat(),
                              "basis": fee_change.basis, "deadline": deadline.isoformat(), "units": len(notices)})
    return fee_change


def fee_change_deliver(*, acting_user: User, fee_change: FeeChange, units: list[Unit], today: datetime.date
                       ) -> list[FeeNotice]:
    """The delivery of a change being sent (called by fee_change_send, inside its transaction, on the locked
    draft): records the change as sent and creates one notice per unit, addressed to the unit's title holders
    on `today`, its channel not decided yet. What delivers the notices — the channel chosen by each resident's
    consent, the e-mails through the outbox, the print batch — builds on these rows, here."""
    fee_change.status, fee_change.sent_at, fee_change.sent_by = FeeChange.Status.SENT, timezone.now(), acting_user
    fee_change.save(update_fields=["status", "sent_at", "sent_by"])
    notices = FeeNotice.objects.bulk_create([FeeNotice(fee_change=fee_change, unit=unit) for unit in units])
    holders = units_title_holders(units=units, on=today)
    through = FeeNotice.addressees.through
    through.objects.bulk_create([through(feenotice_id=notice.pk, person_id=person_id)
                                 for notice in notices for person_id in holders.get(notice.unit_id, [])])
    fee_notices_deliver(fee_change=fee_change, notices=notices)
    return notices


# Paper delivery: the register of letters handed over or sent by registered mail.

PAPER_METHODS = (FeeNotice.DeliveryMethod.IN_PERSON, FeeNotice.DeliveryMethod.REGISTERED_MAIL)


def fee_notice_paper_delivery_record(*, acting_user: User, notice: FeeNotice, delivered_on: datetime.date,
                                     method: str, registered_mail_number: str, today: datetime.date) -> FeeNotice:
    """Record that a paper notice was delivered: in person against a signature, or by registered mail with
    its number (required then). Refused, with nothing changed, for a notice that is not on paper, one whose
    delivery is already recorded (a record is proof and is not rewritten; a mistake is corrected by the
    administrator in the database, with the audit trail), a date after `today` (the cooperative's date) or
    before the day the change was sent."""
    number = " ".join(registered_mail_number.split())
    if method not in PAPER_METHODS:
        raise ValidationError(_("Choose how the letter was delivered: in person or by registered mail."),
                              code="method")
    if method == FeeNotice.DeliveryMethod.REGISTERED_MAIL and not number:
        raise ValidationError(_("Enter the registered mail number (from the posting receipt)."),
                              code="number_required")
    if method == FeeNotice.DeliveryMethod.IN_PERSON:
        number = ""  # a number belongs to registered mail only
    with transaction.atomic():
        notice = FeeNotice.objects.select_for_update().select_related("fee_change", "unit").get(pk=notice.pk)
        if notice.channel != FeeNotice.Channel.PAPER:
            raise ValidationError(_("This notice is not delivered on paper: its delivery is not recorded in the "
                                    "paper register."), code="not_paper")
        if notice.delivered_on is not None or notice.delivery_method:
            raise ValidationError(_("The delivery of this notice is already recorded (%(date)s): a record of "
                                    "delivery is not changed.") % {
                "date": f"{notice.delivered_on:%d.%m.%Y}" if notice.delivered_on else "—"},
                code="already_recorded")
        sent_on = timezone.localdate(notice.fee_change.sent_at) if notice.fee_change.sent_at else today
        if delivered_on > today:
            raise ValidationError(_("The delivery date cannot be in the future."), code="future")
        if delivered_on < sent_on:
            raise ValidationError(_("The delivery date cannot be before the change was sent (%(date)s).") % {
                "date": f"{sent_on:%d.%m.%Y}"}, code="before_sent")
        notice.delivered_on, notice.delivery_method = delivered_on, method
        notice.registered_mail_number = number
        notice.save(update_fields=["delivered_on", "delivery_method", "registered_mail_number"])
        audit_record(acting_user=acting_user, action=AuditAction.FEE_CHANGE_PAPER_DELIVERED,
                     target=_target(notice.fee_change),
                     details={"fee_change": notice.fee_change_id, "unit": str(notice.unit),
                              "delivered_on": delivered_on.isoformat(), "method": method,
                              "registered_mail_number": number})
    return notice
# ---- delivery (i21-delivery): the channel, the e-mails, receipt, unopened notices to paper ----------------

class OpenedVia(models.TextChoices):
    """Where the resident first opened a notice (the audit row of the receipt says)."""

    PAGE = "page", _lazy("the notice's page")
    LETTER = "letter", _lazy("the letter (PDF)")
    API = "api", _lazy("the app (API)")
    API_LETTER = "api_letter", _lazy("the letter (PDF) in the app (API)")


def fee_notice_url(*, notice: FeeNotice) -> str:
    """The notice's page on the cooperative's address (what the e-mail links to)."""
    return cooperative_url(path=reverse("fee_notices:resident_notice", args=[notice.pk]))


def fee_notices_deliver(*, fee_change: FeeChange, notices: list[FeeNotice]) -> dict[str, int]:
    """Choose each new notice's channel and deliver the electronic ones (inside the sending transaction).

    Electronic when at least one addressee has an open account with a live consent to electronic delivery
    (E_DELIVERY_CONSENT) and a confirmed e-mail address: each such addressee gets one e-mail through the
    outbox, queued after commit, saying that the notice waits in the portal and linking to it (no amounts).
    Paper otherwise — no addressee with an account (a unit nobody has an account for), no consent, no
    confirmed address: the notice goes into the print batch, so nobody is left without a delivery."""
    recipients = selectors.e_delivery_recipients(notices=notices)
    electronic = [notice for notice in notices if recipients.get(notice.pk)]
    paper = [notice for notice in notices if not recipients.get(notice.pk)]
    FeeNotice.objects.filter(pk__in=[notice.pk for notice in electronic]).update(
        channel=FeeNotice.Channel.ELECTRONIC)
    FeeNotice.objects.filter(pk__in=[notice.pk for notice in paper]).update(channel=FeeNotice.Channel.PAPER)
    for notice in electronic:
        notice.channel = FeeNotice.Channel.ELECTRONIC
        # A legal delivery the resident consented to: not one of the notices they can switch off.
        notice_send(kind=Notice.Kind.FEE_NOTICE, key=f"fee_notice:{notice.pk}", users=recipients[notice.pk],
                    template="emails/fee_notice", respect_preferences=False, context={
                        "unit": notice.unit, "effective_month": fee_change.effective_month,
                        "address": fee_notice_url(notice=notice)})
    for notice in paper:
        notice.channel = FeeNotice.Channel.PAPER
    return {"electronic": len(electronic), "paper": len(paper)}


def fee_notice_open(*, user: User, notice: FeeNotice, via: str) -> FeeNotice:
    """The resident opened their notice (its page or its letter, in the portal or the app): the first
    opening by one of its addressees is the confirmation of receipt — its time and who, recorded once under
    a lock; later openings change nothing. Only an addressee's own account counts (the caller has checked
    access with selectors.access_resident_fee_notice; staff and other residents never get here)."""
    if notice.opened_at is not None:
        return notice
    with transaction.atomic():
        locked = FeeNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.opened_at is None:
            locked.opened_at, locked.opened_by = timezone.now(), user
            locked.save(update_fields=["opened_at", "opened_by"])
            audit_record(acting_user=user, action=AuditAction.FEE_NOTICE_OPENED, target=f"fee notice #{locked.pk}",
                         details={"fee_change": locked.fee_change_id, "unit": locked.unit_id, "source": via})
    notice.opened_at, notice.opened_by_id = locked.opened_at, locked.opened_by_id
    return notice


def fee_notices_unopened_to_paper(*, today: datetime.date) -> list[int]:
    """Electronic notices not opened within the cooperative's days (FeeNoticeSettings.paper_after_days)
    go to paper (the print batch): the job's one write, audited; returns their ids. A notice opened
    meanwhile is skipped (the lock is taken first)."""
    with transaction.atomic():
        due = list(selectors.fee_notices_unopened_due(today=today).select_for_update(skip_locked=True)
                   .values_list("pk", flat=True))
        if not due:
            return []
        FeeNotice.objects.filter(pk__in=due).update(channel=FeeNotice.Channel.PAPER)
        audit_record(acting_user=None, action=AuditAction.FEE_NOTICES_MOVED_TO_PAPER,
                     target=f"{len(due)} fee notice(s)",
                     details={"fee_notices": due, "paper_after_days": fee_notice_settings_get().paper_after_days})
    return due


def fee_notice_paper_days_update(*, acting_user: User, paper_after_days: int) -> FeeNoticeSettings:
    """How many days an electronic notice may stay unopened before it goes on paper."""
    with transaction.atomic():
        fee_settings, _created = FeeNoticeSettings.objects.select_for_update().get_or_create(pk=1)
        before = fee_settings.paper_after_days
        fee_settings.paper_after_days = paper_after_days
        fee_settings.full_clean()
        if before != paper_after_days:
            fee_settings.save()
            request_memo_forget(SETTINGS_MEMO)
            audit_record(acting_user=acting_user, action=AuditAction.FEE_CHANGE_SETTINGS_CHANGED,
                         target="fee change settings", details={"paper_after_days": [before, paper_after_days]})
    return fee_settings


# The board's export of a change's delivery (the office's dashboard, staff_views).
EXPORT_HEADER = ("Lokal", "Adres", "Adresaci", "Stan doręczenia", "Kanał", "Otwarte przez mieszkańca",
                 "Data doręczenia", "Sposób doręczenia", "Numer przesyłki poleconej", "Termin doręczenia",
                 "Dni do terminu", "Po terminie")


def fee_change_delivery_export(*, acting_user: User, fee_change: FeeChange, today: datetime.date,
                               ip_address: str | None = None) -> tuple[str, int]:
    """The delivery of a change's notices on `today`, one row per unit, as CSV for the board (Polish headers,
    `;`, UTF-8 with BOM, as the office's other exports): who it is addressed to, its state, the proof (the
    resident's first opening, or the day and way of the paper delivery) and the days left to the deadline for
    those not delivered yet. Audited: the file names residents."""
    dashboard = fee_change_dashboard(fee_change=fee_change, today=today)
    rows = []
    with override(settings.LANGUAGE_CODE):
        # The board reads it in the cooperative's language, whoever downloads it.
        for row in dashboard.rows:
            notice = row.notice
            delivered = row.state in DELIVERED_STATES
            rows.append([
                notice.unit.code or "", str(notice.unit), ", ".join(str(person) for person in notice.addressees.all()),
                str(DELIVERY_STATE_LABELS[row.state]), notice.get_channel_display(),
                f"{timezone.localtime(notice.opened_at):%d.%m.%Y %H:%M}" if notice.opened_at else None,
                row.delivered_on,
                notice.get_delivery_method_display() if row.state == DeliveryState.PAPER_DELIVERED else (
                    str(FeeNotice.DeliveryMethod.ELECTRONIC.label) if row.state == DeliveryState.OPENED else None),
                (notice.registered_mail_number or None) if row.state == DeliveryState.PAPER_DELIVERED else None,
                dashboard.deadline, None if delivered else dashboard.days_left,
                _("yes") if row.late else _("no")])
    audit_record(acting_user=acting_user, action=AuditAction.FEE_CHANGE_EXPORTED, target=_target(fee_change),
                 details={"fee_change": fee_change.pk, "count": len(rows)}, ip_address=ip_address)
    return spreadsheet_csv(header=EXPORT_HEADER, rows=rows), len(rows)

