"""Starting a background job from a service: by the task's name, after the transaction commits.

Services never import tasks/ (it sits above them and calls them: the layers in
pyproject.toml [tool.importlinter]): they name the job they
need. The cooperative's schema travels in the message's header, where tenant-schemas-celery's own
tasks put it, so the job runs in the cooperative whose transaction asked for it.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from celery import current_app
from django.db import transaction

from .db import connection

# The header tenant-schemas-celery reads to switch the worker to the task's schema.
SCHEMA_HEADER = "_schema_name"


def job_enqueue_on_commit(name: str, *, args: Sequence[Any] = (), kwargs: Mapping[str, Any] | None = None,
                          countdown: float | None = None) -> None:
    """Send task `name` once the current transaction commits (at once outside one); nothing if it rolls back."""
    schema_name = connection.schema_name

    def send() -> None:
        current_app.send_task(name, args=list(args), kwargs=dict(kwargs or {}), countdown=countdown,
                              headers={SCHEMA_HEADER: schema_name})

    transaction.on_commit(send)
