"""Writes of the announcements module: create, edit before publication, withdraw, mark read, and send
the e-mail to the audience exactly once (at creation when published now, else by the periodic job).

Who may write is checked once, by the office's views (their section and access_announcement_for_staff);
the services do not repeat the role check."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from iok.uploads import CheckedUpload, file_delete_on_commit, file_store
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record
from tenants_portal.notices.models import NoticeKind
from tenants_portal.notices.services import notice_send
from tenants_portal.registry.models import Building, Estate

from .models import Announcement, AnnouncementAttachment, AnnouncementRead
from .selectors import announcement_audience, announcements_unsent_due

EMAIL_TEMPLATE = "emails/announcements_published"


def announcement_rules_check(*, scope: str, estate: Estate | None, building: Building | None,
                             publish_at: datetime.datetime | None, expires_at: datetime.datetime | None,
                             now: datetime.datetime | None = None) -> dict[str, str]:
    """The rules an announcement must satisfy, as {field: message}; empty when it is fine."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if scope == Announcement.Scope.ESTATE and estate is None:
        errors["estate"] = _("Choose the estate the announcement is for.")
    if scope == Announcement.Scope.BUILDING and building is None:
        errors["building"] = _("Choose the building the announcement is for.")
    published = max(publish_at or now, now)
    if expires_at is not None and expires_at <= published:
        errors["expires_at"] = _("The expiry must be later than the publication.")
    return errors


def _audience_fields(*, scope: str, estate: Estate | None, building: Building | None) -> dict:
    return {"scope": scope, "estate": estate if scope == Announcement.Scope.ESTATE else None,
            "building": building if scope == Announcement.Scope.BUILDING else None}


def _attachments_store(*, announcement: Announcement, attachments: list[CheckedUpload]) -> None:
    for upload in attachments:
        stored = file_store(data=upload.data, folder="announcements", extension=upload.extension,
                            content_type=upload.content_type, original_name=upload.name)
        AnnouncementAttachment.objects.create(announcement=announcement, path=stored.path,
                                              content_type=stored.content_type, size=stored.size,
                                              original_name=stored.original_name)


def _link(announcement: Announcement) -> str:
    from cooperatives.selectors import cooperative_url

    return cooperative_url(path=reverse("announcements:resident_detail", args=[announcement.pk]))


def announcement_notice_key(announcement: Announcement) -> str:
    return f"announcement:{announcement.pk}"


def _notify(*, announcement: Announcement, now: datetime.datetime) -> int:
    """Enqueue the e-mails (after commit) and mark the announcement sent, in the caller's transaction."""
    users = list(announcement_audience(announcement=announcement))
    count = notice_send(kind=NoticeKind.ANNOUNCEMENT, key=announcement_notice_key(announcement), users=users,
                        template=EMAIL_TEMPLATE,
                        context={"announcement": announcement, "url": _link(announcement)})
    announcement.notified_at = now
    announcement.recipients_count = count
    announcement.save(update_fields=["notified_at", "recipients_count", "updated_at"])
    return count


def _validated(*, scope, estate, building, publish_at, expires_at, now) -> datetime.datetime:
    errors = announcement_rules_check(scope=scope, estate=estate, building=building, publish_at=publish_at,
                                      expires_at=expires_at, now=now)
    if errors:
        raise ValidationError(errors)
    # A publication time that has already passed means "now": the announcement is never backdated.
    return max(publish_at or now, now)


def announcement_create(*, acting_user: User, title: str, body: str, scope: str, estate: Estate | None = None,
                        building: Building | None = None, publish_at: datetime.datetime | None = None,
                        expires_at: datetime.datetime | None = None, pinned: bool = False,
                        attachments: Sequence[CheckedUpload] = ()) -> Announcement:
    """Create an announcement; published now (no `publish_at`, or one that has passed) it is e-mailed at once."""
    now = timezone.now()
    publish_at = _validated(scope=scope, estate=estate, building=building, publish_at=publish_at,
                            expires_at=expires_at, now=now)
    with transaction.atomic():
        announcement = Announcement.objects.create(
            title=title, body=body, publish_at=publish_at, expires_at=expires_at, pinned=pinned,
            created_by=acting_user, **_audience_fields(scope=scope, estate=estate, building=building))
        _attachments_store(announcement=announcement, attachments=list(attachments))
        if publish_at <= now:
            _notify(announcement=announcement, now=now)
        audit_record(acting_user=acting_user, action=AuditAction.ANNOUNCEMENT_CREATED, target=title, details={
            "id": announcement.pk, "audience": announcement.audience_label, "publish_at": publish_at.isoformat(),
            "attachments": len(attachments), "recipients": announcement.recipients_count})
    return announcement


def announcement_update(*, acting_user: User, announcement: Announcement, title: str, body: str, scope: str,
                        estate: Estate | None = None, building: Building | None = None,
                        publish_at: datetime.datetime | None = None, expires_at: datetime.datetime | None = None,
                        pinned: bool = False, attachments: Sequence[CheckedUpload] = (),
                        attachments_remove: Sequence[int] = ()) -> Announcement:
    """Edit an announcement that is not published yet; moved to now, it is published and e-mailed."""
    now = timezone.now()
    publish_at = _validated(scope=scope, estate=estate, building=building, publish_at=publish_at,
                            expires_at=expires_at, now=now)
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if locked.status_at(now) != Announcement.Status.SCHEDULED:
            raise ValidationError(_("Only an announcement that is not published yet can be edited."))
        locked.title, locked.body, locked.pinned = title, body, pinned
        locked.publish_at, locked.expires_at = publish_at, expires_at
        for name, value in _audience_fields(scope=scope, estate=estate, building=building).items():
            setattr(locked, name, value)
        locked.save()
        removed = locked.attachments.filter(pk__in=list(attachments_remove))
        removed_files = list(removed.values_list("original_name", "path"))
        removed.delete()
        for _name, path in removed_files:
            file_delete_on_commit(path=path)
        _attachments_store(announcement=locked, attachments=list(attachments))
        if publish_at <= now and locked.notified_at is None:
            _notify(announcement=locked, now=now)
        audit_record(acting_user=acting_user, action=AuditAction.ANNOUNCEMENT_CHANGED, target=title, details={
            "id": locked.pk, "audience": locked.audience_label, "publish_at": publish_at.isoformat(),
            "attachments_added": len(attachments), "attachments_removed": [name for name, _path in removed_files],
            "recipients": locked.recipients_count})
    return locked


def announcement_withdraw(*, acting_user: User, announcement: Announcement) -> Announcement:
    """Take an announcement off residents' pages (a scheduled one is then never sent)."""
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if locked.withdrawn_at is not None:
            raise ValidationError(_("The announcement has already been withdrawn."))
        status = locked.status
        locked.withdrawn_at, locked.withdrawn_by = timezone.now(), acting_user
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "updated_at"])
        audit_record(acting_user=acting_user, action=AuditAction.ANNOUNCEMENT_WITHDRAWN, target=locked.title,
                     details={"id": locked.pk, "status_before": str(status)})
    return locked


def announcement_mark_read(*, user: User, announcement: Announcement) -> AnnouncementRead:
    read, _created = AnnouncementRead.objects.get_or_create(user=user, announcement=announcement)
    return read


def announcements_publish_due(*, now: datetime.datetime | None = None) -> list[int]:
    """E-mail every announcement whose publication time has passed and that has not been sent yet.

    Each one in its own transaction, locked (other runs skip it) and re-checked, so that running the
    job twice, or two workers at once, sends each announcement once. Returns the ids sent.
    """
    now = now or timezone.now()
    due = announcements_unsent_due(now=now)
    sent: list[int] = []
    for announcement_id in due.values_list("pk", flat=True).order_by("publish_at", "pk"):
        with transaction.atomic():
            announcement = (due.select_for_update(skip_locked=True, of=("self",)).select_related("estate", "building")
                            .filter(pk=announcement_id).first())
            if announcement is None:
                continue
            count = _notify(announcement=announcement, now=now)
            audit_record(acting_user=None, action=AuditAction.ANNOUNCEMENT_SENT, target=announcement.title,
                         details={"id": announcement.pk, "recipients": count})
            sent.append(announcement.pk)
    return sent
