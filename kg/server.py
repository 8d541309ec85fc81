"""A real SPARQL endpoint: Oxigraph's own server, read-only, over the dataset and the shapes.

The ``oxigraph`` package on PyPI ships the server binary. ``kg serve`` loads
the ontology, reference data, notices and shapes into an on-disk store (one
named graph per source), closes it, and serves it with a pool of
``oxigraph serve-read-only`` workers behind a front that stops every request at
its deadline (:mod:`kg.front`). The stored questions are served too, as SPARQL
examples in the graph ``https://w3id.org/mca-kg/graph/queries`` (:mod:`kg.examples`),
each naming this endpoint as its ``schema:target``. :func:`served` runs ``kg serve``
for the length of a ``with`` block; :func:`start` runs one bare Oxigraph server (the
tests' writable store).
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.dataset import load_store
from kg.errors import KgError
from kg.namespaces import BASE

#: The graph that holds the served dataset's VoID and DCAT description.
VOID_GRAPH = BASE + "graph/void"

#: How long to wait for a starting server to accept connections.
START_SECONDS = 20.0

#: How long to wait for ``kg serve`` to listen: it may first build its store from the Turtle.
SERVE_START_SECONDS = 120.0


def orphan_proof(command: list[str], signal_name: str = "KILL") -> list[str]:
    """``command`` run so that it dies with its parent, even by ``kill -9`` of the parent.

    util-linux's ``setpriv --pdeathsig`` asks the kernel to send the child
    ``signal_name`` when the thread that started it ends. Without setpriv (not
    Linux), the command as it is.
    """
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", signal_name, "--", *command] if setpriv else command


class ServerError(KgError):
    """The server could not be started (not installed, port taken ...)."""


def oxigraph_binary() -> str:
    """The ``oxigraph`` server command, from PATH or beside this Python."""
    found = shutil.which("oxigraph") or shutil.which(
        "oxigraph", path=str(Path(sys.executable).parent)
    )
    if not found:
        raise ServerError(
            "the Oxigraph server is not installed: pip install 'mca-kg[server]' (or oxigraph)"
        )
    return found


def prepare_store(store_dir: Path, endpoint: str | None = None) -> None:
    """Load (or reuse) the dataset and shapes in ``store_dir``, then release the store.

    The dataset's VoID description, naming ``endpoint``, goes in a graph of its own,
    and the stored questions' SPARQL examples name ``endpoint`` as their target.
    """
    from kg.describe import describe
    from kg.examples import retarget
    from kg.terms import to_quads

    store = load_store(store_dir, with_shapes=True)
    if endpoint:
        retarget(store, endpoint)
    target = ox.NamedNode(str(VOID_GRAPH))
    if store.contains_named_graph(target):
        store.remove_graph(target)
    store.extend(to_quads(describe(endpoint), VOID_GRAPH))
    store.flush()
    del store


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def check_port_free(host: str, port: int) -> None:
    """Refuse, in one line, a port that something else already listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as error:
            raise ServerError(
                f"cannot listen on {host}:{port}: {error.strerror or error}"
            ) from error


def _reason(log: str, returncode: int | None) -> str:
    """The line of the server's log that says why it stopped."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    for line in lines:
        if "rror" in line:
            return line
    return lines[0] if lines else f"exit code {returncode}"


def wait_until_listening(
    process: subprocess.Popen[bytes],
    host: str,
    port: int,
    log: Path | None = None,
    seconds: float = START_SECONDS,
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace") if log and log.exists() else ""
            reason = _reason(text, process.returncode)
            raise ServerError(f"the server stopped at start: {reason}")
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.1)
    process.kill()
    process.wait()
    raise ServerError(f"the server did not listen on {host}:{port} in {seconds:g} s")


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    host: str
    port: int
    log: Path | None = None

    def failure(self) -> str | None:
        """Why the server stopped on its own, or None while it runs or if it stopped cleanly."""
        code = self.process.poll()
        if code is None or code <= 0:  # running, clean, or stopped by our signal
            return None
        text = self.log.read_text(errors="replace") if self.log and self.log.exists() else ""
        return _reason(text, code)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def query_endpoint(self) -> str:
        return f"{self.url}/query"

    def stop(self) -> None:
        """Stop the server by its process id and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log is not None:
            self.log.unlink(missing_ok=True)


def start(
    store_dir: Path,
    host: str = "127.0.0.1",
    port: int | None = None,
    timeout: float = 30.0,
    read_only: bool = True,
) -> Server:
    """Start one bare Oxigraph server on a store; the caller stops it with :meth:`Server.stop`.

    It has only Oxigraph's own timeout, which does not stop every query: ``kg serve``
    (:func:`served`) is the endpoint to put on a network.
    """
    port = free_port(host) if port is None else port
    check_port_free(host, port)
    mode = "serve-read-only" if read_only else "serve"
    command = [
        oxigraph_binary(),
        mode,
        "--location",
        str(store_dir),
        "--bind",
        f"{host}:{port}",
        "--union-default-graph",
        "--timeout-s",
        str(max(1, round(timeout))),
    ]
    # the server's log goes to a file: a pipe nobody reads would block a chatty server
    log = Path(tempfile.mkstemp(prefix="mca-kg-oxigraph-", suffix=".log")[1])
    with log.open("wb") as sink:
        process = subprocess.Popen(orphan_proof(command), stdout=subprocess.DEVNULL, stderr=sink)
    try:
        wait_until_listening(process, host, port, log)
    except ServerError:
        log.unlink(missing_ok=True)
        raise
    return Server(process, host, port, log)


@contextlib.contextmanager
def served(
    store_dir: Path | None = None,
    host: str = "127.0.0.1",
    port: int | None = None,
    timeout: float = 30.0,
    workers: int = 2,
    memory_mb: int = 512,
    federation_allow: tuple[str, ...] = (),
    public_url: str | None = None,
) -> Iterator[Server]:
    """``kg serve`` on the dataset, in a process of its own, for the length of a ``with`` block.

    >>> from urllib.request import urlopen
    >>> with served() as server:
    ...     urlopen(server.url).status
    200
    """
    temporary = None
    if store_dir is None:
        temporary = tempfile.mkdtemp(prefix="mca-kg-store-")
        store_dir = Path(temporary) / "store"
    try:
        port = free_port(host) if port is None else port
        command = [
            sys.executable,
            "-c",
            "from kg.cli import main; main()",
            "serve",
            "--bind",
            host,
            "--port",
            str(port),
            "--store",
            str(store_dir),
            "--timeout",
            repr(float(timeout)),
            "--workers",
            str(workers),
            "--memory",
            str(memory_mb),
        ]
        for url in federation_allow:
            command += ["--federation-allow", url]
        if public_url is not None:
            command += ["--public-url", public_url]
        log = Path(tempfile.mkstemp(prefix="mca-kg-serve-", suffix=".log")[1])
        with log.open("wb") as sink:
            # SIGTERM: if this process dies, kg serve stops its workers and ends cleanly
            process = subprocess.Popen(
                orphan_proof(command, "TERM"), stdout=sink, stderr=subprocess.STDOUT
            )
        server = Server(process, host, port, log)
        try:
            wait_until_listening(process, host, port, log, SERVE_START_SECONDS)
            yield server
        finally:
            server.stop()
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
