"""Talk to any SPARQL 1.1 endpoint: load the graph (Graph Store Protocol) and ask it questions.

Loading sends each named graph as N-Triples. With ``replace``, every graph is
first written to a staging graph; only when the endpoint has taken all of them
whole are the target graphs replaced, each by one atomic PUT, and the staging
graphs dropped. So content the endpoint refuses, or a connection lost while
staging, leaves every target graph as it was; a failure between two of the final
PUTs (after the same content was just accepted) would leave the earlier targets
replaced, and is reported as an error naming the graph.

Questions go over the SPARQL 1.1 Protocol with the dataset's graphs named as
``default-graph-uri`` (their merge is the default graph, as in the embedded
store) and ``named-graph-uri``. The protocol has no way to bind variables, so
parameter values travel as a ``VALUES`` block of RDF terms written by Oxigraph's
serializer (escaped, typed and checked like every parameter), opening the
WHERE clause ahead of the defaults (:meth:`kg.catalogue.StoredQuery.prebound`).
"""

from __future__ import annotations

import contextlib
import uuid
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

import pyoxigraph as ox
from rdflib import Graph

from kg.catalogue import StoredQuery
from kg.dataset import graph_names, iter_graphs
from kg.errors import KgError
from kg.query import Answer

TIMEOUT_SECONDS = 60.0


class EndpointError(KgError):
    """An endpoint that cannot be reached, or that refused a request."""


def check_endpoint(url: str) -> str:
    """An endpoint URL must be http(s) with a host; anything else is refused in one line."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a malformed port
    except ValueError as error:
        raise EndpointError(f"not a usable endpoint URL: {url!r} ({error})") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"not an http(s) endpoint URL: {url!r}")
    return url


def _request(
    method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> bytes:
    request = Request(check_endpoint(url), data=body, method=method, headers=headers or {})
    try:
        with urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return bytes(response.read())
    except HTTPError as error:
        detail = error.read().decode("utf-8", errors="replace").strip().splitlines()
        reason = detail[0][:200] if detail else error.reason
        raise EndpointError(f"{method} {url} was refused: HTTP {error.code}: {reason}") from error
    except URLError as error:
        raise EndpointError(f"cannot reach {url}: {error.reason}") from error
    except OSError as error:  # a reset connection or a timeout while reading
        raise EndpointError(f"cannot reach {url}: {error}") from error


def _graph_url(endpoint: str, graph: str) -> str:
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode({'graph': graph})}"


def _ntriples(graph: Graph) -> bytes:
    data = graph.serialize(format="nt")
    return data.encode("utf-8") if isinstance(data, str) else data


def load(endpoint: str, graph: str | None = None, replace: bool = False) -> list[tuple[str, int]]:
    """Send the dataset to a Graph Store Protocol ``endpoint``; return (graph, triples) sent.

    With ``graph``, everything goes into that one graph; otherwise one graph per source.
    """
    check_endpoint(endpoint)
    parts: list[tuple[str, Graph]] = []
    if graph:
        union = Graph()
        for _, part in iter_graphs():
            for triple in part:
                union.add(triple)
        parts.append((graph, union))
    else:
        parts = [(str(name), part) for name, part in iter_graphs()]
    headers = {"Content-Type": "application/n-triples"}
    if not replace:
        for name, part in parts:
            _request("POST", _graph_url(endpoint, name), _ntriples(part), headers)
        return [(name, len(part)) for name, part in parts]
    staging = f"urn:mca-kg:staging:{uuid.uuid4()}"
    staged: list[str] = []
    try:
        for number, (_, part) in enumerate(parts):
            name = f"{staging}:{number}"
            _request("PUT", _graph_url(endpoint, name), _ntriples(part), headers)
            staged.append(name)
        for name, part in parts:
            _request("PUT", _graph_url(endpoint, name), _ntriples(part), headers)
    finally:
        for name in staged:
            # a staging graph left behind holds a copy, never a half-replaced target
            with contextlib.suppress(EndpointError):
                _request("DELETE", _graph_url(endpoint, name))
    return [(name, len(part)) for name, part in parts]


def run_remote(
    query: StoredQuery, bindings: dict[str, ox.NamedNode | ox.Literal], endpoint: str
) -> Answer:
    """Answer a stored question at a remote SPARQL endpoint."""
    check_endpoint(endpoint)
    graphs = [str(name) for name in graph_names()]
    params = [("query", query.prebound(bindings))]
    params += [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]
    body = urlencode(params).encode("utf-8")
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json",
    }
    data = _request("POST", endpoint, body, headers)
    try:
        solutions = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        rows = list(solutions) if isinstance(solutions, ox.QuerySolutions) else None
    except SyntaxError as error:
        if b"cancelled" in data[-200:]:  # Oxigraph streams a 200, then stops at its timeout
            raise EndpointError(
                f"{endpoint} stopped the query: it ran past the server's timeout"
            ) from error
        raise EndpointError(
            f"{endpoint} did not answer with SPARQL results JSON: {error}"
        ) from error
    if not isinstance(solutions, ox.QuerySolutions) or rows is None:
        raise EndpointError(f"{endpoint} did not answer with a table of results")
    variables = [v.value for v in solutions.variables if v.value not in bindings]
    return Answer(variables, [{v: row[v] for v in variables} for row in rows])
