"""The CSV formats: as Polish accounting systems export them (`;`, decimal comma, dd.mm.yyyy,
UTF-8 or Windows-1250, optional BOM). Each kind is recognised by its header row.

The ledger's and the registry's formats are defined here; a module with files of its own (the meter
readings) registers its format with the engine (sql.format_register) and gets the same staging,
checks, single transaction, size limit and report."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from billing_views.models import ImportRun

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class FileFormat:
    kind: str
    label: "StrOrPromise"
    columns: tuple[str, ...]
    # The nightly inbox imports files in this order (the registry first: other files name its units).
    order: int = 50
    # Whether the cooperative takes this kind of file now (e.g. its module is switched on).
    available: Callable[[], bool] | None = None
    # The page where the office reads a run's report, when not the imports page.
    report_path: Callable[[ImportRun], str] | None = None


REGISTRY = FileFormat(ImportRun.Kind.REGISTRY, _("registry"), (
    "spoldzielnia", "osiedle", "ulica", "numer_budynku", "kod_pocztowy", "miejscowosc", "lokal", "numer_lokalu",
    "rodzaj_lokalu", "powierzchnia", "nrb", "osoba", "imie", "nazwisko", "tytul_prawny", "od", "do",
), order=0)
CHARGES = FileFormat(ImportRun.Kind.CHARGES, _("charges"), (
    "spoldzielnia", "id_zapisu", "lokal", "rodzaj", "skladnik", "okres", "data", "kwota", "opis",
), order=10)
PAYMENTS = FileFormat(ImportRun.Kind.PAYMENTS, _("payments"), (
    "spoldzielnia", "id_zapisu", "lokal", "data", "kwota", "referencja", "opis",
), order=10)
_FORMATS: dict[str, FileFormat] = {fmt.kind: fmt for fmt in (REGISTRY, CHARGES, PAYMENTS)}

CHARGE_KINDS = {"naliczenie": "charge", "korekta": "correction", "odsetki": "interest", "bilans_otwarcia": "opening"}
UNIT_KINDS = {"mieszkanie": "flat", "garaz": "garage", "garaż": "garage", "lokal_uzytkowy": "commercial",
              "lokal użytkowy": "commercial", "użytkowy": "commercial"}
TITLE_KINDS = {"odrebna_wlasnosc": "ownership", "spoldzielcze_wlasnosciowe": "coop_ownership",
               "lokatorskie": "membership_tenancy", "najem": "lease"}


def format_add(fmt: FileFormat) -> None:
    _FORMATS[fmt.kind] = fmt


def format_of(kind: str) -> FileFormat | None:
    return _FORMATS.get(kind)


def kind_order(kind: str) -> int:
    fmt = _FORMATS.get(kind)
    return fmt.order if fmt else 99


def format_for_header(columns: list[str]) -> FileFormat | None:
    normalised = tuple(column.strip().lower() for column in columns)
    for fmt in _FORMATS.values():
        if normalised == fmt.columns:
            return fmt
    return None


def closest_format(columns: list[str]) -> FileFormat:
    """The format a header was most likely meant to be, to say which columns are missing or extra."""
    present = {column.strip().lower() for column in columns}
    return max(_FORMATS.values(),
               key=lambda fmt: len(present & set(fmt.columns)) - len(present - set(fmt.columns)))
