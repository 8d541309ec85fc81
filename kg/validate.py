"""Validate the graph, or any Turtle files, against the project's SHACL shapes.

Two engines give the same findings (a test holds them to it):

``oxigraph`` (the default)
    pySHACL checks the core constraints; every SHACL-SPARQL constraint runs in
    Oxigraph, pre-binding ``$this`` to each focus node as SHACL prescribes.
    pySHACL re-parses a SPARQL constraint for every focus node, which makes
    the SPARQL part a hundred times slower than the query itself.
``pyshacl``
    pySHACL alone, the reference.

The data graph is the union of the ontology (indicators declare their units),
the reference data (periods) and the notices, or the files you name instead of
the notices. Validation runs offline: the few QUDT and OWL-Time terms the shapes
need are pinned in ``ontology/vendor/``.

>>> report = validate()
>>> report.conforms, report.count("Violation")
(True, 0)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg import resources
from kg.dataset import iter_graphs
from kg.namespaces import PREFIXES, SH, doc_namespace
from kg.turtle import parse_turtle


@dataclass(frozen=True)
class Finding:
    """One validation result, in words a policy analyst understands."""

    severity: str  # "Violation", "Warning" or "Info"
    shape: str  # the shape that found it, e.g. "mcash:FigureUnit"
    focus: str  # the node it is about
    path: str | None
    value: str | None
    message: str


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when nothing of severity Violation was found (warnings are for a person to read)."""
        return self.count("Violation") == 0

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def by_shape(self) -> dict[str, list[Finding]]:
        groups: dict[str, list[Finding]] = defaultdict(list)
        for finding in sorted(self.findings, key=lambda f: (f.shape, f.focus, f.path or "")):
            groups[finding.shape].append(finding)
        return dict(groups)

    def text(self) -> str:
        """A readable report, grouped by shape."""
        lines = []
        for shape, findings in self.by_shape().items():
            lines.append(f"{shape} ({len(findings)})")
            for f in findings:
                where = f" {f.path}" if f.path else ""
                lines.append(f"  {f.severity}: {f.focus}{where}: {f.message}")
        verdict = "conforms" if self.conforms else "does not conform"
        lines.append(
            f"{verdict}: {self.count('Violation')} violations, {self.count('Warning')} warnings"
        )
        return "\n".join(lines)


def load_shapes() -> Graph:
    return parse_turtle(resources.shapes_file())


def data_graph(files: list[Path] | None = None) -> Graph:
    """The graph to validate: ontology and reference data, plus the notices or ``files``."""
    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    for path in resources.notice_files():
        graph.bind(path.stem, str(doc_namespace(path.stem)))
    for name, part in iter_graphs():
        if files and name.startswith("https://w3id.org/mca-kg/graph/") and not _is_base(name):
            continue
        for triple in part:
            graph.add(triple)
    for path in files or []:
        parse_turtle(path, graph)
    return graph


def _is_base(name: URIRef) -> bool:
    return name.endswith("/ontology") or name.endswith("/reference")


def _short(graph: Graph, node: object) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # an IRI that cannot be shortened is shown in full
            return str(node)
    return str(node)


ENGINES = ("oxigraph", "pyshacl")


def validate_graph(graph: Graph, shapes: Graph | None = None, engine: str = "oxigraph") -> Report:
    """Validate an rdflib graph; the graph must already hold the ontology it relies on."""
    shapes = load_shapes() if shapes is None else shapes
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r}; choose from {', '.join(ENGINES)}")
    if engine == "pyshacl":
        return _pyshacl(graph, shapes)
    core = Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    for prefix, iri in shapes.namespaces():
        core.bind(prefix, iri)
    report = _pyshacl(graph, core)
    report.findings.extend(sparql_findings(graph, shapes))
    return report


def _pyshacl(graph: Graph, shapes: Graph) -> Report:
    _conforms, results, _text = shacl_validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        advanced=False,
        allow_warnings=True,
    )
    assert isinstance(results, Graph)
    for prefix, iri in shapes.namespaces():
        results.bind(prefix, iri, override=False)
    report = Report()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        source = results.value(result, SH.sourceShape)
        shape = _shape_name(results, shapes, source)
        messages = [m for m in results.objects(result, SH.resultMessage) if isinstance(m, Literal)]
        english = [m for m in messages if m.language in (None, "en")] or messages
        report.findings.append(
            Finding(
                severity=str(severity).rsplit("#", 1)[-1],
                shape=shape,
                focus=_short(graph, results.value(result, SH.focusNode)),
                path=_optional(graph, results.value(result, SH.resultPath)),
                value=_optional(graph, results.value(result, SH.value)),
                message=str(english[0]) if english else "",
            )
        )
    return report


def _optional(graph: Graph, node: object) -> str | None:
    return None if node is None else _short(graph, node)


def _shape_name(results: Graph, shapes: Graph, source: object) -> str:
    """The named shape behind a result: a property shape's own name, or its node shape's."""
    if isinstance(source, URIRef):
        return _short(shapes, source)
    for parent in shapes.subjects(SH.property, source):
        if isinstance(parent, URIRef):
            return _short(shapes, parent)
    label = shapes.value(source, RDFS.label)
    return str(label) if label else "(anonymous shape)"


_TARGETS = {
    SH.targetClass: "SELECT DISTINCT ?this WHERE {{ ?this a/rdfs:subClassOf* {0} }}",
    SH.targetObjectsOf: "SELECT DISTINCT ?this WHERE {{ ?s {0} ?this }}",
    SH.targetSubjectsOf: "SELECT DISTINCT ?this WHERE {{ ?this {0} ?o }}",
}


def _ox(term: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return ox.BlankNode(str(term))


def _rdflib(term: object) -> object:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return term


def _focus_nodes(store: ox.Store, shapes: Graph, shape: object) -> set[object]:
    focus: set[object] = set(shapes.objects(shape, SH.targetNode))
    for predicate, template in _TARGETS.items():
        for target in shapes.objects(shape, predicate):
            query = template.format(f"<{target}>")
            prefixes = {"rdfs": str(RDFS)}
            focus.update(_rdflib(row["this"]) for row in store.query(query, prefixes=prefixes))
    return focus


def _declared_prefixes(shapes: Graph, constraint: object) -> dict[str, str]:
    prefixes = {}
    for owner in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(owner, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                prefixes[str(prefix)] = str(namespace)
    return prefixes


def _message(template: str, graph: Graph, row: ox.QuerySolution, variables: list[str]) -> str:
    text = template
    for name in variables:
        term = row[name]
        shown = "" if term is None else _short(graph, _rdflib(term))
        text = text.replace("{?" + name + "}", shown).replace("{$" + name + "}", shown)
    return text


def sparql_findings(graph: Graph, shapes: Graph) -> list[Finding]:
    """Run every SHACL-SPARQL constraint of ``shapes`` over ``graph`` in Oxigraph.

    Follows SHACL 1.0 section 5.3: ``$this`` is pre-bound to each focus node of the
    shape; each solution is a result with ``?value`` and ``?path`` when bound.
    """
    store = ox.Store()
    store.extend(ox.Quad(_ox(s), _ox(p), _ox(o)) for s, p, o in graph)  # type: ignore[arg-type]
    findings = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        severity = shapes.value(shape, SH.severity) or SH.Violation
        query = str(shapes.value(constraint, SH.select))
        prefixes = _declared_prefixes(shapes, constraint)
        messages = [m for m in shapes.objects(constraint, SH.message) if isinstance(m, Literal)]
        english = [m for m in messages if m.language in (None, "en")] or messages
        template = str(english[0]) if english else ""
        for node in _focus_nodes(store, shapes, shape):
            solutions = store.query(
                query, prefixes=prefixes, substitutions={ox.Variable("this"): _ox(node)}
            )
            assert isinstance(solutions, ox.QuerySolutions)
            variables = [v.value for v in solutions.variables]
            for row in solutions:
                value = row["value"] if "value" in variables else None
                path = row["path"] if "path" in variables else None
                findings.append(
                    Finding(
                        severity=str(severity).rsplit("#", 1)[-1],
                        shape=_short(shapes, shape),
                        focus=_short(graph, node),
                        path=None if path is None else _short(graph, _rdflib(path)),
                        value=None if value is None else _short(graph, _rdflib(value)),
                        message=_message(template, graph, row, variables),
                    )
                )
    return findings


def validate(files: list[Path] | None = None, engine: str = "oxigraph") -> Report:
    """Validate the shipped graph, or the Turtle ``files`` against the ontology and shapes."""
    return validate_graph(data_graph(files), engine=engine)
