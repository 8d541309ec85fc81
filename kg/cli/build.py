"""``kg build``: curation sheets to Turtle (``data/notices/*.ttl``)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click
from rdflib import Graph

from kg.cli.options import write_output
from kg.errors import EXIT_CHECK_FAILED
from kg.pipeline import build_all


@click.command("build")
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 if a Turtle file is out of date."
)
@click.option(
    "--draft",
    "draft_sheet",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="SHEET",
    help="Build one sheet, a draft too, to -o, and say what the shapes find in it.",
)
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="With --draft: Turtle file, - for stdout.",
)
def command(check: bool, draft_sheet: Path | None, output: str) -> None:
    """Build each reviewed notice's Turtle from its curation sheet (data/curation/*.toml).

    With --check, compare instead of writing: CI uses it to prove the shipped
    Turtle is what the sheets say, in the house style. Draft sheets (written by
    kg ingest, status = "draft") are skipped until a person marks them reviewed.
    """
    if draft_sheet is not None:
        _draft(draft_sheet, output)
        return
    stale = build_all(write=not check)
    for path in stale:
        click.echo(f"{'out of date' if check else 'wrote'}: {path}")
    if check and stale:
        raise SystemExit(EXIT_CHECK_FAILED)
    if not stale:
        click.echo("up to date")


def _draft(sheet: Path, output: str) -> None:
    from kg.build import build_notice, load_sheet
    from kg.dataset import iter_graphs
    from kg.ingest.sheet import review_count
    from kg.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
    from kg.shacl import validate_graph
    from kg.turtle import canonical_turtle

    graph = build_notice(sheet, draft=True)
    write_output(canonical_turtle(graph).encode("utf-8"), output)
    union = Graph()  # the ontology and the reference data, without the shipped notices
    for name, part in iter_graphs():
        if name in (ONTOLOGY_GRAPH, REFERENCE_GRAPH):
            union += part
    union += graph
    findings = validate_graph(union).findings
    counts = Counter(f"{f.severity} {f.shape.rsplit('#', 1)[-1]}" for f in findings)
    click.echo(
        f"{sheet}: {len(graph)} triples; {review_count(load_sheet(sheet))} rows still to review; "
        f"{len(findings)} SHACL findings",
        err=True,
    )
    for key, count in sorted(counts.items()):
        click.echo(f"  {key} ({count})", err=True)
