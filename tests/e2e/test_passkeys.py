"""Passkeys end to end in Chromium: `lokator` adds one on the own-account page and then signs in with it, without
typing a password, through nginx (TLS) and gunicorn. The passkey lives in Chromium's virtual authenticator (the
DevTools protocol's WebAuthn domain): a platform authenticator (ctap2, internal) that keeps discoverable
credentials and verifies the user, as a phone's fingerprint reader would."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .test_browser import HUTNIK, _axe_serious, _login

pytestmark = pytest.mark.xdist_group("e2e")

ZAKATEK = "zakatek.localhost"


def _virtual_authenticator(page) -> tuple[object, str]:
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    created = session.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})
    return session, created["authenticatorId"]


# Chromium's virtual environment answers the login field's autofill request (conditional mediation) at once
# with the passkey it holds; a test of the button hides the autofill so that only the button signs in.
NO_AUTOFILL = "delete PublicKeyCredential.isConditionalMediationAvailable;"


def test_lokator_adds_a_passkey_and_signs_in_with_it_without_a_password(stack, page, screenshot):
    page.context.add_init_script(NO_AUTOFILL)
    session, authenticator = _virtual_authenticator(page)
    _login(page, stack, "lokator", "Lokator2026")
    page.goto(stack.url(HUTNIK, "/konto/ustawienia/"))
    page.get_by_role("link", name="Klucze dostępu").click()
    assert page.url.endswith("/konto/klucze-dostepu/")
    assert page.get_by_text("To konto nie ma jeszcze kluczy dostępu.").is_visible()
    page.get_by_label("Nazwa klucza dostępu").fill("Telefon w Chromium")
    page.get_by_role("button", name="Dodaj klucz dostępu").click()
    page.wait_for_url("**/konto/klucze-dostepu/")
    page.get_by_text("Dodano klucz dostępu „Telefon w Chromium”").wait_for()
    row = page.get_by_role("row", name="Telefon w Chromium")
    assert "jeszcze nieużywany" in row.inner_text()
    screenshot(page, "passkeys")
    credentials = session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert [(c["rpId"], c["isResidentCredential"]) for c in credentials] == [(HUTNIK, True)]

    # The sign-out must have finished before the next page: else, under load, it can land after the passkey
    # sign-in that follows and end that session.
    with page.expect_navigation():
        page.get_by_role("button", name="Wyloguj").click()
    page.goto(stack.url(HUTNIK, "/logowanie/"))
    page.get_by_role("button", name="Zaloguj się kluczem dostępu").click()
    page.wait_for_url("**/konto/")
    assert page.get_by_text("Zalogowano jako", exact=False).first.is_visible()
    page.goto(stack.url(HUTNIK, "/konto/klucze-dostepu/"))
    assert "jeszcze nieużywany" not in page.get_by_role("row", name="Telefon w Chromium").inner_text()

    # Zakątek is another relying party (its own host): the authenticator has nothing for it, so Chromium
    # finds no passkey and the page says that signing in with one did not succeed.
    # The sign-out must have finished before the next page: else, under load, it can land after the passkey
    # sign-in that follows and end that session.
    with page.expect_navigation():
        page.get_by_role("button", name="Wyloguj").click()
    page.goto(stack.url(ZAKATEK, "/logowanie/"))
    page.get_by_role("button", name="Zaloguj się kluczem dostępu").click()
    page.get_by_text("Logowanie kluczem dostępu nie powiodło się").wait_for(timeout=130_000)
    assert page.url.endswith("/logowanie/")


def test_the_passkey_pages_are_accessible_at_a_phones_width(stack, page, axe_source):
    _virtual_authenticator(page)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(stack.url(HUTNIK, "/logowanie/"))
    expect(page.get_by_label("Identyfikator")).to_have_attribute("autocomplete", "username webauthn")
    assert page.get_by_role("button", name="Zaloguj się kluczem dostępu").is_visible()
    found = {"login": _axe_serious(page, axe_source)}
    widths = {"login": page.evaluate("document.documentElement.scrollWidth")}
    _login(page, stack, "lokator", "Lokator2026")
    page.goto(stack.url(HUTNIK, "/konto/klucze-dostepu/"))
    page.get_by_label("Nazwa klucza dostępu").fill("Laptop")
    page.get_by_role("button", name="Dodaj klucz dostępu").click()
    page.get_by_text("Dodano klucz dostępu „Laptop”").wait_for()
    found["passkeys"] = _axe_serious(page, axe_source)
    widths["passkeys"] = page.evaluate("document.documentElement.scrollWidth")
    assert {name: violations for name, violations in found.items() if violations} == {}
    assert widths == {"login": 360, "passkeys": 360}


def test_the_login_fields_autofill_signs_in_with_the_passkey(stack, page):
    _virtual_authenticator(page)
    _login(page, stack, "lokator", "Lokator2026")
    page.goto(stack.url(HUTNIK, "/konto/klucze-dostepu/"))
    page.get_by_label("Nazwa klucza dostępu").fill("Tablet")
    page.get_by_role("button", name="Dodaj klucz dostępu").click()
    page.get_by_text("Dodano klucz dostępu „Tablet”").wait_for()
    # Signed out by forgetting the session's cookie, not with "Wyloguj": that lands on the sign-in page, whose
    # autofill would sign in at once, in a race with the page below (a sign-in renews the CSRF token, and the
    # page that lost the race posts a stale one and stays put).
    page.context.clear_cookies()
    # The autofill's request starts as the page loads; the virtual authenticator picks its passkey at once.
    page.goto(stack.url(HUTNIK, "/logowanie/?next=/rozrachunki/"))
    page.wait_for_url(lambda url: urlsplit(url).path == "/rozrachunki/")
    assert page.get_by_role("heading", name="Saldo").is_visible()


def test_zakateks_admin_adds_a_passkey_as_the_second_factor_and_passes_the_second_step_with_it(stack, page, axe_source):
    """Zakątek requires its staff's second factor: after the password, "Użyj klucza dostępu" instead of a code."""
    session, authenticator = _virtual_authenticator(page)
    page.set_viewport_size({"width": 360, "height": 800})
    _login(page, stack, "admin", "zakatek-admin-2026", host=ZAKATEK)
    page.goto(stack.url(ZAKATEK, "/konto/drugi-skladnik/"))
    page.get_by_label("Nazwa klucza dostępu").fill("Klucz w Chromium")
    page.get_by_role("button", name="Dodaj klucz dostępu").click()
    page.get_by_text("Klucz dostępu „Klucz w Chromium” został dodany").wait_for()
    assert "jeszcze nieużywany" in page.get_by_role("row", name="Klucz w Chromium").inner_text()
    found = {"status": _axe_serious(page, axe_source)}
    widths = {"status": page.evaluate("document.documentElement.scrollWidth")}
    credentials = session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert [c["rpId"] for c in credentials] == [ZAKATEK]

    # The sign-out must have finished before the next page: else, under load, it can land after the passkey
    # sign-in that follows and end that session.
    with page.expect_navigation():
        page.get_by_role("button", name="Wyloguj").click()
    page.goto(stack.url(ZAKATEK, "/logowanie/"))
    page.get_by_label("Identyfikator").fill("admin")
    page.get_by_label("Hasło").fill("zakatek-admin-2026")
    page.get_by_role("button", name="Zaloguj się", exact=True).click()
    page.wait_for_url("**/logowanie/drugi-krok/")
    found["second_step"] = _axe_serious(page, axe_source)
    widths["second_step"] = page.evaluate("document.documentElement.scrollWidth")
    page.get_by_role("button", name="Użyj klucza dostępu").click()
    page.wait_for_url(lambda url: "/logowanie/" not in url)
    page.goto(stack.url(ZAKATEK, "/konto/drugi-skladnik/"))
    assert "jeszcze nieużywany" not in page.get_by_role("row", name="Klucz w Chromium").inner_text()
    assert {name: violations for name, violations in found.items() if violations} == {}
    assert widths == {"status": 360, "second_step": 360}

    # The app remains, so the passkey can go (the passkey's check just now is recent enough); the demo is as before.
    page.get_by_role("button", name="Usuń klucz dostępu Klucz w Chromium").click()
    page.get_by_text("Usunięto klucz dostępu „Klucz w Chromium”").wait_for()
    assert page.get_by_text("To konto nie ma jeszcze kluczy dostępu.").is_visible()
