"""The front of ``kg serve``: Oxigraph workers, each under an OS memory cap, behind aiohttp.

Oxigraph's own ``--timeout-s`` does not stop every query: an ``ORDER BY`` over a
cross product, or a triple cross product, runs on past it, and on after its
client hangs up, growing by hundreds of MB a second. The one sure way to stop a
query an engine will not stop is to end its process, so:

* each worker is an ``oxigraph serve-read-only`` process on 127.0.0.1, started
  through util-linux's ``setpriv --pdeathsig KILL`` (the kernel kills it when
  ``kg`` dies, even by ``kill -9``) and ``prlimit --as`` (an allocation past the
  cap fails and the worker aborts);
* the front (aiohttp, in the ``kg serve`` process) gives each worker one request
  at a time, and kills the worker when the request's deadline passes, when its
  client hangs up, or when the worker died of its cap, then starts a fresh one;
  the other workers go on answering;
* a query with ``SERVICE`` is refused, unless its operator allows that endpoint
  (``--federation-allow``): the workers would otherwise make any request a
  client asks for, to this machine's other ports too.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from kg.federation import service_targets
from kg.server import ServerError, _reason, free_port, oxigraph_binary

#: Seconds between a request's deadline and its client having the answer that says so:
#: the time to kill a worker and write one line. Stated in the README; tests allow far more.
SLACK_SECONDS = 1.0

#: How long a worker may take to listen after it is started.
WORKER_START_SECONDS = 30.0

#: glibc gives each thread that allocates an arena of 64 MB address space; two keep an
#: idle worker's address space near 170 MB (up to some 260 MB while Oxigraph's threads
#: for recent connections linger), so the rest of the cap is left for queries.
WORKER_ENVIRONMENT = {"MALLOC_ARENA_MAX": "2"}

_FORM = "application/x-www-form-urlencoded"
_SPARQL_QUERY = "application/sparql-query"
_FORWARDED_REQUEST_HEADERS = ("Accept", "Accept-Language")
_HOP_BY_HOP = frozenset(
    (
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "server",
        "date",
    )
)


class Refused(Exception):
    """A request the front answers itself, with ``status`` and one line of text."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


# --- SERVICE ---------------------------------------------------------------------------


def check_federation(query: str, allowed: Iterable[str] = ()) -> None:
    """Raise :class:`Refused` if ``query`` has a SERVICE whose endpoint is not in ``allowed``.

    rdflib's SPARQL parser decides (:mod:`kg.federation`). A query rdflib cannot
    parse while it names ``service`` is refused, since what it asks cannot be checked.

    >>> check_federation("SELECT * WHERE { ?s ?p ?o }")
    >>> check_federation("SELECT * WHERE { SERVICE <http://127.0.0.1:9/q> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.front.Refused: kg serve refuses SERVICE <http://127.0.0.1:9/q>: federation is off ...
    >>> check_federation(
    ...     "SELECT * WHERE { SERVICE <http://127.0.0.1:9/q> { ?s ?p ?o } }",
    ...     ["http://127.0.0.1:9/q"],
    ... )
    """
    allowed = frozenset(allowed)
    try:
        targets = service_targets(query)
    except Exception as error:  # pyparsing's ParseException, RecursionError, rdflib's own
        reason = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        raise Refused(
            400,
            "kg serve cannot check this query for SERVICE, so it refuses it "
            f"(rdflib's SPARQL parser: {reason})",
        ) from error
    for target in targets:
        if target is None:
            raise Refused(403, "kg serve refuses SERVICE with a variable: it names no endpoint")
        if target not in allowed:
            hint = (
                "federation is off (kg serve --federation-allow URL allows an endpoint)"
                if not allowed
                else "it is not one of the endpoints --federation-allow names"
            )
            raise Refused(403, f"kg serve refuses SERVICE <{target}>: {hint}")


def _content_type(headers: Any) -> str:
    return str(headers.get("Content-Type", "")).split(";")[0].strip().lower()


def request_parameters(
    method: str, path: str, url_params: Sequence[tuple[str, str]], content_type: str, body: bytes
) -> list[tuple[str, str]] | None:
    """A request's SPARQL Protocol parameters, URL and body together; None if it carries none.

    ``/query`` must carry exactly one query, by GET or by POST as a form or as
    ``application/sparql-query``; the front forwards exactly these parameters, as
    a form, so the worker runs the query that was checked.
    """
    params = list(url_params)
    if method == "POST" and content_type in (_FORM, _SPARQL_QUERY):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise Refused(400, "the request body is not UTF-8") from error
        if content_type == _FORM:
            params += parse_qsl(text, keep_blank_values=True)
        else:
            params.append(("query", text))
    elif path == "/query" and method == "POST":
        raise Refused(415, f"send the query as {_FORM} or {_SPARQL_QUERY}")
    if path == "/query":
        if method not in ("GET", "HEAD", "POST"):
            raise Refused(405, "the query endpoint takes GET and POST")
        if sum(name == "query" for name, _ in params) != 1:
            raise Refused(400, "give exactly one query parameter")
        return params
    return params if any(name == "query" for name, _ in params) else None


# --- workers ---------------------------------------------------------------------------


@dataclass(eq=False)
class Worker:
    process: asyncio.subprocess.Process
    port: int
    killed: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        self.killed = True
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()


def worker_command(store_dir: Path, port: int, timeout: float, memory_mb: int) -> list[str]:
    """The command of one worker: Oxigraph under a memory cap, killed when its parent dies."""
    limit = memory_mb * 1024 * 1024
    return [
        "setpriv",
        "--pdeathsig",
        "KILL",
        "--",
        "prlimit",
        f"--as={limit}:{limit}",
        "--",
        oxigraph_binary(),
        "serve-read-only",
        "--location",
        str(store_dir),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
        "--timeout-s",
        str(max(1, round(timeout))),
    ]


class Pool:
    """``size`` workers on one store, each lent to one request at a time."""

    def __init__(
        self, store_dir: Path, size: int, timeout: float, memory_mb: int, log: Path
    ) -> None:
        self.store_dir = store_dir
        self.size = size
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.log = log
        self.idle: asyncio.Queue[Worker] = asyncio.Queue()
        self.workers: set[Worker] = set()
        self.failed: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        for worker in await asyncio.gather(*(self._spawn() for _ in range(self.size))):
            self.idle.put_nowait(worker)

    async def _spawn(self) -> Worker:
        for _ in range(3):  # bounded: another program may take the free port first
            port = free_port()
            with self.log.open("ab") as sink:
                process = await asyncio.create_subprocess_exec(
                    *worker_command(self.store_dir, port, self.timeout, self.memory_mb),
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=sink,
                    env={**os.environ, **WORKER_ENVIRONMENT},
                )
            worker = Worker(process, port)
            self.workers.add(worker)
            if await self._listening(worker):
                return worker
            worker.kill()
            await process.wait()
            self.workers.discard(worker)
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        raise ServerError(f"an Oxigraph worker did not start: {_reason(text, process.returncode)}")

    async def _listening(self, worker: Worker) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WORKER_START_SECONDS
        while loop.time() < deadline and worker.process.returncode is None:
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", worker.port)
                writer.close()
                return True
            await asyncio.sleep(0.05)
        return False

    async def acquire(self, deadline: float) -> Worker:
        """An idle worker, or TimeoutError at ``deadline``; one that died idle is replaced."""
        async with asyncio.timeout_at(deadline):
            while True:  # bounded by the deadline
                worker = await self.idle.get()
                if worker.process.returncode is None:
                    return worker
                self.replace(worker)

    def release(self, worker: Worker) -> None:
        if worker.process.returncode is None and not worker.killed:
            self.idle.put_nowait(worker)
        else:
            self.replace(worker)

    def replace(self, worker: Worker) -> None:
        """Kill ``worker`` now; a fresh one joins the pool once it listens."""
        worker.kill()
        task = asyncio.get_running_loop().create_task(self._replace(worker))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _replace(self, worker: Worker) -> None:
        await worker.process.wait()
        self.workers.discard(worker)
        try:
            fresh = await self._spawn()
        except ServerError as error:
            if not self.failed.done():
                self.failed.set_result(str(error))
            return
        self.idle.put_nowait(fresh)

    async def died_of_its_cap(self, worker: Worker) -> bool:
        """Whether ``worker`` stopped on its own (an allocation past its cap aborts it)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(worker.process.wait(), 2.0)
        return worker.process.returncode is not None and not worker.killed

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self.workers):
            worker.kill()
        for worker in list(self.workers):
            await worker.process.wait()

    def pids(self) -> list[int]:
        return [w.process.pid for w in self.workers if w.process.returncode is None]


# --- the front -------------------------------------------------------------------------


class Front:
    """The aiohttp handler: checks a request, lends it a worker, and ends it at its deadline."""

    def __init__(self, pool: Pool, timeout: float, allowed: Sequence[str]) -> None:
        import aiohttp

        self.pool = pool
        self.timeout = timeout
        self.allowed = frozenset(allowed)
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(force_close=True, limit=0),
            auto_decompress=False,
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=5),
            skip_auto_headers=("Accept-Encoding", "User-Agent"),
        )

    def _log(self, message: str) -> None:
        print(f"kg serve: {message}", file=sys.stderr, flush=True)

    async def handle(self, request: Any) -> Any:
        from aiohttp import web

        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        try:
            body = await request.read()
            params = request_parameters(
                request.method,
                request.path,
                list(request.query.items()),
                _content_type(request.headers),
                body,
            )
            if params is not None:
                for name, value in params:
                    if name == "query":
                        async with asyncio.timeout_at(deadline):
                            await asyncio.to_thread(check_federation, value, self.allowed)
        except Refused as refusal:
            return web.Response(status=refusal.status, text=str(refusal) + "\n")
        except TimeoutError:
            return self._stopped(web, f"it ran past the {self.timeout:g} s timeout")
        headers = {
            h: request.headers[h] for h in _FORWARDED_REQUEST_HEADERS if h in request.headers
        }
        if request.path == "/query" and params is not None:
            method, path = "POST", "/query"
            data = urlencode(params).encode("utf-8")
            headers["Content-Type"] = _FORM
        else:
            method, path, data = request.method, request.raw_path, body
            if "Content-Type" in request.headers:
                headers["Content-Type"] = request.headers["Content-Type"]
        try:
            worker = await self.pool.acquire(deadline)
        except TimeoutError:
            return web.Response(
                status=503,
                text=f"kg serve is busy: all {self.pool.size} workers are answering other "
                "queries; try again\n",
                headers={"Retry-After": "1"},
            )
        return await self._forward(request, worker, method, path, data, headers, deadline)

    def _stopped(self, web: Any, why: str) -> Any:
        return web.Response(status=504, text=f"kg serve stopped the query: {why}\n")

    async def _forward(
        self,
        request: Any,
        worker: Worker,
        method: str,
        path: str,
        data: bytes,
        headers: dict[str, str],
        deadline: float,
    ) -> Any:
        import aiohttp
        from aiohttp import web

        response: web.StreamResponse | None = None
        clean = False
        to_client = False  # whether an error came from writing to the client
        tail = b""
        why = ""
        try:
            async with (
                asyncio.timeout_at(deadline),
                self.session.request(
                    method, worker.url + path, data=data or None, headers=headers
                ) as upstream,
            ):
                response = web.StreamResponse(status=upstream.status, reason=upstream.reason)
                for name, value in upstream.headers.items():
                    if name.lower() not in _HOP_BY_HOP:
                        response.headers.add(name, value)
                to_client = True
                await response.prepare(request)
                to_client = False
                async for chunk in upstream.content.iter_any():
                    to_client = True
                    await response.write(chunk)
                    to_client = False
                    tail = (tail + chunk)[-256:]
                to_client = True
                await response.write_eof()
                # Oxigraph's own timeout ends a streamed answer with "cancelled", or answers
                # 500: its query may still be running, so the worker is replaced all the same
                clean = upstream.status < 500 and b"cancelled" not in tail
                return response
        except TimeoutError:
            why = f"it ran past the {self.timeout:g} s timeout"
        except (aiohttp.ClientError, OSError):
            if to_client:  # the client hung up: its query must not run on
                self._log("stopped a query: its client hung up")
                return response if response is not None else web.Response(status=400)
            if await self.pool.died_of_its_cap(worker):
                why = f"it needed more than {self.pool.memory_mb} MB of memory"
            else:
                why = "its worker stopped"
        finally:
            # on every way out but a clean answer (a timeout, a hang-up, a cancelled
            # handler), the worker is killed before anyone is told its query was stopped
            if clean:
                self.pool.release(worker)
            else:
                self.pool.replace(worker)
        self._log(f"stopped a query: {why}")
        if response is None:
            status = 504 if "timeout" in why else 503
            return web.Response(status=status, text=f"kg serve stopped the query: {why}\n")
        # the answer had begun: end it as Oxigraph ends one it cancels, so clients see it
        with contextlib.suppress(OSError, RuntimeError):
            ending = (
                f"\nThe SPARQL operation has been cancelled: kg serve stopped the query: {why}\n"
            )
            await response.write(ending.encode())
            await response.write_eof()
        return response

    async def close(self) -> None:
        await self.session.close()


async def serve(
    store_dir: Path,
    host: str,
    port: int,
    timeout: float,
    workers: int,
    memory_mb: int,
    allowed: Sequence[str],
    log: Path,
    ready: Callable[[str], None],
) -> None:
    """Run the front and its workers until SIGINT or SIGTERM (or a worker cannot start)."""
    from aiohttp import web

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    pool = Pool(store_dir, workers, timeout, memory_mb, log)
    front = Front(pool, timeout, allowed)
    app = web.Application()
    app.router.add_route("*", "/{path:.*}", front.handle)
    runner = web.AppRunner(app, handler_cancellation=True, access_log=None, shutdown_timeout=2)
    try:
        await pool.start()
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as error:
            raise ServerError(
                f"cannot listen on {host}:{port}: {error.strerror or error}"
            ) from error
        ready(f"http://{host}:{port}")
        waiting = asyncio.ensure_future(stop.wait())
        either: list[asyncio.Future[Any]] = [pool.failed, waiting]
        await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
        if pool.failed.done():
            raise ServerError(pool.failed.result())
    finally:
        await runner.cleanup()
        await front.close()
        await pool.close()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
