"""Phone-width (360 px) screenshots of the resident's home page, ledger and "how to pay", for the notes in
docs/: `.venv/bin/python docs/screenshots/phone.py after` writes phone-home-after.png and so on.

It starts the end-to-end stack (tests/e2e/stack.py) on embedded PostgreSQL and Redis of its own
(.devdata/pg-shots), signs in as the demo's `lokator` and stops everything again. Screenshots of a test
run go elsewhere; these are taken by hand, before and after a change to the resident's pages.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO_ROOT), str(REPO_ROOT / "platform")]

from devstack.services import services  # noqa: E402
from tests.e2e.stack import database_drop, stack_start  # noqa: E402

HOST = "hutnik.localhost"
PHONE = {"width": 360, "height": 780}


def shots(suffix: str) -> None:
    from playwright.sync_api import sync_playwright

    with services(purpose="shots") as environment, tempfile.TemporaryDirectory() as root:
        os.environ.update(environment)
        stack = stack_start(Path(root))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                                     args=["--headless", "--no-sandbox", "--disable-gpu"])
                context = browser.new_context(ignore_https_errors=True, locale="pl-PL", viewport=PHONE,
                                              device_scale_factor=1)
                page = context.new_page()
                page.goto(stack.url(HOST, "/logowanie/"))
                page.get_by_label("Identyfikator").fill("lokator")
                page.get_by_label("Hasło").fill("Lokator2026")
                page.get_by_role("button", name="Zaloguj się").click()
                page.wait_for_load_state()
                here = Path(__file__).resolve().parent
                page.goto(stack.url(HOST, "/konto/"))
                page.screenshot(path=str(here / f"phone-home-{suffix}.png"), full_page=True)
                page.goto(stack.url(HOST, "/rozrachunki/historia/"))
                # The whole history was 215,000 px tall before: the first screens are what a resident reads.
                page.screenshot(path=str(here / f"phone-ledger-{suffix}.png"), full_page=True,
                                clip={"x": 0, "y": 0, "width": PHONE["width"], "height": 3000})
                page.goto(stack.url(HOST, "/rozrachunki/"))
                page.locator("#pay-heading").scroll_into_view_if_needed()
                page.locator("section:has(#pay-heading)").screenshot(path=str(here / f"phone-how-to-pay-{suffix}.png"))
                browser.close()
        finally:
            stack.stop()
            database_drop(stack.database_url)


if __name__ == "__main__":
    shots(sys.argv[1] if len(sys.argv) > 1 else "after")
