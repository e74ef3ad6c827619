"""Periodic job of the announcements module: e-mail the announcements whose publication time has come."""

from .celery import app


@app.task(name="tasks.announcements_jobs.announcements_publish_due")
def announcements_publish_due() -> list[int]:
    """Every few minutes, per cooperative: send each due announcement once (the ids sent)."""
    from tenants_portal.announcements.services import announcements_publish_due as publish_due

    return publish_due()
