"""Reads about imports that are not ledger rows: the files waiting in the cooperative's inbox."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .services import inbox_path


@dataclass(frozen=True)
class InboxFile:
    name: str
    size: int
    modified: datetime.datetime


def inbox_files() -> list[InboxFile]:
    """Files the nightly import will take (the same ones imports_inbox_collect picks), oldest first."""
    inbox = inbox_path()
    if not inbox.is_dir():
        return []
    files = []
    for path in inbox.iterdir():
        if path.is_file() and not path.name.startswith("."):
            stat = path.stat()
            files.append(InboxFile(name=path.name, size=stat.st_size,
                                   modified=datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC)
                                   .astimezone(timezone.get_current_timezone())))
    return sorted(files, key=lambda file: (file.modified, file.name))
