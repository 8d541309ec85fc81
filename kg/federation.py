"""Which endpoints a query's ``SERVICE`` clauses call.

``kg serve`` refuses a query that calls an endpoint its operator has not allowed
(:func:`kg.front.check_federation`); ``kg query`` gives a query that calls out on
the embedded store a deadline, which neither embedded engine gives a ``SERVICE``
call of its own (:func:`kg.query.run`).

rdflib's SPARQL parser decides. A query in which the keyword cannot occur (the
letters ``service`` in no case, after SPARQL's ``\\u`` escapes are expanded, as
every parser must first) is not parsed at all: the parser takes tens of
milliseconds a query.
"""

from __future__ import annotations

import re
import threading

#: rdflib's parser is not safe in two threads at once (pyparsing learns each parse action's
#: arity on its first calls): one query is parsed at a time.
_PARSER_LOCK = threading.Lock()


def may_call_out(query: str) -> bool:
    """Whether ``query`` could hold a SERVICE clause at all, without parsing it.

    >>> may_call_out("SELECT * WHERE { ?s ?p ?o }")
    False
    >>> may_call_out("SELECT * WHERE { SERVI\\\\u0043E <http://127.0.0.1:9/q> { ?s ?p ?o } }")
    True
    """
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    return "service" in expandUnicodeEscapes(query).casefold()


def service_targets(query: str) -> list[str | None]:
    """The endpoint of every SERVICE clause of ``query``, None for a variable one.

    Raises what rdflib's parser raises for a query it cannot parse.

    >>> service_targets("SELECT * WHERE { ?s <http://example.org/service> ?o }")
    []
    >>> service_targets("SELECT * WHERE { SERVICE <http://127.0.0.1:9/q> { ?s ?p ?o } }")
    ['http://127.0.0.1:9/q']
    """
    if not may_call_out(query):
        return []
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    with _PARSER_LOCK:
        return _targets(translateQuery(parseQuery(query)))


#: What is not SPARQL's own words: IRIs, strings and comments, in the order a parser meets them.
_NOT_KEYWORDS = re.compile(
    r"""<[^<>"{}|^`\\\s]*>"""
    r'''|"""(?:[^"\\]|\\.|"(?!""))*"""'''
    r"""|'''(?:[^'\\]|\\.|'(?!''))*'''"""
    r'''|"(?:[^"\\\n]|\\.)*"'''
    r"""|'(?:[^'\\\n]|\\.)*'"""
    r"|#[^\n]*"
)
_SERVICE_KEYWORD = re.compile(r"(?<![\w:-])SERVICE(?![\w:-])", re.IGNORECASE)


def calls_out(query: str) -> bool:
    """Whether ``query`` calls a remote endpoint, or might (rdflib cannot parse it).

    Only a query with the keyword outside IRIs, strings, comments and names is parsed,
    so that the stored questions that name services (``ind:community-services``) are
    answered without rdflib's parser. A query this screen misses gets no deadline,
    which is all it decides; :func:`kg.front.check_federation` does not use it.

    >>> calls_out('SELECT * WHERE { ?s <http://example.org/service> "SERVICE" } # SERVICE')
    False
    >>> calls_out("SELECT * WHERE { ?s ?p ind:community-services }")
    False
    >>> calls_out("SELECT * WHERE { service <http://127.0.0.1:9/q> { ?s ?p ?o } }")
    True
    """
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    if not _SERVICE_KEYWORD.search(_NOT_KEYWORDS.sub(" ", expandUnicodeEscapes(query))):
        return False
    try:
        return bool(service_targets(query))
    except Exception:  # pyparsing's ParseException, RecursionError, rdflib's own
        return True


def _targets(algebra: object) -> list[str | None]:
    """The endpoints of every SERVICE in rdflib's algebra of a query (None for a variable)."""
    from rdflib import URIRef
    from rdflib.plugins.sparql.parserutils import CompValue

    found: list[str | None] = []
    seen: set[int] = set()
    todo = [algebra]
    while todo:  # bounded: each node is visited once
        node = todo.pop()
        if id(node) in seen or isinstance(node, str):
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                found.append(str(term) if isinstance(term, URIRef) else None)
            todo.extend(node.values())
        elif isinstance(node, dict):
            todo.extend(node.values())
        elif isinstance(node, list | tuple | set | frozenset):
            todo.extend(node)
        elif hasattr(node, "algebra"):  # rdflib's Query
            todo.append(node.algebra)
        elif hasattr(node, "as_list"):  # pyparsing's ParseResults
            todo.extend(node.as_list())
    return found
