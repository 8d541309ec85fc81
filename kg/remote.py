"""Talk to any SPARQL 1.1 endpoint: load the graph (Graph Store Protocol) and ask it questions.

Every request has one deadline for the whole of it (connecting, sending, the
status line, every byte of the answer): ``--timeout``, 60 s unless given. HTTP
runs on httpx under ``anyio.fail_after``, because a per-socket timeout (all that
urllib, urllib3 or httpx's own timeouts give) never fires for a server that
sends one byte every few seconds. Redirects are refused with the URL they point
to: a redirected POST or PUT becomes a GET in most clients, and the data is lost.
Error lines never show a password or a query string of the endpoint URL.

Loading sends each named graph as N-Triples and then reads each graph back to
check that every triple without a blank node arrived and the count is right.

With ``replace``, every graph is first written to a staging graph and counted
there; then one SPARQL Update request moves all of them onto their targets
(``MOVE GRAPH <staging> TO GRAPH <target> ; ...``), which a store that runs an
update request as one transaction (Oxigraph, Jena TDB2) applies all at once or
not at all. The targets are counted again, and the staging graphs are dropped
whatever happened. An error line ends with the state the store is in.

Questions go over the SPARQL 1.1 Protocol with the dataset's graphs named as
``default-graph-uri`` (their merge is the default graph, as in the embedded
store) and ``named-graph-uri``. The protocol has no way to bind variables, so
parameter values travel as a ``VALUES`` block of RDF terms written by Oxigraph's
serializer (escaped, typed and checked like every parameter), opening the
WHERE clause ahead of the defaults (:meth:`kg.catalogue.StoredQuery.prebound`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

import anyio
import httpx
import pyoxigraph as ox
from rdflib import Graph

from kg.catalogue import StoredQuery
from kg.dataset import graph_names, iter_graphs
from kg.errors import KgError
from kg.query import Answer
from kg.terms import NUMERIC, normalised

#: Seconds one request may take in all, unless ``--timeout`` says otherwise.
TIMEOUT_SECONDS = 60.0

_NTRIPLES = "application/n-triples"


class EndpointError(KgError):
    """An endpoint that cannot be reached, or that refused a request."""


def redact(url: str) -> str:
    """``url`` fit for an error line: no password, no query string (an API key may be in it).

    >>> redact("http://admin:s3cret@example.org:7878/store?graph=urn:x&key=s3cret")
    'http://admin:***@example.org:7878/store?…'
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "<a malformed URL>"
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    if parts.username is not None:
        netloc = f"{parts.username}{':***' if parts.password is not None else ''}@{netloc}"
    return urlunsplit((parts.scheme, netloc, parts.path, "…" if parts.query else "", ""))


def _scrub(text: str, url: str) -> str:
    """``text`` with the URL's password and query string taken out, wherever they appear."""
    try:
        parts = urlsplit(url)
        secrets = [parts.password or "", parts.query]
    except ValueError:
        secrets = [url]
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def check_endpoint(url: str) -> str:
    """An endpoint URL must be http(s) with a host; anything else is refused in one line."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a malformed port
    except ValueError as error:
        raise EndpointError(
            f"not a usable endpoint URL: {redact(url)} ({_scrub(str(error), url)})"
        ) from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"not an http(s) endpoint URL: {redact(url)!r}")
    return url


@dataclass
class _Response:
    status: int
    headers: httpx.Headers
    body: bytes


async def _send(
    method: str, url: str, body: bytes | None, headers: dict[str, str], timeout: float
) -> _Response:
    with anyio.fail_after(timeout):
        async with httpx.AsyncClient(follow_redirects=False, timeout=timeout) as client:
            response = await client.request(method, url, content=body, headers=headers)
            return _Response(response.status_code, response.headers, response.content)


def _request(
    method: str,
    url: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float | None = None,
    accept_missing: bool = False,
) -> _Response:
    """One HTTP request with one deadline for all of it; any failure is one line."""
    check_endpoint(url)
    seconds = TIMEOUT_SECONDS if timeout is None else timeout
    where = f"{method} {redact(url)}"
    try:
        response = anyio.run(_send, method, url, body, headers or {}, seconds)
    except TimeoutError as error:
        raise EndpointError(f"{where} timed out: no complete answer in {seconds:g} s") from error
    except httpx.TimeoutException as error:
        raise EndpointError(f"{where} timed out: no complete answer in {seconds:g} s") from error
    except httpx.ConnectError as error:
        raise EndpointError(f"cannot reach {redact(url)}: {_scrub(str(error), url)}") from error
    except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
        reason = _scrub(str(error), url) or type(error).__name__
        if "illegal" in reason.lower() or "invalid" in reason.lower():
            raise EndpointError(f"{where}: the answer is not HTTP ({reason})") from error
        raise EndpointError(f"{where}: the endpoint hung up mid-answer ({reason})") from error
    except (httpx.HTTPError, httpx.InvalidURL, OSError) as error:
        reason = _scrub(str(error), url) or type(error).__name__
        raise EndpointError(f"cannot reach {redact(url)}: {reason}") from error
    if 300 <= response.status < 400:
        target = response.headers.get("location", "nowhere")
        raise EndpointError(
            f"{where} was redirected (HTTP {response.status}) to {redact(target)}: "
            "kg does not follow redirects, give that URL instead"
        )
    if response.status == 404 and accept_missing:
        return response
    if response.status >= 400:
        detail = response.body.decode("utf-8", errors="replace").strip().splitlines()
        reason = _scrub(detail[0][:200], url) if detail else "no reason given"
        raise EndpointError(f"{where} was refused: HTTP {response.status}: {reason}")
    return response


def _graph_url(endpoint: str, graph: str) -> str:
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode({'graph': graph})}"


def _ntriples(graph: Graph) -> bytes:
    data = graph.serialize(format="nt")
    return data.encode("utf-8") if isinstance(data, str) else data


def _key(triple: ox.Triple) -> tuple[str, str, str] | None:
    """A triple without blank nodes as stores agree on it (numbers by value); None with one."""
    obj = triple.object
    if isinstance(triple.subject, ox.BlankNode) or isinstance(obj, ox.BlankNode | ox.Triple):
        return None
    if isinstance(obj, ox.Literal) and obj.datatype.value in NUMERIC:
        kind = "^^number"  # by value: Oxigraph keeps xsd:nonNegativeInteger as xsd:integer
    elif isinstance(obj, ox.Literal):
        kind = f"@{obj.language}" if obj.language else f"^^{obj.datatype.value}"
    else:
        kind = ""
    return (str(triple.subject), triple.predicate.value, normalised(obj) + kind)


def _fetched(endpoint: str, name: str, timeout: float | None) -> list[ox.Triple] | None:
    """The triples a store holds in graph ``name``; None if it has no such graph."""
    response = _request(
        "GET", _graph_url(endpoint, name), None, {"Accept": _NTRIPLES}, timeout, True
    )
    if response.status == 404:
        return None
    try:
        return list(ox.parse(response.body, format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError as error:
        raise EndpointError(
            f"GET {redact(endpoint)} did not answer with N-Triples for <{name}>: {error}"
        ) from error


def _verify(
    endpoint: str, name: str, sent: Graph, exact: bool, timeout: float | None
) -> str | None:
    """What is wrong with graph ``name`` at the endpoint, given what was sent; None if nothing.

    Every triple sent without a blank node must be there (numbers compared by value:
    stores keep them in canonical forms, Oxigraph even as another integer type); the
    count must be the same with ``exact``, else at least as many (the graph may have
    held triples before).
    """
    held = _fetched(endpoint, name, timeout) or []
    sent_keys = {
        k for t in ox.parse(_ntriples(sent), format=ox.RdfFormat.N_TRIPLES) if (k := _key(t))
    }
    missing = len(sent_keys - {_key(t) for t in held})
    if missing:
        return f"<{name}> lacks {missing} of the {len(sent)} triples sent"
    if exact and len(held) != len(sent):
        return f"<{name}> holds {len(held)} triples, not the {len(sent)} sent"
    if len(held) < len(sent):
        return f"<{name}> holds {len(held)} triples, fewer than the {len(sent)} sent"
    return None


def update_endpoint(endpoint: str) -> str | None:
    """The SPARQL Update URL beside a Graph Store Protocol URL, where the store's layout says it.

    >>> update_endpoint("http://localhost:7878/store"), update_endpoint("http://h/ds/data")
    ('http://localhost:7878/update', 'http://h/ds/update')
    """
    parts = urlsplit(endpoint)
    for tail in ("/store", "/data"):  # Oxigraph, Fuseki
        if parts.path.endswith(tail):
            path = parts.path[: -len(tail)] + "/update"
            return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return None


def _graph_term(graph: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(graph)
    except ValueError as error:
        raise EndpointError(f"--graph: not an absolute IRI: {graph!r} ({error})") from error


def load(
    endpoint: str,
    graph: str | None = None,
    replace: bool = False,
    update: str | None = None,
    timeout: float | None = None,
) -> list[tuple[str, int]]:
    """Send the dataset to a Graph Store Protocol ``endpoint``; return (graph, triples) sent.

    With ``graph``, everything goes into that one graph; otherwise one graph per source.
    Each graph is read back and checked. ``replace`` needs the store's SPARQL Update
    URL (``update``, else :func:`update_endpoint`) to switch every graph at once.
    """
    check_endpoint(endpoint)
    if graph is not None:
        _graph_term(graph)
    if replace:
        update = update or update_endpoint(endpoint)
        if update is None:
            raise EndpointError(
                f"--replace switches every graph in one SPARQL Update request: give the "
                f"store's update URL with --update (none known beside {redact(endpoint)})"
            )
        check_endpoint(update)
    parts: list[tuple[str, Graph]] = []
    if graph:
        union = Graph()
        for _, part in iter_graphs():
            for triple in part:
                union.add(triple)
        parts.append((graph, union))
    else:
        parts = [(str(name), part) for name, part in iter_graphs()]
    headers = {"Content-Type": _NTRIPLES}
    if not replace:
        for name, part in parts:
            try:
                _request("POST", _graph_url(endpoint, name), _ntriples(part), headers, timeout)
            except EndpointError as error:
                done = parts.index((name, part))
                raise EndpointError(f"{error} ({_added(parts[:done])})") from error
        for name, part in parts:
            problem = _verify(endpoint, name, part, exact=False, timeout=timeout)
            if problem:
                raise EndpointError(
                    f"the store took the data but {problem}: it did not load what was sent"
                )
        return [(name, len(part)) for name, part in parts]
    assert update is not None
    _replace(endpoint, update, parts, timeout)
    return [(name, len(part)) for name, part in parts]


def _added(done: list[tuple[str, Graph]]) -> str:
    if not done:
        return "nothing was added"
    return f"added to {', '.join(f'<{name}>' for name, _ in done)} before that; the rest unchanged"


def _replace(
    endpoint: str, update: str, parts: list[tuple[str, Graph]], timeout: float | None
) -> None:
    staging = f"urn:mca-kg:staging:{uuid.uuid4()}"
    names = [f"{staging}:{number}" for number in range(len(parts))]
    headers = {"Content-Type": _NTRIPLES}
    state = "the target graphs are unchanged"
    failure: EndpointError | None = None
    try:
        for stage, (_, part) in zip(names, parts, strict=True):
            _request("PUT", _graph_url(endpoint, stage), _ntriples(part), headers, timeout)
            problem = _verify(endpoint, stage, part, exact=True, timeout=timeout)
            if problem:
                raise EndpointError(f"staging went wrong: {problem}")
        moves = " ;\n".join(
            f"MOVE GRAPH {ox.NamedNode(stage)} TO GRAPH {ox.NamedNode(name)}"
            for stage, (name, _) in zip(names, parts, strict=True)
        )
        before = _holding_new(endpoint, parts, timeout)
        try:
            _request(
                "POST",
                update,
                moves.encode("utf-8"),
                {"Content-Type": "application/sparql-update"},
                timeout,
            )
        except EndpointError:
            state = _state_after_failed_switch(endpoint, parts, before, timeout)
            raise
        state = "every target graph was replaced"
        problems = [
            p
            for name, part in parts
            if (p := _verify(endpoint, name, part, exact=True, timeout=timeout))
        ]
        if problems:
            raise EndpointError(f"after the switch {'; '.join(problems)}")
    except EndpointError as error:
        failure = error
    left = _drop_staging(endpoint, update, names, timeout)
    if left:
        state += f"; staging graphs {staging}:0..{len(names) - 1} are left behind: DROP them"
    elif failure is not None:
        state += " (staging graphs removed)"
    if failure is not None:
        raise EndpointError(f"{failure}; {state}") from failure
    if left:
        raise EndpointError(f"replaced and checked, but {state}")


def _holding_new(
    endpoint: str, parts: list[tuple[str, Graph]], timeout: float | None
) -> list[bool]:
    """Which target graphs hold exactly the triples being sent."""
    return [_verify(endpoint, name, part, True, timeout) is None for name, part in parts]


def _state_after_failed_switch(
    endpoint: str, parts: list[tuple[str, Graph]], before: list[bool], timeout: float | None
) -> str:
    """Which side of the switch the store is on: the targets counted before and after."""
    try:
        after = _holding_new(endpoint, parts, timeout)
    except EndpointError:
        return "the store could not be asked what state it is in: check the target graphs"
    switched = [a and not b for a, b in zip(after, before, strict=True)]
    if after == before:
        return "the target graphs are unchanged"
    if all(after):
        return "yet every target graph holds the new triples: the switch happened"
    return (
        f"the target graphs are MIXED: {sum(switched)} replaced, {after.count(False)} not: "
        "run kg load --replace again"
    )


def _drop_staging(endpoint: str, update: str, names: list[str], timeout: float | None) -> bool:
    """Drop the staging graphs (one update, else one DELETE each); True if any is left."""
    drops = " ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(name)}" for name in names)
    try:
        _request(
            "POST",
            update,
            drops.encode("utf-8"),
            {"Content-Type": "application/sparql-update"},
            timeout,
        )
    except EndpointError:
        for name in names:
            try:
                _request("DELETE", _graph_url(endpoint, name), None, None, timeout, True)
            except EndpointError:
                continue
    try:
        return any(_fetched(endpoint, name, timeout) for name in names)
    except EndpointError:
        return True


def run_remote(
    query: StoredQuery,
    bindings: dict[str, ox.NamedNode | ox.Literal],
    endpoint: str,
    timeout: float | None = None,
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
    data = _request("POST", endpoint, body, headers, timeout).body
    where = redact(endpoint)
    try:
        solutions = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        rows = list(solutions) if isinstance(solutions, ox.QuerySolutions) else None
    except SyntaxError as error:
        if b"cancelled" in data[-200:]:  # Oxigraph streams a 200, then stops at its timeout
            raise EndpointError(
                f"{where} stopped the query: it ran past the server's timeout"
            ) from error
        raise EndpointError(f"{where} did not answer with SPARQL results JSON: {error}") from error
    if not isinstance(solutions, ox.QuerySolutions) or rows is None:
        raise EndpointError(f"{where} did not answer with a table of results")
    variables = [v.value for v in solutions.variables if v.value not in bindings]
    return Answer(variables, [{v: row[v] for v in variables} for row in rows])
