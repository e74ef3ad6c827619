"""End to end through nginx (TLS), gunicorn, Celery worker and beat, driven by headless Chromium.

The stack is the production one on loopback (tests/e2e/stack.py); the demo is loaded into a
database of its own. Screenshots of the main pages go to build/screenshots/ (`make screenshots` copies them to docs/).
"""

import base64
import http.client
import io
import re
import ssl
import subprocess
import time

import pytest
from django_otp.oath import totp
from PIL import Image
from pypdf import PdfReader

from .stack import http_request, https_request

pytestmark = pytest.mark.xdist_group("e2e")

# Hutnik's primary address in the demo (its own domain); hutnik.localhost redirects there (test_domains.py).
HUTNIK = "iok.smhutnik.localhost"


# The demo's published TOTP secrets (README): whoever has one passes the second step with its code.
DEMO_TOTP_SECRETS = {("localhost", "operator"): "OPERATORDEMOTOTPSECRETKEYAAAAAAA",
                     ("zakatek.localhost", "admin"): "ZAKATEKADMINDEMOTOTPSECRETAAAAAA"}


def _totp_code(secret: str) -> str:
    """What an authenticator app holding `secret` (base32) shows now."""
    return f"{totp(base64.b32decode(secret)):06d}"


def _second_step(page, secret: str, *, button: str) -> None:
    """Type the current code; a code already used in this 30-second step (an earlier test's sign-in) is
    refused, so then wait for the next step and type that one."""
    for _attempt in range(2):
        url = page.url
        page.get_by_label("Kod", exact=True).fill(_totp_code(secret))
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state()
        if page.url != url:
            return
        time.sleep(30 - time.time() % 30 + 1)
    raise AssertionError(f"the second step refused the codes: {page.url}")


def _login(page, stack, username: str, password: str, *, host: str = HUTNIK) -> None:
    page.goto(stack.url(host, "/logowanie/"))
    page.get_by_label("Identyfikator").fill(username)
    page.get_by_label("Hasło").fill(password)
    page.get_by_role("button", name="Zaloguj się", exact=True).click()
    page.wait_for_load_state()
    if page.url.endswith("/logowanie/drugi-krok/"):
        _second_step(page, DEMO_TOTP_SECRETS[(host, username)], button="Potwierdź i zaloguj")


def test_unknown_host_gets_the_404_page_through_nginx(stack, page, screenshot):
    response = page.goto(stack.url("nope.localhost", "/"))
    assert response.status == 404
    assert page.get_by_role("heading", name="Nie znaleziono strony").is_visible()
    assert "Pod tym adresem nie ma żadnej spółdzielni" in page.content()
    screenshot(page, "unknown-host-404")


def test_nginx_redirects_plain_http_and_refuses_foreign_names(stack):
    status, headers, _ = http_request(HUTNIK, stack.http_port, "/rozrachunki/?a=1")
    assert (status, headers["location"]) == (301, "https://iok.smhutnik.localhost/rozrachunki/?a=1")
    # A name that is neither the platform nor a cooperative: no TLS handshake, no page.
    with pytest.raises(ssl.SSLError):
        https_request("example.com", stack.https_port, "/")
    # Plain HTTP for such a name: nginx closes the connection without a word (its status 444).
    with pytest.raises(http.client.RemoteDisconnected):
        http_request("example.com", stack.http_port, "/")


def test_https_responses_carry_production_headers_and_nginx_serves_static_files(stack):
    status, headers, body = https_request(HUTNIK, stack.https_port, "/logowanie/")
    assert status == 200
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert "__Host-iok_csrf=" in headers["set-cookie"] and "Secure" in headers["set-cookie"]
    stylesheet = re.search(rb'href="(/static/iok/site\.[0-9a-f]{12}\.css)"', body).group(1).decode()
    status, headers, css = https_request(HUTNIK, stack.https_port, stylesheet)
    assert status == 200
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-type"] == "text/css"
    assert b".skip-link" in css


def test_nginx_hides_its_version_refuses_trace_and_passes_the_browser_policies(stack):
    status, headers, _body = https_request(HUTNIK, stack.https_port, "/logowanie/")
    assert status == 200
    assert headers["server"] == "nginx"
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "camera=()" in headers["permissions-policy"]
    status, headers, body = https_request(HUTNIK, stack.https_port, "/logowanie/", method="TRACE")
    assert status == 405
    assert headers["server"] == "nginx"
    assert b"nginx/" not in body


def test_first_sign_in_of_nowy_on_hutnik(stack, page, screenshot):
    page.goto(stack.url(HUTNIK, "/"))
    screenshot(page, "login")
    _login(page, stack, "nowy", "Start2026")
    assert page.url.endswith("/pierwsze-logowanie/regulamin/")
    screenshot(page, "first-sign-in-1-regulation")
    page.get_by_label(re.compile("akceptuję", re.IGNORECASE)).check()
    page.get_by_role("button", name="Akceptuję i przechodzę dalej").click()
    assert page.url.endswith("/konto/haslo/")

    page.locator("#id_old_password").fill("Start2026")
    page.locator("#id_new_password1").fill("abc12")
    page.locator("#id_new_password2").fill("abc12")
    page.get_by_role("button", name="Zapisz nowe hasło").click()
    assert page.url.endswith("/konto/haslo/")
    assert "co najmniej 6 znaków" in page.content()
    screenshot(page, "first-sign-in-2-password-refused")

    page.locator("#id_old_password").fill("Start2026")
    page.locator("#id_new_password1").fill("Hutnik2026x")
    page.locator("#id_new_password2").fill("Hutnik2026x")
    page.get_by_role("button", name="Zapisz nowe hasło").click()
    assert page.url.endswith("/konto/")
    assert page.get_by_text("Zalogowano jako Zofia Nowak").is_visible()

    # Signed in through nginx: the audit log has the browser's address from X-Forwarded-For.
    rows = stack.sql("SELECT action, host(ip_address) FROM coop_hutnik.audit_auditevent "
                     "WHERE target = 'nowy' AND action = 'login.succeeded'")
    assert rows == [("login.succeeded", "127.0.0.1")]


def test_lokator_reads_the_ledger_and_downloads_a_statement(stack, page, screenshot):
    _login(page, stack, "lokator", "Lokator2026")
    assert page.url.endswith("/konto/")
    screenshot(page, "home")
    page.get_by_role("navigation", name="Menu główne").get_by_role("link", name="Rozrachunki").click()
    assert page.url.endswith("/rozrachunki/")
    assert page.get_by_role("heading", name="Saldo").is_visible()
    screenshot(page, "ledger")
    page.get_by_role("link", name="Pełna historia rozrachunków").click()
    assert page.url.endswith("/rozrachunki/historia/")
    screenshot(page, "ledger-history")
    page.goto(stack.url(HUTNIK, "/rozrachunki/"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Wyciąg za bieżący rok")).click()
    download = download_info.value
    pdf = download.path().read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = "".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(pdf)).pages)
    assert "Hutnik" in text


def test_lokator_reports_a_failure_with_a_photo(stack, page, screenshot, tmp_path):
    photo = tmp_path / "przeciek.png"
    Image.new("RGB", (64, 48), (40, 90, 160)).save(photo)
    _login(page, stack, "lokator", "Lokator2026")
    page.goto(stack.url(HUTNIK, "/awarie/nowe/"))
    page.locator("#id_category").select_option(label="woda/kanalizacja")
    page.locator("#id_place").select_option(label="ul. Wawel 1/12")
    page.locator("#id_description").fill("Przecieka syfon pod zlewem w kuchni.")
    page.locator("#id_photos").set_input_files(str(photo))
    screenshot(page, "failure-report-new")
    page.get_by_role("button", name="Wyślij zgłoszenie").click()
    assert re.search(r"/awarie/\d+/$", page.url)
    assert page.get_by_text("Przecieka syfon pod zlewem w kuchni.").is_visible()
    # The photo is served by the access-checking view, through nginx, to the signed-in browser.
    image = page.locator("img[src*='/zdjecia/']").first
    fetched = page.evaluate("""async (source) => {
        const response = await fetch(source);
        return [response.status, response.headers.get("content-type"), (await response.arrayBuffer()).byteLength];
    }""", image.get_attribute("src"))
    # Re-encoded when it was received (iok.uploads.image_reencode): the same picture, not the same bytes.
    assert fetched[:2] == [200, "image/png"] and fetched[2] > 0
    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [64, 48]
    screenshot(page, "failure-report-filed")
    rows = stack.sql("SELECT r.description, count(p.id) FROM coop_hutnik.failures_failurereport r "
                     "JOIN coop_hutnik.failures_failurephoto p ON p.report_id = r.id "
                     "WHERE r.description LIKE 'Przecieka syfon%%' GROUP BY r.description")
    assert rows == [("Przecieka syfon pod zlewem w kuchni.", 1)]


def test_the_office_uploads_a_broken_import_and_the_worker_refuses_it(stack, page, screenshot):
    """The Celery worker processes an uploaded file; beat runs beside it."""
    from .stack import REPO_ROOT

    broken = REPO_ROOT / "platform" / "demo" / "data" / "imports" / "hutnik-naliczenia-bledne.csv"
    _login(page, stack, "biuro", "hutnik-biuro-2026")
    page.goto(stack.url(HUTNIK, "/biuro/importy/"))
    page.locator("input[type=file]").set_input_files(str(broken))
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    assert re.search(r"/biuro/importy/\d+/$", page.url)
    for _attempt in range(60):
        if "odrzucony" in page.content().lower():
            break
        page.wait_for_timeout(500)
        page.reload()
    assert "odrzucony" in page.content().lower()
    screenshot(page, "office-import-refused")
    assert re.search(r"Task tasks\.jobs\.import_run_process\[[0-9a-f-]+\] succeeded", stack.log("worker"))
    stack.assert_running()
    assert "beat: Starting" in stack.log("beat")


RESIDENT_PAGES = {
    "home": "/konto/",
    "ledger": "/rozrachunki/",
    "ledger-history": "/rozrachunki/historia/",
    "meters": "/liczniki/",
    "failures": "/awarie/",
    "announcements": "/ogloszenia/",
    "documents": "/dokumenty/",
    "contact-data": "/konto/dane-kontaktowe/",
}


def _axe_serious(page, axe_source: str) -> list[str]:
    # Evaluated by the browser driver, not as a <script> the page's strict CSP would (rightly) block.
    page.evaluate(axe_source + "\n;true")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert len(result["passes"]) > 10, "axe-core did not check the page"
    return [f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            + "; ".join(node["target"][0] for node in violation["nodes"][:5])
            for violation in result["violations"] if violation["impact"] in ("serious", "critical")]


def test_main_resident_pages_have_no_serious_accessibility_violations(stack, page, axe_source, screenshot):
    found = {}
    page.goto(stack.url(HUTNIK, "/logowanie/"))
    found["login"] = _axe_serious(page, axe_source)
    _login(page, stack, "lokator", "Lokator2026")
    for name, path in RESIDENT_PAGES.items():
        response = page.goto(stack.url(HUTNIK, path))
        assert response.status == 200, path
        found[name] = _axe_serious(page, axe_source)
        if name in ("meters", "failures", "announcements", "documents", "contact-data"):
            screenshot(page, name)
    assert {name: violations for name, violations in found.items() if violations} == {}


def test_operator_onboards_a_cooperative_and_its_admin_signs_in(stack, page, screenshot):
    # The e2e database is kept between runs: each run onboards a cooperative of its own.
    slug = f"testowa{int(time.time()) % 1_000_000}"
    _login(page, stack, "operator", "operator-demo-2026", host="localhost")
    assert page.url.endswith("/operator/")
    screenshot(page, "operator-console")
    page.goto(stack.url("localhost", "/operator/nowa/"))
    page.locator("#id_name").fill("SM Testowa")
    page.locator("#id_slug").fill(slug)
    page.locator("#id_street").fill("ul. Próbna 1")
    page.locator("#id_postal_code").fill("41-200")
    page.locator("#id_city").fill("Sosnowiec")
    page.locator("#id_admin_email").fill("zarzad@testowa.example")
    screenshot(page, "operator-onboarding")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    one_time_password = page.locator("#one-time-password").inner_text().strip()
    login = page.locator(".credentials code").first.inner_text().strip()
    assert len(one_time_password) >= 12
    screenshot(page, "operator-onboarded")

    host = f"{slug}.localhost"
    admin = page.context.new_page()
    admin.goto(stack.url(host, "/logowanie/"))
    admin.get_by_label("Identyfikator").fill(login)
    admin.get_by_label("Hasło").fill(one_time_password)
    admin.get_by_role("button", name="Zaloguj się", exact=True).click()
    admin.wait_for_load_state()
    # A new cooperative requires its staff's second factor: the admin sets up an authenticator app first.
    assert admin.url.endswith("/logowanie/aplikacja-uwierzytelniajaca/")
    screenshot(admin, "second-factor-enrol")
    _second_step(admin, admin.locator("#totp-secret").inner_text().strip(), button="Potwierdź")
    assert admin.url.endswith("/konto/drugi-skladnik/kody/")
    assert admin.locator(".recovery-codes li").count() == 10
    admin.get_by_role("link", name="Kody zapisane, dalej").click()
    admin.wait_for_load_state()
    if admin.url.endswith("/pierwsze-logowanie/regulamin/"):
        admin.get_by_label(re.compile("akceptuję", re.IGNORECASE)).check()
        admin.get_by_role("button", name="Akceptuję i przechodzę dalej").click()
    assert admin.url.endswith("/konto/haslo/")
    admin.locator("#id_old_password").fill(one_time_password)
    admin.locator("#id_new_password1").fill("Jesienny-Klon-2026")
    admin.locator("#id_new_password2").fill("Jesienny-Klon-2026")
    admin.get_by_role("button", name="Zapisz nowe hasło").click()
    admin.wait_for_load_state()
    assert admin.url == stack.url(host, "/biuro/")
    assert "SM Testowa" in admin.content()
    admin.close()


def test_pages_with_scripts_and_charts_run_under_the_content_security_policy(stack, page):
    """The `page` fixture fails the test on any CSP violation; these pages once had inline code or styles."""
    _login(page, stack, "lokator", "Lokator2026")
    page.goto(stack.url(HUTNIK, "/konto/moje-dane/"))
    policy = page.evaluate("() => fetch(location.href).then((r) => r.headers.get('content-security-policy'))")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    page.get_by_role("button", name="Drukuj").wait_for()
    page.goto(stack.url(HUTNIK, "/rozrachunki/"))
    assert page.locator("svg.fee-chart rect").count() > 0
    page.goto(stack.url(HUTNIK, "/api/v1/docs/"))
    # Swagger UI's set-up script is a file of its own (?script): it ran when the API's title is shown.
    page.locator(".swagger-ui .info .title").wait_for()


def test_gunicorn_workers_are_the_production_configuration(stack):
    output = subprocess.run(["ps", "-o", "args=", "--ppid", str(stack.processes["web"].pid)],
                            capture_output=True, text=True).stdout
    assert len([line for line in output.splitlines() if "gunicorn" in line]) == 2
