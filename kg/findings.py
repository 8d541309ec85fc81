"""Validation results and reports, the same for every engine.

Each engine (:mod:`kg.shacl` with pySHACL, :mod:`kg.shacl_sparql` in Oxigraph,
:mod:`kg.jena`) gives a list of :class:`Finding` and wraps it in a
:class:`Report`. This module imports none of them.

A report means what SHACL 1.0 (section 3.6) says: it *conforms* when there is
no result at all, of any severity. Whether a command fails is another question
(:attr:`Report.passes`): warnings and infos are for a person to read, so only a
violation fails ``kg validate`` (exit code 1).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from kg.namespaces import SH
from kg.terms import compact

#: Severities, most serious first.
SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class Finding:
    """One validation result. Nodes are full IRIs (or literal values) as text.

    ``component`` is the IRI of the constraint component that found it
    (``sh:sourceConstraintComponent``); ``focus_node`` and ``value_node`` are the
    RDF terms themselves, where the engine gives them (for the Turtle report).
    ``source_shape`` is the shape itself (``sh:sourceShape``: an anonymous property
    shape, where ``shape`` names the node shape it belongs to) and ``path_node`` the
    path as the shapes graph states it (a blank node for any path but a predicate);
    ``path`` is then that path in SPARQL's syntax (``^ex:p``, ``ex:a/ex:b``).
    """

    severity: str  # "Violation", "Warning", "Info", or the IRI of a severity of the shapes' own
    shape: str  # the named shape that found it
    focus: str  # the node it is about
    path: str | None
    value: str | None
    message: str
    component: str | None = None
    focus_node: Node | None = field(default=None, compare=False, repr=False)
    value_node: Node | None = field(default=None, compare=False, repr=False)
    source_shape: Node | None = field(default=None, compare=False, repr=False)
    path_node: Node | None = field(default=None, compare=False, repr=False)
    #: the ``sh:sparql`` constraint behind a SHACL-SPARQL result (``sh:sourceConstraint``)
    constraint: Node | None = field(default=None, compare=False, repr=False)

    def key(self) -> tuple[str, str, str, str | None]:
        """What two engines must agree on: severity, shape, focus node and path."""
        return (self.severity, self.shape, self.focus, self.path)


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    #: Shapes that the ``sparql`` engine left to pySHACL, each with the reason.
    fallback: dict[str, str] = field(default_factory=dict)
    #: How long pySHACL took over them (load of the data into rdflib included).
    fallback_seconds: float = 0.0
    #: The shapes graph, where the anonymous shapes and paths the findings name are stated.
    shapes: Graph | None = field(default=None, repr=False, compare=False)

    @property
    def conforms(self) -> bool:
        """SHACL's ``sh:conforms``: true only when there is no result of any severity."""
        return not self.findings

    @property
    def passes(self) -> bool:
        """True when nothing of severity Violation was found: what the exit code judges."""
        return self.count("Violation") == 0

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def keys(self) -> set[tuple[str, str, str, str | None]]:
        return {f.key() for f in self.findings}

    def by_shape(self) -> dict[str, list[Finding]]:
        groups: dict[str, list[Finding]] = defaultdict(list)
        for finding in sorted(self.findings, key=lambda f: (f.shape, f.focus, f.path or "")):
            groups[finding.shape].append(finding)
        return dict(groups)

    def text(self) -> str:
        """A readable report, grouped by shape, with prefixed names."""
        lines = []
        for shape, findings in self.by_shape().items():
            lines.append(f"{compact(shape)} ({len(findings)})")
            for f in findings:
                where = f" {_shown_path(f.path)}" if f.path else ""
                lines.append(f"  {f.severity}: {compact(f.focus)}{where}: {f.message}")
        if self.fallback:
            lines.append(
                f"{len(self.fallback)} shapes checked by pySHACL, not compiled to SPARQL "
                f"(first: {next(iter(self.fallback.values()))})"
            )
        verdict = "conforms" if self.conforms else "does not conform"
        lines.append(
            f"{verdict}: {self.count('Violation')} violations, {self.count('Warning')} warnings"
        )
        return "\n".join(lines)

    def graph(self) -> Graph:
        """The report as SHACL's ``sh:ValidationReport`` (section 3.6), one result per finding.

        ``sh:sourceShape`` is the shape that found the result, an anonymous property
        shape included, and ``sh:resultPath`` the path as the shape states it; a blank
        shape or path is copied in from the shapes graph (with what it says, down to its
        IRIs), so that the report stands alone, as pySHACL's does. Where an engine does
        not give the shape itself (Jena), ``sh:sourceShape`` is the named shape.
        """
        graph = Graph()
        for prefix, namespace in self.shapes.namespaces() if self.shapes is not None else ():
            graph.bind(prefix, namespace)
        graph.bind("sh", SH)
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms)))
        for finding in sorted(self.findings, key=_order):
            result = BNode()
            graph.add((report, SH.result, result))
            graph.add((result, RDF.type, SH.ValidationResult))
            graph.add((result, SH.resultSeverity, severity_node(finding.severity)))
            graph.add((result, SH.focusNode, _node(finding.focus_node, finding.focus)))
            path = finding.path_node
            if path is None and finding.path is not None and _is_iri(finding.path):
                path = URIRef(finding.path)
            if path is not None:  # a blank path is copied for each result, as a value
                graph.add((result, SH.resultPath, self._copy(graph, path)))
            if finding.value is not None:
                graph.add((result, SH.value, _node(finding.value_node, finding.value)))
            shape = finding.source_shape
            if shape is None and finding.shape.startswith(("http://", "https://", "urn:")):
                shape = URIRef(finding.shape)
            if shape is not None:
                graph.add((result, SH.sourceShape, shape))
                self._describe(graph, shape)
            if finding.component is not None:
                graph.add((result, SH.sourceConstraintComponent, URIRef(finding.component)))
            if finding.constraint is not None:
                graph.add((result, SH.sourceConstraint, finding.constraint))
                self._describe(graph, finding.constraint)
            if finding.message:
                graph.add((result, SH.resultMessage, Literal(finding.message)))
        return graph

    def _copy(self, graph: Graph, path: Node, depth: int = 0) -> Node:
        """A fresh copy in ``graph`` of the SHACL path ``path`` of the shapes graph, as
        the engines read it (section 2.3.1: a list is a sequence, else the first of
        ``sh:alternativePath``, ``sh:inversePath`` ... it has) and written out as a tree,
        as a Turtle path is; a predicate path is its IRI."""
        if self.shapes is None or not isinstance(path, BNode) or depth > 64:
            return path  # depth: a well-formed path never nests this deep, nor loops
        if self.shapes.value(path, RDF.first) is not None:
            return self._list(graph, path, depth)
        copy = BNode()
        options = self.shapes.value(path, SH.alternativePath)
        if options is not None:
            graph.add((copy, SH.alternativePath, self._list(graph, options, depth)))
            return copy
        for operator, _form in _PATH_OPERATORS:
            inner = self.shapes.value(path, operator)
            if inner is not None:
                graph.add((copy, operator, self._copy(graph, inner, depth + 1)))
                return copy
        return path

    def _list(self, graph: Graph, head: Node, depth: int) -> Node:
        """A copy of an RDF list of paths (a sequence, or the options of an alternative)."""
        assert self.shapes is not None
        items = list(Collection(self.shapes, head))
        copy: Node = RDF.nil
        for item in reversed(items):
            cell = BNode()
            graph.add((cell, RDF.first, self._copy(graph, item, depth + 1)))
            graph.add((cell, RDF.rest, copy))
            copy = cell
        return copy

    def _describe(self, graph: Graph, node: Node) -> None:
        """Copy what the shapes graph says of a blank ``node``, and of the blank nodes it
        reaches (an anonymous shape, a path's lists), into ``graph``."""
        if self.shapes is None or not isinstance(node, BNode):
            return
        pending, seen = [node], {node}
        while pending:  # bounded: each blank node of the shapes graph is visited once
            subject = pending.pop()
            for p, o in self.shapes.predicate_objects(subject):
                graph.add((subject, p, o))
                if isinstance(o, BNode) and o not in seen:
                    seen.add(o)
                    pending.append(o)

    def turtle(self) -> str:
        return self.graph().serialize(format="turtle")


def _shown_path(path: str) -> str:
    """A path for a person: its IRIs as prefixed names where one fits (``^ex:p``)."""
    if _is_iri(path):
        return compact(path)
    return re.sub(r"<([^<>\s]+)>", lambda m: compact(m[1]) if compact(m[1]) != m[1] else m[0], path)


def _order(finding: Finding) -> tuple[str, ...]:
    return (finding.shape, finding.focus, finding.path or "", finding.value or "", finding.message)


def _node(term: Node | None, text: str) -> Node:
    """The RDF term of a finding's node: the engine's own, or read back from its text."""
    if term is not None:
        return term
    if _is_iri(text):
        return URIRef(text)
    return Literal(text)


def _is_iri(text: str) -> bool:
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return ":" in text and " " not in text


# --- what engines share in making findings ---------------------------------------------------


def english(messages: list[Node]) -> str:
    """The English (or untagged, or else the first) of a shape's ``sh:message`` values."""
    literals = [m for m in messages if isinstance(m, Literal)]
    chosen = [m for m in literals if m.language in (None, "en")] or literals
    return str(chosen[0]) if chosen else ""


def fill_template(template: str, row: ox.QuerySolution, variables: list[str]) -> str:
    """SHACL message templates: ``{?var}`` and ``{$var}`` replaced by the solution's values."""
    text = template
    for name in variables:
        term = row[name]
        shown = "" if term is None else compact(term.value)
        text = text.replace("{?" + name + "}", shown).replace("{$" + name + "}", shown)
    return text


def severity(shapes: Graph, shape: Node) -> str:
    return severity_name(shapes.value(shape, SH.severity) or SH.Violation)


def severity_name(node: Node | None) -> str:
    """``Violation``, ``Warning`` or ``Info`` for SHACL's own severities; any other
    (SHACL lets shapes name their own, section 2.1.4) stays its IRI."""
    text = str(node if node is not None else SH.Violation)
    name = text.removeprefix(str(SH))
    return name if name in SEVERITIES else text


def severity_node(name: str) -> URIRef:
    return SH[name] if name in SEVERITIES else URIRef(name)


_PATH_OPERATORS = (
    (SH.inversePath, "^{}"),
    (SH.zeroOrMorePath, "{}*"),
    (SH.oneOrMorePath, "{}+"),
    (SH.zeroOrOnePath, "{}?"),
)


def path_text(shapes: Graph, path: Node | None) -> str | None:
    """A SHACL property path (section 2.3.1) in SPARQL's syntax, with full IRIs:
    ``<p>``'s IRI alone for a predicate path, else ``^<p>``, ``(<a>/<b>)``, ``(<a>|<b>)``,
    ``<p>*`` and so on; None where ``path`` is none of these."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return str(path)
    return _path(shapes, path, depth=0)


def _path(shapes: Graph, path: Node, depth: int) -> str | None:
    if isinstance(path, URIRef):
        return f"<{path}>"
    if depth > 32:  # a path that contains itself is no path
        return None
    if shapes.value(path, RDF.first) is not None:
        steps = [_path(shapes, step, depth + 1) for step in Collection(shapes, path)]
        return None if None in steps else "(" + "/".join(s for s in steps if s) + ")"
    options = shapes.value(path, SH.alternativePath)
    if options is not None:
        if shapes.value(options, RDF.first) is None:
            return None
        steps = [_path(shapes, step, depth + 1) for step in Collection(shapes, options)]
        return None if None in steps else "(" + "|".join(s for s in steps if s) + ")"
    for operator, form in _PATH_OPERATORS:
        inner = shapes.value(path, operator)
        if inner is not None:
            text = _path(shapes, inner, depth + 1)
            return None if text is None else form.format(text)
    return None


def where(shapes: Graph, node: Node) -> str:
    """A node of the shapes graph as a person can find it: its prefixed name, or for a
    blank node (a property shape, a path, a list) the named node it hangs from."""
    if not isinstance(node, BNode):
        return _named(shapes, str(node))
    current: Node = node
    for _ in range(64):  # bounded: a blank node nests no deeper in a shapes graph
        parents = [p for p in shapes.subjects(None, current) if p != current]
        named = sorted(str(p) for p in parents if not isinstance(p, BNode))
        if named:
            return f"a blank node of {_named(shapes, named[0])}"
        if not parents:
            return "a blank node"
        current = parents[0]
    return "a blank node"


def _named(shapes: Graph, iri: str) -> str:
    """An IRI by the project's prefixes, else by the shapes graph's own, else in full."""
    shown = compact(iri)
    if shown == iri:
        try:
            qname = shapes.namespace_manager.normalizeUri(URIRef(iri))
        except ValueError:
            return iri
        shown = iri if qname.startswith("<") else qname
    return shown


def shape_name(shapes: Graph, source: Node | None) -> str:
    """The named shape behind a result: a property shape's own name, or its node shape's."""
    if isinstance(source, URIRef):
        return str(source)
    for parent in shapes.subjects(SH.property, source):
        if isinstance(parent, URIRef):
            return str(parent)
    label = shapes.value(source, RDFS.label)
    return str(label) if label else "(anonymous shape)"


__all__ = [
    "SEVERITIES",
    "Finding",
    "Report",
    "english",
    "fill_template",
    "path_text",
    "severity",
    "severity_name",
    "severity_node",
    "shape_name",
    "where",
]
