"""The cooperative's own addresses (custom domains): adding one, proving it in DNS, choosing the primary one,
removing one. The rows are cooperatives.Domain (a shared table: a name belongs to one cooperative at most);
the audit rows go to the cooperative's own trail, so these run in its schema (an operator's call wraps
them in schema_context and names itself in `actor_login`).

A domain is proven by two DNS records the admin creates at the domain's DNS provider:
  - a TXT record _iok-challenge.<domain> whose value is the domain's verification token (control of the name);
  - a CNAME <domain> -> <slug>.<BASE_DOMAIN> (or DOMAINS_CNAME_TARGET), so that its traffic arrives here; a
    name that cannot carry a CNAME (a zone's apex) passes when its A/AAAA addresses are the target's.
Only then does the name route (cooperatives.routing) and may Caddy get a certificate for it (the ask endpoint,
operators.views.tls_ask_view). Checks are retried in the background (tasks.domains_jobs) for
DOMAINS_VERIFY_DAYS days.
"""

import datetime
import ipaddress
import re
import secrets
from dataclasses import dataclass

import dns.exception
import dns.name
import dns.resolver
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative, Domain
from cooperatives.selectors import cooperative_details
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record

CHALLENGE_PREFIX = "_iok-challenge"
DOMAINS_PER_COOPERATIVE = 10
DNS_TIMEOUT_SECONDS = 5.0
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True)
class DnsRecord:
    """One record the admin creates at the domain's DNS provider."""

    kind: str
    name: str
    value: str


def cname_target(*, cooperative: Cooperative) -> str:
    return settings.DOMAINS_CNAME_TARGET or f"{cooperative.slug}.{settings.BASE_DOMAIN}"


def domain_records(*, domain: Domain) -> list[DnsRecord]:
    """The records that prove `domain`, as the admin's page shows them."""
    return [DnsRecord(kind="CNAME", name=domain.domain, value=cname_target(cooperative=domain.tenant)),
            DnsRecord(kind="TXT", name=f"{CHALLENGE_PREFIX}.{domain.domain}", value=domain.verification_token)]


def domain_name_clean(value: str) -> str:
    """A host name as the routing table keeps it: lower case, ASCII (an internationalised name in its IDNA
    form), no scheme, path, port or trailing dot; refuses what cannot be a cooperative's own name."""
    name = value.strip().lower()
    for prefix in ("https://", "http://"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    name = name.split("/", 1)[0].rstrip(".")
    if not name:
        raise ValidationError(_("Enter the address, e.g. iok.smhutnik.pl."), code="domain_required")
    try:
        name = name.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValidationError(_("“%(name)s” is not a valid internet address.") % {"name": value.strip()},
                              code="domain_invalid") from None
    base = settings.BASE_DOMAIN
    if name == base or name.endswith(f".{base}") or name in settings.PLATFORM_HOSTS:
        raise ValidationError(_("Addresses under %(base)s are the platform's own; give your cooperative's "
                                "own domain.") % {"base": base}, code="domain_platform")
    labels = name.split(".")
    if len(name) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels) \
            or labels[-1].isdigit():
        raise ValidationError(_("“%(name)s” is not a valid internet address: give a name such as iok.smhutnik.pl, "
                                "without http:// or a path.") % {"name": value.strip()}, code="domain_invalid")
    try:
        ipaddress.ip_address(name)
    except ValueError:
        pass
    else:
        raise ValidationError(_("Give a name, not an IP address."), code="domain_invalid")
    return name


def access_domain(*, id: int) -> Domain:
    """A domain of the current cooperative; the same 404 for another cooperative's and a missing one."""
    domain = (Domain.objects.select_related("tenant")
              .filter(pk=id, tenant__schema_name=cooperative_details().schema_name).first())
    if domain is None:
        raise Http404
    return domain


def domains_of_current() -> list[Domain]:
    """The current cooperative's domains: the primary one first, then the others by name."""
    cooperative = cooperative_details()
    domains = list(Domain.objects.select_related("tenant").filter(tenant=cooperative))
    return sorted(domains, key=lambda domain: (not domain.is_primary, domain.is_custom is False, domain.domain))


def custom_domain_add(*, acting_user: AbstractBaseUser | None, domain: str, actor_login: str = "") -> Domain:
    """Add a custom domain to the current cooperative, waiting for verification (it does not route yet)."""
    name = domain_name_clean(domain)
    cooperative = cooperative_details()
    with transaction.atomic():
        # Serialises two admins adding at once, so the limit below holds.
        Cooperative.objects.select_for_update().filter(pk=cooperative.pk).first()
        if Domain.objects.filter(tenant=cooperative).count() >= DOMAINS_PER_COOPERATIVE:
            raise ValidationError(_("A cooperative may have at most %(limit)d addresses. Remove one you no longer "
                                    "use first.") % {"limit": DOMAINS_PER_COOPERATIVE}, code="domain_limit")
        try:
            with transaction.atomic():
                added = Domain.objects.create(domain=name, tenant=cooperative, is_primary=False,
                                              state=Domain.State.PENDING, verification_token=secrets.token_hex(16))
        except IntegrityError:
            raise ValidationError(_("The address %(name)s is already registered on the platform. If it is your "
                                    "cooperative's, contact the platform's support.") % {"name": name},
                                  code="domain_taken") from None
        audit_record(acting_user=acting_user, actor_login=actor_login, action=AuditAction.DOMAIN_ADDED,
                     target=name, details={"domain": name})
    return added


def _resolver() -> dns.resolver.Resolver:
    if not settings.DNS_RESOLVER:
        resolver = dns.resolver.Resolver()
    else:
        host, _, port = settings.DNS_RESOLVER.rpartition(":")
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [host.strip("[]")]
        resolver.port = int(port)
    resolver.lifetime = DNS_TIMEOUT_SECONDS
    return resolver


def _addresses(resolver: dns.resolver.Resolver, name: str) -> set[str]:
    found: set[str] = set()
    for kind in ("A", "AAAA"):
        try:
            found |= {record.to_text() for record in resolver.resolve(name, kind)}
        except (dns.resolver.NoAnswer, dns.resolver.NXDOMAIN):
            continue
    return found


def domain_dns_problem(*, domain: Domain) -> str:
    """What is wrong with the domain's records in DNS, in words for its admin; "" when both are right."""
    resolver = _resolver()
    target = cname_target(cooperative=domain.tenant)
    challenge = f"{CHALLENGE_PREFIX}.{domain.domain}"
    try:
        try:
            values = {b"".join(record.strings).decode("ascii", "replace")
                      for record in resolver.resolve(challenge, "TXT")}
        except (dns.resolver.NoAnswer, dns.resolver.NXDOMAIN):
            return _("The TXT record %(name)s was not found in DNS yet.") % {"name": challenge}
        if domain.verification_token not in values:
            return _("The TXT record %(name)s has a different value than the one shown here.") % {"name": challenge}
        try:
            aliases = {record.target.to_text().rstrip(".").lower()
                       for record in resolver.resolve(domain.domain, "CNAME")}
        except (dns.resolver.NoAnswer, dns.resolver.NXDOMAIN):
            aliases = set()
        if target in aliases:
            return ""
        if aliases:
            return _("The CNAME record of %(name)s points to %(actual)s instead of %(target)s.") % {
                "name": domain.domain, "actual": ", ".join(sorted(aliases)), "target": target}
        # A zone's apex cannot carry a CNAME: its addresses must be the platform's.
        own, wanted = _addresses(resolver, domain.domain), _addresses(resolver, target)
        if own and own == wanted:
            return ""
        return _("The CNAME record %(name)s → %(target)s was not found in DNS yet.") % {
            "name": domain.domain, "target": target}
    except (dns.exception.Timeout, dns.resolver.NoNameservers):
        return _("The DNS servers did not answer; the check will be repeated.")
    except dns.exception.DNSException as error:
        return _("The DNS check failed (%(error)s); the check will be repeated.") % {"error": type(error).__name__}


def custom_domain_check(*, domain_id: int, acting_user: AbstractBaseUser | None = None,
                        actor_login: str = "") -> Domain:
    """Check a pending domain's records now (DNS is asked outside the transaction); when both are right it
    becomes verified and routes at once. Idempotent: a verified or removed domain is left as it is."""
    domain = Domain.objects.select_related("tenant").filter(pk=domain_id).first()
    if domain is None or domain.is_verified:
        return domain  # type: ignore[return-value]  # removed meanwhile: nothing to do
    problem = domain_dns_problem(domain=domain)
    with transaction.atomic():
        domain = Domain.objects.select_for_update().select_related("tenant").filter(pk=domain_id).first()
        if domain is None or domain.is_verified:
            return domain  # type: ignore[return-value]
        domain.checked_at = timezone.now()
        domain.check_error = problem[:500]
        fields = ["checked_at", "check_error"]
        if not problem:
            domain.state, domain.verified_at = Domain.State.VERIFIED, domain.checked_at
            fields += ["state", "verified_at"]
            audit_record(acting_user=acting_user, actor_login=actor_login or ("" if acting_user else "system"),
                         action=AuditAction.DOMAIN_VERIFIED, target=domain.domain, details={"domain": domain.domain})
        domain.save(update_fields=fields)
    return domain


def custom_domain_make_primary(*, acting_user: AbstractBaseUser | None, domain_id: int,
                               actor_login: str = "") -> Domain:
    """Make a verified domain the cooperative's primary address: links use it and its other names redirect."""
    with transaction.atomic():
        domain = access_domain(id=domain_id)
        if not domain.is_verified:
            raise ValidationError(_("Only a verified address can be the main one."), code="domain_not_verified")
        if domain.is_primary:
            return domain
        previous = Domain.objects.filter(tenant=domain.tenant, is_primary=True).values_list("domain", flat=True).first()
        domain.is_primary = True
        domain.save()  # DomainMixin.save unsets the previous primary; the signal drops every cached route
        audit_record(acting_user=acting_user, actor_login=actor_login, action=AuditAction.DOMAIN_PRIMARY_CHANGED,
                     target=domain.domain, details={"primary": [previous, domain.domain]})
    return domain


def custom_domain_remove(*, acting_user: AbstractBaseUser | None, domain_id: int, actor_login: str = "") -> str:
    """Remove a custom domain: it stops being served at once (its route is dropped); when it was the primary
    address, the platform's subdomain becomes primary again. The platform's subdomain cannot be removed."""
    with transaction.atomic():
        domain = access_domain(id=domain_id)
        if not domain.is_custom:
            raise ValidationError(_("The platform's address of the cooperative cannot be removed."),
                                  code="domain_platform")
        name, was_primary = domain.domain, domain.is_primary
        domain.delete()
        if was_primary:
            platform_name = f"{domain.tenant.slug}.{settings.BASE_DOMAIN}"
            for platform_domain in Domain.objects.filter(tenant=domain.tenant, domain=platform_name):
                platform_domain.is_primary = True
                platform_domain.save()
        audit_record(acting_user=acting_user, actor_login=actor_login, action=AuditAction.DOMAIN_REMOVED,
                     target=name, details={"domain": name, "was_primary": was_primary})
    return name


def domains_pending() -> list[tuple[str, int]]:
    """(schema, domain id) of the pending domains still within their checking period (DOMAINS_VERIFY_DAYS),
    every active cooperative's."""
    since = timezone.now() - datetime.timedelta(days=settings.DOMAINS_VERIFY_DAYS)
    return list(Domain.objects.filter(state=Domain.State.PENDING, created_at__gte=since,
                                      tenant__status=Cooperative.Status.ACTIVE)
                .order_by("id").values_list("tenant__schema_name", "id"))
