"""Fee-change notices' writes: the justification, and sending a change (refused when the act's deadline for
its month has passed). The change's lines come from the fee schedule import (imports.py)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from billing_views.exports import spreadsheet_csv
from iok.memo import request_memo_forget
from iok.uploads import file_delete_on_commit, file_store
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record
from tenants_portal.registry.models import Unit

from . import deadlines
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


def fee_notice_settings_update(*, acting_user: User, payment_day: int) -> FeeNoticeSettings:
    """The cooperative's payment day (art. 4 ust. 6; the deadline of art. 4 ust. 7¹ counts from it)."""
    with transaction.atomic():
        fee_settings, _created = FeeNoticeSettings.objects.select_for_update().get_or_create(pk=1)
        before = fee_settings.payment_day
        fee_settings.payment_day = payment_day
        fee_settings.full_clean()
        if before != payment_day:
            fee_settings.save()
            request_memo_forget(SETTINGS_MEMO)  # the rest of this request counts with the new day
            audit_record(acting_user=acting_user, action=AuditAction.FEE_CHANGE_SETTINGS_CHANGED,
                         target="fee change settings", details={"payment_day": [before, payment_day]})
    return fee_settings


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
        payment_day = fee_notice_settings_get().payment_day
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
    return notices


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

