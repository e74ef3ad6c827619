"""What a PDF/UA-1 checker would look at first, read with pypdf (veraPDF is not available here).

tagged_pdf_facts() collects the document-level promises (tagged, structure tree, language, title shown
as the window title, the PDF/UA identification in XMP, tab order per page, fonts embedded) and the
structure tree's element types in reading order, so tests can assert exact values.
"""

import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


@dataclass(frozen=True)
class TaggedPdfFacts:
    marked: bool
    has_structure_tree: bool
    lang: str
    title: str
    display_doc_title: bool
    pdfua_part: str | None
    pages: int
    pages_with_structure: int
    pages_with_tab_order_by_structure: int
    fonts: frozenset[str]
    fonts_not_embedded: frozenset[str]
    elements: Counter
    headings: tuple[str, ...]


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _structure(root: DictionaryObject) -> tuple[Counter, tuple[str, ...]]:
    """Element types of the structure tree (depth first, as a screen reader reads) and the headings among them."""
    counts: Counter = Counter()
    headings: list[str] = []
    stack = [_resolve(root)]
    while stack:
        node = stack.pop()
        if not isinstance(node, DictionaryObject):
            continue  # a marked-content id (an int) or a reference to page content
        kind = node.get("/S")
        if kind is not None:
            name = str(kind).lstrip("/")
            counts[name] += 1
            if name in ("H", "H1", "H2", "H3", "H4", "H5", "H6"):
                headings.append(name)
        kids = _resolve(node.get("/K"))
        if kids is None:
            continue
        children = list(kids) if isinstance(kids, ArrayObject) else [kids]
        stack.extend(_resolve(child) for child in reversed(children))
    return counts, tuple(headings)


def _fonts(reader: PdfReader) -> tuple[frozenset[str], frozenset[str]]:
    names, missing = set(), set()
    for page in reader.pages:
        resources = _resolve(page.get("/Resources")) or {}
        for font in (_resolve(resources.get("/Font")) or {}).values():
            font = _resolve(font)
            name = str(font["/BaseFont"]).lstrip("/")
            names.add(name)
            # Type0 (composite) fonts keep their descriptor in the descendant font.
            holder = _resolve(font["/DescendantFonts"][0]) if "/DescendantFonts" in font else font
            descriptor = _resolve(holder.get("/FontDescriptor")) or {}
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(name)
    return frozenset(names), frozenset(missing)


def tagged_pdf_facts(pdf: bytes) -> TaggedPdfFacts:
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    tree = _resolve(root.get("/StructTreeRoot"))
    elements, headings = _structure(tree) if tree is not None else (Counter(), ())
    preferences = _resolve(root.get("/ViewerPreferences")) or {}
    xmp = _resolve(root.get("/Metadata"))
    xmp_text = xmp.get_data().decode("utf-8") if xmp is not None else ""
    part = None
    if "<pdfuaid:part>" in xmp_text:
        part = xmp_text.split("<pdfuaid:part>", 1)[1].split("</pdfuaid:part>", 1)[0]
    fonts, missing = _fonts(reader)
    return TaggedPdfFacts(
        marked=bool((_resolve(root.get("/MarkInfo")) or {}).get("/Marked", False)),
        has_structure_tree=tree is not None,
        lang=str(root.get("/Lang", "")),
        title=(reader.metadata or {}).get("/Title", ""),
        display_doc_title=bool(preferences.get("/DisplayDocTitle", False)),
        pdfua_part=part,
        pages=len(reader.pages),
        pages_with_structure=sum("/StructParents" in page for page in reader.pages),
        pages_with_tab_order_by_structure=sum(page.get("/Tabs") == "/S" for page in reader.pages),
        fonts=fonts,
        fonts_not_embedded=missing,
        elements=elements,
        headings=headings,
    )


def assert_pdf_ua(pdf: bytes, *, title: str) -> TaggedPdfFacts:
    """The promises every document of the platform keeps; returns the facts for document-specific checks."""
    facts = tagged_pdf_facts(pdf)
    assert facts.marked is True
    assert facts.has_structure_tree is True
    assert facts.lang == "pl-PL"
    assert facts.title == title
    assert facts.display_doc_title is True
    assert facts.pdfua_part == "1"
    assert facts.pages_with_structure == facts.pages
    assert facts.pages_with_tab_order_by_structure == facts.pages
    assert facts.fonts_not_embedded == frozenset()
    # Our own fonts (platform/iok/fonts), subset: "ABCDEF+DejaVuSans"; never a system font.
    assert {name.split("+", 1)[1] for name in facts.fonts} <= {"DejaVuSans", "DejaVuSans-Bold"}
    assert facts.elements["Document"] == 1
    return facts
