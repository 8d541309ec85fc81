"""``kg run``: a short summary that fits the terminal by default, every answer with --long."""

from __future__ import annotations

import re

from click.testing import CliRunner

from kg.catalogue import all_queries
from kg.cli import main
from kg.query import answer_of, display_width

QUESTIONS = [q for q in all_queries() if q.kind == "question"]


def run(*args: str, columns: int) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["run", *args], env={"COLUMNS": str(columns)})
    return result.exit_code, result.stdout.splitlines()


def test_the_summary_is_short_and_fits_the_terminal() -> None:
    code, lines = run(columns=80)
    assert code == 0
    assert lines[0] == "validation: conforms: 0 violations, 0 warnings"
    assert lines[1].startswith("graph: ") and "33 figures, 59 tasks" in lines[1]
    assert len(lines) <= len(QUESTIONS) + 10
    assert all(display_width(line) <= 80 for line in lines), max(lines, key=display_width)
    assert "data-quality checks: 7 of 7 healthy" in lines
    assert any(line.startswith("next: kg query NAME") for line in lines)
    # one line per question, with the number of rows its expected answer has
    for query in QUESTIONS:
        (line,) = [line for line in lines if re.match(rf"\s+{re.escape(query.name)}\s", line)]
        assert int(line.split()[1]) == len(answer_of(query.name).rows), line


def test_the_long_form_prints_every_answer_within_the_width() -> None:
    code, lines = run("--long", "--lang", "zh", columns=100)
    assert code == 0
    for query in QUESTIONS:
        assert any(line.startswith(f"## {query.title('zh')}") for line in lines), query.name
    assert all(display_width(line) <= 100 for line in lines), max(lines, key=display_width)
    assert len(lines) > 300  # every answer's rows
