"""``kg docs``: HTML documentation of the ontology, vocabularies, shapes and questions."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import query_page_option


@click.command("docs")
@click.option(
    "--output",
    "-o",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Directory to write the pages into (created if missing).",
)
@query_page_option
def command(directory: Path, query_page: str) -> None:
    """Write the documentation pages, in English and Chinese, into a directory.

    index.html (and index.zh.html) cover the concept schemes, units, SHACL
    shapes and stored questions; ontology.en.html and ontology.zh.html, made
    by pyLODE, the classes and properties; ontology.svg is the diagram. Each
    stored question links to the query page of a running kg serve, filled in.
    """
    from kg.cli.options import refuse_project_path
    from kg.docs import write_docs

    refuse_project_path(directory)

    def warn(message: str) -> None:
        click.echo(f"kg: warning: {message}", err=True)

    for path in write_docs(directory, warn, query_page):
        click.echo(f"wrote {path}", err=True)
