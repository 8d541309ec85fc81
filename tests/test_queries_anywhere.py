"""A stored query runs as it is in any store: its file declares its prefixes and the
defaults of its parameters, so that pasted into a query page it answers as ``kg`` does.

The plain store here is what a user builds from the export: ``kg export -f nquads``
loaded into a fresh pyoxigraph store, asked with the union of the named graphs as
the default graph and nothing else (no prefixes, no bindings).
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from kg.catalogue import load, names
from kg.query import Answer, answer_of, run_oxigraph

from .test_cli import kg, one_clean_line

QUERIES = names()
WITH_LANG = [name for name in QUERIES if any(p.name == "lang" for p in load(name).params)]


def _ask(store: ox.Store, text: str, drop: set[str]) -> Answer:
    solutions = store.query(text, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    variables = [v.value for v in solutions.variables if v.value not in drop]
    return Answer(variables, [{v: s[v] for v in variables} for s in solutions])


@pytest.mark.parametrize("name", QUERIES)
def test_the_file_declares_its_prefixes(name: str) -> None:
    query = load(name)
    try:
        ox.Store().query(query.text)  # no prefixes given
    except SyntaxError as error:
        pytest.fail(f"{name}: does not parse without kg's prefixes: {error}")


@pytest.mark.parametrize("name", QUERIES)
def test_every_parameter_has_its_default_in_the_query(name: str) -> None:
    query = load(name)
    for param in query.params:
        pattern = rf"OPTIONAL\s*\{{\s*BIND\s*\((?P<term>[^)]+) AS \?{param.name}\)\s*\}}"
        found = re.search(pattern, query.text)
        assert found, f"{name}: parameter {param.name} has no OPTIONAL {{ BIND (default AS ?x) }}"
        # the default in the query is the header's default: ask the query's own prologue
        prologue = "".join(
            line + "\n" for line in query.text.splitlines() if line.startswith("PREFIX ")
        )
        solutions = ox.Store().query(
            f"{prologue}SELECT ?x WHERE {{ BIND ({found['term']} AS ?x) }}"
        )
        assert isinstance(solutions, ox.QuerySolutions)
        (row,) = list(solutions)
        default = param.bind(param.default or "")
        assert row["x"] == default, f"{name}: {param.name} defaults to {row['x']}, header {default}"


@pytest.mark.parametrize("name", QUERIES)
def test_the_file_as_it_is_answers_on_a_exported_store(name: str, exported_store: ox.Store) -> None:
    query = load(name)
    answer = _ask(
        exported_store, query.path.read_text(encoding="utf-8"), {p.name for p in query.params}
    )
    assert answer.variables == query.columns
    assert answer.normalised() == answer_of(name).normalised()


@pytest.mark.parametrize("name", WITH_LANG)
def test_a_value_bound_in_the_text_means_what_kg_binds(
    name: str, exported_store: ox.Store, store: ox.Store
) -> None:
    """``--show``'s text (the values in a VALUES block) answers as kg's own binding does."""
    query = load(name)
    bindings = query.bindings({"lang": "zh"})
    shown = _ask(exported_store, query.prebound(bindings), set(bindings))
    bound = run_oxigraph(query, bindings, store)
    assert shown.rows, f"{name}: no rows in Chinese"
    assert shown.normalised() == bound.normalised()


def test_kg_query_show_prints_the_query_bound() -> None:
    code, out, _ = kg(
        "query", "standards-growth-above", "--show", "--param", "min_rate=12", "--lang", "zh"
    )
    assert code == 0
    assert (
        'VALUES (?lang ?min_rate) { ("zh" "12"^^<http://www.w3.org/2001/XMLSchema#decimal>) }'
        in out
    )
    solutions = ox.Store().query(out)  # it parses as it is
    assert isinstance(solutions, ox.QuerySolutions)


@pytest.mark.parametrize(
    "args",
    [
        ["query", "standards", "--show", "--param", "nope=1"],
        ["query", "standards-growth-above", "--show", "--param", "min_rate=ten"],
        ["query", "no-such-query", "--show"],
    ],
)
def test_kg_query_show_refuses_a_bad_parameter_in_one_line(args: list[str]) -> None:
    code, out, err = kg(*args)
    assert code == 2
    assert out == ""
    one_clean_line(err)
