"""The smaller findings of issue 16 (finding 9): e-mailed links, a bounded staff search, the import inbox,
the demo under production settings, the backup script, nginx's version and the cooperative's sender address."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing_views.imports.selectors import inbox_files, inbox_path
from billing_views.imports.services import imports_inbox_collect
from billing_views.models import ImportRun
from cooperatives.selectors import cooperative_url
from tenants_portal.accounts.models import User
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.registry.selectors import SEARCH_MAX_WORDS, people_search, search_words

REPO_ROOT = Path(__file__).resolve().parents[1]
DEPLOY = REPO_ROOT / "deploy"


# ---- e-mailed links ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("scheme", "port", "expected"), [
    ("https", "", "https://alfa.localhost/konto/"),
    ("http", "8000", "http://alfa.localhost:8000/konto/"),
])
def test_e_mailed_links_use_the_primary_domain_and_the_configured_scheme_and_port(coop_a, settings, scheme, port,
                                                                                  expected):
    settings.SITE_SCHEME, settings.SITE_PORT = scheme, port
    with coop_a.use():
        assert cooperative_url(path="/konto/") == expected


def test_a_confirmation_link_ignores_the_port_and_host_the_request_claimed(coop_a, django_capture_on_commit_callbacks):
    from django.core import mail
    from django.test import Client

    from .conftest import PASSWORD, notices_deliver_waiting

    client = Client(HTTP_HOST=f"{coop_a.host}:6666")
    client.post("/logowanie/", {"username": "lokator", "password": PASSWORD})
    client.post("/konto/dane-kontaktowe/", {"email": "jan@example.com", "phone": "", "current_password": PASSWORD})
    notices_deliver_waiting(coop_a)
    assert "https://alfa.localhost/potwierdz-email/" in mail.outbox[0].body
    assert ":6666" not in mail.outbox[0].body


# ---- the staff search -------------------------------------------------------------------------------

def test_search_words_are_distinct_and_bounded():
    assert search_words("Wawel 5/12") == (["Wawel", "5", "12"], False)
    assert search_words("kowalski KOWALSKI  Kowalski") == (["kowalski"], False)
    assert search_words(" ".join(f"słowo{number}" for number in range(800))) == (
        [f"słowo{number}" for number in range(SEARCH_MAX_WORDS)], True)


def test_an_800_word_search_runs_the_query_of_five_words_and_says_so(coop_a):
    query = "Hutnicza " + " ".join(f"x{number}" for number in range(800))
    with coop_a.use(), CaptureQueriesContext(connection) as five_words:
        list(people_search(query=" ".join(query.split()[:SEARCH_MAX_WORDS])))
    with coop_a.use(), CaptureQueriesContext(connection) as many_words:
        list(people_search(query=query))
    assert [query["sql"] for query in many_words.captured_queries] == [
        query["sql"] for query in five_words.captured_queries]
    page = coop_a.client_logged_in_as(coop_a.clerk).get("/biuro/osoby/", {"q": query})
    assert page.status_code == 200
    assert "Wyszukano tylko według pierwszych 5 słów." in page.content.decode()


# ---- the import inbox -------------------------------------------------------------------------------

CHARGES = ("spoldzielnia;id_zapisu;lokal;rodzaj;skladnik;okres;data;kwota;opis\r\n"
           "alfa;S-1;ALFA-1-1;naliczenie;eksploatacja;10.2026;01.10.2026;10,00;\r\n")


@pytest.fixture
def inbox(coop_a, tmp_path):
    import shutil

    with coop_a.use():
        folder = inbox_path()
    shutil.rmtree(folder.parent, ignore_errors=True)
    folder.mkdir(parents=True)
    yield folder
    shutil.rmtree(folder.parent, ignore_errors=True)


def test_the_inbox_takes_regular_files_only_never_symlinks_pipes_or_folders(coop_a, inbox, tmp_path):
    outside = tmp_path / "cudzy.csv"
    outside.write_bytes(CHARGES.replace("S-1", "OBCY-1").encode())
    (inbox / "naliczenia.csv").write_bytes(CHARGES.encode())
    (inbox / "dowiazanie.csv").symlink_to(outside)
    (inbox / "dowiazanie-do-folderu").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(inbox / "potok.csv")
    (inbox / "folder.csv").mkdir()
    with coop_a.use():
        assert [file.name for file in inbox_files()] == ["naliczenia.csv"]
        runs = imports_inbox_collect()
        assert [(run.filename, run.status) for run in runs] == [("naliczenia.csv", "succeeded")]
        assert ImportRun.objects.filter(filename__in=["dowiazanie.csv", "potok.csv"]).count() == 0
    assert (inbox / "dowiazanie.csv").is_symlink()  # left where it was, never followed
    assert outside.read_bytes() == CHARGES.replace("S-1", "OBCY-1").encode()


# ---- the demo under production settings ---------------------------------------------------------------

def test_load_demo_refuses_when_demo_data_is_not_allowed_and_creates_nothing(db, settings):
    settings.DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="not loaded under production settings"):
        call_command("load_demo")
    assert not User.objects.filter(username="operator").exists()


def test_production_settings_do_not_allow_the_demo_by_default():
    environment = {"PATH": "/usr/bin:/bin", "PYTHONPATH": f"{REPO_ROOT}:{REPO_ROOT / 'platform'}",
                   "SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://iok@db/iok", "REDIS_URL": "redis://:secret@r:6379/0",
                   "STATIC_ROOT": "/srv/iok/static"}
    code = "from config.settings import production as s, local as l; print(s.DEMO_ALLOWED, l.DEMO_ALLOWED)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=environment, capture_output=True,
                            text=True, check=True)
    assert result.stdout.split() == ["False", "True"]


# ---- backup.sh ------------------------------------------------------------------------------------

def test_backup_gives_no_tool_the_password_on_its_command_line_and_keeps_the_dump_private(tmp_path):
    """pg_dump and pg_restore stand-ins record what they were given."""
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "pg_dump").write_text('#!/bin/sh\necho "$@" > "$RECORD.args"\necho "$PGPASSWORD" > "$RECORD.env"\n'
                                   'for a; do case "$a" in --file=*) echo dump > "${a#--file=}";; esac; done\n')
    (tools / "pg_restore").write_text("#!/bin/sh\nexit 0\n")
    for tool in tools.iterdir():
        tool.chmod(0o755)
    record = tmp_path / "pg_dump"
    environment = {"PATH": "/usr/bin:/bin", "PG_BINDIR": str(tools), "RECORD": str(record),
                   "DATABASE_URL": "postgres://iok:s%40kr%3At-h%25slo@db.internal:5432/iok?sslmode=require"}
    result = subprocess.run(["bash", str(DEPLOY / "backup.sh"), str(tmp_path / "kopie")], env=environment,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    arguments = Path(f"{record}.args").read_text()
    assert "s%40kr" not in arguments and "s@kr:t" not in arguments
    assert "--dbname=postgres://iok@db.internal:5432/iok?sslmode=require" in arguments
    assert Path(f"{record}.env").read_text() == "s@kr:t-h%slo\n"
    dump = Path(result.stdout.strip())
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert stat.S_IMODE(dump.parent.stat().st_mode) == 0o700


# ---- nginx -------------------------------------------------------------------------------------------

def test_nginx_does_not_advertise_its_version_and_speaks_only_current_tls():
    template = (DEPLOY / "nginx" / "iok.conf.template").read_text()
    assert "\nserver_tokens off;\n" in template
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in template


# ---- the cooperative's sender address ------------------------------------------------------------------

@pytest.mark.parametrize("address", ["biuro@localhost", "no-reply@Alfa.Localhost", "zarzad@alfa.localhost",
                                     "x@beta.localhost"])
def test_an_admin_cannot_send_as_the_platforms_domain(coop_a, address):
    client = coop_a.client_logged_in_as(coop_a.admin)
    response = client.post("/biuro/konfiguracja/e-mail/", {"email_sender_name": "Zarząd",
                                                           "email_sender_address": address})
    assert response.status_code == 200
    assert response.context["form"].errors == {"email_sender_address": [
        "Adres nadawcy nie może należeć do domeny platformy (localhost): proszę użyć własnej domeny spółdzielni "
        "albo zostawić pole puste, aby wysyłać z adresu platformy."]}
    with coop_a.use():
        assert InstanceSettings.objects.get(pk=1).email_sender_address == ""


def test_an_admin_may_send_as_the_cooperatives_own_domain(coop_a):
    client = coop_a.client_logged_in_as(coop_a.admin)
    response = client.post("/biuro/konfiguracja/e-mail/", {"email_sender_name": "Zarząd",
                                                           "email_sender_address": "biuro@sm-alfa.pl"})
    assert response.status_code == 302
    with coop_a.use():
        assert InstanceSettings.objects.get(pk=1).email_sender_address == "biuro@sm-alfa.pl"
