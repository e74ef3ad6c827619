"""Many residents at once, for the notice tests and the fan-out benchmark (not part of the demo)."""

import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tenants_portal.accounts.models import User
from tenants_portal.registry.models import Building, Estate, LegalTitle, Person, Unit


def residents_create(*, count: int, prefix: str, domain: str = "example.com") -> Building:
    """One new building of `count` flats, each with a resident holding a current title and a confirmed address.

    Run inside the cooperative's schema. Logins and addresses are `<prefix>-<n>` / `<prefix>-<n>@<domain>`.
    """
    now = timezone.now()
    unusable = make_password(None)
    with transaction.atomic():
        estate, _ = Estate.objects.get_or_create(name=f"Osiedle {prefix}")
        building = Building.objects.create(estate=estate, street=f"ul. {prefix.title()}", number="1",
                                           postal_code="41-200", city="Sosnowiec")
        # Thousands of rows in one INSERT, not access.services.account_create one by one: these are load for the
        # tests and benchmarks (no one-time password, no audit row), never accounts anyone is issued.
        users = User.objects.bulk_create([
            User(username=f"{prefix}-{n}", role=User.Role.RESIDENT, first_name="Mieszkaniec", last_name=str(n),
                 email=f"{prefix}-{n}@{domain}", email_verified_at=now, password=unusable)
            for n in range(1, count + 1)], batch_size=2000)
        units = Unit.objects.bulk_create([
            Unit(building=building, number=str(n), kind=Unit.Kind.FLAT) for n in range(1, count + 1)], batch_size=2000)
        people = Person.objects.bulk_create([
            Person(first_name=user.first_name, last_name=user.last_name, account=user) for user in users],
            batch_size=2000)
        LegalTitle.objects.bulk_create([
            LegalTitle(person=person, unit=unit, kind=LegalTitle.Kind.OWNERSHIP, start_date=datetime.date(2020, 1, 1))
            for person, unit in zip(people, units, strict=True)], batch_size=2000)
    return building
