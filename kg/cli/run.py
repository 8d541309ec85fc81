"""``kg run``: the main job, on the embedded store."""

from __future__ import annotations

from pathlib import Path

import click

from kg.catalogue import all_queries
from kg.cli.options import lang_option, store_option
from kg.dataset import load_store
from kg.errors import EXIT_CHECK_FAILED
from kg.pipeline import build_all
from kg.query import run_oxigraph
from kg.counts import stats
from kg.shacl import validate


@click.command("run")
@lang_option
@store_option
def command(lang: str, store_dir: Path | None) -> None:
    """Check the graph is built and valid, then answer every stored question.

    Exit code 1 if the Turtle is out of date, the data does not conform, or a
    data-quality check finds something.
    """
    stale = build_all(write=False)
    for path in stale:
        click.echo(f"out of date (run `kg build`): {path}")
    report = validate()
    click.echo(f"validation: {report.text().splitlines()[-1]}")
    store = load_store(store_dir)
    total = stats(store)[-1]
    click.echo(
        f"graph: {total['triples']} triples, {total['figures']} figures, {total['tasks']} tasks, "
        f"{total['statements']} statements, {total['agencies']} agencies\n"
    )
    failed_checks = []
    for query in all_queries():
        bindings = query.bindings(
            {"lang": lang} if any(p.name == "lang" for p in query.params) else {}
        )
        answer = run_oxigraph(query, bindings, store)
        if query.kind == "check":
            if answer.rows:
                failed_checks.append(query.name)
            continue
        click.echo(f"## {query.title(lang)}  ({query.name})\n{query.question(lang)}\n")
        click.echo(answer.table())
    checks = [q for q in all_queries() if q.kind == "check"]
    click.echo(f"data-quality checks: {len(checks) - len(failed_checks)} of {len(checks)} healthy")
    for name in failed_checks:
        click.echo(f"  check failed: {name} (kg query {name})")
    if stale or not report.conforms or failed_checks:
        raise SystemExit(EXIT_CHECK_FAILED)
