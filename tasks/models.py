from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One run of a nightly job in this cooperative, with its outcome (shown to staff and operators)."""

    class Job(models.TextChoices):
        IMPORTS = "imports", _("import of the inbox files")
        ACCOUNTS_CLOSURE = "accounts_closure", _("closing accounts whose legal titles have ended")
        ACCOUNTS_RETENTION = "accounts_retention", _("anonymising accounts closed longer than the retention period")
        SESSIONS_CLEANUP = "sessions_cleanup", _("removing expired sessions")

    class Outcome(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    job = models.CharField(_("job"), max_length=24, choices=Job.choices)
    # The night the run belongs to (local date of the configured hour): a job runs once per night.
    night = models.DateField(_("night"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    summary = models.CharField(_("summary"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        constraints = [models.UniqueConstraint(fields=["job", "night"], name="job_run_once_per_night")]
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.job} {self.night} {self.outcome}"
