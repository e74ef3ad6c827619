"""Every PDF the platform produces: a Typst template filled with plain data, written as tagged PDF/UA-1.

The documents (statement of account, credentials letter, application form, demo files) are Typst templates
that import one base, platform/iok/pdf_templates/base.typ: fonts, page, greys, letterhead, footer. Python
hands a template its data as JSON through `sys.inputs`, never as Typst markup, so no name or description
can change the document's structure. Typst writes the structure tree (headings, lists, tables with header
cells), the document's language and title, and embeds subsets of our own fonts (DejaVu Sans, which has
every Polish letter); system fonts are ignored, so a document looks the same on every server.

Typst was chosen over WeasyPrint's PDF/UA output for speed and for having no system dependencies (the
compiler ships inside the `typst` wheel; WeasyPrint needs pango): on the same 957-row table in the same
fonts, WeasyPrint took 7.1 s of CPU and Typst 0.55 s (0.70 s and 0.10 s for a year's 96 rows). The
statement's own figures are in bench/bench_documents.py.
"""

import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["FONTS_DIR", "REPO_ROOT", "WARSAW", "pdf_render", "plain_pdf", "warsaw_date"]

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
_PLAIN = Path(__file__).resolve().parent / "pdf_templates" / "plain.typ"
# Templates live beside the code that fills them and import the base by an absolute path from here.
REPO_ROOT = Path(__file__).resolve().parents[2]
WARSAW = ZoneInfo("Europe/Warsaw")

# Run by a fresh interpreter for each document (see pdf_render): the request as JSON on stdin, the PDF on
# stdout, Typst's message on stderr. Only the standard library and typst: nothing of the web worker.
_RENDERER = """
import json, sys, typst
request = json.load(sys.stdin)
compiler = typst.Compiler(root=request["root"], font_paths=[request["fonts"]], ignore_system_fonts=True)
try:
    pdf = compiler.compile(input=request["template"], format="pdf", sys_inputs={"data": request["data"]},
                           pdf_standards=["ua-1"], timestamp=request["timestamp"])
except typst.TypstError as error:
    sys.exit(f"{error.message}: {error.diagnostic}")
sys.stdout.buffer.write(pdf)
"""
# Far above any real document (a ten-year statement takes about a second); a runaway render is ended.
_TIMEOUT_SECONDS = 60


def warsaw_date(moment: datetime, *, what: str, with_time: bool = False) -> str:
    """"01.04.2026" (or "01.04.2026 00:30") in Warsaw; a naive moment is refused, its day would be a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, otherwise the time in Warsaw is ambiguous.")
    return moment.astimezone(WARSAW).strftime("%d.%m.%Y %H:%M" if with_time else "%d.%m.%Y")


def pdf_render(*, template: Path, data: Mapping[str, Any], created_at: datetime | None = None) -> bytes:
    """The PDF/UA-1 document of template (a .typ file under the repository) with data as `sys.inputs.data`.

    data must be JSON-serialisable; texts are printed as they are. created_at becomes the PDF's creation
    date and makes the bytes reproducible (the same data and moment give the same file); without it the
    document is dated now. The template sets the document's title, which PDF/UA requires.
    """
    template = template.resolve()
    template.relative_to(REPO_ROOT)  # Typst reads only files under its root: fail here, with the path.
    request = {
        "root": str(REPO_ROOT),
        "fonts": str(FONTS_DIR),
        "template": str(template),
        "data": json.dumps(data, ensure_ascii=False),
        # Whole seconds, as PDF dates have them.
        "timestamp": int(created_at.timestamp()) if created_at is not None else None,
    }
    # Typst memoises every layout in a process-wide cache that it trims only to the last ten documents: a
    # web worker that rendered ten-year statements would keep about 1 GiB. A child interpreter renders each
    # document and takes the cache with it when it exits, for about 30 ms of CPU. (A fork of the worker would
    # be cheaper but can deadlock on a lock another thread held; a fork server re-imports the main module.)
    # A fixed command (this interpreter and the constant script above); the data goes through stdin, and the
    # child gets no environment: it needs none, and the worker's holds secrets.
    completed = subprocess.run([sys.executable, "-I", "-c", _RENDERER], input=json.dumps(request).encode(),  # noqa: S603
                               capture_output=True, timeout=_TIMEOUT_SECONDS, check=False, env={})
    if completed.returncode != 0:
        raise RuntimeError(f"{template.name}: {completed.stderr.decode(errors='replace').strip()}")
    return completed.stdout


def plain_pdf(*, title: str, author: str, paragraphs: Sequence[str], header_lines: Sequence[str] = (),
              note: str = "", created_at: datetime | None = None) -> bytes:
    """A plain tagged document: header lines (sender, date), the title as its heading, paragraphs, a note."""
    return pdf_render(template=_PLAIN, created_at=created_at, data={
        "title": title, "author": author, "header_lines": list(header_lines), "paragraphs": list(paragraphs),
        "note": note})
