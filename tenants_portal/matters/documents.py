"""The module's papers: the certificate of no arrears (tagged PDF/UA-1 with its verification code and a QR code
leading to the public verification page) and the correspondence register of a year (CSV and PDF) for the
archive. Polish, not translated: documents the cooperative keeps and hands out."""

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from django.utils import translation

from iok.formats import local
from iok.pdf import pdf_render, warsaw_date

from .models import Certificate, Matter
from .topics import fields_summary

CERTIFICATE_TEMPLATE = Path(__file__).with_name("certificate.typ")
REGISTER_TEMPLATE = Path(__file__).with_name("register.typ")
QR_BORDER = 2


def code_grouped(code: str) -> str:
    """"ABCD-EFGH-JKMN-PQRS": as printed and shown, easy to read out and type."""
    return "-".join(code[index:index + 4] for index in range(0, len(code), 4))


def qr_svg(*, url: str) -> str:
    import segno  # only documents with a code need it

    return segno.make(url, error="m", micro=False).svg_inline(scale=4, border=QR_BORDER, dark="#000", light="#fff",
                                                              omitsize=False)


def certificate_pdf(*, certificate: Certificate, verification_url: str, verification_page: str) -> bytes:
    """The certificate as issued (its stored statements), reproducible: dated at its issue."""
    from cooperatives.selectors import cooperative_details

    cooperative = cooperative_details()
    issued = warsaw_date(certificate.issued_at, what="issued_at")
    as_of = certificate.as_of.strftime("%d.%m.%Y")
    purpose = certificate.matter.fields.get("purpose", "")
    return pdf_render(template=CERTIFICATE_TEMPLATE, created_at=certificate.issued_at, data={
        "title": f"Zaświadczenie o niezaleganiu w opłatach nr {certificate.number}",
        "author": cooperative.name,
        "cooperative_name": cooperative.name,
        "cooperative_address": cooperative.address,
        "place_date": f"{cooperative.city}, {issued}",
        "number": certificate.number,
        "statement": (f"{cooperative.name} zaświadcza, że na dzień {as_of} r. lokal {certificate.unit_address} "
                      f"nie ma zaległości w opłatach na rzecz Spółdzielni."),
        "holders": certificate.holder_names,
        "purpose": purpose,
        "code": code_grouped(certificate.code),
        "verification_url": verification_url,
        "verification_page": verification_page,
        "qr_svg": qr_svg(url=verification_url),
    })


REGISTER_COLUMNS = ["Numer", "Data wpływu", "Temat", "Wnioskodawca", "Lokal", "Biuro", "Przedmiot", "Termin",
                    "Status", "Rozstrzygnięcie", "Data zamknięcia"]


def _register_row(matter: Matter) -> list[str]:
    received = local(matter.received_at)
    closed = local(matter.closed_at)
    return [matter.register_number, received.strftime("%d.%m.%Y") if received else "", matter.topic.name,
            matter.resident_name, str(matter.unit), matter.office.name if matter.office else "", matter.subject,
            matter.due_on.strftime("%d.%m.%Y"), str(matter.get_status_display()),
            str(matter.get_outcome_display()), closed.strftime("%d.%m.%Y") if closed else ""]


def register_csv(*, matters: Iterable[Matter]) -> str:
    """The register as CSV for a spreadsheet: semicolons (Polish Excel), a BOM so accents survive."""
    output = io.StringIO()
    output.write("\ufeff")
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    with translation.override("pl"):
        writer.writerow(REGISTER_COLUMNS)
        for matter in matters:
            writer.writerow([_csv_safe(value) for value in _register_row(matter)])
    return output.getvalue()


def _csv_safe(value: str) -> str:
    # A cell a spreadsheet would run as a formula is kept as text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def register_pdf(*, year: int, matters: Iterable[Matter], generated_at: datetime) -> bytes:
    from cooperatives.selectors import cooperative_details

    cooperative = cooperative_details()
    with translation.override("pl"):
        rows = [_register_row(matter) for matter in matters]
    return pdf_render(template=REGISTER_TEMPLATE, created_at=generated_at, data={
        "title": f"Rejestr korespondencji {year}",
        "author": cooperative.name,
        "cooperative_name": cooperative.name,
        "cooperative_address": cooperative.address,
        "generated": warsaw_date(generated_at, what="generated_at", with_time=True),
        "columns": ["Numer", "Wpływ", "Temat", "Wnioskodawca", "Lokal", "Przedmiot", "Termin", "Status"],
        "rows": [[row[0], row[1], row[2], row[3], row[4], row[6], row[7],
                  row[8] + (f" ({row[9]})" if row[9] else "")] for row in rows],
    })


def matter_summary(matter: Matter) -> list[tuple[str, str]]:
    return fields_summary(kind=matter.kind, fields=matter.fields)
