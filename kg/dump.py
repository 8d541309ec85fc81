"""Export the dataset in the standard RDF formats, byte for byte the same on every run.

Dataset formats (N-Quads, TriG, JSON-LD) keep one named graph per source;
graph formats (Turtle, N-Triples) hold the union of all graphs. Blank nodes are
given canonical labels and lines are sorted, so two runs give the same bytes.

>>> data = export("nquads")
>>> data.splitlines()[0].startswith(b"<")
True
"""

from __future__ import annotations

import json
from typing import Any

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
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    if fmt == "jsonld":
        return _ordered_jsonld(text)
    return text.encode("utf-8")


def _ordered_jsonld(text: str) -> bytes:
    """rdflib's JSON-LD, every array in a fixed order (an ``@list`` keeps its own).

    rdflib writes a dataset's graphs, and the values of a property, in the order of a
    set, which changes from run to run; an export must be the same bytes each time.
    Graphs and nodes sort by their ``@id``; values by their JSON text.
    """

    def ordered(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: ordered(v, k) for k, v in value.items()}
        if isinstance(value, list):
            items = [ordered(v) for v in value]
            if key == "@list":  # an RDF collection: its order is its meaning
                return items
            return sorted(
                items,
                key=lambda v: (
                    str(v.get("@id", "")) if isinstance(v, dict) else "",
                    json.dumps(v, ensure_ascii=False, sort_keys=True),
                ),
            )
        return value

    document = ordered(json.loads(text))
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
