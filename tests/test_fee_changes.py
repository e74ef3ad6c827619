"""Fee changes: the fee schedule file on the one import engine (atomic, idempotent, row-level report), the
written justification, and sending refused after the act's deadline with the earliest possible month."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone, translation

from billing_views.imports.services import import_process, import_receive
from billing_views.models import ImportRun
from iok.uploads import cooperative_media_root
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.configuration.services import instance_settings_update
from tenants_portal.fee_notices import services
from tenants_portal.fee_notices.models import FeeChange, FeeChangeLine, FeeNotice, FeeNoticeSettings
from tenants_portal.registry.models import LegalTitle, Person, Unit

HEADER = "spoldzielnia;lokal;skladnik;kwota_obecna;kwota_nowa;od;podstawa"
SCHEDULE = [
    "alfa;ALFA-1-1;eksploatacja;245,60;262,10;04.2027;art_4_ust_7",
    "alfa;ALFA-1-1;fundusz_remontowy;120,00;150,00;04.2027;art_4_ust_7",
    # The month's 1st as a date, the basis in capitals, the code padded: all read the same.
    "alfa; ALFA-1-G1 ;Eksploatacja;40,00;45,50;01.04.2027;ART_4_UST_7",
    # Thousands grouped with a space, as spreadsheets write them.
    "alfa;ALFA-1-1;co;1 180,00;1 250,40;03.2027;art_4_ust_7_1",
]
D = datetime.date


def _csv(rows):
    return "\r\n".join([HEADER, *rows]) + "\r\n"


def _module(coop, on=True):
    with coop.use():
        InstanceSettings.objects.filter(pk=1).update(module_fee_notices=on)
        instance_settings_forget()


def _import(coop, rows, *, filename="stawki.csv") -> ImportRun:
    """As the upload page does it: received with the clerk as the uploader, then processed."""
    with coop.use(), translation.override("en"):
        run = import_receive(data=_csv(rows).encode(), filename=filename, source=ImportRun.Source.UPLOAD,
                             acting_user=coop.clerk)
        run = import_process(run_id=run.pk)
        assert run is not None
        run.report = [(error.line, error.column, error.value, error.reason) for error in run.row_errors.all()]
        return run


def _changes(coop):
    with coop.use():
        return list(FeeChange.objects.order_by("effective_month", "basis").values_list(
            "effective_month", "basis", "status", "created_by__username"))


def _lines(coop):
    with coop.use():
        return list(FeeChangeLine.objects.order_by("fee_change__effective_month", "unit__code", "component__code")
                    .values_list("fee_change__basis", "unit__code", "component__code", "current_amount",
                                 "new_amount"))


LINES = [
    ("art_4_ust_7_1", "ALFA-1-1", "co", Decimal("1180.00"), Decimal("1250.40")),
    ("art_4_ust_7", "ALFA-1-1", "eksploatacja", Decimal("245.60"), Decimal("262.10")),
    ("art_4_ust_7", "ALFA-1-1", "fundusz_remontowy", Decimal("120.00"), Decimal("150.00")),
    ("art_4_ust_7", "ALFA-1-G1", "eksploatacja", Decimal("40.00"), Decimal("45.50")),
]


def test_the_fee_schedule_makes_one_draft_change_per_month_and_basis(coop_a):
    _module(coop_a)
    run = _import(coop_a, SCHEDULE)
    assert (run.status, run.kind, run.rows_total, run.rows_added, run.rows_updated, run.rows_unchanged) == (
        "succeeded", "fee_schedule", 4, 4, 0, 0)
    assert run.message == "4 rows: 4 added, 0 updated, 0 unchanged."
    assert _changes(coop_a) == [(D(2027, 3, 1), "art_4_ust_7_1", "draft", "biuro"),
                                (D(2027, 4, 1), "art_4_ust_7", "draft", "biuro")]
    assert _lines(coop_a) == LINES
    with coop_a.use():
        changes = list(FeeChange.objects.order_by("-effective_month"))
        assert {change.import_run_id for change in changes} == {run.pk}
        with translation.override("pl"):
            assert [change.heading for change in changes] == ["Zmiana opłat od 1 kwietnia 2027",
                                                              "Zmiana opłat od 1 marca 2027"]
        event = AuditEvent.objects.get(action=AuditAction.FEE_CHANGE_IMPORTED)
        assert (event.actor, event.target, event.details) == (coop_a.clerk, "stawki.csv", {
            "run": run.pk, "fee_changes": sorted(change.pk for change in changes), "created": 2, "added": 4,
            "updated": 0, "unchanged": 0})


def test_importing_again_changes_nothing_and_a_changed_amount_updates_its_line(coop_a):
    _module(coop_a)
    first = _import(coop_a, SCHEDULE)
    same = _import(coop_a, SCHEDULE, filename="stawki-ponownie.csv")
    assert (same.status, same.same_as_id, same.rows_added, same.rows_unchanged) == ("unchanged", first.pk, 0, 4)
    reordered = _import(coop_a, [SCHEDULE[3], SCHEDULE[0], SCHEDULE[2]])
    assert (reordered.status, reordered.rows_added, reordered.rows_updated, reordered.rows_unchanged) == (
        "succeeded", 0, 0, 3)
    changed = _import(coop_a, [SCHEDULE[0].replace("262,10", "263,00"), SCHEDULE[1]])
    assert (changed.status, changed.rows_added, changed.rows_updated, changed.rows_unchanged) == (
        "succeeded", 0, 1, 1)
    assert _lines(coop_a) == [LINES[0], (*LINES[1][:4], Decimal("263.00")), LINES[2], LINES[3]]
    assert len(_changes(coop_a)) == 2
    with coop_a.use():
        april = FeeChange.objects.get(effective_month=D(2027, 4, 1))
        march = FeeChange.objects.get(effective_month=D(2027, 3, 1))
        # The change remembers the file that last set its lines.
        assert (april.import_run_id, march.import_run_id) == (changed.pk, first.pk)


def test_a_bad_file_is_refused_line_by_line_and_nothing_is_stored(coop_a):
    _module(coop_a)
    run = _import(coop_a, [
        "alfa;ALFA-9-9;eksploatacja;1,00;2,00;04.2027;art_4_ust_7",
        "alfa;ALFA-1-1;gaz;1,00;2,00;04.2027;art_4_ust_7",
        "alfa;ALFA-1-1;eksploatacja;-1,00;2,00;04.2027;art_4_ust_7",
        "alfa;ALFA-1-1;fundusz_remontowy;1,00;2.50;04.2027;art_4_ust_7",
        "alfa;ALFA-1-1;eksploatacja;1,00;2,00;13.2027;art_4_ust_7",
        "alfa;ALFA-1-G1;eksploatacja;1,00;2,00;15.04.2027;art_4_ust_7",
        "alfa;ALFA-1-1;eksploatacja;1,00;2,00;04.2027;art_4",
        "alfa;ALFA-1-2;co;10,00;12,00;04.2027;art_4_ust_7",
        "alfa;ALFA-1-2;co;10,00;13,00;01.04.2027;art_4_ust_7",
    ])
    amount = "must be a number not below zero with a decimal comma and at most 2 decimal places"
    assert run.status == "failed"
    assert run.report == [
        (2, "lokal", "ALFA-9-9", "Unknown unit: no unit has this code in the registry (import the registry first)."),
        (3, "skladnik", "gaz", "Unknown charge component; the cooperative's components are: eksploatacja, "
                               "fundusz_remontowy, co."),
        (4, "kwota_obecna", "-1,00", f"The current amount {amount}, e.g. 245,60."),
        (5, "kwota_nowa", "2.50", f"The new amount {amount}, e.g. 262,10."),
        (6, "od", "13.2027", "The month must be written as mm.rrrr, e.g. 04.2027."),
        (7, "od", "15.04.2027", "A fee change takes effect from the first day of a month: write the month as "
                                "mm.rrrr, e.g. 04.2027."),
        (8, "podstawa", "art_4", "Unknown legal basis: use art_4_ust_7 (notice three months ahead) or "
                                 "art_4_ust_7_1 (energy, gas, water, waste: 14 days before the payment day)."),
        (10, "lokal", "ALFA-1-2 / co / 04.2027 / art_4_ust_7",
         "This entry appears more than once in the file (lines 9, 10)."),
    ]
    assert run.message == ("8 errors; nothing was imported. The first: Unknown unit: no unit has this code in the "
                           "registry (import the registry first).")
    assert (_changes(coop_a), _lines(coop_a)) == ([], [])


def test_the_same_line_twice_in_a_good_file_is_refused(coop_a):
    _module(coop_a)
    run = _import(coop_a, [SCHEDULE[0], SCHEDULE[1], SCHEDULE[0].replace("04.2027", "01.04.2027")])
    assert (run.status, run.report) == ("failed", [
        (4, "lokal", "ALFA-1-1 / eksploatacja / 04.2027 / art_4_ust_7",
         "This entry appears more than once in the file (lines 2, 4).")])
    assert (_changes(coop_a), _lines(coop_a)) == ([], [])


def test_with_the_module_off_the_file_is_refused(coop_a):
    # Off by default: a cooperative switches the module on when it sends its fee changes through the portal.
    with coop_a.use():
        instance_settings_forget()
        assert InstanceSettings.objects.get(pk=1).module_fee_notices is False
    run = _import(coop_a, SCHEDULE)
    assert (run.status, run.message) == (
        "failed", "The fee schedule module is switched off in this cooperative; the file was not imported.")
    assert (_changes(coop_a), _lines(coop_a)) == ([], [])
    with coop_a.use():
        assert not AuditEvent.objects.filter(action=AuditAction.FEE_CHANGE_IMPORTED).exists()


def _april(coop) -> FeeChange:
    with coop.use():
        return FeeChange.objects.get(effective_month=D(2027, 4, 1), basis="art_4_ust_7")


def _justify(coop, change, text="Wzrost kosztów eksploatacji (uchwała zarządu nr 12/2026).") -> FeeChange:
    with coop.use():
        return services.fee_change_justification_set(acting_user=coop.clerk, fee_change=change, text=text)


def test_sending_creates_one_notice_per_unit_addressed_to_its_title_holders(coop_a):
    _module(coop_a)
    _import(coop_a, SCHEDULE)
    change = _justify(coop_a, _april(coop_a))
    with coop_a.use():
        # Title holders on the day it is sent only: neither the one who sold the flat nor the one buying it later.
        flat = Unit.objects.get(code="ALFA-1-1")
        for first_name, start, end in (("Ewa", D(2010, 1, 1), D(2026, 12, 30)), ("Olga", D(2027, 1, 1), None)):
            LegalTitle.objects.create(person=Person.objects.create(first_name=first_name, last_name="Nowak"),
                                      unit=flat, kind=LegalTitle.Kind.OWNERSHIP, start_date=start, end_date=end)
        sent = services.fee_change_send(acting_user=coop_a.clerk, fee_change=change, today=D(2026, 12, 31))
        assert (sent.status, sent.sent_by, sent.sent_at is not None) == ("sent", coop_a.clerk, True)
        notices = list(FeeNotice.objects.filter(fee_change=change).order_by("unit__code"))
        assert [(notice.unit.code, notice.channel, notice.opened_at, notice.delivered_on,
                 [str(person) for person in notice.addressees.all()]) for notice in notices] == [
            # Jan has no confirmed address nor the consent to electronic delivery: paper (test_fee_delivery.py).
            ("ALFA-1-1", "paper", None, None, ["Jan Janska"]),
            ("ALFA-1-G1", "paper", None, None, ["Jan Janska"])]
        event = AuditEvent.objects.get(action=AuditAction.FEE_CHANGE_SENT)
        assert (event.actor, event.target, event.details) == (coop_a.clerk, f"fee change #{change.pk}", {
            "fee_change": change.pk, "effective_month": "2027-04-01", "basis": "art_4_ust_7",
            "deadline": "2026-12-31", "units": 2})
        # The March change (art. 4 ust. 7¹) is still a draft with no notices.
        assert FeeNotice.objects.count() == 2
        with pytest.raises(ValidationError) as again:
            services.fee_change_send(acting_user=coop_a.clerk, fee_change=change, today=D(2026, 12, 31))
        assert again.value.code == "already_sent"


def _state(coop):
    with coop.use():
        return (list(FeeChange.objects.order_by("pk").values_list("status", "sent_at", "sent_by_id")),
                FeeNotice.objects.count(),
                AuditEvent.objects.filter(action=AuditAction.FEE_CHANGE_SENT).count())


def test_a_late_change_is_refused_naming_the_earliest_month_and_nothing_changes(coop_a):
    _module(coop_a)
    _import(coop_a, SCHEDULE)
    change = _justify(coop_a, _april(coop_a))
    before = _state(coop_a)
    with coop_a.use():
        with translation.override("en"), pytest.raises(ValidationError) as late:
            services.fee_change_send(acting_user=coop_a.clerk, fee_change=change, today=D(2027, 1, 1))
        assert late.value.code == "too_late"
        assert late.value.messages == [
            "It is too late to send this change: on the basis of art. 4 ust. 7 the notice of a change from 1 April "
            "2027 had to be delivered by 31.12.2026 (units: 2). The earliest month the change can take effect from "
            "if sent today is 1 May 2027; import the fee schedule with od = 05.2027."]
        with translation.override("pl"), pytest.raises(ValidationError) as polish:
            services.fee_change_send(acting_user=coop_a.clerk, fee_change=change, today=D(2027, 1, 1))
        assert polish.value.messages == [
            "Na wysłanie tej zmiany jest za późno: na podstawie art. 4 ust. 7 zawiadomienie o zmianie od 1 kwietnia "
            "2027 należało doręczyć do 31.12.2026 (lokale: 2). Najwcześniejszy miesiąc, od którego zmiana może "
            "obowiązywać przy wysłaniu dziś, to 1 maja 2027; proszę zaimportować stawki z od = 05.2027."]
    assert _state(coop_a) == before


def test_the_7_1_deadline_follows_the_cooperatives_payment_day(coop_a):
    _module(coop_a)
    _import(coop_a, SCHEDULE)
    with coop_a.use():
        instance_settings_update(acting_user=coop_a.admin, changes={"payment_day": 20})
        event = AuditEvent.objects.get(action=AuditAction.CONFIGURATION_CHANGED)
        assert (event.actor, event.target, event.details) == (coop_a.admin, "instance_settings",
                                                              {"payment_day": [10, 20]})
        with pytest.raises(ValidationError):
            instance_settings_update(acting_user=coop_a.admin, changes={"payment_day": 29})
        assert InstanceSettings.objects.get(pk=1).payment_day == 20
        instance_settings_forget()  # what the update does on commit (the test's transaction never commits)
        march = FeeChange.objects.get(effective_month=D(2027, 3, 1))
    march = _justify(coop_a, march, text="Nowa taryfa wodociągów.")
    before = _state(coop_a)
    with coop_a.use(), translation.override("en"), pytest.raises(ValidationError) as late:
        # 20 March − 14 days is 6 March: the end of February wins.
        services.fee_change_send(acting_user=coop_a.clerk, fee_change=march, today=D(2027, 3, 1))
    assert late.value.messages == [
        "It is too late to send this change: on the basis of art. 4 ust. 7¹ the notice of a change from 1 March "
        "2027 had to be delivered by 28.02.2027 (units: 1). The earliest month the change can take effect from "
        "if sent today is 1 April 2027; import the fee schedule with od = 04.2027."]
    assert _state(coop_a) == before
    with coop_a.use():
        services.fee_change_send(acting_user=coop_a.clerk, fee_change=march, today=D(2027, 2, 28))
        assert FeeNotice.objects.filter(fee_change=march).count() == 1


def test_a_change_without_a_written_justification_is_not_sent(coop_a):
    _module(coop_a)
    _import(coop_a, SCHEDULE)
    before = _state(coop_a)
    with coop_a.use(), translation.override("en"), pytest.raises(ValidationError) as refused:
        services.fee_change_send(acting_user=coop_a.clerk, fee_change=_april(coop_a), today=D(2026, 12, 1))
    assert refused.value.code == "no_justification"
    assert _state(coop_a) == before


def test_a_sent_change_refuses_a_file_that_would_change_it(coop_a):
    _module(coop_a)
    _import(coop_a, SCHEDULE)
    change = _justify(coop_a, _april(coop_a))
    with coop_a.use():
        change = services.fee_change_send(acting_user=coop_a.clerk, fee_change=change, today=D(2026, 12, 2))
    lines = _lines(coop_a)
    run = _import(coop_a, [SCHEDULE[3], SCHEDULE[0].replace("262,10", "270,00"),
                           "alfa;ALFA-1-2;eksploatacja;200,00;210,00;04.2027;art_4_ust_7"])
    sent_on = f"{timezone.localtime(change.sent_at):%d.%m.%Y}"
    reason = (f"The fee change from 1 April 2027 (art. 4 ust. 7) was already sent to residents on {sent_on} and "
              f"can no longer be changed; a further change needs a later month.")
    assert (run.status, run.report) == ("failed", [(3, "od", "04.2027", reason), (4, "od", "04.2027", reason)])
    assert _lines(coop_a) == lines
    with coop_a.use():
        assert FeeChange.objects.get(pk=change.pk).import_run_id != run.pk


def test_the_justification_takes_a_pdf_and_refuses_anything_else(coop_a):
    _module(coop_a)
    _import(coop_a, SCHEDULE)
    change = _april(coop_a)
    with coop_a.use():
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            services.fee_change_justification_set(
                acting_user=coop_a.clerk, fee_change=change, text="",
                pdf=SimpleUploadedFile("uchwala.pdf", b"GIF89a not a pdf", content_type="application/pdf"))
        assert refused.value.messages == ["“uchwala.pdf” is not a PDF document."]
        assert FeeChange.objects.get(pk=change.pk).justification_pdf_path == ""
        pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        change = services.fee_change_justification_set(
            acting_user=coop_a.clerk, fee_change=change, text="  Uchwała zarządu nr 12/2026.  ",
            pdf=SimpleUploadedFile("Uchwała 12-2026.pdf", pdf, content_type="application/pdf"))
        stored = FeeChange.objects.get(pk=change.pk)
        assert (stored.justification, stored.justification_pdf_name, stored.justification_pdf_size) == (
            "Uchwała zarządu nr 12/2026.", "Uchwała 12-2026.pdf", len(pdf))
        assert stored.justification_pdf_path.startswith("fee_notices/")
        assert (cooperative_media_root() / stored.justification_pdf_path).read_bytes() == pdf
        event = AuditEvent.objects.filter(action=AuditAction.FEE_CHANGE_JUSTIFIED).get()
        assert event.details == {"fee_change": change.pk, "justification_text": True, "file": "Uchwała 12-2026.pdf"}


def test_the_payment_day_set_before_it_moved_to_the_configuration_is_kept(coop_a):
    """Migration 0003's SQL, as migrate_schemas runs it in each schema: the module's day becomes the cooperative's."""
    migration = importlib.import_module("tenants_portal.fee_notices.migrations.0003_payment_day_in_configuration")
    with coop_a.use():
        FeeNoticeSettings.objects.update_or_create(pk=1, defaults={"payment_day": 20})
        with connection.cursor() as cursor:
            cursor.execute(migration.Migration.operations[0].sql)
        assert InstanceSettings.objects.get(pk=1).payment_day == 20
