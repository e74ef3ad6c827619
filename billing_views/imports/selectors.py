"""Reads about imports that are not ledger rows: the files waiting in the cooperative's inbox."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .services import inbox_entries


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
