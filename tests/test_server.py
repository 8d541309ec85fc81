"""A real Oxigraph server on 127.0.0.1: `kg load` into it, then every stored question over HTTP.

Each test starts the server it uses and stops it by its process id.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from click.testing import CliRunner

from kg.catalogue import load as load_query
from kg.catalogue import names
from kg.cli import main
from kg.query import answer_of
from kg.remote import run_remote
from kg.server import VOID_GRAPH, Server, served

from .conftest import needs_server

pytestmark = needs_server


def count(url: str, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    request = Request(
        f"{url}/query?{urlencode({'query': query})}",
        headers={"Accept": "application/sparql-results+json"},
    )
    with urlopen(request, timeout=30) as response:
        return int(json.load(response)["results"]["bindings"][0]["n"]["value"])


def kg(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_load_then_every_stored_query_answers_over_http(writable: Server) -> None:
    code, out, _ = kg("load", "--endpoint", f"{writable.url}/store")
    assert code == 0, out
    assert count(writable.url, "https://w3id.org/mca-kg/graph/mca-2020-12-26") > 3000
    for name in names():
        query = load_query(name)
        answer = run_remote(query, query.bindings({}), writable.query_endpoint)
        assert answer.normalised() == answer_of(name).normalised(), name


def test_parameters_travel_as_values_over_http(writable: Server) -> None:
    assert kg("load", "--endpoint", f"{writable.url}/store")[0] == 0
    code, out, _ = kg("query", "standards", "--lang", "zh", "--endpoint", writable.query_endpoint)
    assert code == 0 and "城市低保标准（2020年）" in out
    attack = 'x" } ; DROP ALL ; { "'
    query = load_query("standards")
    with pytest.raises(Exception, match="language must be one of"):
        query.bindings({"lang": attack})
    graph = "https://w3id.org/mca-kg/graph/mca-2020-12-26"
    before = count(writable.url, graph)
    code, out, _ = kg(
        "query",
        "tasks-for-group",
        "--param",
        "group=<https://example.org/x>",
        "--endpoint",
        writable.query_endpoint,
    )
    assert code == 0 and "(0 rows)" in out
    assert count(writable.url, graph) == before


def test_replace_swaps_graphs_whole_and_leaves_no_staging(writable: Server) -> None:
    graph = "https://w3id.org/mca-kg/graph/reference"
    assert kg("load", "--endpoint", f"{writable.url}/store")[0] == 0
    first = count(writable.url, graph)
    # adding again adds the blank nodes (calendar descriptions) anew; replacing restores
    assert kg("load", "--endpoint", f"{writable.url}/store")[0] == 0
    assert count(writable.url, graph) > first
    assert kg("load", "--endpoint", f"{writable.url}/store", "--replace")[0] == 0
    assert count(writable.url, graph) == first
    query = (
        "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER STRSTARTS(STR(?g), 'urn:mca-kg:staging') }"
    )
    request = Request(
        f"{writable.url}/query?{urlencode({'query': query})}",
        headers={"Accept": "application/sparql-results+json"},
    )
    with urlopen(request, timeout=30) as response:
        assert json.load(response)["results"]["bindings"][0]["n"]["value"] == "0"


def test_a_refused_load_is_one_clear_error_and_changes_nothing(tmp_path: Path) -> None:
    with served(tmp_path / "store") as server:  # read-only: every write is refused
        graph = "https://w3id.org/mca-kg/graph/mca-2020-12-26"
        before = count(server.url, graph)
        code, _, err = kg("load", "--endpoint", f"{server.url}/store", "--replace")
        assert code == 2
        assert len(err.strip().splitlines()) == 1 and "was refused" in err
        assert count(server.url, graph) == before


def test_unreachable_endpoint_is_one_clear_error() -> None:
    from kg.server import free_port

    url = f"http://127.0.0.1:{free_port()}"
    for args in (
        ["load", "--endpoint", f"{url}/store"],
        ["query", "standards", "--endpoint", f"{url}/query"],
    ):
        code, _, err = kg(*args)
        assert code == 2
        assert err.strip().splitlines() == [err.strip()] and "cannot reach" in err


def test_served_graph_has_the_shapes_and_the_query_page(tmp_path: Path) -> None:
    with served(tmp_path / "store") as server:
        with urlopen(server.url + "/", timeout=10) as page:
            assert page.status == 200 and b"<html" in page.read().lower()
        assert count(server.url, "https://w3id.org/mca-kg/graph/shapes") > 100
        assert count(server.url, VOID_GRAPH) > 20
        ask = f"ASK {{ ?d <http://rdfs.org/ns/void#sparqlEndpoint> <{server.query_endpoint}> }}"
        request = Request(
            f"{server.url}/query?{urlencode({'query': ask})}",
            headers={"Accept": "application/sparql-results+json"},
        )
        with urlopen(request, timeout=30) as response:
            assert json.load(response)["boolean"] is True
        query = load_query("meeting")
        answer = run_remote(query, query.bindings({}), server.query_endpoint)
        assert answer.normalised() == answer_of("meeting").normalised()
        # the stored questions are served as SPARQL examples, each aimed at this endpoint
        examples = (
            "PREFIX sh: <http://www.w3.org/ns/shacl#> "
            "SELECT ?q ?text ?target WHERE { GRAPH <https://w3id.org/mca-kg/graph/queries> "
            "{ ?q a sh:SPARQLExecutable ; sh:select ?text ; <https://schema.org/target> ?target } }"
        )
        request = Request(
            f"{server.url}/query?{urlencode({'query': examples})}",
            headers={"Accept": "application/sparql-results+json"},
        )
        with urlopen(request, timeout=30) as response:
            rows = json.load(response)["results"]["bindings"]
        served_texts = {r["q"]["value"]: r["text"]["value"] for r in rows}
        assert served_texts == {
            f"https://w3id.org/mca-kg/query/{name}": load_query(name).text for name in names()
        }
        assert {r["target"]["value"] for r in rows} == {server.query_endpoint}
    assert server.process.poll() is not None  # stopped by its process id


def test_a_runaway_query_is_cut_off_by_the_timeout(tmp_path: Path) -> None:
    """A cross product of the whole graph with itself, three times, stopped after 1 s."""
    explosive = tmp_path / "explosive.rq"
    explosive.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }\n")
    with served(tmp_path / "store", timeout=1) as server:
        started = time.monotonic()
        code, _, err = kg("query", str(explosive), "--endpoint", server.query_endpoint)
        assert time.monotonic() - started < 30
        assert code == 2 and "stopped the query" in err and len(err.strip().splitlines()) == 1
        query = load_query("meeting")  # and the server still answers
        assert run_remote(query, query.bindings({}), server.query_endpoint).rows


def test_kg_serve_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    """`kg serve` prints its endpoint, stops on SIGINT, and leaves no lock on the store."""
    import signal
    import subprocess
    import sys

    from kg.dataset import load_store
    from kg.server import free_port

    port = free_port()
    store_dir = tmp_path / "store"
    command = [
        sys.executable,
        "-c",
        "from kg.cli import main; main()",
        "serve",
        "--port",
        str(port),
        "--store",
        str(store_dir),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # bounded: the server prints once it listens
        assert f"http://127.0.0.1:{port}/query" in first
        assert count(f"http://127.0.0.1:{port}", "https://w3id.org/mca-kg/graph/reference") > 100
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    with pytest.raises(OSError):  # the server is gone with the command
        urlopen(f"http://127.0.0.1:{port}/", timeout=2)
    store = load_store(store_dir)  # no lock left behind: the store opens again
    assert len(store) > 4000


def test_a_public_url_is_what_the_description_and_the_examples_name(tmp_path: Path) -> None:
    """Behind a proxy the endpoint's users reach another address than the one it binds;
    the VoID description and every SPARQL example name that one."""
    public = "https://data.example.org/mca-kg/sparql"
    with served(tmp_path / "store", public_url=public) as server:
        targets = (
            "SELECT DISTINCT ?where WHERE { { ?d <http://rdfs.org/ns/void#sparqlEndpoint> ?where }"
            " UNION { GRAPH <https://w3id.org/mca-kg/graph/queries> "
            "{ ?q <https://schema.org/target> ?where } } }"
        )
        request = Request(
            f"{server.url}/query?{urlencode({'query': targets})}",
            headers={"Accept": "application/sparql-results+json"},
        )
        with urlopen(request, timeout=30) as response:
            rows = json.load(response)["results"]["bindings"]
        assert {r["where"]["value"] for r in rows} == {public}
    assert server.process.poll() is not None  # stopped by its process id
