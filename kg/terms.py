"""RDF terms between rdflib and Oxigraph, and how a term is shown to a person.

>>> to_oxigraph(Literal("665", datatype=XSD.decimal))
<Literal value=665 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#decimal>>
>>> show(ox.NamedNode("https://w3id.org/mca-kg/concept/group/orphans"))
'grp:orphans'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.namespaces import BASE, PREFIXES

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal

NUMERIC = {
    str(XSD[name])
    for name in [
        "decimal",
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "double",
        "float",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
    ]
}


def to_oxigraph(term: Node) -> OxTerm:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_quads(
    triples: Iterable[tuple[Node, Node, Node]], graph: str | None = None
) -> Iterator[ox.Quad]:
    """rdflib triples as Oxigraph quads, in the default graph or the named ``graph``."""
    target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    for s, p, o in triples:
        yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), target)  # type: ignore[arg-type]


def to_rdflib(term: OxTerm) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            # a simple literal is an xsd:string (RDF 1.1), but rdflib matches "1.3" and
            # "1.3"^^xsd:string as different terms, and its parser writes the first
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return BNode(term.value)


def compact(iri: str) -> str:
    """An IRI as a prefixed name when one of the project's prefixes fits.

    A notice's own resources are named by the notice's id:

    >>> compact("https://w3id.org/mca-kg/doc/mca-2020-12-26/task-1-2")
    'mca-2020-12-26:task-1-2'
    """
    candidates = list(PREFIXES.items())
    if iri.startswith(BASE + "doc/"):
        doc_id = iri[len(BASE + "doc/") :].split("/", 1)[0]
        candidates.append((doc_id, f"{BASE}doc/{doc_id}/"))
    best = ("", iri)
    for prefix, namespace in candidates:
        local = iri[len(namespace) :]
        if (
            iri.startswith(namespace)
            and len(namespace) > len(best[0])
            and local
            and all(c.isalnum() or c in "-_." for c in local)
        ):
            best = (namespace, f"{prefix}:{local}")
    return best[1]


def show(term: OxTerm | None) -> str:
    """How a table shows a term: prefixed names, plain literal values, nothing for unbound."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.Literal):
        return term.value
    return f"_:{term.value}"


def normalised(term: OxTerm | None) -> str:
    """A term in a form that every engine agrees on, for comparing answers.

    Numbers compare by value (``7980``, ``7980.0`` and ``7.98E3`` are one number);
    everything else by its lexical form or IRI.

    >>> normalised(ox.Literal("7980.0", datatype=ox.NamedNode(str(XSD.decimal))))
    '7980'
    """
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and term.datatype.value in NUMERIC:
        try:
            number = Decimal(term.value)
        except InvalidOperation:
            return term.value
        text = format(number.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    if isinstance(term, ox.BlankNode):
        return "_:b"
    return term.value
