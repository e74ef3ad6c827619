"""Jobs of the fee-change notices module (run in the cooperative's schema)."""

from django.utils import timezone

from tenants_portal.fee_notices.services import fee_notices_unopened_to_paper
from tenants_portal.modules import module_enabled

from .celery import app


@app.task(name="tasks.fee_notices_jobs.fee_notices_unopened_to_paper")
def fee_notices_to_paper() -> int:
    """Electronic notices not opened within the cooperative's days go to the print batch (audited)."""
    if not module_enabled("fee_notices"):
        return 0
    return len(fee_notices_unopened_to_paper(today=timezone.localdate()))
