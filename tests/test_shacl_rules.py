"""SHACL-SPARQL that SHACL forbids is refused by every engine, before any query runs.

SHACL 1.0, section 5.2.1: no MINUS, SERVICE or VALUES; no ``AS`` binding a
pre-bound variable; every subquery returns ``$this``. Such a shapes graph once
ran: with SERVICE, validation sent an HTTP request, and an empty answer switched
the constraint off.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import main
from kg.errors import EXIT_USAGE
from kg.shacl import ENGINES, validate_graph
from kg.shacl_rules import ForbiddenSparqlError, IllFormedListError

PREFIXES = """
PREFIX ex: <http://example.org/>
PREFIX sh: <http://www.w3.org/ns/shacl#>
"""

DATA = "ex:a ex:p ex:b ."


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def constrained(select: str) -> str:
    return f'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select """{select}""" ] .'


FORBIDDEN = {
    "MINUS": "SELECT $this WHERE { $this ?p ?o MINUS { $this ?p <http://example.org/c> } }",
    "MINUS without $this": "SELECT $this WHERE { $this ?p ?o MINUS { ?o ?q ?r } }",
    "VALUES": "SELECT $this WHERE { $this ?p ?o VALUES ?o { <http://example.org/b> } }",
    "VALUES binding $this": "SELECT $this WHERE { VALUES $this { <http://example.org/a> } }",
    "VALUES after the WHERE clause": (
        "SELECT $this WHERE { $this ?p ?o } VALUES ?o { <http://example.org/b> }"
    ),
    "SERVICE": "SELECT $this WHERE { $this ?p ?o SERVICE <http://127.0.0.1:9/> { ?o ?q ?r } }",
    "SERVICE in FILTER NOT EXISTS": (
        "SELECT $this WHERE { $this ?p ?o "
        "FILTER NOT EXISTS { SERVICE <http://127.0.0.1:9/> { ?o ?q ?r } } }"
    ),
    "a subquery without $this": (
        "SELECT $this WHERE { $this ?p ?o { SELECT ?o WHERE { ?o ?q ?r } } }"
    ),
    "a subquery using $this without returning it": (
        "SELECT $this WHERE { $this ?p ?o { SELECT ?o WHERE { $this ?q ?o } } }"
    ),
    "SELECT * with $this only in a FILTER": (
        "SELECT $this WHERE { { SELECT * WHERE { FILTER ($this = <http://example.org/a>) } } }"
    ),
    "BIND AS $this": "SELECT $this WHERE { BIND (<http://example.org/a> AS $this) }",
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("form", sorted(FORBIDDEN))
def test_forbidden_sparql_is_refused(form: str, engine: str) -> None:
    with pytest.raises(ForbiddenSparqlError, match=r"SHACL (forbids|requires)"):
        validate_graph(turtle(DATA), turtle(constrained(FORBIDDEN[form])), engine=engine)


def test_what_the_rules_allow_is_not_refused() -> None:
    """A subquery that returns $this (SHACL's own pre-binding-007: in a FILTER only)."""
    select = (
        "SELECT $this WHERE { { SELECT $this WHERE { FILTER ($this = <http://example.org/a>) } } }"
    )
    report = validate_graph(turtle(DATA), turtle(constrained(select)), engine="pyshacl")
    assert [f.focus for f in report.findings] == ["http://example.org/a"]


class _Recorder(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head": {"vars": []}, "results": {"bindings": []}}')

    def log_message(self, *_args: object) -> None:
        pass


@pytest.mark.parametrize("engine", ENGINES)
def test_validation_never_sends_an_http_request(tmp_path: Path, engine: str) -> None:
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.requests = []
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        select = f"SELECT $this WHERE {{ $this ?p ?o SERVICE <{endpoint}> {{ ?o ?q ?r }} }}"
        shapes = tmp_path / "shapes.ttl"
        shapes.write_text(PREFIXES + constrained(select), encoding="utf-8")
        data = tmp_path / "data.ttl"
        data.write_text(PREFIXES + DATA, encoding="utf-8")
        before = sorted(p.name for p in tmp_path.iterdir())
        result = CliRunner().invoke(
            main, ["validate", "--engine", engine, "--shapes", str(shapes), str(data)]
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert _Recorder.requests == []
    assert result.exit_code == EXIT_USAGE
    assert len(result.stderr.strip().splitlines()) == 1
    assert "SERVICE" in result.stderr and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# --- lists ------------------------------------------------------------------------------------

LIST_SHAPE = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property ex:P .
ex:P sh:path _:h ; sh:maxCount 5 .
"""

LISTS = {
    # a path list whose third cell leads back to the second: refused
    "into a loop": (
        "_:h rdf:first ex:p ; rdf:rest _:x . _:x rdf:first ex:p ; rdf:rest _:y . "
        "_:y rdf:first ex:p ; rdf:rest _:x .",
        "loops back",
    ),
    # two lists sharing a tail (RDF allows it), one of them no shape's: accepted
    "shared tail": (
        "_:h rdf:first ex:p ; rdf:rest _:t . _:o rdf:first ex:q ; rdf:rest _:t . "
        "_:t rdf:first ex:p ; rdf:rest rdf:nil .",
        None,
    ),
    # a looping list that no shape uses: not the engines' business
    "unused loop": (
        "_:h rdf:first ex:p ; rdf:rest _:e . _:e rdf:first ex:p ; rdf:rest rdf:nil . "
        "_:u rdf:first ex:q ; rdf:rest _:u .",
        None,
    ),
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_shape_s_list_must_be_a_shacl_list(engine: str, name: str) -> None:
    lists, refused = LISTS[name]
    shapes = Graph().parse(data=PREFIXES + LIST_SHAPE + lists, format="turtle")
    data = Graph().parse(data=PREFIXES + DATA, format="turtle")
    if refused is None:
        assert validate_graph(data, shapes, engine=engine).conforms
    else:
        with pytest.raises(IllFormedListError, match=refused):
            validate_graph(data, shapes, engine=engine)
