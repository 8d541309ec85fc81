"""``kg serve``: a read-only SPARQL endpoint over the graph, with Oxigraph's query page.

A front (aiohttp) lends each request to one of a pool of Oxigraph workers and
ends it at its deadline; see :mod:`kg.front` and the README's "Serving it on a
network".
"""

from __future__ import annotations

import asyncio
import math
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from kg.cli.options import store_option
from kg.errors import KgError
from kg.server import ServerError, check_port_free, oxigraph_binary, prepare_store

#: The longest --timeout: a query that holds a worker longer than this is no use to anyone.
MAX_TIMEOUT_SECONDS = 3600


class _Seconds(click.ParamType):
    """A finite number of seconds from 1 to :data:`MAX_TIMEOUT_SECONDS` (not inf, not nan)."""

    name = "SECONDS"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            seconds = value
        else:
            try:
                seconds = float(value)
            except (TypeError, ValueError):
                self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(seconds) or not 1 <= seconds <= MAX_TIMEOUT_SECONDS:
            self.fail(
                f"{value!r}: give a number of seconds from 1 to {MAX_TIMEOUT_SECONDS}", param, ctx
            )
        return seconds


def _endpoints(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[str]:
    from kg.remote import check_endpoint

    try:
        return [check_endpoint(value) for value in values]
    except KgError as error:
        raise click.BadParameter(str(error)) from error


def _public_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    (url,) = _endpoints(ctx, param, (value,))
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise click.BadParameter("a public URL must not hold a user name or password")
    if parts.fragment:
        raise click.BadParameter("a public URL has no #fragment")
    return url


@click.command("serve")
@click.option("--bind", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True)
@store_option
@click.option(
    "--timeout",
    type=_Seconds(),
    default=30.0,
    show_default=True,
    help=f"Seconds a request may take (1 to {MAX_TIMEOUT_SECONDS}); then its worker is "
    "killed and the client told so.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Oxigraph processes, each answering one request at a time.",
)
@click.option(
    "--memory",
    "memory_mb",
    type=click.IntRange(384, 1 << 20),
    default=512,
    show_default=True,
    metavar="MB",
    help="Address space each worker may use (an idle one takes some 200 MB of it); a "
    "query that needs more is stopped.",
)
@click.option(
    "--federation-allow",
    "allowed",
    multiple=True,
    metavar="URL",
    callback=_endpoints,
    help="Let SERVICE call this endpoint (repeatable). Without it the server makes no "
    "outbound request and refuses every SERVICE.",
)
@click.option(
    "--public-url",
    metavar="URL",
    callback=_public_url,
    help="The endpoint's address as its users reach it (behind a proxy, say): the "
    "dataset's VoID description and the stored questions' SPARQL examples name it. "
    "Default: http://BIND:PORT/query.",
)
def command(
    bind: str,
    port: int,
    store_dir: Path | None,
    timeout: float,
    workers: int,
    memory_mb: int,
    allowed: list[str],
    public_url: str | None,
) -> None:
    """Serve the ontology, data and shapes read-only over SPARQL, one named graph per source.

    The default graph is the union of all graphs. Stop with Ctrl-C.
    """
    try:
        import aiohttp  # noqa: F401  (the front's server and client)

        from kg.front import serve
    except ImportError as error:
        raise ServerError(
            f"kg serve needs aiohttp: pip install 'mca-kg[server]' ({error})"
        ) from error
    oxigraph_binary()  # says how to install it, before the store is built
    check_port_free(bind, port)
    with tempfile.TemporaryDirectory(prefix="mca-kg-serve-") as temporary:
        location = store_dir or Path(temporary) / "store"
        described = public_url or f"http://{bind}:{port}/query"
        prepare_store(location, described)
        log = Path(temporary) / "oxigraph.log"

        def ready(url: str) -> None:
            click.echo(f"SPARQL endpoint: {url}/query   (query page: {url}/)")
            if public_url:
                click.echo(f"Described to its users as: {public_url}")
            click.echo(
                f"Each request: at most {timeout:g} s; {workers} workers of at most "
                f"{memory_mb} MB; SERVICE: "
                + (", ".join(allowed) if allowed else "refused (no outbound requests)")
            )
            click.echo("Try:")
            click.echo(
                f"  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT ?g (COUNT(*) AS ?n) "
                f"WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g' {url}/query"
            )
            click.echo(
                f"  curl -H 'Accept: text/turtle' '{url}/store?graph=https://w3id.org/mca-kg/graph/mca-2020-12-26'"
            )
            click.echo(f"  kg query standards --endpoint {url}/query")
            click.echo(
                f"  curl -H 'Accept: text/turtle' '{url}/store?graph=https://w3id.org/mca-kg/graph/queries'"
                "   (the stored questions, as SPARQL examples)"
            )
            click.echo("Ctrl-C stops the server.")

        try:
            asyncio.run(
                serve(location, bind, port, timeout, workers, memory_mb, allowed, log, ready)
            )
        except ServerError:
            raise
        except OSError as error:  # setpriv or prlimit missing: not Linux's util-linux
            raise ServerError(f"cannot start the Oxigraph workers: {error}") from error
    click.echo("stopped")
