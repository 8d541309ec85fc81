"""``kg ingest``: a published document to a curation sheet, for a person to review.

The road from a document to the graph has one path:

1. :func:`read_document` turns a file (UTF-8 or GB18030 text, Markdown, Word,
   HTML, PDF) into one text and its tables (:mod:`kg.ingest.read`);
2. :func:`extract_document` finds its figures, in the prose
   (:mod:`kg.ingest.figures`) and in its tables (:mod:`kg.ingest.tables`), with
   the units, count nouns and indicators of the ontology (:mod:`kg.ingest.lexicon`),
   and the numbered tasks, agencies and people of a notice (:mod:`kg.ingest.notice`);
3. :func:`kg.ingest.sheet.write_sheet` writes them as a curation sheet in the
   format of ``data/curation/*.toml``, every item with its exact quote, its
   offsets and a review note where the rules were unsure;
4. a person reviews the sheet; ``kg build`` turns it into the notice's Turtle,
   its own named graph, with the one module that writes figure triples
   (:mod:`kg.build`).

>>> from kg.ingest.read import read_bytes
>>> doc = read_bytes("2024年统计公报\\n全年社会组织89.2万个，比上年增长1.7%。".encode(), "a.txt")
>>> found = extract_document(doc)
>>> [(f.value_text, str(f.value), f.unit, f.counts, f.period, f.kind) for f in found.figures]
[('89.2万个', '892000', 'NUM', 'organisation', '2024', 'level'), \
('1.7%', '1.7', 'PERCENT', None, '2024', 'change')]
"""

from __future__ import annotations

from pathlib import Path

from kg.ingest.figures import Extraction, Figure, ProseExtractor, ReviewItem
from kg.ingest.read import SourceDocument, read_bytes, read_document
from kg.ingest.tables import extract_tables, flattened_tables


def extract_document(doc: SourceDocument, year: int | None = None) -> Extraction:
    """Every figure of a document, prose and tables, in text order; and what needs review."""
    flat = flattened_tables(doc.text)
    prose = ProseExtractor(doc, year)
    prose.excluded.extend(flat)
    result = prose.run()
    tables = extract_tables(doc, result.year, prose.period_at)
    result.figures.extend(tables.figures)
    result.review.extend(tables.review)
    result.figures.sort(key=lambda f: f.start)
    result.review.sort(key=lambda r: r.start)
    return result


def ingest_file(path: Path, year: int | None = None) -> tuple[SourceDocument, Extraction]:
    """Read a file and extract its figures."""
    doc = read_document(path)
    return doc, extract_document(doc, year)


__all__ = [
    "Extraction",
    "Figure",
    "ReviewItem",
    "SourceDocument",
    "extract_document",
    "ingest_file",
    "read_bytes",
    "read_document",
]
