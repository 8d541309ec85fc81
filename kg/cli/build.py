"""``kg build``: curation sheets to Turtle (``data/notices/*.ttl``)."""

from __future__ import annotations

import click

from kg.errors import EXIT_CHECK_FAILED
from kg.pipeline import build_all


@click.command("build")
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 if a Turtle file is out of date."
)
def command(check: bool) -> None:
    """Build each notice's Turtle from its curation sheet (data/curation/*.toml).

    With --check, compare instead of writing: CI uses it to prove the shipped
    Turtle is what the sheets say, in the house style.
    """
    stale = build_all(write=not check)
    for path in stale:
        click.echo(f"{'out of date' if check else 'wrote'}: {path}")
    if check and stale:
        raise SystemExit(EXIT_CHECK_FAILED)
    if not stale:
        click.echo("up to date")
