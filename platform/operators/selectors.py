"""What operators read. Outside a live support grant only aggregate figures of a cooperative (counts,
statuses, dates): never a resident's name, contact data or ledger."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from cooperatives.models import Cooperative
from iok.access import access_get
from tenants_portal.accounts.models import User
from tenants_portal.audit.models import AuditEvent
from tenants_portal.registry.models import LegalTitle, Person

from .models import SupportGrant

SUPPORT_PEOPLE_PER_PAGE = 50


def _support_grants_live(*, now: datetime.datetime | None = None) -> QuerySet[SupportGrant]:
    """Grants not withdrawn and not ended, the longest-lasting first."""
    return (SupportGrant.objects.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())
            .order_by("-expires_at"))


def support_grant_live_of(*, cooperative_id: int, now: datetime.datetime | None = None) -> SupportGrant | None:
    return _support_grants_live(now=now).filter(cooperative_id=cooperative_id).first()


def support_grants_of(*, cooperative_id: int, limit: int = 20) -> list[SupportGrant]:
    return list(SupportGrant.objects.filter(cooperative_id=cooperative_id).order_by("-granted_at", "-id")[:limit])


def support_views_recorded(*, limit: int = 50) -> list[AuditEvent]:
    """The pages operators opened under support grants, from the log of the cooperative the connection is on."""
    return list(AuditEvent.objects.filter(action="support.viewed").order_by("-at", "-id")[:limit])


def access_cooperative(*, user: User, slug: str) -> Cooperative:
    """A cooperative's record for an operator; the same 404 for an unknown slug and a non-operator."""
    return access_get(Cooperative.objects.exclude(schema_name=get_public_schema_name()).prefetch_related("domains"),
                      slug=slug, allowed=user.is_authenticated and user.role == User.Role.OPERATOR)


def access_support_cooperative(*, user: User, slug: str) -> tuple[Cooperative, SupportGrant]:
    """The cooperative and its live support grant; 404, with nothing of the cooperative shown, when the
    user is not an operator, the slug is unknown, or its admin has not granted access (or it ended)."""
    cooperative = access_cooperative(user=user, slug=slug)
    return cooperative, access_get(_support_grants_live(), cooperative_id=cooperative.pk)


def platform_events_of(*, cooperative: Cooperative, limit: int = 30) -> list[AuditEvent]:
    """The platform's audit rows about the cooperative (onboarding, status changes, support access)."""
    with schema_context(get_public_schema_name()):
        return list(AuditEvent.objects.filter(target=cooperative.slug)
                    .filter(Q(action__startswith="cooperative.") | Q(action__startswith="support."))
                    .order_by("-at", "-id")[:limit])


@dataclass(frozen=True)
class SupportPerson:
    person: Person
    units: list[str]
    login: str
    account_state: str  # "none", "active", "closed"


def _current_titles() -> Prefetch:
    today = timezone.localdate()
    return Prefetch("legal_titles", to_attr="current_titles", queryset=LegalTitle.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today).select_related("unit__building"))


def _support_person(person: Person) -> SupportPerson:
    account = person.account
    state = "none" if account is None else "closed" if account.is_closed else "active"
    return SupportPerson(person=person, units=[str(title.unit) for title in person.current_titles],
                         login=account.username if account else "", account_state=state)


def support_people_page(*, cooperative: Cooperative, query: str = "", page: int | str = 1) -> Page:
    """The cooperative's residents (name, current units, login, account state), for a support grant."""
    with schema_context(cooperative.schema_name):
        people = Person.objects.select_related("account").prefetch_related(_current_titles())
        for word in query.split():
            people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                                   | Q(account__username__iexact=word))
        paginator = Paginator(people.order_by("last_name", "first_name", "id"), SUPPORT_PEOPLE_PER_PAGE)
        result = paginator.get_page(page)
        result.object_list = [_support_person(person) for person in result.object_list]
        return result


@dataclass(frozen=True)
class SupportPersonDetails:
    person: Person
    units: list[str]
    login: str
    account_state: str
    email: str
    phone: str


def support_person(*, cooperative: Cooperative, person_id: int) -> SupportPersonDetails:
    with schema_context(cooperative.schema_name):
        # The support grant, checked by access_support_cooperative, is what lets the operator see people.
        person = access_get(Person.objects.select_related("account").prefetch_related(_current_titles()), pk=person_id)
        summary = _support_person(person)
        account = person.account
        return SupportPersonDetails(person=person, units=summary.units, login=summary.login,
                                    account_state=summary.account_state, email=account.email if account else "",
                                    phone=account.phone if account else "")
