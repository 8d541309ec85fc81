"""The ``kg`` command: a thin layer over the library, one module per subcommand.

Exit codes: 0 success; 1 a check failed (the data does not conform, a file is
out of date); 2 usage or runtime error (bad option, missing or malformed file,
unknown name, an endpoint that fails, a full disk); 130 interrupted (Ctrl-C).
Errors a user can cause print one line on stderr, never a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any, NoReturn

import click
from click.exceptions import NoArgsIsHelpError

from kg.errors import EXIT_INTERRUPTED, EXIT_USAGE, KgError

#: The subcommands in the order ``kg --help`` lists them, each in its own module
#: of this package, imported only when it is run (``kg query`` does not pay for
#: pySHACL, Jinja or the build).
COMMANDS = (
    "run",
    "list",
    "query",
    "validate",
    "report",
    "docs",
    "diagram",
    "export",
    "stats",
    "describe",
    "shapes",
    "serve",
    "load",
    "jena",
    "build",
    "fmt",
    "ingest",
)


class _Group(click.Group):
    """Loads each subcommand on demand and turns every :class:`KgError` into one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        # not list(): importing kg.cli.list binds the name "list" in this package
        return [*COMMANDS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module = importlib.import_module(f"kg.cli.{cmd_name}")
        command: click.Command = module.command
        return command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:  # an unknown option of kg itself
            _usage_error(ctx, error)
        except KeyboardInterrupt:
            ctx.exit(EXIT_INTERRUPTED)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as error:  # an unknown command, a bad option or value
            _usage_error(ctx, error)
        except KgError as error:
            click.echo(f"kg: error: {error}", err=True)
            ctx.exit(error.exit_code)
        except BrokenPipeError:  # `kg ... | head`
            _silence_stdout()
            sys.stderr.close()
            ctx.exit(0)
        except KeyboardInterrupt:  # Ctrl-C: quietly, as the shell expects
            ctx.exit(EXIT_INTERRUPTED)
        except OSError as error:  # a full disk on stdout, or an error no command foresaw
            _silence_stdout()
            what = error.strerror or str(error) or type(error).__name__
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"kg: error: {where}{what}", err=True)
            ctx.exit(EXIT_USAGE)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so Python's last flush at exit cannot fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real stdout (tests run in-process)
        pass


def _usage_error(ctx: click.Context, error: click.UsageError) -> NoReturn:
    """Say what was wrong on one line, as every other error, and exit 2.

    Click would print the usage, a hint and a blank line before the error;
    ``kg`` alone (no command) still prints its help.
    """
    if isinstance(error, NoArgsIsHelpError):
        raise error
    where = error.ctx.command_path if error.ctx is not None else ctx.command_path
    message = " ".join(error.format_message().split())  # click lists choices a line each
    click.echo(f"kg: error: {message} (see {where} --help)", err=True)
    ctx.exit(EXIT_USAGE)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mca-kg", prog_name="kg")
def main() -> None:
    """mca-kg: the knowledge graph of the Ministry of Civil Affairs' 2020 work conference.

    Build, validate, query and export the graph. Exit codes: 0 ok, 1 check
    failed, 2 usage or runtime error, 130 interrupted.
    """


__all__ = ["EXIT_USAGE", "main"]
