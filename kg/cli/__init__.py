"""The ``kg`` command: a thin layer over the library, one module per subcommand.

Exit codes: 0 success; 1 a check failed (the data does not conform, a file is
out of date); 2 usage or runtime error (bad option, missing or malformed file,
unknown name). Errors a user can cause print one line on stderr, never a traceback.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from kg.errors import EXIT_USAGE, KgError


class _Group(click.Group):
    """Turns every :class:`KgError` into one line on stderr and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as error:
            click.echo(f"kg: error: {error}", err=True)
            ctx.exit(error.exit_code)
        except BrokenPipeError:  # `kg ... | head`
            sys.stderr.close()
            ctx.exit(0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mca-kg", prog_name="kg")
def main() -> None:
    """mca-kg: the knowledge graph of the Ministry of Civil Affairs' 2020 work conference.

    Build, validate, query and export the graph. Exit codes: 0 ok, 1 check
    failed, 2 usage or runtime error.
    """


def _register() -> None:
    from kg.cli import (
        build,
        describe,
        export,
        fmt,
        ingest,
        load,
        query,
        run,
        serve,
        stats,
        validate,
    )
    from kg.cli import list as list_

    for module in (
        run,
        list_,
        query,
        validate,
        export,
        stats,
        describe,
        serve,
        load,
        build,
        fmt,
        ingest,
    ):
        main.add_command(module.command)


_register()

__all__ = ["EXIT_USAGE", "main"]
