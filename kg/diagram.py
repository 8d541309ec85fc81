"""A diagram of the ontology, drawn from its Turtle by Graphviz.

Boxes are the ontology's classes, each with its datatype properties; grey
boxes are the standard vocabularies' classes they build on. A hollow arrow is
``rdfs:subClassOf``; a labelled arrow is an object property from its
``rdfs:domain`` to its ``rdfs:range``.

The DOT source is made here, deterministically; Graphviz's ``dot`` lays it out
as SVG. The SVG carries the SHA-256 of its DOT source, so a test can tell that
the checked-in picture is out of date without Graphviz installed.

>>> source = dot_source()
>>> source.startswith("digraph ontology {") and '"mca:Figure"' in source
True
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from kg import resources
from kg.errors import InputError, KgError
from kg.namespaces import MCA
from kg.terms import compact
from kg.turtle import parse_turtle

#: Written into the SVG: ``<!-- dot-source-sha256: HEX -->``.
_STAMP = re.compile(r"<!-- dot-source-sha256: ([0-9a-f]{64}) -->")


def ontology_graph() -> Graph:
    return parse_turtle(resources.ontology_dir() / "mca-kg.ttl")


def _label(graph: Graph, node: URIRef, lang: str) -> str:
    for label in graph.objects(node, RDFS.label):
        if isinstance(label, Literal) and label.language == lang:
            return str(label)
    return compact(str(node))


def iris(nodes: Iterable[Node]) -> list[URIRef]:
    """The IRIs among ``nodes``, sorted (blank nodes and literals left out)."""
    return sorted(n for n in nodes if isinstance(n, URIRef))


def _own(node: object) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(str(MCA))


@dataclass
class _Drawing:
    classes: list[URIRef]  # the ontology's own classes
    outside: set[URIRef]  # other vocabularies' classes it links to
    edges: list[str]
    datatype: dict[URIRef, list[str]]  # each class's datatype properties, "name: range"


def _drawing(graph: Graph) -> _Drawing:
    """What the diagram draws: classes, the outside classes they link to, arrows, properties."""
    classes = [c for c in iris(graph.subjects(RDF.type, OWL.Class)) if _own(c)]
    outside: set[URIRef] = set()
    edges: list[str] = []
    for cls in classes:
        for parent in iris(graph.objects(cls, RDFS.subClassOf)):
            if not _own(parent):
                outside.add(parent)
            edges.append(f'  "{compact(str(cls))}" -> "{compact(str(parent))}" [arrowhead=empty];')
    datatype: dict[URIRef, list[str]] = {c: [] for c in classes}
    for prop in iris(graph.subjects(RDF.type, OWL.DatatypeProperty)):
        for domain in iris(graph.objects(prop, RDFS.domain)):
            if domain in datatype:
                ranges = ", ".join(compact(str(r)) for r in iris(graph.objects(prop, RDFS.range)))
                datatype[domain].append(f"{compact(str(prop))}: {ranges}")
    for prop in iris(graph.subjects(RDF.type, OWL.ObjectProperty)):
        if not _own(prop):
            continue
        for domain in iris(graph.objects(prop, RDFS.domain)):
            for range_ in iris(graph.objects(prop, RDFS.range)):
                outside.update(n for n in (domain, range_) if not _own(n))
                edges.append(
                    f'  "{compact(str(domain))}" -> "{compact(str(range_))}" '
                    f'[label="{compact(str(prop))}"];'
                )
    return _Drawing(classes, outside, edges, datatype)


def dot_source(graph: Graph | None = None, lang: str = "en") -> str:
    """The ontology as a Graphviz digraph: classes, subclass links and object properties."""
    graph = ontology_graph() if graph is None else graph
    drawing = _drawing(graph)
    lines = [
        "digraph ontology {",
        "  rankdir=LR;",
        '  graph [fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=0.6];',
        '  node [shape=plain, fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=8, color="#5b6475", fontcolor="#2f5d9e"];',
    ]
    for cls in drawing.classes:
        rows = "".join(
            f'<tr><td align="left"><font point-size="8">{escape(row)}</font></td></tr>'
            for row in sorted(drawing.datatype[cls])
        )
        title = escape(compact(str(cls)))
        subtitle = escape(_label(graph, cls, lang))
        lines.append(
            f'  "{compact(str(cls))}" [label=<<table border="1" cellborder="0" cellspacing="0" '
            f'bgcolor="#eef3fb" color="#2f5d9e"><tr><td><b>{title}</b></td></tr>'
            f'<tr><td><font point-size="8">{subtitle}</font></td></tr>{rows}</table>>];'
        )
    for node in sorted(drawing.outside):
        lines.append(
            f'  "{compact(str(node))}" [label=<<table border="1" cellborder="0" '
            f'bgcolor="#f4f6f9" color="#9aa3b5"><tr><td><i>{escape(compact(str(node)))}</i>'
            f"</td></tr></table>>];"
        )
    lines.extend(sorted(set(drawing.edges)))
    lines.append("}")
    return "\n".join(lines) + "\n"


def digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def render_svg(source: str) -> str:
    """Lay the DOT source out with Graphviz and stamp the SVG with the source's digest."""
    dot = shutil.which("dot")
    if dot is None:
        raise KgError("Graphviz's dot is not installed (Debian: apt install graphviz)")
    try:
        done = subprocess.run(
            [dot, "-Tsvg"], input=source, capture_output=True, text=True, check=True, timeout=120
        )
    except subprocess.CalledProcessError as error:
        said = " ".join((error.stderr or "").split()) or f"exit code {error.returncode}"
        raise KgError(f"dot failed: {said}") from error
    except subprocess.TimeoutExpired as error:
        raise KgError(f"dot did not finish in {error.timeout:g} seconds") from error
    except (OSError, UnicodeError) as error:
        raise KgError(f"cannot run {dot}: {error}") from error
    svg = done.stdout
    if "<svg" not in svg:
        raise KgError("dot wrote no SVG")
    stamp = f"<!-- dot-source-sha256: {digest(source)} -->\n"
    start = svg.index("<svg")
    return svg[:start] + stamp + svg[start:]


def stamped_digest(svg: str) -> str | None:
    """The digest of the DOT source an SVG was drawn from, or None if it has none."""
    match = _STAMP.search(svg)
    return match.group(1) if match else None


def is_current(svg: str, graph: Graph | None = None) -> bool:
    """Whether ``svg`` was drawn from the ontology as it is now."""
    return stamped_digest(svg) == digest(dot_source(graph))


def read_svg(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start}), so not an SVG") from error


@dataclass
class Summary:
    """What the diagram shows, in a few words: for its alternative text."""

    classes: int
    vocabularies: list[str]


def summary(graph: Graph | None = None) -> Summary:
    """How many of the ontology's classes the diagram draws, and which vocabularies it names.

    >>> summary().classes > 20
    True
    """
    drawing = _drawing(ontology_graph() if graph is None else graph)
    prefixes = {compact(str(node)).split(":", 1)[0] for node in drawing.outside}
    return Summary(len(drawing.classes), sorted(p for p in prefixes if not p.startswith("http")))
