"""``kg run``: the main job, on the embedded store."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import click

from kg.catalogue import all_queries, check_registry
from kg.cli.options import lang_option, store_option
from kg.counts import stats
from kg.dataset import load_store
from kg.errors import EXIT_CHECK_FAILED
from kg.pipeline import build_all
from kg.query import clip, run_oxigraph
from kg.shacl import validate


@click.command("run")
@lang_option
@store_option
@click.option(
    "--long",
    "long_form",
    is_flag=True,
    help="Print every question's answer in full, not one line per question.",
)
def command(lang: str, store_dir: Path | None, long_form: bool) -> None:
    """Check the graph is built and valid, then answer every stored question.

    Prints a summary: validation, what the graph holds, one line per question
    with its number of rows, the data-quality checks and where to go next
    (--long prints every answer). Lines fit the terminal. Exit code 1 if the
    Turtle is out of date, the data does not conform, or a live check of
    severity violation (queries/checks.toml) finds something.
    """
    width = shutil.get_terminal_size((100, 24)).columns
    stale = build_all(write=False)
    for path in stale:
        click.echo(f"out of date (run `kg build`): {path}")
    report = validate()
    click.echo(f"validation: {report.text().splitlines()[-1]}")
    store = load_store(store_dir, read_only=True)
    total = stats(store)[-1]
    click.echo(
        f"graph: {total['triples']} triples, {total['figures']} figures, {total['tasks']} tasks, "
        f"{total['statements']} statements, {total['agencies']} agencies"
    )
    if long_form:
        click.echo()
    summary: list[tuple[str, int, str]] = []
    registry = check_registry()
    failed_checks: list[tuple[str, str]] = []
    for query in all_queries():
        if query.kind == "check" and not registry.get(query.name, {}).get("live", False):
            continue
        takes_lang = any(p.name == "lang" for p in query.params)
        answer = run_oxigraph(query, query.bindings({"lang": lang} if takes_lang else {}), store)
        if query.kind == "check":
            if answer.rows:
                failed_checks.append((query.name, str(registry[query.name]["severity"])))
            continue
        summary.append((query.name, len(answer.rows), query.title(lang)))
        if long_form:
            click.echo(clip(f"## {query.title(lang)}  ({query.name})", width))
            # a Chinese character takes two columns
            click.echo(textwrap.fill(query.question(lang), width if lang == "en" else width // 2))
            click.echo()
            click.echo(answer.table(width))
    if not long_form:
        rows = sum(count for _, count, _ in summary)
        click.echo(f"questions: {len(summary)} answered, {rows} rows in all")
        name_width = max(len(name) for name, _, _ in summary)
        for name, count, title in summary:
            click.echo(clip(f"  {name:<{name_width}}  {count:>4}  {title}", width))
    live = [name for name, entry in registry.items() if entry.get("live")]
    click.echo(f"data-quality checks: {len(live) - len(failed_checks)} of {len(live)} healthy")
    for name, severity in failed_checks:
        click.echo(f"  {severity}: {name} finds rows (kg query {name})")
    if not long_form:
        for line in (
            "next: kg query NAME              one answer (--show prints its SPARQL)",
            "      kg run --long              every answer",
            "      kg report -o report.html   the notice as one page, every number linked",
        ):
            click.echo(clip(line, width))
    violations = [name for name, severity in failed_checks if severity == "violation"]
    if stale or not report.passes or violations:
        raise SystemExit(EXIT_CHECK_FAILED)
