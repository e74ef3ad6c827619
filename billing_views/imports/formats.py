"""The CSV formats: as Polish accounting systems export them (`;`, decimal comma, dd.mm.yyyy,
UTF-8 or Windows-1250, optional BOM). Each kind is recognised by its header row."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from billing_views.models import ImportRun


@dataclass(frozen=True)
class FileFormat:
    kind: str
    label: str
    columns: tuple[str, ...]


REGISTRY = FileFormat(ImportRun.Kind.REGISTRY, _("registry"), (
    "spoldzielnia", "osiedle", "ulica", "numer_budynku", "kod_pocztowy", "miejscowosc", "lokal", "numer_lokalu",
    "rodzaj_lokalu", "powierzchnia", "nrb", "osoba", "imie", "nazwisko", "tytul_prawny", "od", "do",
))
CHARGES = FileFormat(ImportRun.Kind.CHARGES, _("charges"), (
    "spoldzielnia", "id_zapisu", "lokal", "rodzaj", "skladnik", "okres", "data", "kwota", "opis",
))
PAYMENTS = FileFormat(ImportRun.Kind.PAYMENTS, _("payments"), (
    "spoldzielnia", "id_zapisu", "lokal", "data", "kwota", "referencja", "opis",
))
FORMATS = (REGISTRY, CHARGES, PAYMENTS)
# Registry first: charges and payments name units the registry file may bring.
KIND_ORDER = {fmt.kind: index for index, fmt in enumerate(FORMATS)}

CHARGE_KINDS = {"naliczenie": "charge", "korekta": "correction", "odsetki": "interest", "bilans_otwarcia": "opening"}
UNIT_KINDS = {"mieszkanie": "flat", "garaz": "garage", "garaż": "garage", "lokal_uzytkowy": "commercial",
              "lokal użytkowy": "commercial", "użytkowy": "commercial"}
TITLE_KINDS = {"odrebna_wlasnosc": "ownership", "spoldzielcze_wlasnosciowe": "coop_ownership",
               "lokatorskie": "membership_tenancy", "najem": "lease"}


def format_for_header(columns: list[str]) -> FileFormat | None:
    normalised = tuple(column.strip().lower() for column in columns)
    for fmt in FORMATS:
        if normalised == fmt.columns:
            return fmt
    return None


def closest_format(columns: list[str]) -> FileFormat:
    """The format a header was most likely meant to be, to say which columns are missing or extra."""
    present = {column.strip().lower() for column in columns}
    return max(FORMATS, key=lambda fmt: len(present & set(fmt.columns)) - len(present - set(fmt.columns)))
