import os
import sys
from pathlib import Path

# The Django project lives in platform/, a second package root (see pyproject.toml).
_platform_root = str(Path(__file__).resolve().parents[1] / "platform")
if _platform_root not in sys.path:
    sys.path.append(_platform_root)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

from celery.schedules import crontab  # noqa: E402
from tenant_schemas_celery.app import CeleryApp  # noqa: E402

app = CeleryApp("iok", task_cls="tasks.base:CooperativeTask")
# The app every thread sees as celery.current_app: services send jobs by name through it (iok.jobs).
app.set_default()
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.imports = [
    "tasks.jobs", "tasks.announcements_jobs", "tasks.meters_jobs", "tasks.notices_jobs", "tasks.accounts_jobs",
    "tasks.payments_jobs", "tasks.fee_notices_jobs", "tasks.domains_jobs"]

# Jobs that run for every cooperative are started by a platform-level dispatcher, which enqueues
# one schema-bound task per active cooperative.
app.conf.beat_schedule = {
    "announcements-publish-due": {
        "task": "tasks.jobs.every_cooperative",
        "schedule": crontab(minute="*/5"),
        "args": ("tasks.announcements_jobs.announcements_publish_due",),
    },
    "meters-reading-window-reminders": {
        "task": "tasks.jobs.every_cooperative",
        "schedule": crontab(minute=0, hour=7),
        "args": ("tasks.meters_jobs.reading_window_reminders",),
    },
    "online-payments-expire": {
        "task": "tasks.jobs.every_cooperative",
        "schedule": crontab(minute="*/15"),
        "args": ("tasks.payments_jobs.online_payments_expire",),
    },
    "fee-notices-unopened-to-paper": {
        "task": "tasks.jobs.every_cooperative",
        "schedule": crontab(minute=30, hour=6),
        "args": ("tasks.fee_notices_jobs.fee_notices_unopened_to_paper",),
    },
    # Custom domains waiting for their DNS records (tenants_portal.configuration.domains).
    "domains-verify-pending": {
        "task": "tasks.domains_jobs.domains_verify_pending",
        "schedule": crontab(minute="*/5"),
    },
    "notices-sweep": {
        "task": "tasks.notices_jobs.notices_sweep",
        "schedule": crontab(minute="*/3"),
    },
    # The nightly jobs (imports, account closure, retention, sessions) at each cooperative's configured hour.
    "nightly-dispatch-due": {
        "task": "tasks.jobs.nightly_dispatch_due",
        "schedule": crontab(minute=5),
    },
}
