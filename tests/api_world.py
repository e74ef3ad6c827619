"""Objects every API endpoint can be asked about, for one cooperative: the resident's and the outsider's."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.test import Client
from django.utils import timezone
from PIL import Image

from billing_views.models import ChargeComponent, ImportRowError, ImportRun, LedgerEntry
from iok.uploads import CheckedUpload, file_store
from tenants_portal.announcements.models import Announcement, AnnouncementAttachment
from tenants_portal.api.services import api_key_create, api_token_issue
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.documents.models import Document
from tenants_portal.failures import services as failure_services
from tenants_portal.failures.models import FailureCategory
from tenants_portal.fee_notices.models import FeeChange, FeeChangeLine, FeeNotice
from tenants_portal.matters import services as matter_services
from tenants_portal.matters.models import MatterTopic, TopicKind
from tenants_portal.meters.models import Meter, Reading, ReadingWindow
from tenants_portal.online_payments.models import Allocation, OnlinePayment
from tenants_portal.registry.models import Building, LegalTitle, Unit

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def token_for(coop, user) -> str:
    with coop.use():
        return api_token_issue(user=user, name="test")[1]


def api_client(coop, *, token: str | None = None, key: str | None = None, english: bool = False) -> Client:
    headers = {}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if key:
        headers["HTTP_X_API_KEY"] = key
    client = Client(HTTP_HOST=coop.host, **headers)
    if english:
        client.cookies["django_language"] = "en"
    return client


@dataclass(frozen=True)
class Holdings:
    """What one resident can reach through the API: ids of their objects."""

    unit: int
    meter: int
    reading: int
    report: int
    photo: int
    announcement: int
    attachment: int
    payment: str
    fee_notice: int
    matter: int
    matter_attachment: int


@dataclass(frozen=True)
class World:
    resident: Holdings
    outsider: Holdings
    document: int
    import_run: int
    key: str


def _photo_stored():
    return [CheckedUpload(data=png("blue"), content_type="image/png", extension="png", name="zdjecie.png")]


def _holdings(coop, user, unit: Unit, *, serial: str, fee_change: FeeChange) -> Holdings:
    today = timezone.localdate()
    meter = Meter.objects.create(unit=unit, kind=Meter.Kind.COLD_WATER, serial_number=serial, location="łazienka",
                                 verified_until=today + datetime.timedelta(days=700))
    Reading.objects.create(meter=meter, read_on=today - datetime.timedelta(days=60), value=Decimal("100.000"),
                           source=Reading.Source.IMPORT, status=Reading.Status.ACCEPTED)
    photo = file_store(data=png(), folder="meters", extension="png", content_type="image/png", original_name="l.png")
    reading = Reading.objects.create(meter=meter, read_on=today - datetime.timedelta(days=30), value=Decimal("103.5"),
                                     source=Reading.Source.RESIDENT, status=Reading.Status.ACCEPTED,
                                     submitted_by=user, photo_path=photo.path, photo_content_type=photo.content_type)
    category, _created = FailureCategory.objects.get_or_create(name="woda")
    report = failure_services.failure_report_create(acting_user=user, category=category, unit=unit,
                                                    description="Cieknie kran.", urgency="normal",
                                                    photos=_photo_stored())
    announcement = Announcement.objects.create(title=f"Dla {unit.building}", body="Treść.",
                                               scope=Announcement.Scope.BUILDING, building=unit.building,
                                               publish_at=timezone.now() - datetime.timedelta(days=1),
                                               notified_at=timezone.now())
    stored = file_store(data=PDF, folder="announcements", extension="pdf", content_type="application/pdf",
                        original_name="plan.pdf")
    attachment = AnnouncementAttachment.objects.create(announcement=announcement, path=stored.path,
                                                       content_type=stored.content_type, size=stored.size,
                                                       original_name="plan.pdf")
    # A payment started and not sent to the gateway yet (no gateway in these cooperatives).
    payment = OnlinePayment.objects.create(reference=f"IOKT{unit.pk}", payer=user, backend="payu",
                                           amount_required=Decimal("412.50"), description=f"Wpłata {unit.code}")
    Allocation.objects.create(payment=payment, unit=unit, amount=Decimal("412.50"))
    # The notice of a sent fee change to the unit, addressed to the user.
    FeeChangeLine.objects.create(fee_change=fee_change, unit=unit, component=ChargeComponent.objects.get(
        code="eksploatacja"), current_amount=Decimal("412.50"), new_amount=Decimal("430.00"))
    notice = FeeNotice.objects.create(fee_change=fee_change, unit=unit, channel=FeeNotice.Channel.ELECTRONIC)
    notice.addressees.add(user.person)
    # A matter with the office about the unit, with a scanned attachment.
    matter = matter_services.matter_create(
        acting_user=user, topic=MatterTopic.objects.filter(kind=TopicKind.OTHER).first(), unit=unit, fields={},
        subject="Pytanie do biura", description="Proszę o informację.",
        attachments=[CheckedUpload(data=PDF, content_type="application/pdf", extension="pdf", name="skan.pdf")])
    return Holdings(unit=unit.pk, meter=meter.pk, reading=reading.pk, report=report.pk,
                    photo=report.photos.get().pk, announcement=announcement.pk, attachment=attachment.pk,
                    payment=str(payment.pk), fee_notice=notice.pk, matter=matter.pk,
                    matter_attachment=matter.attachments.get().pk)


def _unit_held(user, building: Building, code: str) -> Unit:
    """A new unit (with an id from the current sequence) held by the user since 2015."""
    unit = Unit.objects.create(building=building, number=code.rsplit("-", 1)[-1] + "A", code=code,
                               kind=Unit.Kind.FLAT)
    LegalTitle.objects.create(person=user.person, unit=unit, kind=LegalTitle.Kind.OWNERSHIP,
                              start_date=datetime.date(2015, 1, 1))
    return unit


def world_build(coop) -> World:
    """In `coop`: a new flat of the resident with ledger entries, a meter with a photographed reading, a
    failure report with a photo, an announcement for their building, an online payment started; the same for
    the outsider, whose new flat is in another building (so that its announcement is not the resident's); a
    residents-only document, a refused import and a key for the accounting system; a sent fee change with a
    notice to each; a matter with the office of each, with an attachment. Online payments, fee notices
    and matters on."""
    slug = coop.cooperative.slug.upper()
    with coop.use():
        InstanceSettings.objects.filter(pk=1).update(module_online_payments=True, module_fee_notices=True,
                                                     module_matters=True)
        instance_settings_forget()
        home = Building.objects.get(units__code=f"{slug}-1-1")
        elsewhere = Building.objects.create(estate=home.estate, office=home.office, street="ul. Obca", number="9",
                                            postal_code=home.postal_code, city=home.city)
        flat = _unit_held(coop.resident, home, f"{slug}-N-1")
        other_flat = _unit_held(coop.outsider, elsewhere, f"{slug}-N-2")
        component = ChargeComponent.objects.get(code="eksploatacja")
        for number, (day, kind, amount) in enumerate((
                (datetime.date(2026, 1, 10), LedgerEntry.Kind.CHARGE, Decimal("412.50")),
                (datetime.date(2026, 1, 20), LedgerEntry.Kind.PAYMENT, Decimal("-400.00")),
                (datetime.date(2026, 2, 10), LedgerEntry.Kind.CHARGE, Decimal("412.50")))):
            LedgerEntry.objects.create(source_id=f"{slug}-E{number}", unit=flat, kind=kind, booked_on=day,
                                       amount=amount, component=component if kind == "charge" else None,
                                       period=day.replace(day=1) if kind == "charge" else None,
                                       reference="PRZELEW 1" if kind == "payment" else "")
        ReadingWindow.objects.create(starts_on=timezone.localdate() - datetime.timedelta(days=2),
                                     ends_on=timezone.localdate() + datetime.timedelta(days=10))
        fee_change = FeeChange.objects.create(
            effective_month=(timezone.localdate().replace(day=1) + datetime.timedelta(days=100)).replace(day=1),
            basis="art_4_ust_7", justification="Wzrost kosztów.", status=FeeChange.Status.SENT,
            sent_at=timezone.now(), sent_by=coop.clerk)
        resident = _holdings(coop, coop.resident, flat, serial=f"{slug}-W-1", fee_change=fee_change)
        outsider = _holdings(coop, coop.outsider, other_flat, serial=f"{slug}-W-2", fee_change=fee_change)
        stored = file_store(data=PDF, folder="documents", extension="pdf", content_type="application/pdf",
                            original_name="statut.pdf")
        document = Document.objects.create(category=Document.Category.STATUTE, title="Statut", year=2024,
                                           document_date=datetime.date(2024, 6, 1),
                                           visibility=Document.Visibility.RESIDENTS, file_path=stored.path,
                                           content_type=stored.content_type, file_size=stored.size)
        run = ImportRun.objects.create(source=ImportRun.Source.API, filename="naliczenia.csv", stored_path="-",
                                       checksum="0" * 64, kind=ImportRun.Kind.CHARGES, status=ImportRun.Status.FAILED,
                                       error_count=1, message="Zła kwota.", finished_at=timezone.now())
        ImportRowError.objects.create(run=run, line=2, column="kwota", value="abc", reason="Zła kwota.")
        _key, secret = api_key_create(acting_user=coop.admin, name="System FK",
                                      scopes=["imports:read", "imports:write"])
    return World(resident=resident, outsider=outsider, document=document.pk, import_run=run.pk, key=secret)


def sequences_move_far(coop, start: int = 1_000_000) -> None:
    """Ids in another schema start again at 1: move this cooperative's sequences far away, so that its
    objects' ids are not also ids of the other cooperative's own objects (which it may rightly see)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                       " WHERE c.relkind = 'S' AND n.nspname = %s", [coop.schema_name])
        for (sequence,) in cursor.fetchall():
            cursor.execute("SELECT setval(%s::regclass, %s)", [sequence, start])
