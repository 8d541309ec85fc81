"""Compare what the rules find in a shipped notice with its curated sheet (in-sample).

The curated sheet is a person's reading of the same text, so this is a check
that the rules still read the notice they ship with; how they read documents
they were not written beside is measured by ``bench/ingest_eval.py`` against
gold readings of real bulletins (``docs/ingest-evaluation.md``).

Figures pair by overlapping value passages and are correct when value, unit and
period agree (and, for a level, its year-on-year growth); changes must also
agree on change type and on the level they qualify. Tasks must have the curated
offsets exactly; organisations compare the agencies and people the curated
graph names with those the rules find.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, URIRef

from kg import resources
from kg.errors import InputError
from kg.ingest.figures import Extraction, Figure
from kg.ingest.notice import NoticeParts
from kg.namespaces import AGENCY, PERSON


@dataclass
class Score:
    """Precision, recall and F1 of one kind of item, with what went wrong."""

    kind: str
    extracted: int
    gold: int
    correct: int
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class _Curated:
    id: str
    value: Decimal
    unit: str | None
    period: str
    span: tuple[int, int]
    kind: str
    change: str | None = None
    qualifies: str | None = None


def _curated(sheet_path: Path, text: str) -> dict[str, _Curated]:
    from kg.build import load_sheet

    sheet = load_sheet(sheet_path)
    default = str(sheet["document"]["default_period"])
    rows: dict[str, _Curated] = {}
    for row in sheet.get("figure", []):
        kind = row.get("kind", "figure")
        if kind not in ("figure", "growth", "change"):
            continue
        quote_start = text.find(row["quote"])
        start = text.find(row["value_text"], quote_start, quote_start + len(row["quote"]))
        rows[row["id"]] = _Curated(
            row["id"],
            Decimal(row["value"]),
            row.get("unit", "PERCENT" if kind != "figure" else None),
            str(row.get("period", default)),
            (start, start + len(row["value_text"])),
            "level" if kind == "figure" else "change",
            row.get("change_type", "relative") if kind != "figure" else None,
            row.get("qualifies"),
        )
    for row in rows.values():  # a change has the period of what it qualifies
        if row.kind == "change" and row.qualifies in rows:
            row.period = rows[row.qualifies].period
    return rows


def _overlaps(span: tuple[int, int], figure: Figure) -> bool:
    return span[0] < figure.end and figure.start < span[1]


def _describe(f: Figure) -> str:
    return f"{f.value_text!r} at {f.start}: {f.value} {f.unit} {f.period}"


def evaluate(
    found: Extraction, parts: NoticeParts, sheet_path: Path, notice_path: Path
) -> list[Score]:
    text = found.text
    curated = _curated(sheet_path, text)
    matched: dict[str, Figure] = {}
    scores: list[Score] = []
    for kind in ("level", "change"):
        gold = {k: v for k, v in curated.items() if v.kind == kind}
        mine = [f for f in found.figures if f.kind == kind]
        score = Score("figure" if kind == "level" else "change", len(mine), len(gold), 0)
        for f in mine:
            hit = next(
                (g for g in gold.values() if g.id not in matched and _overlaps(g.span, f)), None
            )
            if hit is None:
                score.false.append(_describe(f))
                continue
            matched[hit.id] = f
            wrong = [
                what
                for what, ok in (
                    ("value", f.value == hit.value),
                    ("unit", f.unit == hit.unit),
                    ("period", f.period == hit.period),
                    ("change type", f.change == hit.change),
                    (
                        "level",
                        kind == "level"
                        or (
                            hit.qualifies in curated
                            and f.of is not None
                            and _overlaps(curated[hit.qualifies].span, f.of)
                        ),
                    ),
                )
                if not ok
            ]
            if wrong:
                score.false.append(f"{_describe(f)}: wrong {', '.join(wrong)} (curated {hit.id})")
                score.misses.append(hit.id)
            else:
                score.correct += 1
        score.misses += [g for g in gold if g not in matched]
        scores.append(score)

    from kg.build import load_sheet

    sheet = load_sheet(sheet_path)
    gold_tasks: set[tuple[int, int]] = set()
    for row in sheet.get("task", []):
        for quote in [row["quote"], *(s["quote"] for s in row.get("sub", []))]:
            start = text.find(quote)
            gold_tasks.add((start, start + len(quote)))
    spans = [t.quote for t in parts.tasks] + [s for t in parts.tasks for s in t.subs]
    spans_found = {(s.start, s.end) for s in spans}
    task = Score("task", len(spans_found), len(gold_tasks), len(spans_found & gold_tasks))
    task.misses = [repr(text[a:b]) for a, b in sorted(gold_tasks - spans_found)]
    task.false = [repr(text[a:b]) for a, b in sorted(spans_found - gold_tasks)]
    scores.append(task)

    graph = Graph()
    graph.parse(notice_path, format="turtle")
    gold_agents = {
        str(o)
        for o in graph.objects()
        if isinstance(o, URIRef) and str(o).startswith((str(AGENCY), str(PERSON)))
    }
    agents = {str(a.iri) for a in parts.agencies if a.iri is not None}
    agents |= {str(p.iri) for p in parts.people if p.iri is not None}
    org = Score("organisation", len(agents), len(gold_agents), len(agents & gold_agents))
    org.misses = sorted(_short(a) for a in gold_agents - agents)
    org.false = sorted(_short(a) for a in agents - gold_agents)
    scores.append(org)
    return scores


def _short(iri: str) -> str:
    for prefix, base in (("agency:", str(AGENCY)), ("person:", str(PERSON))):
        if iri.startswith(base):
            return prefix + iri[len(base) :]
    return iri


def evaluation_markdown(scores: list[Score], source_name: str, sheet_name: str) -> str:
    """The evaluation as Markdown (no dates: the same bytes on every run)."""
    lines = [
        "# Ingest: in-sample check on the shipped notice",
        "",
        f"Generated by `kg ingest data/source/{source_name} --evaluate`; do not edit.",
        "",
        f"The rules of `kg/ingest/` read `data/source/{source_name}`, and what they found was",
        f"compared with the curated reading `data/curation/{sheet_name}`. Figures pair by",
        "overlapping value passages and are correct only when value, unit and period agree;",
        "changes must also agree on change type and on the figure they qualify. Tasks must",
        "have the curated offsets exactly; organisations compare the agencies and people the",
        "curated graph names with those found. Corrected readings, statements, year-end",
        "arrangements and areas of responsibility are not extracted.",
        "",
        "These numbers are in-sample. How the rules read real bulletins they were not",
        "written beside is in [`ingest-evaluation.md`](ingest-evaluation.md).",
        "",
        "| kind | extracted | curated | correct | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        lines.append(
            f"| {s.kind} | {s.extracted} | {s.gold} | {s.correct} | "
            f"{s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |"
        )
    for s in scores:
        lines += ["", f"## {s.kind}", ""]
        if not s.misses and not s.false:
            lines.append("No misses, nothing extra.")
        for miss in s.misses:
            lines.append(f"- missed or wrong: {miss}")
        for extra in s.false:
            lines.append(f"- not in the curated graph (or wrong): {extra}")
    return "\n".join(lines) + "\n"


def sheet_for(source: Path) -> tuple[Path, Path]:
    """The curation sheet and the built notice Turtle whose source text is ``source``."""
    from kg.build import is_draft, load_sheet, notice_output_path

    for sheet in resources.curation_files():
        data = load_sheet(sheet)
        if data["document"].get("source") == source.name and not is_draft(data):
            return sheet, notice_output_path(sheet)
    raise InputError(
        f"{source}: no reviewed curation sheet names this text, nothing to evaluate against"
    )


__all__ = ["Score", "evaluate", "evaluation_markdown", "sheet_for"]
