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

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
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
    """

    severity: str  # "Violation", "Warning" or "Info"
    shape: str  # the named shape that found it
    focus: str  # the node it is about
    path: str | None
    value: str | None
    message: str
    component: str | None = None
    focus_node: Node | None = field(default=None, compare=False, repr=False)
    value_node: Node | None = field(default=None, compare=False, repr=False)

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
                where = f" {compact(f.path)}" if f.path else ""
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

        ``sh:sourceShape`` is the named shape that reports the finding (for an
        anonymous property shape, its node shape); ``sh:resultPath`` is given for a
        predicate path only.
        """
        graph = Graph()
        graph.bind("sh", SH)
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms)))
        for finding in sorted(self.findings, key=_order):
            result = BNode()
            graph.add((report, SH.result, result))
            graph.add((result, RDF.type, SH.ValidationResult))
            graph.add((result, SH.resultSeverity, SH[finding.severity]))
            graph.add((result, SH.focusNode, _node(finding.focus_node, finding.focus)))
            if finding.path is not None and _is_iri(finding.path):  # a predicate path
                graph.add((result, SH.resultPath, URIRef(finding.path)))
            if finding.value is not None:
                graph.add((result, SH.value, _node(finding.value_node, finding.value)))
            if finding.shape.startswith(("http://", "https://", "urn:")):
                graph.add((result, SH.sourceShape, URIRef(finding.shape)))
            if finding.component is not None:
                graph.add((result, SH.sourceConstraintComponent, URIRef(finding.component)))
            if finding.message:
                graph.add((result, SH.resultMessage, Literal(finding.message)))
        return graph

    def turtle(self) -> str:
        return self.graph().serialize(format="turtle")


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
    return str(shapes.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]


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
    "severity",
    "shape_name",
]
