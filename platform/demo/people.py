"""Deterministic residents for the demo registry: every unit gets a holder with a legal title."""

import datetime
import itertools
import random

from tenants_portal.registry.models import LegalTitle, Person, Unit

FIRST_NAMES = ("Anna", "Piotr", "Maria", "Krzysztof", "Katarzyna", "Andrzej", "Małgorzata", "Tomasz", "Agnieszka",
               "Paweł", "Barbara", "Marek", "Ewa", "Michał", "Elżbieta", "Grzegorz", "Zofia", "Józef", "Teresa",
               "Stanisław", "Danuta", "Jerzy", "Halina", "Tadeusz", "Irena", "Łukasz", "Jadwiga", "Wojciech")
LAST_NAMES = ("Nowak", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak",
              "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski",
              "Nowakowski", "Pawłowski", "Michalski", "Nowicki", "Adamczyk", "Dudek", "Zając", "Wieczorek", "Jabłoński",
              "Król", "Majewski", "Olszewski", "Jaworski", "Wróbel", "Malinowski", "Pawlak", "Witkowski", "Walczak")
FEMININE = {"ski": "ska", "cki": "cka", "dzki": "dzka"}


def _surname_for(first_name: str, last_name: str) -> str:
    if first_name.endswith("a"):
        for ending, feminine in FEMININE.items():
            if last_name.endswith(ending):
                return last_name[: -len(ending)] + feminine
    return last_name


def people_fill(*, slug: str) -> int:
    """Give every unit without a legal title a holder; the same units get the same people each time."""
    rng = random.Random(f"iok-demo-{slug}")  # noqa: S311 - repeatable demo data, not a secret
    names = itertools.cycle([(f, last) for last in LAST_NAMES for f in FIRST_NAMES])
    for _ in range(rng.randrange(len(FIRST_NAMES) * len(LAST_NAMES))):
        next(names)
    holders = set(LegalTitle.objects.values_list("unit_id", flat=True))
    titles = []
    for unit in Unit.objects.exclude(pk__in=holders).order_by("pk"):
        first_name, last_name = next(names)
        person = Person(first_name=first_name, last_name=_surname_for(first_name, last_name),
                        external_id=f"{slug.upper()}-{unit.pk:05d}")
        kind = (LegalTitle.Kind.LEASE if unit.kind == Unit.Kind.GARAGE else
                rng.choice([LegalTitle.Kind.COOPERATIVE_OWNERSHIP] * 5 + [LegalTitle.Kind.OWNERSHIP] * 4
                           + [LegalTitle.Kind.MEMBERSHIP_TENANCY]))
        start = datetime.date(1985, 1, 1) + datetime.timedelta(days=rng.randrange(35 * 365))
        titles.append((person, LegalTitle(unit=unit, kind=kind, start_date=start)))
    Person.objects.bulk_create([person for person, _ in titles], batch_size=2000)
    for person, title in titles:
        title.person = person
    LegalTitle.objects.bulk_create([title for _, title in titles], batch_size=2000)
    return len(titles)
