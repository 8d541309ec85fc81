"""The ``sparql`` validation engine: every shape compiled to set-based SPARQL, run in Oxigraph.

The other engines visit focus nodes one at a time (pySHACL in Python, the
``oxigraph`` engine's SHACL-SPARQL constraints once per focus node). This one
compiles each shape with targets into a few SELECT queries that return all its
violations at once:

* The **targets** become a subquery of focus nodes ``?this``
  (``sh:targetClass`` through ``rdf:type/rdfs:subClassOf*``, ``sh:targetNode``,
  ``sh:targetObjectsOf``, ``sh:targetSubjectsOf``).
* **Per-node constraints** (``sh:minCount``, ``sh:maxCount``, qualified
  counts, ``sh:hasValue``, and any constraint of a node shape on the focus node
  itself) become one boolean each, all computed in a single pass over the focus
  nodes: ``sh:minCount n`` is "no n distinct values", ``sh:maxCount m`` "m + 1
  distinct values", found by ``EXISTS`` over pairs of distinct values. Larger
  counts, and qualified counts whose value shape is more than a plain test,
  count each value once in a grouped subquery instead.
* **Constraints on values** (``sh:class``, ``sh:datatype``, ``sh:languageIn``,
  ``sh:in``, ``sh:nodeKind``, ``sh:node``, ``sh:uniqueLang``) start from the
  data, not the focus nodes: the distinct values of the path that fail (for
  ``sh:class`` a ``MINUS`` of the instances of the class), joined back to their
  subjects, of which only the focus nodes are kept.
* **Conformance** to a shape (for ``sh:node`` and ``sh:qualifiedValueShape``)
  is the UNION of that shape's violation patterns for one node, its nested
  SPARQL constraints included, inside ``EXISTS``.
* A **SHACL-SPARQL constraint** runs once: the target subquery is put first in
  its WHERE clause, so that ``$this`` is joined with every focus node instead of
  being pre-bound to each in turn. That is only the same when ``$this`` is bound
  wherever the query uses it; an analysis of the query's algebra refuses a query
  where it might not be (``MINUS`` or ``VALUES`` using ``$this``, a subquery
  using it without projecting it, ``LIMIT``, aggregates, ...). Nested in another
  shape's conformance check, the WHERE clause is inlined with its variables
  renamed.

All queries are compiled first, then run side by side on a few threads (Oxigraph
evaluates without holding Python's lock), and their findings are reported in
the order of the shapes, whatever order the queries finish in.

Findings are reported as pySHACL reports them (see :mod:`kg.shacl`): by the
named shape, with the result path of the property shape, ``sh:value`` where
pySHACL gives one, and a failure of ``sh:node`` reached through a property shape
reported by that property shape.

A shape with targets that uses (or reaches, through ``sh:node``, ``sh:property``
...) any SHACL feature this compiler does not know is never half-checked:
:func:`sparql_engine_findings` returns it, with the reason, and :mod:`kg.shacl`
has pySHACL check the whole shape on the same data. Shapes that are classes
(implicit class targets) are compiled; SHACL terms on nodes no shape reaches (a
validation report in the same file, say) are ignored, as SHACL ignores them.

Where this engine and pySHACL can differ (none of it arises in the shipped data):
ill-typed literals are judged by XSD as Oxigraph implements it (``"1e3"``,
``" 665 "`` and ``"NaN"`` are not ``xsd:decimal``; rdflib accepts them, and
accepts ``"2020-12-26T09:00:00"^^xsd:date``); ``sh:languageIn`` follows
``langMatches`` (pySHACL compares only the first subtag); and Oxigraph stores
valid literals in canonical form, so a value or focus node ``665.0`` shows as
``665``.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import combinations, count
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node, Variable

from kg.errors import InputError
from kg.findings import Finding, english, fill_template, severity, shape_name, where
from kg.namespaces import SH
from kg.shacl_rules import declared_prefixes
from kg.terms import compact, to_rdflib


class UnsupportedShapeError(InputError):
    """The shapes graph uses a SHACL feature that the ``sparql`` engine does not compile."""


#: SHACL properties the compiler understands (validating or merely descriptive).
SUPPORTED = frozenset(
    SH[name]
    for name in [
        # targets
        "targetClass",
        "targetNode",
        "targetObjectsOf",
        "targetSubjectsOf",
        # shapes and constraints
        "property",
        "path",
        "minCount",
        "maxCount",
        "class",
        "datatype",
        "languageIn",
        "uniqueLang",
        "hasValue",
        "in",
        "nodeKind",
        "node",
        "qualifiedValueShape",
        "qualifiedMinCount",
        "qualifiedMaxCount",
        "severity",
        "message",
        "deactivated",
        # SHACL-SPARQL
        "sparql",
        "select",
        "prefixes",
        "declare",
        "prefix",
        "namespace",
        # non-validating
        "name",
        "description",
        "order",
        "group",
        "defaultValue",
    ]
)

#: SHACL classes a shapes graph may give its nodes as rdf:type.
SUPPORTED_TYPES = frozenset(
    SH[name]
    for name in ["Shape", "NodeShape", "PropertyShape", "SPARQLConstraint", "PrefixDeclaration"]
) | {SH.PropertyGroup}

#: Turns a variable (``?x``) into a SPARQL expression or pattern about it.
_About = Callable[[str], str]

_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"

#: sh:nodeKind values as tests of a value.
_NODE_KINDS: dict[Node, _About] = {
    SH.IRI: lambda v: f"isIRI({v})",
    SH.BlankNode: lambda v: f"isBlank({v})",
    SH.Literal: lambda v: f"isLiteral({v})",
    SH.BlankNodeOrIRI: lambda v: f"(isIRI({v}) || isBlank({v}))",
    SH.BlankNodeOrLiteral: lambda v: f"(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: lambda v: f"(isIRI({v}) || isLiteral({v}))",
}

#: Datatypes whose lexical forms Oxigraph can check, by casting the literal's string to them.
_CASTABLE = {
    XSD[name]
    for name in [
        "string",
        "boolean",
        "decimal",
        "integer",
        "float",
        "double",
        "date",
        "time",
        "dateTime",
        "duration",
        "dayTimeDuration",
        "yearMonthDuration",
    ]
}

#: Datatypes Oxigraph stores valid literals of under another datatype (``"5"^^xsd:int`` as
#: ``xsd:integer``), so that ``datatype()`` cannot tell whether a value has them.
_REWRITTEN = {
    XSD[name]
    for name in [
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
        "dateTimeStamp",
    ]
}

#: Up to this many distinct values are counted by pairwise ``!sameTerm``; more by a subquery.
_PAIRWISE_LIMIT = 3

_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANGUAGE_TAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*|\*")


# --- terms -----------------------------------------------------------------------------------


def _iri(term: Node) -> str:
    """``<iri>`` for an IRI of the shapes graph, refusing anything that could break the query."""
    text = str(term)
    if not isinstance(term, URIRef) or _IRI_UNSAFE.search(text) or ":" not in text:
        raise UnsupportedShapeError(f"shapes graph: {term!r} is not an absolute IRI")
    return f"<{text}>"


def _term(term: Node) -> str:
    """A constant of the shapes graph (IRI or literal) in SPARQL syntax."""
    if isinstance(term, URIRef):
        return _iri(term)
    if isinstance(term, Literal):
        if term.datatype is not None:
            _iri(term.datatype)
        if term.language and not _LANGUAGE_TAG.fullmatch(term.language):
            raise UnsupportedShapeError(f"shapes graph: bad language tag {term.language!r}")
        return term.n3()
    raise UnsupportedShapeError(
        f"shapes graph: the blank node {term} is used as a value; it can match nothing in the data"
    )


def _integer(term: Node | None, what: str) -> int:
    if not isinstance(term, Literal) or not isinstance(term.value, int) or term.value < 0:
        raise UnsupportedShapeError(f"shapes graph: {what} must be a non-negative integer")
    return int(term.value)


# --- SPARQL text -----------------------------------------------------------------------------

_TOKENS = re.compile(
    r"""
      (?P<comment>\#[^\r\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               | '''(?:[^'\\]|\\.|'(?!''))*'''
               | "(?:[^"\\\r\n]|\\.)*"
               | '(?:[^'\\\r\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$]\w+)
    | (?P<bnode>_:\w(?:[\w.-]*\w)?)
    | (?P<name>(?:[^\W\d_][\w.-]*)?:[\w.:%\\-]*|[^\W\d]\w*)
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<other>\s+|.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.lastgroup or "other", m.group(), m.start()) for m in _TOKENS.finditer(text)]


def _keyword(token: _Token, *words: str) -> bool:
    return token.kind == "name" and token.text.upper() in words


@dataclass
class _SparqlConstraint:
    """One ``sh:sparql`` constraint: its query, split where the compiler needs to cut it."""

    node: Node
    shape: Node
    query: str
    prefixes: dict[str, str]
    message: str
    tokens: list[_Token] = field(default_factory=list)
    select: int = 0  # index of the SELECT keyword's token
    open: int = 0  # index of the WHERE clause's opening brace
    close: int = 0  # index of its closing brace

    def with_focus(self, focus: str) -> str:
        """The query with ``focus`` (a pattern binding ``?this``) first in its WHERE clause."""
        where = self.tokens[self.open].start + 1
        return f"{self.query[:where]} {focus} {self.query[where:]}"

    def projecting_this(self, projected: list[Variable]) -> None:
        """Make the query project ``?this`` (SHACL lets it leave out the pre-bound variable)."""
        if Variable("this") in projected:
            return
        after = self.select
        if _keyword(self._next(after), "DISTINCT", "REDUCED"):
            after = self.tokens.index(self._next(after))
        cut = self.tokens[after].start + len(self.tokens[after].text)
        self.query = f"{self.query[:cut]} ?this {self.query[cut:]}"
        self._split()

    def _next(self, index: int) -> _Token:
        for token in self.tokens[index + 1 :]:
            if token.kind not in ("other", "comment") or token.text.strip():
                return token
        return self.tokens[index]

    def _split(self) -> None:
        self.tokens = _tokens(self.query)
        selects = [i for i, t in enumerate(self.tokens) if _keyword(t, "SELECT")]
        opens = [i for i, t in enumerate(self.tokens) if t.kind == "open"]
        if not selects or not opens:
            raise UnsupportedShapeError(f"{self._where()}: sh:select is not a SELECT query")
        self.select = selects[0]
        self.open = next((i for i in opens if i > self.select), -1)
        if self.open < 0:
            raise UnsupportedShapeError(f"{self._where()}: sh:select has no WHERE clause")
        depth = 0
        for i in range(self.open, len(self.tokens)):
            kind = self.tokens[i].kind
            depth += 1 if kind == "open" else -1 if kind == "close" else 0
            if depth == 0:
                self.close = i
                return
        raise UnsupportedShapeError(f"{self._where()}: unbalanced braces in sh:select")

    def inlined(self, focus: str, tag: str) -> str:
        """The WHERE clause with ``$this`` as ``?focus`` and every other variable renamed."""
        tail = [
            t
            for t in self.tokens[self.close + 1 :]
            if t.kind not in ("other", "comment") or t.text.strip()
        ]
        if tail and not _keyword(tail[0], "ORDER"):
            raise UnsupportedShapeError(
                f"{self._where()}: a SPARQL constraint reached through sh:node or "
                "sh:qualifiedValueShape must not have GROUP BY, HAVING, LIMIT, OFFSET or VALUES "
                "after its WHERE clause"
            )
        if any(_keyword(t, "BASE") for t in self.tokens[: self.select]):
            raise UnsupportedShapeError(f"{self._where()}: BASE is not supported")
        parts = []
        for token in self.tokens[self.open : self.close + 1]:
            if token.kind == "var":
                name = token.text[1:]
                parts.append(f"?{focus}" if name == "this" else f"?_{tag}_{name}")
            elif token.kind == "bnode":
                parts.append(f"_:{tag}_{token.text[2:]}")
            else:
                parts.append(token.text)
        return "".join(parts)

    def declared_prefixes(self) -> dict[str, str]:
        """``sh:prefixes`` and the query's own PREFIX lines, for inlining elsewhere."""
        found = dict(self.prefixes)
        prologue = self.query[: self.tokens[self.select].start]
        for match in re.finditer(r"PREFIX\s+([^\s:]*):\s*<([^>]*)>", prologue, re.IGNORECASE):
            found[match.group(1)] = match.group(2)
        return found

    def _where(self) -> str:
        return f"{compact(str(self.shape))} (SPARQL constraint)"


# --- which queries join safely --------------------------------------------------------------

_THIS = Variable("this")
_PLACEHOLDER = "?this <urn:x-kg:focus> [] ."


def _mentions(node: Any) -> bool:
    """Whether ``?this`` occurs anywhere in an rdflib algebra (or parse) tree."""
    if isinstance(node, Variable):
        return node == _THIS
    if isinstance(node, dict):  # VALUES rows are dicts keyed by variable
        return any(
            _mentions(k) or _mentions(v) for k, v in node.items() if not str(k).startswith("_")
        )
    if isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        return any(_mentions(v) for v in node)
    return False


def _bound(node: Any) -> bool:
    """Whether every solution of the algebra pattern ``node`` binds ``?this``."""
    name = getattr(node, "name", "")
    if name == "BGP":
        return any(_THIS in triple for triple in node["triples"])
    if name == "Join":
        return _bound(node["p1"]) or _bound(node["p2"])
    if name in ("LeftJoin", "Minus"):
        return _bound(node["p1"])
    if name == "Union":
        return _bound(node["p1"]) and _bound(node["p2"])
    if name == "Graph":
        return node["term"] == _THIS or _bound(node["p"])
    if name == "ToMultiSet":  # a subquery binds what it projects
        inner = node["p"]
        while getattr(inner, "name", "") in ("Distinct", "Reduced", "OrderBy"):
            inner = inner["p"]
        return getattr(inner, "name", "") == "Project" and _THIS in inner["PV"] and _bound(inner)
    if name in ("Filter", "Extend", "Project", "Distinct", "Reduced", "OrderBy"):
        return _bound(node["p"])
    return False


def _joinable(node: Any, where: str) -> None:
    """Raise unless joining ``?this`` with focus nodes gives what pre-binding it would.

    SHACL evaluates a SPARQL constraint with ``$this`` pre-bound to one focus
    node. The compiled query instead binds ``?this`` first in the WHERE clause
    and lets the query join with it. Both agree wherever an expression or
    optional part that uses ``?this`` sees it bound by the pattern it applies
    to; ``VALUES``, ``MINUS``, ``SERVICE``, an aggregate or a ``LIMIT`` that uses
    it would not, nor would a subquery that uses it without projecting it (which
    SHACL forbids). A subquery that projects it, with no aggregate or ``LIMIT``,
    is joined on it either way.
    """
    name = getattr(node, "name", "")

    def refuse(what: str) -> UnsupportedShapeError:
        return UnsupportedShapeError(f"{where}: {what} cannot be run once for all focus nodes")

    if name == "BGP":
        return
    if name in ("Join", "Union"):
        _joinable(node["p1"], where)
        _joinable(node["p2"], where)
    elif name == "LeftJoin":
        _joinable(node["p1"], where)
        _joinable(node["p2"], where)
        if (_mentions(node["p2"]) or _mentions(node["expr"])) and not _bound(node["p1"]):
            raise refuse("an OPTIONAL using $this where it is not bound")
    elif name == "Filter":
        _joinable(node["p"], where)
        if _mentions(node["expr"]) and not _bound(node["p"]):
            raise refuse("a FILTER using $this where it is not bound")
    elif name == "Extend":
        _joinable(node["p"], where)
        if node["var"] == _THIS:
            raise refuse("binding $this (AS ?this)")
        if _mentions(node["expr"]) and not _bound(node["p"]):
            raise refuse("a BIND using $this where it is not bound")
    elif name == "Graph":
        _joinable(node["p"], where)
    elif name == "Minus":
        _joinable(node["p1"], where)
        if _mentions(node["p2"]):
            raise refuse("MINUS using $this")
    elif name in ("Project", "Distinct", "Reduced", "OrderBy"):
        _joinable(node["p"], where)
    elif name == "ToMultiSet" and _mentions(node["p"]):  # a subquery
        _joinable(node["p"], where)
        if not _bound(node):
            raise refuse("a subquery that uses $this without projecting it in every solution")
    elif name == "Slice":
        raise refuse("LIMIT or OFFSET")
    elif _mentions(node):
        raise refuse(f"{name or type(node).__name__} (a subquery, VALUES, SERVICE or aggregate)")


def _projected(constraint: _SparqlConstraint) -> list[Variable]:
    """Check that the constraint's query joins safely with its focus nodes; its projection."""
    where = constraint._where()
    for special in ("shapesGraph", "currentShape"):
        if re.search(rf"[?$]{special}\b", constraint.query):
            raise UnsupportedShapeError(f"{where}: ${special} is not supported")
    prefixes = tuple(sorted(constraint.prefixes.items()))
    return list(_analyse(where, constraint.with_focus(_PLACEHOLDER), prefixes))


@functools.lru_cache(maxsize=256)
def _analyse(where: str, text: str, prefixes: tuple[tuple[str, str], ...]) -> tuple[Variable, ...]:
    """:func:`_projected` for one query text (rdflib parses slowly; shapes rarely change)."""
    try:
        algebra = translateQuery(parseQuery(text), initNs=dict(prefixes)).algebra
    except Exception as error:
        raise UnsupportedShapeError(f"{where}: cannot analyse the query: {error}") from error
    if algebra.name != "SelectQuery":
        raise UnsupportedShapeError(f"{where}: sh:select is not a SELECT query")
    if algebra.get("datasetClause"):
        raise UnsupportedShapeError(f"{where}: FROM and FROM NAMED are not supported")
    _joinable(algebra["p"], where)
    if not _bound(algebra["p"]):
        raise UnsupportedShapeError(f"{where}: $this is not bound by the WHERE clause")
    return tuple(algebra["PV"])


# --- the compiler ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Check:
    """One constraint of one shape, compiled for a focus variable ``?focus``.

    ``where`` is a pattern, to be joined where ``?focus`` is bound, with one
    solution per violation: nested conformance checks use it. At the top level
    a check runs in one of three ways:

    ``flag``
        an expression, true when the focus node violates the constraint; all
        flags of a shape are computed in one pass over its focus nodes;
    ``subjects``
        a pattern that finds the violations from the data itself, binding
        ``?this``; only its (few) solutions are then tested for being focus
        nodes;
    ``count``
        a subquery counting the (conforming) values of each node, its count
        variable, and the least and most allowed.

    ``value`` names the variable reported as ``sh:value``, ``keys`` further
    variables that tell two results of one focus node apart (``sh:uniqueLang``:
    the language). ``test``, for a constraint on the focus node itself, is an
    expression true when it conforms.
    """

    reporter: Node
    path: URIRef | None
    generic: str
    where: str
    flag: str | None = None
    subjects: str | None = None
    value: str | None = None
    keys: tuple[str, ...] = ()
    test: str | None = None
    count: tuple[str, str, int, int | None] | None = None
    #: sh:sourceConstraintComponent; for ``count``, the one of the least and of the most
    component: str | None = None
    components: tuple[str, str] | None = None


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self._fresh = count(1)
        self._constraints: dict[Node, _SparqlConstraint] = {}
        self.prefixes: dict[str, str] = {}  # of SPARQL constraints inlined into checks
        self._parameters = _parameters(shapes)

    def var(self) -> str:
        return f"?_v{next(self._fresh)}"

    # reading the shapes graph

    def named(self, node: Node) -> str:
        """A node of the shapes graph for an error line: a prefixed name, or for a blank
        node the named shape it belongs to (never a blank node's label)."""
        return where(self.shapes, node)

    def one(self, shape: Node, predicate: URIRef) -> Node | None:
        values = list(self.shapes.objects(shape, predicate))
        if len(values) > 1:
            raise UnsupportedShapeError(
                f"{self.named(shape)}: more than one {compact(str(predicate))}"
            )
        return values[0] if values else None

    def path(self, shape: Node) -> URIRef | None:
        path = self.one(shape, SH.path)
        if path is not None and not isinstance(path, URIRef):
            raise UnsupportedShapeError(
                f"{self.named(shape)}: only predicate paths are supported, not {path!r}"
            )
        return path

    def deactivated(self, shape: Node) -> bool:
        return self.one(shape, SH.deactivated) == Literal(True)

    def items(self, shape: Node, predicate: URIRef) -> list[Node]:
        head = self.one(shape, predicate)
        if head is None:
            return []
        if head != RDF.nil and self.shapes.value(head, RDF.first) is None:
            raise UnsupportedShapeError(
                f"{self.named(shape)}: {compact(str(predicate))} is not an RDF list"
            )
        return list(Collection(self.shapes, head))

    def targeted(self) -> list[Node]:
        """Shapes with targets, implicit class targets included, in a stable order."""
        found = {
            s
            for p in (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)
            for s in self.shapes.subjects(p, None)
        }
        found |= {s for s in _shapes(self.shapes) if _is_class(self.shapes, s)}
        return sorted(found, key=str)

    def target_classes(self, shape: Node) -> list[Node]:
        """``sh:targetClass``, and the shape itself where it is a class (SHACL 2.1.3.3)."""
        found = list(self.shapes.objects(shape, SH.targetClass))
        if _is_class(self.shapes, shape) and shape in _shapes(self.shapes):
            found.append(shape)
        return found

    def unsupported(self, shape: Node) -> str | None:
        """Why the compiler cannot take ``shape`` (a SHACL term of it or of a shape it
        reaches that the compiler does not know), or None."""
        for node in _reached(self.shapes, shape):
            for p, o in self.shapes.predicate_objects(node):
                if str(p).startswith(str(SH)) and p not in SUPPORTED:
                    return f"{self.named(node)}: {compact(str(p))}"
                if p in self._parameters:
                    return f"{self.named(node)}: {compact(str(p))} (a constraint component)"
                if p == RDF.type and str(o).startswith(str(SH)) and o not in SUPPORTED_TYPES:
                    return f"{self.named(node)}: {compact(str(o))}"
        return None

    def focus_nodes(self, shape: Node) -> str:
        """A subquery selecting the shape's focus nodes as ``?this``."""
        branches = [f"?this {_TYPE}/{_SUBCLASS}* {_iri(c)} ." for c in self.target_classes(shape)]
        nodes = [_term(n) for n in self.shapes.objects(shape, SH.targetNode)]
        if nodes:
            branches.append(f"VALUES ?this {{ {' '.join(sorted(nodes))} }}")
        branches += [
            f"[] {_iri(p)} ?this ." for p in self.shapes.objects(shape, SH.targetObjectsOf)
        ]
        branches += [
            f"?this {_iri(p)} [] ." for p in self.shapes.objects(shape, SH.targetSubjectsOf)
        ]
        union = " UNION ".join(f"{{ {b} }}" for b in sorted(branches))
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"

    def is_focus(self, shape: Node) -> str:
        """An expression true when ``?this`` is a focus node of the shape."""
        tests = [
            f"EXISTS {{ ?this {_TYPE}/{_SUBCLASS}* {_iri(c)} }}" for c in self.target_classes(shape)
        ]
        tests += [f"sameTerm(?this, {_term(n)})" for n in self.shapes.objects(shape, SH.targetNode)]
        tests += [
            f"EXISTS {{ [] {_iri(p)} ?this }}"
            for p in self.shapes.objects(shape, SH.targetObjectsOf)
        ]
        tests += [
            f"EXISTS {{ ?this {_iri(p)} [] }}"
            for p in self.shapes.objects(shape, SH.targetSubjectsOf)
        ]
        return f"({' || '.join(sorted(tests))})"

    # SPARQL constraints

    def sparql_constraints(self, shape: Node) -> list[_SparqlConstraint]:
        found = []
        for node in sorted(self.shapes.objects(shape, SH.sparql), key=str):
            if node not in self._constraints:
                self._constraints[node] = self._sparql_constraint(shape, node)
            if not self.deactivated(node):
                found.append(self._constraints[node])
        return found

    def _sparql_constraint(self, shape: Node, node: Node) -> _SparqlConstraint:
        if self.path(shape) is not None:
            raise UnsupportedShapeError(
                f"{self.named(shape)}: SPARQL constraints on property shapes ($PATH) "
                "are not supported"
            )
        select = self.one(node, SH.select)
        if not isinstance(select, Literal):
            raise UnsupportedShapeError(f"{self.named(shape)}: sh:sparql without sh:select")
        prefixes = declared_prefixes(self.shapes, node)
        constraint = _SparqlConstraint(
            node=node,
            shape=shape,
            query=str(select),
            prefixes=prefixes,
            message=english(list(self.shapes.objects(node, SH.message))),
        )
        constraint._split()
        constraint.projecting_this(_projected(constraint))
        return constraint

    def inline(self, constraint: _SparqlConstraint, focus: str) -> str:
        for prefix, namespace in constraint.declared_prefixes().items():
            if self.prefixes.setdefault(prefix, namespace) != namespace:
                raise UnsupportedShapeError(
                    f"prefix {prefix}: is declared as two namespaces by nested SPARQL constraints"
                )
        return constraint.inlined(focus[1:], f"q{next(self._fresh)}")

    # conformance

    def violations(self, shape: Node, focus: str, stack: tuple[Node, ...]) -> str | None:
        """A pattern with a solution iff node ``focus`` does not conform to ``shape``."""
        if shape in stack:
            chain = " -> ".join(compact(str(s)) for s in (*stack, shape))
            raise UnsupportedShapeError(f"recursive shapes are not supported: {chain}")
        branches = [c.where for c in self.checks(shape, focus, (*stack, shape))]
        if not self.deactivated(shape):
            branches += [self.inline(c, focus) for c in self.sparql_constraints(shape)]
        if not branches:
            return None
        return " UNION ".join(f"{{ {b} }}" for b in branches)

    def conformance(self, shape: Node, stack: tuple[Node, ...]) -> tuple[_About | None, bool]:
        """An expression, true when a node conforms to ``shape`` (None: every node does),
        and whether it is a plain test of the node (cheap to repeat) rather than a
        search for violations."""
        if self.deactivated(shape):
            return None, True
        simple = (
            self.path(shape) is None
            and all(self.one(shape, p) is None for p in (SH.node, SH.sparql))
            and next(self.shapes.objects(shape, SH.property), None) is None
        )
        if simple and all(c.test for c in self.checks(shape, "?_probe", (*stack, shape))):

            def plain(v: str) -> str:
                return _all_of([c.test for c in self.checks(shape, v, (*stack, shape)) if c.test])

            return plain, True
        if self.violations(shape, "?_probe", stack) is None:
            return None, True

        def search(v: str) -> str:
            return f"NOT EXISTS {{ {self.violations(shape, v, stack)} }}"

        return search, False

    def at_least(self, focus: str, path: URIRef, n: int, condition: _About | None = None) -> str:
        """A pattern that holds when ``focus`` has at least ``n`` distinct values meeting
        ``condition``."""
        meets = condition or (lambda v: "")
        if n <= _PAIRWISE_LIMIT:
            names = [self.var() for _ in range(n)]
            triples = " ".join(f"{focus} {_iri(path)} {v} . {meets(v)}" for v in names)
            distinct = " && ".join(f"!sameTerm({a}, {b})" for a, b in combinations(names, 2))
            return triples + (f" FILTER ({distinct})" if distinct else "")
        v = self.var()
        return (
            f"{{ SELECT {focus} WHERE {{ {focus} {_iri(path)} {v} . {meets(v)} }} "
            f"GROUP BY {focus} HAVING (COUNT(DISTINCT {v}) >= {n}) }}"
        )

    # constraints

    def checks(self, shape: Node, focus: str, stack: tuple[Node, ...] = ()) -> list[_Check]:
        """Every constraint of ``shape`` and its property shapes, for the node ``focus``."""
        if self.deactivated(shape):
            return []
        path = self.path(shape)
        if path is not None and next(self.shapes.objects(shape, SH.sparql), None) is not None:
            self._sparql_constraint(shape, next(self.shapes.objects(shape, SH.sparql)))  # raises
        found = self._value_checks(shape, focus, path, stack)
        if path is not None:
            found += self._counts(shape, focus, path, stack)
        elif any(
            self.one(shape, p) is not None
            for p in (SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedValueShape)
        ):
            raise UnsupportedShapeError(
                f"{self.named(shape)}: counts, sh:uniqueLang and qualified value shapes "
                "need a property shape (sh:path)"
            )
        for prop in sorted(self.shapes.objects(shape, SH.property), key=str):
            if path is not None:
                raise UnsupportedShapeError(
                    f"{self.named(shape)}: sh:property on a property shape is not supported"
                )
            if self.path(prop) is None:
                raise UnsupportedShapeError(f"{compact(str(prop))}: sh:property without sh:path")
            found += self.checks(prop, focus, stack)
        return found

    def _value_tests(
        self, shape: Node, stack: tuple[Node, ...]
    ) -> Iterator[tuple[_About, str | None, str, URIRef]]:
        """Constraints on each value: an expression true when the value conforms, for
        ``sh:class`` the type pattern a conforming value matches, and a generic message."""
        for cls in sorted(self.shapes.objects(shape, SH["class"]), key=str):
            typed = f"{_TYPE}/{_SUBCLASS}* {_iri(cls)}"
            yield (
                _exists(typed),
                typed,
                f"Value is not an instance of {compact(str(cls))}",
                SH.ClassConstraintComponent,
            )
        datatype = self.one(shape, SH.datatype)
        if datatype is not None:
            yield (
                _datatype_test(datatype),
                None,
                f"Value is not of datatype {compact(str(datatype))}",
                SH.DatatypeConstraintComponent,
            )
        if self.one(shape, SH.languageIn) is not None:
            tags = [str(tag) for tag in self.items(shape, SH.languageIn)]
            yield (
                _language_test(tags),
                None,
                f"Language is not in {', '.join(tags)}",
                SH.LanguageInConstraintComponent,
            )
        if self.one(shape, SH["in"]) is not None:
            members = [_term(m) for m in self.items(shape, SH["in"])]
            yield _any_of(members), None, "Value is not in the list", SH.InConstraintComponent
        kind = self.one(shape, SH.nodeKind)
        if kind is not None:
            if kind not in _NODE_KINDS:
                raise UnsupportedShapeError(f"{self.named(shape)}: unknown sh:nodeKind {kind}")
            yield (
                _NODE_KINDS[kind],
                None,
                f"Value is not of node kind {compact(str(kind))}",
                SH.NodeKindConstraintComponent,
            )
        for nested in sorted(self.shapes.objects(shape, SH.node), key=str):
            test, _plain = self.conformance(nested, stack)
            if test is not None:  # else every node conforms
                yield (
                    test,
                    None,
                    f"Value does not conform to shape {compact(str(nested))}",
                    SH.NodeConstraintComponent,
                )

    def _value_checks(
        self, shape: Node, focus: str, path: URIRef | None, stack: tuple[Node, ...]
    ) -> list[_Check]:
        found = []
        for conforming, typed, generic, component in self._value_tests(shape, stack):
            if path is None:  # the focus node is the value
                test = conforming(focus)
                where = f"FILTER (!({test}))"
                found.append(
                    _Check(
                        shape,
                        None,
                        generic,
                        where,
                        f"!({test})",
                        value=focus,
                        test=test,
                        component=str(component),
                    )
                )
                continue
            v, ok = self.var(), self.var()
            if typed is not None:
                failing = f"MINUS {{ {v} {typed} }}"
            else:  # BIND, then FILTER: Oxigraph would push a bare FILTER into the subquery of
                # distinct values, and test every triple instead of every distinct value
                failing = f"BIND (COALESCE({conforming(v)}, false) AS {ok}) FILTER (!{ok})"
            values = f"{focus} {_iri(path)} {v} ."
            bad = (
                f"{{ SELECT {v} WHERE {{ {{ SELECT DISTINCT {v} WHERE {{ [] {_iri(path)} {v} }} }} "
                f"{failing} }} }}"
            )
            where = f"{values} FILTER (!({conforming(v)}))"
            found.append(
                _Check(
                    shape,
                    path,
                    generic,
                    where,
                    subjects=f"{bad} {values}",
                    value=v,
                    component=str(component),
                )
            )
        for wanted in sorted(self.shapes.objects(shape, SH.hasValue), key=str):
            if path is None:
                test = f"sameTerm({focus}, {_term(wanted)})"
            else:
                test = f"EXISTS {{ {focus} {_iri(path)} {_term(wanted)} }}"
            found.append(
                _Check(
                    shape,
                    path,
                    f"Missing value {wanted}",
                    f"FILTER (!({test}))",
                    f"!({test})",
                    test=test if path is None else None,
                    component=str(SH.HasValueConstraintComponent),
                )
            )
        return found

    def _number(self, shape: Node, predicate: URIRef) -> int | None:
        value = self.one(shape, predicate)
        return None if value is None else _integer(value, compact(str(predicate)))

    def _counts(
        self, shape: Node, focus: str, path: URIRef, stack: tuple[Node, ...]
    ) -> list[_Check]:
        name = compact(str(path))
        found = self._bounded(
            shape,
            focus,
            path,
            (self._number(shape, SH.minCount), self._number(shape, SH.maxCount)),
            (None, True),
            f"values of {name}",
            (SH.MinCountConstraintComponent, SH.MaxCountConstraintComponent),
        )
        if self.one(shape, SH.uniqueLang) == Literal(True):
            a, b, language = self.var(), self.var(), self.var()
            where = (
                f"{focus} {_iri(path)} {a}, {b} . "
                f"FILTER (isLiteral({a}) && isLiteral({b}) && !sameTerm({a}, {b}) "
                f'&& lang({a}) != "" && LCASE(lang({a})) = LCASE(lang({b}))) '
                f"BIND (LCASE(lang({a})) AS {language})"
            )
            subjects = (
                f"{{ SELECT {focus} {language} WHERE {{ {focus} {_iri(path)} {a} . "
                f'FILTER (isLiteral({a}) && lang({a}) != "") BIND (LCASE(lang({a})) AS {language}) '
                f"}} GROUP BY {focus} {language} HAVING (COUNT(DISTINCT {a}) > 1) }}"
            )
            generic = f"More than one value of {name} shares a language"
            found.append(
                _Check(
                    shape,
                    path,
                    generic,
                    where,
                    subjects=subjects,
                    keys=(language,),
                    component=str(SH.UniqueLangConstraintComponent),
                )
            )
        qualified = self.one(shape, SH.qualifiedValueShape)
        bounds = (
            self._number(shape, SH.qualifiedMinCount),
            self._number(shape, SH.qualifiedMaxCount),
        )
        if qualified is not None:
            if bounds == (None, None):
                raise UnsupportedShapeError(
                    f"{self.named(shape)}: sh:qualifiedValueShape without a qualified count"
                )
            what = f"values of {name} conforming to {compact(str(qualified))}"
            found += self._bounded(
                shape,
                focus,
                path,
                bounds,
                self.conformance(qualified, stack),
                what,
                (SH.QualifiedMinCountConstraintComponent, SH.QualifiedMaxCountConstraintComponent),
            )
        elif bounds != (None, None):
            raise UnsupportedShapeError(
                f"{self.named(shape)}: a qualified count without sh:qualifiedValueShape"
            )
        return found

    def _bounded(
        self,
        shape: Node,
        focus: str,
        path: URIRef,
        bounds: tuple[int | None, int | None],
        conformance: tuple[_About | None, bool],
        what: str,
        components: tuple[URIRef, URIRef],
    ) -> list[_Check]:
        """Checks that ``focus`` has from ``low`` to ``high`` distinct values (meeting a test).

        Small bounds with a plain test become flags that look for that many
        distinct values; otherwise the values are counted, once each.
        """
        low, high = bounds[0] or 0, bounds[1]
        test, plain = conformance
        if low == 0 and high is None:
            return []
        condition = None if test is None else (lambda v: f"FILTER ({test(v)})")
        patterns = []
        if low:
            pattern = self.at_least(focus, path, low, condition)
            patterns.append(
                (f"NOT EXISTS {{ {pattern} }}", f"Less than {low} {what}", components[0])
            )
        if high is not None:
            pattern = self.at_least(focus, path, high + 1, condition)
            patterns.append((f"EXISTS {{ {pattern} }}", f"More than {high} {what}", components[1]))
        small = max(low, -1 if high is None else high + 1) <= _PAIRWISE_LIMIT
        if plain and small:
            return [
                _Check(shape, path, generic, f"FILTER ({flag})", flag, component=str(component))
                for flag, generic, component in patterns
            ]
        v, n, ok = self.var(), self.var(), self.var()
        keep = "" if test is None else f"BIND (COALESCE({test(v)}, false) AS {ok}) FILTER ({ok})"
        counted = (
            f"{{ SELECT {focus} (COUNT(DISTINCT {v}) AS {n}) "
            f"WHERE {{ {focus} {_iri(path)} {v} . {keep} }} GROUP BY {focus} }}"
        )
        where = " UNION ".join(f"{{ FILTER ({flag}) }}" for flag, _, _ in patterns)
        generic = f"The number of {what} is not from {low} to {'any' if high is None else high}"
        return [
            _Check(
                shape,
                path,
                generic,
                where,
                count=(counted, n, low, high),
                components=(str(components[0]), str(components[1])),
            )
        ]


def _exists(pattern: str) -> _About:
    """A test that the value matches ``pattern`` (``?v`` ``pattern``)."""
    return lambda v: f"EXISTS {{ {v} {pattern} }}"


def _any_of(terms: list[str]) -> _About:
    return lambda v: f"({' || '.join(f'sameTerm({v}, {t})' for t in terms) or 'false'})"


def _all_of(tests: list[str]) -> str:
    """The conjunction of tests, each parenthesised: a test may itself be ``a || b``."""
    return " && ".join(f"({test})" for test in tests) or "true"


def _language_test(tags: list[str]) -> _About:
    ranges = [_term(Literal(tag)) for tag in tags]

    def test(v: str) -> str:
        matches = " || ".join(f"langMatches(lang({v}), {r})" for r in ranges) or "false"
        return f"(isLiteral({v}) && ({matches}))"

    return test


def _datatype_test(datatype: Node) -> _About:
    """A test of a value: a literal of ``datatype`` whose lexical form is in its lexical space."""
    iri = _iri(datatype)
    if datatype in _REWRITTEN:
        raise UnsupportedShapeError(
            f"sh:datatype {compact(str(datatype))}: Oxigraph stores such literals under their "
            "base datatype, so the sparql engine cannot check it"
        )

    def test(v: str) -> str:
        typed = f"isLiteral({v}) && datatype({v}) = {iri}"
        if datatype in _CASTABLE:
            return f"({typed} && COALESCE(isLiteral({iri}(STR({v}))), false))"
        return f"({typed})"

    return test


#: Properties whose values are shapes, lists of shapes, paths or SPARQL constraints: what
#: a shape reaches. (Not sh:in or sh:hasValue, whose values are data.)
_STRUCTURE = frozenset(
    SH[name]
    for name in [
        "property",
        "node",
        "qualifiedValueShape",
        "not",
        "and",
        "or",
        "xone",
        "sparql",
        "path",
        "inversePath",
        "alternativePath",
        "zeroOrMorePath",
        "oneOrMorePath",
        "zeroOrOnePath",
        "prefixes",
        "declare",
    ]
) | {RDF.first, RDF.rest, OWL.imports}


def _reached(shapes: Graph, shape: Node) -> list[Node]:
    """``shape`` and every node it reaches through :data:`_STRUCTURE` properties."""
    seen = [shape]
    for node in seen:  # grows as it goes
        for p, o in shapes.predicate_objects(node):
            if p in _STRUCTURE and o not in seen and not isinstance(o, Literal):
                seen.append(o)
    return seen


def _shapes(shapes: Graph) -> set[Node]:
    return set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    )


def _is_class(shapes: Graph, node: Node) -> bool:
    return bool({RDFS.Class, OWL.Class} & set(shapes.objects(node, RDF.type)))


def _parameters(shapes: Graph) -> set[Node]:
    """The parameters of the constraint components the shapes graph declares: a shape that
    uses one needs that component, which the compiler does not know."""
    components: set[Node] = set(shapes.subjects(RDF.type, SH.ConstraintComponent))
    components |= set(shapes.subjects(RDF.type, SH.SPARQLConstraintComponent))
    components |= set(shapes.subjects(SH.parameter, None))
    return {
        path
        for component in components
        for parameter in shapes.objects(component, SH.parameter)
        for path in shapes.objects(parameter, SH.path)
    }


# --- running ---------------------------------------------------------------------------------


def _select(store: ox.Store, query: str, prefixes: dict[str, str]) -> ox.QuerySolutions:
    solutions = store.query(query, prefixes=prefixes, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions


def _value(term: Any) -> str | None:
    return None if term is None else str(term.value)


@dataclass(frozen=True)
class _Job:
    """One query of a run, and what turns its variables and rows into findings."""

    query: str
    prefixes: dict[str, str]
    handle: Callable[[list[str], list[ox.QuerySolution]], Iterator[Finding]]


#: Queries run side by side, at most this many (and no more than the cores).
_WORKERS = 4


class _Run:
    """The compiled checks of every targeted shape, as queries and what reads their rows."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.compiler = _Compiler(shapes)
        self._reporters: dict[Node, tuple[str, str, str]] = {}

    def reporter(self, shape: Node) -> tuple[str, str, str]:
        """The severity, name and English message of the shape that reports a finding."""
        if shape not in self._reporters:
            self._reporters[shape] = (
                severity(self.shapes, shape),
                shape_name(self.shapes, shape),
                english(list(self.shapes.objects(shape, SH.message))),
            )
        return self._reporters[shape]

    def finding(
        self, check: _Check, focus: Any, value: Any, component: str | None = None
    ) -> Finding:
        level, name, message = self.reporter(check.reporter)
        return Finding(
            severity=level,
            shape=name,
            focus=str(focus.value),
            path=None if check.path is None else str(check.path),
            value=_value(value),
            message=message or check.generic,
            component=component or check.component,
            focus_node=to_rdflib(focus),
            value_node=None if value is None else to_rdflib(value),
            source_shape=check.reporter,
            path_node=check.path,
        )

    def shape(self, shape: Node) -> Iterator[_Job]:
        """The queries that check ``shape``, each with what turns its rows into findings."""
        compiler = self.compiler
        checks = compiler.checks(shape, "?this")
        constraints = compiler.sparql_constraints(shape)
        flagged = [c for c in checks if c.flag is not None]
        if flagged:  # one pass over the focus nodes for every per-node constraint
            names = [f"?_f{i}" for i in range(len(flagged))]
            binds = " ".join(f"BIND ({c.flag} AS {n})" for c, n in zip(flagged, names, strict=True))
            query = (
                f"SELECT ?this {' '.join(names)} WHERE {{ {compiler.focus_nodes(shape)} {binds} "
                f"FILTER ({' || '.join(names)}) }}"
            )

            def per_node(_variables: list[str], rows: list[ox.QuerySolution]) -> Iterator[Finding]:
                for row in rows:
                    for check, name in zip(flagged, names, strict=True):
                        if row[name[1:]].value == "true":
                            value = row["this"] if check.value == "?this" else None
                            yield self.finding(check, row["this"], value)

            yield _Job(query, compiler.prefixes, per_node)
        for check in checks:
            if check.count is not None:
                yield self.count(shape, check)
        is_focus = compiler.is_focus(shape)
        for check in checks:
            if check.subjects is not None:
                yield self.values(check, is_focus)
        if constraints:
            focus = compiler.focus_nodes(shape)
            for constraint in constraints:
                yield self.sparql(constraint, focus)

    def values(self, check: _Check, is_focus: str) -> _Job:
        assert check.subjects is not None
        shown = " ".join(v for v in (check.value, *check.keys) if v)
        query = f"SELECT DISTINCT ?this {shown} WHERE {{ {check.subjects} FILTER ({is_focus}) }}"

        def handle(_variables: list[str], rows: list[ox.QuerySolution]) -> Iterator[Finding]:
            for row in rows:
                value = row[check.value[1:]] if check.value else None
                yield self.finding(check, row["this"], value)

        return _Job(query, self.compiler.prefixes, handle)

    def count(self, shape: Node, check: _Check) -> _Job:
        assert check.count is not None
        counted, n, low, high = check.count
        wrong = " || ".join(
            ([f"?_k < {low}"] if low else []) + ([f"?_k > {high}"] if high is not None else [])
        )
        if low:  # focus nodes without any value count too
            where = f"{self.compiler.focus_nodes(shape)} OPTIONAL {{ {counted} }}"
            where += f" BIND (COALESCE({n}, 0) AS ?_k) FILTER ({wrong})"
        else:
            where = f"{counted} BIND ({n} AS ?_k) FILTER ({wrong})"
            where += f" FILTER ({self.compiler.is_focus(shape)})"

        assert check.components is not None
        least, most = check.components

        def handle(_variables: list[str], rows: list[ox.QuerySolution]) -> Iterator[Finding]:
            for row in rows:  # one result for each bound broken (both when least > most)
                counted = int(row["_k"].value)
                if low and counted < low:
                    yield self.finding(check, row["this"], None, least)
                if high is not None and counted > high:
                    yield self.finding(check, row["this"], None, most)

        return _Job(f"SELECT ?this ?_k WHERE {{ {where} }}", self.compiler.prefixes, handle)

    def sparql(self, constraint: _SparqlConstraint, focus: str) -> _Job:
        level, name, message = self.reporter(constraint.shape)
        template = constraint.message or message

        def handle(variables: list[str], rows: list[ox.QuerySolution]) -> Iterator[Finding]:
            seen = set()
            for row in rows:
                bound = tuple(_value(row[variable]) for variable in variables)
                if bound in seen:  # pySHACL drops repeated solutions too
                    continue
                seen.add(bound)
                path = row["path"] if "path" in variables else None
                value = row["value"] if "value" in variables else None
                shown = value if value is not None else row["this"]
                yield Finding(
                    severity=level,
                    shape=name,
                    focus=str(row["this"].value),
                    path=_value(path),
                    value=_value(shown),
                    message=fill_template(template, row, variables)
                    if template
                    else "SPARQL constraint",
                    component=str(SH.SPARQLConstraintComponent),
                    focus_node=to_rdflib(row["this"]),
                    value_node=to_rdflib(shown),
                    source_shape=constraint.shape,
                    constraint=constraint.node,
                )

        return _Job(constraint.with_focus(focus), constraint.prefixes, handle)


#: Binds ``?this``, substituted by Oxigraph, in a triple pattern: the way to pre-bind a
#: focus node that a query cannot name (a blank node of the data), which every node of
#: the data it was found in occurs in.
_OCCURS = (
    "{ SELECT DISTINCT ?this WHERE { { ?this ?_kg_p ?_kg_o } UNION { ?_kg_s ?_kg_p ?this } } }"
)


def prebound(shapes: Graph, shape: Node, constraint: Node) -> Callable[[Node], str]:
    """The SPARQL constraint ``constraint`` of ``shape``, to be run for one focus node at a
    time: a function from the node to the query, which binds ``?this`` to it first in the
    WHERE clause, as the compiler binds all focus nodes at once (run it with the node
    also substituted for ``?this``).

    Raises :class:`UnsupportedShapeError`, saying why, where that would not be SHACL's
    pre-binding, the same constraints the compiler refuses: ``$PATH`` (a property
    shape), ``$shapesGraph``, ``$currentShape``, or a ``$this`` that an inner group reads
    before the query binds it. Oxigraph's own substitutions are not pre-binding either:
    ``BIND ($this AS ?that)`` sees it unbound.
    """
    sparql = _Compiler(shapes)._sparql_constraint(shape, constraint)

    def query(node: Node) -> str:
        try:
            return sparql.with_focus(f"VALUES ?this {{ {_term(node)} }}")
        except UnsupportedShapeError:  # a blank node, or an IRI no query can spell
            return sparql.with_focus(_OCCURS)

    return query


def sparql_engine_findings(store: ox.Store, shapes: Graph) -> tuple[list[Finding], dict[Node, str]]:
    """Validate the union of all graphs of ``store`` against ``shapes``, set-based.

    Each shape with targets runs as at most one pass over its focus nodes, one
    query per constraint on values and one per SPARQL constraint; see the
    module docstring. Returns the findings, and the shapes with targets that the
    compiler cannot take, each with the reason, for another engine to check.
    """
    run = _Run(shapes)
    jobs: list[_Job] = []
    left: dict[Node, str] = {}
    for shape in run.compiler.targeted():
        try:
            reason = run.compiler.unsupported(shape)
            if reason is None:
                if run.compiler.deactivated(shape):
                    continue
                jobs += list(run.shape(shape))
        except UnsupportedShapeError as error:
            reason = str(error)
        if reason is not None:
            left[shape] = reason

    def solve(job: _Job) -> tuple[list[str], list[ox.QuerySolution]]:
        solutions = _select(store, job.query, job.prefixes)
        return [v.value for v in solutions.variables], list(solutions)

    # Oxigraph evaluates without holding the GIL: the queries share the cores.
    with ThreadPoolExecutor(max_workers=min(_WORKERS, os.cpu_count() or 1)) as pool:
        answers = list(pool.map(solve, jobs))
    findings = [
        finding
        for job, (variables, rows) in zip(jobs, answers, strict=True)
        for finding in job.handle(variables, rows)
    ]
    return findings, left
