"""Validate the graph, or any Turtle files, against the project's SHACL shapes.

The data graph is the union of the ontology (indicators declare their units),
the reference data (periods) and the notices, or the files you name instead of
the notices. Validation runs offline: the few QUDT, OWL-Time, ORG and PROV terms
the shapes need are pinned in ``ontology/vendor/``.

Three engines give the same findings (tests hold them to it):

``sparql`` (the default)
    Everything in Oxigraph, set-based: each shape compiles to a few SELECT
    queries that return all its violations at once, run side by side on the
    machine's cores (:mod:`kg.shacl_sparql`). It compiles the SHACL features
    ``ontology/shapes.ttl`` uses; a shape with any other runs in pySHACL on the
    same data, and the findings make one report (``Report.fallback`` names them).
    :func:`validate_store` runs it on a store that is already loaded, without an
    rdflib graph; files are bulk-loaded. It validates the notice in 0.15 s and a
    corpus of a million triples in about 11 s, load included (docs/scale.md).
``oxigraph``
    pySHACL checks the core constraints; every SHACL-SPARQL constraint runs in
    Oxigraph, with ``$this`` pre-bound to each focus node as SHACL prescribes,
    but for those where binding it before the query runs is not pre-binding
    (``$PATH``, or ``$this`` read in an inner group before the query binds it),
    which pySHACL runs with the core.
    pySHACL re-parses a SPARQL constraint for every focus node, which makes its
    SPARQL part a hundred times slower than the queries themselves.
``pyshacl``
    pySHACL alone, the reference.

>>> report = validate()
>>> report.conforms, report.count("Violation")
(True, 0)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from pyshacl.errors import ReportableRuntimeError
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from kg import resources
from kg.dataset import graph_files, iter_graphs, load_extra
from kg.errors import InputError
from kg.findings import (
    Finding,
    Report,
    english,
    fill_template,
    path_text,
    severity,
    severity_name,
    shape_name,
)
from kg.namespaces import ONTOLOGY_GRAPH, PREFIXES, REFERENCE_GRAPH, SH
from kg.shacl_rules import check_shapes, declared_prefixes
from kg.shacl_sparql import UnsupportedShapeError, prebound, sparql_engine_findings
from kg.terms import to_oxigraph, to_quads, to_rdflib
from kg.turtle import parse_turtle

ENGINES = ("sparql", "oxigraph", "pyshacl")

#: How SHACL targets select focus nodes, as SPARQL (SHACL 1.0, section 2.1.3).
_TARGETS = {
    SH.targetClass: "SELECT DISTINCT ?this WHERE {{ ?this rdf:type/rdfs:subClassOf* {0} }}",
    SH.targetObjectsOf: "SELECT DISTINCT ?this WHERE {{ ?s {0} ?this }}",
    SH.targetSubjectsOf: "SELECT DISTINCT ?this WHERE {{ ?this {0} ?o }}",
}


#: A shape that is one of these is an implicit class target (SHACL 1.0, section 2.1.3.3).
_CLASSES = (RDFS.Class, OWL.Class)


def load_shapes() -> Graph:
    return parse_turtle(resources.shapes_file())


def data_graph(files: list[Path] | None = None) -> Graph:
    """The graph to validate: ontology and reference data, plus the notices or ``files``."""
    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    for name, part in iter_graphs():
        if files and name not in (ONTOLOGY_GRAPH, REFERENCE_GRAPH):
            continue
        for triple in part:
            graph.add(triple)
    for path in files or []:
        # Read as the sparql engine reads it (any of its formats, a BOM, relative IRIs
        # against the file's own IRI), then merged: the shapes see one data graph.
        store = ox.Store()
        load_extra(store, [path])
        if len(store) == 0:  # an empty or truncated file must not pass as "conforms"
            raise InputError(f"{path}: holds no triples")
        graph += _union(store)
    return graph


def _text(node: Node | None) -> str | None:
    return None if node is None else str(node)


def validate_graph(graph: Graph, shapes: Graph | None = None, engine: str = "sparql") -> Report:
    """Validate an rdflib graph; the graph must already hold the ontology it relies on."""
    shapes = load_shapes() if shapes is None else shapes
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r}; choose from {', '.join(ENGINES)}")
    check_shapes(shapes)  # before any engine runs a query
    if engine == "pyshacl":
        return _pyshacl(graph, shapes)
    if engine == "sparql":
        store = ox.Store()
        store.extend(to_quads(graph))
        return _compiled(store, shapes, graph)
    # the SPARQL constraints Oxigraph runs as SHACL means them; pySHACL keeps the others
    taken = {}
    for shape, constraint in shapes.subject_objects(SH.sparql):
        try:
            taken[shape, constraint] = prebound(shapes, shape, constraint)
        except UnsupportedShapeError:
            continue
    core = Graph()
    for triple in shapes:
        if (triple[0], triple[2]) not in taken or triple[1] != SH.sparql:
            core.add(triple)
    report = _pyshacl(graph, core)
    report.shapes = shapes
    seen = {(f.key(), f.value) for f in report.findings}
    for finding in sparql_findings(graph, shapes, taken):
        if (finding.key(), finding.value) not in seen:  # sh:node results pySHACL already gave
            seen.add((finding.key(), finding.value))
            report.findings.append(finding)
    return report


def validate_store(store: ox.Store, shapes: Graph | None = None) -> Report:
    """Validate the union of all graphs of an Oxigraph store with the ``sparql`` engine.

    The store must already hold the ontology the data relies on (as
    :func:`kg.dataset.load_store` loads it). No rdflib graph of the data is built,
    unless some shape is one the compiler cannot take (never one of the shipped
    shapes): pySHACL then checks those shapes on the same data.
    """
    shapes = load_shapes() if shapes is None else shapes
    check_shapes(shapes)
    return _compiled(store, shapes, None)


def _compiled(store: ox.Store, shapes: Graph, graph: Graph | None) -> Report:
    """The ``sparql`` engine: compiled shapes in Oxigraph, the others in pySHACL, one report."""
    findings, left = sparql_engine_findings(store, shapes)
    report = Report(findings, shapes=shapes)
    if left:
        started = time.perf_counter()
        if graph is None:
            graph = _union(store)
        report.findings += _pyshacl(graph, _only(shapes, set(left))).findings
        report.fallback = {str(shape): reason for shape, reason in left.items()}
        report.fallback_seconds = time.perf_counter() - started
    return report


def _union(store: ox.Store) -> Graph:
    """The union of a store's graphs as one rdflib graph, for pySHACL."""
    graph = Graph()
    for quad in store:
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


#: What makes a shape's focus nodes: without them a shape is checked only where another
#: reaches it (sh:node, sh:qualifiedValueShape ...).
_TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)


def _only(shapes: Graph, keep: set[Node]) -> Graph:
    """The shapes graph with the targets of every shape but those in ``keep`` removed."""
    kept = Graph()
    for prefix, namespace in shapes.namespaces():
        kept.bind(prefix, namespace)
    for s, p, o in shapes:
        if s not in keep and (p in _TARGET_PREDICATES or (p == RDF.type and o in _CLASSES)):
            continue
        kept.add((s, p, o))
    return kept


def _pyshacl(graph: Graph, shapes: Graph) -> Report:
    try:
        _conforms, results, _text_report = shacl_validate(
            # allow_warnings=False: with True, pySHACL also takes a value with only warnings
            # as conforming to a shape reached through sh:node or sh:qualifiedValueShape,
            # which SHACL does not (a result of any severity is non-conformance)
            graph,
            shacl_graph=shapes,
            inference="none",
            advanced=False,
            allow_warnings=False,
        )
    except (ReportableRuntimeError, NotImplementedError) as error:
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        first = message.strip().splitlines()[0] if message.strip() else type(error).__name__
        raise InputError(f"shapes graph: pySHACL cannot validate with it: {first}") from error
    if not isinstance(results, Graph):  # pySHACL's way of saying it failed
        raise InputError(f"shapes graph: pySHACL cannot validate with it: {results}")
    report = Report(shapes=shapes)
    # Only the report's own results: nested sh:detail results are explanations, not findings.
    for result in results.objects(None, SH.result):
        level = results.value(result, SH.resultSeverity)
        focus = results.value(result, SH.focusNode)
        value = results.value(result, SH.value)
        component = results.value(result, SH.sourceConstraintComponent)
        source = results.value(result, SH.sourceShape)  # the shapes graph's own nodes
        path = results.value(result, SH.resultPath)
        report.findings.append(
            Finding(
                severity=severity_name(level),
                shape=shape_name(shapes, source),
                focus=str(focus),
                path=path_text(shapes, path),
                value=_text(value),
                message=english(list(results.objects(result, SH.resultMessage))),
                component=_text(component),
                focus_node=focus,
                value_node=value,
                source_shape=source,
                path_node=path,
                constraint=results.value(result, SH.sourceConstraint),
            )
        )
    return report


def _focus_nodes(store: ox.Store, shapes: Graph, shape: Node) -> set[Node]:
    focus: set[Node] = set(shapes.objects(shape, SH.targetNode))
    for predicate, template in _TARGETS.items():
        for target in shapes.objects(shape, predicate):
            query = template.format(f"<{target}>")
            prefixes = {"rdf": str(RDF), "rdfs": str(RDFS)}
            solutions = store.query(query, prefixes=prefixes)
            assert isinstance(solutions, ox.QuerySolutions)
            focus.update(to_rdflib(row["this"]) for row in solutions)
    return focus


def _solutions(
    store: ox.Store, shapes: Graph, query: Callable[[Node], str], constraint: Node, node: Node
) -> tuple[list[str], list[ox.QuerySolution]]:
    """The solutions of one SPARQL constraint with ``$this`` pre-bound to ``node``."""
    solutions = store.query(
        query(node),
        prefixes=declared_prefixes(shapes, constraint),
        substitutions={ox.Variable("this"): to_oxigraph(node)},
    )
    assert isinstance(solutions, ox.QuerySolutions)
    return [v.value for v in solutions.variables], list(solutions)


#: The SPARQL constraints the ``oxigraph`` engine runs, by shape and constraint: each a
#: function from a focus node to the query that pre-binds it (:func:`prebound`).
_Taken = dict[tuple[Node, Node], Callable[[Node], str]]


def _active_constraints(shapes: Graph, shape: Node, taken: _Taken) -> list[Node]:
    if shapes.value(shape, SH.deactivated) == Literal(True):
        return []
    return [c for c in shapes.objects(shape, SH.sparql) if (shape, c) in taken]


def sparql_findings(graph: Graph, shapes: Graph, taken: _Taken) -> list[Finding]:
    """Run the SHACL-SPARQL constraints ``taken`` of ``shapes`` over ``graph`` in Oxigraph.

    Follows SHACL 1.0 section 5.3: ``$this`` is pre-bound to each focus node of
    the shape; each solution is a result, with ``?value`` and ``?path`` when bound.
    A shape reached through ``sh:node`` from a property shape must hold for every
    value of that property (section 4.7.1), its SPARQL constraints included; a
    value that breaks one is reported by the property shape, as pySHACL does.
    """
    store = ox.Store()
    store.extend(to_quads(graph))
    findings = []
    for shape in set(shapes.subjects(SH.sparql, None)):
        for constraint in _active_constraints(shapes, shape, taken):
            template = english(list(shapes.objects(constraint, SH.message)))
            for node in _focus_nodes(store, shapes, shape):
                query = taken[shape, constraint]
                variables, rows = _solutions(store, shapes, query, constraint, node)
                for row in rows:
                    # sh:value is ?value where bound, else the focus node (section 5.3.2)
                    bound = row["value"] if "value" in variables else None
                    value = bound if bound is not None else to_oxigraph(node)
                    path = row["path"] if "path" in variables else None
                    findings.append(
                        Finding(
                            severity=severity(shapes, shape),
                            shape=shape_name(shapes, shape),
                            focus=str(node),
                            path=None if path is None else path.value,
                            value=value.value,
                            message=fill_template(template, row, variables),
                            component=str(SH.SPARQLConstraintComponent),
                            focus_node=node,
                            value_node=to_rdflib(value),
                            source_shape=shape,
                            constraint=constraint,
                        )
                    )
    for property_shape, node_shape in shapes.subject_objects(SH.node):
        constraints = _active_constraints(shapes, node_shape, taken)
        path = shapes.value(property_shape, SH.path)
        if not constraints or not isinstance(path, URIRef):
            continue
        message = english(list(shapes.objects(property_shape, SH.message)))
        for parent in shapes.subjects(SH.property, property_shape):
            for focus in _focus_nodes(store, shapes, parent):
                for value in graph.objects(focus, path):
                    if any(
                        _solutions(store, shapes, taken[node_shape, c], c, value)[1]
                        for c in constraints
                    ):
                        findings.append(
                            Finding(
                                severity=severity(shapes, property_shape),
                                shape=shape_name(shapes, property_shape),
                                focus=str(focus),
                                path=str(path),
                                value=str(value),
                                message=message,
                                component=str(SH.NodeConstraintComponent),
                                focus_node=focus,
                                value_node=value,
                                source_shape=property_shape,
                                path_node=path,
                            )
                        )
    return findings


def validate(
    files: list[Path] | None = None, engine: str = "sparql", shapes: Path | None = None
) -> Report:
    """Validate the shipped graph, or ``files`` against the ontology, with the shipped shapes
    or those of the Turtle file ``shapes``.

    Every engine reads N-Quads, TriG, Turtle or N-Triples. The ``sparql`` engine
    bulk-loads the files into Oxigraph (a national corpus never becomes an rdflib
    graph); the others merge them into one rdflib graph.
    """
    shapes_graph = None if shapes is None else parse_turtle(shapes)
    if shapes_graph is not None:
        check_shapes(shapes_graph)  # before any data is loaded
    if engine != "sparql":
        return validate_graph(data_graph(files), shapes_graph, engine=engine)
    from kg.dataset import load_store

    if not files:
        return validate_store(load_store(), shapes_graph)
    store = _vocabulary_store()
    for path in files:
        before = len(store)
        load_extra(store, [path])
        if len(store) == before:  # an empty or truncated file must not pass as "conforms"
            raise InputError(f"{path}: holds no triples")
    return validate_store(store, shapes_graph)


def _vocabulary_store() -> ox.Store:
    """A store of the shipped ontology and reference data only, without the notices.

    The data files are then loaded beside them, in whatever graphs they name: a
    file written by ``kg export -f nquads`` names the shipped notice's graph, and
    its triples are what is validated, not the shipped notice.
    """
    store = ox.Store()
    for name, paths in graph_files():
        if name not in (ONTOLOGY_GRAPH, REFERENCE_GRAPH):
            continue
        for path in paths:
            try:
                store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(name))
            except (SyntaxError, OSError) as error:
                raise InputError(f"{path}: cannot load: {error}") from error
    return store
