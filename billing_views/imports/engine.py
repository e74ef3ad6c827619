"""Run one import: decode, check the header, COPY into a staging table, validate set-based, merge.

All of it is one transaction: a file with one bad row changes nothing. The run record and its row
errors are written after that transaction, so a refused file still leaves its report.
"""

import codecs
import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing_views.models import ImportRowError, ImportRun

from . import formats, sql

MAX_STORED_ERRORS = 1000
COPY_CHUNK = 1 << 20
# Bytes that in Windows-1250 are rare symbols but in ISO-8859-2 are Polish letters (ą ś ź Ą Ś Ź):
# seeing them means the file was saved in ISO-8859-2 and would import as gibberish.
_LATIN2_MARKERS = ("±", "¶", "Ľ", "ˇ", "¦", "¬")


@dataclass
class RowError:
    line: int | None
    column: str
    value: str
    reason: str


class ImportRefused(Exception):
    def __init__(self, errors: list[RowError], *, total: int | None = None):
        super().__init__(errors[0].reason if errors else "")
        self.errors = errors
        self.total = total if total is not None else len(errors)


@dataclass
class MergeCounts:
    total: int = 0
    added: int = 0
    updated: int = 0
    details: dict[str, tuple[int, int]] = field(default_factory=dict)


def file_checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def import_run_execute(*, run: ImportRun, cooperative_code: str) -> ImportRun:
    """Process a pending run: refuse it with a row-level report or apply it completely."""
    started = time.monotonic()
    run.status, run.started_at = ImportRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    ImportRowError.objects.filter(run=run).delete()  # a retried run reports afresh
    try:
        data = Path(run.stored_path).read_bytes()
        earlier = (ImportRun.objects.filter(checksum=run.checksum, status=ImportRun.Status.SUCCEEDED)
                   .exclude(pk=run.pk).order_by("-finished_at").first())
        if earlier is not None:
            _mark_unchanged(run, earlier)
        else:
            with transaction.atomic():
                counts = _load(data=data, run=run, cooperative_code=cooperative_code)
            run.status = ImportRun.Status.SUCCEEDED
            run.rows_total, run.rows_added, run.rows_updated = counts.total, counts.added, counts.updated
            run.rows_unchanged = counts.total - counts.added - counts.updated
            run.error_count = 0
            run.message = _summary(counts)
    except ImportRefused as refused:
        run.status = ImportRun.Status.FAILED
        run.error_count = refused.total
        run.rows_added = run.rows_updated = run.rows_unchanged = 0
        run.message = refused.errors[0].reason if refused.total == 1 else _(
            "%(count)d errors; nothing was imported. The first: %(first)s") % {
            "count": refused.total, "first": refused.errors[0].reason}
        ImportRowError.objects.bulk_create([
            ImportRowError(run=run, line=error.line, column=error.column, value=error.value[:200], reason=error.reason)
            for error in refused.errors[:MAX_STORED_ERRORS]])
    except FileNotFoundError:
        run.status, run.error_count = ImportRun.Status.FAILED, 1
        run.message = _("The received file is missing from the import storage; upload it again.")
    run.duration_ms = int((time.monotonic() - started) * 1000)
    run.finished_at = timezone.now()
    run.save()
    return run


def _mark_unchanged(run: ImportRun, earlier: ImportRun) -> None:
    run.status, run.same_as, run.kind = ImportRun.Status.UNCHANGED, earlier, earlier.kind
    run.rows_total = run.rows_unchanged = earlier.rows_total
    run.rows_added = run.rows_updated = run.error_count = 0
    run.message = _("The same file was already imported on %(date)s (import no. %(id)d); nothing was added.") % {
        "date": timezone.localtime(earlier.finished_at).strftime("%d.%m.%Y %H:%M"), "id": earlier.pk}


def _summary(counts: MergeCounts) -> str:
    return _("%(total)d rows: %(added)d added, %(updated)d updated, %(unchanged)d unchanged.") % {
        "total": counts.total, "added": counts.added, "updated": counts.updated,
        "unchanged": counts.total - counts.added - counts.updated}


def decode_check(data: bytes) -> tuple[bytes, str]:
    """The file's bytes without BOM and its PostgreSQL encoding name; refuses what is not text we read."""
    if not data.strip():
        raise ImportRefused([RowError(None, "", "", _("The file is empty."))])
    if b"\x00" in data:
        raise ImportRefused([RowError(None, "", "", _(
            "The file is not a text file in UTF-8 or Windows-1250 (it looks like UTF-16 or a binary file). "
            "Export it again as CSV in UTF-8 or Windows-1250."))])
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        data.decode("utf-8")
        return data, "UTF8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1250")
    except UnicodeDecodeError as error:
        raise ImportRefused([RowError(_line_of(data, error.start), "", "", _(
            "The file is neither UTF-8 nor Windows-1250. Export it again in one of these encodings."))]) from None
    if any(marker in text for marker in _LATIN2_MARKERS):
        raise ImportRefused([RowError(None, "", "", _(
            "The file seems to be saved in ISO-8859-2, so Polish letters would be read wrongly. "
            "Export it again in UTF-8 or Windows-1250."))])
    return data, "WIN1250"


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _split_header(data: bytes, encoding: str) -> tuple[list[str], bytes, bytes]:
    """The header's columns, the data rows, and the file's line ending (COPY wants one kind)."""
    end = data.find(b"\n")
    header_bytes, body = (data, b"") if end < 0 else (data[:end], data[end + 1:])
    newline = b"\r\n" if header_bytes.endswith(b"\r") else b"\n"
    header = header_bytes.decode("utf-8" if encoding == "UTF8" else "cp1250").strip()
    return [column.strip().strip('"') for column in header.split(";")], body.rstrip(b"\r\n\t "), newline


def header_check(columns: list[str]) -> formats.FileFormat:
    fmt = formats.format_for_header(columns)
    if fmt is not None:
        return fmt
    expected = formats.closest_format(columns)
    present = [column.lower() for column in columns]
    missing = [column for column in expected.columns if column not in present]
    extra = [column for column in present if column not in expected.columns]
    if missing or extra:
        parts = []
        if missing:
            parts.append(_("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        if extra:
            parts.append(_("unexpected columns: %(columns)s") % {"columns": ", ".join(extra)})
        reason = _("The header does not match the %(format)s format: %(problems)s.") % {
            "format": expected.label, "problems": "; ".join(parts)}
    else:
        reason = _("The columns of the %(format)s format are in the wrong order; expected: %(columns)s.") % {
            "format": expected.label, "columns": ";".join(expected.columns)}
    raise ImportRefused([RowError(1, "", ";".join(columns)[:200], reason)])


def _load(*, data: bytes, run: ImportRun, cooperative_code: str) -> MergeCounts:
    data, encoding = decode_check(data)
    columns, body, newline = _split_header(data, encoding)
    fmt = header_check(columns)
    run.kind = fmt.kind
    if not body:
        raise ImportRefused([RowError(None, "", "", _("The file has a header but no data rows."))])
    with connection.cursor() as cursor:
        # Several imports can share one outer transaction (the demo loader): start from a fresh table.
        cursor.execute("DROP TABLE IF EXISTS import_stage")
        cursor.execute(sql.staging_create(fmt.columns))
        total = _copy(cursor, body + newline, fmt.columns, encoding)
        errors, error_total = sql.validate(cursor, fmt=fmt, cooperative_code=cooperative_code)
        if errors:
            # Duplicates are otherwise found only when merging; with the file refused anyway, the
            # report lists them too, so the whole file can be fixed in one go.
            duplicates = [] if errors[0][1] == "spoldzielnia" else sql.duplicates(cursor, fmt=fmt)
            report = sorted(errors + duplicates, key=lambda error: (error[0] or 0))
            raise ImportRefused([RowError(*error) for error in report], total=error_total + len(duplicates))
        try:
            with transaction.atomic():
                counts = sql.merge(cursor, fmt=fmt, run_id=run.pk)
        except (ProgrammingError, IntegrityError) as error:
            # The same key twice in one file is found only when merging (a unique index or ON CONFLICT
            # refuses it); it is then reported line by line.
            duplicates = sql.duplicates(cursor, fmt=fmt)
            if duplicates:
                raise ImportRefused([RowError(*duplicate) for duplicate in duplicates]) from None
            if isinstance(error, ProgrammingError):
                raise
            raise ImportRefused([RowError(None, "", "", _("The data conflicts with the registry: %(detail)s") % {
                "detail": str(error).splitlines()[0]})]) from None
        cursor.execute("DROP TABLE IF EXISTS import_stage, import_typed")
    counts.total = total
    return counts


_COPY_LINE = re.compile(r"line (\d+)")


def _copy(cursor, body: bytes, columns: tuple[str, ...], encoding: str) -> int:
    quoted = ", ".join(f'"{column}"' for column in columns)
    statement = (f"COPY import_stage ({quoted}) FROM STDIN "
                 f"WITH (FORMAT csv, DELIMITER ';', ENCODING '{encoding}')")
    try:
        with cursor.copy(statement) as copy:
            view = memoryview(body)
            for start in range(0, len(body), COPY_CHUNK):
                copy.write(view[start:start + COPY_CHUNK])
    except psycopg.errors.DataError as error:
        context = (error.diag.context or "") if hasattr(error, "diag") else ""
        match = _COPY_LINE.search(context)
        line = int(match.group(1)) + 1 if match else None  # +1: the header is line 1 of the file
        message = error.diag.message_primary or str(error)
        if "extra data after last expected column" in message:
            reason = _("Too many columns in the row: expected %(count)d separated by “;”.") % {"count": len(columns)}
        elif "missing data for column" in message:
            reason = _("Too few columns in the row (is the file cut short?): expected %(count)d separated by “;”.") % {
                "count": len(columns)}
        elif "unterminated CSV quoted field" in message:
            reason = _("A quoted value is not closed (is the file cut short?).")
        else:
            reason = _("The row cannot be read: %(detail)s") % {"detail": message}
        raise ImportRefused([RowError(line, "", "", reason)]) from None
    return cursor.rowcount
