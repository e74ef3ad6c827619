"""The demo's fee changes (fee-change notices): Hutnik's payment day is the 10th, and the office has imported
two fee schedules for the building of `lokator`'s flat, each for the earliest month its notice can still be
delivered on time counted from the day the demo is loaded:

- under art. 4 ust. 7 (three months ahead): the operating fee and the repair fund of the flats, the garages'
  fee, with the board's written justification;
- under art. 4 ust. 7¹ (14 days before the payment day): cold water and sewage, after the water company's new
  tariff, with its justification.

The files are written as the accounting system exports them (demo/data/imports/, generated for the dates)
and imported through the one import engine. Both stay drafts: sending them is the office's step (biuro sees
the deadline and sends). A change already there is left alone, so loading the demo again changes nothing."""

import datetime
import os
import threading
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.utils import formats, translation

from billing_views.imports.formats import format_of
from billing_views.models import ImportRun, LedgerEntry
from tenants_portal.accounts.models import User
from tenants_portal.configuration.selectors import instance_settings_get
from tenants_portal.fee_notices import deadlines
from tenants_portal.fee_notices.models import E_DELIVERY_CONSENT, FeeChange
from tenants_portal.fee_notices.services import fee_change_justification_set
from tenants_portal.registry.models import Unit
from tenants_portal.regulation.models import ConsentPurpose
from tenants_portal.regulation.services import consent_give

from .ledger import IMPORTS, demo_file_import

# Named with the effective month (…-2027-04.csv): the tests load the demo on several xdist workers at once, for
# different days, and each must import its own month's file.
FILES = {deadlines.ART_4_UST_7: "hutnik-zmiana-oplat-eksploatacja",
         deadlines.ART_4_UST_7_1: "hutnik-zmiana-oplat-woda"}
CENT = Decimal("0.01")
# What each change raises (the demo ledger's components, demo/ledger.py): per m² a month for the flats' operating
# fee and repair fund, per unit a month for the garages and for cold water.
RAISES = {
    deadlines.ART_4_UST_7: {"eksploatacja": Decimal("0.35"), "fundusz_remontowy": Decimal("0.20"),
                            "garaz": Decimal("6.00")},
    deadlines.ART_4_UST_7_1: {"zimna_woda": Decimal("6.40")},
}
PER_M2 = {"eksploatacja", "fundusz_remontowy"}


def _justification(basis: str, *, month: datetime.date, building: str, year: int) -> str:
    with translation.override("pl"):
        when = formats.date_format(month, "j E Y")
    if basis == deadlines.ART_4_UST_7:
        return (
            f"Zarząd Spółdzielni Mieszkaniowej „Hutnik” zawiadamia o zmianie wysokości opłat od {when}, zgodnie z "
            f"uchwałą Rady Nadzorczej nr 14/{year} w sprawie stawek opłat za używanie lokali.\n\n"
            "Stawka opłaty eksploatacyjnej rośnie o 0,35 zł za m² powierzchni użytkowej miesięcznie. Wynika to ze "
            "wzrostu minimalnego wynagrodzenia za pracę, od którego zależą koszty sprzątania i konserwacji, z "
            "wyższego podatku od nieruchomości oraz z wyższych cen usług konserwacyjnych i ubezpieczenia budynków. "
            "Dotychczasowa stawka nie pokrywa tych kosztów.\n\n"
            "Odpis na fundusz remontowy rośnie o 0,20 zł za m² miesięcznie, zgodnie z planem remontów na lata "
            f"{year + 1}–{year + 3}, który obejmuje wymianę dźwigów i docieplenie ścian szczytowych budynku "
            f"{building}. Opłata za garaż rośnie o 6,00 zł miesięcznie z tych samych przyczyn co opłata "
            "eksploatacyjna.")
    return (
        f"Od {when} zmienia się zaliczka na zimną wodę i odprowadzanie ścieków. Przedsiębiorstwo wodociągowe "
        "wprowadziło nową taryfę za zbiorowe zaopatrzenie w wodę i zbiorowe odprowadzanie ścieków, zatwierdzoną "
        "przez Państwowe Gospodarstwo Wodne Wody Polskie. Zaliczka rośnie o 6,40 zł miesięcznie na lokal, czyli "
        "dokładnie o tyle, ile wynika z nowej taryfy przy dotychczasowym zużyciu.\n\n"
        "Jest to opłata niezależna od Spółdzielni (art. 4 ust. 7¹ ustawy o spółdzielniach mieszkaniowych): "
        "Spółdzielnia przenosi na lokale wyłącznie koszt naliczony przez dostawcę.")


def _money(value: Decimal) -> str:
    return f"{value.quantize(CENT, ROUND_HALF_UP):.2f}".replace(".", ",")


def _formula(unit: Unit, component: str, *, years: int) -> Decimal:
    """A unit's current monthly amount at the demo ledger's rates (demo/ledger.py) when it has no ledger."""
    area = unit.area_m2 or Decimal("48.20")
    amount = {"eksploatacja": area * (Decimal("2.10") + Decimal("0.12") * years),
              "fundusz_remontowy": area * (Decimal("1.20") + Decimal("0.10") * years),
              "zimna_woda": Decimal("44.00") + Decimal("2.80") * years,
              "garaz": Decimal("62.00") + Decimal("2.50") * years}[component]
    return amount.quantize(CENT, ROUND_HALF_UP)


def _latest_charges(units: list[Unit]) -> dict[tuple[int, str], Decimal]:
    """The latest monthly charge of each unit and component the demo ledger has (`lokator`'s flat and garage)."""
    latest: dict[tuple[int, str], Decimal] = {}
    entries = (LedgerEntry.objects.filter(unit__in=units, kind=LedgerEntry.Kind.CHARGE, component__isnull=False)
               .order_by("unit_id", "component__code", "-period", "-booked_on", "-pk")
               .values_list("unit_id", "component__code", "amount"))
    for unit_id, code, amount in entries:
        latest.setdefault((unit_id, code), amount)
    return latest


def fee_schedule_text(*, basis: str, month: datetime.date, units: list[Unit], today: datetime.date) -> str:
    """The fee schedule file of one change, as the accounting system exports it (format FEE_SCHEDULE)."""
    fmt = format_of(ImportRun.Kind.FEE_SCHEDULE)
    assert fmt is not None  # registered by the fee_notices app
    years = today.year - 2016  # the demo ledger's rates rise every January since 2016
    current = _latest_charges(units)
    rows = [";".join(fmt.columns)]
    for unit in units:
        for component, raise_by in RAISES[basis].items():
            if (component == "garaz") != (unit.kind == Unit.Kind.GARAGE):
                continue  # a garage pays its fee only, a flat everything else
            amount = current.get((unit.pk, component)) or _formula(unit, component, years=years)
            new = amount + (raise_by * (unit.area_m2 or Decimal("48.20")) if component in PER_M2 else raise_by)
            rows.append(f"hutnik;{unit.code};{component};{_money(amount)};{_money(new)};{month:%m.%Y};{basis}")
    return "\r\n".join(rows) + "\r\n"


def _write_whole(path: Path, text: str) -> None:
    """Written under another name and renamed: another process importing the same file never reads it half
    written (the rename is atomic)."""
    partial = path.with_name(f"{path.stem}-{os.getpid()}-{threading.get_ident()}.partial.csv")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def fee_changes_demo_ensure(*, slug: str, holdings: dict[str, list[Unit]], today: datetime.date) -> list[str]:
    """Hutnik's payment day and its two draft fee changes (idempotent); returns lines for the log."""
    if slug != "hutnik":
        return []
    log: list[str] = []
    payment_day = instance_settings_get().payment_day  # the 10th, the act's default
    flat = next(unit for unit in holdings["lokator"] if unit.kind == Unit.Kind.FLAT)
    units = list(Unit.objects.filter(building_id=flat.building_id).select_related("building")
                 .order_by("kind", "pk"))
    admin = User.objects.get(username="admin")
    # lokator takes fee-change notices electronically (his address is confirmed by the demo): sent, his
    # notice is e-mailed and waits in the portal, where opening it is the proof of receipt.
    consent_give(user=User.objects.get(username="lokator"), purpose=ConsentPurpose.objects.get(code=E_DELIVERY_CONSENT))
    for basis, name in FILES.items():
        if FeeChange.objects.filter(basis=basis).exists():
            continue
        month = deadlines.earliest_effective_month(basis=basis, on=today, payment_day=payment_day)
        path = IMPORTS / f"{name}-{month:%Y-%m}.csv"
        _write_whole(path, fee_schedule_text(basis=basis, month=month, units=units, today=today))
        run = demo_file_import(path=path, slug=slug)
        change = FeeChange.objects.get(effective_month=month, basis=basis)
        fee_change_justification_set(acting_user=admin, fee_change=change, text=_justification(
            basis, month=month, building=str(flat.building), year=today.year))
        log.append(f"{run.filename} — {run.get_status_display()}: {run.message} ({change}, {basis}, a draft)")
    return log
