"""One Turtle style for every file the project writes: rdflib's ``longturtle``.

``PREFIX`` lines, subjects sorted, ``a`` first, one object per line. The same
graph always gives the same bytes, so diffs show real changes only.

>>> from rdflib import Graph
>>> g = Graph().parse(
...     data="<https://w3id.org/mca-kg/def#Figure> a <http://www.w3.org/2002/07/owl#Class> .",
...     format="turtle",
... )
>>> print(canonical_turtle(g), end="")
PREFIX mca: <https://w3id.org/mca-kg/def#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
<BLANKLINE>
mca:Figure
    a owl:Class ;
.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import InputError
from kg.namespaces import PREFIXES


def canonical_turtle(graph: Graph) -> str:
    """Serialise ``graph`` in the house style, binding the project's prefixes it uses."""
    out = Graph()
    used = {str(term) for triple in graph for term in triple}
    for prefix, iri in [*PREFIXES.items(), *graph.namespaces()]:
        if any(term.startswith(str(iri)) for term in used):
            out.bind(prefix, str(iri), override=True, replace=True)
    for triple in graph:
        out.add(triple)
    text = out.serialize(format="longturtle", canon=True)
    return text if text.endswith("\n") else text + "\n"


def parse_turtle(path: Path, graph: Graph | None = None) -> Graph:
    """Parse one Turtle file; a missing or malformed file is an :class:`InputError`."""
    graph = Graph() if graph is None else graph
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError as error:
        raise InputError(f"{path}: no such file") from error
    except IsADirectoryError as error:
        raise InputError(f"{path}: is a folder, not a Turtle file") from error
    except Exception as error:  # rdflib raises several unrelated types for bad syntax
        raise InputError(syntax_error(path) or f"{path}: malformed Turtle: {error}") from error
    return graph


def syntax_error(path: Path) -> str | None:
    """Oxigraph's account of a Turtle syntax error, as ``file:line:column: message``."""
    try:
        for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            pass
    except SyntaxError as error:
        return located(path, error, ox.RdfFormat.TURTLE)
    except (OSError, UnicodeDecodeError) as error:
        return f"{path}: unreadable: {error}"
    return None


def located(path: Path, error: SyntaxError, fmt: ox.RdfFormat) -> str:
    """An Oxigraph syntax error as one line: ``file:line:column: malformed Format: message``."""
    message = str(error.msg).split(": ", 1)[-1]
    return f"{path}:{error.lineno}:{error.offset}: malformed {fmt.name}: {message}"
