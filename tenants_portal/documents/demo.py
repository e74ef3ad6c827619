"""Demo documents: small real tagged PDFs (the platform's one PDF base), stored through the same
service the office uses, so they sit in the cooperative's own media folder."""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from iok.pdf import plain_pdf

from .models import Document
from .services import document_upload

Category = Document.Category
PUBLIC = Document.Visibility.PUBLIC
RESIDENTS = Document.Visibility.RESIDENTS


@dataclass(frozen=True)
class DemoDocument:
    category: str
    title: str
    document_date: datetime.date
    visibility: str
    text: tuple[str, ...]
    year: int | None = None
    description: str = ""


HUTNIK = (
    DemoDocument(Category.STATUTE, "Statut Spółdzielni", datetime.date(2019, 6, 15), PUBLIC, (
        "§ 1. Spółdzielnia działa na podstawie ustawy Prawo spółdzielcze, ustawy o spółdzielniach mieszkaniowych "
        "oraz niniejszego statutu.",
        "§ 2. Celem Spółdzielni jest zaspokajanie potrzeb mieszkaniowych i innych potrzeb członków oraz ich rodzin.",
        "§ 3. Organami Spółdzielni są: Walne Zgromadzenie, Rada Nadzorcza i Zarząd."),
        description="Tekst jednolity uchwalony przez Walne Zgromadzenie."),
    DemoDocument(Category.REGULATIONS, "Regulamin rozliczania kosztów gospodarki zasobami mieszkaniowymi",
                 datetime.date(2023, 11, 20), PUBLIC, (
                     "§ 1. Regulamin określa zasady ustalania opłat za używanie lokali.",
                     "§ 2. Koszty eksploatacji rozlicza się na 1 m² powierzchni użytkowej lokalu.",
                     "§ 3. Opłaty wnosi się co miesiąc z góry do 15. dnia miesiąca.")),
    DemoDocument(Category.GENERAL_ASSEMBLY, "Uchwała Walnego Zgromadzenia nr 5/2026", datetime.date(2026, 6, 13),
                 RESIDENTS, (
                     "w sprawie zatwierdzenia rocznego sprawozdania finansowego Spółdzielni za 2025 r.",
                     "§ 1. Walne Zgromadzenie zatwierdza roczne sprawozdanie finansowe za 2025 r.",
                     "§ 2. Uchwała wchodzi w życie z dniem podjęcia.")),
    DemoDocument(Category.AUDIT, "Protokół lustracji 2025", datetime.date(2025, 10, 10), PUBLIC, (
        "Lustrację działalności Spółdzielni za lata 2022–2024 przeprowadził lustrator związku rewizyjnego.",
        "Nie stwierdzono nieprawidłowości wymagających wydania zaleceń polustracyjnych.")),
    DemoDocument(Category.FINANCIAL, "Sprawozdanie finansowe za 2025 r.", datetime.date(2026, 3, 31), PUBLIC, (
        "Bilans, rachunek zysków i strat oraz informacja dodatkowa za rok obrotowy 2025.",
        "Sprawozdanie zostało zbadane przez biegłego rewidenta."), year=2025),
    DemoDocument(Category.REGULATIONS, "Regulamin porządku domowego", datetime.date(2021, 4, 8), PUBLIC, (
        "§ 1. Mieszkańcy dbają o czystość i porządek w budynkach i na terenie osiedla.",
        "§ 2. Cisza nocna obowiązuje w godzinach 22:00–6:00.")),
    DemoDocument(Category.FORMS, "Wniosek o zmianę liczby osób zamieszkałych", datetime.date(2024, 1, 2), PUBLIC, (
        "Imię i nazwisko: ........................................................",
        "Adres lokalu: ...........................................................",
        "Liczba osób zamieszkałych od dnia ................: ............",
        "Podpis: ....................")),
)
ZAKATEK = (
    DemoDocument(Category.STATUTE, "Statut Spółdzielni", datetime.date(2020, 9, 26), PUBLIC, (
        "§ 1. Spółdzielnia Mieszkaniowa „Zielony Zakątek” działa na podstawie ustawy o spółdzielniach "
        "mieszkaniowych i niniejszego statutu.",
        "§ 2. Siedzibą Spółdzielni jest Lublin.")),
    DemoDocument(Category.FINANCIAL, "Sprawozdanie finansowe za 2025 r.", datetime.date(2026, 3, 30), PUBLIC, (
        "Bilans, rachunek zysków i strat oraz informacja dodatkowa za rok obrotowy 2025.",), year=2025),
)
DEMO = {"hutnik": HUTNIK, "zakatek": ZAKATEK}


def demo_pdf(*, cooperative_name: str, title: str, document_date: datetime.date, text: tuple[str, ...]) -> bytes:
    return plain_pdf(title=title, author=cooperative_name, header_lines=(cooperative_name,
                                                                          document_date.strftime("%d.%m.%Y")),
                     paragraphs=text, note="Dokument demonstracyjny platformy IOK.",
                     created_at=datetime.datetime.combine(document_date, datetime.time(12), tzinfo=datetime.UTC))


def demo_ensure(*, slug: str, holdings: dict, today: datetime.date) -> list[str]:
    """Create this module's demo data for the cooperative (idempotent); returns lines for the log."""
    from cooperatives.models import Cooperative

    specs = DEMO.get(slug, ())
    if not specs:
        return []
    cooperative_name = Cooperative.objects.get(slug=slug).name
    added = []
    for spec in specs:
        if Document.objects.filter(category=spec.category, title=spec.title).exists():
            continue
        data = demo_pdf(cooperative_name=cooperative_name, title=spec.title, document_date=spec.document_date,
                        text=spec.text)
        document_upload(acting_user=None, category=spec.category, title=spec.title, description=spec.description,
                        document_date=spec.document_date, year=spec.year, visibility=spec.visibility,
                        upload=SimpleUploadedFile(f"{spec.title}.pdf", data, content_type="application/pdf"))
        added.append(spec.title)
    return [f"documents: {len(added)} added ({', '.join(added)})"] if added else []
