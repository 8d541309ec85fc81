"""``kg list``: the stored questions and checks."""

from __future__ import annotations

import click

from kg.catalogue import all_queries
from kg.cli.options import lang_option


@click.command("list")
@lang_option
@click.option(
    "--kind",
    type=click.Choice(["all", "question", "check"]),
    default="all",
    show_default=True,
    help="Questions, data-quality checks, or both.",
)
def command(lang: str, kind: str) -> None:
    """List the stored queries with their titles and parameters."""
    for query in all_queries():
        if kind != "all" and query.kind != kind:
            continue
        params = " ".join(f"[{p.name}={p.default}]" for p in query.params if p.name != "lang")
        click.echo(f"{query.name:32} {query.title(lang)}{'  ' + params if params else ''}")
