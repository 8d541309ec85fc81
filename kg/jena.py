"""Apache Jena as a second, independent engine: parse, query and validate in one JVM.

Jena checks what the embedded engines (rdflib, pySHACL, Oxigraph) say: RIOT parses
every Turtle file, ARQ answers the stored queries, and Jena SHACL validates the
data. The tests hold the engines to the same answers (``tests/test_jena.py``).

Jena comes from Debian (``apt-get install libapache-jena-java``, with Java 17 or
later). The class path is built from the package's own file list and those of
the Java libraries it depends on, with exactly one SLF4J binding. Two repairs
are made on first use, in a cache folder (``$MCA_KG_CACHE``, else
``~/.cache/mca-kg``):

* Debian's ``jena-core.jar`` moved Jena's copy of Xerces to the package
  ``xerces`` but left its message files at ``org/apache/jena/ext/xerces``, so
  Jena fails at start-up with an ``ExceptionInInitializerError``. A small
  overlay jar holds the message files where the classes look for them.
* The program that runs the jobs (``kg/jena/JenaRunner.java``) is compiled with
  the JDK compiler of the same Java (Debian's Java runtime carries it), else
  with ``javac``.

One JVM starts for each call of :func:`run_jobs` (about half a second, plus the
parse), so a caller with many checks gives them to one call::

    results = run_jobs(parse=[path], queries=["standards"], validations={"data": None})
    results.answers["standards"].normalised()
    results.reports["data"].conforms

``MCA_KG_JENA_CLASSPATH`` (jars separated by ``:``) replaces the Debian class path,
for a Jena installed some other way.

The same class path (without the runner) starts Jena's own command-line tools,
whose scripts Debian's package lacks: ``kg jena run tdb2.tdbloader --loc db
mca-kg.nq`` (:func:`tool_command`), or ``java -cp "$(kg jena classpath)" ...``
(:func:`tool_classpath`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import resources
from kg.catalogue import load
from kg.dataset import graph_files
from kg.errors import KgError, UnknownNameError
from kg.examples import examples_graph
from kg.findings import Finding, Report
from kg.namespaces import PREFIXES, QUERIES_GRAPH
from kg.portable import single_language_shapes
from kg.query import Answer

#: The Debian package, and what to install to get it.
PACKAGE = "libapache-jena-java"
INSTALL_HINT = f"apt-get install {PACKAGE} (Java 17+)"

#: The program that runs the jobs, compiled on first use.
RUNNER_SOURCE = Path(__file__).resolve().parent / "jena" / "JenaRunner.java"
RUNNER_CLASS = "JenaRunner"

#: Logging: slf4j-simple writes Jena's warnings to stderr (kept in Results.log);
#: every other binding or bridge in /usr/share/java is left out, as two bindings clash.
_SLF4J_BINDINGS = ("slf4j-simple", "slf4j-nop")
_SLF4J_LEFT_OUT = (
    "slf4j-jcl",
    "slf4j-jdk14",
    "slf4j-log4j12",
    "slf4j-reload4j",
    "slf4j-migrator",
    "jcl-over-slf4j",
    "jul-to-slf4j",
    "log4j-over-slf4j",
    "log4j-slf4j",
)

#: A short-lived JVM: the client compiler and the serial collector start fastest.
JVM_OPTIONS = (
    "-XX:TieredStopAtLevel=1",
    "-XX:+UseSerialGC",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
    "-Dorg.slf4j.simpleLogger.logFile=System.err",
    "-Dfile.encoding=UTF-8",
)

#: Where Xerces' message files are in the jar, and where Debian's classes look for them.
_XERCES_UPSTREAM = "org/apache/jena/ext/xerces/"
_XERCES_DEBIAN = "xerces/"


class JenaUnavailable(KgError):
    """Java or Apache Jena is not installed, or the runner cannot be compiled."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"Apache Jena is not installed ({detail}): {INSTALL_HINT}")
        self.detail = detail


class JenaError(KgError):
    """Jena ran, but a job failed: a file it cannot parse, a query it cannot answer."""


# Finding Java and Jena ------------------------------------------------------------------


def find_java() -> Path | None:
    """The ``java`` launcher: ``$JAVA_HOME/bin/java``, else the first on ``PATH``."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return Path(home) / "bin" / "java"
    found = shutil.which("java")
    return Path(found) if found else None


def _dpkg(*args: str) -> str:
    try:
        done = subprocess.run(
            ["dpkg-query", *args], capture_output=True, text=True, check=False, timeout=60
        )
    except FileNotFoundError as error:
        raise JenaUnavailable("no dpkg-query: not a Debian system") from error
    return done.stdout


def _installed_closure(package: str) -> list[str]:
    """``package`` and the Java libraries (``*-java``) it depends on, as far as installed."""
    seen: list[str] = []
    todo = [package]
    while todo:
        listing = _dpkg("-W", "-f=${Package}\t${Status}\t${Depends}\n", *todo)
        queued: list[str] = []
        for line in listing.splitlines():
            name, status, depends = [*line.split("\t"), "", ""][:3]
            if not status.endswith(" installed") or name in seen:
                continue
            seen.append(name)
            for group in depends.split(","):
                for alternative in group.split("|"):
                    words = alternative.split()
                    dep = words[0].split(":")[0] if words else ""
                    if dep.endswith("-java") and dep not in seen and dep not in queued:
                        queued.append(dep)
        todo = queued
    return seen


def debian_classpath() -> list[Path]:
    """The jars of Debian's Jena and of the libraries it needs, one SLF4J binding among them."""
    packages = _installed_closure(PACKAGE)
    if PACKAGE not in packages:
        raise JenaUnavailable(f"the Debian package {PACKAGE} is not installed")
    jars: dict[Path, None] = {}
    for line in _dpkg("-L", *packages).splitlines():
        path = Path(line)
        if path.parent == Path("/usr/share/java") and path.suffix == ".jar" and path.exists():
            jars[path.resolve()] = None
    binding = None
    for candidate in _SLF4J_BINDINGS:
        binding = next((j for j in jars if j.name.startswith(candidate)), None)
        if binding:
            break
    kept = [
        jar
        for jar in jars
        if not jar.name.startswith(_SLF4J_LEFT_OUT + _SLF4J_BINDINGS) or jar == binding
    ]
    if not any(jar.name.startswith("jena-arq") for jar in kept):
        raise JenaUnavailable(f"{PACKAGE} holds no jena-arq jar")
    return sorted(kept)


def jena_classpath() -> list[Path]:
    """``$MCA_KG_JENA_CLASSPATH`` if set, else Debian's Jena."""
    given = os.environ.get("MCA_KG_JENA_CLASSPATH")
    if given:
        return [Path(p) for p in given.split(os.pathsep) if p]
    return debian_classpath()


def cache_dir() -> Path:
    """``$MCA_KG_CACHE``, else ``$XDG_CACHE_HOME/mca-kg`` (``~/.cache/mca-kg``)."""
    given = os.environ.get("MCA_KG_CACHE")
    if given:
        folder = Path(given)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = Path(base) / "mca-kg"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir()) / f"mca-kg-{os.getuid()}"
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def _digest(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def xerces_overlay(classpath: Sequence[Path], folder: Path) -> Path | None:
    """A jar with Xerces' message files where Debian's relocated classes look for them.

    None when no jar of the class path needs it (an upstream Jena keeps classes and
    files together).
    """
    for jar in classpath:
        if not jar.name.startswith("jena-core"):
            continue
        stat = jar.stat()
        target = (
            folder
            / f"xerces-overlay-{_digest(str(jar), str(stat.st_size), str(stat.st_mtime_ns))}.jar"
        )
        if target.is_file():
            return target
        with zipfile.ZipFile(jar) as source:
            names = set(source.namelist())
            relocated = any(n.startswith(_XERCES_DEBIAN) and n.endswith(".class") for n in names)
            moves = {
                name: _XERCES_DEBIAN + name.removeprefix(_XERCES_UPSTREAM)
                for name in names
                if name.startswith(_XERCES_UPSTREAM) and not name.endswith(("/", ".class"))
            }
            moves = {old: new for old, new in moves.items() if new not in names}
            if not relocated or not moves:
                return None
            partial = target.with_suffix(f".{os.getpid()}.tmp")
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as overlay:
                for old, new in sorted(moves.items()):
                    overlay.writestr(new, source.read(old))
        partial.replace(target)
        return target
    return None


def compile_runner(java: Path, classpath: Sequence[Path], folder: Path) -> Path:
    """The folder holding the compiled runner, compiled now unless it already is."""
    source = RUNNER_SOURCE.read_bytes()
    key = _digest(source, str(java.resolve()), os.pathsep.join(map(str, classpath)))
    target = folder / f"runner-{key}"
    if (target / f"{RUNNER_CLASS}.class").is_file():
        return target
    partial = Path(tempfile.mkdtemp(prefix="runner-", dir=folder))
    options = ["-encoding", "UTF-8", "-nowarn", "-d", str(partial)]
    options += ["-cp", os.pathsep.join(map(str, classpath)), str(RUNNER_SOURCE)]
    # The compiler of the same Java, so the classes suit the JVM that runs them.
    compilers = [[str(java), "-m", "jdk.compiler/com.sun.tools.javac.Main"]]
    javac = java.resolve().parent / "javac"
    compilers += [[str(javac)]] if javac.is_file() else []
    failures = []
    for compiler in compilers:
        done = subprocess.run(
            [*compiler, *options], capture_output=True, text=True, check=False, timeout=300
        )
        if done.returncode == 0 and (partial / f"{RUNNER_CLASS}.class").is_file():
            try:
                partial.rename(target)
            except OSError:  # another process compiled it first
                shutil.rmtree(partial, ignore_errors=True)
            for stale in folder.glob("runner-*"):  # compiled from an older source
                if (
                    stale != target
                    and stale.is_dir()
                    and stale.stat().st_mtime < time.time() - 3600
                ):
                    shutil.rmtree(stale, ignore_errors=True)
            return target
        failures.append((done.stderr or done.stdout).strip())
    shutil.rmtree(partial, ignore_errors=True)
    if all("jdk.compiler" in f and "not found" in f for f in failures):
        raise JenaUnavailable(
            "this Java has no compiler (jdk.compiler): apt-get install default-jdk-headless"
        )
    raise JenaError(f"{RUNNER_SOURCE}: does not compile with this Jena:\n{failures[-1]}")


@dataclass(frozen=True)
class Jena:
    """A Java and a Jena class path that run the compiled runner."""

    java: Path
    classpath: tuple[Path, ...]

    def command(self, *args: str) -> list[str]:
        return [
            str(self.java),
            *JVM_OPTIONS,
            "-cp",
            os.pathsep.join(map(str, self.classpath)),
            RUNNER_CLASS,
            *args,
        ]


def _java_and_classpath() -> tuple[Path, list[Path], Path]:
    """Java, the class path that runs Jena (with the Xerces overlay), and the cache folder."""
    java = find_java()
    if java is None:
        raise JenaUnavailable("no java on PATH or in $JAVA_HOME")
    classpath = jena_classpath()
    missing = [str(p) for p in classpath if not p.exists()]
    if missing:
        raise JenaUnavailable(f"missing from the class path: {', '.join(missing[:3])}")
    folder = cache_dir() / "jena"
    folder.mkdir(parents=True, exist_ok=True)
    overlay = xerces_overlay(classpath, folder)
    return java, [*classpath, *([overlay] if overlay else [])], folder


@cache
def locate() -> Jena:
    """Java and Jena, ready to run; :class:`JenaUnavailable` says what is missing."""
    java, classpath, folder = _java_and_classpath()
    runner = compile_runner(java, classpath, folder)
    return Jena(java, (runner, *classpath))


# Jena's own command-line tools ----------------------------------------------------------

#: Jena's command-line tools (the scripts of its binary distribution, which Debian's
#: package lacks) and the class in jena-cmds.jar each script starts.
TOOLS = {
    "riot": "riotcmd.riot",
    "arq": "arq.arq",
    "sparql": "arq.sparql",
    "qparse": "arq.qparse",
    "update": "arq.update",
    "shacl": "shacl.shacl",
    "tdb2.tdbloader": "tdb2.tdbloader",
    "tdb2.tdbquery": "tdb2.tdbquery",
    "tdb2.tdbupdate": "tdb2.tdbupdate",
    "tdb2.tdbdump": "tdb2.tdbdump",
    "tdb2.tdbstats": "tdb2.tdbstats",
    "tdb2.tdbbackup": "tdb2.tdbbackup",
    "tdb2.tdbcompact": "tdb2.tdbcompact",
}


def tool_classpath() -> str:
    """The class path for Jena's tools (``java -cp``), as one string; nothing is compiled."""
    _java, classpath, _folder = _java_and_classpath()
    return os.pathsep.join(map(str, classpath))


def tool_command(tool: str, args: Sequence[str]) -> list[str]:
    """The ``java`` command that runs Jena's ``tool`` with ``args``, as its script would.

    ``$JVM_ARGS`` (as for Jena's scripts) goes before the class name, e.g. ``-Xmx4G``.
    """
    if tool not in TOOLS:
        raise UnknownNameError(f"no Jena tool {tool!r}: one of {', '.join(TOOLS)}")
    java, classpath, _folder = _java_and_classpath()
    options = ["-Dfile.encoding=UTF-8", *shlex.split(os.environ.get("JVM_ARGS", ""))]
    return [str(java), *options, "-cp", os.pathsep.join(map(str, classpath)), TOOLS[tool], *args]


def unavailable() -> str | None:
    """Why Jena cannot run here (a sentence), or None when it can."""
    try:
        locate()
    except JenaUnavailable as error:
        return str(error)
    return None


# Running jobs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A warning or error RIOT gives for a Turtle file."""

    severity: str  # "warning", "error" or "fatal"
    message: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.severity}: {self.message}"


@dataclass
class Results:
    """What Jena said about each job of one :func:`run_jobs` call."""

    version: str
    problems: dict[Path, list[Problem]] = field(default_factory=dict)
    #: How many distinct triples RIOT read from each file it parsed whole.
    triples: dict[Path, int] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)
    #: Jena's own verdict: no result of any severity (SHACL 1.0, section 3.6.1.1).
    jena_conforms: dict[str, bool] = field(default_factory=dict)
    #: Why Jena refused ontology/shapes.ttl as it is, if it did: the validations then ran
    #: with one message per SPARQL constraint (apache/jena#3817).
    shapes_error: str | None = None
    #: Jobs that failed: query name or validation id -> Jena's error message.
    errors: dict[str, str] = field(default_factory=dict)
    #: How long each kind of job took inside the JVM, in milliseconds.
    milliseconds: dict[str, int] = field(default_factory=dict)
    #: Warnings Jena logged (stderr of the JVM), one per line.
    log: list[str] = field(default_factory=list)

    def answer(self, name: str) -> Answer:
        if name in self.errors:
            raise JenaError(f"{name}: Jena cannot answer it: {self.errors[name]}")
        return self.answers[name]

    def report(self, key: str) -> Report:
        if key in self.errors:
            raise JenaError(f"{key}: Jena cannot validate it: {self.errors[key]}")
        return self.reports[key]


def validation_files(
    files: Sequence[Path] | None = None, examples: Path | None = None
) -> list[Path]:
    """What kg.shacl.data_graph validates: ontology, reference data, and notices or ``files``.

    The shipped dataset includes the stored queries as SPARQL examples, which are
    made from the query files, not read from Turtle: ``examples`` is where
    :func:`write_examples` wrote them.
    """
    if files is None:
        shipped = [path for _name, paths in graph_files() for path in paths]
        return shipped + ([examples] if examples else [])
    return [*resources.ontology_files(), resources.reference_file(), *files]


def write_examples(path: Path) -> Path:
    """The examples graph (:mod:`kg.examples`) as a Turtle file, for Jena to load."""
    path.write_text(examples_graph().serialize(format="turtle"), encoding="utf-8")
    return path


def run_jobs(
    parse: Iterable[Path] = (),
    queries: Iterable[str] = (),
    validations: Mapping[str, Sequence[Path] | None] | None = None,
    params: Mapping[str, Mapping[str, str]] | None = None,
    timeout: float = 600,
    tdb2: Path | None = None,
) -> Results:
    """Run every job in one JVM.

    ``parse``: Turtle files to parse. ``queries``: stored queries to answer over the
    dataset (one named graph per source, their union the default graph), with
    ``params[name]`` or the defaults bound; over the TDB2 database in the folder
    ``tdb2`` instead, if given (the union of its graphs the default graph, as
    ``tdb2.tdbquery --set tdb:unionDefaultGraph=true`` asks it). ``validations``:
    id -> files to validate with the ontology and reference data (None: the shipped
    notices).
    """
    jena = locate()
    parse = [Path(p).resolve() for p in parse]
    names = list(queries)
    validations = dict(validations or {})
    params = params or {}
    with tempfile.TemporaryDirectory(prefix="mca-kg-jena-") as tmp:
        work = Path(tmp)
        bindings: dict[str, set[str]] = {}
        job: dict[str, Any] = {"parse": [str(p) for p in parse]}
        examples = write_examples(work / "queries.ttl")
        if names:
            if tdb2 is not None:
                job["tdb2"] = str(tdb2)
            else:
                job["graphs"] = [
                    {"name": str(name), "files": [str(p) for p in paths]}
                    for name, paths in graph_files()
                ] + [{"name": str(QUERIES_GRAPH), "files": [str(examples)]}]
            job["queries"] = []
            for index, name in enumerate(names):
                query = load(name)
                bound = query.bindings(dict(params.get(name, {})))
                bindings[name] = set(bound)
                job["queries"].append(
                    {
                        "id": name,
                        # the values as a VALUES block, as an endpoint gets them: Jena's
                        # substitution would rewrite the defaults' BIND (x AS ?name)
                        "text": query.prebound(bound),
                        "prefixes": PREFIXES,
                        "output": str(work / f"answer-{index}.srj"),
                    }
                )
        if validations:
            job["shapes"] = str(resources.shapes_file())
            variant = work / "shapes.en.ttl"  # what `kg shapes` writes
            variant.write_text(single_language_shapes("en"), encoding="utf-8")
            job["single_language_shapes"] = str(variant)
            job["validations"] = [
                {"id": key, "files": [str(p) for p in validation_files(files, examples)]}
                for key, files in validations.items()
            ]
        (work / "job.json").write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        result_path = work / "result.json"
        try:
            done = subprocess.run(
                jena.command(str(work / "job.json"), str(result_path)),
                capture_output=True,
                text=True,
                check=False,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as error:
            raise JenaError(f"Jena did not finish in {timeout:g} s") from error
        if done.returncode != 0 or not result_path.is_file():
            tail = "\n".join(done.stderr.strip().splitlines()[-15:])
            raise JenaError(f"Jena failed (exit code {done.returncode}):\n{tail}")
        data = json.loads(result_path.read_text(encoding="utf-8"))
        results = Results(
            version=data["jena"],
            shapes_error=data.get("shapes_error"),
            milliseconds=data.get("milliseconds", {}),
            log=done.stderr.splitlines(),
        )
        for entry in data["parse"]:
            if "triples" in entry:
                results.triples[Path(entry["file"])] = int(entry["triples"])
            results.problems[Path(entry["file"])] = [
                Problem(p["severity"], p["message"], int(p["line"]), int(p["column"]))
                for p in entry["problems"]
            ]
        for index, entry in enumerate(data["queries"]):
            name = entry["id"]
            if "error" in entry:
                results.errors[name] = entry["error"]
                continue
            results.answers[name] = read_answer(work / f"answer-{index}.srj", bindings[name])
        for entry in data["validations"]:
            key = entry["id"]
            if "error" in entry:
                results.errors[key] = entry["error"]
                continue
            results.jena_conforms[key] = bool(entry["conforms"])
            results.reports[key] = Report(
                [
                    Finding(
                        severity=r["severity"],
                        shape=r["shape"],
                        focus=r["focus"],
                        path=r.get("path"),
                        value=r.get("value"),
                        message=r["message"],
                    )
                    for r in entry["results"]
                ]
            )
    return results


def read_answer(
    source: Path | bytes,
    bound: Collection[str],
    fmt: ox.QueryResultsFormat = ox.QueryResultsFormat.JSON,
) -> Answer:
    """An answer read from SPARQL results (a file or bytes), without the bound parameters.

    As kg.query answers: the parameters' columns left out. ``fmt``: JSON, as the runner
    writes, or TSV, as ``tdb2.tdbquery --results=tsv`` prints (terms keep their types).
    """
    if isinstance(source, Path):
        solutions = ox.parse_query_results(path=source, format=fmt)
    else:
        solutions = ox.parse_query_results(source, format=fmt)
    if not isinstance(solutions, ox.QuerySolutions):
        raise JenaError("not the answer of a SELECT query")
    variables = [v.value for v in solutions.variables if v.value not in bound]
    rows = [{v: solution[v] for v in variables} for solution in solutions]
    return Answer(variables, rows)


# One job at a time ----------------------------------------------------------------------


def jena_parse(paths: Iterable[Path]) -> dict[Path, list[Problem]]:
    """RIOT's warnings and errors for each Turtle file (an empty list: clean)."""
    return run_jobs(parse=paths).problems


def jena_answers(names: Iterable[str]) -> dict[str, Answer]:
    """The stored queries answered by Jena ARQ, their parameters at their defaults.

    :class:`JenaError` if Jena cannot answer one of them.
    """
    results = run_jobs(queries=names)
    return {name: results.answer(name) for name in [*results.answers, *results.errors]}


def jena_validate(files: Sequence[Path] | None = None) -> Report:
    """The shipped data (or ``files`` with the ontology and reference data) by Jena SHACL."""
    return run_jobs(validations={"data": files}).report("data")
