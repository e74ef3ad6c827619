"""Task base classes that make a cooperative's schema part of every task.

tenant-schemas-celery sends the enqueuing connection's schema in a header and switches to it in the
worker; when the header is missing or names `public`, it would run the task in public. For a task
that works on one cooperative's data that is never right, so it fails loudly instead.
"""

from django.db import connection
from django_tenants.utils import get_public_schema_name
from tenant_schemas_celery.task import TenantTask


class MissingCooperativeSchema(RuntimeError):
    """A cooperative task was sent without a cooperative's schema."""


class CooperativeTask(TenantTask):
    abstract = True
    # Every cooperative task is idempotent, so a message whose worker died is delivered again.
    acks_late = True
    reject_on_worker_lost = True
    # Set on tasks that operate on the platform itself (the public schema), e.g. dispatchers.
    platform_task = False

    def __call__(self, *args, **kwargs):
        if not self.platform_task and connection.schema_name == get_public_schema_name():
            raise MissingCooperativeSchema(
                f"Task {self.name} must run in a cooperative's schema, but was sent without one "
                "(enqueue it inside the cooperative's schema_context)."
            )
        return super().__call__(*args, **kwargs)
