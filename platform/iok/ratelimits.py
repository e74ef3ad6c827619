"""Anti-automation: how often one client may make the platform send an e-mail, check a password or build
something expensive (issue 16, ASVS V2.4 / V6.3).

The counters are django-ratelimit's, in the default cache: Redis, under keys that carry the schema the
connection is on (iok.cache.schema_key), so each cooperative counts its own clients and a burst on one
cooperative never limits another. The README lists every limit; keep the two in step.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.http import HttpRequest
from django.utils.translation import ngettext
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

# django-ratelimit's own keys: "ip" is the client's address (client_address below), "user_or_ip" the
# signed-in account.
BY_IP = "ip"
BY_ACCOUNT = "user_or_ip"
# Requests that carry no address at all (a WSGI caller without REMOTE_ADDR) share one counter.
NO_ADDRESS = "0.0.0.0"  # noqa: S104 - a counter's name, not an address anything listens on


def client_address(request: HttpRequest) -> str:
    """RATELIMIT_IP_META_KEY: the address the lockout counts (django-axes through django-ipware, so
    X-Forwarded-For only behind our nginx), never nothing."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or NO_ADDRESS


def _by_address(_group: str, request: HttpRequest) -> str:
    # Whatever the address, and whether or not an account has it: the same counting either way.
    return request.POST.get("email", "").strip().lower()


@dataclass(frozen=True)
class Limit:
    rate: str  # django-ratelimit's notation: "5/15m" is five in a fixed window of fifteen minutes
    key: str | Callable[[str, HttpRequest], str]
    seconds: int  # the window, for Retry-After
    what: str  # for the README and the 429 page's log line


LIMITS: dict[str, Limit] = {
    "password_reset_ip": Limit("10/h", BY_IP, 3600, "password-reset e-mails requested from one address"),
    "password_reset_address": Limit("3/h", _by_address, 3600, "password-reset e-mails to one e-mail address"),
    "email_verification": Limit("5/h", BY_ACCOUNT, 3600, "address-confirmation e-mails from one account"),
    "password_check": Limit("5/15m", BY_ACCOUNT, 900, "checks of the current password by one account "
                                                     "(password and e-mail changes, web and API)"),
    "statement_pdf": Limit("30/h", BY_ACCOUNT, 3600, "statement PDFs built for one account (web and API)"),
    "application_form_pdf": Limit("30/h", BY_IP, 3600, "blank application forms (PDF) from one address"),
    "api_schema": Limit("30/h", BY_IP, 3600, "OpenAPI schemas from one address"),
    "online_payment_start": Limit("20/h", BY_ACCOUNT, 3600, "online payments sent to the gateway by one account "
                                                           "(web and API)"),
    "certificate_verification": Limit("30/h", BY_IP, 3600, "look-ups of certificates' verification codes from one "
                                                          "address"),
}


class RateLimited(Ratelimited):
    """A PermissionDenied, so Django's handler403 (iok.errors) sees it and answers 429 instead."""

    def __init__(self, limit: Limit):
        super().__init__(limit.what)
        self.limit = limit


def rate_limit_hit(request: HttpRequest, *names: str) -> None:
    """Counts this request against each named limit; raises RateLimited when one is exceeded."""
    for name in names:
        limit = LIMITS[name]
        if is_ratelimited(request, group=name, key=limit.key, rate=limit.rate, increment=True):
            raise RateLimited(limit)


def rate_limited(*names: str, methods: tuple[str, ...] = ("GET", "POST")):
    """A view decorator: requests of these methods count against the named limits."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                rate_limit_hit(request, *names)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def rate_limited_message(limit: Limit) -> str:
    minutes = limit.seconds // 60
    return ngettext("Too many requests of this kind in a short time. Please try again in %(minutes)d minute.",
                    "Too many requests of this kind in a short time. Please try again in %(minutes)d minutes.",
                    minutes) % {"minutes": minutes}
