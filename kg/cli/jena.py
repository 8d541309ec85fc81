"""``kg jena``: Apache Jena's own command-line tools, from Debian's jars."""

from __future__ import annotations

import subprocess

import click

from kg.jena import TOOLS, tool_classpath, tool_command


@click.group("jena")
def command() -> None:
    """Run Apache Jena's tools (tdb2.tdbloader, tdb2.tdbquery, riot, shacl...).

    Debian's libapache-jena-java has Jena's jars but none of its scripts, and no
    Fuseki. kg builds a class path that works from the jars. Exit code 2, with one
    line, if Java or Jena is missing.
    """


@command.command("classpath")
def classpath() -> None:
    """Print the class path, for java -cp "$(kg jena classpath)" tdb2.tdbquery ..."""
    click.echo(tool_classpath())


@command.command(
    "run",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
    help=f"""Run Jena's TOOL with ARGS, as the script of that name in Jena's distribution does.

    TOOL is one of {", ".join(TOOLS)}.

    Example: kg jena run tdb2.tdbloader --loc db mca-kg.nq. The exit code is the
    tool's. $JVM_ARGS goes to java, as for Jena's scripts (JVM_ARGS=-Xmx4G).
    """,
)
@click.argument("tool", metavar="TOOL", type=click.Choice(list(TOOLS)))
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def run(ctx: click.Context, tool: str, args: tuple[str, ...]) -> None:
    ctx.exit(subprocess.run(tool_command(tool, args), check=False).returncode)
