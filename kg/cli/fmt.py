"""``kg fmt``: keep the hand-written Turtle in the house style."""

from __future__ import annotations

import click

from kg.errors import EXIT_CHECK_FAILED
from kg.pipeline import format_all


@click.command("fmt")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a file is not formatted.")
def command(check: bool) -> None:
    """Rewrite the ontology, shapes and reference Turtle in the house style.

    The style is rdflib's longturtle: PREFIX lines, sorted subjects, `a` first,
    one object per line, so that every diff shows a real change. The pinned
    vendor files keep their upstream form.
    """
    changed = format_all(write=not check)
    for path in changed:
        click.echo(f"{'not formatted' if check else 'formatted'}: {path}")
    if check and changed:
        raise SystemExit(EXIT_CHECK_FAILED)
    if not changed:
        click.echo("all formatted")
