"""SHACL-SPARQL's syntax rules for pre-binding, checked before any engine runs a query.

SHACL 1.0, section 5.2.1 (pre-bound variables in SPARQL constraints): a query of
a SPARQL constraint or validator must not contain ``MINUS``, a federated query
(``SERVICE``) or ``VALUES``; must not bind a pre-bound variable with ``AS``; and
every subquery must return ``$this`` (the spec's other pre-bound variables,
``$shapesGraph`` and ``$currentShape``, are optional there). A shapes graph that
breaks them "may be rejected": kg rejects it, before any query runs, whatever
the engine, so that validation never sends an HTTP request (``SERVICE``) or
judges data by a query whose meaning depends on how it is evaluated.

Before those, every RDF list of the shapes graph (paths, ``sh:in``, ``sh:or`` ...)
must be well formed, as SHACL's lists are (section 1.5, "SHACL list"): one
``rdf:first`` and one ``rdf:rest`` to each cell, ending in ``rdf:nil``, never
looping back. A list that loops would otherwise hang or crash an engine.
"""

from __future__ import annotations

import functools
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node, Variable

from kg.errors import InputError
from kg.findings import where
from kg.namespaces import SH
from kg.terms import compact


class ForbiddenSparqlError(InputError):
    """A SPARQL constraint or validator breaks SHACL's syntax rules for pre-binding."""


_THIS = Variable("this")


class IllFormedListError(InputError):
    """An RDF list of the shapes graph that is not a SHACL list."""


def check_shapes(shapes: Graph) -> None:
    """Raise :class:`IllFormedListError` for an ill-formed list of ``shapes``, then
    :class:`ForbiddenSparqlError` for the first query of ``shapes`` breaking the rules."""
    check_lists(shapes)
    for owner, predicate in _queries(shapes):
        text = str(shapes.value(owner, predicate))
        prefixes = tuple(sorted(declared_prefixes(shapes, owner).items()))
        _check(text, prefixes, _prebound(shapes, owner), _where(shapes, owner))


def check_lists(shapes: Graph) -> None:
    """Every list cell a shape uses has one ``rdf:first`` and one ``rdf:rest``, and every
    such list ends in ``rdf:nil`` without visiting a cell twice. A list no shape reaches is
    not the engines' business (the W3C suite's ``path-unused-001``)."""
    cells = _used_cells(shapes)
    for each in sorted(cells, key=str):
        if (
            len(list(shapes.objects(each, RDF.first))) != 1
            or len(list(shapes.objects(each, RDF.rest))) != 1
        ):
            raise IllFormedListError(
                f"shapes graph: {where(shapes, each)}: a list cell needs exactly one "
                "rdf:first and one rdf:rest"
            )
    followers = {shapes.value(each, RDF.rest) for each in cells}
    heads = sorted((c for c in cells if c not in followers), key=str)
    visited: set[Node] = set()  # cells of lists already known to end in rdf:nil
    for head in heads:
        walk: list[Node] = []
        cell: Node | None = head
        while cell != RDF.nil and cell not in visited:  # bounded: each cell once a walk
            if cell in walk:
                raise _loop(shapes, head)
            if cell not in cells:
                raise IllFormedListError(
                    f"shapes graph: {where(shapes, head)}: a list that does not end in rdf:nil"
                )
            walk.append(cell)
            cell = shapes.value(cell, RDF.rest)
        visited.update(walk)
    looping = cells - visited  # cells that no list head leads to: a cycle of their own
    if looping:
        raise _loop(shapes, min(looping, key=str))


#: What points from a shape into the data (a target, a value), not into the shape.
_TO_DATA = {SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.hasValue}


def _used_cells(shapes: Graph) -> set[Node]:
    """The list cells reached from the shapes (instances of ``sh:NodeShape`` or
    ``sh:PropertyShape``, anything with a target, ``sh:path`` or that ``sh:property`` names)
    along SHACL's own properties and the lists' ``rdf:first`` and ``rdf:rest``."""
    roots = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    )
    roots |= set(shapes.subjects(SH.path, None)) | set(shapes.objects(None, SH.property))
    roots |= {s for p in _TO_DATA - {SH.hasValue} for s in shapes.subjects(p, None)}
    seen, pending = set(roots), list(roots)
    while pending:  # bounded: each node is visited once
        node = pending.pop()
        for p, o in shapes.predicate_objects(node):
            followed = p in (RDF.first, RDF.rest) or (
                str(p).startswith(str(SH)) and p not in _TO_DATA
            )
            if followed and isinstance(o, BNode | URIRef) and o not in seen:
                seen.add(o)
                pending.append(o)
    return {n for n in seen if (n, RDF.first, None) in shapes or (n, RDF.rest, None) in shapes}


def _loop(shapes: Graph, cell: Node) -> IllFormedListError:
    return IllFormedListError(f"shapes graph: {where(shapes, cell)}: a list that loops back")


@functools.lru_cache(maxsize=256)
def _check(
    text: str, prefixes: tuple[tuple[str, str], ...], prebound: frozenset[Variable], where: str
) -> None:
    """:func:`check_query`, once for each query (rdflib parses slowly; shapes rarely change)."""
    check_query(text, dict(prefixes), prebound, where)


def _queries(shapes: Graph) -> list[tuple[Node, Node]]:
    found = {(s, p) for p in (SH.select, SH.ask) for s in shapes.subjects(p, None)}
    return sorted(found, key=lambda pair: (str(pair[0]), str(pair[1])))


def _where(shapes: Graph, owner: Node) -> str:
    """The constraint, or for a blank node the shape that has it, as a message names it."""
    if isinstance(owner, BNode):
        shape = shapes.value(None, SH.sparql, owner)
        if shape is not None and not isinstance(shape, BNode):
            return f"{compact(str(shape))} (SPARQL constraint)"
        return "a SPARQL constraint"
    return f"{compact(str(owner))} (SPARQL query)"


def declared_prefixes(shapes: Graph, owner: Node) -> dict[str, str]:
    """The prefixes ``sh:declare``d by the values of ``sh:prefixes`` and what they import."""
    prefixes = {}
    holders: list[Node] = []
    for value in shapes.objects(owner, SH.prefixes):
        for holder in shapes.transitive_objects(value, OWL.imports):  # value itself first
            if holder is not None and holder not in holders:
                holders.append(holder)
    for holder in holders:
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                prefixes[str(prefix)] = str(namespace)
    return prefixes


def _prebound(shapes: Graph, owner: Node) -> frozenset[Variable]:
    """``$this``, and for a validator ``$value`` and the parameters of its components."""
    names = {_THIS}
    components = set(shapes.subjects(SH.validator, owner))
    components |= set(shapes.subjects(SH.nodeValidator, owner))
    components |= set(shapes.subjects(SH.propertyValidator, owner))
    if components or (owner, RDF.type, SH.SPARQLAskValidator) in shapes:
        names.add(Variable("value"))
    for component in components:
        for parameter in shapes.objects(component, SH.parameter):
            path = shapes.value(parameter, SH.path)
            if path is not None:
                names.add(Variable(str(path).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]))
    return frozenset(names)


def check_query(
    text: str, prefixes: dict[str, str], prebound: frozenset[Variable], where: str
) -> None:
    """Raise unless the query ``text`` keeps SHACL's rules for its ``prebound`` variables."""
    try:
        parsed = parseQuery(text)
        query = translateQuery(parsed, initNs=prefixes)
    except Exception as error:  # rdflib raises several unrelated types for bad syntax
        raise ForbiddenSparqlError(f"{where}: malformed SPARQL: {error}") from error
    top = query.algebra.get("p")
    outer = top  # the query's own projection, below DISTINCT, ORDER BY, LIMIT ...
    while getattr(outer, "name", "") in ("Distinct", "Reduced", "OrderBy", "Slice"):
        outer = outer["p"]
    # whether each subquery, in the order of the text, is SELECT * (rdflib's algebra does not
    # tell: it projects the variables of a FILTER too, which are not in scope)
    star = [
        "projection" not in node
        for node in _walk(parsed)
        if getattr(node, "name", "") == "SubSelect"
    ]
    subqueries = iter(star)
    for node in _walk(parsed):  # BIND (... AS ?x) and SELECT (... AS ?x), as written
        name = getattr(node, "name", "")
        bound = node.get("var") if name == "Bind" else node.get("evar") if name == "vars" else None
        if bound in prebound:
            raise ForbiddenSparqlError(
                f"{where}: SHACL forbids binding the pre-bound ${bound} (AS ?{bound})"
            )
    for node in _walk(top):
        name = getattr(node, "name", "")
        if name == "Minus":
            raise ForbiddenSparqlError(f"{where}: SHACL forbids MINUS in a SPARQL constraint")
        if name == "ServiceGraphPattern":
            raise ForbiddenSparqlError(f"{where}: SHACL forbids SERVICE in a SPARQL constraint")
        if name == "values":
            raise ForbiddenSparqlError(f"{where}: SHACL forbids VALUES in a SPARQL constraint")
        if name == "Project" and node is not outer:
            inner = node["p"]
            in_scope = inner.get("_vars", set()) if isinstance(inner, dict) else set()
            if _THIS not in node["PV"] or (next(subqueries, False) and _THIS not in in_scope):
                raise ForbiddenSparqlError(
                    f"{where}: SHACL requires every subquery to return $this"
                )


def _walk(node: Any) -> Any:
    """Every algebra node below ``node``, ``node`` included."""
    yield node
    if isinstance(node, dict):
        for key, value in node.items():
            if not str(key).startswith("_"):
                yield from _walk(value)
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _walk(value)
