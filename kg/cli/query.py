"""``kg query``: answer a stored question or a query file."""

from __future__ import annotations

from pathlib import Path

import click

from kg.catalogue import load
from kg.cli.options import (
    data_option,
    lang_option,
    output_option,
    query_timeout_option,
    store_option,
    write_output,
)
from kg.errors import InputError
from kg.query import ENGINES, FORMATS, run


def _params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for value in values:
        name, sep, raw = value.partition("=")
        if not sep or not name:
            raise InputError(f"--param takes NAME=VALUE, not {value!r}")
        params[name.strip()] = raw
    return params


@click.command("query")
@click.argument("name_or_file")
@click.option(
    "--param",
    "-p",
    "param_values",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a parameter (repeatable). Values are bound as RDF terms, never pasted.",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table, or a W3C SPARQL 1.1 results format.",
)
@lang_option
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="oxigraph",
    show_default=True,
    help="The embedded Oxigraph store, or rdflib's SPARQL engine.",
)
@store_option
@data_option
@click.option(
    "--endpoint",
    metavar="URL",
    default=None,
    help="Ask a remote SPARQL endpoint instead of the embedded store.",
)
@click.option(
    "--show",
    is_flag=True,
    help="Print the query with its parameters bound, ready to paste into any store's query page.",
)
@query_timeout_option
@output_option
def command(
    name_or_file: str,
    param_values: tuple[str, ...],
    fmt: str,
    lang: str,
    engine: str,
    store_dir: Path | None,
    data_files: tuple[Path, ...],
    endpoint: str | None,
    show: bool,
    timeout: float,
    output: str,
) -> None:
    """Answer the stored question NAME (see `kg list`), or the SPARQL in FILE.

    Example: kg query standards-growth-above --param min_rate=10 --lang zh

    With --show, print the SPARQL instead of answering it: its prefixes declared
    and the given values bound in a VALUES block (the defaults otherwise hold).
    """
    params = _params(param_values)
    query = load(name_or_file)
    if "lang" not in params and any(p.name == "lang" for p in query.params):
        params["lang"] = lang
    if show:
        write_output(query.prebound(query.bindings(params)).encode("utf-8"), output)
        return
    if endpoint:
        if data_files:
            raise InputError("--data loads files into the embedded store, not into an endpoint")
        from kg.remote import run_remote

        answer = run_remote(query, query.bindings(params), endpoint, timeout)
    else:
        answer = run(
            name_or_file,
            params,
            engine=engine,
            store_dir=store_dir,
            data=data_files,
            timeout=timeout,
        )
    write_output(answer.serialize(fmt), output)
