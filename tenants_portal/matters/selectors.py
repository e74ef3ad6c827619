"""Reads of the matters module. Matters are tenant-sensitive: only through access_* (the same 404 for missing
and forbidden, on the pages and the API)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from billing_views.selectors import ledger_arrears
from iok.access import access_get
from iok.formats import local
from tenants_portal.accounts.models import User
from tenants_portal.accounts.roles import Section, may_use, roles_of
from tenants_portal.registry.models import Office, Unit
from tenants_portal.registry.selectors import person_of, units_current_for_person

from .models import Certificate, Matter, MatterAttachment, MatterEntry, MatterTopic, ReplyTemplate

MATTER_STAFF = roles_of(Section.MATTERS)
MAX_ATTACHMENTS = 5
# What the office's queue opens on: matters whose next step is the office's.
WAITING_FOR_OFFICE = (Matter.Status.RECEIVED, Matter.Status.IN_PROGRESS)
OPEN = (Matter.Status.RECEIVED, Matter.Status.IN_PROGRESS, Matter.Status.WAITING)


def is_matter_staff(user: User) -> bool:
    return may_use(user, Section.MATTERS)


def today() -> datetime.date:
    """The cooperative's day (Europe/Warsaw): due dates and "overdue" are counted in it."""
    return timezone.localdate()


def _matters() -> QuerySet[Matter]:
    return Matter.objects.select_related("topic", "unit__building", "office", "resident", "assigned_to")


def access_matter(*, user: User, id: int) -> Matter:
    """Staff of the cooperative see every matter; a resident only their own."""
    if is_matter_staff(user):
        return access_get(_matters(), pk=id)
    return access_get(_matters().filter(resident_id=user.pk), pk=id, allowed=user.is_authenticated and user.is_resident)


def access_matter_attachment(*, user: User, matter_id: int, id: int) -> MatterAttachment:
    """An attachment of a matter the user may see; those of internal notes only for staff."""
    matter = access_matter(user=user, id=matter_id)
    attachments = MatterAttachment.objects.filter(matter=matter)
    if not is_matter_staff(user):
        attachments = attachments.exclude(entry__kind=MatterEntry.Kind.NOTE)
    return access_get(attachments, pk=id)


def access_certificate(*, user: User, id: int) -> Certificate:
    """A certificate of a matter the user may see."""
    certificates = Certificate.objects.select_related("matter", "unit__building")
    if not is_matter_staff(user):
        certificates = certificates.filter(matter__resident_id=user.pk)
    return access_get(certificates, pk=id, allowed=user.is_authenticated)


def matters_of_resident(*, user: User) -> QuerySet[Matter]:
    return _matters().filter(resident=user)


def matter_topics_active() -> QuerySet[MatterTopic]:
    return MatterTopic.objects.filter(is_active=True)


def matter_topic_choose(*, id: int) -> MatterTopic:
    """An active topic; anything else is refused in the words of a form's choice field."""
    topic = matter_topics_active().filter(pk=id).first()
    if topic is None:
        raise ValidationError(forms.ModelChoiceField.default_error_messages["invalid_choice"],
                              code="invalid_choice", params={"value": id})
    return topic


def matter_units_for(*, user: User) -> list[Unit]:
    """The units a resident may write to the office about: those they hold now."""
    return units_current_for_person(person=person_of(user)) if user.is_authenticated else []


def matter_unit_choose(*, user: User, id: int | str) -> Unit:
    unit = next((unit for unit in matter_units_for(user=user) if str(unit.pk) == str(id)), None)
    if unit is None:
        raise ValidationError(forms.ChoiceField.default_error_messages["invalid_choice"], code="invalid_choice",
                              params={"value": id})
    return unit


def matter_queue_filter(*, status: str = "", office: Office | None = None, topic: MatterTopic | None = None,
                        assigned_to: str = "", overdue: bool = False, acting_user: User | None = None,
                        on: datetime.date | None = None) -> QuerySet[Matter]:
    """The office's queue; `status` "office" (waiting for the office), "open" or a status; `assigned_to` a user
    id, "me" or "none". The nearest due date first."""
    matters = _matters()
    if status == "office":
        matters = matters.filter(status__in=WAITING_FOR_OFFICE)
    elif status == "open":
        matters = matters.filter(status__in=OPEN)
    elif status:
        matters = matters.filter(status=status)
    if office is not None:
        matters = matters.filter(office=office)
    if topic is not None:
        matters = matters.filter(topic=topic)
    if assigned_to == "none":
        matters = matters.filter(assigned_to__isnull=True)
    elif assigned_to == "me" and acting_user is not None:
        matters = matters.filter(assigned_to=acting_user)
    elif assigned_to.isdigit():
        matters = matters.filter(assigned_to_id=int(assigned_to))
    if overdue:
        matters = matters.filter(matter_overdue_q(on=on or today()))
    return matters.order_by("due_on", "received_at", "id")


def matter_overdue_q(*, on: datetime.date) -> Q:
    """Overdue: the due date has passed (in Warsaw) and the matter is not closed."""
    return Q(due_on__lt=on) & ~Q(status=Matter.Status.CLOSED)


def matter_is_overdue(*, matter: Matter, on: datetime.date | None = None) -> bool:
    return not matter.is_closed and matter.due_on < (on or today())


def matter_entries_visible(*, matter: Matter, user: User) -> QuerySet[MatterEntry]:
    """The history with attachments; internal notes only for staff."""
    entries = matter.entries.select_related("author").prefetch_related("attachments")
    if not is_matter_staff(user):
        entries = entries.exclude(kind=MatterEntry.Kind.NOTE)
    return entries.order_by("created_at", "id")


def matter_assignees() -> QuerySet[User]:
    return User.objects.filter(role__in=MATTER_STAFF, is_active=True).order_by("last_name", "first_name", "username")


def matter_offices() -> QuerySet[Office]:
    return Office.objects.order_by("name")


def reply_templates_for(*, topic: MatterTopic) -> QuerySet[ReplyTemplate]:
    return topic.reply_templates.all()


@dataclass(frozen=True)
class Arrears:
    on: datetime.date
    overdue: Decimal

    @property
    def in_arrears(self) -> bool:
        # The ledger's sign: a positive amount is owed ("do zapłaty"), as on the resident's ledger page.
        return self.overdue > 0


def unit_arrears(*, unit: Unit, on: datetime.date) -> Arrears:
    """What the unit owes past due at the end of `on`, from the ledger (billing_views): fees of a month whose
    payment day has not come yet are not arrears."""
    return Arrears(on=on, overdue=ledger_arrears(unit=unit, on=on))


def certificate_valid_of(*, matter: Matter) -> Certificate | None:
    return matter.certificates.filter(revoked_at__isnull=True).order_by("-issued_at").first()


def certificate_normalise_code(code: str) -> str:
    """A code as typed: any case, with or without the dashes and spaces it is printed with."""
    return "".join(character for character in code.upper() if character.isalnum())


def certificate_by_code(*, code: str) -> Certificate | None:
    """The public page's look-up: the certificate with this code, or None (unknown or forged)."""
    normalised = certificate_normalise_code(code)
    if not normalised or len(normalised) > 32:
        return None
    return Certificate.objects.filter(code=normalised).first()


def register_matters(*, year: int) -> QuerySet[Matter]:
    """The correspondence register of a year, in the order of its numbers."""
    return _matters().filter(year=year).order_by("number")


def register_years() -> list[int]:
    return list(Matter.objects.order_by("-year").values_list("year", flat=True).distinct())


def own_data_matters(user: User) -> list[dict]:
    """The person's matters, for their own-data page and file."""
    return [{"number": matter.register_number, "received_at": local(matter.received_at), "topic": matter.topic.name,
             "subject": matter.subject, "status": matter.get_status_display(),
             "outcome": matter.get_outcome_display()}
            for matter in matters_of_resident(user=user).order_by("received_at")]
