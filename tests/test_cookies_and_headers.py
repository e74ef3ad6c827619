"""Cookies are host-only; sensitive responses are not stored."""

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_session_and_csrf_cookies_are_host_only(coop_a):
    client = coop_a.client()
    login_page = client.get("/logowanie/")
    csrf = login_page.cookies["csrftoken"]
    assert csrf["domain"] == ""
    assert csrf["samesite"] == "Lax"

    response = client.post("/logowanie/", {"username": "lokator", "password": "correct-horse-42"})
    session = response.cookies["sessionid"]
    assert session["domain"] == ""
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_pages_carry_no_store(coop_a):
    client = coop_a.client_logged_in_as(coop_a.resident)
    assert client.get("/konto/")["Cache-Control"] == "no-store"
    assert coop_a.client().get("/logowanie/")["Cache-Control"].count("no-store") == 1


def test_production_settings_pass_check_deploy_without_warnings():
    environment = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": f"{REPO_ROOT}:{REPO_ROOT / 'platform'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k7#Qv9!pZ2@xL4$wN8^mR1&tY6*uB3(eH5)jC0-sD7+fG2=aK9~",
        "SECRETS_ENCRYPTION_KEYS": "Yt3wQe8p0cM2b0Rk1n3v5x7z9B1D3F5H7J9L1N3P5R0=",
        "DATABASE_URL": "postgres://iok@db.internal:5432/iok",
        "REDIS_URL": "redis://:x@redis.internal:6379/0",
        "BASE_DOMAIN": "iok.example.pl",
        "STATIC_ROOT": "/srv/iok/static",
    }
    result = subprocess.run([sys.executable, str(REPO_ROOT / "manage.py"), "check", "--deploy", "--fail-level",
                             "WARNING"], cwd=REPO_ROOT, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_cookies_are_secure_and_host_prefixed():
    code = (
        "from config.settings import production as s;"
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_DOMAIN, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    )
    environment = {"PATH": "/usr/bin:/bin", "PYTHONPATH": f"{REPO_ROOT}:{REPO_ROOT / 'platform'}",
                   "SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://iok@db/iok", "REDIS_URL": "redis://:x@r:6379/0",
                   "STATIC_ROOT": "/srv/iok/static"}
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=environment, capture_output=True,
                            text=True, check=True)
    assert result.stdout.split() == ["__Host-iok_session", "__Host-iok_csrf", "True", "True", "None", "None", "True"]


def test_pages_are_polish_whatever_the_browser_says_until_english_is_chosen(coop_a):
    client = coop_a.client()
    assert client.get("/logowanie/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")["Content-Language"] == "pl"
    client.post("/i18n/setlang/", {"language": "en", "next": "/logowanie/"})
    assert client.get("/logowanie/")["Content-Language"] == "en"
