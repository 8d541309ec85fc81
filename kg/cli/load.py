"""``kg load``: send the graph to a triple store over the SPARQL 1.1 Graph Store Protocol."""

from __future__ import annotations

import click

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
    help="Replace the target graphs (only once every graph has arrived whole).",
)
def command(endpoint: str, graph: str | None, replace: bool) -> None:
    """Load the ontology, reference data and notices into a running triple store."""
    for name, triples in load(endpoint, graph, replace):
        click.echo(f"{'replaced' if replace else 'added to'} <{name}>: {triples} triples")
