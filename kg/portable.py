"""The SHACL shapes in a form other engines accept: one message per SPARQL constraint.

SHACL lets a constraint carry one ``sh:message`` per language (SHACL 1.0, 2.1.5
and 5.2), and ``ontology/shapes.ttl`` gives each in English and Chinese. Apache
Jena's SHACL (4.5, still in 6.0: apache/jena#3817) refuses a SPARQL-based
constraint with more than one message, and with it the whole shapes graph. The
variant keeps, on each SPARQL constraint with several messages, the one in the
chosen language; everything else is the same triples.

>>> text = single_language_shapes("en")
>>> "@zh" in text and "sh:select" in text
True
"""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import SH

from kg import resources
from kg.catalogue import LANGUAGES
from kg.errors import InputError
from kg.turtle import canonical_turtle, parse_turtle


def single_language(shapes: Graph, lang: str) -> Graph:
    """A copy whose SPARQL constraints keep one message: in ``lang``, else the first by tag."""
    if lang not in LANGUAGES:
        raise InputError(f"--lang: language must be one of {LANGUAGES}")
    copy = Graph()
    for prefix, namespace in shapes.namespaces():
        copy.bind(prefix, namespace)
    for triple in shapes:
        copy.add(triple)
    for constraint in set(shapes.subjects(SH.select, None)):
        messages = sorted(
            shapes.objects(constraint, SH.message),
            key=lambda m: (getattr(m, "language", None) or "", str(m)),
        )
        if len(messages) < 2:
            continue
        kept = next((m for m in messages if getattr(m, "language", None) == lang), messages[0])
        for message in messages:
            if message != kept:
                copy.remove((constraint, SH.message, message))
    return copy


def single_language_shapes(lang: str = "en") -> str:
    """``ontology/shapes.ttl`` with one message per SPARQL constraint, as Turtle."""
    return canonical_turtle(single_language(parse_turtle(resources.shapes_file()), lang))
