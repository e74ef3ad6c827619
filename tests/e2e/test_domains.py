"""Hutnik at its own address, as a new admin would set it up, with the real ACME flow: the admin adds the domain in
the browser and reads the DNS records to create; a local DNS server (dnsmasq) answers them; the domain verifies;
Caddy (deploy/caddy/Caddyfile) gets its certificate from Pebble, the ACME test server, on the first visit, after
the platform's ask endpoint said yes; Chromium, trusting only Pebble's root of this run, opens
https://<domain>/InetObsKontr/LoginPage over a valid certificate and lands on Hutnik's sign-in page; the old
subdomain redirects there. Every daemon gets free loopback ports and is stopped at the end."""

import contextlib
import datetime
import ipaddress
import json
import shutil
import ssl
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from playwright.sync_api import expect

from devstack.services import processes_stop

from ..dnsmasq import DnsRecords, dnsmasq_running
from .conftest import CHROMIUM_ARGS
from .stack import DEPLOY, Stack, free_ports, http_request, https_request
from .test_browser import HUTNIK

pytestmark = pytest.mark.xdist_group("e2e")

DOMAIN = "iok.smhutnik.test"
TOOLS = {"caddy": "caddy", "pebble": "pebble", "dnsmasq": "dnsmasq-base", "certutil": "libnss3-tools"}


def _tools_missing() -> str | None:
    missing = [package for binary, package in TOOLS.items()
               if not shutil.which(binary) and not Path(f"/usr/sbin/{binary}").exists()]
    return f"Debian packages missing: {' '.join(missing)} (make system-packages)" if missing else None


# Caddy and Pebble are Go programs: libfaketime (make test-calendar) does not move their clocks, while
# this process's is moved. The CA and Pebble's certificate are valid for years either side of now, so
# that both clocks find them valid.
CERTIFICATE_YEARS = 10


def _pebble_certificate(folder: Path) -> tuple[Path, Path, Path]:
    """A CA of this run and, signed by it, the certificate Pebble's ACME API serves on 127.0.0.1 (Caddy trusts
    the CA through acme_ca_root)."""
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    window = datetime.timedelta(days=365 * CERTIFICATE_YEARS)

    def issued(subject: str, key, *, issuer: x509.Name | None, issuer_key, extensions: list) -> x509.Certificate:
        builder = (x509.CertificateBuilder()
                   .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
                   .issuer_name(issuer or x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - window).not_valid_after(now + window))
        for extension, critical in extensions:
            builder = builder.add_extension(extension, critical=critical)
        return builder.sign(issuer_key, hashes.SHA256())

    ca_key, key = rsa.generate_private_key(65537, 2048), rsa.generate_private_key(65537, 2048)
    ca = issued("IOK test ACME CA", ca_key, issuer=None, issuer_key=ca_key,
                extensions=[(x509.BasicConstraints(ca=True, path_length=None), True)])
    certificate = issued("localhost", key, issuer=ca.subject, issuer_key=ca_key, extensions=[
        (x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                      x509.IPAddress(ipaddress.IPv4Address("127.0.0.1"))]), False)])
    paths = folder / "ca.pem", folder / "pebble.pem", folder / "pebble.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


def _start(stack: Stack, name: str, command: list[str], environment: dict[str, str]) -> subprocess.Popen:
    log = (stack.root / "logs" / f"{name}.log").open("ab")
    process = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    return process


def _wait(check, *, what: str, process: subprocess.Popen, stack: Stack, log: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{stack.log(log)[-3000:]}")
        with contextlib.suppress(OSError, ssl.SSLError):
            if check():
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start:\n{stack.log(log)[-3000:]}")
        time.sleep(0.2)


def _unverified() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return context


def _nss_database_trusting(home: Path, root_pem: Path) -> None:
    """Chromium on Linux trusts the roots of ~/.pki/nssdb: a fresh one holding Pebble's root of this run only."""
    database = home / ".pki" / "nssdb"
    database.mkdir(parents=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{database}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{database}", "-n", "Pebble root (test)", "-t", "C,,",
                    "-i", str(root_pem)], check=True, capture_output=True)


def _domain_service(stack: Stack, call: str) -> None:
    """A domain service in Hutnik's schema, as an operator's console would call it (actor "e2e")."""
    stack.manage("shell", "-c", (
        "from django_tenants.utils import schema_context\n"
        "from cooperatives.models import Domain\n"
        "from tenants_portal.configuration import domains\n"
        "with schema_context('coop_hutnik'):\n"
        f"    {call}\n"))


def _sign_in(page, url: str) -> None:
    """Hutnik's admin signs in at `url` (a sign-in page, whichever host): cookies are host-only, so each address
    has its own session."""
    page.goto(url)
    page.get_by_label("Identyfikator").fill("admin")
    page.get_by_label("Hasło").fill("hutnik-admin-2026")
    page.get_by_role("button", name="Zaloguj się", exact=True).click()
    page.wait_for_load_state()


def _card(page, name: str):
    return page.locator("article", has=page.get_by_role("heading", name=name, exact=True))


def test_an_admin_adds_hutniks_own_domain_which_verifies_gets_an_acme_certificate_and_takes_the_old_links(
        stack, browser, tmp_path, screenshot):
    reason = _tools_missing()
    if reason:
        pytest.fail(reason)
    caddy_http, caddy_https, pebble_port, pebble_management = free_ports(4)
    processes: dict[str, subprocess.Popen] = {}
    try:
        # Pebble validates through the test's DNS server (started below, once the token is known) and reaches
        # Caddy's loopback ports; Caddy runs deploy/caddy/Caddyfile in front of the stack's gunicorn.
        ca, pebble_certificate, pebble_key = _pebble_certificate(tmp_path / "pebble")
        config = tmp_path / "pebble" / "pebble-config.json"
        config.write_text(json.dumps({"pebble": {
            "listenAddress": f"127.0.0.1:{pebble_port}", "managementListenAddress": f"127.0.0.1:{pebble_management}",
            "certificate": str(pebble_certificate), "privateKey": str(pebble_key),
            "httpPort": caddy_http, "tlsPort": caddy_https, "ocspResponderURL": "",
            "externalAccountBindingRequired": False}}))
        processes["pebble"] = _start(stack, "pebble", [
            shutil.which("pebble") or "pebble", "-config", str(config), "-dnsserver", f"127.0.0.1:{stack.dns_port}",
        ], {"PATH": "/usr/bin:/bin", "PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "0"})
        roots_url = f"https://127.0.0.1:{pebble_management}/roots/0"
        _wait(lambda: urllib.request.urlopen(roots_url, context=_unverified(), timeout=5).status == 200,
              what="pebble", process=processes["pebble"], stack=stack, log="pebble")
        # Pebble's root is made afresh by each run: fetched from its management API.
        root_pem = tmp_path / "pebble-root.pem"
        root_pem.write_bytes(urllib.request.urlopen(roots_url, context=_unverified(), timeout=5).read())

        caddy_home = tmp_path / "caddy"
        caddy_home.mkdir()
        processes["caddy"] = _start(stack, "caddy", [
            shutil.which("caddy") or "caddy", "run", "--adapter", "caddyfile",
            "--config", str(DEPLOY / "caddy" / "Caddyfile"),
        ], {"PATH": "/usr/bin:/bin", "HOME": str(caddy_home), "XDG_DATA_HOME": str(caddy_home),
            "XDG_CONFIG_HOME": str(caddy_home), "IOK_CADDY_ADMIN": "off",
            "IOK_HTTP_PORT": str(caddy_http), "IOK_HTTPS_PORT": str(caddy_https),
            "IOK_ACME_CA": f"https://127.0.0.1:{pebble_port}/dir", "IOK_ACME_CA_ROOT": str(ca),
            "IOK_ACME_EMAIL": "admin@hutnik.example", "IOK_CADDY_DATA": str(caddy_home / "data"),
            "IOK_TLS_ASK_URL": f"http://localhost:{stack.web_port}/tls/ask/",
            "IOK_STATIC_ROOT": str(stack.root / "static"), "IOK_UPSTREAM": f"127.0.0.1:{stack.web_port}",
            "IOK_BASE_DOMAIN": "localhost",
            "IOK_TLS_CERTIFICATE": str(stack.root / "tls" / "fullchain.pem"),
            "IOK_TLS_CERTIFICATE_KEY": str(stack.root / "tls" / "privkey.pem")})
        _wait(lambda: https_request("localhost", caddy_https, "/")[0] == 200, what="caddy",
              process=processes["caddy"], stack=stack, log="caddy")
        # A name the platform does not serve gets no certificate: the handshake fails. (Another name than the
        # test's domain: Caddy remembers a refused name for a while.)
        with pytest.raises(ssl.SSLError):
            https_request("iok.unknown.test", caddy_https, "/")

        # Chromium trusts Pebble's root of this run (and resolves the domain to loopback, as the DNS would).
        home = tmp_path / "chromium-home"
        _nss_database_trusting(home, root_pem)
        trusting = browser.browser_type.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {DOMAIN} 127.0.0.1"],
            env={"HOME": str(home), "PATH": "/usr/bin:/bin"})
        try:
            _admin_and_visitor(stack, trusting, caddy_https=caddy_https, screenshot=screenshot)
        except Exception as error:
            logs = "\n".join(f"--- {name}:\n{stack.log(name)[-4000:]}" for name in ("caddy", "pebble", "dnsmasq"))
            raise AssertionError(f"{error}\n{logs}") from error
        finally:
            trusting.close()
    finally:
        # Back to the demo's state for the other tests whatever happened (nothing to do when the admin did it).
        _domain_service(stack, "domains.custom_domain_make_primary(acting_user=None, actor_login='e2e', "
                               "domain_id=Domain.objects.get(domain='iok.smhutnik.localhost').pk)\n"
                               "    Domain.objects.filter(domain='" + DOMAIN + "').delete()")
        processes_stop(processes.values(), timeout=20)
    # Removed, the name is not served (gunicorn straight: nginx does not know the name at all).
    assert http_request(DOMAIN, stack.web_port, "/logowanie/")[0] == 400
    assert https_request("localhost", stack.https_port, f"/tls/ask/?domain={DOMAIN}")[0] == 404


def _admin_and_visitor(stack: Stack, trusting, *, caddy_https: int, screenshot) -> None:
    admin = trusting.new_context(ignore_https_errors=True, locale="pl-PL").new_page()
    admin.set_default_timeout(30_000)
    try:
        _admin_steps(stack, trusting, admin, caddy_https=caddy_https, screenshot=screenshot)
    except Exception as error:
        try:
            seen = f"admin at {admin.url}: {admin.inner_text('body')[:1500]}"
            asked = https_request("localhost", caddy_https, f"/tls/ask/?domain={DOMAIN}")
            old = https_request(HUTNIK, caddy_https, "/biuro/konfiguracja/adresy/")
            seen += f"\nask: {asked[0]} {asked[2][:200]!r}\nold: {old[0]} {old[1]}"
            seen += "\nweb: " + "\n".join(line for line in stack.log("web").splitlines() if "/tls/ask/" in line)[-2000:]
            direct = https_request(DOMAIN, caddy_https, "/logowanie/")
            seen += f"\ndirect: {direct[0]} {direct[1]}"
        except Exception as failure:
            seen = f"(no diagnostics: {failure!r})"
        raise AssertionError(f"{error}\n{seen}") from error


def _admin_steps(stack: Stack, trusting, admin, *, caddy_https: int, screenshot) -> None:
    def at(host: str, path: str) -> str:
        return f"https://{host}:{caddy_https}{path}"

    # The admin (the platform's hosts have the stack's self-signed certificate: its errors are ignored here).
    _sign_in(admin, at(HUTNIK, "/logowanie/"))
    admin.goto(at(HUTNIK, "/biuro/konfiguracja/adresy/"))
    admin.get_by_label("Adres (domena)").fill(DOMAIN)
    admin.get_by_role("button", name="Dodaj adres", exact=True).click()
    card = _card(admin, DOMAIN)
    expect(card.get_by_text("oczekuje na weryfikację")).to_be_visible()
    rows = [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in card.locator("tbody tr").all()]
    assert [row[:2] for row in rows] == [["CNAME", DOMAIN], ["TXT", f"_iok-challenge.{DOMAIN}"]]
    assert rows[0][2] == "hutnik.localhost"
    token = rows[1][2]
    screenshot(admin, "domains-records")

    records = DnsRecords(addresses={"hutnik.localhost": "127.0.0.1"}, cnames={DOMAIN: "hutnik.localhost"},
                         texts={f"_iok-challenge.{DOMAIN}": token})
    with dnsmasq_running(records, port=stack.dns_port, log=stack.root / "logs" / "dnsmasq.log"):
        # The DNS answers the records: "check now" verifies the domain.
        card.get_by_role("button", name="Sprawdź teraz").click()
        expect(admin.get_by_text(f"{DOMAIN} jest zweryfikowany i już działa.")).to_be_visible()
        # Made the main address: every other name of Hutnik now redirects there.
        _card(admin, DOMAIN).get_by_role("button", name="Ustaw jako adres główny").click()
        expect(admin.get_by_text(f"{DOMAIN} jest teraz adresem głównym")).to_be_visible()
        status, headers, _body = https_request(HUTNIK, caddy_https, "/biuro/konfiguracja/adresy/")
        assert (status, headers.get("location")) == (301, at(DOMAIN, "/biuro/konfiguracja/adresy/"))

        # A resident's bookmark of the old portal, in a browser that accepts only valid certificates.
        visitor = trusting.new_context(locale="pl-PL").new_page()
        response = visitor.goto(at(DOMAIN, "/InetObsKontr/LoginPage"))
        assert response.status == 200
        assert visitor.url == at(DOMAIN, "/logowanie/")
        assert visitor.get_by_role("button", name="Zaloguj się", exact=True).is_visible()
        assert "Spółdzielnia Mieszkaniowa „Hutnik”" in visitor.content()
        security = response.security_details()
        assert security["subjectName"] == DOMAIN
        assert security["issuer"].startswith("Pebble Intermediate CA")
        screenshot(visitor, "domains-sign-in-on-own-domain")
        visitor.context.close()

        # The old subdomain (and the demo's address) answer a permanent redirect to the same path there.
        for old_host in ("hutnik.localhost", HUTNIK):
            status, headers, _body = https_request(old_host, caddy_https, "/InetObsKontr/LoginPage?x=1")
            assert (status, headers["location"]) == (301, at(DOMAIN, "/InetObsKontr/LoginPage?x=1"))
        assert https_request("localhost", caddy_https, f"/tls/ask/?domain={DOMAIN}")[0] == 200

    # The admin follows the page's link to the new address and signs in again there (cookies are host-only:
    # the old address's session is not sent there), makes the demo's address the main one again and removes
    # the test's domain: it is not served any more.
    admin.get_by_role("link", name=f"Przejdź do {DOMAIN}").click()
    admin.wait_for_url(at(DOMAIN, "/logowanie/") + "**")
    _sign_in(admin, admin.url)
    assert admin.url == at(DOMAIN, "/biuro/konfiguracja/adresy/")
    _card(admin, HUTNIK).get_by_role("button", name="Ustaw jako adres główny").click()
    # Back on the old address, whose session from the start is still there.
    admin.get_by_role("link", name=f"Przejdź do {HUTNIK}").click()
    admin.wait_for_url(at(HUTNIK, "/biuro/konfiguracja/adresy/"))
    admin.get_by_role("button", name=f"Usuń {DOMAIN}").click()
    expect(admin.get_by_text(f"{DOMAIN} został usunięty i już nie działa.")).to_be_visible()
    admin.context.close()
