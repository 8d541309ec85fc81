"""Bound parameters mean the same on every engine: each stored query with a value other than
its default, on the embedded store, on rdflib and on a served endpoint.

The endpoint gets the query with a ``VALUES`` block (``StoredQuery.prebound``); the
embedded store gets Oxigraph's substitutions and rdflib its ``initBindings``. A
value that lands in a sub-select, or after a default, answers differently on one
of them, and that is what these tests catch. The expected rows of the four
queries with a parameter other than ``lang`` are read off the notice.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.catalogue import StoredQuery, all_queries
from kg.query import Answer, run_oxigraph, run_rdflib
from kg.remote import run_remote
from kg.server import served

from .conftest import needs_server

DOC = "https://w3id.org/mca-kg/doc/mca-2020-12-26/"

#: A value other than the default for every parameter but lang (lang is zh everywhere).
NON_DEFAULT = {
    "standards-growth-above": {"min_rate": "8"},
    "figures-of-program": {"program": "prog:tekun"},
    "tasks-for-group": {"group": "grp:minors"},
    "provenance": {"item": f"<{DOC}obs-tekun-standard-urban>"},
    "task-by-number": {"number": "2.5"},
    "key-tasks-for-group": {"group": "grp:minors"},
    "tasks-of-agency": {"agency": "agency:civil-affairs-departments"},
    "figures-known-above": {"threshold": "1000", "unit": "mcau:CNY-PER-MO"},
}

#: The notice's seven key tasks (一要 … 七要) and their sub-tasks, counted in its text.
SUB_TASKS = {1: 5, 2: 8, 3: 4, 4: 10, 5: 8, 6: 2, 7: 2}

#: What the notice says, read off data/source/000_c2c14dcc7c05f394.txt and the sheets:
#: growth above 8 %: extreme poverty 11.4 % and 12.8 %, rural dibao 11.3 %, orphans in
#: society 8.6 % (urban dibao 7.7 % and orphans in institutions 6.6 % are not);
#: extreme poverty: two standards as stated, their corrected annual readings, two growths;
#: minors: the minors' task and adoption (adoptees are a narrower group of minors);
#: the urban extreme-poverty standard: its sentence (342-390) and its value "10775元".
#: task 2.5 is 规范国内和涉外收养管理; minors (and adoptees) are reached by 二要 only,
#: through 2.4 and 2.5; the civil-affairs departments at all levels carry every key task
#: and sub-task; above 1000 yuan a month: 10775元 and 8230元 (as stated), 1567.2元, 1140元.
EXPECTED_FIRST_COLUMN = {
    "standards-growth-above": {
        f"{DOC}obs-tekun-standard-rural",
        f"{DOC}obs-tekun-standard-urban",
        f"{DOC}obs-dibao-standard-rural",
        f"{DOC}obs-orphan-standard-dispersed",
    },
    "figures-of-program": {
        f"{DOC}obs-tekun-standard-{scope}{kind}"
        for scope in ("urban", "rural")
        for kind in ("", "-annual", "-growth")
    },
    "tasks-for-group": {f"{DOC}task-2-4", f"{DOC}task-2-5"},
    "task-by-number": {f"{DOC}task-2-5"},
    "key-tasks-for-group": {"2"},
    "tasks-of-agency": {str(key) for key in SUB_TASKS}
    | {f"{key}.{n}" for key, count in SUB_TASKS.items() for n in range(1, count + 1)},
    "figures-known-above": {
        f"{DOC}obs-tekun-standard-urban",
        f"{DOC}obs-tekun-standard-rural",
        f"{DOC}obs-orphan-standard-institutional",
        f"{DOC}obs-orphan-standard-dispersed",
    },
    "provenance": {
        "http://www.w3.org/ns/prov#wasDerivedFrom",
        "https://w3id.org/mca-kg/def#valueSource",
    },
}

PARAMETRISED = [q for q in all_queries() if q.params]


def given(query: StoredQuery) -> dict[str, str]:
    values = dict(NON_DEFAULT.get(query.name, {}))
    if any(p.name == "lang" for p in query.params):
        values["lang"] = "zh"
    return values


def test_every_parameter_has_a_non_default_value_here() -> None:
    for query in PARAMETRISED:
        for param in query.params:
            value = given(query).get(param.name)
            assert value is not None, f"{query.name}: give {param.name} a value in NON_DEFAULT"
            assert value != param.default, (query.name, param.name)


@pytest.mark.parametrize("name", list(NON_DEFAULT))
def test_a_non_default_value_gives_the_rows_the_notice_has(name: str) -> None:
    query = next(q for q in PARAMETRISED if q.name == name)
    answer = run_oxigraph(query, query.bindings(given(query)))
    first = {str(row[answer.variables[0]].value) for row in answer.rows}  # type: ignore[union-attr]
    assert first == EXPECTED_FIRST_COLUMN[name]
    default = run_oxigraph(query, query.bindings({"lang": "zh"}))
    assert default.normalised() != answer.normalised()  # the value changed the answer


@pytest.mark.parametrize("name", [q.name for q in PARAMETRISED])
def test_rdflib_agrees_with_the_embedded_store(name: str, store: object, dataset: object) -> None:
    query = next(q for q in PARAMETRISED if q.name == name)
    bindings = query.bindings(given(query))
    embedded = run_oxigraph(query, bindings, store)  # type: ignore[arg-type]
    assert sorted(run_rdflib(query, bindings, dataset).normalised()) == sorted(
        embedded.normalised()
    )


@needs_server
def test_a_served_endpoint_agrees_with_the_embedded_store(tmp_path: Path, store: object) -> None:
    """One server for all the queries, started and stopped within this test."""
    answers: dict[str, tuple[Answer, Answer]] = {}
    with served(tmp_path / "store") as server:
        for query in PARAMETRISED:
            bindings = query.bindings(given(query))
            answers[query.name] = (
                run_oxigraph(query, bindings, store),  # type: ignore[arg-type]
                run_remote(query, bindings, server.query_endpoint),
            )
    differ = [
        name
        for name, (embedded, remote) in answers.items()
        if sorted(embedded.normalised()) != sorted(remote.normalised())
    ]
    assert differ == []
    assert all(embedded.rows for embedded, _ in answers.values() if embedded.variables)
