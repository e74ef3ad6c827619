"""What the engine and the formats' SQL share: a row's error, the refusals, the merge's counts and the
file's physical lines.

Its own module so that the engine (which runs the SQL) and the SQL (which raises refusals while merging)
both import it and never each other's callers; a format plugged in by a module (the meter readings)
raises and returns the same types.
"""

from dataclasses import dataclass, field
from typing import overload

# A report lists the first errors and counts the rest: a file with a million bad lines still gives
# a page and an e-mail of a readable size.
MAX_REPORTED_ERRORS = 200


@dataclass
class RowError:
    line: int | None
    column: str
    value: str
    reason: str


class ImportRefused(Exception):
    def __init__(self, errors: list[RowError], *, total: int | None = None, physical: bool = False) -> None:
        super().__init__(errors[0].reason if errors else "")
        self.errors = errors
        self.total = total if total is not None else len(errors)
        # Lines are the file's own (COPY counts a quoted value's line breaks), not staging record numbers.
        self.physical = physical


class ImportNeedsConfirmation(ImportRefused):
    """A file imported before would now change what later imports set: the office must confirm it."""


@dataclass
class MergeCounts:
    total: int = 0
    added: int = 0
    updated: int = 0
    details: dict[str, tuple[int, int]] = field(default_factory=dict)
    # What other modules did in the same transaction (online payments settled), for the run's summary.
    notes: list[str] = field(default_factory=list)


class LineMap:
    """Physical line numbers of the data records: a quoted value may span lines, and then COPY's and
    the staging table's record numbers run behind the file's lines."""

    def __init__(self, body: bytes) -> None:
        self.starts: list[int] | None = None
        if b'"' not in body or b"\n" not in body:
            return
        starts, record_start, quotes, line = [], 2, 0, 2
        for physical in body.split(b"\n"):
            if quotes % 2 == 0:
                record_start = line
                starts.append(record_start)
            quotes += physical.count(b'"')
            line += 1
        if len(starts) != line - 2:
            self.starts = starts

    @overload
    def physical(self, record: int) -> int: ...

    @overload
    def physical(self, record: None) -> None: ...

    def physical(self, record: int | None) -> int | None:
        """Records are numbered from 2 (after the header)."""
        if record is None or self.starts is None:
            return record
        index = record - 2
        return self.starts[index] if 0 <= index < len(self.starts) else record

    def lines_of(self, records: list[int]) -> list[int]:
        return [self.physical(record) for record in records]
