"""Delivery of notice e-mails: one task per batch of outbox rows, and the sweep that loses nothing
(the work is tenants_portal.notices.delivery's)."""

from django.conf import settings
from django_tenants.utils import schema_context

from cooperatives.selectors import cooperative_schemas_active
from tenants_portal.notices.delivery import outbox_deliver, outbox_sweep

from .celery import app


@app.task(name="tasks.notices_jobs.notices_deliver", time_limit=settings.NOTICES_TASK_TIME_LIMIT,
          soft_time_limit=settings.NOTICES_TASK_TIME_LIMIT - 30)
def notices_deliver(message_ids: list[int]) -> dict[str, int]:
    """Send one batch of outbox rows in the cooperative's schema; rows already claimed or sent are skipped."""
    outcome = outbox_deliver(message_ids=message_ids)
    return {"sent": len(outcome.sent), "retrying": len(outcome.retrying), "failed": len(outcome.failed)}


@app.task(platform_task=True, name="tasks.notices_jobs.notices_sweep")
def notices_sweep() -> dict[str, int]:
    """Every few minutes, over every active cooperative: one query each, enqueueing only what was lost."""
    reclaimed = enqueued = 0
    for schema_name in cooperative_schemas_active():
        with schema_context(schema_name):
            outcome = outbox_sweep()
        reclaimed += outcome.reclaimed
        enqueued += outcome.enqueued
    return {"reclaimed": reclaimed, "enqueued": enqueued}
