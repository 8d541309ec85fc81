"""``kg ingest``: a new notice (UTF-8 text) to a draft graph, rule-based and offline."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from kg import ingest as lib
from kg.cli.options import write_output
from kg.turtle import canonical_turtle


@click.command("ingest")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--id", "doc_id", default=None, help="Notice id for IRIs  [default: draft-STEM].")
@click.option("--year", type=int, default=None, help="The document's year (else guessed).")
@click.option("-o", "--output", default="-", show_default=True, help="Turtle file, - for stdout.")
@click.option("-v", "--verbose", is_flag=True, help="Print every validation finding on stderr.")
@click.option(
    "--evaluate",
    is_flag=True,
    help="Compare with the curated graph of the same text and write the evaluation.",
)
@click.option(
    "--evaluation-output",
    default="docs/ingest-evaluation.md",
    show_default=True,
    help="Where --evaluate writes its Markdown.",
)
def command(
    file: Path,
    doc_id: str | None,
    year: int | None,
    output: str,
    verbose: bool,
    evaluate: bool,
    evaluation_output: str,
) -> None:
    """Extract figures, tasks, agencies and people from FILE into a DRAFT graph.

    Every item keeps its exact quote and offsets; what the rules cannot type is
    flagged mca:reviewStatus "needs-review". The draft is validated with the
    SHACL shapes and the findings are summarised on stderr as review work.
    """
    if evaluate:
        draft = lib.extract(lib.read_text(file), year)
        sheet, notice = lib.sheet_for(file)
        scores = lib.evaluate(draft, sheet, notice)
        text = lib.evaluation_markdown(scores, file.name, sheet.name)
        write_output(text.encode("utf-8"), evaluation_output)
        for s in scores:
            click.echo(
                f"{s.kind}: precision {s.precision:.3f}, recall {s.recall:.3f}, F1 {s.f1:.3f}"
                f" ({s.correct} of {s.extracted} extracted, {s.gold} curated)",
                err=True,
            )
        if evaluation_output != "-":
            click.echo(f"wrote: {evaluation_output}", err=True)
        return
    name = lib.draft_id(file, doc_id)
    draft, graph = lib.ingest(file, name, year)
    write_output(canonical_turtle(graph).encode("utf-8"), output)
    click.echo(lib.summary(draft), err=True)
    findings = lib.validate_draft(graph, name)
    counts = Counter(" ".join(line.split(": ")[:2]) for line in findings)
    click.echo(f"review: {len(findings)} SHACL findings on the draft", err=True)
    for key, count in sorted(counts.items()):
        click.echo(f"  {key} ({count})", err=True)
    if verbose:
        for line in findings:
            click.echo(f"  {line}", err=True)
