"""Export the dataset in the standard RDF formats, byte for byte the same on every run.

Dataset formats (N-Quads, TriG, JSON-LD) keep one named graph per source;
graph formats (Turtle, N-Triples) hold the union of all graphs. Blank nodes are
given canonical labels and lines are sorted, so two runs give the same bytes.

>>> data = export("nquads")
>>> data.splitlines()[0].startswith(b"<")
True
"""

from __future__ import annotations

from rdflib import Dataset, Graph
from rdflib.compare import to_canonical_graph

from kg.dataset import iter_graphs
from kg.errors import InputError
from kg.namespaces import PREFIXES
from kg.turtle import canonical_turtle

#: Format name -> (rdflib serializer, keeps named graphs)
FORMATS = {
    "turtle": ("longturtle", False),
    "ntriples": ("nt", False),
    "nquads": ("nquads", True),
    "trig": ("trig", True),
    "jsonld": ("json-ld", True),
}

#: Media types, for files and HTTP.
MEDIA_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "nquads": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
}


def canonical_dataset() -> Dataset:
    """The dataset with canonical blank-node labels in every named graph."""
    dataset = Dataset()
    for prefix, iri in PREFIXES.items():
        dataset.bind(prefix, iri)
    for name, graph in iter_graphs():
        target = dataset.graph(name)
        for triple in to_canonical_graph(graph):
            target.add(triple)
    return dataset


def _sorted_lines(text: str) -> bytes:
    lines = sorted(line for line in text.splitlines() if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")


def export(fmt: str) -> bytes:
    """The whole dataset in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    serializer, keeps_graphs = FORMATS[fmt]
    dataset = canonical_dataset()
    if not keeps_graphs:
        union = Graph()
        for graph in dataset.graphs():
            for triple in graph:
                union.add(triple)
        if fmt == "turtle":
            return canonical_turtle(union).encode("utf-8")
        return _sorted_lines(union.serialize(format=serializer))
    if fmt == "nquads":
        return _sorted_lines(dataset.serialize(format=serializer))
    data = dataset.serialize(format=serializer)
    return data.encode("utf-8") if isinstance(data, str) else data
