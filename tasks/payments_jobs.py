"""Jobs of the online payments module (run in the cooperative's schema)."""

from tenants_portal.modules import module_enabled
from tenants_portal.online_payments.services import payments_expire

from .celery import app


@app.task(name="tasks.payments_jobs.online_payments_expire")
def online_payments_expire() -> int:
    """Payments left unfinished at the gateway: checked with it, then expired unpaid (none is lost)."""
    if not module_enabled("online_payments"):
        return 0
    return payments_expire()
