"""Every shape has a passing and a failing fixture, and fails exactly where it should.

Fixtures live in ``tests/fixtures/shapes/``: ``NAME.pass.ttl`` must give no
finding at all; ``NAME.fail.ttl`` states what it must give, as triples::

    [] expect:shape mcash:FigureUnit ; expect:focus ex:obs1 ;
       expect:path sdmx-attribute:unitMeasure .

and validation must find exactly those (shape, focus node, path), no more, no
less. Each fixture is validated together with the ontology and reference data,
as `kg validate FILE` does.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from kg.namespaces import SH
from kg.shacl import data_graph, load_shapes, validate_graph

from .conftest import FIXTURES

EXPECT = Namespace("https://w3id.org/mca-kg/test#")
SHAPES_NS = "https://w3id.org/mca-kg/shapes#"
SHAPE_FIXTURES = FIXTURES / "shapes"


def named_shapes() -> list[str]:
    shapes = load_shapes()
    names = {
        str(s)
        for kind in (SH.NodeShape, SH.PropertyShape)
        for s in shapes.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(SHAPES_NS)
    }
    return sorted(name.removeprefix(SHAPES_NS) for name in names)


SHAPES = named_shapes()


def exercised_by(shape: str) -> set[str]:
    """A shape and the named property shapes it gathers (a finding of either exercises it)."""
    shapes = load_shapes()
    node = URIRef(SHAPES_NS + shape)
    return {str(node)} | {
        str(p) for p in shapes.objects(node, SH.property) if isinstance(p, URIRef)
    }


def expected(path: Path) -> set[tuple[str, str, str | None]]:
    graph = Graph().parse(path, format="turtle")
    found = set()
    for node in graph.subjects(EXPECT.shape, None):
        shape = graph.value(node, EXPECT.shape)
        focus = graph.value(node, EXPECT.focus)
        where = graph.value(node, EXPECT.path)
        found.add((str(shape), str(focus), None if where is None else str(where)))
    return found


@cache  # a fixture file's findings by one engine: computed once per run, shared by test files
def findings(path: Path, engine: str = "oxigraph") -> frozenset[tuple[str, str, str | None]]:
    report = validate_graph(data_graph([path]), engine=engine)
    return frozenset((f.shape, f.focus, f.path) for f in report.findings)


def test_there_are_shapes() -> None:
    assert len(SHAPES) >= 20


@pytest.mark.parametrize("shape", SHAPES)
def test_fixture_pair_exists(shape: str) -> None:
    assert (SHAPE_FIXTURES / f"{shape}.pass.ttl").is_file()
    assert (SHAPE_FIXTURES / f"{shape}.fail.ttl").is_file()


@pytest.mark.parametrize("shape", SHAPES)
def test_passing_fixture_gives_no_finding(shape: str) -> None:
    assert findings(SHAPE_FIXTURES / f"{shape}.pass.ttl") == set()


@pytest.mark.parametrize("shape", SHAPES)
def test_failing_fixture_gives_exactly_the_expected_findings(shape: str) -> None:
    path = SHAPE_FIXTURES / f"{shape}.fail.ttl"
    wanted = expected(path)
    assert wanted, f"{path.name} states no expect:shape"
    assert {s for s, _, _ in wanted} & exercised_by(shape), f"{path.name} must exercise {shape}"
    assert findings(path) == wanted


@pytest.mark.slow
@pytest.mark.parametrize("shape", SHAPES)
def test_pyshacl_agrees_on_the_failing_fixture(shape: str) -> None:
    """The default engine (SPARQL constraints in Oxigraph) and pySHACL alone agree."""
    path = SHAPE_FIXTURES / f"{shape}.fail.ttl"
    assert findings(path, "pyshacl") == findings(path, "oxigraph")
