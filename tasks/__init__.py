"""Background jobs: the Celery app and the schema-aware tasks.

Start a worker with `celery -A tasks worker`, beat with `celery -A tasks beat`.
"""

from .celery import app

__all__ = ["app"]
