"""The platform's one PDF base (iok/pdf.py): plain documents, and what a broken template or call gives.

Plain functions, no database: run with `pytest -p no:django --noconftest tests/test_pdf_base.py -o addopts=""`.
"""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from iok.pdf import REPO_ROOT, pdf_render, plain_pdf
from tests.pdf_ua import assert_pdf_ua


def test_plain_document_is_tagged_with_its_title_as_the_heading() -> None:
    pdf = plain_pdf(title="Statut Spółdzielni", author="Spółdzielnia Mieszkaniowa „Hutnik”",
                    header_lines=("Spółdzielnia Mieszkaniowa „Hutnik”", "15.06.2019"),
                    paragraphs=("§ 1. Spółdzielnia działa na podstawie ustawy.", "§ 2. Celem Spółdzielni jest…"),
                    note="Dokument demonstracyjny platformy IOK.",
                    created_at=datetime(2019, 6, 15, 12, tzinfo=UTC))
    facts = assert_pdf_ua(pdf, title="Statut Spółdzielni")
    assert facts.headings == ("H1",)
    assert facts.elements["P"] >= 2
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None
    assert reader.metadata.author == "Spółdzielnia Mieszkaniowa „Hutnik”"
    assert reader.metadata.creation_date == datetime(2019, 6, 15, 12, tzinfo=UTC)
    assert reader.pages[0].extract_text().splitlines() == [
        "Spółdzielnia Mieszkaniowa „Hutnik”",
        "15.06.2019",
        "Statut Spółdzielni",
        "§ 1. Spółdzielnia działa na podstawie ustawy.",
        "§ 2. Celem Spółdzielni jest…",
        "Dokument demonstracyjny platformy IOK.",
        "Spółdzielnia Mieszkaniowa „Hutnik” Strona 1 z 1",
    ]


def test_a_template_outside_the_repository_is_refused(tmp_path: Path) -> None:
    template = tmp_path / "elsewhere.typ"
    template.write_text("= x\n")
    with pytest.raises(ValueError, match="is not in the subpath"):
        pdf_render(template=template, data={})


def test_a_broken_template_raises_with_typst_message() -> None:
    # PDF/UA needs a title: the base sets it from the data, so a document without one cannot be written.
    with pytest.raises(RuntimeError, match=r"^plain\.typ: .*title"):
        pdf_render(template=REPO_ROOT / "platform" / "iok" / "pdf_templates" / "plain.typ",
                   data={"title": "", "author": "", "header_lines": [], "paragraphs": [], "note": ""})
