"""Passages: where in a source text an item's exact words are (W3C Web Annotation selectors).

Both the curated build and the ingester write passages this one way, so a
passage of the same words in the same text is the same node.

>>> from rdflib import Graph
>>> from kg.namespaces import doc_namespace
>>> g = Graph()
>>> str(add_passage(g, doc_namespace("x"), "城乡低保标准分别达到", 2, 6))
'https://w3id.org/mca-kg/doc/x/passage-2-6'
"""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from kg.namespaces import MCA, OA

#: How many characters of context a quote selector keeps on each side.
CONTEXT_CHARS = 16


def add_passage(graph: Graph, doc: Namespace, text: str, start: int, end: int) -> URIRef:
    """The passage ``text[start:end]`` of a notice's text (``doc.text``), added once.

    It has a quote selector (the exact words, with some context before and after)
    and a position selector (Unicode code point offsets, end exclusive).
    """
    node = doc[f"passage-{start}-{end}"]
    if (node, RDF.type, MCA.Passage) in graph:
        return node
    quote = doc[f"passage-{start}-{end}-quote"]
    position = doc[f"passage-{start}-{end}-position"]
    graph.add((node, RDF.type, MCA.Passage))
    graph.add((node, RDF.type, OA.SpecificResource))
    graph.add((node, OA.hasSource, doc.text))
    graph.add((node, OA.hasSelector, quote))
    graph.add((node, OA.hasSelector, position))
    graph.add((quote, RDF.type, OA.TextQuoteSelector))
    graph.add((quote, OA.exact, Literal(text[start:end])))
    prefix = text[max(0, start - CONTEXT_CHARS) : start]
    suffix = text[end : end + CONTEXT_CHARS]
    if prefix:
        graph.add((quote, OA.prefix, Literal(prefix)))
    if suffix:
        graph.add((quote, OA.suffix, Literal(suffix)))
    graph.add((position, RDF.type, OA.TextPositionSelector))
    graph.add((position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    graph.add((position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
    return node
