"""The demo ledger: unit codes and account numbers, charge components, and ten years of Hutnik
`lokator`'s charges and payments, written as the accounting system would export them and imported
through the same engine as any cooperative's files (demo/data/imports/)."""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.utils.text import slugify

from billing_views.imports import formats
from billing_views.imports.engine import file_checksum, import_run_execute
from billing_views.models import ChargeComponent, ImportRun, LedgerEntry
from iok.bank import nrb_compose
from tenants_portal.registry.models import Unit

IMPORTS = Path(__file__).resolve().parent / "data" / "imports"

COMPONENTS = {
    "hutnik": (("eksploatacja", "Eksploatacja"), ("fundusz_remontowy", "Fundusz remontowy"),
               ("co", "Centralne ogrzewanie (zaliczka)"), ("ciepla_woda", "Ciepła woda (zaliczka)"),
               ("zimna_woda", "Zimna woda i ścieki (zaliczka)"), ("wywoz_nieczystosci", "Wywóz nieczystości"),
               ("domofon", "Domofon"), ("garaz", "Opłata za garaż")),
    "zakatek": (("eksploatacja", "Eksploatacja"), ("fundusz_remontowy", "Fundusz remontowy"),
                ("co", "Centralne ogrzewanie"), ("woda", "Woda i ścieki"), ("smieci", "Gospodarowanie odpadami")),
}
BANK_SORT_CODE = {"hutnik": "10202498", "zakatek": "12403060"}


def unit_code(unit: Unit) -> str:
    street = slugify(re.sub(r"^(ul\.|al\.|pl\.)\s*", "", unit.building.street)).upper()
    return f"{street}-{unit.building.number}-{unit.number}".upper()


def nrb_for(*, sort_code: str, account: str) -> str:
    """An NRB with correct check digits for a sort code and a 16-digit account number."""
    return nrb_compose(sort_code=sort_code, account=account)


def units_codes_ensure(*, slug: str) -> int:
    """Give every unit its accounting code and its own bank account (indywidualny rachunek)."""
    pending = list(Unit.objects.filter(code__isnull=True).select_related("building").order_by("pk"))
    for unit in pending:
        unit.code = unit_code(unit)
        digits = re.sub(r"[^0-9]", "", f"{unit.building.pk:05d}{unit.number.replace('G', '9')}")[-10:]
        unit.bank_account = nrb_for(sort_code=BANK_SORT_CODE[slug], account=f"000000{digits:0>10}")
    Unit.objects.bulk_update(pending, ["code", "bank_account"], batch_size=2000)
    return len(pending)


def components_ensure(*, slug: str) -> None:
    for order, (code, name) in enumerate(COMPONENTS[slug]):
        ChargeComponent.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP):.2f}".replace(".", ",")


def _header(fmt: formats.FileFormat) -> str:
    return ";".join(fmt.columns)


def _charge_rows(rows: list[str], *, lines: dict[str, Decimal], prefix: str, unit: str, period: str,
                 date: str) -> Decimal:
    """One `naliczenie` row per component (entry id = prefix + component); returns the month's total."""
    total = Decimal("0")
    for code, amount in lines.items():
        amount = amount.quantize(Decimal("0.01"), ROUND_HALF_UP)
        total += amount
        rows.append(f"{prefix}{code};{unit};naliczenie;{code};{period};{date};{_money(amount)};")
    return total


def _months(first: datetime.date, last: datetime.date):
    month = first
    while month <= last:
        yield month
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def hutnik_lokator_files(*, flat: Unit, garage: Unit, today: datetime.date) -> tuple[str, str]:
    """Ten years of monthly charges and payments for the flat and the garage, as CSV texts.

    Rates rise every January as real fees did; the resident pays each month's total by the 15th,
    except in spring 2025, when three months went unpaid, were paid back in July with interest.
    """
    area = flat.area_m2 or Decimal("48.20")
    flat_code = flat.code
    assert flat_code is not None  # units_codes_ensure gave every unit its code
    last = today.replace(day=1)
    first = (last.replace(year=last.year - 10) + datetime.timedelta(days=32)).replace(day=1)
    charges, payments = [_header(formats.CHARGES)], [_header(formats.PAYMENTS)]
    arrears = {datetime.date(2025, 3, 1), datetime.date(2025, 4, 1), datetime.date(2025, 5, 1)}
    owed_later = Decimal("0")
    for month in _months(first, last):
        years = month.year - first.year
        heating = month.month in (1, 2, 3, 4, 10, 11, 12)
        lines = {
            "eksploatacja": area * (Decimal("2.10") + Decimal("0.12") * years),
            "fundusz_remontowy": area * (Decimal("1.20") + Decimal("0.10") * years),
            "co": area * (Decimal("3.40") if heating else Decimal("1.10")) * (1 + Decimal("0.04") * years),
            "ciepla_woda": Decimal("58.00") + Decimal("3.50") * years,
            "zimna_woda": Decimal("44.00") + Decimal("2.80") * years,
            "wywoz_nieczystosci": Decimal("2") * (Decimal("11.00") + Decimal("2.60") * years),
            "domofon": Decimal("5.00"),
        }
        period = month.strftime("%m.%Y")
        date = month.strftime("%d.%m.%Y")
        total = _charge_rows(charges, lines=lines, prefix=f"hutnik;N-{flat.code}-{month:%Y%m}-",
                             unit=flat_code, period=period, date=date)
        garage_fee = (Decimal("62.00") + Decimal("2.50") * years).quantize(Decimal("0.01"))
        charges.append(f"hutnik;N-{garage.code}-{month:%Y%m}-garaz;{garage.code};naliczenie;garaz;{period};{date};"
                       f"{_money(garage_fee)};Opłata za garaż")
        paid_on = month.replace(day=12 if month.month % 2 else 9)
        # The garage is paid by a standing order every month, arrears or not: it owes nothing once the latest
        # order is booked (a certificate of no arrears can be had for it, issue 22).
        payments.append(f"hutnik;W-{garage.code}-{month:%Y%m};{garage.code};{paid_on:%d.%m.%Y};"
                        f"{_money(garage_fee)};PKO-{month:%Y%m}12-{garage.pk:05d};Przelew: garaż {period}")
        if month == last:
            continue  # this month's fee of the flat is not paid yet: the balance shows what is due
        if month in arrears:
            owed_later += total
        else:
            amount = total + owed_later
            if owed_later:
                interest = (owed_later * Decimal("0.0075") * 3).quantize(Decimal("0.01"), ROUND_HALF_UP)
                charges.append(f"hutnik;O-{flat.code}-{month:%Y%m};{flat.code};odsetki;;;{paid_on:%d.%m.%Y};"
                               f"{_money(interest)};Odsetki za zwłokę 03–05.2025")
                owed_later = Decimal("0")
            payments.append(f"hutnik;W-{flat.code}-{month:%Y%m};{flat.code};{paid_on:%d.%m.%Y};{_money(amount)};"
                            f"PKO-{month:%Y%m}12-{flat.pk:05d};Przelew: opłaty za {period}")
    return "\r\n".join(charges) + "\r\n", "\r\n".join(payments) + "\r\n"


def zakatek_lokator_files(*, flat: Unit, today: datetime.date) -> tuple[str, str]:
    """Two years of a Zakątek flat's fees, all paid on time."""
    area = flat.area_m2 or Decimal("52.70")
    flat_code = flat.code
    assert flat_code is not None  # units_codes_ensure gave every unit its code
    last = today.replace(day=1)
    charges, payments = [_header(formats.CHARGES)], [_header(formats.PAYMENTS)]
    for month in _months(last.replace(year=last.year - 2), last):
        lines = {"eksploatacja": area * Decimal("2.75"), "fundusz_remontowy": area * Decimal("2.10"),
                 "co": area * Decimal("3.05"), "woda": Decimal("96.00"), "smieci": Decimal("62.00")}
        total = _charge_rows(charges, lines=lines, prefix=f"zakatek;Z{month:%Y%m}-{flat.code}-", unit=flat_code,
                             period=f"{month:%m.%Y}", date=f"{month:%d.%m.%Y}")
        if month != last:
            payments.append(f"zakatek;ZW{month:%Y%m}-{flat.code};{flat.code};{month.replace(day=14):%d.%m.%Y};"
                            f"{_money(total)};PEKAO/{month:%Y%m}/{flat.pk};Opłaty {month:%m.%Y}")
    return "\r\n".join(charges) + "\r\n", "\r\n".join(payments) + "\r\n"


def demo_file_import(*, path: Path, slug: str) -> ImportRun:
    """Import a demo file through the real engine, once (the checksum makes a second run a no-op)."""
    data = path.read_bytes()
    run = ImportRun.objects.create(source=ImportRun.Source.INBOX, filename=path.name, stored_path=str(path),
                                   checksum=file_checksum(data), size_bytes=len(data))
    return import_run_execute(run=run, cooperative_code=slug)


def ledger_demo_ensure(*, slug: str, holdings: dict[str, list[Unit]], today: datetime.date) -> list[ImportRun]:
    """The ledger files of the demo: generated once into data/imports, imported when not yet."""
    components_ensure(slug=slug)
    units_codes_ensure(slug=slug)
    runs: list[ImportRun] = []
    units = [Unit.objects.get(pk=unit.pk) for unit in holdings["lokator"]]
    if LedgerEntry.objects.filter(unit__in=units).exists():
        return runs
    if slug == "hutnik":
        charges, payments = hutnik_lokator_files(flat=units[0], garage=units[1], today=today)
    else:
        charges, payments = zakatek_lokator_files(flat=units[0], today=today)
    IMPORTS.mkdir(parents=True, exist_ok=True)
    for name, text in ((f"{slug}-naliczenia.csv", charges), (f"{slug}-wplaty.csv", payments)):
        path = IMPORTS / name
        if not path.exists():  # the shipped sample files are the demo's data; generated only when missing
            path.write_text(text, encoding="utf-8")
        runs.append(demo_file_import(path=path, slug=slug))
    return runs
