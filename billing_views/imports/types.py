"""What the engine and the formats' SQL share: a row's error, the refusals and the merge's counts.

Its own module so that the engine (which runs the SQL) and the SQL (which raises refusals while merging)
both import it and never each other's callers; a format plugged in by a module (the meter readings)
raises and returns the same types.
"""

from dataclasses import dataclass, field

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
