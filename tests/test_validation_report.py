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
from rdflib import Graph, Literal
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
