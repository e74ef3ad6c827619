"""Periodic job of the announcements module: e-mail the announcements whose publication time has come."""

from tenants_portal.announcements import services as announcements

from .celery import app


@app.task(name="tasks.announcements_jobs.announcements_publish_due")
def announcements_publish_due() -> list[int]:
    """Every few minutes, per cooperative: send each due announcement once (the ids sent)."""
    return announcements.announcements_publish_due()
