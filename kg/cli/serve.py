"""``kg serve``: a read-only SPARQL endpoint over the graph, with Oxigraph's query page."""

from __future__ import annotations

import signal
import tempfile
import threading
from pathlib import Path

import click

from kg.cli.options import store_option
from kg.server import ServerError, prepare_store, start

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@click.command("serve")
@click.option("--bind", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True)
@store_option
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=30.0,
    show_default=True,
    help="Seconds a query may run before the server stops it.",
)
def command(bind: str, port: int, store_dir: Path | None, timeout: float) -> None:
    """Serve the ontology, data and shapes read-only over SPARQL, one named graph per source.

    The default graph is the union of all graphs. Stop with Ctrl-C.
    """
    with tempfile.TemporaryDirectory(prefix="mca-kg-store-") as temporary:
        location = store_dir or Path(temporary)
        prepare_store(location, f"http://{bind}:{port}/query")
        # Ctrl-C and SIGTERM set a flag instead of raising KeyboardInterrupt: an exception
        # raised inside Popen.wait() can leave its lock held and hang the shutdown. The
        # handlers are in place before the endpoint is announced, so a signal sent as soon
        # as the URL is read stops the server cleanly too.
        stop = threading.Event()
        handlers = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in _STOP_SIGNALS}
        server = None
        try:
            server = start(location, bind, port, timeout)
            url = server.url
            click.echo(f"SPARQL endpoint: {url}/query   (query page: {url}/)")
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
            while not stop.is_set() and server.process.poll() is None:
                stop.wait(0.2)
            failure = None if stop.is_set() else server.failure()
        finally:
            if server is not None:
                server.stop()
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
        if failure:
            raise ServerError(f"the Oxigraph server stopped: {failure}")
        click.echo("stopped")
