"""The stored questions as SPARQL examples, in the form of the SIB ``sparql-examples`` project.

Each ``queries/NAME.rq`` becomes one resource, ``https://w3id.org/mca-kg/query/NAME``,
in the named graph ``https://w3id.org/mca-kg/graph/queries``:

- typed ``sh:SPARQLExecutable`` and, by its query form, ``sh:SPARQLSelectExecutable``
  (``sh:SPARQLAskExecutable``, ``sh:SPARQLConstructExecutable``,
  ``spex:SPARQLDescribeExecutable``);
- the query text, the file's own characters, as ``sh:select`` (``sh:ask``,
  ``sh:construct``, ``spex:describe``): it declares its prefixes and binds its
  parameters' defaults, so it runs as it is;
- ``rdfs:label`` (the title) and ``rdfs:comment`` (the question) in English and Chinese;
- ``sh:prefixes`` naming the catalogue, whose ``sh:declare`` lists every prefix the
  queries use; ``schema:keywords`` the kind (``question`` or ``check``);
- ``schema:target``: where to run it. A dataset exported and loaded elsewhere has no
  endpoint that kg knows of, so the export names the dataset itself
  (``https://w3id.org/mca-kg/dataset``, the ``void:Dataset`` of ``kg describe``);
  ``kg serve`` names the endpoint it serves (:func:`retarget`).

The graph is made from the files each time the dataset is loaded, so it cannot
fall behind them.

>>> from kg.catalogue import load
>>> graph = examples_graph()
>>> str(graph.value(QUERY.standards, SH.select)) == load("standards").text
True
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode, urlsplit

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.catalogue import LANGUAGES, StoredQuery, all_queries
from kg.errors import InputError
from kg.namespaces import DATASET, QUERIES_GRAPH, QUERY, SH

SCHEMA = Namespace("https://schema.org/")
SPEX = Namespace("https://purl.expasy.org/sparql-examples/ontology#")

#: Oxigraph's query page as ``kg serve`` prints it, for links when no other page is given.
DEFAULT_QUERY_PAGE = "http://127.0.0.1:7878/"

#: The resource that declares the queries' prefixes (``sh:prefixes`` of each example).
CATALOGUE = URIRef(str(QUERY))

#: Query form -> (class, property holding the text), as SHACL and SIB name them.
FORMS = {
    "SELECT": (SH.SPARQLSelectExecutable, SH.select),
    "ASK": (SH.SPARQLAskExecutable, SH.ask),
    "CONSTRUCT": (SH.SPARQLConstructExecutable, SH.construct),
    "DESCRIBE": (SPEX.SPARQLDescribeExecutable, SPEX.describe),
}

_PREFIX = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def prefixes(query: StoredQuery) -> dict[str, str]:
    """The prefixes a query file declares (its ``PREFIX`` lines)."""
    found = {}
    for line in query.text.splitlines():
        match = _PREFIX.match(line)
        if match:
            found[match[1] or ""] = match[2]
    return found


def form(query: StoredQuery) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after the comments and prefixes."""
    for line in query.text.splitlines():
        if line.lstrip().startswith("#") or _PREFIX.match(line):
            continue
        match = _FORM.search(line.split("#", 1)[0])
        if match:
            return match[1].upper()
    raise InputError(f"{query.path}: not a SELECT, ASK, CONSTRUCT or DESCRIBE query")


def examples_graph(target: str | None = None) -> Graph:
    """Every stored query as a SPARQL example; ``target`` is the endpoint that answers them."""
    graph = Graph(identifier=QUERIES_GRAPH)
    for name, namespace in (("sh", SH), ("schema", SCHEMA), ("spex", SPEX), ("owl", OWL)):
        graph.bind(name, namespace)
    aim = URIRef(target) if target else DATASET
    declared: dict[str, str] = {}
    for query in all_queries():
        node = QUERY[query.name]
        kind, text_property = FORMS[form(query)]
        graph.add((node, RDF.type, SH.SPARQLExecutable))
        graph.add((node, RDF.type, kind))
        for lang in LANGUAGES:
            if lang == "en" or f"title@{lang}" in query.header:
                graph.add((node, RDFS.label, Literal(query.title(lang), lang=lang)))
            if lang == "en" or f"question@{lang}" in query.header:
                graph.add((node, RDFS.comment, Literal(query.question(lang), lang=lang)))
        graph.add((node, text_property, Literal(query.text)))
        graph.add((node, SH.prefixes, CATALOGUE))
        graph.add((node, SCHEMA.keywords, Literal(query.kind)))
        graph.add((node, SCHEMA.target, aim))
        for prefix, iri in prefixes(query).items():
            if declared.setdefault(prefix, iri) != iri:
                raise InputError(
                    f"{query.path}: prefix {prefix}: is <{iri}> here, "
                    f"<{declared[prefix]}> in another stored query"
                )
    graph.add((CATALOGUE, RDF.type, OWL.Ontology))
    graph.add((CATALOGUE, OWL.imports, URIRef(str(SH))))
    for prefix, iri in sorted(declared.items()):
        declaration = URIRef(f"{CATALOGUE}#prefix-{prefix}")
        graph.add((CATALOGUE, SH.declare, declaration))
        graph.add((declaration, SH.prefix, Literal(prefix)))
        graph.add((declaration, SH.namespace, Literal(iri, datatype=XSD.anyURI)))
    return graph


def retarget(store: ox.Store, target: str) -> None:
    """Point every example in ``store`` at the endpoint ``target`` (what ``kg serve`` does)."""
    graph = ox.NamedNode(str(QUERIES_GRAPH))
    predicate = ox.NamedNode(str(SCHEMA.target))
    old = list(store.quads_for_pattern(None, predicate, None, graph))
    for quad in old:
        store.remove(quad)
    for quad in old:
        store.add(ox.Quad(quad.subject, predicate, ox.NamedNode(target), graph))


def example_iri(name: str) -> str:
    """The IRI of a stored query as an example.

    >>> example_iri("standards")
    'https://w3id.org/mca-kg/query/standards'
    """
    return str(QUERY[name])


def check_query_page(page: str) -> str:
    """A query page's URL, ending in ``/``; anything but an http(s) URL is refused in one line.

    >>> check_query_page("http://127.0.0.1:7878")
    'http://127.0.0.1:7878/'
    """
    try:
        parts = urlsplit(page)
        _ = parts.port  # raises ValueError for a malformed port
    except ValueError as error:
        raise InputError(f"--query-page: not a usable URL: {page!r} ({error})") from error
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise InputError(f"--query-page: not an http(s) URL of a page: {page!r}")
    return page if page.endswith("/") else page + "/"


def query_page_link(text: str, page: str = DEFAULT_QUERY_PAGE) -> str:
    """A link that opens Oxigraph's query page with ``text`` filled in, ready to run.

    The page is YASGUI, which reads a shared query from the link's fragment
    (``#query=...&endpoint=...``) and forgets the fragment once read. The endpoint
    is named, ``query`` beside the page (as ``kg serve`` serves it): the page would
    otherwise make its endpoint from its own address, fragment included. The
    fragment never reaches the server, so a query of any length fits.

    >>> query_page_link("SELECT * WHERE { ?s ?p ?o }")
    'http://127.0.0.1:7878/#query=SELECT%20%2A%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D&endpoint=http%3A%2F%2F127.0.0.1%3A7878%2Fquery'
    """
    base = check_query_page(page)
    fragment = urlencode({"query": text, "endpoint": base + "query"}, quote_via=quote, safe="")
    return f"{base}#{fragment}"
