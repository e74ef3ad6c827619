"""Group `import`: 1,000,000 ledger rows through the import engine, against a raw COPY.

The baseline is the least any import of these rows can cost: the same 1,000,000 rows, already in
the target table's own column format (unit ids, ISO dates, dot decimals), COPYed straight into the
same table with the same indexes and constraints, and committed, in the same run (then deleted).
The import then loads the accounting system's file (unit codes, decimal commas, dd.mm.yyyy)
through the real engine: checksum, decoding, COPY into staging, set-based validation, merge.

reimport_ratio: the same file again (recognised by its checksum: nothing to read or merge).
reimport_full_ratio: the same entries in a different file (another line ending), which goes the
whole way through staging, validation and a merge that changes nothing.
"""

import random
import tempfile
import time
from pathlib import Path

from django.db import connection, transaction
from django_tenants.utils import schema_context

from billing_views.imports import formats
from billing_views.imports.engine import file_checksum, import_run_execute
from billing_views.models import ChargeComponent, ImportRun, LedgerEntry
from tenants_portal.registry.models import Unit

ROWS = 1_000_000
PREFIX = "BENCH-"


def _generate(units: list[tuple[int, str]], components: list[tuple[int, str]], run_id: int) -> tuple[bytes, bytes]:
    rng = random.Random(2026)
    csv_lines = [";".join(formats.CHARGES.columns)]
    native_lines = []
    for number in range(ROWS):
        unit_id, code = units[number % len(units)]
        component_id, component = components[number % len(components)]
        month = 1 + (number // len(units)) % 12
        year = 2000 + (number // (len(units) * 12)) % 27
        amount = rng.randrange(100, 90000)
        whole, grosze = divmod(amount, 100)
        source = f"{PREFIX}{number:07d}"
        csv_lines.append(f"hutnik;{source};{code};naliczenie;{component};{month:02d}.{year};01.{month:02d}.{year};"
                         f"{whole},{grosze:02d};Opłata {month:02d}.{year}")
        native_lines.append(f"{source}\t{unit_id}\tcharge\t{component_id}\t{year}-{month:02d}-01\t"
                            f"{year}-{month:02d}-01\t{whole}.{grosze:02d}\t\tOpłata {month:02d}.{year}\t{run_id}")
    return ("\r\n".join(csv_lines) + "\r\n").encode(), ("\n".join(native_lines) + "\n").encode()


def _raw_copy_seconds(native: bytes) -> float:
    """COPY and commit, as a real load would; the rows are deleted again afterwards (not timed)."""
    started = time.perf_counter()
    statement = ("COPY ledger_ledgerentry (source_id, unit_id, kind, component_id, period, booked_on, amount, "
                 "reference, description, import_run_id) FROM STDIN")
    with transaction.atomic(), connection.cursor() as cursor, cursor.copy(statement) as copy:
        view = memoryview(native)
        for offset in range(0, len(native), 1 << 20):
            copy.write(view[offset:offset + (1 << 20)])
    seconds = time.perf_counter() - started
    _cleanup()
    return seconds


def _import_seconds(path: Path) -> tuple[float, ImportRun]:
    data = path.read_bytes()
    run = ImportRun.objects.create(source=ImportRun.Source.INBOX, filename=path.name, stored_path=str(path),
                                   checksum=file_checksum(data), size_bytes=len(data))
    started = time.perf_counter()
    run = import_run_execute(run=run, cooperative_code="hutnik")
    return time.perf_counter() - started, run


def _cleanup() -> None:
    """Remove the benchmark's rows and their dead tuples, so every measurement starts alike."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_ledgerentry WHERE source_id LIKE %s", [PREFIX + "%"])
        ImportRun.objects.filter(filename__startswith="bench-").delete()
        cursor.execute("VACUUM ANALYZE ledger_ledgerentry")


def run() -> None:
    with schema_context("coop_hutnik"):
        _cleanup()
        units = list(Unit.objects.order_by("pk").values_list("pk", "code"))
        components = list(ChargeComponent.objects.order_by("pk").values_list("pk", "code"))
        # The baseline rows name an import run too, as every imported row does (same columns, same checks).
        baseline_run = ImportRun.objects.create(source=ImportRun.Source.INBOX, filename="baseline (benchmark)",
                                                stored_path="", checksum="")
        csv, native = _generate(units, components, baseline_run.pk)
        folder = Path(tempfile.mkdtemp(prefix="iok-bench-"))
        path = folder / "bench-naliczenia.csv"
        path.write_bytes(csv)
        other = folder / "bench-naliczenia-lf.csv"
        other.write_bytes(csv.replace(b"\r\n", b"\n"))
        print(f"{ROWS:,} rows, {len(csv) / 1e6:.1f} MB; units {len(units)}, components {len(components)}")

        baseline = min(_raw_copy_seconds(native) for _ in range(2))
        print(f"raw COPY into ledger_ledgerentry: {baseline:.2f} s ({ROWS / baseline:,.0f} rows/s)")
        seconds, first = _import_seconds(path)
        assert first.status == ImportRun.Status.SUCCEEDED, first.message
        print(f"import: {seconds:.2f} s — {first.message}")
        again_seconds, again = _import_seconds(path)
        print(f"same file again: {again_seconds:.3f} s — {again.get_status_display()}: {again.message}")
        full_seconds, full = _import_seconds(other)
        print(f"same entries, other file: {full_seconds:.2f} s — {full.message}")
        total = LedgerEntry.objects.filter(source_id__startswith=PREFIX).count()
        assert total == ROWS, total
        print(f"BENCH import_ratio {seconds / baseline:.3f}")
        print(f"BENCH reimport_ratio {again_seconds / baseline:.3f}")
        print(f"BENCH reimport_rows_added {again.rows_added + full.rows_added}")
        print(f"BENCH reimport_full_ratio {full_seconds / baseline:.3f}")
        _cleanup()
        baseline_run.delete()
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()
