"""The report means what SHACL says (1.0, section 3.6), whatever the engine.

``sh:conforms`` is false as soon as there is a result of any severity (the exit
code still lets warnings pass, as ``kg validate --help`` says); each result
names its constraint component; a node breaking both ``sh:minCount`` and
``sh:maxCount`` has both results; ``kg validate --format turtle`` writes an
``sh:ValidationReport`` that rdflib reads back into the same results.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDF

from kg.cli import main
from kg.findings import Report
from kg.namespaces import SH
from kg.shacl import ENGINES, validate_graph

from .shacl_suite import _key

PREFIXES = """
PREFIX ex: <http://example.org/>
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

DATA = """
ex:a a ex:Thing ; ex:code "A" ; ex:size "big" ; ex:part ex:p1, ex:p2 .
ex:b a ex:Thing ; ex:code "B" ; ex:size 3 ; ex:part ex:p1, ex:p2, ex:p3 .
"""

SHAPES = """
ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:size ; sh:datatype xsd:integer ] ;
    sh:property [ sh:path ex:label ; sh:minCount 1 ; sh:severity sh:Warning ] ;
    sh:property [ sh:path ex:code ; sh:in ( "A" ) ] .
"""

EX = Namespace("http://example.org/")
MIN, MAX = str(SH.MinCountConstraintComponent), str(SH.MaxCountConstraintComponent)

#: Bounds with sh:minCount above sh:maxCount, and the results: ex:a has 2 parts, ex:b 3.
#: (Up to 3 values are counted pairwise, more by a subquery: the two ways of counting.)
COUNTS = {
    "pairwise": ("sh:minCount 3 ; sh:maxCount 1", {("a", MIN), ("a", MAX), ("b", MAX)}),
    "counted": ("sh:minCount 5 ; sh:maxCount 1", {(n, c) for n in "ab" for c in (MIN, MAX)}),
}


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def components(report: Report) -> set[tuple[str, str | None]]:
    return {(f.focus.rsplit("/", 1)[-1], f.component) for f in report.findings}


@pytest.mark.parametrize("engine", ENGINES)
def test_each_finding_names_its_constraint_component(engine: str) -> None:
    report = validate_graph(turtle(DATA), turtle(SHAPES), engine=engine)
    assert components(report) == {
        ("a", str(SH.DatatypeConstraintComponent)),
        ("a", str(SH.MinCountConstraintComponent)),
        ("b", str(SH.MinCountConstraintComponent)),
        ("b", str(SH.InConstraintComponent)),
    }


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("counting", sorted(COUNTS))
def test_min_count_above_max_count_gives_both_results(engine: str, counting: str) -> None:
    bounds, expected = COUNTS[counting]
    shapes = f"""
        ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
            sh:property [ sh:path ex:part ; {bounds} ] .
    """
    report = validate_graph(turtle(DATA), turtle(shapes), engine=engine)
    assert components(report) == expected


def test_warnings_alone_do_not_conform_but_pass() -> None:
    shapes = turtle(
        "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; "
        "sh:property [ sh:path ex:label ; sh:minCount 1 ; sh:severity sh:Warning ] ."
    )
    report = validate_graph(turtle(DATA), shapes)
    assert [f.severity for f in report.findings] == ["Warning", "Warning"]
    assert not report.conforms and report.passes
    assert report.text().splitlines()[-1] == "does not conform: 0 violations, 2 warnings"
    assert report.graph().value(predicate=RDF.type, object=SH.ValidationReport) is not None


def test_no_result_conforms() -> None:
    report = validate_graph(turtle(DATA), turtle("ex:S a sh:NodeShape ."))
    assert report.conforms and report.passes
    graph = report.graph()
    (node,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(node, SH.conforms) == Literal(True)
    assert graph.value(node, SH.result) is None


@pytest.mark.parametrize("engine", ENGINES)
def test_the_turtle_report_reads_back_as_the_same_results(tmp_path: Path, engine: str) -> None:
    data, shapes = tmp_path / "data.ttl", tmp_path / "shapes.ttl"
    data.write_text(PREFIXES + DATA, encoding="utf-8")
    shapes.write_text(PREFIXES + SHAPES, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["validate", "--engine", engine, "--shapes", str(shapes), "-f", "turtle", str(data)],
    )
    assert result.exit_code == 1  # violations
    graph = Graph().parse(data=result.stdout, format="turtle")
    (node,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(node, SH.conforms) == Literal(False)
    read = {_key(graph, r) for r in graph.objects(node, SH.result)}
    report = validate_graph(turtle(DATA), turtle(SHAPES), engine=engine)
    assert read == {(f.focus, f.path, f.severity, f.component) for f in report.findings}
    assert all(
        (r, RDF.type, SH.ValidationResult) in graph and graph.value(r, SH.sourceShape)
        for r in graph.objects(node, SH.result)
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_a_warning_in_a_nested_shape_is_non_conformance(engine: str) -> None:
    """SHACL 1.0, section 3.4: conformance to a shape means no result, of any severity.
    (pySHACL with ``allow_warnings`` let a value with only warnings conform.)"""
    shapes = turtle(
        "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:part ; "
        "sh:qualifiedValueShape [ sh:property [ sh:path ex:code ; sh:minCount 1 ; "
        "sh:severity sh:Warning ] ] ; sh:qualifiedMinCount 1 ] ."
    )
    report = validate_graph(turtle(DATA), shapes, engine=engine)
    assert components(report) == {("a", str(SH.QualifiedMinCountConstraintComponent))}


@pytest.mark.parametrize("engine", ENGINES)
def test_the_report_names_the_shape_and_path_themselves(engine: str) -> None:
    """Each result's sh:sourceShape is the (anonymous) property shape that found it, copied
    into the report with what it says, and sh:resultPath any path, as a tree; the text
    report shows the path in SPARQL's syntax. A shape's own severity stays its IRI."""
    shapes = turtle(
        "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;"
        "  sh:property [ sh:path ex:size ; sh:datatype xsd:integer ; sh:severity ex:Mine ] ;"
        "  sh:property [ sh:path ( ex:part [ sh:inversePath ex:part ] ) ; sh:maxCount 1 ] ."
    )
    report = validate_graph(turtle(DATA), shapes, engine=engine)
    graph = report.graph()
    results = {
        (
            str(graph.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
            str(graph.value(r, SH.focusNode)).rsplit("/", 1)[-1],
        ): r
        for r in graph.objects(None, SH.result)
    }
    # ex:a's size "big" is no integer; by the path, ex:a and ex:b both reach {ex:a, ex:b}
    # (ex:p1 and ex:p2 are parts of both): two values where one is allowed
    assert set(results) == {
        ("DatatypeConstraintComponent", "a"),
        ("MaxCountConstraintComponent", "a"),
        ("MaxCountConstraintComponent", "b"),
    }
    datatype = results["DatatypeConstraintComponent", "a"]
    assert graph.value(datatype, SH.resultSeverity) == EX.Mine
    shape = graph.value(datatype, SH.sourceShape)
    assert graph.value(shape, SH.path) == EX.size and graph.value(shape, SH.datatype)
    for focus in "ab":
        count = results["MaxCountConstraintComponent", focus]
        path = graph.value(count, SH.resultPath)
        assert graph.value(path, RDF.first) == EX.part
        second = graph.value(graph.value(path, RDF.rest), RDF.first)
        assert graph.value(second, SH.inversePath) == EX.part
        assert graph.value(graph.value(count, SH.sourceShape), SH.maxCount) == Literal(1)
    paths = {f.path for f in report.findings if f.component == str(SH.MaxCountConstraintComponent)}
    assert paths == {"(<http://example.org/part>/^<http://example.org/part>)"}
    assert "(<http://example.org/part>/^<http://example.org/part>)" in report.text()
    assert "http://example.org/Mine" in {f.severity for f in report.findings}
