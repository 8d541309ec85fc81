"""``kg load``: send the graph to a triple store over the SPARQL 1.1 Graph Store Protocol."""

from __future__ import annotations

import click

from kg.cli.options import timeout_option
from kg.remote import load


@click.command("load")
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The store's Graph Store Protocol URL (Oxigraph: http://host:7878/store).",
)
@click.option(
    "--graph",
    metavar="IRI",
    default=None,
    help="Load everything into this one graph instead of one graph per source.",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Replace the target graphs, all at once in one SPARQL Update request, once every "
    "graph has arrived whole.",
)
@click.option(
    "--update",
    metavar="URL",
    default=None,
    help="The store's SPARQL Update URL, for --replace  [default: beside --endpoint: "
    ".../store or .../data becomes .../update].",
)
@timeout_option
def command(
    endpoint: str, graph: str | None, replace: bool, update: str | None, timeout: float
) -> None:
    """Load the ontology, reference data and notices into a running triple store.

    Each graph is read back afterwards and checked: every triple sent must be there.
    """
    for name, triples in load(endpoint, graph, replace, update, timeout):
        click.echo(f"{'replaced' if replace else 'added to'} <{name}>: {triples} triples")
