"""Jobs of the meters module (run in the cooperative's schema)."""

from tenants_portal.meters.services import reading_window_reminders_send

from .celery import app


@app.task(name="tasks.meters_jobs.reading_window_reminders")
def reading_window_reminders() -> list[str]:
    """Tell residents of units with meters that a reading window has opened (once per window)."""
    return reading_window_reminders_send()
