"""``kg report``: the notice as one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import lang_option, query_page_option, store_option, write_output
from kg.errors import InputError


@click.command("report")
@click.option(
    "--output",
    "-o",
    default="report.html",
    show_default=True,
    help="HTML file to write, - for stdout.",
)
@lang_option
@store_option
@query_page_option
def command(output: str, lang: str, store_dir: Path | None, query_page: str) -> None:
    """Write the notice as one HTML page: standards, counts, tasks, meeting and data quality.

    The page needs no network to open. Every number on it links to its words
    in the notice, highlighted in their sentence. Each stored question opens,
    filled in, in the query page of a running kg serve.
    """
    if not output.strip():
        raise InputError("--output is empty: give a file name, or - for stdout")
    from kg.dataset import load_store
    from kg.report import build_report

    html = build_report(
        lang, load_store(store_dir, read_only=True) if store_dir else None, query_page
    )
    write_output(html.encode("utf-8"), output)
    if output != "-":
        click.echo(f"wrote {output} ({len(html.encode('utf-8')) // 1024} KB)", err=True)
