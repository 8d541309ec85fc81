"""Load test of `kg serve`: 32 concurrent clients ask the stored questions for 60 seconds.

One more client keeps sending an explosive query (a triple cross product of the
whole graph), which the server's timeout must cut off while the others are
answered correctly. The server runs in this process's child; the clients run in
a second process on 127.0.0.1, as they would on a real deployment.

    python bench/serve_load.py [--seconds 60] [--clients 32] [--timeout 2] [-o docs/serve-load.md]

A benchmark, not a test: it reports requests per second and latency
percentiles, and exits 1 if any ordinary answer was wrong or the explosive query
was not stopped.
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

from kg.catalogue import all_queries
from kg.query import answer_of
from kg.remote import EndpointError, run_remote
from kg.server import served

EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def drive(endpoint: str, seconds: float, clients: int) -> dict[str, object]:
    """The client side: ``clients`` threads asking stored questions until ``seconds`` pass."""
    import kg.remote

    kg.remote.TIMEOUT_SECONDS = 300.0  # measure when the server stops a query, not when we give up
    queries = [(q, q.bindings({}), answer_of(q.name).normalised()) for q in all_queries()]
    latencies: list[float] = []
    wrong: list[str] = []
    errors: list[str] = []
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
                with lock:
                    errors.append(f"{query.name}: {error}")
                continue
            elapsed = time.monotonic() - started
            with lock:
                latencies.append(elapsed)
                if answer.normalised() != expected:
                    wrong.append(query.name)

    explosive_outcomes: list[str] = []

    def explosive() -> None:
        from kg.catalogue import StoredQuery

        query = StoredQuery("explosive", Path("explosive.rq"), EXPLOSIVE)
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                run_remote(query, {}, endpoint)
                outcome = "answered (not stopped!)"
            except EndpointError as error:
                outcome = "stopped" if "stopped the query" in str(error) else f"error: {error}"
            explosive_outcomes.append(f"{outcome} after {time.monotonic() - started:.1f} s")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    threads.append(threading.Thread(target=explosive))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
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
        "first_errors": errors[:3],
        "explosive": explosive_outcomes,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--timeout", type=float, default=2.0, help="the server's query timeout")
    parser.add_argument("--drive", metavar="ENDPOINT", help=argparse.SUPPRESS)
    parser.add_argument("-o", "--output", default=None, help="also write a Markdown report here")
    args = parser.parse_args()
    if args.drive:
        print(json.dumps(drive(args.drive, args.seconds, args.clients)))
        return 0
    with served(timeout=args.timeout) as server:
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
            ],
            capture_output=True,
            text=True,
            timeout=args.seconds + 300,
            check=False,
        )
    if child.returncode != 0:
        print(child.stderr, file=sys.stderr)
        return 2
    result = json.loads(child.stdout)
    stopped = [o for o in result["explosive"] if o.startswith("stopped")]
    lines = [
        "# Load test of `kg serve`",
        "",
        f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; {args.clients} clients for {args.seconds:.0f} s, "
        f"server timeout {args.timeout:.0f} s; all {len(all_queries())} stored queries in turn.",
        "",
        "| requests | req/s | p50 ms | p95 ms | p99 ms | wrong answers | errors "
        "| explosive queries stopped |",
        "|---|---|---|---|---|---|---|---|",
        f"| {result['requests']} | {result['requests_per_second']} | {result['p50_ms']} | "
        f"{result['p95_ms']} | {result['p99_ms']} | {result['wrong_answers']} | "
        f"{result['errors']} | "
        f"{len(stopped)} of {len(result['explosive'])} |",
        "",
        "Explosive query (a triple cross product of the graph): "
        + "; ".join(result["explosive"])
        + f" (server timeout {args.timeout:.0f} s).",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if result["first_errors"]:
        print("first errors:", *result["first_errors"], sep="\n  ")
    if args.output:
        Path(args.output).write_text(report, encoding="utf-8")
    healthy = result["wrong_answers"] == 0 and result["errors"] == 0 and stopped
    return 0 if healthy and len(stopped) == len(result["explosive"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
