"""Writes of the meters module: residents' readings, the office's decisions, windows, reminders (the readings file
is imported by the one import engine: meters/imports.py declares its format)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cooperatives.selectors import cooperative_url
from iok.text import plain_text
from iok.uploads import StoredFile, file_store, image_validate
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record, audit_record_each
from tenants_portal.modules import module_enabled
from tenants_portal.notices.models import NoticeKind
from tenants_portal.notices.services import notice_send

from . import selectors
from .models import Meter, MeterSettings, Reading, ReadingWindow


class ReadingNeedsConfirmation(Exception):
    """The reading is allowed but looks unusual: the resident must confirm it before it is saved."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def value_format(*, meter: Meter, value: Decimal) -> str:
    return formats.number_format(value, decimal_pos=meter.decimals)


def _refuse_lower(*, meter: Meter, value: Decimal, previous: Reading | None) -> None:
    if previous is not None and value < previous.value:
        raise ValidationError(
            _("The reading cannot be lower than the previous one (%(previous)s on %(date)s).") % {
                "previous": value_format(meter=meter, value=previous.value), "date": f"{previous.read_on:%d.%m.%Y}"},
            code="lower_than_previous")


def _refuse_unverified(*, meter: Meter, on: datetime.date) -> None:
    if meter.verified_until is not None and meter.verified_until < on:
        raise ValidationError(
            _("This meter's legal verification expired on %(date)s. Its readings cannot be accepted; "
              "please contact the office to have the meter replaced.") % {"date": f"{meter.verified_until:%d.%m.%Y}"},
            code="verification_expired")


def _unusual_warning(*, meter: Meter, value: Decimal, previous: Reading | None, on: datetime.date) -> str | None:
    """A warning when the consumption per day since the previous reading is over N× the meter's average."""
    if previous is None:
        return None
    average = selectors.consumption_daily_average(meter=meter)
    if not average or average <= 0:
        return None
    factor = selectors.meter_settings_get().plausibility_factor
    days = max((on - previous.read_on).days, 1)
    consumption = value - previous.value
    if consumption / days <= average * factor:
        return None
    return _("The consumption since the previous reading (%(consumption)s %(measure)s in %(days)d days) is more "
             "than %(factor)s times this meter's average. Please check the reading and confirm that it is correct.") % {
        "consumption": value_format(meter=meter, value=consumption), "measure": meter.measure, "days": days,
        "factor": formats.number_format(factor, decimal_pos=1 if factor % 1 else 0)}


def reading_photo_keep(*, photo: UploadedFile) -> StoredFile:
    """Check and store a photo sent with a reading that still needs the resident's confirmation, so that the
    confirmation keeps it (a browser cannot keep a file input's choice)."""
    photo.seek(0)
    data, content_type, extension = image_validate(photo)
    return file_store(data=data, folder="meters", extension=extension, content_type=content_type,
                      original_name=photo.name or "")


def reading_submit(*, acting_user: User, meter: Meter, value: Decimal, photo: UploadedFile | None = None,
                   kept_photo: StoredFile | None = None, confirmed: bool = False,
                   today: datetime.date | None = None) -> Reading:
    """A resident's own reading, inside the open reading window; it awaits the office's acceptance.
    `kept_photo` is one stored by reading_photo_keep before the confirmation; a new `photo` replaces it."""
    today = today or timezone.localdate()
    stored = kept_photo if photo is None else None
    if photo is not None:
        photo.seek(0)
        data, content_type, extension = image_validate(photo)
    with transaction.atomic():
        meter = Meter.objects.select_for_update().get(pk=meter.pk)
        window = selectors.reading_window_open(on=today)
        if window is None:
            raise ValidationError(_("Readings can be submitted only during a reading window set by the cooperative."),
                                  code="outside_window")
        if meter.removed_on is not None:
            raise ValidationError(_("This meter has been removed."), code="removed")
        _refuse_unverified(meter=meter, on=today)
        if selectors.reading_pending(meter=meter) is not None:
            raise ValidationError(_("A reading of this meter already awaits acceptance. If it is wrong, please "
                                    "contact the office."), code="pending")
        previous = selectors.reading_previous(meter=meter)
        _refuse_lower(meter=meter, value=value, previous=previous)
        warning = _unusual_warning(meter=meter, value=value, previous=previous, on=today)
        if warning and not confirmed:
            raise ReadingNeedsConfirmation(warning)
        if photo is not None:
            stored = file_store(data=data, folder="meters", extension=extension, content_type=content_type,
                                original_name=photo.name or "")
        reading = Reading.objects.create(
            meter=meter, read_on=today, value=value, source=Reading.Source.RESIDENT, status=Reading.Status.SUBMITTED,
            window=window, submitted_by=acting_user, unusual_confirmed=bool(warning),
            photo_path=stored.path if stored else "", photo_content_type=stored.content_type if stored else "")
        audit_record(acting_user=acting_user, action=AuditAction.READING_SUBMITTED, target=meter.serial_number,
                     details={"reading": reading.pk, "value": str(value), "unit": meter.unit_id,
                              "unusual_confirmed": bool(warning), "photo": stored is not None})
    return reading


def reading_record(*, acting_user: User, meter: Meter, value: Decimal, read_on: datetime.date) -> Reading:
    """A reading the office takes itself (e.g. at a meter replacement): accepted at once."""
    with transaction.atomic():
        meter = Meter.objects.select_for_update().get(pk=meter.pk)
        previous = selectors.reading_last_accepted(meter=meter, on=read_on)
        _refuse_lower(meter=meter, value=value, previous=previous)
        reading = Reading.objects.create(
            meter=meter, read_on=read_on, value=value, source=Reading.Source.STAFF, status=Reading.Status.ACCEPTED,
            submitted_by=acting_user, decided_by=acting_user, decided_at=timezone.now())
        audit_record(acting_user=acting_user, action=AuditAction.READING_RECORDED, target=meter.serial_number,
                     details={"reading": reading.pk, "value": str(value), "read_on": read_on.isoformat()})
    return reading


def _decidable(reading: Reading) -> Reading:
    reading = Reading.objects.select_for_update().get(pk=reading.pk)
    if reading.status != Reading.Status.SUBMITTED:
        raise ValidationError(_("This reading has already been decided."), code="decided")
    return reading


def reading_accept(*, acting_user: User, reading: Reading) -> Reading:
    with transaction.atomic():
        _decidable(reading)
        readings_accept(acting_user=acting_user, readings=Reading.objects.filter(pk=reading.pk))
    reading.refresh_from_db()
    return reading


def readings_accept(*, acting_user: User, readings: QuerySet[Reading]) -> int:
    """Accept those of `readings` that still await acceptance, at once; one audit row per reading.
    Returns how many were accepted (a reading decided meanwhile by someone else is left as it is)."""
    with transaction.atomic():
        chosen = list(readings.filter(status=Reading.Status.SUBMITTED).select_related("meter")
                      .select_for_update(of=("self",)).order_by("pk"))
        now = timezone.now()
        for reading in chosen:
            reading.status = Reading.Status.ACCEPTED
            reading.decided_by = acting_user
            reading.decided_at = now
        Reading.objects.bulk_update(chosen, ["status", "decided_by", "decided_at"])
        audit_record_each(acting_user=acting_user, action=AuditAction.READING_ACCEPTED, entries=[
            (reading.meter.serial_number, {"reading": reading.pk, "value": str(reading.value)}) for reading in chosen])
    return len(chosen)


def reading_reject(*, acting_user: User, reading: Reading, reason: str) -> Reading:
    reason = plain_text(reason)
    if not reason:
        raise ValidationError(_("Please give the reason for rejecting the reading."), code="reason")
    with transaction.atomic():
        reading = _decidable(reading)
        reading.status = Reading.Status.REJECTED
        reading.rejection_reason = reason
        reading.decided_by = acting_user
        reading.decided_at = timezone.now()
        reading.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
        audit_record(acting_user=acting_user, action=AuditAction.READING_REJECTED, target=reading.meter.serial_number,
                     details={"reading": reading.pk, "value": str(reading.value), "reason": reason})
    return reading


def reading_window_create(*, acting_user: User, starts_on: datetime.date, ends_on: datetime.date,
                          note: str = "") -> ReadingWindow:
    if ends_on < starts_on:
        raise ValidationError(_("The window cannot end before it starts."), code="order")
    with transaction.atomic():
        overlapping = ReadingWindow.objects.select_for_update().filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
        if overlapping.exists():
            raise ValidationError(_("The window overlaps another reading window (%(window)s).") % {
                "window": str(overlapping.first())}, code="overlap")
        window = ReadingWindow.objects.create(starts_on=starts_on, ends_on=ends_on, note=note.strip(),
                                              created_by=acting_user)
        audit_record(acting_user=acting_user, action=AuditAction.READING_WINDOW_CREATED, target=str(window),
                     details={"window": window.pk, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()})
    return window


def meter_settings_update(*, acting_user: User, plausibility_factor: Decimal) -> MeterSettings:
    with transaction.atomic():
        meter_settings = selectors.meter_settings_get()
        before = meter_settings.plausibility_factor
        meter_settings.plausibility_factor = plausibility_factor
        meter_settings.full_clean()
        meter_settings.save()
        audit_record(acting_user=acting_user, action=AuditAction.METER_SETTINGS_CHANGED, target="meter settings",
                     details={"plausibility_factor": [str(before), str(plausibility_factor)]})
    return meter_settings


def reading_window_reminders_send(*, today: datetime.date | None = None) -> list[str]:
    """Announce each open window, once, to the residents of units with meters; returns what was sent."""
    today = today or timezone.localdate()
    sent: list[str] = []
    if not module_enabled("meters"):
        return sent
    with transaction.atomic():
        windows = list(selectors.reading_windows_due_reminder(on=today).select_for_update(skip_locked=True))
        if not windows:
            return sent
        users = selectors.residents_with_meters(on=today)
        address = cooperative_url(path=reverse("meters:resident_meters"))
        for window in windows:
            count = notice_send(kind=NoticeKind.READING_WINDOW, key=f"reading_window:{window.pk}", users=users,
                                template="emails/meters_window_opened",
                                context={"window": window, "address": address})
            window.notified_at = timezone.now()
            window.save(update_fields=["notified_at"])
            audit_record(acting_user=None, action=AuditAction.READING_REMINDER_SENT, target=str(window),
                         details={"window": window.pk, "recipients": count})
            sent.append(f"{window}: {count}")
    return sent
