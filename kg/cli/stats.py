"""``kg stats``: what the graph holds."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import store_option
from kg.counts import stats
from kg.dataset import load_store


@click.command("stats")
@store_option
def command(store_dir: Path | None) -> None:
    """Count triples, figures, tasks, statements, agencies and passages by named graph."""
    rows = stats(load_store(store_dir, read_only=True))
    columns = list(rows[0])
    width = max(len(str(r["graph"])) for r in rows)
    click.echo(f"{'graph':{width}}  " + "  ".join(f"{c:>10}" for c in columns[1:]))
    for row in rows:
        values = "  ".join(f"{row[c]:>10}" for c in columns[1:])
        click.echo(f"{row['graph']!s:{width}}  {values}")
