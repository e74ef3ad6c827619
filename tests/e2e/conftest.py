"""One production stack and one headless Chromium for the end-to-end tests (tests/e2e/stack.py).

The tests run in one xdist group (`make test` passes --dist loadgroup), so one worker starts the
stack, once per session: xdist may hand that worker other modules' tests in between, and a
module-scoped stack would be stopped and started again each time. Debian's nginx and Chromium
are installed by `make test`'s first step (deploy/test-packages.sh); when they are missing anyway
the tests fail with the command that installs them, never skip silently.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

from .stack import REPO_ROOT, Stack, database_drop, stack_start, system_tools_missing

E2E_DIR = Path(__file__).resolve().parent
# Under build/ (ignored by git): a test run leaves the checkout clean; `make screenshots` copies them
# into docs/screenshots for the README.
SCREENSHOTS = REPO_ROOT / "build" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Stack:
    reason = system_tools_missing()
    if reason:
        pytest.fail(reason)
    started = stack_start(tmp_path_factory.mktemp("e2e-stack"))
    yield started
    started.stop()
    database_drop(started.database_url)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core from npm (tests/e2e/package.json), installed with `npm ci` the first time."""
    script = E2E_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        if not shutil.which("npm"):
            pytest.fail("npm is needed to install axe-core (tests/e2e/package.json)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=E2E_DIR, check=True)
    return script.read_text()


@pytest.fixture(scope="module")
def browser(stack):
    """Module-scoped: Playwright's sync API runs an event loop in this thread, and Django refuses
    database work while one runs, so it must be gone before another module's tests come."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


# Runs in every page before the page's own scripts (Playwright injects it outside the page's CSP) and
# reports each Content-Security-Policy violation to the test.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.iokCspViolation(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ${event.documentURI}`);
});
"""


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) per test: Polish, a laptop-sized window. Every page it opens,
    in any tab, must run without a single Content-Security-Policy violation."""
    context = browser.new_context(ignore_https_errors=True, locale="pl-PL", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    context.set_default_timeout(20_000)
    violations: list[str] = []
    context.expose_binding("iokCspViolation", lambda _source, text: violations.append(text))
    context.add_init_script(CSP_LISTENER)
    # Chromium also logs each violation on the console (of every tab of the context).
    context.on("console", lambda message: violations.append(message.text)
               if "Content Security Policy" in message.text else None)
    opened = context.new_page()
    yield opened
    context.close()
    assert violations == []


@pytest.fixture
def screenshot():
    """screenshot(page, "name") saves build/screenshots/name.png (`make screenshots` publishes them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
