"""The README cannot drift: its command blocks are the commands' real output.

``python -m pytest --update-golden`` rewrites the blocks; read the diff before committing.
"""

from __future__ import annotations

import re
import shlex

from click.testing import CliRunner

from kg.cli import COMMANDS, main

from .conftest import TESTS

README = TESTS.parent / "README.md"
BLOCK = re.compile(r"(<!-- kg-(help|example):(.*?)-->\n)(.*?)(<!-- /kg-\2 -->)", re.DOTALL)


def output(kind: str, command: str) -> str:
    args = shlex.split(command.strip())
    if kind == "help":
        args.append("--help")
    result = CliRunner().invoke(main, args, prog_name="kg", terminal_width=88)
    assert result.exit_code == 0, result.output
    return result.stdout


def rendered(text: str) -> str:
    def block(match: re.Match[str]) -> str:
        opening, kind, command, _, closing = match.groups()
        command = command.strip()
        shown = f"$ kg {command}".rstrip() + (" --help" if kind == "help" else "")
        body = output(kind, command).rstrip("\n")
        return f"{opening}```text\n{shown}\n{body}\n```\n{closing}"

    return BLOCK.sub(block, text)


def test_readme_blocks_are_real_output(update_golden: bool) -> None:
    text = README.read_text(encoding="utf-8")
    fresh = rendered(text)
    if update_golden and fresh != text:
        README.write_text(fresh, encoding="utf-8")
        text = fresh
    assert text == fresh, "README is out of date: run python -m pytest --update-golden"


def test_every_subcommand_is_documented() -> None:
    documented = {
        m.group(3).strip() for m in BLOCK.finditer(README.read_text()) if m.group(2) == "help"
    }
    # a group's subcommands ("jena run") may have blocks of their own
    assert set(COMMANDS) | {""} == {command.split(" ")[0] for command in documented}


def test_ci_runs_the_readme_test_command() -> None:
    readme = README.read_text()
    (command,) = re.findall(r"^(python -m pytest)$", readme, re.MULTILINE)
    assert command in (TESTS.parent / ".ci" / "run").read_text().splitlines()
