"""``kg run``: the main job, on the embedded store."""

from __future__ import annotations

from pathlib import Path

import click

from kg.catalogue import all_queries, check_registry
from kg.cli.options import lang_option, store_option
from kg.counts import stats
from kg.dataset import load_store
from kg.errors import EXIT_CHECK_FAILED
from kg.pipeline import build_all
from kg.query import run_oxigraph
from kg.shacl import validate


@click.command("run")
@lang_option
@store_option
def command(lang: str, store_dir: Path | None) -> None:
    """Check the graph is built and valid, then answer every stored question.

    Exit code 1 if the Turtle is out of date, the data does not conform, or a
    live check of severity violation (queries/checks.toml) finds something.
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
        click.echo(f"## {query.title(lang)}  ({query.name})\n{query.question(lang)}\n")
        click.echo(answer.table())
    live = [name for name, entry in registry.items() if entry.get("live")]
    click.echo(f"data-quality checks: {len(live) - len(failed_checks)} of {len(live)} healthy")
    for name, severity in failed_checks:
        click.echo(f"  {severity}: {name} finds rows (kg query {name})")
    violations = [name for name, severity in failed_checks if severity == "violation"]
    if stale or not report.conforms or violations:
        raise SystemExit(EXIT_CHECK_FAILED)
