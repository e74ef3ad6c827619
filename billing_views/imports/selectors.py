"""Reads of the import engine: the runs (history, one run's report) and the cooperative's inbox folder.
The staff pages, the API and the services read through these."""

import datetime
import logging
import stat
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from billing_views.models import ImportRun
from cooperatives.selectors import cooperative_current

logger = logging.getLogger(__name__)


def import_runs(*, kind: str = "", status: str = "") -> QuerySet[ImportRun]:
    """Imports received, newest first, with who sent each; only of one kind or status when given."""
    runs = ImportRun.objects.select_related("uploaded_by").order_by("-created_at", "-id")
    if kind:
        runs = runs.filter(kind=kind)
    if status:
        runs = runs.filter(status=status)
    return runs


def import_run_get(*, run_id: int) -> ImportRun | None:
    """One import with what its page shows beside it (who sent it, the run it repeats)."""
    return ImportRun.objects.filter(pk=run_id).select_related("uploaded_by", "same_as").first()


def cooperative_import_root() -> Path:
    return Path(settings.IMPORT_ROOT) / cooperative_current().slug


def inbox_path() -> Path:
    return cooperative_import_root() / "inbox"


def inbox_label() -> str:
    """The folder as the accounting system sees it in the platform's import share ("hutnik/inbox/"): staff are
    never shown where the server keeps it."""
    return f"{cooperative_current().slug}/inbox/"


def inbox_entries() -> list[Path]:
    """The inbox's regular files, by name: never a symlink (it could point at any file the worker may read,
    another cooperative's inbox included), a folder, a pipe or a device; never a hidden file."""
    inbox = inbox_path()
    if not inbox.is_dir():
        return []
    entries = []
    for path in sorted(inbox.iterdir()):
        if path.name.startswith("."):
            continue
        if stat.S_ISREG(path.lstat().st_mode):
            entries.append(path)
        elif not path.is_dir() or path.is_symlink():
            logger.warning("import inbox %s: %s is not a regular file; left alone", inbox, path.name)
    return entries


@dataclass(frozen=True)
class InboxFile:
    name: str
    size: int
    modified: datetime.datetime


def inbox_files() -> list[InboxFile]:
    """Files the nightly import will take (the same ones imports_inbox_collect picks), oldest first."""
    files = []
    for path in inbox_entries():
        status = path.lstat()
        files.append(InboxFile(name=path.name, size=status.st_size,
                               modified=datetime.datetime.fromtimestamp(status.st_mtime, tz=datetime.UTC)
                               .astimezone(timezone.get_current_timezone())))
    return sorted(files, key=lambda file: (file.modified, file.name))
