"""Group `documents`: the tagged statement PDF (PDF/UA-1) of the demo's ten-year ledger, server time.

Hutnik's `lokator` flat (ul. Wawel 1/12) has ten years of charges and payments. Each figure is the
median of several runs of what the statement view does (read the ledger, check it adds up, render the
PDF in its child interpreter), in wall-clock seconds, with the CPU seconds of this process and its
children beside it (on a busy machine the wall clock includes the wait for a core).

The old untagged renderer is gone, so the baseline is the least any document of the same library
costs: a one-paragraph plain PDF through the same base (child interpreter, fonts, tagging), measured in
the same run. statement_10y_ratio is the ten-year statement's time ÷ that minimal document's.
"""

import datetime
import resource
import statistics
import time
from collections.abc import Callable

from django_tenants.utils import schema_context

from billing_views.selectors import ledger_lines, statement_pdf_for_unit
from cooperatives.models import Cooperative
from iok.pdf import plain_pdf
from tenants_portal.registry.models import Unit

RUNS = 5


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _measure(work: Callable[[], object]) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of RUNS runs, after one run that is not counted."""
    work()
    walls, cpus = [], []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), _cpu_seconds()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(_cpu_seconds() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def run() -> None:
    with schema_context(Cooperative.objects.get(slug="hutnik").schema_name):
        unit = Unit.objects.get(building__street="ul. Wawel", building__number="1", number="12")
        lines = ledger_lines(unit=unit, date_from=None, date_to=None)
        last = lines[-1].booked_on
        periods = {
            "1y": (last - datetime.timedelta(days=365) + datetime.timedelta(days=1), last),
            "10y": (lines[0].booked_on, last),
        }
        figures = {}
        for name, (date_from, date_to) in periods.items():
            count = len(ledger_lines(unit=unit, date_from=date_from, date_to=date_to))

            def statement(date_from: datetime.date = date_from, date_to: datetime.date = date_to) -> bytes:
                return statement_pdf_for_unit(unit=unit, holder_name="Jan Kowalski", date_from=date_from,
                                              date_to=date_to, today=date_to)[2]

            size = len(statement())
            figures[name] = _measure(statement)
            print(f"statement {name}: {date_from:%d.%m.%Y}–{date_to:%d.%m.%Y}, {count} entries, {size:,} bytes: "
                  f"{figures[name][0]:.3f} s wall, {figures[name][1]:.3f} s CPU")
    minimal = _measure(lambda: plain_pdf(title="Dokument", author="IOK", paragraphs=["Jeden akapit."]))
    print(f"minimal plain PDF: {minimal[0]:.3f} s wall, {minimal[1]:.3f} s CPU")
    print(f"BENCH statement_1y_seconds {figures['1y'][0]:.3f}")
    print(f"BENCH statement_10y_seconds {figures['10y'][0]:.3f}")
    print(f"BENCH statement_1y_cpu_seconds {figures['1y'][1]:.3f}")
    print(f"BENCH statement_10y_cpu_seconds {figures['10y'][1]:.3f}")
    print(f"BENCH statement_minimal_seconds {minimal[0]:.3f}")
    print(f"BENCH statement_10y_ratio {figures['10y'][0] / minimal[0]:.2f}")
