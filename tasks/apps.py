from django.apps import AppConfig


class TasksConfig(AppConfig):
    """The background jobs; their record (JobRun) lives in each cooperative's schema."""

    name = "tasks"
    label = "jobs"
    verbose_name = "Zadania w tle"
