"""The demo (the README's “The demo”) loads completely and loading it again changes nothing."""

import base64
import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client
from django_tenants.utils import schema_context

from cooperatives.models import Cooperative, Domain
from demo.load import demo_load
from tenants_portal.accounts.models import User
from tenants_portal.registry.models import Unit

from .conftest import totp_code


def _counts() -> dict[str, tuple[int, int]]:
    counts = {}
    for cooperative in Cooperative.objects.filter(slug__in=["hutnik", "zakatek"]):
        with schema_context(cooperative.schema_name):
            counts[cooperative.slug] = (User.objects.count(), Unit.objects.count())
    return counts


def test_demo_loads_both_cooperatives_and_is_idempotent(db):
    demo_load(log=lambda message: None)
    first = _counts()
    demo_load(log=lambda message: None)

    # Hutnik: the four demo logins, plus the technician and three neighbours of the failure reports demo.
    assert first == {"hutnik": (8, 1963), "zakatek": (2, 336)}
    assert _counts() == first
    assert User.objects.filter(username="operator", role=User.Role.OPERATOR).count() == 1
    with schema_context("coop_hutnik"):
        assert User.objects.get(username="nowy").must_change_password is True
        assert User.objects.get(username="lokator").check_password("Lokator2026")
        assert User.objects.get(username="admin").check_password("hutnik-admin-2026")
    with schema_context("coop_zakatek"):
        assert User.objects.get(username="lokator").check_password("zakatek-lokator-2026")


def test_demo_logins_sign_in_on_their_own_host_only(db):
    demo_load(log=lambda message: None)
    hutnik, zakatek = Client(HTTP_HOST="iok.smhutnik.localhost"), Client(HTTP_HOST="zakatek.localhost")
    assert hutnik.post("/logowanie/", {"username": "lokator", "password": "Lokator2026"}).status_code == 302
    refused = zakatek.post("/logowanie/", {"username": "lokator", "password": "Lokator2026"})
    assert refused.status_code == 200
    assert refused.context["user"].is_authenticated is False
    # The operator and Zakątek's admin: password, then the code from the published secret (README, make run).
    operator = Client(HTTP_HOST="localhost")
    response = operator.post("/logowanie/", {"username": "operator", "password": "operator-demo-2026"})
    assert response["Location"] == "/logowanie/drugi-krok/"
    assert operator.get("/operator/")["Location"].startswith("/logowanie/")
    code = totp_code(base64.b32decode("OPERATORDEMOTOTPSECRETKEYAAAAAAA").hex())
    assert operator.post("/logowanie/drugi-krok/", {"code": code})["Location"] == "/operator/"
    admin = Client(HTTP_HOST="zakatek.localhost")
    assert admin.post("/logowanie/", {"username": "admin", "password": "zakatek-admin-2026"})["Location"] == \
        "/logowanie/drugi-krok/"
    code = totp_code(base64.b32decode("ZAKATEKADMINDEMOTOTPSECRETAAAAAA").hex())
    assert admin.post("/logowanie/drugi-krok/", {"code": code})["Location"] == "/konto/"
    # Hutnik's staff policy is off: its admin signs in with the password alone and is told so.
    hutnik_admin = Client(HTTP_HOST="iok.smhutnik.localhost")
    assert hutnik_admin.post("/logowanie/", {"username": "admin", "password": "hutnik-admin-2026"})["Location"] == \
        "/konto/"
    assert hutnik_admin.get("/biuro/").context["second_factor_warning"] is True


def test_demo_nowy_walks_through_the_first_sign_in_as_the_issue_describes(db):
    demo_load(log=lambda message: None)
    client = Client(HTTP_HOST="iok.smhutnik.localhost")
    assert client.post("/logowanie/", {"username": "nowy", "password": "Start2026"})["Location"] == "/konto/"
    assert client.get("/konto/")["Location"] == "/pierwsze-logowanie/regulamin/"
    regulation = client.get("/pierwsze-logowanie/regulamin/")
    assert regulation.context["regulation"].title == "Regulamin użytkowania konta IOK w systemie S.M. Hutnik"
    assert "minimalna długość hasła 6 znaków" in regulation.content.decode()
    assert client.post("/pierwsze-logowanie/regulamin/", {"accept": "on"})["Location"] == "/konto/haslo/"
    refused = client.post("/konto/haslo/", {"old_password": "Start2026", "new_password1": "abc12",
                                            "new_password2": "abc12"})
    assert refused.context["form"].errors == {"new_password1": ["Hasło musi mieć co najmniej 6 znaków."]}
    accepted = client.post("/konto/haslo/", {"old_password": "Start2026", "new_password1": "Hutnik2026x",
                                             "new_password2": "Hutnik2026x"})
    assert accepted["Location"] == "/konto/"
    home = client.get("/konto/")
    assert [str(unit) for unit in home.context["units"]] == ["ul. Zofii Nałkowskiej 4/7"]


def test_demo_lokator_has_a_flat_and_a_garage_and_zakatek_password_fails_on_hutnik(db):
    demo_load(log=lambda message: None)
    hutnik = Client(HTTP_HOST="iok.smhutnik.localhost")
    refused = hutnik.post("/logowanie/", {"username": "lokator", "password": "zakatek-lokator-2026"})
    assert refused.status_code == 200 and "_auth_user_id" not in hutnik.session
    hutnik.post("/logowanie/", {"username": "lokator", "password": "Lokator2026"})
    home = hutnik.get("/konto/")
    assert [str(unit) for unit in home.context["units"]] == ["ul. Wawel 1/12", "ul. Wawel 1, garaż G1"]
    with schema_context("coop_hutnik"):
        from tenants_portal.registry.models import LegalTitle
        assert LegalTitle.objects.count() == Unit.objects.count() == 1963


def test_demo_ledger_ten_years_with_one_arrears_period_and_balance_equal_to_the_ledger(db):
    demo_load(log=lambda message: None)
    demo_load(log=lambda message: None)
    with schema_context("coop_hutnik"):
        from billing_views.models import ImportRun, LedgerEntry
        assert list(ImportRun.objects.exclude(kind=ImportRun.Kind.FEE_SCHEDULE).order_by("filename")
                    .values_list("filename", "status")) == [
            ("hutnik-naliczenia.csv", "succeeded"), ("hutnik-wplaty.csv", "succeeded")]
        flat = Unit.objects.get(code="WAWEL-1-12")
        months = LedgerEntry.objects.filter(unit=flat, kind="charge").values("period").distinct().count()
        assert months == 120
        assert LedgerEntry.objects.filter(unit=flat, kind="interest").count() == 1
    client = Client(HTTP_HOST="iok.smhutnik.localhost")
    client.post("/logowanie/", {"username": "lokator", "password": "Lokator2026"})
    overview = client.get("/rozrachunki/")
    latest_year = client.get("/rozrachunki/historia/").context["lines"]
    lines = client.get("/rozrachunki/historia/?date_from=2000-01-01").context["lines"]
    assert len(lines) > len(latest_year)
    assert overview.context["balance"] == latest_year[0].balance == lines[0].balance == sum(
        line.amount for line in lines)
    assert overview.context["balance"] > 0
    assert overview.context["payment"]["qr_payload"].startswith("6441001003|PL|")  # the demo's NIP first


# Mid-month: the demo's last accepted reading is dated the end of the previous month, so in a month's
# first days a jump of 2 m³ is (rightly) unusual and asks for confirmation.
@time_machine.travel(datetime.datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw")))
def test_demo_modules_walkthrough_as_the_issue_describes(db):
    """Issue 5, done-when: a reading refused then awaiting acceptance, a failure report with a photo
    accepted by `biuro`, an announcement for the resident's building; meters 404 on Zakątek.
    On a fixed day: in a month's first days the demo's last reading is a day or two old, and 2 m³ on top of
    it is rightly an unusual consumption that asks for confirmation."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from tenants_portal.failures.models import FailureCategory, FailureReport
    from tenants_portal.meters.models import Meter, Reading

    demo_load(log=lambda message: None)
    lokator = Client(HTTP_HOST="iok.smhutnik.localhost")
    lokator.post("/logowanie/", {"username": "lokator", "password": "Lokator2026"})
    with schema_context("coop_hutnik"):
        meter = Meter.objects.filter(unit__code="WAWEL-1-12", kind="cold_water").get()
        last = Reading.objects.filter(meter=meter, status="accepted").order_by("-read_on").first().value
        category = FailureCategory.objects.order_by("pk").first()
        flat = Unit.objects.get(code="WAWEL-1-12")
    field = f"m{meter.pk}-value"  # one form per meter on the page, each with its prefix
    refused = lokator.post(f"/liczniki/{meter.pk}/odczyt/", {field: str(last - 1)})
    assert refused.status_code == 200
    (message,) = refused.context["form"].non_field_errors()
    assert f"({last:.3f}".replace(".", ",") in message  # names the previous reading it is below
    with schema_context("coop_hutnik"):
        assert not Reading.objects.filter(meter=meter, value=last - 1).exists()
    accepted = lokator.post(f"/liczniki/{meter.pk}/odczyt/", {field: str(last + 2)})
    assert accepted.status_code == 302
    with schema_context("coop_hutnik"):
        reading = Reading.objects.filter(meter=meter).order_by("-pk").first()
        assert (reading.value, reading.status, reading.source) == (last + 2, "submitted", "resident")

    png = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(png, "PNG")
    filed = lokator.post("/awarie/nowe/", {
        "category": category.pk, "place": f"unit:{flat.pk}", "description": "Cieknie kran w kuchni.",
        "urgency": "normal", "photos": [SimpleUploadedFile("kran.png", png.getvalue(), "image/png")]})
    assert filed.status_code == 302
    with schema_context("coop_hutnik"):
        report = FailureReport.objects.order_by("-pk").first()
        assert (report.status, report.photos.count()) == ("new", 1)
    biuro = Client(HTTP_HOST="iok.smhutnik.localhost")
    biuro.post("/logowanie/", {"username": "biuro", "password": "hutnik-biuro-2026"})
    assert biuro.post(f"/biuro/awarie/{report.pk}/status/", {"status": "accepted", "comment": ""}).status_code == 302
    page = lokator.get(f"/awarie/{report.pk}/")
    assert page.context["report"].status == "accepted"

    titles = [announcement.title for announcement in lokator.get("/ogloszenia/").context["page"]]
    assert "Przegląd instalacji gazowej w budynku Wawel 1" in titles
    assert "Wymiana domofonów w budynku Wawel 3" not in titles

    zakatek = Client(HTTP_HOST="zakatek.localhost")
    zakatek.post("/logowanie/", {"username": "lokator", "password": "zakatek-lokator-2026"})
    assert zakatek.get("/liczniki/").status_code == 404


def test_demo_online_payments_on_the_simulator_in_hutnik_off_in_zakatek_and_the_due_amount_clears_the_flat(
        db, settings):
    """Issue 20, point 7: Hutnik pays through PayU on the simulator (set once: loading again changes
    nothing), the cooperative paying the fee; the flat's prefilled amount is its whole balance; Zakątek 404."""
    from billing_views.selectors import ledger_balances
    from tenants_portal.audit.models import AuditEvent
    from tenants_portal.online_payments.gateway import credentials_of, gateway_ready
    from tenants_portal.online_payments.models import GatewaySettings
    from tenants_portal.online_payments.simulator_keys import PAYU_CREDENTIALS

    settings.PAYMENTS_SIMULATOR_URL = "http://127.0.0.1:8090"
    demo_load(log=lambda message: None)
    with schema_context("coop_hutnik"):
        first = GatewaySettings.objects.get()
    demo_load(log=lambda message: None)
    with schema_context("coop_hutnik"):
        gateway_settings = GatewaySettings.objects.get()
        assert (gateway_settings.gateway, gateway_settings.environment, gateway_settings.resident_pays_fee,
                gateway_settings.unbooked_after_days) == ("payu", "simulator", False, 5)
        assert credentials_of(gateway_settings) == PAYU_CREDENTIALS and gateway_ready(gateway_settings)
        assert (gateway_settings.credentials_encrypted, gateway_settings.credentials_changed_at) == (
            first.credentials_encrypted, first.credentials_changed_at)
        assert AuditEvent.objects.filter(action="payment_gateway.changed").count() == 1
        flat = Unit.objects.get(code="WAWEL-1-12")
        balance = ledger_balances(units=[flat])[flat.pk]
    lokator = Client(HTTP_HOST="iok.smhutnik.localhost")
    lokator.post("/logowanie/", {"username": "lokator", "password": "Lokator2026"})
    start = lokator.get(f"/platnosci/?unit={flat.pk}")
    assert start.status_code == 200 and start.context["ready"] is True
    assert balance > 0 and start.context["form"][f"unit_{flat.pk}"].value() == balance
    summary = lokator.post(f"/platnosci/?unit={flat.pk}", {f"unit_{flat.pk}": f"{balance}".replace(".", ",")},
                           follow=True)
    assert summary.context["payment"].amount_required == balance
    # Its button is answered by a redirect to the gateway's page, which the page's form-action must allow.
    directives = dict(part.strip().split(" ", 1) for part in summary.headers["Content-Security-Policy"].split(";")
                      if part.strip())
    assert directives["form-action"] == "'self' https: http://127.0.0.1:8090"
    zakatek = Client(HTTP_HOST="zakatek.localhost")
    zakatek.post("/logowanie/", {"username": "lokator", "password": "zakatek-lokator-2026"})
    assert zakatek.get("/platnosci/").status_code == 404
    with schema_context("coop_zakatek"):
        assert not GatewaySettings.objects.exclude(gateway="").exists()


def test_demo_hutnik_answers_at_its_own_address_and_its_old_links_lead_there(db):
    demo_load(log=lambda message: None)
    assert list(Domain.objects.filter(tenant__slug="hutnik").order_by("domain").values_list(
        "domain", "state", "is_primary")) == [("hutnik.localhost", "verified", False),
                                              ("iok.smhutnik.localhost", "verified", True)]
    old = Client(HTTP_HOST="hutnik.localhost:8000").get("/InetObsKontr/LoginPage?a=1")
    assert (old.status_code, old["Location"]) == (301, "http://iok.smhutnik.localhost:8000/InetObsKontr/LoginPage?a=1")
    bookmark = Client(HTTP_HOST="iok.smhutnik.localhost:8000").get("/InetObsKontr/LoginPage?a=1")
    assert (bookmark.status_code, bookmark["Location"]) == (301, "/logowanie/?a=1")
    page = Client(HTTP_HOST="iok.smhutnik.localhost:8000").get("/logowanie/")
    assert page.status_code == 200
    assert page.context["cooperative"].slug == "hutnik"
    demo_load(log=lambda message: None)  # idempotent
    assert Domain.objects.filter(tenant__slug="hutnik").count() == 2
