"""Options shared by several subcommands."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

import kg
from kg import resources
from kg.catalogue import LANGUAGES
from kg.errors import InputError
from kg.examples import DEFAULT_QUERY_PAGE

F = TypeVar("F", bound=Callable[..., Any])

lang_option = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="Language of titles and labels.",
)
store_option = click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep the embedded store on disk in DIR, so later runs do not parse the Turtle again.",
)
data_option = click.option(
    "--data",
    "data_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also load FILE (N-Quads, TriG, Turtle or N-Triples; repeatable) into the "
    "in-memory store with Oxigraph's bulk loader: a corpus of notices.",
)


def _timeout_option(help: str) -> Callable[[F], F]:
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=60.0,
        show_default=True,
        metavar="SECONDS",
        help=help,
    )


_PER_REQUEST = "Seconds each request to the endpoint may take in all, every byte of the answer"
#: kg load: every request to the endpoint
timeout_option = _timeout_option(f"{_PER_REQUEST} included.")
#: kg query: a request to the endpoint, or a query on the embedded store that calls one
query_timeout_option = _timeout_option(
    f"{_PER_REQUEST} included; on the embedded store, the seconds a query that calls an "
    "endpoint (SERVICE) may take."
)

#: kg docs and kg report: the query page each stored question's link opens, filled in.
query_page_option = click.option(
    "--query-page",
    metavar="URL",
    default=DEFAULT_QUERY_PAGE,
    show_default=True,
    help="The query page each stored question opens in, filled in (kg serve's).",
)
output_option = click.option(
    "--output", "-o", default="-", show_default=True, help="File to write, - for stdout."
)


def protected_folders() -> list[Path]:
    """The project's own sources: ``-o`` never writes into them (``kg build`` and ``kg fmt`` do)."""
    root = resources.root()
    package = Path(kg.__file__).resolve().parent
    return [(root / name).resolve() for name in ("data", "ontology", "queries")] + [package]


def refuse_project_path(path: Path, what: str = "--output") -> None:
    """Refuse a path that is, or leads through links to, a place inside the project's sources."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError) as error:  # a loop of links
        raise InputError(f"{path}: cannot follow: {error}") from error
    for folder in protected_folders():
        if target == folder or target.is_relative_to(folder):
            raise InputError(
                f"{what} {path}: inside the project's own {folder.name}/ (resolved: {target}); "
                "kg does not write over its sources: give a path outside it"
            )


def write_output(data: bytes, output: str) -> None:
    """Write to a file, or to stdout for ``-``; never into the project's own sources."""
    if output == "-":
        try:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise InputError(f"cannot write to stdout: {error.strerror or error}") from error
        return
    if not output.strip():
        raise InputError("--output is empty: give a file name, or - for stdout")
    path = Path(output)
    refuse_project_path(path)
    if path.is_dir():
        raise InputError(f"{output}: cannot write: it is a folder; give a file name")
    try:
        path.write_bytes(data)
    except OSError as error:
        raise InputError(f"{output}: cannot write: {error.strerror or error}") from error
