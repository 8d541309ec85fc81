"""``kg validate``: SHACL validation with a readable report."""

from __future__ import annotations

from pathlib import Path

import click

from kg.errors import EXIT_CHECK_FAILED
from kg.shacl import ENGINES, validate

option_shapes = click.option(
    "--shapes",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Validate with the SHACL shapes of this Turtle file instead of the shipped ones.",
)


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="Print only the closing line.")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="sparql",
    show_default=True,
    help="sparql: every shape compiled to SPARQL, all in Oxigraph; oxigraph: pySHACL for "
    "core, Oxigraph for SPARQL constraints; pyshacl: pySHACL alone (the reference).",
)
@option_shapes
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["text", "turtle"]),
    default="text",
    show_default=True,
    help="text: the findings grouped by shape; turtle: SHACL's sh:ValidationReport.",
)
def command(
    files: tuple[Path, ...], quiet: bool, engine: str, shapes: Path | None, fmt: str
) -> None:
    """Validate the graph (or FILES, against the ontology) with the SHACL shapes.

    Prints the findings grouped by shape, or SHACL's validation report in Turtle
    (sh:conforms is false for a result of any severity). Exit code 0 when there is no
    violation (warnings and infos allowed), 1 when there are violations, 2 for a missing or
    malformed file, or a shapes graph that breaks SHACL's rules (a list that loops, forks or
    does not end; SPARQL with MINUS, SERVICE, VALUES, a subquery without $this).
    """
    report = validate(list(files) or None, engine=engine, shapes=shapes)
    if fmt == "turtle":
        click.echo(report.turtle(), nl=False)
    else:
        text = report.text()
        click.echo(text.splitlines()[-1] if quiet else text)
    if not report.passes:
        raise SystemExit(EXIT_CHECK_FAILED)
