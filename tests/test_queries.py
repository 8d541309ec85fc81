"""Every stored query explains itself, and answers as written down beside it, on both engines.

One pytest id per query. The expected answers (``queries/NAME.expected.csv``)
were read against the notice when they were written; ``--update-golden``
rewrites them, only on purpose.
"""

from __future__ import annotations

import tomllib

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from kg import resources
from kg.catalogue import all_queries, load, names
from kg.query import answer_of, expected_path, run_oxigraph, run_rdflib, write_expected

QUERIES = names()
CHECKS = [name for name in QUERIES if name.startswith("check-")]
QUESTIONS = [name for name in QUERIES if name not in CHECKS]
CHECK_COLUMNS = ["item", "problem", "detail"]


def test_the_catalogue_is_large_enough() -> None:
    assert len(QUESTIONS) >= 25
    assert len(CHECKS) >= 5
    assert any(
        q.params and q.params != [p for p in q.params if p.name == "lang"] for q in all_queries()
    )


@pytest.mark.parametrize("name", QUERIES)
def test_header_explains_the_query(name: str) -> None:
    query = load(name)
    assert query.text.startswith("# title:"), "a stored query opens with its header"
    for key in ("title", "title@zh", "question", "question@zh", "columns"):
        assert query.header.get(key), f"{name}: header lacks {key}"
    assert "ORDER BY" in query.text.upper(), f"{name}: answers must be ordered"


@pytest.mark.parametrize("name", QUERIES)
def test_answer_matches_expected_on_oxigraph(
    name: str, store: ox.Store, update_golden: bool
) -> None:
    query = load(name)
    answer = run_oxigraph(query, query.bindings({}), store)
    assert answer.variables == query.columns, f"{name}: `# columns:` must list the answer's columns"
    if update_golden:
        write_expected(query, answer)
    assert expected_path(query).is_file(), f"{name}: no expected answer beside it"
    assert answer.normalised() == answer_of(name).normalised()


@pytest.mark.parametrize("name", QUERIES)
def test_rdflib_gives_the_same_answer(name: str, dataset: Dataset) -> None:
    query = load(name)
    answer = run_rdflib(query, query.bindings({}), dataset)
    assert answer.normalised() == answer_of(name).normalised()


@pytest.mark.parametrize("name", QUESTIONS)
def test_question_answers_in_chinese_too(name: str, store: ox.Store) -> None:
    query = load(name)
    if not any(p.name == "lang" for p in query.params):
        pytest.skip(f"{name} shows no labels")
    english = run_oxigraph(query, query.bindings({"lang": "en"}), store)
    chinese = run_oxigraph(query, query.bindings({"lang": "zh"}), store)
    assert len(chinese.rows) == len(english.rows) > 0


@pytest.mark.parametrize("name", CHECKS)
def test_checks_share_columns_and_pass(name: str, store: ox.Store) -> None:
    query = load(name)
    answer = run_oxigraph(query, query.bindings({}), store)
    assert answer.variables == CHECK_COLUMNS
    assert answer.rows == [], f"{name} finds problems in the shipped data"


def test_check_registry_lists_every_check() -> None:
    with (resources.queries_dir() / "checks.toml").open("rb") as handle:
        registry = tomllib.load(handle)
    assert sorted(registry) == CHECKS
    for name, entry in registry.items():
        assert isinstance(entry["live"], bool), name
        assert entry["severity"] in ("violation", "warning"), name
        assert entry["description"], name
