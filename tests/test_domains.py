"""A cooperative at its own address: custom domains proven in DNS (a real dnsmasq), served only once verified,
the primary address that links use and the other names redirect to, the Host check that follows the domains
table, Caddy's ask endpoint, old links and the website's button. The ACME flow is tests/e2e/test_domains.py."""

import re

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.test import Client

from cooperatives.models import Domain
from cooperatives.selectors import cooperative_url
from tasks.domains_jobs import domains_verify_pending
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.domains import custom_domain_add, domain_name_clean
from tenants_portal.configuration.models import InstanceSettings, OldLink

from .conftest import PASSWORD
from .dnsmasq import DnsRecords, dnsmasq_running

CUSTOM = "iok.alfa.test"
ADDRESSES = "/biuro/konfiguracja/adresy/"


def _admin(coop) -> Client:
    return coop.client_logged_in_as(coop.admin)


def _add(coop, name: str = CUSTOM) -> Domain:
    response = _admin(coop).post(ADDRESSES, {"form": "domain", "domain": name})
    assert response.status_code == 302
    return Domain.objects.get(domain=domain_name_clean(name))


def _records_for(domain: Domain, *, token: str | None = None, cname: str = "alfa.localhost") -> DnsRecords:
    return DnsRecords(addresses={"alfa.localhost": "127.0.0.1", "beta.localhost": "127.0.0.2"},
                      cnames={domain.domain: cname},
                      texts={f"_iok-challenge.{domain.domain}": token or domain.verification_token})


def _audit(coop, action: AuditAction) -> list[tuple[str, str, dict]]:
    with coop.use():
        return list(AuditEvent.objects.filter(action=action).values_list("actor_login", "target", "details"))


def _verify(coop, domain: Domain, settings) -> Domain:
    with dnsmasq_running(_records_for(domain)) as port:
        settings.DNS_RESOLVER = f"127.0.0.1:{port}"
        response = _admin(coop).post(f"{ADDRESSES}{domain.pk}/sprawdz/")
    assert response.status_code == 302
    return Domain.objects.get(pk=domain.pk)


# --- adding ---------------------------------------------------------------------------------------------------

def test_an_added_domain_waits_for_verification_shows_its_records_and_is_not_served(coop_a):
    domain = _add(coop_a, "IOK.Alfa.test.")
    assert (domain.domain, domain.state, domain.is_primary, domain.tenant_id) == (
        CUSTOM, Domain.State.PENDING, False, coop_a.cooperative.pk)
    assert re.fullmatch(r"[0-9a-f]{32}", domain.verification_token)
    assert _audit(coop_a, AuditAction.DOMAIN_ADDED) == [("admin", CUSTOM, {"domain": CUSTOM})]

    page = _admin(coop_a).get(ADDRESSES).content.decode()
    assert "<td>CNAME</td><td><code class=\"breakable\">iok.alfa.test</code></td><td><code class=\"breakable\">" \
           "alfa.localhost</code></td>" in page
    assert f"<td>TXT</td><td><code class=\"breakable\">_iok-challenge.iok.alfa.test</code></td><td><code " \
           f"class=\"breakable\">{domain.verification_token}</code></td>" in page
    assert "oczekuje na weryfikację" in page

    assert Client(HTTP_HOST=CUSTOM).get("/logowanie/").status_code == 400
    assert Client(HTTP_HOST="localhost").get("/tls/ask/", {"domain": CUSTOM}).status_code == 404


@pytest.mark.parametrize(("typed", "message"), [
    ("", "To pole jest wymagane."),
    ("https://", "Proszę podać adres, np. iok.smhutnik.pl."),
    ("iok", "„iok” nie jest poprawnym adresem internetowym: proszę podać nazwę taką jak iok.smhutnik.pl, "
            "bez http:// i bez ścieżki."),
    ("iok_alfa.test", "„iok_alfa.test” nie jest poprawnym adresem internetowym: proszę podać nazwę taką jak "
                      "iok.smhutnik.pl, bez http:// i bez ścieżki."),
    ("10.0.0.1", "„10.0.0.1” nie jest poprawnym adresem internetowym: proszę podać nazwę taką jak iok.smhutnik.pl, "
                 "bez http:// i bez ścieżki."),
    ("nowa.localhost", "Adresy w domenie localhost należą do platformy; proszę podać własną domenę spółdzielni."),
    ("localhost", "Adresy w domenie localhost należą do platformy; proszę podać własną domenę spółdzielni."),
])
def test_a_bad_address_is_refused_with_a_message_and_nothing_is_stored(coop_a, typed, message):
    response = _admin(coop_a).post(ADDRESSES, {"form": "domain", "domain": typed})
    assert response.status_code == 200
    assert message in response.content.decode().replace("&quot;", '"')
    assert Domain.objects.filter(tenant=coop_a.cooperative).count() == 1
    assert _audit(coop_a, AuditAction.DOMAIN_ADDED) == []


def test_a_name_is_cleaned_to_the_routing_tables_form():
    assert domain_name_clean("https://IOK.Żółw.test/InetObsKontr/") == "iok.xn--w-uga1v8h.test"


def test_a_domain_cannot_belong_to_two_cooperatives(coop_a, coop_b):
    _add(coop_a)
    response = _admin(coop_b).post(ADDRESSES, {"form": "domain", "domain": CUSTOM})
    assert "Adres iok.alfa.test jest już zarejestrowany na platformie." in response.content.decode()
    assert list(Domain.objects.filter(domain=CUSTOM).values_list("tenant_id", flat=True)) == [coop_a.cooperative.pk]
    assert _audit(coop_b, AuditAction.DOMAIN_ADDED) == []


def test_the_platforms_subdomain_of_another_cooperative_cannot_be_claimed(coop_a, coop_b):
    with coop_a.use(), pytest.raises(ValidationError):
        custom_domain_add(acting_user=coop_a.admin, domain="beta.localhost")
    assert Domain.objects.get(domain="beta.localhost").tenant_id == coop_b.cooperative.pk


# --- verification -------------------------------------------------------------------------------------------

def test_with_both_records_in_dns_the_domain_verifies_and_is_served_at_once(coop_a, settings):
    domain = _verify(coop_a, _add(coop_a), settings)
    assert (domain.state, domain.check_error, domain.verified_at == domain.checked_at) == (
        Domain.State.VERIFIED, "", True)
    assert _audit(coop_a, AuditAction.DOMAIN_VERIFIED) == [("admin", CUSTOM, {"domain": CUSTOM})]
    # Served now: while the platform's subdomain is the primary address, the new name redirects to it.
    response = Client(HTTP_HOST=CUSTOM).get("/logowanie/?a=1")
    assert (response.status_code, response["Location"]) == (301, "http://alfa.localhost/logowanie/?a=1")
    assert Client(HTTP_HOST="localhost").get("/tls/ask/", {"domain": CUSTOM}).status_code == 200


@pytest.mark.parametrize(("records", "problem"), [
    (lambda domain: DnsRecords(addresses={"alfa.localhost": "127.0.0.1"}),
     "Rekord TXT _iok-challenge.iok.alfa.test nie został jeszcze znaleziony w DNS."),
    (lambda domain: _records_for(domain, token="0" * 32),
     "Rekord TXT _iok-challenge.iok.alfa.test ma inną wartość niż podana tutaj."),
    (lambda domain: _records_for(domain, cname="beta.localhost"),
     "Rekord CNAME iok.alfa.test wskazuje na beta.localhost zamiast na alfa.localhost."),
    (lambda domain: DnsRecords(addresses={"alfa.localhost": "127.0.0.1"},
                               texts={f"_iok-challenge.{domain.domain}": domain.verification_token}),
     "Rekord CNAME iok.alfa.test → alfa.localhost nie został jeszcze znaleziony w DNS."),
])
def test_a_missing_or_wrong_record_keeps_the_domain_pending_and_says_which(coop_a, settings, records, problem):
    domain = _add(coop_a)
    with dnsmasq_running(records(domain)) as port:
        settings.DNS_RESOLVER = f"127.0.0.1:{port}"
        response = _admin(coop_a).post(f"{ADDRESSES}{domain.pk}/sprawdz/", follow=True)
    assert f"iok.alfa.test nie jest jeszcze zweryfikowany: {problem}" in response.content.decode()
    domain.refresh_from_db()
    assert (domain.state, domain.check_error) == (Domain.State.PENDING, problem)
    assert _audit(coop_a, AuditAction.DOMAIN_VERIFIED) == []
    assert Client(HTTP_HOST=CUSTOM).get("/logowanie/").status_code == 400


def test_an_apex_domain_passes_with_the_platforms_addresses_instead_of_a_cname(coop_a, settings):
    domain = _add(coop_a, "alfa.test")
    records = DnsRecords(addresses={"alfa.localhost": "127.0.0.1", "alfa.test": "127.0.0.1"},
                         texts={"_iok-challenge.alfa.test": domain.verification_token})
    with dnsmasq_running(records) as port:
        settings.DNS_RESOLVER = f"127.0.0.1:{port}"
        _admin(coop_a).post(f"{ADDRESSES}{domain.pk}/sprawdz/")
    assert Domain.objects.get(pk=domain.pk).state == Domain.State.VERIFIED


def test_the_background_check_verifies_pending_domains_and_is_idempotent(coop_a, settings):
    domain = _add(coop_a)
    with dnsmasq_running(_records_for(domain)) as port:
        settings.DNS_RESOLVER = f"127.0.0.1:{port}"
        assert domains_verify_pending() == {"checked": 1, "verified": 1}
        assert domains_verify_pending() == {"checked": 0, "verified": 0}
    assert Domain.objects.get(pk=domain.pk).state == Domain.State.VERIFIED
    assert _audit(coop_a, AuditAction.DOMAIN_VERIFIED) == [("system", CUSTOM, {"domain": CUSTOM})]


def test_an_unreachable_dns_server_is_a_message_not_an_error(coop_a, settings):
    domain = _add(coop_a)
    with dnsmasq_running(DnsRecords()) as port:
        pass  # stopped: nothing answers on the port any more
    settings.DNS_RESOLVER = f"127.0.0.1:{port}"
    assert domains_verify_pending() == {"checked": 1, "verified": 0}
    domain.refresh_from_db()
    assert (domain.state, domain.check_error) == (
        Domain.State.PENDING, "Serwery DNS nie odpowiedziały; sprawdzenie zostanie powtórzone.")


# --- the primary address ------------------------------------------------------------------------------------

def test_the_primary_domain_takes_the_links_and_every_other_name_redirects_to_it(coop_a, settings):
    domain = _verify(coop_a, _add(coop_a), settings)
    with coop_a.use():
        assert cooperative_url(path="/x/") == "https://alfa.localhost/x/"
    response = _admin(coop_a).post(f"{ADDRESSES}{domain.pk}/glowny/", HTTP_HOST="alfa.localhost:8443")
    # A page with a link, not a redirect: the CSP's form-action 'self' stops a form's redirect to another host.
    assert response.status_code == 200
    assert response.context["address"] == "http://iok.alfa.test:8443/biuro/konfiguracja/adresy/"
    assert list(Domain.objects.filter(tenant=coop_a.cooperative, is_primary=True).values_list("domain", flat=True)) \
        == [CUSTOM]
    assert _audit(coop_a, AuditAction.DOMAIN_PRIMARY_CHANGED) == [
        ("admin", CUSTOM, {"primary": ["alfa.localhost", CUSTOM]})]
    with coop_a.use():
        assert cooperative_url(path="/x/") == "https://iok.alfa.test/x/"

    old = Client(HTTP_HOST="alfa.localhost:8443").get("/dokumenty/?strona=2&q=a%20b")
    assert (old.status_code, old["Location"]) == (301, "http://iok.alfa.test:8443/dokumenty/?strona=2&q=a%20b")
    posted = Client(HTTP_HOST="alfa.localhost").post("/logowanie/", {"username": "x"})
    assert (posted.status_code, posted["Location"]) == (308, "http://iok.alfa.test/logowanie/")
    # The API stays on every verified name (clients would drop their Authorization header on a redirect).
    assert Client(HTTP_HOST="alfa.localhost").get("/api/v1/").status_code != 301
    served = Client(HTTP_HOST=CUSTOM).get("/logowanie/")
    assert served.status_code == 200
    # Cookies stay host-only: no Domain attribute, so no other name receives them.
    assert all(cookie["domain"] == "" for cookie in served.cookies.values())


def test_only_a_verified_domain_can_be_primary(coop_a):
    domain = _add(coop_a)
    response = _admin(coop_a).post(f"{ADDRESSES}{domain.pk}/glowny/", follow=True)
    assert "Głównym adresem może być tylko zweryfikowany adres." in response.content.decode()
    assert Domain.objects.get(pk=domain.pk).is_primary is False
    assert Client(HTTP_HOST="alfa.localhost").get("/logowanie/").status_code == 200


def test_removing_the_primary_domain_stops_serving_it_at_once_and_the_subdomain_is_primary_again(coop_a, settings):
    domain = _verify(coop_a, _add(coop_a), settings)
    _admin(coop_a).post(f"{ADDRESSES}{domain.pk}/glowny/")
    assert Client(HTTP_HOST=CUSTOM).get("/logowanie/").status_code == 200  # the route is cached now
    assert Client(HTTP_HOST="alfa.localhost").get("/logowanie/").status_code == 301

    removed = _removal(coop_a, domain)
    # Removed from the address itself: a page that leads to the main address, not a redirect to a dead one.
    assert removed.status_code == 200
    page = removed.content.decode()
    assert f"{CUSTOM} został usunięty i już nie działa." in page
    assert 'href="http://alfa.localhost/biuro/konfiguracja/adresy/"' in page
    assert not Domain.objects.filter(domain=CUSTOM).exists()
    assert Client(HTTP_HOST=CUSTOM).get("/logowanie/").status_code == 400
    assert Client(HTTP_HOST="localhost").get("/tls/ask/", {"domain": CUSTOM}).status_code == 404
    assert Client(HTTP_HOST="alfa.localhost").get("/logowanie/").status_code == 200
    assert Domain.objects.get(domain="alfa.localhost").is_primary is True
    assert _audit(coop_a, AuditAction.DOMAIN_REMOVED) == [
        ("admin", CUSTOM, {"domain": CUSTOM, "was_primary": True})]


def _removal(coop, domain: Domain):
    # The admin signs in on the platform's subdomain, which redirects while the custom domain is primary:
    # removing is done on the primary address, where the session lives.
    admin = Client(HTTP_HOST=domain.domain)
    assert admin.post("/logowanie/", {"username": "admin", "password": PASSWORD}).status_code == 302
    return admin.post(f"{ADDRESSES}{domain.pk}/usun/")


def test_the_platforms_subdomain_cannot_be_removed(coop_a):
    subdomain = Domain.objects.get(domain="alfa.localhost")
    response = _admin(coop_a).post(f"{ADDRESSES}{subdomain.pk}/usun/", follow=True)
    assert "Adresu spółdzielni na platformie nie można usunąć." in response.content.decode()
    assert Domain.objects.filter(domain="alfa.localhost").exists()


def test_another_cooperatives_domain_is_404_and_untouched(coop_a, coop_b, settings):
    domain = _verify(coop_a, _add(coop_a), settings)
    for action in ("sprawdz", "glowny", "usun"):
        assert _admin(coop_b).post(f"{ADDRESSES}{domain.pk}/{action}/").status_code == 404
    assert Domain.objects.filter(domain=CUSTOM, tenant=coop_a.cooperative, is_primary=False,
                                 state=Domain.State.VERIFIED).exists()
    assert _audit(coop_b, AuditAction.DOMAIN_REMOVED) == _audit(coop_b, AuditAction.DOMAIN_PRIMARY_CHANGED) == []


def test_a_resident_cannot_open_the_addresses_page(coop_a):
    assert coop_a.client_logged_in_as(coop_a.resident).get(ADDRESSES).status_code in (403, 404)


# --- hosts ----------------------------------------------------------------------------------------------------

def test_the_ask_endpoint_answers_for_the_platforms_hosts_only(coop_a):
    ask = Client(HTTP_HOST="localhost")
    assert [ask.get("/tls/ask/", {"domain": name}).status_code
            for name in ("localhost", "alfa.localhost", "nope.localhost", "evil.example.com", "")] == [
        200, 200, 404, 404, 404]


def test_the_host_check_must_be_the_first_middleware(settings):
    assert [error.id for error in run_checks()] == []
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if not name.endswith("HostCheckMiddleware")]
    assert "cooperatives.E001" in [error.id for error in run_checks()]


def test_the_payment_notifications_on_the_platforms_host_still_pass_the_host_check(db):
    response = Client(HTTP_HOST="localhost").post("/platnosci/nie-ma/powiadomienie/", data="{}",
                                                  content_type="application/json")
    assert response.status_code != 400


# --- old links ------------------------------------------------------------------------------------------------

@pytest.fixture
def old_links(coop_a):
    admin = _admin(coop_a)
    for old, new in (("/InetObsKontr/LoginPage", "/logowanie/"), ("/stary/kontakt.aspx", "/kontakt/?z=stary")):
        assert admin.post(ADDRESSES, {"form": "old_link", "from_path": old, "to_path": new}).status_code == 302
    return admin


@pytest.mark.parametrize(("path", "location"), [
    ("/InetObsKontr/LoginPage", "/logowanie/"),                       # exact
    ("/inetobskontr/loginpage", "/logowanie/"),                       # any letter case
    ("/InetObsKontr/LoginPage?ReturnUrl=%2Fx", "/logowanie/?ReturnUrl=%2Fx"),  # the query is kept
    ("/stary/kontakt.aspx?a=1", "/kontakt/?z=stary&a=1"),            # joined to the target's own query
])
def test_an_old_link_redirects_permanently(coop_a, old_links, path, location):
    response = Client(HTTP_HOST="alfa.localhost").get(path)
    assert (response.status_code, response["Location"]) == (301, location)


def test_an_unknown_old_path_is_still_the_404_page_and_pages_of_iok_are_not_redirected(coop_a, old_links):
    assert Client(HTTP_HOST="alfa.localhost").get("/InetObsKontr/Other").status_code == 404
    assert Client(HTTP_HOST="alfa.localhost").get("/logowanie/").status_code == 200
    assert Client(HTTP_HOST="beta.localhost").get("/InetObsKontr/LoginPage").status_code == 404
    assert _audit(coop_a, AuditAction.OLD_LINK_ADDED) == [
        ("admin", "/InetObsKontr/LoginPage", {"from": "/InetObsKontr/LoginPage", "to": "/logowanie/"}),
        ("admin", "/stary/kontakt.aspx", {"from": "/stary/kontakt.aspx", "to": "/kontakt/?z=stary"})][::-1]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("InetObsKontr", "/logowanie/", "Stary adres: proszę podać ścieżkę pod adresem tej spółdzielni"),
    ("/stare", "https://evil.example.com/", "Nowy adres: proszę podać ścieżkę pod adresem tej spółdzielni"),
    ("/stare", "//evil.example.com/", "Nowy adres: proszę podać ścieżkę pod adresem tej spółdzielni"),
    ("/stare", "/\\evil.example.com", "Nowy adres: proszę podać ścieżkę pod adresem tej spółdzielni"),
    ("/logowanie/", "/kontakt/", "Stary adres: /logowanie/ jest stroną IOK"),
    ("/petla", "/PETLA", "Nowy adres prowadzi z powrotem do starego"),
    ("/kontakt-stary", "/InetObsKontr/LoginPage", None),  # a chain ending on a page is fine
    ("/logowanie-stare", "/inetobskontr/loginpage?x=1", None),
    ("/INETOBSKONTR/LOGINPAGE", "/kontakt/", "Stary adres: /INETOBSKONTR/LOGINPAGE jest już przekierowany"),
])
def test_old_links_are_checked_before_they_are_stored(coop_a, old_links, old, new, message):
    with coop_a.use():
        stored_before = list(OldLink.objects.values_list("from_path", "to_path"))
    response = old_links.post(ADDRESSES, {"form": "old_link", "from_path": old, "to_path": new})
    with coop_a.use():
        stored_after = list(OldLink.objects.values_list("from_path", "to_path"))
    if message is None:
        assert response.status_code == 302
        assert len(stored_after) == len(stored_before) + 1
    else:
        assert message in response.content.decode()
        assert stored_after == stored_before


def test_a_loop_through_another_old_link_is_refused(coop_a, old_links):
    old_links.post(ADDRESSES, {"form": "old_link", "from_path": "/a", "to_path": "/b"})
    response = old_links.post(ADDRESSES, {"form": "old_link", "from_path": "/b", "to_path": "/A"})
    assert "Nowy adres prowadzi z powrotem do starego" in response.content.decode()
    with coop_a.use():
        assert not OldLink.objects.filter(from_path="/b").exists()


def test_removing_an_old_link_ends_its_redirect(coop_a, old_links):
    with coop_a.use():
        link = OldLink.objects.get(from_path="/InetObsKontr/LoginPage")
    assert old_links.post(f"{ADDRESSES}stare-linki/{link.pk}/usun/").status_code == 302
    assert Client(HTTP_HOST="alfa.localhost").get("/InetObsKontr/LoginPage").status_code == 404
    assert [row[1] for row in _audit(coop_a, AuditAction.OLD_LINK_REMOVED)] == ["/InetObsKontr/LoginPage"]


# --- the website's button, the operator's view ---------------------------------------------------------------

def test_the_website_button_is_a_plain_link_in_the_cooperatives_colour_to_the_primary_address(coop_a, settings):
    with coop_a.use():
        InstanceSettings.objects.filter(pk=1).update(brand_primary="#7a1f1f")
    domain = _verify(coop_a, _add(coop_a), settings)
    _admin(coop_a).post(f"{ADDRESSES}{domain.pk}/glowny/")
    page = Client(HTTP_HOST=CUSTOM)
    page.post("/logowanie/", {"username": "admin", "password": PASSWORD})
    response = page.get(ADDRESSES)
    snippet = response.context["snippet"]
    assert snippet == (
        '<a href="https://iok.alfa.test/logowanie/" style="display:inline-block;padding:12px 20px;'
        'background:#7a1f1f;color:#ffffff;font:bold 16px/1.2 Arial,Helvetica,sans-serif;text-decoration:none;'
        'border-radius:6px">Zaloguj się do IOK</a>')
    assert "<script" not in snippet and "<iframe" not in snippet
    assert response["X-Frame-Options"] == "DENY"


def test_the_operator_sees_each_cooperatives_domains_and_their_state(coop_a, operator_client):
    _add(coop_a)
    page = operator_client.get("/operator/spoldzielnie/alfa/").content.decode()
    assert '<code class="breakable">alfa.localhost</code>' in page
    assert '<code class="breakable">iok.alfa.test</code>' in page
    assert "oczekuje na weryfikację" in page


def test_an_operator_adds_a_domain_for_a_cooperative_audited_under_the_operators_login(coop_a, operator_client):
    response = operator_client.post("/operator/spoldzielnie/alfa/adresy/", {"domain": CUSTOM}, follow=True)
    assert "iok.alfa.test został dodany i czeka na swoje rekordy DNS." in response.content.decode()
    assert Domain.objects.get(domain=CUSTOM).tenant_id == coop_a.cooperative.pk
    assert _audit(coop_a, AuditAction.DOMAIN_ADDED) == [("operator", CUSTOM, {"domain": CUSTOM})]
    refused = operator_client.post("/operator/spoldzielnie/alfa/adresy/", {"domain": "beta.localhost"}, follow=True)
    assert "Adresy w domenie localhost należą do platformy" in refused.content.decode()
    assert Domain.objects.filter(tenant=coop_a.cooperative).count() == 2


def test_a_cooperatives_admin_cannot_use_the_operators_domain_form(coop_a):
    admin = _admin(coop_a)
    assert admin.post("/operator/spoldzielnie/alfa/adresy/", {"domain": CUSTOM}).status_code == 404
    assert not Domain.objects.filter(domain=CUSTOM).exists()
