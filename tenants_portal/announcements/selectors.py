"""Reads of the announcements module: what a resident sees, the office's list, the audience."""

import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from iok.access import access_get
from iok.formats import local
from tenants_portal.accounts.models import User
from tenants_portal.accounts.roles import Section, may_use
from tenants_portal.registry.models import LegalTitle
from tenants_portal.registry.selectors import person_of, units_current_for_person

from .models import Announcement, AnnouncementAttachment, AnnouncementRead

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

class ResidentAnnouncementFields(TypedDict):
    """What announcements_for_resident annotates each announcement with."""

    is_read: bool
    attachment_count: int


def _live(now: datetime.datetime) -> Q:
    """Published, not withdrawn and not expired at `now`."""
    return (Q(withdrawn_at__isnull=True, publish_at__lte=now)
            & (Q(expires_at__isnull=True) | Q(expires_at__gt=now)))


def _audience_of_resident(user: User) -> Q | None:
    """The announcements addressed to the resident's current units' buildings, their estates and the
    cooperative; None when the resident holds no unit now (then they are in no audience)."""
    if not user.is_authenticated or not user.is_resident:
        return None
    units = units_current_for_person(person=person_of(user))
    if not units:
        return None
    buildings = {unit.building_id for unit in units}
    estates = {unit.building.estate_id for unit in units}
    return (Q(scope=Announcement.Scope.COOPERATIVE)
            | Q(scope=Announcement.Scope.ESTATE, estate_id__in=estates)
            | Q(scope=Announcement.Scope.BUILDING, building_id__in=buildings))


def announcements_for_resident(
        *, user: User, now: datetime.datetime | None = None,
) -> "QuerySet[WithAnnotations[Announcement, ResidentAnnouncementFields]]":
    """Live announcements for the resident, pinned first, then newest; each with `is_read`."""
    audience = _audience_of_resident(user)
    read = AnnouncementRead.objects.filter(user=user, announcement=OuterRef("pk"))
    if audience is None:  # nobody's audience: none, yet filterable by the same annotations
        return Announcement.objects.annotate(is_read=Exists(read), attachment_count=Count("attachments")).none()
    return (Announcement.objects.filter(audience & _live(now or timezone.now()))
            .select_related("estate", "building")
            .annotate(is_read=Exists(read), attachment_count=Count("attachments"))
            .order_by("-pinned", "-publish_at", "-pk"))


def announcements_unread_count(*, user: User) -> int:
    """How many live announcements for the resident they have not opened yet (0 for anyone else)."""
    audience = _audience_of_resident(user)
    if audience is None:
        return 0
    return (Announcement.objects.filter(audience & _live(timezone.now()))
            .exclude(Exists(AnnouncementRead.objects.filter(user=user, announcement=OuterRef("pk")))).count())


def access_announcement_for_resident(
        *, user: User, id: int) -> "WithAnnotations[Announcement, ResidentAnnouncementFields]":
    """A live announcement the resident is in the audience of; 404 for anything else."""
    return access_get(announcements_for_resident(user=user), pk=id)


def access_announcement_for_staff(*, user: User, id: int) -> Announcement:
    return access_get(Announcement.objects.select_related("estate", "building", "created_by", "withdrawn_by")
                      .annotate(read_count=Count("reads", distinct=True)), pk=id,
                      allowed=may_use(user, Section.ANNOUNCEMENTS))


def access_announcement_attachment(*, user: User, announcement_id: int, id: int) -> AnnouncementAttachment:
    """Staff, or a resident in the audience of the live announcement; the same 404 otherwise."""
    if may_use(user, Section.ANNOUNCEMENTS):
        announcement = access_announcement_for_staff(user=user, id=announcement_id)
    else:
        announcement = access_announcement_for_resident(user=user, id=announcement_id)
    return access_get(announcement.attachments.all(), pk=id)


def announcements_for_staff(*, status: str = "") -> QuerySet[Announcement]:
    """The office's list, newest publication first; `status` narrows to one status."""
    now = timezone.now()
    announcements = (Announcement.objects.select_related("estate", "building", "created_by")
                     .annotate(read_count=Count("reads", distinct=True)).order_by("-publish_at", "-pk"))
    if status == Announcement.Status.WITHDRAWN:
        return announcements.filter(withdrawn_at__isnull=False)
    if status == Announcement.Status.SCHEDULED:
        return announcements.filter(withdrawn_at__isnull=True, publish_at__gt=now)
    if status == Announcement.Status.EXPIRED:
        return announcements.filter(withdrawn_at__isnull=True, publish_at__lte=now, expires_at__lte=now)
    if status == Announcement.Status.PUBLISHED:
        return announcements.filter(_live(now))
    return announcements


def announcements_unsent_due(*, now: datetime.datetime) -> QuerySet[Announcement]:
    """Live announcements whose e-mail has not been sent yet."""
    return Announcement.objects.filter(_live(now), notified_at__isnull=True)


def announcement_audience(*, announcement: Announcement, on: datetime.date | None = None) -> QuerySet[User]:
    """Open resident accounts with a current legal title to a unit in the targeted buildings."""
    on = on or timezone.localdate()
    titles = LegalTitle.objects.filter(Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on)))
    # The table's constraint: a building's announcement names its building, an estate's its estate.
    if announcement.scope == Announcement.Scope.BUILDING:
        assert announcement.building_id is not None
        titles = titles.filter(unit__building_id=announcement.building_id)
    elif announcement.scope == Announcement.Scope.ESTATE:
        assert announcement.estate_id is not None
        titles = titles.filter(unit__building__estate_id=announcement.estate_id)
    return (User.objects.filter(role=User.Role.RESIDENT, is_active=True, closed_at__isnull=True,
                                person__in=titles.values("person_id"))
            .order_by("pk"))


def own_data_announcements_read(user: User) -> list[dict]:
    """Which announcements the person opened, and when."""
    reads = AnnouncementRead.objects.filter(user=user).select_related("announcement").order_by("read_at")
    return [{"announcement": read.announcement.title, "read_at": local(read.read_at)} for read in reads]
