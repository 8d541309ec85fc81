"""Benchmarks at scale: load, every stored query and validation, against their baselines.

    python bench/run.py                       # 10k, 100k and 1M triples -> docs/benchmarks.md
    python bench/run.py --sizes 10k,100k,1m,5m --rdflib-max 10000 --jena-max 1000000

For each size, ``bench/corpus.py`` generates a synthetic national corpus with
planted faults. Then every measurement runs in a fresh child process, one after
the other, and its wall time and peak resident memory (``wait4``) are recorded:

load
    ``kg`` (:func:`kg.dataset.load_store` with the corpus as extra data: the
    shipped ontology and reference data, then Oxigraph's bulk loader), against
    pyoxigraph's own bulk load of the same file (the practical limit) and rdflib's
    parse of it (up to ``--rdflib-load-max`` triples).
queries
    every stored query on kg's embedded store, and on rdflib's in-memory dataset:
    median and 95th percentile over ``--repeat`` runs after one warm-up
    (``--large-repeat`` above a million triples), the rows of the answer, and
    rows per second where the answer is itself large.
    rdflib runs up to ``--rdflib-max`` triples only, three times each without a
    warm-up, each query stopped after ``--rdflib-timeout`` seconds.
validation
    ``kg validate`` (the ``sparql`` engine: every shape compiled to SPARQL and run
    in Oxigraph; the time of any shape it leaves to pySHACL, of which the shipped
    shapes have none, is given apart) against pySHACL alone on the same data and shapes (up to
    ``--pyshacl-max`` triples), and Jena SHACL where Jena is installed (up to
    ``--jena-max``); each with the number of planted faults it found, and the
    findings that are not planted faults.

The numbers are from one run on one machine, so their ratios are fair even on a
noisy machine; the machine is described at the top of the output.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "5m": 5_000_000}
FAULTS = {"10k": 12, "100k": 40, "1m": 40, "5m": 40}
LARGE_ANSWER = 1_000  # rows from which an answer's rows per second are reported


# ------------------------------------------------------------------ child stages


def _now() -> float:
    return time.perf_counter()


def _quads(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def stage_load_oxigraph(corpus: Path) -> dict[str, Any]:
    import pyoxigraph as ox

    store = ox.Store()
    start = _now()
    store.bulk_load(path=str(corpus), format=ox.RdfFormat.N_QUADS)
    return {"seconds": _now() - start, "quads": len(store)}


def stage_load_kg(corpus: Path) -> dict[str, Any]:
    from kg.dataset import load_store

    start = _now()
    store = load_store(extra=[corpus])
    return {"seconds": _now() - start, "quads": len(store)}


def stage_load_rdflib(corpus: Path) -> dict[str, Any]:
    from rdflib import Dataset

    dataset = Dataset()
    start = _now()
    dataset.parse(str(corpus), format="nquads")
    return {"seconds": _now() - start, "quads": len(dataset)}


def _timings(run: Any, repeat: int, warm_up: bool = True) -> tuple[list[float], int]:
    rows = len(run()) if warm_up else 0
    seconds = []
    for _ in range(repeat):
        start = _now()
        rows = len(run())
        seconds.append(_now() - start)
    return seconds, rows


def _summary(seconds: list[float], rows: int) -> dict[str, Any]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": statistics.median(ordered), "p95": p95, "rows": rows, "runs": len(ordered)}


#: How many figures and passages a corpus has: what a check must read.
SIZE_QUERY = """
SELECT (COUNT(DISTINCT ?figure) AS ?figures) (COUNT(DISTINCT ?passage) AS ?passages) WHERE {
  { ?figure a <http://purl.org/linked-data/cube#Observation> }
  UNION { ?passage a <https://w3id.org/mca-kg/def#Passage> }
}"""


def stage_queries_kg(corpus: Path, repeat: int) -> dict[str, Any]:
    from kg.catalogue import all_queries
    from kg.dataset import load_store
    from kg.query import run_oxigraph

    store = load_store(extra=[corpus])
    counts = next(iter(store.query(SIZE_QUERY, use_default_graph_as_union=True)))  # type: ignore[arg-type]
    results = {}
    for query in all_queries():
        bindings = query.bindings({})
        seconds, rows = _timings(lambda q=query, b=bindings: run_oxigraph(q, b, store).rows, repeat)
        results[query.name] = _summary(seconds, rows)
    return {
        "queries": results,
        "repeat": repeat,
        "figures": int(counts["figures"].value),
        "passages": int(counts["passages"].value),
    }


class _Timeout(Exception):
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise _Timeout


def stage_queries_rdflib(corpus: Path, repeat: int, timeout: int) -> dict[str, Any]:
    from kg.catalogue import all_queries
    from kg.dataset import load_dataset
    from kg.query import run_rdflib

    dataset = load_dataset()
    dataset.parse(str(corpus), format="nquads")
    signal.signal(signal.SIGALRM, _alarm)
    results: dict[str, Any] = {}
    for query in all_queries():
        bindings = query.bindings({})
        signal.alarm(timeout)
        try:
            seconds, rows = _timings(
                lambda q=query, b=bindings: run_rdflib(q, b, dataset).rows, repeat, warm_up=False
            )
            results[query.name] = _summary(seconds, rows)
        except _Timeout:
            results[query.name] = {"timeout": timeout}
        finally:
            signal.alarm(0)
    return {"queries": results}


def _found(findings: list[tuple[str, str, str | None]], manifest: Path) -> dict[str, Any]:
    planted = {
        (f["shape"], f["focus"], f["path"]) for f in json.loads(manifest.read_text())["faults"]
    }
    found = set(findings)
    return {"planted": len(planted), "found": len(planted & found), "other": len(found - planted)}


def stage_validate_kg(corpus: Path, manifest: Path) -> dict[str, Any]:
    from kg.dataset import load_store
    from kg.shacl import validate_store

    start = _now()
    store = load_store(extra=[corpus])
    loaded = _now()
    report = validate_store(store)
    done = _now()
    keys = [(f.shape, f.focus, f.path) for f in report.findings]
    # shapes the compiler left to pySHACL (none of the shipped ones), timed apart
    fallback = {"fallback_shapes": len(report.fallback), "fallback": report.fallback_seconds}
    return {"load": loaded - start, "seconds": done - loaded, **fallback, **_found(keys, manifest)}


def stage_validate_pyshacl(corpus: Path, manifest: Path) -> dict[str, Any]:
    from rdflib import Dataset

    from kg.shacl import data_graph, validate_graph

    graph = data_graph([])
    dataset = Dataset()
    dataset.parse(str(corpus), format="nquads")
    for quad in dataset.quads((None, None, None, None)):
        graph.add(quad[:3])
    start = _now()
    report = validate_graph(graph, engine="pyshacl")
    keys = [(f.shape, f.focus, f.path) for f in report.findings]
    return {"seconds": _now() - start, **_found(keys, manifest)}


def stage_validate_jena(corpus: Path, manifest: Path) -> dict[str, Any]:
    import pyoxigraph as ox

    from kg.jena import run_jobs

    # Jena validates one graph: the corpus's union, as N-Triples.
    union = corpus.with_suffix(".union.nt")
    quads = ox.parse(path=str(corpus), format=ox.RdfFormat.N_QUADS)
    ox.serialize(
        (ox.Triple(q.subject, q.predicate, q.object) for q in quads),
        output=str(union),
        format=ox.RdfFormat.N_TRIPLES,
    )
    start = _now()
    results = run_jobs(validations={"corpus": [union]}, timeout=1800)
    report = results.report("corpus")
    keys = [(f.shape, f.focus, f.path) for f in report.findings]
    # seconds: the whole call (JVM start, parse, validation); jvm_ms: Jena's own timings
    return {"seconds": _now() - start, "jvm_ms": results.milliseconds, **_found(keys, manifest)}


# ------------------------------------------------------------------ the parent


def child(stage: str, *args: str, timeout: float = 3600) -> dict[str, Any]:
    """Run one stage in a fresh process: its JSON result, wall time and peak memory."""
    command = [sys.executable, str(Path(__file__).resolve()), "--stage", stage, *args]
    start = _now()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return {"error": f"stopped after {timeout:.0f} s"}
    # each stage reports its own peak memory (ru_maxrss of its process)
    wall = _now() - start
    if process.returncode != 0:
        return {"error": (err.strip().splitlines() or ["failed"])[-1], "wall": wall}
    result: dict[str, Any] = json.loads(out)
    result["wall"] = wall
    return result


def _peak_mb() -> float:
    """Peak resident memory of this stage: its own, or its largest child's (Jena's JVM)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def machine() -> str:
    import pyoxigraph
    import pyshacl
    import rdflib

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, "
        f"rdflib {rdflib.__version__}, pySHACL {pyshacl.__version__}"
    )


def _s(value: Any) -> str:
    if not isinstance(value, int | float):
        return "n/a"
    if value >= 10:
        return f"{value:.1f} s"
    if value >= 0.1:
        return f"{value:.2f} s"
    return f"{value * 1000:.1f} ms"


def _mb(result: dict[str, Any]) -> str:
    peak = result.get("peak_mb")
    return "n/a" if peak is None else f"{peak / 1024:.2f} GB" if peak >= 1024 else f"{peak:.0f} MB"


def _cell(result: dict[str, Any] | None, key: str = "seconds") -> str:
    if result is None:
        return "not run"
    if "error" in result:
        return f"failed: {result['error']}"
    return _s(result.get(key))


def cold_start(repeat: int = 5) -> dict[str, float]:
    """Median wall time of a cold `kg query meeting` on the notice, and of a bare Python."""
    kg = str(Path(sys.executable).with_name("kg"))
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "kg query meeting": [kg, "query", "meeting"],
        "kg --version": [kg, "--version"],
    }
    times = {}
    for name, command in commands.items():
        runs = []
        for _ in range(repeat):
            start = _now()
            subprocess.run(command, check=True, capture_output=True)
            runs.append(_now() - start)
        times[name] = statistics.median(runs)
    return times


def report(
    results: dict[str, dict[str, Any]], started: str, repeat: int, cold: dict[str, float]
) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `python bench/run.py` on {started}, on this machine: {machine()}.",
        "Every measurement ran in a fresh process, one after another, in one run; "
        "times are wall-clock, memory the process's peak resident set.",
        "",
        "## A cold command on the notice",
        "",
        "| command | median of 5 |",
        "|---|---|",
        *[f"| `{name}` | {_s(seconds)} |" for name, seconds in cold.items()],
        "",
        "## Load",
        "",
        "| triples | pyoxigraph bulk load | kg (embedded store) | ratio | rdflib parse | "
        "peak memory (pyoxigraph / kg / rdflib) |",
        "|---|---|---|---|---|---|",
    ]
    for r in results.values():
        base, kg, lib = r.get("load-oxigraph"), r.get("load-kg"), r.get("load-rdflib")
        ratio = (
            f"{kg['seconds'] / base['seconds']:.2f}"
            if base and kg and "seconds" in base and "seconds" in kg
            else "n/a"
        )
        memory = " / ".join(_mb(x) if x else "n/a" for x in (base, kg, lib))
        lines.append(
            f"| {r['triples']:,} | {_cell(base)} | {_cell(kg)} | {ratio} | {_cell(lib)} "
            f"| {memory} |"
        )
    lines += [
        "",
        "## Validation",
        "",
        "Planted faults found (and findings that are not planted faults).",
        "",
        "| triples | kg validate (sparql engine) | found | pySHACL | found | Jena SHACL | found | "
        "peak memory (kg / pySHACL / Jena) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results.values():
        cells = []
        for stage in ("validate-kg", "validate-pyshacl", "validate-jena"):
            v = r.get(stage)
            cells.append(_cell(v))
            if stage == "validate-kg" and v and "load" in v:
                cells[-1] += f" (load {_s(v['load'])}, in all {_s(v['load'] + v['seconds'])})"
                if v.get("fallback_shapes"):
                    cells[-1] += f"; {v['fallback_shapes']} shapes in pySHACL: {_s(v['fallback'])}"
            cells.append(
                f"{v['found']} of {v['planted']} (+{v['other']})" if v and "found" in v else "n/a"
            )
        memory = " / ".join(
            _mb(r[s]) if r.get(s) else "n/a"
            for s in ("validate-kg", "validate-pyshacl", "validate-jena")
        )
        lines.append(f"| {r['triples']:,} | " + " | ".join(cells) + f" | {memory} |")
    for r in results.values():
        kg = (r.get("queries-kg") or {}).get("queries", {})
        lib = (r.get("queries-rdflib") or {}).get("queries", {})
        lines += [
            "",
            f"## Stored queries at {r['triples']:,} triples",
            "",
            f"Median and 95th percentile of {r.get('queries-kg', {}).get('repeat', repeat)} runs "
            "after a warm-up. The corpus has "
            f"{r.get('queries-kg', {}).get('figures', 0):,} figures and "
            f"{r.get('queries-kg', {}).get('passages', 0):,} passages.",
            "",
            "| query | rows | kg median | kg p95 | rows/s | rdflib median | rdflib / kg |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, q in kg.items():
            other = lib.get(name)
            rows_per_s = (
                f"{q['rows'] / q['median']:,.0f}"
                if q["rows"] >= LARGE_ANSWER and q["median"] > 0
                else ""
            )
            if other is None:
                theirs, ratio = "not run", ""
            elif "timeout" in other:
                theirs, ratio = f"> {other['timeout']} s", ""
            else:
                theirs = _s(other["median"])
                ratio = f"{other['median'] / q['median']:.0f}x" if q["median"] > 0 else ""
            lines.append(
                f"| {name} | {q['rows']:,} | {_s(q['median'])} | {_s(q['p95'])} | "
                f"{rows_per_s} | {theirs} | {ratio} |"
            )
        if "queries-kg" in r:
            lines.append(
                f"\nPeak memory: kg {_mb(r['queries-kg'])}, rdflib "
                f"{_mb(r['queries-rdflib']) if r.get('queries-rdflib') else 'n/a'}."
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1m")
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--large-repeat", type=int, default=5, help="runs above 1M triples")
    parser.add_argument("--rdflib-max", type=int, default=100_000)
    parser.add_argument("--rdflib-timeout", type=int, default=30)
    parser.add_argument("--rdflib-load-max", type=int, default=1_000_000)
    parser.add_argument("--pyshacl-max", type=int, default=10_000)
    parser.add_argument("--jena-max", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("-o", "--output", default="docs/benchmarks.md")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--manifest", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage:
        return _run_stage(args)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results: dict[str, dict[str, Any]] = {}
    cold = cold_start()
    with tempfile.TemporaryDirectory(prefix="mca-kg-bench-", dir=args.workdir) as work:
        for size in args.sizes.split(","):
            results[size] = _measure(size, Path(work), args)
            Path(args.output).write_text(
                report(results, started, args.repeat, cold), encoding="utf-8"
            )
    print(f"wrote {args.output}")
    return 0


def _measure(size: str, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    corpus = work / f"corpus-{size}.nq"
    manifest = corpus.with_suffix(".faults.json")
    subprocess.run(
        [
            sys.executable,
            str(HERE / "corpus.py"),
            "--triples",
            size,
            "--faults",
            str(FAULTS[size]),
            "--seed",
            "1",
            "-o",
            str(corpus),
        ],
        check=True,
        capture_output=True,
    )
    triples = _quads(corpus)
    r: dict[str, Any] = {"triples": triples}
    given = ["--corpus", str(corpus), "--manifest", str(manifest)]
    plan = [
        ("load-oxigraph", True),
        ("load-kg", True),
        ("load-rdflib", SIZES[size] <= args.rdflib_load_max),
        ("queries-kg", True),
        ("queries-rdflib", SIZES[size] <= args.rdflib_max),
        ("validate-kg", True),
        ("validate-pyshacl", SIZES[size] <= args.pyshacl_max),
        ("validate-jena", SIZES[size] <= args.jena_max and _jena_here()),
    ]
    for stage, wanted in plan:
        if not wanted:
            continue
        repeat = args.repeat if SIZES[size] <= 1_000_000 else args.large_repeat
        extra = [*given, "--repeat", str(repeat), "--rdflib-timeout", str(args.rdflib_timeout)]
        print(f"{size}: {stage}", file=sys.stderr, flush=True)
        r[stage] = child(stage, *extra)
    return r


def _jena_here() -> bool:
    from kg.jena import unavailable

    return unavailable() is None


def _run_stage(args: argparse.Namespace) -> int:
    corpus, manifest = args.corpus, args.manifest
    stages = {
        "load-oxigraph": lambda: stage_load_oxigraph(corpus),
        "load-kg": lambda: stage_load_kg(corpus),
        "load-rdflib": lambda: stage_load_rdflib(corpus),
        "queries-kg": lambda: stage_queries_kg(corpus, args.repeat),
        "queries-rdflib": lambda: stage_queries_rdflib(corpus, 3, args.rdflib_timeout),
        "validate-kg": lambda: stage_validate_kg(corpus, manifest),
        "validate-pyshacl": lambda: stage_validate_pyshacl(corpus, manifest),
        "validate-jena": lambda: stage_validate_jena(corpus, manifest),
    }
    result = stages[args.stage]()
    result["peak_mb"] = _peak_mb()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
