"""``kg describe``: the dataset's VoID and DCAT description."""

from __future__ import annotations

import click

from kg.cli.options import output_option, write_output
from kg.describe import describe
from kg.turtle import canonical_turtle


@click.command("describe")
@click.option(
    "--endpoint",
    metavar="URL",
    default=None,
    help="Name this SPARQL endpoint as the one that serves the data.",
)
@output_option
def command(endpoint: str | None, output: str) -> None:
    """Describe the dataset in VoID and DCAT (title, licence, source, triple counts, examples)."""
    write_output(canonical_turtle(describe(endpoint)).encode("utf-8"), output)
