"""``kg diagram``: the ontology diagram, as Graphviz DOT or SVG."""

from __future__ import annotations

import click

from kg.cli.options import write_output
from kg.errors import EXIT_CHECK_FAILED


@click.command("diagram")
@click.option(
    "--output",
    "-o",
    default="docs/ontology.svg",
    show_default=True,
    help="File to write, - for stdout.",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["svg", "dot"]),
    default="svg",
    show_default=True,
    help="svg needs Graphviz's dot; dot is the source it lays out.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if the SVG at --output was not drawn from the ontology as it is.",
)
def command(output: str, fmt: str, check: bool) -> None:
    """Draw the ontology's classes, their properties and the standard classes they build on.

    The SVG carries the digest of the DOT source it was drawn from, so --check
    needs no Graphviz.
    """
    from kg import diagram

    if check:
        if not diagram.is_current(diagram.read_svg(output)):
            click.echo(f"{output}: out of date; run kg diagram -o {output}", err=True)
            raise SystemExit(EXIT_CHECK_FAILED)
        click.echo(f"{output}: up to date", err=True)
        return
    source = diagram.dot_source()
    text = diagram.render_svg(source) if fmt == "svg" else source
    write_output(text.encode("utf-8"), output)
