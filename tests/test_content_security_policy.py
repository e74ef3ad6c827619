"""A strict Content-Security-Policy and a Permissions-Policy on every page; no inline code or style in any
page template, so the policy never has to be loosened (issue 16 finding 8)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIRS = [REPO_ROOT / "platform" / "iok" / "templates",
                 *(path for path in REPO_ROOT.glob("*/**/templates") if ".venv" not in path.parts)]
# E-mails are not pages: no browser applies our CSP to them, and mail programs need inline styles.
EMAILS = REPO_ROOT / "tenants_portal" / "notices" / "templates" / "emails"
POLICY = {"default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
          "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"}


def directives(response) -> set[str]:
    """The policy's directives (django-csp writes them in no fixed order)."""
    return {directive.strip() for directive in response["Content-Security-Policy"].split(";")}


class InlineCodeFinder(HTMLParser):
    """What a strict policy would block: script bodies, <style>, style="" and on* attributes, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "style":
            self.found.append("<style>")
        self._in_script = tag == "script" and not dict(attrs).get("src")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append("<script> with a body")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.found


def page_templates() -> list[Path]:
    templates = {path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html")}
    return sorted(path for path in templates if EMAILS not in path.parents)


def test_no_page_template_has_inline_script_style_or_handlers():
    offenders = {}
    for path in page_templates():
        # Template tags are not HTML; {% … %} and {{ … }} inside attributes would confuse the parser.
        text = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "x", path.read_text(), flags=re.DOTALL)
        if found := inline_code(text):
            offenders[str(path.relative_to(REPO_ROOT))] = found
    assert offenders == {}
    assert len(page_templates()) > 50


@pytest.mark.parametrize("path", ["/logowanie/", "/konto/", "/konto/moje-dane/", "/rozrachunki/", "/nie-ma-takiej/"])
def test_cooperative_pages_carry_the_strict_policy_and_no_inline_code(coop_a, path):
    response = coop_a.client_logged_in_as(coop_a.resident).get(path)
    assert directives(response) == POLICY
    assert response["Permissions-Policy"].startswith("accelerometer=(), autoplay=(), camera=()")
    assert "geolocation=()" in response["Permissions-Policy"]
    assert inline_code(response.content.decode()) == []


@pytest.mark.parametrize("host", ["localhost", "nie-ma-takiej.localhost"])
def test_the_platform_site_and_the_unknown_host_page_carry_the_strict_policy(db, host):
    from django.test import Client

    response = Client(HTTP_HOST=host).get("/")
    assert directives(response) == POLICY
    assert "camera=()" in response["Permissions-Policy"]
    assert inline_code(response.content.decode()) == []


def test_the_own_data_page_prints_through_a_static_script(coop_a):
    html = coop_a.client_logged_in_as(coop_a.resident).get("/konto/moje-dane/").content.decode()
    assert '<button type="button" class="button secondary" data-print>Drukuj</button>' in html
    assert re.search(r'<script src="/static/iok/site\.js" defer></script>', html)


def test_the_api_docs_page_loads_its_set_up_script_as_a_file(coop_a):
    client = coop_a.client()
    page = client.get("/api/v1/docs/")
    html = page.content.decode()
    assert directives(page) == POLICY
    assert inline_code(html) == []
    assert '<script src="/api/v1/docs/?script="></script>' in html
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"] == "application/javascript"
    assert "SwaggerUIBundle" in script.content.decode()


def test_custom_colours_reach_the_appearance_preview_through_the_cooperative_stylesheet(coop_a):
    from tenants_portal.configuration.models import InstanceSettings

    with coop_a.use():
        InstanceSettings.objects.filter(pk=1).update(brand_primary="#7a1f1f", brand_accent="#1f3d7a")
    client = coop_a.client_logged_in_as(coop_a.admin)
    html = client.get("/biuro/konfiguracja/wyglad/").content.decode()
    assert '<div class="preview-header">' in html
    assert '<div class="preview-menu">' in html
    stylesheet = re.search(r'<link rel="stylesheet" href="(/wyglad/kolory\.css\?v=[^"]+)">', html).group(1)
    css = client.get(stylesheet).content.decode()
    assert "--brand: #7a1f1f;" in css
    assert "--brand-accent: #1f3d7a;" in css
