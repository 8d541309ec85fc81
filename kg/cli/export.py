"""``kg export``: the dataset in a standard RDF format."""

from __future__ import annotations

import click

from kg.cli.options import output_option, write_output
from kg.dump import FORMATS, export


@click.command("export")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="trig",
    show_default=True,
    help="nquads, trig and jsonld keep one named graph per source; "
    "turtle and ntriples hold their union.",
)
@output_option
def command(fmt: str, output: str) -> None:
    """Export the ontology, reference data and notices, the same bytes on every run."""
    write_output(export(fmt), output)
