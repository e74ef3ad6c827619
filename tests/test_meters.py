"""Meter readings: the resident's own readings in the reading window, the office's review, the reminder."""

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from billing_views.imports.services import import_process
from billing_views.models import ImportRun
from iok.uploads import cooperative_media_root
from tasks.meters_jobs import reading_window_reminders
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.meters import services
from tenants_portal.meters.models import Meter, MeterSettings, Reading, ReadingWindow
from tenants_portal.meters.urls import urlpatterns
from tenants_portal.registry.models import Unit
from tests.conftest import notices_deliver_waiting


def _today() -> datetime.date:
    return timezone.localdate()


def _days_ago(days: int) -> datetime.date:
    return _today() - datetime.timedelta(days=days)


def _meter(code: str, serial: str, *, kind=Meter.Kind.COLD_WATER, verified_until=None, pk=None,
           history=((90, "100.000"), (60, "103.000"), (30, "106.000"))) -> Meter:
    meter = Meter.objects.create(pk=pk, unit=Unit.objects.get(code=code), kind=kind, serial_number=serial,
                                 location="łazienka",
                                 verified_until=verified_until or _today() + datetime.timedelta(days=700))
    for days, value in history:
        Reading.objects.create(meter=meter, read_on=_days_ago(days), value=Decimal(value),
                               source=Reading.Source.IMPORT, status=Reading.Status.ACCEPTED)
    return meter


def _window(**days) -> ReadingWindow:
    return ReadingWindow.objects.create(starts_on=_today() - datetime.timedelta(days=days.get("start", 3)),
                                        ends_on=_today() + datetime.timedelta(days=days.get("end", 10)))


@pytest.fixture
def meters(coop_a):
    """Jan's cold water meter in his flat, the outsider's in his, and an open window."""
    with coop_a.use():
        own = _meter("ALFA-1-1", "AP-23-1001")
        other = _meter("ALFA-1-2", "AP-23-2002")
        window = _window()
    return {"own": own, "other": other, "window": window}


def _client(coop, user):
    client = coop.client_logged_in_as(user)
    client.cookies["django_language"] = "en"
    return client


def _submit(client, meter, value, **extra):
    return client.post(f"/liczniki/{meter.pk}/odczyt/", {f"m{meter.pk}-value": value, **{
        f"m{meter.pk}-{key}": item for key, item in extra.items()}})


def _png(name="licznik.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _readings(coop, meter) -> list[tuple[str, str, str]]:
    with coop.use():
        return [(str(reading.value), reading.source, reading.status) for reading in Reading.objects.filter(meter=meter)]


# ---- what the resident sees ------------------------------------------------------------------------

def test_the_resident_sees_only_their_units_meters(coop_a, meters):
    client = _client(coop_a, coop_a.resident)
    page = client.get("/liczniki/")
    assert page.status_code == 200
    assert [summary.meter.serial_number for summary, _form in page.context["items"]] == ["AP-23-1001"]
    assert page.context["items"][0][0].last_accepted.value == Decimal("106.000")
    assert page.context["window"] == meters["window"]
    assert "AP-23-2002" not in page.content.decode()
    other = meters["other"]
    for url in (f"/liczniki/{other.pk}/", f"/liczniki/{other.pk}/odczyt/"):
        assert client.get(url).status_code == 404
    assert _submit(client, other, "110").status_code == 404
    assert _readings(coop_a, other) == [("100.000", "import", "accepted"), ("103.000", "import", "accepted"),
                                        ("106.000", "import", "accepted")]


def test_the_meter_page_has_a_chart_readable_without_colour_and_a_data_table(coop_a, meters):
    page = _client(coop_a, coop_a.resident).get(f"/liczniki/{meters['own'].pk}/")
    assert page.status_code == 200
    periods = [(period.days, period.consumption) for period in page.context["periods"]]
    assert periods == [(30, Decimal("3.000")), (30, Decimal("3.000"))]
    html = page.content.decode()
    assert '<svg class="meters-chart"' in html and 'role="img"' in html
    assert 'url(#meters-hatch)' in html  # a pattern, not a colour
    assert html.count(">3.000</text>") == 2  # every bar carries its figure
    assert '<th scope="col">From</th>' in html


def test_another_cooperatives_meter_and_photo_are_not_found(coop_a, coop_b, meters):
    with coop_b.use():
        foreign = _meter("BETA-1-1", "AP-23-9009", pk=987654321)
        reading = Reading.objects.create(pk=987654321, meter=foreign, read_on=_today(), value=Decimal("200"),
                                         source=Reading.Source.RESIDENT, photo_path="meters/x.png",
                                         photo_content_type="image/png")
    client = _client(coop_a, coop_a.resident)
    assert client.get(f"/liczniki/{foreign.pk}/").status_code == 404
    assert _submit(client, foreign, "300").status_code == 404
    assert client.get(f"/liczniki/odczyty/{reading.pk}/zdjecie/").status_code == 404
    assert _client(coop_a, coop_a.clerk).get(f"/biuro/liczniki/{foreign.pk}/").status_code == 404
    assert _readings(coop_b, foreign) == [("100.000", "import", "accepted"), ("103.000", "import", "accepted"),
                                          ("106.000", "import", "accepted"), ("200.000", "resident", "submitted")]


# ---- submitting a reading -------------------------------------------------------------------------

def test_a_reading_lower_than_the_previous_one_is_refused_and_nothing_is_saved(coop_a, meters):
    client = _client(coop_a, coop_a.resident)
    response = _submit(client, meters["own"], "105.5")
    assert response.status_code == 200
    expected = (f"The reading cannot be lower than the previous one (106.000 on {_days_ago(30):%d.%m.%Y}).")
    assert response.context["form"].non_field_errors() == [expected]
    assert response.context["form"]["value"].value() == "105.5"  # what was typed stays
    assert expected in response.content.decode()
    assert len(_readings(coop_a, meters["own"])) == 3


def test_a_reading_in_the_window_is_saved_awaiting_acceptance(coop_a, meters):
    client = _client(coop_a, coop_a.resident)
    response = _submit(client, meters["own"], "107.25")
    assert response.status_code == 302 and response["Location"] == "/liczniki/"
    assert _readings(coop_a, meters["own"])[-1] == ("107.250", "resident", "submitted")
    page = client.get("/liczniki/").content.decode()
    assert "awaiting acceptance" in page
    with coop_a.use():
        reading = Reading.objects.get(meter=meters["own"], source=Reading.Source.RESIDENT)
        assert (reading.read_on, reading.window, reading.submitted_by) == (_today(), meters["window"],
                                                                           coop_a.resident)
        assert AuditEvent.objects.filter(action=AuditAction.READING_SUBMITTED, target="AP-23-1001").count() == 1
    # A second reading while the first awaits the office is refused.
    again = _submit(client, meters["own"], "108")
    assert again.context["form"].non_field_errors() == [
        "A reading of this meter already awaits acceptance. If it is wrong, please contact the office."]
    assert len(_readings(coop_a, meters["own"])) == 4


@pytest.mark.parametrize("window", [None, (2, 5), (-20, -1)], ids=["none", "not-yet", "ended"])
def test_outside_the_reading_window_the_reading_is_refused(coop_a, meters, window):
    with coop_a.use():
        ReadingWindow.objects.all().delete()
        if window is not None:
            ReadingWindow.objects.create(starts_on=_today() + datetime.timedelta(days=window[0]),
                                         ends_on=_today() + datetime.timedelta(days=window[1]))
    client = _client(coop_a, coop_a.resident)
    response = _submit(client, meters["own"], "107")
    assert response.context["form"].non_field_errors() == [
        "Readings can be submitted only during a reading window set by the cooperative."]
    assert len(_readings(coop_a, meters["own"])) == 3
    assert "The reading window is closed" in client.get("/liczniki/").content.decode()


def test_a_meter_past_its_verification_date_is_refused(coop_a, meters):
    with coop_a.use():
        Meter.objects.filter(pk=meters["own"].pk).update(verified_until=_days_ago(1))
    response = _submit(_client(coop_a, coop_a.resident), meters["own"], "107")
    assert response.context["form"].non_field_errors() == [
        f"This meter's legal verification expired on {_days_ago(1):%d.%m.%Y}. Its readings cannot be accepted; "
        "please contact the office to have the meter replaced."]
    assert len(_readings(coop_a, meters["own"])) == 3


def test_an_unusually_high_consumption_asks_for_confirmation_before_saving(coop_a, meters):
    client = _client(coop_a, coop_a.resident)
    response = _submit(client, meters["own"], "120")  # 14 m³ in 30 days; the average is 3 m³ a month
    assert response.status_code == 200
    assert response.context["warning"] == (
        "The consumption since the previous reading (14.000 m³ in 30 days) is more than 3 times this meter's "
        "average. Please check the reading and confirm that it is correct.")
    assert f'name="m{meters["own"].pk}-confirm_unusual"' in response.content.decode()
    assert len(_readings(coop_a, meters["own"])) == 3
    confirmed = _submit(client, meters["own"], "120", confirm_unusual="on")
    assert confirmed.status_code == 302
    with coop_a.use():
        reading = Reading.objects.get(meter=meters["own"], source=Reading.Source.RESIDENT)
        assert (reading.value, reading.status, reading.unusual_confirmed) == (Decimal("120.000"), "submitted", True)


def test_confirming_an_unusual_reading_keeps_the_photo_sent_with_it(coop_a, meters):
    client = _client(coop_a, coop_a.resident)
    asked = _submit(client, meters["own"], "120", photo=_png("tarcza.png"))
    assert asked.status_code == 200 and asked.context["warning"]
    assert ("The photo “tarcza.png” is kept with the reading; choose another one only to replace it."
            in asked.content.decode())
    assert len(_readings(coop_a, meters["own"])) == 3
    assert _submit(client, meters["own"], "120", confirm_unusual="on").status_code == 302
    with coop_a.use():
        reading = Reading.objects.get(meter=meters["own"], source=Reading.Source.RESIDENT)
        assert (reading.value, reading.unusual_confirmed, reading.photo_content_type) == (
            Decimal("120.000"), True, "image/png")
    photo = client.get(f"/liczniki/odczyty/{reading.pk}/zdjecie/")
    assert photo.status_code == 200
    # Stored photos are re-encoded (no metadata): the same picture, not the same bytes.
    kept, sent = (Image.open(io.BytesIO(data)) for data in (b"".join(photo.streaming_content), _png().read()))
    assert (kept.size, kept.convert("RGB").tobytes()) == (sent.size, sent.convert("RGB").tobytes())


def test_the_plausibility_factor_is_the_cooperatives_setting(coop_a, meters):
    with coop_a.use():
        MeterSettings.objects.update_or_create(pk=1, defaults={"plausibility_factor": Decimal("5")})
    response = _submit(_client(coop_a, coop_a.resident), meters["own"], "120")  # 4.67× the average: fine at 5
    assert response.status_code == 302
    assert _readings(coop_a, meters["own"])[-1] == ("120.000", "resident", "submitted")


def test_the_pages_render(coop_a, meters):
    resident = _client(coop_a, coop_a.resident)
    assert resident.get(f"/liczniki/{meters['own'].pk}/odczyt/").status_code == 200
    admin = _client(coop_a, coop_a.admin)
    for url in ("/biuro/odczyty/?status=&kind=cold_water", "/biuro/odczyty/okna/", "/biuro/odczyty/import/",
                "/biuro/liczniki/"):
        assert admin.get(url).status_code == 200, url
    assert admin.post("/biuro/odczyty/ustawienia/", {"plausibility_factor": "2.5"}).status_code == 302
    assert _client(coop_a, coop_a.clerk).post("/biuro/odczyty/ustawienia/",
                                              {"plausibility_factor": "9"}).status_code == 403
    with coop_a.use():
        assert MeterSettings.objects.get(pk=1).plausibility_factor == Decimal("2.5")


# ---- photos ---------------------------------------------------------------------------------------

def test_a_photo_is_served_to_its_resident_and_the_office_only(coop_a, meters):
    client = _client(coop_a, coop_a.resident)
    assert _submit(client, meters["own"], "107", photo=_png()).status_code == 302
    with coop_a.use():
        reading = Reading.objects.get(meter=meters["own"], source=Reading.Source.RESIDENT)
    url = f"/liczniki/odczyty/{reading.pk}/zdjecie/"
    own = client.get(url)
    assert own.status_code == 200 and own["Content-Type"] == "image/png"
    assert own["Cache-Control"] == "private, no-store"
    assert _client(coop_a, coop_a.clerk).get(url).status_code == 200
    assert _client(coop_a, coop_a.outsider).get(url).status_code == 404
    assert coop_a.client().get(url).status_code == 302  # to the sign-in page


def test_a_reading_whose_transaction_rolls_back_leaves_no_photo_file(coop_a, meters):
    with pytest.raises(RuntimeError), coop_a.use(), transaction.atomic():
        reading = services.reading_submit(acting_user=coop_a.resident, meter=meters["own"], value=Decimal("107"),
                                          photo=_png())
        stored = cooperative_media_root() / reading.photo_path
        assert stored.is_file()
        raise RuntimeError("the surrounding transaction fails after the reading")
    assert not stored.exists()
    with coop_a.use():
        assert not Reading.objects.filter(source=Reading.Source.RESIDENT).exists()


def test_a_file_that_is_not_a_photo_is_refused_with_a_message(coop_a, meters):
    fake = SimpleUploadedFile("licznik.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = _submit(_client(coop_a, coop_a.resident), meters["own"], "107", photo=fake)
    assert response.status_code == 200
    assert response.context["form"].errors["photo"] == ["“licznik.jpg” is not a photo in JPEG, PNG or WebP format."]
    assert len(_readings(coop_a, meters["own"])) == 3


# ---- the office -----------------------------------------------------------------------------------

def _submitted(coop, meters) -> Reading:
    with coop.use(), translation.override("en"):
        return services.reading_submit(acting_user=coop.resident, meter=meters["own"], value=Decimal("107"))


def test_a_clerk_accepts_a_reading(coop_a, meters):
    reading = _submitted(coop_a, meters)
    clerk = _client(coop_a, coop_a.clerk)
    listing = clerk.get("/biuro/odczyty/")
    assert [item.pk for item in listing.context["page"]] == [reading.pk]
    assert clerk.get(f"/biuro/odczyty/{reading.pk}/").context["consumption"] == Decimal("1.000")
    response = clerk.post(f"/biuro/odczyty/{reading.pk}/przyjmij/")
    assert response.status_code == 302
    with coop_a.use():
        reading.refresh_from_db()
        assert (reading.status, reading.decided_by) == ("accepted", coop_a.clerk)
        assert AuditEvent.objects.filter(action=AuditAction.READING_ACCEPTED, actor=coop_a.clerk).count() == 1
    assert "awaiting acceptance" not in _client(coop_a, coop_a.resident).get("/liczniki/").content.decode()


def _awaiting(meter: Meter, value: str, *, window: ReadingWindow | None, days_ago: int = 1, **extra) -> Reading:
    return Reading.objects.create(meter=meter, read_on=_days_ago(days_ago), value=Decimal(value), window=window,
                                  source=Reading.Source.RESIDENT, status=Reading.Status.SUBMITTED, **extra)


@pytest.fixture
def awaiting(coop_a, meters):
    """Readings awaiting acceptance: two plain ones in the open window, one there with a confirmed unusual
    consumption, one there of a meter whose verification lapsed before the reading, one of an older window."""
    with coop_a.use():
        older = _window(start=60, end=-50)
        expired = _meter("ALFA-1-2", "AP-23-3003", verified_until=_days_ago(2))
        hot = _meter("ALFA-1-1", "AP-23-4004", kind=Meter.Kind.HOT_WATER)
        return {
            "plain": [_awaiting(meters["own"], "107", window=meters["window"]),
                      _awaiting(meters["other"], "108.5", window=meters["window"])],
            "unusual": _awaiting(hot, "150", window=meters["window"], unusual_confirmed=True),
            "expired": _awaiting(expired, "107", window=meters["window"]),
            "older": _awaiting(hot, "104", window=older, days_ago=55),
            "older_window": older,
        }


def _statuses(coop, readings) -> list[str]:
    with coop.use():
        return [Reading.objects.get(pk=reading.pk).status for reading in readings]


def test_a_clerk_accepts_every_reading_of_a_window_without_warnings_at_once(coop_a, meters, awaiting):
    clerk = _client(coop_a, coop_a.clerk)
    listing = clerk.get("/biuro/odczyty/")
    assert listing.context["plausible_windows"] == [(meters["window"], 2), (awaiting["older_window"], 1)]
    assert "2 readings of the window" in listing.content.decode()
    response = clerk.post("/biuro/odczyty/przyjmij/", {"window": meters["window"].pk}, follow=True)
    assert [str(message) for message in response.context["messages"]] == ["2 readings have been accepted."]
    assert _statuses(coop_a, awaiting["plain"]) == ["accepted", "accepted"]
    assert _statuses(coop_a, [awaiting["unusual"], awaiting["expired"], awaiting["older"]]) == ["submitted"] * 3
    with coop_a.use():
        events = AuditEvent.objects.filter(action=AuditAction.READING_ACCEPTED).order_by("id")
        assert [(event.actor_id, event.target, event.details) for event in events] == [
            (coop_a.clerk.pk, "AP-23-1001", {"reading": awaiting["plain"][0].pk, "value": "107.000"}),
            (coop_a.clerk.pk, "AP-23-2002", {"reading": awaiting["plain"][1].pk, "value": "108.500"})]
    # Once done, the window offers nothing more and the same action again changes nothing.
    assert clerk.get("/biuro/odczyty/").context["plausible_windows"] == [(awaiting["older_window"], 1)]
    again = clerk.post("/biuro/odczyty/przyjmij/", {"window": meters["window"].pk}, follow=True)
    assert [str(message) for message in again.context["messages"]] == [
        "None of these readings awaits acceptance any more; nothing has changed."]
    with coop_a.use():
        assert AuditEvent.objects.filter(action=AuditAction.READING_ACCEPTED).count() == 2


def test_a_clerk_accepts_the_ticked_readings_and_stays_on_the_filtered_list(coop_a, meters, awaiting):
    clerk = _client(coop_a, coop_a.clerk)
    listing = clerk.get("/biuro/odczyty/")
    html = listing.content.decode()
    assert [reading.pk for reading in listing.context["page"]] == [
        reading.pk for reading in (*awaiting["plain"], awaiting["unusual"], awaiting["expired"], awaiting["older"])]
    assert f'name="reading" value="{awaiting["unusual"].pk}"' in html
    ticked = [awaiting["plain"][0].pk, awaiting["unusual"].pk, "x", 987654321]
    response = clerk.post("/biuro/odczyty/przyjmij/", {"reading": ticked, "query": "status=submitted&kind=hot_water"})
    assert response.status_code == 302 and response["Location"] == "/biuro/odczyty/?status=submitted&kind=hot_water"
    assert [str(message) for message in clerk.get(response["Location"]).context["messages"]] == [
        "2 readings have been accepted."]
    assert _statuses(coop_a, [awaiting["plain"][0], awaiting["unusual"]]) == ["accepted", "accepted"]
    assert _statuses(coop_a, [awaiting["plain"][1], awaiting["expired"], awaiting["older"]]) == ["submitted"] * 3
    with coop_a.use():
        assert sorted(AuditEvent.objects.filter(action=AuditAction.READING_ACCEPTED)
                      .values_list("target", flat=True)) == ["AP-23-1001", "AP-23-4004"]
    nothing = clerk.post("/biuro/odczyty/przyjmij/", {}, follow=True)
    assert [str(message) for message in nothing.context["messages"]] == ["Please tick the readings to accept."]


@pytest.mark.parametrize("who", ["technician", "resident"])
def test_only_the_office_accepts_readings_in_bulk(coop_a, meters, awaiting, who):
    client = _client(coop_a, getattr(coop_a, who))
    assert client.post("/biuro/odczyty/przyjmij/", {"window": meters["window"].pk}).status_code == 403
    assert client.post("/biuro/odczyty/przyjmij/", {"reading": [awaiting["plain"][0].pk]}).status_code == 403
    assert _statuses(coop_a, awaiting["plain"]) == ["submitted", "submitted"]
    with coop_a.use():
        assert not AuditEvent.objects.filter(action=AuditAction.READING_ACCEPTED).exists()


def test_after_a_decision_the_clerk_moves_on_to_the_next_waiting_reading(coop_a, meters, awaiting):
    clerk = _client(coop_a, coop_a.clerk)
    first, second = awaiting["plain"]
    accepted = clerk.post(f"/biuro/odczyty/{first.pk}/przyjmij/")
    assert accepted["Location"] == f"/biuro/odczyty/{second.pk}/"
    shown = clerk.get(accepted["Location"])
    assert [str(message) for message in shown.context["messages"]] == [
        "The reading 107.000 m³ of cold water AP-23-1001 has been accepted."]
    rejected = clerk.post(f"/biuro/odczyty/{second.pk}/odrzuc/", {"reason": "Nieczytelne zdjęcie."})
    assert rejected["Location"] == f"/biuro/odczyty/{awaiting['unusual'].pk}/"


def test_a_clerk_rejects_a_reading_with_a_reason_the_resident_sees(coop_a, meters):
    reading = _submitted(coop_a, meters)
    clerk = _client(coop_a, coop_a.clerk)
    without = clerk.post(f"/biuro/odczyty/{reading.pk}/odrzuc/", {"reason": " "})
    assert without.status_code == 200 and without.context["reject_form"].errors["reason"] == [
        "This field is required."]
    assert _readings(coop_a, meters["own"])[-1] == ("107.000", "resident", "submitted")
    assert clerk.post(f"/biuro/odczyty/{reading.pk}/odrzuc/",
                      {"reason": "Odczyt nie zgadza się ze zdjęciem."}).status_code == 302
    with coop_a.use():
        reading.refresh_from_db()
        assert (reading.status, reading.rejection_reason) == ("rejected", "Odczyt nie zgadza się ze zdjęciem.")
    page = _client(coop_a, coop_a.resident).get(f"/liczniki/{meters['own'].pk}/").content.decode()
    assert "Odczyt nie zgadza się ze zdjęciem." in page
    # Once decided, it cannot be decided again.
    clerk.post(f"/biuro/odczyty/{reading.pk}/przyjmij/")
    assert _readings(coop_a, meters["own"])[-1] == ("107.000", "resident", "rejected")


@pytest.mark.parametrize("who", ["technician", "resident", "outsider"])
def test_only_the_office_reviews_readings(coop_a, meters, who):
    reading = _submitted(coop_a, meters)
    client = _client(coop_a, getattr(coop_a, who))
    for url in ("/biuro/odczyty/", f"/biuro/odczyty/{reading.pk}/", "/biuro/odczyty/okna/",
                f"/biuro/liczniki/{meters['own'].pk}/", "/biuro/liczniki/"):
        assert client.get(url).status_code == 403
    assert client.post(f"/biuro/odczyty/{reading.pk}/przyjmij/").status_code == 403
    assert client.post(f"/biuro/odczyty/{reading.pk}/odrzuc/", {"reason": "x"}).status_code == 403
    assert client.post("/biuro/odczyty/okna/", {"starts_on": "2030-01-01", "ends_on": "2030-01-10"}).status_code == 403
    assert _readings(coop_a, meters["own"])[-1] == ("107.000", "resident", "submitted")
    with coop_a.use():
        assert ReadingWindow.objects.count() == 1


def test_the_office_manages_reading_windows_and_sees_a_units_meters(coop_a, meters):
    clerk = _client(coop_a, coop_a.clerk)
    created = clerk.post("/biuro/odczyty/okna/", {"starts_on": "2030-03-01", "ends_on": "2030-03-10",
                                                  "note": "Odczyt za I kwartał"})
    assert created.status_code == 302
    overlapping = clerk.post("/biuro/odczyty/okna/", {"starts_on": "2030-03-05", "ends_on": "2030-03-20"})
    assert overlapping.context["form"].non_field_errors() == [
        "The window overlaps another reading window (01.03.2030–10.03.2030)."]
    backwards = clerk.post("/biuro/odczyty/okna/", {"starts_on": "2030-05-05", "ends_on": "2030-05-01"})
    assert backwards.context["form"].non_field_errors() == ["The window cannot end before it starts."]
    with coop_a.use():
        assert list(ReadingWindow.objects.order_by("starts_on").values_list("note", flat=True)) == [
            "", "Odczyt za I kwartał"]
        unit = Unit.objects.get(code="ALFA-1-1")
    assert [unit.pk for unit in clerk.get("/biuro/liczniki/?q=Hutnicza 1/1").context["units"]] == [unit.pk]
    page = clerk.get(f"/biuro/liczniki/lokal/{unit.pk}/")
    assert [summary.meter.serial_number for summary in page.context["summaries"]] == ["AP-23-1001"]
    assert clerk.get(f"/biuro/liczniki/{meters['own'].pk}/").status_code == 200
    recorded = clerk.post(f"/biuro/liczniki/{meters['own'].pk}/", {"read_on": _today().isoformat(), "value": "108"})
    assert recorded.status_code == 302
    assert _readings(coop_a, meters["own"])[-1] == ("108.000", "staff", "accepted")


def _upload_readings(coop, clerk, text: str):
    """Send a readings file through the page and process it as the worker would; the page after it."""
    response = clerk.post("/biuro/odczyty/import/", {"file": SimpleUploadedFile("odczyty.csv", text.encode())})
    assert response.status_code == 302
    run_id = int(response["Location"].rsplit("run=", 1)[1])
    with coop.use(), translation.override("en"):
        run = import_process(run_id=run_id)
    return run, clerk.get(response["Location"])


def test_an_import_confirms_a_residents_reading_and_a_second_run_changes_nothing(coop_a, meters):
    reading = _submitted(coop_a, meters)
    clerk = _client(coop_a, coop_a.clerk)
    text = (f"numer_licznika;data;odczyt\nAP-23-1001;{_today():%d.%m.%Y};107,000\n"
            f"AP-23-2002;{_today():%d.%m.%Y};109,5\n")
    first, page = _upload_readings(coop_a, clerk, text)
    assert (first.status, first.kind, first.rows_added, first.rows_updated) == ("succeeded", "readings", 1, 1)
    assert page.context["run"] == first
    again, _page = _upload_readings(coop_a, clerk, text)
    assert (again.status, again.same_as_id) == ("unchanged", first.pk)
    with coop_a.use():
        reading.refresh_from_db()
        assert reading.status == "accepted"
        assert AuditEvent.objects.filter(action=AuditAction.READINGS_IMPORTED).count() == 1
    assert _readings(coop_a, meters["other"])[-1] == ("109.500", "import", "accepted")
    assert len(_readings(coop_a, meters["other"])) == 4
    bad, page = _upload_readings(coop_a, clerk, f"numer_licznika;data;odczyt\nAP-23-2002;{_today():%d.%m.%Y};111\n"
                                                "XX-1;01.01.2026;5\n")
    assert bad.status == "failed"
    assert [(error.line, error.column, error.value, error.reason) for error in page.context["errors"]] == [
        (3, "numer_licznika", "XX-1", "No meter has this serial number.")]
    assert len(_readings(coop_a, meters["other"])) == 4  # all or nothing


def test_each_imported_row_is_weighed_against_the_readings_before_it_in_date_order(coop_a, meters):
    clerk = _client(coop_a, coop_a.clerk)
    lines = [f"AP-23-2002;{_days_ago(20):%d.%m.%Y};108", f"AP-23-2002;{_days_ago(10):%d.%m.%Y};107,5"]
    _refused, page = _upload_readings(coop_a, clerk, "\n".join(["numer_licznika;data;odczyt", *lines]))
    assert [(error.line, error.column, error.reason) for error in page.context["errors"]] == [
        (3, "odczyt", f"The reading cannot be lower than the previous one (108.000 on {_days_ago(20):%d.%m.%Y}).")]
    assert len(_readings(coop_a, meters["other"])) == 3  # all or nothing
    _twice, page = _upload_readings(coop_a, clerk, "\n".join(["numer_licznika;data;odczyt", lines[0], lines[0]]))
    assert [(error.line, error.column, error.value) for error in page.context["errors"]] == [
        (3, "numer_licznika", f"AP-23-2002 / {_days_ago(20):%d.%m.%Y}")]
    assert len(_readings(coop_a, meters["other"])) == 3


def test_a_readings_file_without_its_header_or_with_a_ledger_header_is_refused_by_name(coop_a, meters):
    clerk = _client(coop_a, coop_a.clerk)
    refused, page = _upload_readings(coop_a, clerk, f"AP-23-2002;{_today():%d.%m.%Y};111\n")
    assert refused.status == "failed"
    assert page.context["errors"][0].reason.startswith("The header does not match the meter readings format")
    assert len(_readings(coop_a, meters["other"])) == 3


def test_a_readings_file_of_100000_bad_lines_gives_a_short_report(coop_a, meters):
    clerk = _client(coop_a, coop_a.clerk)
    text = "numer_licznika;data;odczyt\n" + "".join(f"XX-{number};01.01.2026;5\n" for number in range(100_000))
    refused, page = _upload_readings(coop_a, clerk, text)
    assert (refused.status, refused.error_count, refused.row_errors.count()) == ("failed", 100_000, 200)
    assert len(page.content) < 100_000
    assert len(_readings(coop_a, meters["other"])) == 3


def test_a_readings_file_over_the_size_limit_is_refused_on_the_page(coop_a, meters, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    clerk = _client(coop_a, coop_a.clerk)
    text = "numer_licznika;data;odczyt\n" + "AP-23-2002;01.01.2026;5\n" * 50_000
    response = clerk.post("/biuro/odczyty/import/", {"file": SimpleUploadedFile("odczyty.csv", text.encode())})
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["The file is larger than 1 MB."]}
    with coop_a.use():
        assert not ImportRun.objects.exists()


# ---- the reminder ---------------------------------------------------------------------------------

def test_the_window_reminder_is_sent_once_to_residents_of_units_with_meters(coop_a, meters,
                                                                            django_capture_on_commit_callbacks):
    with coop_a.use():
        Meter.objects.filter(pk=meters["other"].pk).update(removed_on=_days_ago(5))  # the outsider has none now
        for user, address in ((coop_a.resident, "jan@example.com"), (coop_a.outsider, "piotr@example.com")):
            user.email, user.email_verified_at = address, timezone.now()
            user.save(update_fields=["email", "email_verified_at"])
        for _run in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                reading_window_reminders.apply()
        meters["window"].refresh_from_db()
        assert meters["window"].notified_at is not None
    notices_deliver_waiting(coop_a)
    assert [message.to for message in mail.outbox] == [["jan@example.com"]]
    start, end = meters["window"].starts_on, meters["window"].ends_on
    assert mail.outbox[0].subject == f"Odczyty liczników: prosimy je podać od {start:%d.%m.%Y} do {end:%d.%m.%Y}"
    assert f"alfa.{settings.BASE_DOMAIN}/liczniki/" in mail.outbox[0].body
    # A whole address on the cooperative's own host, as every other e-mail's links.
    assert f"https://alfa.{settings.BASE_DOMAIN}/liczniki/" in mail.outbox[0].body


# ---- the module switched off ----------------------------------------------------------------------

def _route_urls() -> list[str]:
    urls = []
    for pattern in urlpatterns:
        kwargs = {name: 1 for name in pattern.pattern.converters}
        urls.append(reverse(f"meters:{pattern.name}", kwargs=kwargs))
    return urls


@pytest.mark.parametrize("who", ["resident", "clerk", "admin"])
def test_the_module_switched_off_answers_404_on_every_route(coop_b, who):
    with coop_b.use():
        assert InstanceSettings.objects.get(pk=1).module_meters is False
        instance_settings_forget()
    client = coop_b.client_logged_in_as(getattr(coop_b, who))
    urls = _route_urls()
    assert len(urls) == len(urlpatterns) == 15
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


def test_switching_the_module_off_closes_every_route(coop_a, meters):
    client = _client(coop_a, coop_a.clerk)
    assert client.get("/biuro/odczyty/").status_code == 200
    with coop_a.use():
        InstanceSettings.objects.filter(pk=1).update(module_meters=False)
        instance_settings_forget()
    for url in _route_urls():
        assert client.get(url).status_code == 404, url
    with coop_a.use():
        assert reading_window_reminders.apply().get() == []
