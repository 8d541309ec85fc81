"""A curation sheet from an extraction: the same format as ``data/curation/*.toml``.

Every row carries its exact quote and its offsets into the shipped text
(``start``/``end`` of the quote, ``value_start`` of the value text), so that
``kg build`` never has to search for it; a ``review`` key says why the rules
were unsure. ``[document] status = "draft"`` until a person has checked the
sheet: ``kg build`` builds only reviewed sheets, and refuses one that still has a
``review`` key.

>>> from kg.ingest import extract_document, read_bytes
>>> doc = read_bytes("2024年统计公报\\n年末全国共有养老机构4.1万个。".encode(), "a.txt")
>>> sheet = sheet_data(doc, extract_document(doc), "demo", "demo.txt")
>>> row = sheet["figure"][0]
>>> row["value"], row["unit"], row["stat_unit"], row["period"], row["indicator"]
('41000', 'NUM', 'organisation', '2024-12-31', 'elderly-care-institutions')
"""

from __future__ import annotations

import re
from typing import Any

import tomli_w

from kg.ingest.figures import Extraction, Figure
from kg.ingest.lexicon import Lexicon
from kg.ingest.notice import NoticeParts
from kg.ingest.numbers import decimal_text
from kg.ingest.read import SourceDocument

HEADER = """\
# Curation sheet drafted by `kg ingest` from {original} ({format}, SHA-256 {sha16}).
#
# A DRAFT until a person has read it against the text. The text its offsets index is
# data/source/{source}: every `quote` is text[start:end] there, every `value_text`
# starts at `value_start`. For each row: check the value, unit, period and the figure
# a change qualifies; fix what is wrong; delete its `review` key. A proposed indicator
# ([[indicator]]) needs an English label, or its figures mapped to an indicator of
# ontology/concepts.ttl (add the words as an skos:altLabel there and the ingester will
# find it next time). Rows you do not want: delete them. When no `review` key is left,
# set `status = "reviewed"`; `kg build` then turns the sheet into data/notices/{id}.ttl.

"""


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-")


def _title(doc: SourceDocument) -> tuple[str, tuple[int, int] | None]:
    for match in re.finditer(r"[^\n]+", doc.text[:2000]):
        line = match.group().strip(" \t\u3000#")
        if len(line) >= 4 and not re.fullmatch(r"[\d\s.\-—年月日]+", line):
            start = doc.text.index(line, match.start())
            return "".join(line.split()), (start, start + len(line))
    return "", None


def sheet_data(
    doc: SourceDocument,
    found: Extraction,
    doc_id: str,
    source_name: str,
    notice: NoticeParts | None = None,
) -> dict[str, Any]:
    """The sheet as a TOML-ready dict."""
    lex = Lexicon.load()
    title, title_span = _title(doc)
    document: dict[str, Any] = {
        "id": doc_id,
        "status": "draft",
        "source": source_name,
        "source_sha256": doc.text_sha256,
        "original": doc.name,
        "original_sha256": doc.sha256,
        "format": doc.format,
        "title_zh": title,
        "title_en": "",
    }
    if title_span:
        document["title_start"], document["title_end"] = title_span
    if found.year:
        document["default_period"] = str(found.year)
    document["default_area"] = "CN"
    # every figure is about an area, a scope and a group (Data Cube dimensions): without
    # an urban or rural split the scope is the whole area, and most bulletin figures are
    # about no beneficiary group
    document["default_scope"] = "national"
    document["default_group"] = "not-applicable"
    document["review"] = (
        "give the English title (title_en) and the area the figures are about "
        "(default_area: a place of data/reference.ttl)"
    )
    sheet: dict[str, Any] = {"document": document}
    ids: dict[int, str] = {}
    proposed: dict[tuple[str, str | None], str] = {}
    indicators: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    for number, figure in enumerate(found.figures, start=1):
        ids[id(figure)] = f"f{number:04d}"
    for figure in found.figures:
        row = _figure_row(figure, ids, doc.text, lex)
        if figure.kind == "level" or figure.of is None:
            indicator = row.get("indicator") or row.get("change_of")
            if indicator is None:
                label = _label_zh(figure)
                unit = figure.unit if figure.kind == "level" else None
                key = (label, unit)
                if key not in proposed:
                    proposed[key] = f"p{len(proposed) + 1:03d}"
                    entry = {
                        "id": proposed[key],
                        "label_zh": label,
                        "label_en": "",
                        "review": "a proposed indicator: give its English label, or map its "
                        "figures to an indicator of ontology/concepts.ttl",
                    }
                    if unit:
                        entry["unit"] = unit
                    indicators.append(entry)
                row["change_of" if figure.kind == "change" else "indicator"] = (
                    "proposed:" + proposed[key]
                )
        rows.append(row)
    if indicators:
        sheet["indicator"] = indicators
    if rows:
        sheet["figure"] = rows
    items = []
    for item in found.review:
        items.append(
            {
                "note": item.note,
                "quote": doc.text[item.start : item.end],
                "start": item.start,
                "end": item.end,
            }
        )
    if items:
        sheet["review"] = items
    if notice is not None:
        _notice_rows(sheet, notice)
    return sheet


def _label_zh(figure: Figure) -> str:
    label = "".join(figure.subject.split()) or "（未命名）"
    return label[:60]


def _figure_row(figure: Figure, ids: dict[int, str], text: str, lex: Lexicon) -> dict[str, Any]:
    start, end = figure.quote
    if not (start <= figure.start and figure.end <= end):
        start, end = min(start, figure.start), max(end, figure.end)
    row: dict[str, Any] = {"id": ids[id(figure)]}
    if figure.kind == "change":
        row["kind"] = "change"
        row["change_type"] = figure.change or "relative"
    row["quote"] = text[start:end]
    row["start"], row["end"] = start, end
    row["value_text"] = figure.value_text
    row["value_start"] = figure.start
    row["value"] = decimal_text(figure.value)
    notes = list(figure.notes)
    if figure.unit:
        row["unit"] = figure.unit
    if figure.counts:
        row["stat_unit"] = figure.counts
    if figure.period:
        row["period"] = figure.period
    if figure.kind == "change":
        if figure.of is not None:
            row["qualifies"] = ids[id(figure.of)]
        if figure.base:
            row["base_period"] = figure.base
        elif figure.period:
            notes.append("no base period")
    else:
        if figure.indicator:
            row["indicator"] = figure.indicator
        en = lex.indicator_names.get(figure.indicator or "", ("", ""))[1]
        row["label_zh"] = _label_zh(figure)
        row["label_en"] = en
        if not en:
            notes.append("give the figure's English label (label_en)")
        if figure.scope:
            row["scope"] = figure.scope
        if figure.qualifier:
            row["qualifier"] = figure.qualifier
        if figure.first_time:
            row["first_time"] = True
    if figure.kind == "change" and figure.of is None:
        notes.append("a change whose level the text does not state: check what it is of")
    if notes:
        row["review"] = "; ".join(dict.fromkeys(notes))
    return row


def _notice_rows(sheet: dict[str, Any], notice: NoticeParts) -> None:
    tasks = []
    for task in notice.tasks:
        row: dict[str, Any] = {
            "id": str(task.number),
            "quote": task.quote.text,
            "start": task.quote.start,
            "end": task.quote.end,
            "label_en": "",
            "area": [],
            "review": "give the English label and the policy area (area) of this key task",
        }
        if task.subs:
            row["sub"] = [
                {"quote": s.text, "start": s.start, "end": s.end, "label_en": "", "area": []}
                for s in task.subs
            ]
        tasks.append(row)
    if tasks:
        sheet["task"] = tasks
    mentions = []
    for agency in notice.agencies:
        entry: dict[str, Any] = {
            "quote": agency.span.text,
            "start": agency.span.start,
            "end": agency.span.end,
        }
        if agency.iri is not None:
            entry["agency"] = str(agency.iri).rsplit("/", 1)[-1]
        else:
            entry["name"] = agency.name
            entry["review"] = "an agency not in data/reference.ttl: add it there, or delete the row"
        mentions.append(entry)
    for person in notice.people:
        entry = {"quote": person.span.text, "start": person.span.start, "end": person.span.end}
        if person.iri is not None:
            entry["person"] = str(person.iri).rsplit("/", 1)[-1]
        else:
            entry["name"] = person.name
            entry["review"] = (
                "a person not in data/reference.ttl: add them there, or delete the row"
            )
        mentions.append(entry)
    if mentions:
        sheet["mention"] = mentions


def sheet_toml(sheet: dict[str, Any]) -> str:
    """The sheet as TOML, with the reviewer's instructions as its header."""
    document = sheet["document"]
    header = HEADER.format(
        original=document["original"],
        format=document["format"],
        sha16=document["original_sha256"][:16],
        source=document["source"],
        id=document["id"],
    )
    return header + tomli_w.dumps(sheet, multiline_strings=False)


def review_count(sheet: dict[str, Any]) -> int:
    """How many rows of a sheet still carry a review note."""
    count = 1 if "review" in sheet.get("document", {}) else 0
    for key in ("indicator", "figure", "task", "mention"):
        count += sum(1 for row in sheet.get(key, []) if "review" in row)
    return count + len(sheet.get("review", []))


__all__ = ["review_count", "sheet_data", "sheet_toml"]
