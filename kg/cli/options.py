"""Options shared by several subcommands."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.catalogue import LANGUAGES
from kg.errors import InputError

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

output_option = click.option(
    "--output", "-o", default="-", show_default=True, help="File to write, - for stdout."
)


def write_output(data: bytes, output: str) -> None:
    """Write to a file, or to stdout for ``-``."""
    if output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        Path(output).write_bytes(data)
    except OSError as error:
        raise InputError(f"{output}: cannot write: {error.strerror or error}") from error
