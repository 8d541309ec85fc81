"""Load test of `kg serve`: clients ask the stored questions while others send runaway queries.

Ordinary clients ask all stored questions in turn; beside them, one client per
runaway shape keeps sending it:

* ``cross``: a cross product of the graph with itself, streamed;
* ``cross ORDER BY``: the same, sorted (it grows by hundreds of MB a second, and
  Oxigraph's own timeout does not stop it);
* ``triple``: a triple cross product, streamed (Oxigraph runs it on past its timeout);
* ``triple COUNT``: a triple cross product, counted.

The server (``kg serve``, a pool of Oxigraph workers behind its front) runs in
this process's child; the clients run in a second process on 127.0.0.1, as they
would on a real deployment. This process samples the server's memory (the
front's and every worker's resident size, from /proc) all along.

    python bench/serve_load.py [--seconds 60] [--clients 16] [--timeout 2] \\
        [--workers 6] [--memory 384] [-o docs/serve-load.md]

A benchmark, not a test: it reports requests per second, latency percentiles,
how long each runaway ran and the server's peak memory, and exits 1 if an
ordinary answer was wrong or failed, a runaway was not stopped within the
timeout and the stated slack, or a worker held more than its cap.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from kg.catalogue import all_queries
from kg.front import SLACK_SECONDS
from kg.query import answer_of
from kg.remote import EndpointError, run_remote
from kg.server import served

RUNAWAYS = {
    "cross": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
    "cross ORDER BY": "SELECT ?a ?b ?c ?d ?e ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f",
    "triple": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "triple COUNT": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
}


def runaway_once(endpoint: str, query: str) -> tuple[str, float]:
    """Send one runaway query, read its answer to the end; how it ended and after how long."""
    request = Request(
        endpoint,
        data=urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    started = time.monotonic()
    tail = b""
    try:
        with urlopen(request, timeout=600) as response:
            while chunk := response.read(1 << 16):  # bounded by the server's deadline
                tail = (tail + chunk)[-300:]
        outcome = "stopped" if b"cancelled" in tail else "answered"
    except HTTPError as error:
        body = error.read().decode("utf-8", "replace")
        outcome = "stopped" if "stopped the query" in body else f"HTTP {error.code}"
    except (URLError, OSError) as error:
        outcome = f"error: {error}"
    return outcome, time.monotonic() - started


def drive(endpoint: str, seconds: float, clients: int, runaways: bool) -> dict[str, object]:
    """The client side: ``clients`` threads asking stored questions, one per runaway shape."""
    import kg.remote

    kg.remote.TIMEOUT_SECONDS = 300.0  # measure when the server stops a query, not when we give up
    queries = [(q, q.bindings({}), answer_of(q.name).normalised()) for q in all_queries()]
    latencies: list[float] = []
    wrong: list[str] = []
    errors: list[str] = []
    busy: list[str] = []
    late: list[str] = []
    runs: dict[str, list[tuple[str, float]]] = {name: [] for name in RUNAWAYS if runaways}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        turn = number
        while time.monotonic() < deadline:  # bounded by time
            query, bindings, expected = queries[turn % len(queries)]
            turn += 1
            started = time.monotonic()
            try:
                answer = run_remote(query, bindings, endpoint)
            except (EndpointError, HTTPError, URLError) as error:
                # under this load an ordinary query may find every worker busy (503, try
                # again) or run past the timeout itself (504): counted, reported, not failures
                text = str(error)
                kind = busy if "kg serve is busy" in text else late if "timeout" in text else errors
                with lock:
                    kind.append(f"{query.name}: {text}")
                continue
            elapsed = time.monotonic() - started
            with lock:
                latencies.append(elapsed)
                if answer.normalised() != expected:
                    wrong.append(query.name)

    def runaway(name: str) -> None:
        while time.monotonic() < deadline:  # bounded by time
            result = runaway_once(endpoint, RUNAWAYS[name])
            with lock:
                runs[name].append(result)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    threads += [threading.Thread(target=runaway, args=(name,)) for name in runs]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 600)
    wall = time.monotonic() - started
    ordered = sorted(latencies)

    def percentile(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")

    return {
        "requests": len(latencies),
        "seconds": round(wall, 1),
        "requests_per_second": round(len(latencies) / wall, 1),
        "p50_ms": round(1000 * percentile(0.50), 1),
        "p95_ms": round(1000 * percentile(0.95), 1),
        "p99_ms": round(1000 * percentile(0.99), 1),
        "mean_ms": round(1000 * statistics.fmean(ordered), 1) if ordered else None,
        "wrong_answers": len(wrong),
        "errors": len(errors),
        "busy": len(busy),
        "late": len(late),
        "first_errors": errors[:3],
        "runaways": runs,
    }


def _resident_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


class Memory:
    """Peak resident sizes of the server: its front, its largest worker, all of it at once."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.front_kb = self.worker_kb = self.total_kb = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.wait(0.05):  # ends with the run
            front = _resident_kb(self.pid)
            workers = [_resident_kb(child) for child in _children(self.pid)]
            self.front_kb = max(self.front_kb, front)
            self.worker_kb = max([self.worker_kb, *workers])
            self.total_kb = max(self.total_kb, front + sum(workers))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=16, help="ordinary clients")
    parser.add_argument("--timeout", type=float, default=2.0, help="the server's timeout")
    parser.add_argument("--workers", type=int, default=6, help="the server's Oxigraph workers")
    parser.add_argument("--memory", type=int, default=384, help="MB each worker may use")
    parser.add_argument(
        "--no-runaways", action="store_true", help="ordinary clients only, for comparison"
    )
    parser.add_argument("--drive", metavar="ENDPOINT", help=argparse.SUPPRESS)
    parser.add_argument("-o", "--output", default=None, help="also write a Markdown report here")
    args = parser.parse_args()
    if args.drive:
        print(json.dumps(drive(args.drive, args.seconds, args.clients, not args.no_runaways)))
        return 0
    with served(timeout=args.timeout, workers=args.workers, memory_mb=args.memory) as server:
        memory = Memory(server.process.pid)
        memory.thread.start()
        try:
            child = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--drive",
                    server.query_endpoint,
                    "--seconds",
                    str(args.seconds),
                    "--clients",
                    str(args.clients),
                    *(["--no-runaways"] if args.no_runaways else []),
                ],
                capture_output=True,
                text=True,
                timeout=args.seconds + 900,
                check=False,
            )
        finally:
            memory.stop.set()
            memory.thread.join(timeout=10)
    if child.returncode != 0:
        print(child.stderr, file=sys.stderr)
        return 2
    result = json.loads(child.stdout)
    bound = args.timeout + SLACK_SECONDS
    lines = [
        "# Load test of `kg serve`",
        "",
        f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; {args.clients} clients asking all "
        f"{len(all_queries())} stored queries in turn for {args.seconds:.0f} s, and "
        + ("no runaway client" if args.no_runaways else "one more client per runaway shape")
        + f"; `kg serve --timeout {args.timeout:g} --workers "
        f"{args.workers} --memory {args.memory}`.",
        "",
        "| answered | req/s | p50 ms | p95 ms | p99 ms | wrong answers | busy (503) "
        "| past the timeout (504) | errors |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {result['requests']} | {result['requests_per_second']} | {result['p50_ms']} | "
        f"{result['p95_ms']} | {result['p99_ms']} | {result['wrong_answers']} | "
        f"{result['busy']} | {result['late']} | {result['errors']} |",
        "",
        "Busy: an ordinary query that found every worker taken until its deadline, answered "
        "503 with Retry-After. Past the timeout: one that waited for a worker and ran for "
        "longer than the timeout in all, on two cores that the runaways keep busy.",
    ]
    if result["runaways"]:
        lines += [
            "",
            f"Runaway queries (stated bound: timeout + {SLACK_SECONDS:g} s slack = {bound:g} s):",
            "",
            "| shape | sent | stopped | shortest s | median s | longest s |",
            "|---|---|---|---|---|---|",
        ]
    healthy = result["wrong_answers"] == 0 and result["errors"] == 0
    for name, runs in result["runaways"].items():
        durations = sorted(seconds for _, seconds in runs)
        stopped = sum(outcome == "stopped" for outcome, _ in runs)
        healthy = healthy and bool(runs) and stopped == len(runs) and durations[-1] <= bound
        cells = (
            f"{durations[0]:.2f} | {statistics.median(durations):.2f} | {durations[-1]:.2f}"
            if durations
            else "- | - | -"
        )
        lines.append(f"| `{name}` | {len(runs)} | {stopped} | {cells} |")
    worst = args.workers * args.memory
    healthy = healthy and memory.worker_kb <= args.memory * 1024
    lines += [
        "",
        "Peak resident memory of the server, sampled every 50 ms: front "
        f"{memory.front_kb / 1024:.0f} MB, largest worker {memory.worker_kb / 1024:.0f} MB "
        f"(cap {args.memory} MB), all of it at once {memory.total_kb / 1024:.0f} MB "
        f"(bound: {args.workers} workers x {args.memory} MB = {worst} MB, plus the front).",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if result["first_errors"]:
        print("first errors:", *result["first_errors"], sep="\n  ")
    for name, runs in result["runaways"].items():
        odd = sorted({outcome for outcome, _ in runs if outcome != "stopped"})
        if odd:
            print(f"{name}: {odd}")
    if args.output:
        Path(args.output).write_text(report, encoding="utf-8")
    return 0 if healthy else 1


if __name__ == "__main__":
    raise SystemExit(main())
