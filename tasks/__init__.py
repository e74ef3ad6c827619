"""The jobs layer: the Celery app (celery.py), its beat schedule, the cooperative-aware base task (base.py),
every Celery task entry point (*jobs.py), the nightly orchestration (jobs.py: which jobs run each night, in
which order, and what follows an import) with the record of its runs and their staff page.

The rule (one for every app): tasks/ holds every task entry point, and nothing below it imports tasks/.
A service that needs a job starts it by the task's name after commit, with
iok.jobs.job_enqueue_on_commit("tasks.<module>.<task>", ...); the names are stable (beat schedules and
queued messages carry them). Tasks stay thin: each calls a service in the cooperative's schema.
An import-linter contract ("Nothing below the jobs imports tasks") enforces it.

May import: the modules, the lower domain, the foundations and the core (everything below the surfaces).
Start a worker with `celery -A tasks worker`, beat with `celery -A tasks beat`.
"""

from .celery import app

__all__ = ["app"]
