"""Score `kg ingest` against a person's reading of real bulletins: bench/ingest_eval.py CORPUS_DIR.

For every document of CORPUS_DIR that has gold annotations in ``bench/gold/``
(matched by the SHA-256 of its bytes), the script reads it as ``kg ingest``
does, extracts its figures and scores them inside the gold's regions:

* precision and recall at three levels: value; value and unit; value, unit and
  period (an extracted figure pairs with the gold figure whose value text
  overlaps its own);
* changes: of the gold changes, how many were typed as changes of the right
  type and attached to the right level (or to none, where the level is not a
  figure); and their base periods;
* per construction (space before a unit, a line break inside a figure, a table
  cell, a money total, a decrease, a point change, per mille, a rate per 10,000
  or 100,000, a year-end stock, a count in 个, a Chinese numeral, a footnote
  marker beside the figure), the recall at the third level;
* review noise: items kept for review that are no figure, as a share of every
  item the extractor keeps;
* speed: seconds per document, and for a 30-page bulletin (the longest gold
  document repeated to 30 pages of 1,500 characters).

It writes ``docs/ingest-evaluation.md`` (or ``-o``) and prints a summary, with
each document that falls short of a target. The corpus is not ours: nothing of
its text is written, only numbers and offsets. Without CORPUS_DIR it says it
skipped, and exits 0. With ``--check`` it exits 1 when a document falls below
its floor: the target, or, where the rules are known to fall short of it on a
held-out document, the score recorded in ``bench/gold/floors.json`` (so that CI
catches a regression without pretending the shortfall away). A gold file that
no longer lands on its document (the reader changed) ends it with exit 1.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.ingest import extract_document, read_document  # noqa: E402
from kg.ingest.figures import Figure  # noqa: E402

GOLD = ROOT / "bench" / "gold"
PAGE = 1500  # characters on a page of a bulletin, roughly

TARGETS = {"precision": 0.95, "recall": 0.90, "changes": 0.95, "noise": 0.05}


@dataclass
class Gold:
    start: int
    end: int
    value: Decimal
    unit: str
    period: str
    kind: str
    change: str | None = None
    of: int | None = None
    base: str | None = None


@dataclass
class DocGold:
    sha256: str
    text_sha256: str
    reader: str
    year: int | None
    role: str = "development"  # development: the rules were written beside it; held-out: not
    first_scored: dict | None = None  # its scores when it was first read as held-out
    regions: list[tuple[int, int]] = field(default_factory=list)
    figures: list[Gold] = field(default_factory=list)
    annotators: list[str] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)


def load_gold(folder: Path = GOLD) -> dict[str, DocGold]:
    docs: dict[str, DocGold] = {}
    for path in sorted(folder.glob("*.*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        d = data["document"]
        doc = docs.setdefault(
            d["sha256"],
            DocGold(
                d["sha256"],
                d["text_sha256"],
                d["reader"],
                d.get("year"),
                d.get("role", "development"),
                d.get("first_scored"),
            ),
        )
        doc.regions += [tuple(r) for r in data["regions"]]  # type: ignore[misc]
        doc.annotators.append(data.get("annotator", "?"))
        doc.checks += data.get("checks", [])
        for f in data["figures"]:
            doc.figures.append(
                Gold(
                    f["start"],
                    f["end"],
                    Decimal(f["value"]),
                    f["unit"],
                    f["period"],
                    f["kind"],
                    f.get("change"),
                    f.get("of"),
                    f.get("base"),
                )
            )
    for doc in docs.values():
        doc.figures.sort(key=lambda g: g.start)
    return docs


def inside(regions: list[tuple[int, int]], start: int) -> bool:
    return any(a <= start < b for a, b in regions)


def pair(golds: list[Gold], found: list[Figure]) -> dict[int, Figure]:
    """Gold index -> extracted figure, by overlapping value texts (the closest start first)."""
    pairs: dict[int, Figure] = {}
    used: set[int] = set()
    candidates = []
    for gi, g in enumerate(golds):
        for fi, f in enumerate(found):
            if f.start < g.end and g.start < f.end:
                candidates.append((abs(f.start - g.start), gi, fi))
    for _, gi, fi in sorted(candidates):
        if gi in pairs or fi in used:
            continue
        pairs[gi] = found[fi]
        used.add(fi)
    return pairs


def constructions(g: Gold, text: str, tables: list[tuple[int, int]]) -> list[str]:
    span = text[g.start : g.end]
    tags = []
    if re.search(r"\d[ \u3000\xa0]+\S", span):
        tags.append("space before unit or multiplier")
    if "\n" in span:
        tags.append("line break inside")
    if any(a <= g.start < b for a, b in tables):
        tags.append("table cell")
    if g.unit.startswith("CCY_") and re.search("[万亿]", span):
        tags.append("money total (万元, 亿元)")
    if g.kind == "change" and g.value < 0:
        tags.append("decrease")
    if g.change in ("percentage-points", "per-mille-points"):
        tags.append("point change")
    if g.change == "absolute":
        tags.append("absolute change")
    if g.change == "relative":
        tags.append("relative change")
    if g.unit == "PERMILLE":
        tags.append("per mille")
    if g.unit in ("PER-10000", "PER-100000"):
        tags.append("rate per 10,000 or 100,000")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", g.period):
        tags.append("year-end stock or cut-off")
    if re.fullmatch(r"\d{4}-(?:Q[1-4]|H[12]|\d{2})|\d{4}(?:-\d{2})?/\d{4}(?:-\d{2})?", g.period):
        tags.append("quarter, month or span")
    if re.search("个$", span.strip()):
        tags.append("count in 个")
    if re.search("[一二三四五六七八九十百千]", span):
        tags.append("Chinese numeral")
    if re.search(r"\[\d+\]", text[max(0, g.start - 5) : g.end + 5]):
        tags.append("footnote marker beside it")
    if re.search("[万亿]", span):
        tags.append("万 or 亿")
    return tags


@dataclass
class Counts:
    gold: int = 0
    found: int = 0
    value: int = 0
    unit: int = 0
    period: int = 0

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.found += other.found
        self.value += other.value
        self.unit += other.unit
        self.period += other.period


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def score_document(doc_gold: DocGold, path: Path) -> dict:
    doc = read_document(path)
    if doc.text_sha256 != doc_gold.text_sha256:
        raise SystemExit(
            f"{path.name}: the reader's text is not the one the gold indexes "
            f"(text SHA-256 {doc.text_sha256[:16]}, gold {doc_gold.text_sha256[:16]}): "
            "re-key the gold"
        )
    started = time.perf_counter()
    extraction = extract_document(doc)  # the year as kg ingest finds it, per bulletin
    seconds = time.perf_counter() - started
    text = doc.text
    for g in doc_gold.figures:
        if not re.search(r"\d|[〇零一二两三四五六七八九十百千万亿]", text[g.start : g.end]):
            raise SystemExit(f"{path.name}: gold figure at {g.start} is not on a number")
    regions = doc_gold.regions
    found = [f for f in extraction.figures if inside(regions, f.start)]
    golds = [g for g in doc_gold.figures if inside(regions, g.start)]
    pairs = pair(golds, found)
    counts = Counts(gold=len(golds), found=len(found))
    by_start = {g.start: g for g in golds}
    construction: dict[str, Counts] = defaultdict(Counts)
    table_spans = [(t.start, t.end) for t in doc.tables]
    misses: list[str] = []
    changes_gold = changes_ok = 0
    change_misses: list[str] = []
    base_total = base_ok = 0
    changes_found = sum(1 for f in found if f.kind == "change")
    changes_found_ok = 0
    for gi, g in enumerate(golds):
        f = pairs.get(gi)
        ok_value = f is not None and f.value == g.value
        ok_unit = ok_value and f is not None and f.unit == g.unit
        ok_period = ok_unit and f is not None and f.period == g.period
        counts.value += ok_value
        counts.unit += ok_unit
        counts.period += ok_period
        for tag in constructions(g, text, table_spans):
            c = construction[tag]
            c.gold += 1
            c.value += ok_value
            c.unit += ok_unit
            c.period += ok_period
        if not ok_period:
            if f is None:
                misses.append(f"{g.start}: missed ({g.kind}, {g.unit}, {g.period})")
            else:
                misses.append(
                    f"{g.start}: got {f.value} {f.unit} {f.period}, "
                    f"gold {g.value} {g.unit} {g.period}"
                )
        if g.kind == "change":
            changes_gold += 1
            typed = (
                f is not None and f.kind == "change" and f.change == g.change and f.value == g.value
            )
            if g.of is None:
                attached = f is not None and f.of is None
            else:
                level = by_start.get(g.of)
                attached = (
                    f is not None
                    and f.of is not None
                    and level is not None
                    and f.of.start < level.end
                    and level.start < f.of.end
                )
            if typed and attached:
                changes_ok += 1
                changes_found_ok += 1
            else:
                change_misses.append(
                    f"{g.start}: gold {g.change} of {g.of}; got "
                    + (
                        f"{f.kind} {f.change} {f.value} of {f.of.start if f.of else None}"
                        if f
                        else "nothing"
                    )
                )
            if f is not None and f.kind == "change" and g.base:
                base_total += 1
                base_ok += f.base == g.base
    matched = set(id(f) for f in pairs.values())
    false = [f for f in found if id(f) not in matched]
    review = [r for r in extraction.review if inside(regions, r.start)]
    noise = [r for r in review if not any(g.start < r.end and r.start < g.end for g in golds)]
    return {
        "name": path.name,
        "role": doc_gold.role,
        "first_scored": doc_gold.first_scored,
        "sha16": doc_gold.sha256[:16],
        "chars": len(text),
        "seconds": seconds,
        "counts": counts,
        "construction": construction,
        "changes_gold": changes_gold,
        "changes_ok": changes_ok,
        "changes_found": changes_found,
        "changes_found_ok": changes_found_ok,
        "base_total": base_total,
        "base_ok": base_ok,
        "review": len(review),
        "noise": len(noise),
        "kept": len(found) + len(review),
        "misses": misses,
        "change_misses": change_misses,
        "false": [f"{f.start}: {f.value} {f.unit} {f.period} ({f.kind})" for f in false],
        "annotators": doc_gold.annotators,
        "checks": doc_gold.checks,
        "tables": len(doc.tables),
        "path": path,
    }


def speed(path: Path, year: int | None) -> float:
    """Seconds to extract a 30-page bulletin: the document's text repeated to 45,000 characters."""
    doc = read_document(path)
    repeats = max(1, -(-30 * PAGE // len(doc.text)))
    doc.text = "\n\n".join([doc.text] * repeats)
    doc.tables = []
    started = time.perf_counter()
    extract_document(doc)
    return time.perf_counter() - started


def markdown(results: list[dict], page_seconds: float, page_doc: str) -> str:
    lines = [
        "# Ingest: evaluation on real bulletins",
        "",
        "Generated by `python bench/ingest_eval.py CORPUS_DIR`; do not edit.",
        "",
        "`kg ingest`'s rules read each document of the corpus that has gold",
        "annotations (`bench/gold/`: a person's reading, keyed by the document's SHA-256;",
        "see `bench/gold/README.md` for the guidelines). An extracted figure pairs with the",
        "gold figure whose value text overlaps its own. Precision and recall are given at",
        "three levels: the value; the value and unit; the value, unit and period. A change",
        "is *typed and attached* when it is a change of the gold's type (relative, percentage",
        "or per-mille points, absolute) with the gold's value, of the same level (or of none",
        "where the text states no level). *Noise* is the share of the items the extractor",
        "keeps (figures and review items) that are review items over no figure.",
        "",
        "*Development* documents are those the rules were written beside: read their",
        "numbers as in-sample. *Held-out* documents were annotated after the rules were",
        "frozen and never used to change them: they say how the rules read a bulletin",
        "nobody wrote them for.",
        "",
        f"Targets: value+unit+period precision >= {TARGETS['precision']}, recall >= "
        f"{TARGETS['recall']}; changes typed and attached >= {TARGETS['changes']}; noise < "
        f"{TARGETS['noise']:.0%}.",
        "",
        "| document | gold | found | P value | R value | P +unit | R +unit | P +period | R +period "
        "| changes typed and attached | base period | review | noise |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total = Counts()
    totals = defaultdict(int)
    for r in results:
        c: Counts = r["counts"]
        total.add(c)
        for key in (
            "changes_gold",
            "changes_ok",
            "base_total",
            "base_ok",
            "review",
            "noise",
            "kept",
        ):
            totals[key] += r[key]
        lines.append(_row(f"{r['name']} ({r['role']})", c, r))
    lines.append(_row("**all**", total, totals))
    for role in ("development", "held-out"):
        mine = [r for r in results if r["role"] == role]
        if not mine or len(mine) == len(results):
            continue
        sub = Counts()
        subtotals: dict[str, int] = defaultdict(int)
        for r in mine:
            sub.add(r["counts"])
            for key in (
                "changes_gold",
                "changes_ok",
                "base_total",
                "base_ok",
                "review",
                "noise",
                "kept",
            ):
                subtotals[key] += r[key]
        lines.append(_row(f"**{role}**", sub, subtotals))
    first = [r for r in results if r["first_scored"]]
    if first:
        lines += [
            "",
            "## First read as held-out",
            "",
            "These documents were annotated after the rules were frozen and scored once with",
            "those rules, before anything was changed for them: what the rules did on a",
            "document nobody wrote them for. The rules were then changed after reading their",
            "errors, so the table above reads them as development documents.",
            "",
            "| document | rules (commit) | P +period | R +period | changes | noise "
            "| what was changed after |",
            "|---|---|---:|---:|---:|---:|---|",
        ]
        for r in first:
            f = r["first_scored"]
            sc = f["scores"]
            why = f["note"].split("(", 1)[1].rstrip(")") if "(" in f["note"] else ""
            lines.append(
                f"| {r['name']} | `{f['rules']}` | {sc['precision']:.3f} | {sc['recall']:.3f} "
                f"| {sc['changes']:.3f} | {sc['noise']:.1%} | {why} |"
            )
    lines += [
        "",
        "## By construction",
        "",
        "Recall at the third level (value, unit and period) of the gold figures of each kind,",
        "over all documents.",
        "",
        "| construction | gold figures | value | +unit | +period |",
        "|---|---:|---:|---:|---:|",
    ]
    merged: dict[str, Counts] = defaultdict(Counts)
    for r in results:
        for tag, c in r["construction"].items():
            merged[tag].add(c)
    for tag in sorted(merged, key=lambda t: -merged[t].gold):
        c = merged[tag]
        lines.append(
            f"| {tag} | {c.gold} | {ratio(c.value, c.gold):.3f} | {ratio(c.unit, c.gold):.3f} "
            f"| {ratio(c.period, c.gold):.3f} |"
        )
    lines += [
        "",
        "## Speed",
        "",
        "| document | characters | seconds |",
        "|---|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r['name']} | {r['chars']} | {r['seconds']:.2f} |")
    lines += [
        "",
        f"A 30-page bulletin ({30 * PAGE:,} characters: {page_doc} repeated) took "
        f"{page_seconds:.2f} s (target: under 2 s).",
        "",
        "## Gold",
        "",
        "| document | SHA-256 (first 16) | annotators | second reader's check |",
        "|---|---|---|---|",
    ]
    for r in results:
        checks = "; ".join(_check(c) for c in r["checks"]) or "none yet"
        lines.append(f"| {r['name']} | `{r['sha16']}` | {', '.join(r['annotators'])} | {checks} |")
    lines += [
        "",
        "## What was missed or wrong",
        "",
        "Offsets into each document's text; the first 40 of each document.",
    ]
    for r in results:
        lines += ["", f"### {r['name']}", ""]
        lines += [f"- {m}" for m in r["misses"][:40]] or ["Nothing."]
        if r["false"]:
            lines += ["", "Extracted, not in the gold:", ""]
            lines += [f"- {m}" for m in r["false"][:40]]
        if r["change_misses"]:
            lines += ["", "Changes not typed or not attached as in the gold:", ""]
            lines += [f"- {m}" for m in r["change_misses"][:40]]
    return "\n".join(lines) + "\n"


def _check(c: dict) -> str:
    """A second reader's blind check, field by field."""
    return (
        f"{c.get('reader', '?')}, blind, {c.get('sampled', '?')} positions: figure or not "
        f"{c.get('agreed_figure_or_not', '?')}, value {c.get('agreed_value', '?')}, unit "
        f"{c.get('agreed_unit', '?')}, period {c.get('agreed_period', '?')}, attachment "
        f"{c.get('agreed_attachment', '?')} agreed; {c.get('disagreements', '')}"
    )


def _row(name: str, c: Counts, r: dict) -> str:
    return (
        f"| {name} | {c.gold} | {c.found} | {ratio(c.value, c.found):.3f} "
        f"| {ratio(c.value, c.gold):.3f} | {ratio(c.unit, c.found):.3f} "
        f"| {ratio(c.unit, c.gold):.3f} | {ratio(c.period, c.found):.3f} "
        f"| {ratio(c.period, c.gold):.3f} | {ratio(r['changes_ok'], r['changes_gold']):.3f} "
        f"({r['changes_ok']}/{r['changes_gold']}) | {ratio(r['base_ok'], r['base_total']):.3f} "
        f"| {r['review']} | {ratio(r['noise'], r['kept']):.1%} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, help="the folder of documents (../shared/corpus)")
    parser.add_argument("-o", "--output", default=str(ROOT / "docs" / "ingest-evaluation.md"))
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when a document falls below its floor (the target, or bench/gold/floors.json)",
    )
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"skipped: {args.corpus} is not here (the corpus is not ours; CI has it)")
        return 0
    gold = load_gold()
    results = []
    for path in sorted(args.corpus.iterdir()):
        if not path.is_file():
            continue
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        if sha in gold:
            results.append(score_document(gold[sha], path))
    if not results:
        print(f"{args.corpus}: no document with gold annotations", file=sys.stderr)
        return 2
    longest = max(results, key=lambda r: r["chars"])
    page_seconds = speed(
        longest["path"], gold[next(g for g in gold if g.startswith(longest["sha16"]))].year
    )
    text = markdown(results, page_seconds, longest["name"])
    Path(args.output).write_text(text, encoding="utf-8")
    for r in results:
        c = r["counts"]
        print(
            f"{r['name']}: P {ratio(c.period, c.found):.3f} R {ratio(c.period, c.gold):.3f} "
            f"(value P {ratio(c.value, c.found):.3f} R {ratio(c.value, c.gold):.3f}; "
            f"+unit P {ratio(c.unit, c.found):.3f} R {ratio(c.unit, c.gold):.3f}) "
            f"changes {ratio(r['changes_ok'], r['changes_gold']):.3f} "
            f"noise {ratio(r['noise'], r['kept']):.1%} in {r['seconds']:.2f} s"
        )
        if args.verbose:
            for m in r["misses"]:
                print("  miss", m)
            for m in r["false"]:
                print("  false", m)
            for m in r["change_misses"]:
                print("  change", m)
    print(f"30 pages in {page_seconds:.2f} s; wrote {args.output}")
    floors_path = GOLD / "floors.json"
    floors = json.loads(floors_path.read_text(encoding="utf-8")) if floors_path.is_file() else {}
    missed = [m for r in results for m in _missed(r, floors)]
    for r in results:
        for key, value in _scores(r).items():
            target = TARGETS[key]
            short = value >= target if key == "noise" else value < target
            if short:
                print(f"short of the target: {r['name']}: {key} {value:.3f} (target {target})")
    for line in missed:
        print(f"below its floor: {line}")
    return 1 if args.check and missed else 0


def _scores(r: dict) -> dict[str, float]:
    c: Counts = r["counts"]
    return {
        "precision": ratio(c.period, c.found),
        "recall": ratio(c.period, c.gold),
        "changes": ratio(r["changes_ok"], r["changes_gold"]),
        "noise": ratio(r["noise"], r["kept"]),
    }


def _missed(r: dict, floors: dict[str, dict[str, float]]) -> list[str]:
    """Where a document is below its floor: the target, or the score recorded in
    bench/gold/floors.json where the rules are known to fall short of the target."""
    floor = {**TARGETS, **floors.get(r["sha16"], {})}
    out = []
    for key, value in _scores(r).items():
        if key == "noise":
            if value >= floor[key]:
                out.append(f"{r['name']}: noise {value:.1%} (floor {floor[key]:.1%})")
        elif value < floor[key]:
            out.append(f"{r['name']}: {key} {value:.3f} (floor {floor[key]:.3f})")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
