"""Demo announcements: Hutnik's lokator (ul. Wawel 1/12, Osiedle Zagórze) sees the pinned
cooperative-wide one, the estate's and the building's, but not another building's, the expired or the
scheduled one. Demo announcements are marked as already notified, so no e-mail is ever sent for them."""

import datetime

from django.utils import timezone

from cooperatives.selectors import cooperative_details
from iok.pdf import plain_pdf
from iok.uploads import file_store
from tenants_portal.registry.models import Building, Estate

from .models import Announcement, AnnouncementAttachment

Scope = Announcement.Scope


def _at(day: datetime.date, hour: int = 8) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _d(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _hutnik(today: datetime.date, holdings: dict) -> list[dict]:
    flat_building = holdings["lokator"][0].building
    zagorze = Estate.objects.filter(name="Osiedle Zagórze").first() or flat_building.estate
    other = (Building.objects.filter(street="ul. Wawel", number="3").first()
             or Building.objects.exclude(pk=flat_building.pk).earliest("pk"))
    meeting = today + datetime.timedelta(days=24)
    gas_1, gas_2 = today + datetime.timedelta(days=7), today + datetime.timedelta(days=8)
    return [
        {"title": "Zawiadomienie o Walnym Zgromadzeniu Członków Spółdzielni", "scope": Scope.COOPERATIVE,
         "pinned": True, "publish_at": _at(today - datetime.timedelta(days=5)),
         "body": (f"Zarząd S.M. „Hutnik” zawiadamia, że Walne Zgromadzenie Członków odbędzie się {_d(meeting)} "
                  "o godz. 17:00 w sali widowiskowej przy ul. Gwiazdnej 1e w Sosnowcu.\n\n"
                  "Porządek obrad, projekty uchwał oraz sprawozdanie finansowe za ubiegły rok są wyłożone "
                  "do wglądu w siedzibie Spółdzielni i w administracjach osiedli na 14 dni przed terminem "
                  "zgromadzenia.\n\nCzłonek może uczestniczyć osobiście lub przez pełnomocnika "
                  "(pełnomocnictwo w formie pisemnej).")},
        {"title": "Pielęgnacja zieleni na Osiedlu Zagórze", "scope": Scope.ESTATE, "estate": zagorze,
         "publish_at": _at(today - datetime.timedelta(days=3), 9),
         "body": ("Administracja Osiedla Zagórze informuje, że w najbliższych dwóch tygodniach firma ogrodnicza "
                  "będzie kosić trawniki i przycinać drzewa przy ul. Wawel i ul. Kazimierza Wielkiego.\n\n"
                  "Prosimy nie parkować samochodów przy pasach zieleni w godzinach 7:00–15:00.")},
        {"title": f"Przegląd instalacji gazowej w budynku {flat_building.street.removeprefix('ul. ')} "
                  f"{flat_building.number}", "scope": Scope.BUILDING, "building": flat_building,
         "publish_at": _at(today - datetime.timedelta(days=1), 10),
         "expires_at": _at(gas_2 + datetime.timedelta(days=1), 0),
         "body": (f"Uprzejmie informujemy, że {_d(gas_1)} i {_d(gas_2)} w godz. 8:00–16:00 odbędzie się "
                  f"obowiązkowy roczny przegląd szczelności instalacji gazowej w budynku {flat_building}.\n\n"
                  "Prosimy o udostępnienie lokali. Lokatorzy nieobecni w tych dniach proszeni są o kontakt "
                  "z Administracją Osiedla Zagórze (tel. 32 290 11 20) w celu ustalenia innego terminu.\n\n"
                  "Harmonogram przeglądu według klatek schodowych w załączniku."),
         "attachment": ("harmonogram-przegladu-gazowego.pdf", [
             f"Budynek: {flat_building}",
             f"{_d(gas_1)}, 8:00–12:00 — lokale 1–14",
             f"{_d(gas_1)}, 12:00–16:00 — lokale 15–28",
             f"{_d(gas_2)}, 8:00–12:00 — lokale 29–42",
             f"{_d(gas_2)}, 12:00–16:00 — lokale 43–55 i termin dodatkowy"])},
        {"title": f"Wymiana domofonów w budynku {other.street.removeprefix('ul. ')} {other.number}",
         "scope": Scope.BUILDING, "building": other,
         "publish_at": _at(today - datetime.timedelta(days=2), 11),
         "body": (f"W dniach {_d(today + datetime.timedelta(days=4))}–{_d(today + datetime.timedelta(days=6))} "
                  f"w budynku {other} zostanie wymieniona instalacja domofonowa. W tym czasie możliwe są krótkie "
                  "przerwy w działaniu domofonów. Nowe klucze zbliżeniowe wydaje administracja osiedla.")},
        {"title": "Przerwa w dostawie ciepłej wody na Osiedlu Zagórze", "scope": Scope.ESTATE, "estate": zagorze,
         "publish_at": _at(today - datetime.timedelta(days=60)), "expires_at": _at(today - datetime.timedelta(days=45)),
         "body": ("W związku z pracami konserwacyjnymi w węźle cieplnym dostawa ciepłej wody zostanie wstrzymana "
                  "na trzy dni. Przepraszamy za utrudnienia.")},
        {"title": "Wymiana wodomierzy — harmonogram na kolejny kwartał", "scope": Scope.COOPERATIVE,
         "publish_at": _at(today + datetime.timedelta(days=3)),
         "body": ("W przyszłym kwartale Spółdzielnia wymieni wodomierze, którym kończy się okres legalizacji. "
                  "Szczegółowy harmonogram dla poszczególnych budynków zostanie wywieszony na klatkach schodowych.")},
    ]


def _zakatek(today: datetime.date, holdings: dict) -> list[dict]:
    building = holdings["lokator"][0].building
    return [
        {"title": "Nowe godziny pracy administracji", "scope": Scope.COOPERATIVE, "pinned": True,
         "publish_at": _at(today - datetime.timedelta(days=4)),
         "body": ("Od przyszłego miesiąca administracja „Zielony Zakątek” przy ul. Leśnej 8 przyjmuje "
                  "mieszkańców w poniedziałki w godz. 8:00–17:00, od wtorku do czwartku w godz. 7:00–15:00 "
                  "i w piątki w godz. 7:00–13:00.")},
        {"title": f"Mycie okien na klatkach schodowych — {building}", "scope": Scope.BUILDING, "building": building,
         "publish_at": _at(today - datetime.timedelta(days=2), 12),
         "body": (f"{_d(today + datetime.timedelta(days=5))} firma sprzątająca umyje okna na klatkach schodowych "
                  f"w budynku {building}. Prosimy o niepozostawianie rzeczy na parapetach.")},
    ]


DEMOS = {"hutnik": _hutnik, "zakatek": _zakatek}


def demo_ensure(*, slug: str, holdings: dict, today: datetime.date) -> list[str]:
    """Create this module's demo data for the cooperative (idempotent); returns lines for the log."""
    build = DEMOS.get(slug)
    if build is None or not holdings.get("lokator"):
        return []
    created = []
    for spec in build(today, holdings):
        if Announcement.objects.filter(title=spec["title"]).exists():
            continue
        attachment = spec.pop("attachment", None)
        # Demo announcements were "sent" already: the periodic job never e-mails them.
        announcement = Announcement.objects.create(notified_at=timezone.now(), **spec)
        if attachment is not None:
            name, lines = attachment
            data = plain_pdf(title=spec["title"], author=cooperative_details().name, paragraphs=lines)
            stored = file_store(data=data, folder="announcements", extension="pdf", content_type="application/pdf",
                                original_name=name)
            AnnouncementAttachment.objects.create(announcement=announcement, path=stored.path,
                                                  content_type=stored.content_type, size=stored.size,
                                                  original_name=stored.original_name)
        created.append(announcement.title)
    return [f"announcement „{title}” added" for title in created]
