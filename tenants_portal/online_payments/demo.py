"""The demo's online payments: Hutnik pays through PayU on the gateway simulator that `make run` starts
(and the end-to-end stack), so a newcomer can pay as `lokator` end to end; Zakątek has the module off.

Set once, through the admin's own service (encrypted, audited): a gateway the admin has chosen since is
left as it is. Without PAYMENTS_SIMULATOR_URL (a demo loaded elsewhere) the settings are there but the
gateway is not ready, and residents are told online payments are not available."""

import datetime
from decimal import Decimal

from tenants_portal.accounts.models import User

from . import gateway
from .models import Gateway, GatewayEnvironment
from .selectors import gateway_settings_get
from .services import gateway_settings_save
from .simulator_keys import PAYU_CREDENTIALS


def demo_ensure(*, slug: str, holdings: dict, today: datetime.date) -> list[str]:
    """Create this module's demo data for the cooperative (idempotent); returns lines for the log."""
    if slug != "hutnik":
        return []  # Zakątek has the module switched off
    current = gateway_settings_get()
    # Credentials that cannot be read (the key they were encrypted with is gone) count as none.
    if current.gateway and gateway.credentials_of(current):
        return []
    # As the demo's admin would enter them on the configuration page.
    admin = User.objects.filter(role=User.Role.ADMIN).order_by("pk").first()
    if admin is None:
        return []
    gateway_settings_save(acting_user=admin, values={
        "gateway": Gateway.PAYU, "environment": GatewayEnvironment.SIMULATOR, "minimum_amount": Decimal("1.00"),
        # The cooperative pays the gateway's fee: the resident pays exactly what is due.
        "resident_pays_fee": False, "fee_fixed": Decimal("0.00"), "fee_percent": Decimal("0.00"),
        "unbooked_after_days": 5}, credentials=PAYU_CREDENTIALS)
    return ["online payments through PayU on the gateway simulator"]
