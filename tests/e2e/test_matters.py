"""Issue 22's "done when", tried as a new user would on the production stack: `lokator` reports that two people
live in the flat from next month, with a scanned declaration; `biuro` answers and closes the matter; `lokator`
reads the answer on a phone (360 px, nothing scrolls sideways). Then `lokator` asks for a certificate of no
arrears for the garage, `biuro` issues it, and the address the certificate's QR code holds (printed under the
code as well) opens the public verification page saying the certificate is genuine."""

import base64
import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from pypdf import PdfReader

from .test_browser import HUTNIK, _login

pytestmark = pytest.mark.xdist_group("e2e")

PHONE = {"width": 360, "height": 780}
PDF_FETCH = """async (url) => {
  const response = await fetch(url);
  const bytes = new Uint8Array(await response.arrayBuffer());
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return [response.status, response.headers.get("content-type"), btoa(binary)];
}"""
ANSWER = "Dziękujemy, od przyszłego miesiąca naliczamy opłaty za dwie osoby."


def _declaration(folder) -> str:
    """A scanned declaration as a phone's camera saves it (a JPEG)."""
    path = folder / "deklaracja.jpg"
    Image.new("RGB", (640, 480), "white").save(path, format="JPEG")
    return str(path)


def _year_number(register_number: str) -> tuple[int, int]:
    """KOR/2026/00005 → (2026, 5), as the matter's row keeps it."""
    _prefix, year, number = register_number.split("/")
    return int(year), int(number)


def _new_matter(page, stack, topic: str) -> None:
    page.goto(stack.url(HUTNIK, "/sprawy/"))
    page.get_by_role("link", name="Nowa sprawa").click()
    page.get_by_role("link", name=topic).click()


def _choose_unit(page, text: str) -> None:
    """Pick the unit whose name (as the list shows it) contains `text`, whatever the case."""
    unit = page.get_by_label("Lokal", exact=True)
    options = unit.locator("option").all_inner_texts()
    unit.select_option(label=next(option for option in options if text.lower() in option.lower()))


def _office(browser, stack):
    context = browser.new_context(ignore_https_errors=True, locale="pl-PL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    office = context.new_page()
    _login(office, stack, "biuro", "hutnik-biuro-2026")
    return context, office


def _open_in_queue(office, stack, register_number: str) -> None:
    office.goto(stack.url(HUTNIK, "/biuro/sprawy/"))
    office.get_by_role("link", name=register_number).first.click()
    assert office.get_by_text(register_number).first.is_visible()


def test_lokator_reports_two_people_reads_the_answer_on_a_phone_and_gets_a_verifiable_certificate(
        stack, page, browser, screenshot, tmp_path):
    today = datetime.datetime.now(ZoneInfo("Europe/Warsaw")).date()
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    _login(page, stack, "lokator", "Lokator2026")

    # lokator: two people from next month, with the scanned declaration.
    (people_topic,), = stack.sql("SELECT name FROM coop_hutnik.matters_mattertopic WHERE kind = 'people' "
                                 "ORDER BY sort_order LIMIT 1")
    _new_matter(page, stack, people_topic)
    _choose_unit(page, "Wawel 1/12")
    page.get_by_label("Liczba osób zamieszkałych w lokalu").fill("2")
    page.get_by_label("Od", exact=True).fill(next_month.isoformat())
    page.get_by_label("Dodatkowe informacje (nieobowiązkowo)").fill("Od przyszłego miesiąca mieszka z nami córka.")
    page.get_by_label("Załączniki (nieobowiązkowo)").set_input_files(_declaration(tmp_path))
    page.get_by_role("button", name="Wyślij do biura").click()
    register_number = re.search(r"KOR/\d{4}/\d{5}", page.locator("dl.facts").inner_text()).group(0)
    (fields, attachments), = stack.sql(
        "SELECT m.fields, (SELECT count(*) FROM coop_hutnik.matters_matterattachment a WHERE a.matter_id = m.id) "
        "FROM coop_hutnik.matters_matter m WHERE m.year = %s AND m.number = %s", _year_number(register_number))
    assert (fields, attachments) == ({"people": 2, "effective_from": next_month.isoformat()}, 1)
    screenshot(page, "matters-1-filed")

    # biuro: answers and closes it.
    context, office = _office(browser, stack)
    try:
        _open_in_queue(office, stack, register_number)
        office.locator("form[action$='/odpowiedz/'] textarea[name=text]").fill(ANSWER)
        office.locator("form[action$='/odpowiedz/']").get_by_role("button", name="Wyślij").click()
        office.locator("form[action$='/status/'] select[name=status]").select_option("closed")
        office.locator("form[action$='/status/'] select[name=outcome]").select_option("granted")
        office.get_by_role("button", name="Zmień status").click()
        assert office.get_by_text("Status został zmieniony.").is_visible()
        screenshot(office, "matters-2-office")
    finally:
        context.close()
    (status, outcome), = stack.sql("SELECT status, outcome FROM coop_hutnik.matters_matter "
                                   "WHERE year = %s AND number = %s", _year_number(register_number))
    assert (status, outcome) == ("closed", "granted")

    # lokator reads the answer on the phone.
    page.set_viewport_size(PHONE)
    page.goto(stack.url(HUTNIK, "/sprawy/"))
    page.get_by_role("link", name=register_number).click()
    assert page.get_by_text(ANSWER).is_visible()
    width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport == PHONE["width"]
    screenshot(page, "matters-3-answer-on-phone")

    # The certificate for the garage: asked for by lokator, issued by biuro.
    page.set_viewport_size({"width": 1280, "height": 900})
    (certificate_topic,), = stack.sql("SELECT name FROM coop_hutnik.matters_mattertopic WHERE kind = 'certificate' "
                                      "ORDER BY sort_order LIMIT 1")
    _new_matter(page, stack, certificate_topic)
    _choose_unit(page, "garaż")
    page.get_by_role("button", name="Wyślij do biura").click()
    certificate_matter = re.search(r"KOR/\d{4}/\d{5}", page.locator("dl.facts").inner_text()).group(0)
    context, office = _office(browser, stack)
    try:
        _open_in_queue(office, stack, certificate_matter)
        office.get_by_role("button", name="Wydaj zaświadczenie").click()
        screenshot(office, "matters-4-certificate-issued")
    finally:
        context.close()
    page.reload()
    link = page.get_by_role("link", name=re.compile(r"Zaświadczenie .* \(PDF\)"))
    # Fetched by the page itself (the browser resolves the stack's names; Playwright's own requests do not).
    status, content_type, body = page.evaluate(PDF_FETCH, link.get_attribute("href"))
    assert (status, content_type) == (200, "application/pdf")
    text = " ".join(PdfReader(io.BytesIO(base64.b64decode(body))).pages[0].extract_text().split())
    assert f"na dzień {today:%d.%m.%Y} r." in text
    # The address the QR code holds is printed under it too (wrapped over lines: the extracted text has spaces).
    verification = re.search(r"https://[a-z0-9.-]+(:\d+)?/zaswiadczenia/weryfikacja/[0-9A-Z]{16}/",
                             text.replace(" ", "")).group(0)
    assert verification.startswith(stack.url(HUTNIK, "/zaswiadczenia/weryfikacja/"))

    # Anyone with the code: the QR code's address, without signing in.
    stranger = browser.new_context(ignore_https_errors=True, locale="pl-PL", viewport=PHONE)
    try:
        public = stranger.new_page()
        public.goto(verification)
        assert public.get_by_role("heading", name=re.compile("Zaświadczenie autentyczne")).is_visible()
        assert f"{today:%d.%m.%Y}" in public.content()
        screenshot(public, "matters-5-verification")
    finally:
        stranger.close()
