"""System checks of the cooperatives' routing: the host check that stands in for ALLOWED_HOSTS is in place."""

from django.conf import settings
from django.core.checks import Error, register

HOST_CHECK = "cooperatives.middleware.HostCheckMiddleware"


@register()
def host_check_first(app_configs, **kwargs) -> list[Error]:
    """ALLOWED_HOSTS is left open in settings because HostCheckMiddleware checks every host against the domains
    table; without it first in MIDDLEWARE, any Host header would be taken."""
    if not settings.MIDDLEWARE or settings.MIDDLEWARE[0] != HOST_CHECK:
        return [Error(f"{HOST_CHECK} must be the first middleware: it is the Host header's only check.",
                      hint="Put it first in MIDDLEWARE (ALLOWED_HOSTS is ['*'] because of it).",
                      id="cooperatives.E001")]
    if not settings.PLATFORM_HOSTS:
        return [Error("PLATFORM_HOSTS is empty: the platform's own site would be served on no host.",
                      id="cooperatives.E002")]
    return []
