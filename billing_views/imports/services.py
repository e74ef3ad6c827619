"""Receiving import files (upload, inbox, API), running them and telling the office of a refusal; the
staff pages, the API and the jobs (tasks/) call these only."""

import datetime
import logging
import os
import re
import shutil
import stat
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from billing_views.models import ImportRun
from cooperatives.selectors import cooperative_current, cooperative_url
from iok.jobs import job_enqueue_on_commit
from iok.uploads import storage_save
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record
from tenants_portal.configuration.selectors import instance_settings_get
from tenants_portal.notices.models import Notice
from tenants_portal.notices.services import notice_send

from . import formats
from .engine import file_checksum, import_run_execute
from .selectors import inbox_entries, inbox_path

logger = logging.getLogger(__name__)


def _safe_name(filename: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(filename).name)[:120]
    return name or "import.csv"


def import_receive(*, data: bytes, filename: str, source: str, acting_user: User | None,
                   kind: str = "") -> ImportRun:
    """Keep the file and record a pending run; the run is processed after commit, by Celery.
    `kind` is the kind of file the caller's page takes (empty: the header decides)."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ValidationError(_("The file is larger than %(limit)d MB.") % {
            "limit": settings.IMPORT_MAX_BYTES // (1024 * 1024)}, code="too_large")
    if not filename.lower().endswith((".csv", ".txt")):
        raise ValidationError(_("Send a CSV file (.csv) exported from the accounting system."), code="not_csv")
    with transaction.atomic():
        path = _store(data=data, filename=filename)
        run = ImportRun.objects.create(source=source, filename=Path(filename).name[:255], stored_path=str(path),
                                       checksum=file_checksum(data), size_bytes=len(data), uploaded_by=acting_user,
                                       kind=kind)
        audit_record(acting_user=acting_user, action=AuditAction.IMPORT_RECEIVED, target=run.filename,
                     details={"run": run.pk, "source": source, "bytes": len(data)})
        job_enqueue_on_commit("tasks.jobs.import_run_process", args=[run.pk])
    return run


def import_retry(*, run: ImportRun, acting_user: User) -> ImportRun:
    """Run a refused import again (e.g. after the unit it named was added to the registry)."""
    if run.status != ImportRun.Status.FAILED:
        raise ValidationError(_("Only a refused import can be run again."), code="not_failed")
    with transaction.atomic():
        run.status = ImportRun.Status.PENDING
        run.save(update_fields=["status"])
        audit_record(acting_user=acting_user, action=AuditAction.IMPORT_RETRIED, target=run.filename,
                     details={"run": run.pk})
        job_enqueue_on_commit("tasks.jobs.import_run_process", args=[run.pk])
    return run


def import_confirm(*, run: ImportRun, acting_user: User) -> ImportRun:
    """The office confirms that an older file sent again should set back what later imports changed."""
    if run.status != ImportRun.Status.CONFIRM:
        raise ValidationError(_("Only an import awaiting confirmation can be confirmed."), code="not_awaiting")
    with transaction.atomic():
        run.status, run.confirmed_by, run.confirmed_at = ImportRun.Status.PENDING, acting_user, timezone.now()
        run.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        audit_record(acting_user=acting_user, action=AuditAction.IMPORT_CONFIRMED, target=run.filename,
                     details={"run": run.pk, "differences": run.error_count})
        job_enqueue_on_commit("tasks.jobs.import_run_process", args=[run.pk])
    return run


def import_process(*, run_id: int) -> ImportRun | None:
    """Process one pending run in the current cooperative (idempotent: a finished run is left alone)."""
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None or run.status not in (ImportRun.Status.PENDING, ImportRun.Status.RUNNING):
        return run
    run = import_run_execute(run=run, cooperative_code=cooperative_current().slug)
    if run.status in (ImportRun.Status.FAILED, ImportRun.Status.CONFIRM):
        import_failure_notify(run=run)  # the outbox rows commit here; e-mails go after commit
    return run


def _inbox_file_read(path: Path) -> bytes | None:
    """The file's bytes, checked again on the open file itself: a file swapped for a symlink or a pipe after
    it was listed is refused (O_NOFOLLOW, then fstat), and so is one larger than IMPORT_MAX_BYTES."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        logger.warning("import inbox: %s could not be opened as a regular file", path.name)
        return None
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode) or status.st_size > settings.IMPORT_MAX_BYTES:
            logger.warning("import inbox: %s is not a regular file within the size limit", path.name)
            return None
        return handle.read()


def imports_inbox_collect() -> list[ImportRun]:
    """The inbox's import (at night or when staff start it): every file in the cooperative's inbox, registry
    files first, each imported on its own; the file moves out of the inbox whatever the outcome (its copy is
    in received/). What follows an import (closing accounts whose titles ended) is the jobs' (tasks/)."""
    inbox = inbox_path()
    inbox.mkdir(parents=True, exist_ok=True)
    runs = []
    for path in inbox_entries():
        data = _inbox_file_read(path)
        if data is None:
            continue
        try:
            run = import_receive_now(data=data, filename=path.name)
        except ValidationError:
            continue
        runs.append(run)
        done = inbox / "processed" / datetime.date.today().isoformat()
        done.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), done / path.name)
    runs.sort(key=lambda run: (formats.kind_order(_peek_kind(run)), run.filename))
    processed = [import_process(run_id=run.pk) for run in runs]
    return [run for run in processed if run is not None]  # each was created above: none is missing


def imports_inbox_collect_nightly() -> list[ImportRun] | None:
    """The schedule's job: the inbox's import at night, unless the cooperative switched it off (None then:
    the files wait in the folder until staff import them)."""
    if instance_settings_get().import_hour is None:
        return None
    return imports_inbox_collect()


def imports_inbox_start(*, acting_user: User, files: list[str]) -> None:
    """Staff start the import of the inbox's waiting files now instead of at night (after commit, by Celery)."""
    if not files:
        raise ValidationError(_("No files are waiting in the import folder."), code="inbox_empty")
    with transaction.atomic():
        audit_record(acting_user=acting_user, action=AuditAction.INBOX_IMPORT_STARTED, target=str(inbox_path().name),
                     details={"files": files})
        job_enqueue_on_commit("tasks.jobs.imports_inbox_collect")


def _store(*, data: bytes, filename: str) -> Path:
    """Keep the received bytes (a refused run can be retried and every import can be audited later), in the
    imports storage; gone again if the transaction that records the run rolls back."""
    storage = storages["imports"]
    name = (f"{cooperative_current().slug}/received/{timezone.localdate().strftime('%Y-%m')}/"
            f"{timezone.localtime().strftime('%Y%m%d-%H%M%S-%f')}-{_safe_name(filename)}")
    return Path(storage.path(storage_save(storage=storage, name=name, data=data)))


def import_receive_now(*, data: bytes, filename: str) -> ImportRun:
    """Like import_receive, for the inbox job: recorded but processed by the caller, not enqueued."""
    path = _store(data=data, filename=filename)
    return ImportRun.objects.create(source=ImportRun.Source.INBOX, filename=filename[:255], stored_path=str(path),
                                    checksum=file_checksum(data), size_bytes=len(data))


def _peek_kind(run: ImportRun) -> str:
    try:
        with open(run.stored_path, "rb") as handle:
            first = handle.readline().decode("utf-8-sig", errors="replace")
    except OSError:
        return ""
    fmt = formats.format_for_header(first.strip().split(";"))
    return fmt.kind if fmt else ""


def import_failure_notify(*, run: ImportRun) -> None:
    """E-mail each of the cooperative's admins and clerks that a file was refused or awaits confirmation:
    the summary and a link to the report (a report can be long; an e-mail stays short)."""
    staff = User.objects.filter(role__in=[User.Role.ADMIN, User.Role.CLERK], is_active=True)
    # One notice per failed attempt: a run retried and refused again is reported again.
    attempt = int(run.started_at.timestamp()) if run.started_at else 0
    address = cooperative_url(path=import_page(run=run))
    notice_send(kind=Notice.Kind.IMPORT_FAILED, key=f"import_failed:{run.pk}:{attempt}", users=staff,
                template="emails/import_failed", context={"run": run, "address": address}, respect_preferences=False)


def import_page(*, run: ImportRun) -> str:
    """Where the office reads a run's report: its format's own page (e.g. the readings import) or Importy."""
    fmt = formats.format_of(run.kind)
    if fmt is not None and fmt.report_path is not None:
        return fmt.report_path(run)
    return reverse("staff_import", args=[run.pk])
