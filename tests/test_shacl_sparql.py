"""The ``sparql`` engine (SHACL compiled to set-based SPARQL) finds what pySHACL finds.

It is held to pySHACL's findings (severity, shape, focus node, path) on every
shape fixture, on the shipped data and on the mutated graphs of
``test_validation.py``; to the fixtures' own ``expect:`` statements; and, on
small graphs of their own, on the SHACL features the engine supports although
``ontology/shapes.ttl`` does not use them. A shapes graph with a feature it does
not support must be refused, never half-checked.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import main
from kg.errors import InputError
from kg.namespaces import MCA, REFERENCE_GRAPH
from kg.shacl import Report, validate_graph, validate_store

from .conftest import NOTICE
from .test_shapes import SHAPE_FIXTURES, expected, findings
from .test_validation import (
    MUTATIONS,
    mutated,
    period_ending_before_it_begins,
    with_a_literal_period,
)

FIXTURES = sorted(SHAPE_FIXTURES.glob("*.ttl"))
PASSING = [path for path in FIXTURES if path.name.endswith(".pass.ttl")]
FAILING = [path for path in FIXTURES if path.name.endswith(".fail.ttl")]

PREFIXES = """
PREFIX ex: <http://example.org/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def agree(graph: Graph, shapes: Graph | None = None, reference: str = "pyshacl") -> Report:
    """Validate with the sparql engine and ``reference``, require the same findings.

    On the whole notice pySHACL takes some 25 s a run; the ``oxigraph`` engine (pySHACL
    for the core constraints, 1 s) is then the reference, on graphs where
    ``tests/test_validation.py`` also holds this engine, the default, to pySHACL alone.
    """
    compiled = validate_graph(graph, shapes, engine="sparql")
    assert compiled.keys() == validate_graph(graph, shapes, engine=reference).keys()
    return compiled


# --- the fixtures ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", PASSING, ids=lambda p: p.name)
def test_passing_fixture_gives_no_finding(path: Path) -> None:
    assert findings(path, "sparql") == set()


@pytest.mark.parametrize("path", FAILING, ids=lambda p: p.name)
def test_failing_fixture_gives_exactly_the_expected_findings(path: Path) -> None:
    assert findings(path, "sparql") == expected(path)


@pytest.mark.slow
@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_pyshacl_agrees_on_the_fixture(path: Path) -> None:
    assert findings(path, "sparql") == findings(path, "pyshacl")


# --- the shipped data and its mutations ------------------------------------------------------


def test_the_data_conforms(graph: Graph) -> None:
    report = validate_graph(graph, engine="sparql")
    assert report.findings == [], report.text()


def test_a_loaded_store_validates_without_rdflib(store: ox.Store) -> None:
    """``kg.dataset.load_store`` keeps each source in its own named graph; all are validated."""
    report = validate_store(store)
    assert report.findings == [], report.text()


def test_a_store_is_validated_across_its_named_graphs(store: ox.Store) -> None:
    """Without the reference graph's periods, the notice's figures have periods without dates."""
    copy = ox.Store()
    copy.extend(store)
    copy.remove_graph(ox.NamedNode(str(REFERENCE_GRAPH)))
    focus = {f.focus for f in validate_store(copy).findings if f.shape.endswith("#FigurePeriod")}
    assert NOTICE + "obs-dibao-standard-urban" in focus


@pytest.mark.slow
def test_pyshacl_agrees_on_the_data(graph: Graph, pyshacl_data_report: Report) -> None:
    assert validate_graph(graph, engine="sparql").keys() == pyshacl_data_report.keys()


@pytest.mark.slow
def test_pyshacl_agrees_on_a_figure_mutation(graph: Graph) -> None:
    change, _shape, _path = MUTATIONS["remove-unit"]
    assert not agree(mutated(graph, change)).conforms


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_the_oxigraph_engine_agrees_on_every_figure_mutation(graph: Graph, mutation: str) -> None:
    change, _shape, _path = MUTATIONS[mutation]
    assert not agree(mutated(graph, change), reference="oxigraph").conforms


def test_the_oxigraph_engine_agrees_on_a_period_reached_through_sh_node(graph: Graph) -> None:
    # tests/test_validation.py holds this (the default) engine to pySHACL on this graph
    report = agree(period_ending_before_it_begins(graph), reference="oxigraph")
    assert not report.conforms


def test_the_oxigraph_engine_agrees_on_a_literal_period(graph: Graph) -> None:
    assert len(agree(with_a_literal_period(graph), reference="oxigraph").findings) == 1


def test_the_oxigraph_engine_agrees_without_the_corrected_readings(graph: Graph) -> None:
    copy = Graph()
    for triple in graph:
        if triple[1] != MCA.corrects:
            copy.add(triple)
    report = agree(copy, reference="oxigraph")
    flagged = {f.focus for f in report.findings if f.shape.endswith("#PlausibleStandardShape")}
    assert flagged == {NOTICE + "obs-tekun-standard-urban", NOTICE + "obs-tekun-standard-rural"}


def test_the_command_line_offers_the_engine() -> None:
    result = CliRunner().invoke(main, ["validate", "--engine", "sparql", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


# --- features the shipped shapes do not use -------------------------------------------------

DATA = """
ex:a a ex:Thing ; ex:code "A1" ; ex:amount "12.5"^^xsd:decimal ; ex:kind ex:red ;
    ex:note "x"@en , "y"@EN , "z"@de ; ex:ref ex:b , "literal" ; ex:tag 1, 2, 3, 4, 5 .
ex:b a ex:Other ; ex:code "B2"@en ; ex:amount "abc"^^xsd:decimal ; ex:kind ex:blue ;
    ex:ref ex:c ; ex:tag 1 ; ex:part [ ex:code "P" ] , [ ex:code "Q" ] .
ex:c ex:amount "7"^^xsd:integer ; ex:code "C" ; ex:lang "c"@en ; ex:ref ex:a .
ex:d ex:ref ex:a .
"""

SHAPES = """
ex:NodeShape a sh:NodeShape ;
    sh:targetNode ex:a , ex:b , ex:nowhere ;
    sh:nodeKind sh:IRI ;
    sh:in ( ex:a ex:c ) ;
    sh:property ex:CodeShape , ex:AmountShape , ex:KindShape , ex:TagShape , ex:PartShape .
ex:CodeShape a sh:PropertyShape ; sh:path ex:code ; sh:datatype xsd:string ; sh:minCount 1 .
ex:AmountShape a sh:PropertyShape ; sh:path ex:amount ; sh:datatype xsd:decimal .
ex:KindShape a sh:PropertyShape ; sh:path ex:kind ; sh:hasValue ex:red ; sh:severity sh:Info .
ex:TagShape a sh:PropertyShape ; sh:path ex:tag ; sh:minCount 4 ; sh:maxCount 4 .
ex:PartShape a sh:PropertyShape ; sh:path ex:part ; sh:nodeKind sh:BlankNodeOrLiteral ;
    sh:qualifiedValueShape [ sh:property [ sh:path ex:code ; sh:in ( "P" ) ] ] ;
    sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 0 .
ex:SubjectShape a sh:NodeShape ;
    sh:targetSubjectsOf ex:ref ;
    sh:property [ sh:path ex:ref ; sh:class ex:Thing ; sh:nodeKind sh:IRI ] ,
        [ sh:path ex:note ; sh:uniqueLang true ; sh:languageIn ( "en" ) ] ,
        [ sh:path ex:lang ; sh:datatype rdf:langString ; sh:minCount 1 ] ,
        [ sh:path ex:code ; sh:deactivated true ; sh:minCount 9 ] .
ex:ObjectShape a sh:NodeShape ;
    sh:targetObjectsOf ex:ref ;
    sh:hasValue ex:c ;
    sh:node ex:CodedShape ;
    sh:sparql [
        sh:select '''SELECT ?value
                     WHERE { $this <http://example.org/tag> ?value FILTER (?value > 3) }''' ;
        sh:message "Tag {?value} is too high"@en ;
    ] , [
        sh:deactivated true ;
        sh:select "SELECT $this WHERE { $this ?p ?o }" ;
    ] .
ex:CodedShape a sh:NodeShape ; sh:property [ sh:path ex:code ; sh:minCount 1 ] .
ex:OffShape a sh:NodeShape ; sh:deactivated true ; sh:targetNode ex:a ; sh:class ex:Other .
ex:TargetedShape a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:kind ; sh:maxCount 0 .
"""


def test_features_not_in_the_shipped_shapes_agree_with_pyshacl() -> None:
    report = agree(turtle(DATA), turtle(SHAPES))
    found = {(f.shape.rsplit("/", 1)[-1], f.focus.rsplit("/", 1)[-1]) for f in report.findings}
    assert found >= {
        ("NodeShape", "nowhere"),  # a target node that is not in the data
        ("NodeShape", "b"),  # not in sh:in
        ("CodeShape", "b"),  # a language-tagged string is not an xsd:string
        ("AmountShape", "b"),  # an ill-typed decimal
        ("KindShape", "b"),
        ("TagShape", "a"),  # 5 values, at most 4
        ("TagShape", "b"),  # 1 value, at least 4
        ("PartShape", "b"),  # one part conforms, none may
        ("PartShape", "a"),  # no part conforms, one must
        ("SubjectShape", "a"),  # a literal reference, two notes in one language, one in German
        ("ObjectShape", "a"),  # SPARQL constraint without $this projected; sh:hasValue
        ("ObjectShape", "literal"),  # a literal focus node without a code
        ("TargetedShape", "a"),  # a property shape with targets of its own
    }
    assert "OffShape" not in {shape for shape, _ in found}
    assert {f.severity for f in report.findings if f.shape.endswith("KindShape")} == {"Info"}
    messages = {f.message for f in report.findings if f.shape.endswith("ObjectShape")}
    assert {"Tag 4 is too high", "Tag 5 is too high"} <= messages


def test_a_subquery_projecting_this_agrees_with_pyshacl() -> None:
    """SHACL allows a subquery that projects ``$this``: joined on it, it gives what
    pre-binding gives. Of the references, "literal" (from ex:a) and ex:c (from
    ex:b) have no ex:kind; ex:b and ex:a (from ex:a, ex:c and ex:d) have one."""
    shapes = turtle(
        """
        ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:ref ;
            sh:sparql [ sh:select '''
                SELECT $this ?value WHERE {
                    { SELECT $this ?value WHERE { $this <http://example.org/ref> ?value } }
                    FILTER NOT EXISTS { ?value <http://example.org/kind> ?kind }
                }''' ] .
        """
    )
    report = agree(turtle(DATA), shapes)
    assert sorted((f.focus.rsplit("/", 1)[-1], f.value) for f in report.findings) == [
        ("a", "literal"),
        ("b", "http://example.org/c"),
    ]


def test_ill_typed_literals_follow_xsd() -> None:
    """Lexical forms outside the datatype's lexical space are violations, as XSD has them.

    Data loaded by Oxigraph keeps such literals as written. (rdflib repairs what
    it can read while parsing: ``"1e3"^^xsd:decimal`` becomes ``"1000"``, a time
    in an ``xsd:date`` is dropped, so on an rdflib graph both engines see the
    repaired values.)
    """
    store = ox.Store()
    store.load(
        input=(
            PREFIXES
            + """
            ex:ok ex:decimal 665.0 ; ex:date "2020-12-26"^^xsd:date ; ex:flag true .
            ex:bad ex:decimal "1e3"^^xsd:decimal , "1.8亿"^^xsd:decimal ;
                ex:date "2020-12-26T09:00:00"^^xsd:date ; ex:flag "yes"^^xsd:boolean .
            """
        ).encode(),
        format=ox.RdfFormat.TURTLE,
    )
    shapes = turtle(
        """
        ex:S a sh:NodeShape ; sh:targetNode ex:ok , ex:bad ;
            sh:property [ sh:path ex:decimal ; sh:datatype xsd:decimal ] ,
                [ sh:path ex:date ; sh:datatype xsd:date ] ,
                [ sh:path ex:flag ; sh:datatype xsd:boolean ] .
        """
    )
    report = validate_store(store, shapes)
    assert sorted((f.focus.rsplit("/", 1)[-1], f.value) for f in report.findings) == [
        ("bad", "1.8亿"),
        ("bad", "1e3"),
        ("bad", "2020-12-26T09:00:00"),
        ("bad", "yes"),
    ]


# --- what the engine refuses ----------------------------------------------------------------


def on_a(constraints: str) -> str:
    """A shapes graph of one node shape for ``ex:a`` with ``constraints``."""
    return f"ex:S a sh:NodeShape ; sh:targetNode ex:a ; {constraints} ."


def constrained(select: str) -> str:
    return on_a(f'sh:sparql [ sh:select "{select}" ]')


UNSUPPORTED = {
    "sh:pattern": on_a('sh:property [ sh:path ex:code ; sh:pattern "^A" ]'),
    "sh:or": on_a("sh:or ( [ sh:class ex:Thing ] )"),
    "an inverse path": on_a("sh:property [ sh:path [ sh:inversePath ex:ref ] ; sh:minCount 1 ]"),
    "a sequence path": on_a("sh:property [ sh:path ( ex:ref ex:code ) ; sh:minCount 1 ]"),
    "sh:qualifiedValueShapesDisjoint": on_a(
        "sh:property [ sh:path ex:ref ; sh:qualifiedValueShape [ sh:class ex:Thing ] ; "
        "sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint true ]"
    ),
    "sh:closed": on_a("sh:closed true"),
    "a SPARQL-based constraint component": (
        "ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:wanted ] ; "
        "sh:validator [ a sh:SPARQLAskValidator ; "
        'sh:ask "ASK { FILTER (sameTerm($value, $wanted)) }" ] . '
        + on_a("sh:property [ sh:path ex:ref ; ex:wanted ex:b ]")
    ),
    "recursive shapes": on_a("sh:property [ sh:path ex:ref ; sh:node ex:S ]"),
    "a SPARQL constraint on a property shape": on_a(
        "sh:property [ sh:path ex:ref ; "
        'sh:sparql [ sh:select "SELECT $this WHERE { $this $PATH ?v }" ] ]'
    ),
    "a datatype Oxigraph rewrites": on_a(
        "sh:property [ sh:path ex:count ; sh:datatype xsd:nonNegativeInteger ]"
    ),
    "a subquery that projects $this but may leave it unbound": constrained(
        "SELECT $this WHERE { { SELECT $this WHERE { OPTIONAL { $this ?p ?o } } } }"
    ),
    "LIMIT in a subquery using $this": constrained(
        "SELECT $this WHERE { { SELECT $this WHERE { $this ?p ?o } LIMIT 1 } }"
    ),
    "an aggregate in a subquery using $this": constrained(
        "SELECT $this WHERE { { SELECT $this (COUNT(?o) AS ?n) WHERE { $this ?p ?o } "
        "GROUP BY $this } FILTER (?n > 9) }"
    ),
    "$this unbound in a UNION branch": constrained(
        "SELECT $this WHERE { { ?x ?p ?o } UNION { FILTER (isIRI($this)) } }"
    ),
    "LIMIT": constrained("SELECT $this WHERE { $this ?p ?o } LIMIT 1"),
    "aggregates": constrained(
        "SELECT $this (COUNT(?o) AS ?n) WHERE { $this ?p ?o } GROUP BY $this HAVING (COUNT(?o) > 9)"
    ),
}

#: What pySHACL refuses too: the shapes graph is refused, a user's error.
REFUSED = {
    "minCount on a node shape": on_a("sh:minCount 1"),
    "$shapesGraph": constrained("SELECT $this WHERE { GRAPH $shapesGraph { $this ?p ?o } }"),
}


@pytest.mark.parametrize("feature", sorted(UNSUPPORTED))
def test_a_shape_the_compiler_cannot_take_runs_in_pyshacl(feature: str) -> None:
    """Never half-checked: the whole shape goes to pySHACL, on the same data, one report."""
    shapes = turtle(UNSUPPORTED[feature])
    report = agree(turtle(DATA), shapes)
    assert set(report.fallback) == {"http://example.org/S"}


@pytest.mark.parametrize("feature", sorted(REFUSED))
def test_a_shape_neither_engine_takes_is_refused(feature: str) -> None:
    with pytest.raises(InputError):
        validate_graph(turtle(DATA), turtle(REFUSED[feature]), engine="sparql")


def test_an_implicit_class_target_is_compiled() -> None:
    """A shape that is also a class targets its instances (SHACL 1.0, section 2.1.3.3)."""
    shapes = turtle(
        "ex:Thing a rdfs:Class , sh:NodeShape ; sh:property [ sh:path ex:lang ; sh:minCount 1 ] ."
    )
    report = agree(turtle(DATA), shapes)
    assert report.fallback == {}
    assert [f.focus for f in report.findings] == ["http://example.org/a"]  # ex:c has a lang


def test_the_shipped_shapes_are_all_compiled() -> None:
    assert validate_graph(Graph(), engine="sparql").fallback == {}


# --- composing conditions -------------------------------------------------------------------

#: ex:a's value ex:x is in the list but is not a literal; ex:b's value "x" is a literal but
#: not in the list; only ex:c's value, the literal "y" in the list, meets both constraints.
COMPOSED_DATA = """
ex:a ex:p ex:x .
ex:b ex:p "x" .
ex:c ex:p "y" .
"""

#: The value shape: sh:in with two members beside another constraint.
INNER = 'ex:Inner a sh:NodeShape ; sh:in ( ex:x "y" ) ; sh:nodeKind sh:Literal .'


@pytest.mark.parametrize(
    "reach",
    [
        "sh:node ex:Inner",
        "sh:qualifiedValueShape ex:Inner ; sh:qualifiedMinCount 1",
    ],
)
def test_sh_in_beside_another_constraint_in_a_nested_shape_checks_both(reach: str) -> None:
    """Once compiled to ``sameTerm(v, x) || sameTerm(v, "y") && isLiteral(v)``: a value in the
    list skipped the other test, and ex:a conformed."""
    shapes = turtle(
        f"""
        ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ;
            sh:property [ sh:path ex:p ; {reach} ] .
        {INNER}
        """
    )
    report = agree(turtle(COMPOSED_DATA), shapes)
    assert sorted(f.focus.rsplit("/", 1)[-1] for f in report.findings) == ["a", "b"]


def test_the_oxigraph_engine_pre_binds_a_blank_focus_node() -> None:
    """Oxigraph's substitutions leave ``$this`` unbound in a ``BIND`` (SHACL pre-binds it
    everywhere). The ``oxigraph`` engine binds it first in the WHERE clause, by name or,
    for a blank node of the data, by a triple it occurs in. By hand: of the two blank
    nodes with an ex:size, the one of size 3 is over 2; the IRI ex:c, of size 5, too."""
    data = turtle(
        """
        [] ex:size 1 .
        [] ex:size 3 .
        ex:c ex:size 5 .
        """
    )
    shapes = turtle(
        """
        ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:size ;
            sh:sparql [ sh:select '''
                SELECT $this ?value WHERE {
                    BIND ($this AS ?node)
                    ?node <http://example.org/size> ?value .
                    FILTER (?value > 2)
                }''' ] .
        """
    )
    for engine in ("oxigraph", "pyshacl", "sparql"):
        report = validate_graph(data, shapes, engine=engine)
        assert sorted(f.value for f in report.findings) == ["3", "5"], engine
        assert sum(f.focus == "http://example.org/c" for f in report.findings) == 1, engine
