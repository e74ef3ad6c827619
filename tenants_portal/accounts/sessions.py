"""Session lifetime rules: idle and absolute timeouts per cooperative (ASVS V7.3)."""

from dataclasses import dataclass

from django_tenants.utils import get_public_schema_name

from iok.db import connection

AUTHENTICATED_AT = "_iok_authenticated_at"
SEEN_AT = "_iok_seen_at"
# Writing the session on every request costs a query; a minute of imprecision in the idle
# timeout does not matter.
SEEN_AT_RESOLUTION_SECONDS = 60


@dataclass(frozen=True)
class SessionLimits:
    idle_seconds: int
    absolute_seconds: int


PLATFORM_LIMITS = SessionLimits(idle_seconds=30 * 60, absolute_seconds=8 * 3600)


def session_limits_current() -> SessionLimits:
    if connection.schema_name == get_public_schema_name():
        return PLATFORM_LIMITS
    from tenants_portal.configuration.selectors import instance_settings_get

    settings = instance_settings_get()
    return SessionLimits(idle_seconds=settings.session_idle_minutes * 60,
                         absolute_seconds=settings.session_absolute_hours * 3600)
