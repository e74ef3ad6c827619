"""Run one import: decode, check the header, COPY into a staging table, validate set-based, merge.

All of it is one transaction: a file with one bad row changes nothing. The run record and its row
errors are written after that transaction, so a refused file still leaves its report.
"""

import codecs
import hashlib
import logging
import re
import time
from pathlib import Path

import psycopg
from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing_views.models import ImportRowError, ImportRun

from . import formats, sql
from .types import MAX_REPORTED_ERRORS, ImportNeedsConfirmation, ImportRefused, LineMap, MergeCounts, RowError

logger = logging.getLogger(__name__)

COPY_CHUNK = 1 << 20
# Bytes that in Windows-1250 are rare symbols but in ISO-8859-2 are Polish letters (ą ś ź Ą Ś Ź):
# seeing them means the file was saved in ISO-8859-2 and would import as gibberish.
_LATIN2_MARKERS = re.compile("[±¶Ľˇ¦¬]")
# A UTF-8 letter of Latin-1 or Latin Extended-A (every Polish letter) or a typographic sign („ ” – …),
# or such a letter cut short by the end of the file. In a Windows-1250 file these bytes would be
# Â Ă Ä Ĺ or â followed by a symbol, which Polish text never has: seeing one means UTF-8 text.
_UTF8_TRACE = re.compile(rb"[\xC2-\xC5](?:[\x80-\xBF]|\Z)|\xE2(?:[\x80-\x82](?:[\x80-\xBF]|\Z)|\Z)")
# Control characters no accounting export writes (tab, CR and LF are fine).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# In CSV mode COPY takes a line holding only \. as the end of the data: the rest would be ignored.
_END_MARKER = re.compile(rb"(?m)^\\\.\r?$")


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
        if earlier is not None and not _changed_since(earlier):
            _mark_unchanged(run, earlier)
        else:
            # An older file sent again is compared with the database unless the office has confirmed it.
            resent = earlier if earlier is not None and run.confirmed_at is None else None
            with transaction.atomic():
                counts = _load(data=data, run=run, cooperative_code=cooperative_code, resent=resent)
            if resent is not None and counts.added == counts.updated == 0:
                _mark_unchanged(run, resent)
            else:
                run.status = ImportRun.Status.SUCCEEDED
                run.rows_total, run.rows_added, run.rows_updated = counts.total, counts.added, counts.updated
                run.rows_unchanged = counts.total - counts.added - counts.updated
                run.error_count = 0
                run.message = _summary(counts)
    except ImportNeedsConfirmation as differs:
        assert earlier is not None  # only a file sent again (`resent`, the earlier run) is compared
        run.status, run.same_as = ImportRun.Status.CONFIRM, earlier
        _report(run, differs, _(
            "This file was already imported (import no. %(id)d), but later imports changed %(count)d of its "
            "values. Applying it again would set them back as listed; it is applied only when the office "
            "confirms it.") % {"id": earlier.pk, "count": differs.total})
    except ImportRefused as refused:
        run.status = ImportRun.Status.FAILED
        _report(run, refused, refused.errors[0].reason if refused.total == 1 else _(
            "%(count)d errors; nothing was imported. The first: %(first)s") % {
            "count": refused.total, "first": refused.errors[0].reason})
    except FileNotFoundError:
        run.status, run.error_count = ImportRun.Status.FAILED, 1
        run.message = _("The received file is missing from the import storage; upload it again.")
    run.duration_ms = int((time.monotonic() - started) * 1000)
    run.finished_at = timezone.now()
    run.save()
    return run


def _report(run: ImportRun, refused: ImportRefused, message: str) -> None:
    run.error_count = refused.total
    run.rows_added = run.rows_updated = run.rows_unchanged = 0
    run.message = message
    ImportRowError.objects.bulk_create([
        ImportRowError(run=run, line=error.line, column=error.column[:40], value=error.value[:200],
                       reason=error.reason)
        for error in refused.errors[:MAX_REPORTED_ERRORS]])


def _changed_since(earlier: ImportRun) -> bool:
    """Whether a later import may have changed what `earlier` stored (then the same file is compared
    again instead of being reported as already imported). Ledger entries and readings change only by
    update; the registry's counts cover titles only, so any later registry import counts."""
    later = ImportRun.objects.filter(kind=earlier.kind, status=ImportRun.Status.SUCCEEDED,
                                     finished_at__gt=earlier.finished_at)
    if earlier.kind != ImportRun.Kind.REGISTRY:
        later = later.filter(rows_updated__gt=0)
    return later.exists()


def _mark_unchanged(run: ImportRun, earlier: ImportRun) -> None:
    run.status, run.same_as, run.kind = ImportRun.Status.UNCHANGED, earlier, earlier.kind
    run.rows_total = run.rows_unchanged = earlier.rows_total
    run.rows_added = run.rows_updated = run.error_count = 0
    run.message = _("The same file was already imported on %(date)s (import no. %(id)d) and the data still "
                    "match it; nothing was changed.") % {
        "date": timezone.localtime(earlier.finished_at).strftime("%d.%m.%Y %H:%M"), "id": earlier.pk}


def _summary(counts: MergeCounts) -> str:
    summary = _("%(total)d rows: %(added)d added, %(updated)d updated, %(unchanged)d unchanged.") % {
        "total": counts.total, "added": counts.added, "updated": counts.updated,
        "unchanged": counts.total - counts.added - counts.updated}
    return " ".join([summary, *counts.notes])


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _refuse_at(data: bytes, offset: int, reason: str) -> ImportRefused:
    """A refusal naming the physical line of a byte, its column (by the header) and its value."""
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    line_bytes = data[start:] if end < 0 else data[start:end]
    header_end = data.find(b"\n")
    header = (data if header_end < 0 else data[:header_end]).decode("ascii", errors="replace").strip().split(";")
    index = data.count(b";", start, offset)
    fields = line_bytes.rstrip(b"\r").split(b";")
    column = header[index].strip().strip('"') if index < len(header) and start > 0 else ""
    value = _readable(fields[min(index, len(fields) - 1)])
    return ImportRefused([RowError(_line_of(data, offset), column, value, reason)], physical=True)


def decode_check(data: bytes) -> tuple[bytes, str]:
    """The file's bytes without BOM and its PostgreSQL encoding name; refuses what is not text we read.

    One encoding for the whole file: valid UTF-8 (with or without BOM), or else Windows-1250 when every
    byte is a Windows-1250 character and no UTF-8 letter appears anywhere. A file with a UTF-8 part and
    another part, or cut in the middle of a letter, is refused at its first offending line."""
    if not data.strip():
        raise ImportRefused([RowError(None, "", "", _("The file is empty."))])
    if b"\x00" in data:
        raise ImportRefused([RowError(None, "", "", _(
            "The file is not a text file in UTF-8 or Windows-1250 (it looks like UTF-16 or a binary file). "
            "Export it again as CSV in UTF-8 or Windows-1250."))])
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8):]
    try:
        data.decode("utf-8")
        return data, "UTF8"
    except UnicodeDecodeError as error:
        broken = error.start
    if bom or _UTF8_TRACE.search(data):
        raise _refuse_at(data, broken, _(
            "The file is in UTF-8, but this line is not: the file mixes encodings or was cut in the middle "
            "of a letter. Nothing was imported; export the whole file again in one encoding."))
    try:
        text = data.decode("cp1250")
    except UnicodeDecodeError as error:
        raise _refuse_at(data, error.start, _(
            "The file is neither UTF-8 nor Windows-1250: this line has a byte that is a letter in neither. "
            "Export the file again in one of these encodings.")) from None
    odd = _LATIN2_MARKERS.search(text) or _CONTROL.search(text)
    if odd is not None:
        # Windows-1250 has one byte per character: the character's index is its byte's offset.
        raise _refuse_at(data, odd.start(), _(
            "The file seems to be saved in ISO-8859-2 or another encoding, so Polish letters would be read "
            "wrongly. Export it again in UTF-8 or Windows-1250."))
    return data, "WIN1250"


def _split_header(data: bytes, encoding: str) -> tuple[list[str], bytes, bytes]:
    """The header's columns, the data rows, and the file's line ending (COPY wants one kind)."""
    end = data.find(b"\n")
    header_bytes, body = (data, b"") if end < 0 else (data[:end], data[end + 1:])
    newline = b"\r\n" if header_bytes.endswith(b"\r") else b"\n"
    header = header_bytes.decode("utf-8" if encoding == "UTF8" else "cp1250").strip()
    return [column.strip().strip('"') for column in header.split(";")], body.rstrip(b"\r\n\t "), newline


def _listed(names: list[str], limit: int = 10) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return _("%(names)s and %(count)d more") % {"names": ", ".join(names[:limit]), "count": len(names) - limit}


def header_check(columns: list[str], *, expected_kind: str = "") -> formats.FileFormat:
    fmt = formats.format_for_header(columns)
    if fmt is not None and (not expected_kind or fmt.kind == expected_kind):
        return fmt
    expected = (formats.format_of(expected_kind) if expected_kind else None) or formats.closest_format(columns)
    present = [column.lower() for column in columns]
    missing = [column for column in expected.columns if column not in present]
    extra = [column[:40] for column in present if column not in expected.columns]
    if missing or extra:
        parts = []
        if missing:
            parts.append(_("missing columns: %(columns)s") % {"columns": _listed(missing)})
        if extra:
            parts.append(_("unexpected columns: %(columns)s") % {"columns": _listed(extra)})
        reason = _("The header does not match the %(format)s format: %(problems)s.") % {
            "format": expected.label, "problems": "; ".join(parts)}
    else:
        reason = _("The columns of the %(format)s format are in the wrong order; expected: %(columns)s.") % {
            "format": expected.label, "columns": ";".join(expected.columns)}
    raise ImportRefused([RowError(1, "", ";".join(columns)[:200], reason)])


def _load(*, data: bytes, run: ImportRun, cooperative_code: str, resent: ImportRun | None) -> MergeCounts:
    data, encoding = decode_check(data)
    columns, body, newline = _split_header(data, encoding)
    fmt = header_check(columns, expected_kind=run.kind)
    run.kind = fmt.kind
    if fmt.available is not None and not fmt.available():
        raise ImportRefused([RowError(None, "", "", _(
            "The %(format)s module is switched off in this cooperative; the file was not imported.") % {
            "format": fmt.label})])
    if not body:
        raise ImportRefused([RowError(None, "", "", _("The file has a header but no data rows."))])
    lines = LineMap(body)
    # One byte is found at memchr speed; the pattern is looked for only in a file that has a backslash.
    marker = _END_MARKER.search(body) if b"\\" in body else None
    if marker is not None:
        raise _refuse_at(data, data.find(b"\n") + 1 + marker.start(), _(
            "A line holding only “\\.” cannot be imported (it would end the data early)."))
    try:
        with connection.cursor() as cursor:
            return _load_rows(cursor, body=body + newline, fmt=fmt, run=run, encoding=encoding,
                              cooperative_code=cooperative_code, resent=resent, lines=lines)
    except ImportRefused as refused:
        if not refused.physical:
            for error in refused.errors:
                error.line = lines.physical(error.line)
        raise


def _load_rows(cursor, *, body: bytes, fmt: formats.FileFormat, run: ImportRun, encoding: str,
               cooperative_code: str, resent: ImportRun | None, lines: LineMap) -> MergeCounts:
    # Several imports can share one outer transaction (the demo loader): start from a fresh table.
    cursor.execute("DROP TABLE IF EXISTS import_stage")
    cursor.execute(sql.staging_create(fmt.columns))
    total = _copy(cursor, body, fmt.columns, encoding)
    errors, error_total = sql.validate(cursor, fmt=fmt, cooperative_code=cooperative_code)
    if errors:
        # Duplicates are otherwise found only when merging; with the file refused anyway, the
        # report lists them too, so the whole file can be fixed in one go.
        duplicates = [] if errors[0][1] == "spoldzielnia" else sql.duplicates(cursor, fmt=fmt, lines=lines)
        report = sorted(errors + duplicates, key=lambda error: (error[0] or 0))
        raise ImportRefused([RowError(*error) for error in report], total=error_total + len(duplicates))
    try:
        with transaction.atomic():
            counts = sql.merge(cursor, fmt=fmt, run=run, resent=resent, lines=lines)
    except (ProgrammingError, IntegrityError):
        # The same key twice in one file may be found only when merging (a unique index or ON CONFLICT
        # refuses it); it is then reported line by line.
        duplicates = sql.duplicates(cursor, fmt=fmt, lines=lines)
        if duplicates:
            raise ImportRefused([RowError(*duplicate) for duplicate in duplicates]) from None
        # Not the file's fault that a check could name: logged for us, and a plain refusal for the office
        # (the database's own words never reach the report).
        logger.exception("import run %s: the merge failed", run.pk)
        raise ImportRefused([RowError(None, "", "", _(
            "The data conflicts with what the cooperative's database already holds; nothing was imported."))]
        ) from None
    cursor.execute("DROP TABLE IF EXISTS import_stage, import_typed")
    counts.total = total
    return counts


_COPY_LINE = re.compile(r"line (\d+)")
_COPY_COLUMN = re.compile(r'column "?([a-z_]+)"?')


def _copy_reason(message: str, columns: tuple[str, ...]) -> str:
    """COPY's English message as the office reads it; nothing of PostgreSQL's wording reaches the report."""
    if "extra data after last expected column" in message:
        return _("Too many columns in the row: expected %(count)d separated by “;”.") % {"count": len(columns)}
    if "missing data for column" in message:
        return _("Too few columns in the row (is the file cut short?): expected %(count)d separated by “;”.") % {
            "count": len(columns)}
    if "unterminated CSV quoted field" in message:
        return _("A quoted value is not closed (is the file cut short?).")
    if "carriage return" in message or "newline" in message:
        return _("The line ends differently from the first line of the file (mixed line endings, CR LF and "
                 "LF). Save the file again so that every line ends the same way.")
    return _("The line cannot be read as a CSV row with columns separated by “;”.")


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
        diagnostics = getattr(error, "diag", None)
        context = (diagnostics.context or "") if diagnostics else ""
        message = (diagnostics.message_primary if diagnostics else "") or str(error)
        match = _COPY_LINE.search(context)
        line = int(match.group(1)) + 1 if match else None  # +1: the header is line 1 of the file
        column = _COPY_COLUMN.search(message) if "missing data for column" in message else None
        raise ImportRefused([RowError(line, column.group(1) if column else "", _line_text(body, line),
                                      _copy_reason(message, columns))], physical=True) from None
    return cursor.rowcount


def _line_text(body: bytes, line: int | None) -> str:
    """Physical line `line` of the file (2 = the first line after the header), as the office wrote it."""
    if line is None:
        return ""
    start = 0
    for _skip in range(line - 2):
        start = body.find(b"\n", start) + 1
        if start == 0:
            return ""
    end = body.find(b"\n", start)
    return _readable((body[start:] if end < 0 else body[start:end]).rstrip(b"\r"))


def _readable(raw: bytes) -> str:
    """Bytes of a refused file as the office can recognise them in the report (at most 200 characters):
    Windows-1250 unless they hold a UTF-8 letter, then UTF-8 with the broken bytes marked."""
    try:
        return raw.decode("utf-8")[:200]
    except UnicodeDecodeError:
        pass
    if not _UTF8_TRACE.search(raw):
        try:
            return raw.decode("cp1250")[:200]
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", errors="replace")[:200]
