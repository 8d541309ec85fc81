"""`kg load --replace` against a real Oxigraph server, with failures injected at each step.

The whole dataset switches in one SPARQL Update request, or not at all; the staging
graphs are gone afterwards whatever happened; the error line says which state the
store is in. Each test starts its server on 127.0.0.1 and stops it by process id.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from click.testing import CliRunner

from kg import remote
from kg.cli import main
from kg.dataset import graph_names
from kg.remote import EndpointError
from kg.server import Server

from .conftest import needs_server

pytestmark = needs_server

GRAPHS = [str(name) for name in graph_names()]  # the examples graph too


def select(server: Server, query: str) -> list[dict[str, dict[str, str]]]:
    request = Request(
        f"{server.url}/query?{urlencode({'query': query})}",
        headers={"Accept": "application/sparql-results+json"},
    )
    with urlopen(request, timeout=30) as response:
        rows: list[dict[str, dict[str, str]]] = json.load(response)["results"]["bindings"]
        return rows


def counts(server: Server) -> dict[str, int]:
    rows = select(server, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


def staging_left(server: Server) -> list[str]:
    return [g for g in counts(server) if g.startswith("urn:mca-kg:staging")]


def kg(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.fixture()
def loaded_twice(writable: Server) -> dict[str, int]:
    """The dataset added twice: the blank nodes twice over, so a replace is visible in counts."""
    assert kg("load", "--endpoint", f"{writable.url}/store")[0] == 0
    assert kg("load", "--endpoint", f"{writable.url}/store")[0] == 0
    return counts(writable)


def test_replace_is_one_update_request_with_every_move(
    writable: Server, loaded_twice: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[str, str, bytes | None]] = []
    real = remote._request

    def recording(method: str, url: str, body: bytes | None = None, *args, **kwargs):  # type: ignore[no-untyped-def]
        sent.append((method, url, body))
        return real(method, url, body, *args, **kwargs)

    monkeypatch.setattr(remote, "_request", recording)
    code, out, err = kg("load", "--endpoint", f"{writable.url}/store", "--replace")
    assert code == 0, err
    moves = [body for method, url, body in sent if url.endswith("/update") and b"MOVE" in body]
    assert len(moves) == 1
    assert moves[0].count(b"MOVE GRAPH") == len(GRAPHS)
    after = counts(writable)
    assert staging_left(writable) == []
    assert set(after) == set(GRAPHS)
    assert all(after[g] < loaded_twice[g] for g in GRAPHS if g.endswith("reference"))
    assert out.count("replaced <") == len(GRAPHS)


def test_a_failure_while_staging_changes_no_target(
    writable: Server, loaded_twice: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = remote._request
    puts = []

    def failing(method: str, url: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if method == "PUT":
            puts.append(url)
            if len(puts) == 2:
                raise EndpointError("PUT ...: the endpoint hung up mid-answer (injected)")
        return real(method, url, *args, **kwargs)

    monkeypatch.setattr(remote, "_request", failing)
    code, _, err = kg("load", "--endpoint", f"{writable.url}/store", "--replace")
    assert code == 2
    assert one_line(err).endswith("the target graphs are unchanged (staging graphs removed)")
    assert counts(writable) == loaded_twice
    assert staging_left(writable) == []


def test_an_update_endpoint_that_refuses_changes_no_target(
    writable: Server, loaded_twice: dict[str, int]
) -> None:
    code, _, err = kg(
        "load",
        "--endpoint",
        f"{writable.url}/store",
        "--replace",
        "--update",
        f"{writable.url}/no-such-update",
    )
    assert code == 2
    line = one_line(err)
    assert "HTTP 404" in line and "the target graphs are unchanged (staging graphs removed)" in line
    assert counts(writable) == loaded_twice  # the staging graphs went by DELETE instead
    assert staging_left(writable) == []


def test_a_lost_answer_after_the_switch_says_the_switch_happened(
    writable: Server, loaded_twice: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = remote._request

    def lost(method: str, url: str, body: bytes | None = None, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = real(method, url, body, *args, **kwargs)
        if body is not None and b"MOVE GRAPH" in body:
            raise EndpointError("POST ...: the endpoint hung up mid-answer (injected)")
        return response

    monkeypatch.setattr(remote, "_request", lost)
    code, _, err = kg("load", "--endpoint", f"{writable.url}/store", "--replace")
    assert code == 2
    assert "yet every target graph holds the new triples: the switch happened" in one_line(err)
    assert staging_left(writable) == []
    assert counts(writable)[GRAPHS[1]] < loaded_twice[GRAPHS[1]]


def test_staging_graphs_that_cannot_be_dropped_are_named(
    writable: Server, loaded_twice: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = remote._request

    def sticky(method: str, url: str, body: bytes | None = None, *args, **kwargs):  # type: ignore[no-untyped-def]
        if method == "DELETE" or (body is not None and b"DROP SILENT" in body):
            raise EndpointError(f"{method} ...: was refused: HTTP 403: no (injected)")
        return real(method, url, body, *args, **kwargs)

    monkeypatch.setattr(remote, "_request", sticky)
    code, _, err = kg(
        "load", "--endpoint", f"{writable.url}/store", "--replace", "--graph", "urn:mca-kg:one"
    )
    # the switch itself moved the only staging graph: nothing was left to drop
    assert code == 0, err
    assert staging_left(writable) == []

    def fail_switch(method: str, url: str, body: bytes | None = None, *args, **kwargs):  # type: ignore[no-untyped-def]
        if body is not None and b"MOVE GRAPH" in body:
            raise EndpointError(f"POST {url}: was refused: HTTP 500: boom (injected)")
        return sticky(method, url, body, *args, **kwargs)

    monkeypatch.setattr(remote, "_request", fail_switch)
    code, _, err = kg("load", "--endpoint", f"{writable.url}/store", "--replace")
    assert code == 2
    line = one_line(err)
    assert "the target graphs are unchanged; staging graphs urn:mca-kg:staging:" in line
    assert "are left behind: DROP them" in line
    assert len(staging_left(writable)) == len(GRAPHS)


def test_a_plain_load_is_read_back(writable: Server) -> None:
    code, out, err = kg("load", "--endpoint", f"{writable.url}/store", "--graph", "urn:mca-kg:all")
    assert code == 0, err
    (line,) = out.splitlines()
    assert line.startswith("added to <urn:mca-kg:all>: ")
    assert counts(writable)["urn:mca-kg:all"] == int(line.split(": ")[1].split()[0])
