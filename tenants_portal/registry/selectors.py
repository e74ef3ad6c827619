import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import LegalTitle, Person, Unit


def today() -> datetime.date:
    return timezone.localdate()


def _current(on: datetime.date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def legal_titles_current(*, person: Person, on: datetime.date | None = None) -> QuerySet[LegalTitle]:
    return (LegalTitle.objects.filter(_current(on or today()), person=person)
            .select_related("unit__building__estate").order_by("unit__kind", "unit__building__street", "unit__number"))


def units_current_for_person(*, person: Person | None, on: datetime.date | None = None) -> list[Unit]:
    """The units a person holds a current legal title to, flats first; each unit once."""
    if person is None:
        return []
    units: dict[int, Unit] = {}
    for title in legal_titles_current(person=person, on=on):
        units.setdefault(title.unit_id, title.unit)
    return list(units.values())


def people_with_every_title_ended(*, on: datetime.date | None = None) -> QuerySet[Person]:
    """People who have an open account but no current or future legal title any more."""
    on = on or today()
    still_holding = LegalTitle.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=on)).values("person_id")
    return Person.objects.filter(account__isnull=False, account__closed_at__isnull=True).exclude(pk__in=still_holding)


def people_search(*, query: str, limit: int = 50) -> QuerySet[Person]:
    """Find people by name, login, or unit address ("Wawel 5/12", "Wawel 5 12")."""
    query = " ".join(query.split())
    people = Person.objects.select_related("account")
    if not query:
        return people.none()
    condition = Q()
    for word in query.replace("/", " ").split(" "):
        condition &= (Q(first_name__icontains=word) | Q(last_name__icontains=word)
                      | Q(account__username__iexact=word)
                      | Q(legal_titles__unit__building__street__icontains=word)
                      | Q(legal_titles__unit__building__number__iexact=word)
                      | Q(legal_titles__unit__number__iexact=word))
    return people.filter(condition).distinct().order_by("last_name", "first_name")[:limit]
