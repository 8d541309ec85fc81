"""Run a stored question on the embedded Oxigraph store or on rdflib, with bound parameters.

>>> answer = run("meeting")
>>> answer.rows[0]["date"].value
'2020-12-26'
>>> run("standards", engine="rdflib").normalised() == answer_of("standards").normalised()
True
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.catalogue import StoredQuery, load
from kg.dataset import load_dataset, load_store
from kg.errors import InputError
from kg.namespaces import PREFIXES
from kg.terms import OxTerm, normalised, show, to_oxigraph, to_rdflib

ENGINES = ("oxigraph", "rdflib")
FORMATS = ("table", "csv", "tsv", "json")

_RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
}


@dataclass
class Answer:
    """The rows of a SELECT query, engine-independent (terms are Oxigraph terms)."""

    variables: list[str]
    rows: list[dict[str, OxTerm | None]]

    def normalised(self) -> list[tuple[str, ...]]:
        """Rows as strings every engine agrees on (numbers by value), for comparisons."""
        return [tuple(normalised(row.get(v)) for v in self.variables) for row in self.rows]

    def w3c_json(self) -> bytes:
        """SPARQL 1.1 Query Results JSON, as any SPARQL client reads it."""
        bindings = []
        for row in self.rows:
            binding: dict[str, dict[str, str]] = {}
            for var in self.variables:
                term = row.get(var)
                if term is None:
                    continue
                if isinstance(term, ox.NamedNode):
                    binding[var] = {"type": "uri", "value": term.value}
                elif isinstance(term, ox.BlankNode):
                    binding[var] = {"type": "bnode", "value": term.value}
                else:
                    cell = {"type": "literal", "value": term.value}
                    if term.language:
                        cell["xml:lang"] = term.language
                    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                        cell["datatype"] = term.datatype.value
                    binding[var] = cell
            bindings.append(binding)
        document = {"head": {"vars": self.variables}, "results": {"bindings": bindings}}
        return json.dumps(document, ensure_ascii=False).encode("utf-8")

    def serialize(self, fmt: str) -> bytes:
        """The answer in one of :data:`FORMATS`; csv, tsv and json are written by Oxigraph."""
        if fmt == "table":
            return self.table().encode("utf-8")
        if fmt not in _RESULT_FORMATS:
            raise InputError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        solutions = ox.parse_query_results(self.w3c_json(), format=ox.QueryResultsFormat.JSON)
        assert isinstance(solutions, ox.QuerySolutions)
        out = solutions.serialize(format=_RESULT_FORMATS[fmt])
        assert out is not None
        return out

    def table(self, width: int | None = None) -> str:
        """A plain-text table that lines up Chinese (double-width) characters too.

        With ``width``, each line is cut to that many terminal columns, ending in "…".
        """
        cells = [[show(row.get(v)) for v in self.variables] for row in self.rows]
        widths = [
            max([display_width(v)] + [display_width(r[i]) for r in cells])
            for i, v in enumerate(self.variables)
        ]
        lines = [_line(self.variables, widths), _line(["-" * w for w in widths], widths)]
        lines += [_line(r, widths) for r in cells]
        lines.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})")
        if width is not None:
            lines = [clip(line, width) for line in lines]
        return "\n".join(lines) + "\n"


def display_width(text: str) -> int:
    """Terminal columns of ``text``: a Chinese (wide) character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def clip(line: str, width: int) -> str:
    """``line`` cut to ``width`` terminal columns (Chinese characters take two), ending in "…".

    >>> clip("保障标准 standards", 9)
    '保障标准…'
    >>> clip("short", 9)
    'short'
    """
    if display_width(line) <= width:
        return line
    kept, used = [], 0
    for char in line:
        used += display_width(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


def _line(cells: list[str], widths: list[int]) -> str:
    padded = [c + " " * (w - display_width(c)) for c, w in zip(cells, widths, strict=True)]
    return "  ".join(padded).rstrip()


def _prefixes() -> dict[str, str]:
    return dict(PREFIXES)


def sparql_error(query: StoredQuery, message: str) -> str:
    """One line: ``file:line:column: malformed SPARQL: what the parser expected``.

    A prefix that is neither declared nor kg's is named, with the closest known one.
    """
    match = re.match(r"error at (\d+):(\d+): (.*)", message)
    where = f"{query.path}:{match[1]}:{match[2]}" if match else str(query.path)
    if "Prefix not found" in message:
        line = int(match[1]) if match else None
        return f"{where}: {unknown_prefix(query.text, line)}"
    return f"{where}: malformed SPARQL: {match[3] if match else message}"


_PREFIXED = re.compile(r"(?<![\w<\"'?$:/#.-])([A-Za-z][\w-]*(?:\.[\w-]+)*)?:(?=[\w%])")
_DECLARED = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)


def unknown_prefix(text: str, line: int | None = None, name: str | None = None) -> str:
    """What to say of an undeclared prefix: its name, and the closest one kg knows.

    >>> unknown_prefix("SELECT * { ?s a mcaa:Figure }")
    "unknown prefix 'mcaa:' (did you mean 'mca:'?)"
    """
    import difflib

    declared = set(PREFIXES) | {m[1] or "" for m in _DECLARED.finditer(text)}
    if name is None:
        lines = text.splitlines()
        where = [lines[line - 1]] if line is not None and 0 < line <= len(lines) else []
        for chunk in [*where, text]:
            found = [
                m[1] or ""
                for m in _PREFIXED.finditer(re.sub(r"<[^>\s]*>|#.*", " ", chunk))
                if (m[1] or "") not in declared
            ]
            if found:
                name = found[0]
                break
    if name is None:
        return "a prefix that is not declared (add a PREFIX line)"
    close = difflib.get_close_matches(name, sorted(PREFIXES), n=1, cutoff=0.5)
    if close:
        return f"unknown prefix '{name}:' (did you mean '{close[0]}:'?)"
    known = ", ".join(f"{p}:" for p in sorted(PREFIXES))
    return f"unknown prefix '{name}:': declare it with a PREFIX line (kg declares {known})"


def run_oxigraph(
    query: StoredQuery, bindings: dict[str, Any], store: ox.Store | None = None
) -> Answer:
    store = load_store() if store is None else store
    try:
        solutions = store.query(
            query.text,
            prefixes=_prefixes(),
            use_default_graph_as_union=True,
            substitutions={ox.Variable(name): term for name, term in bindings.items()},
        )
        if not isinstance(solutions, ox.QuerySolutions):
            raise InputError(f"{query.path}: only SELECT queries can be run as questions")
        variables = [v.value for v in solutions.variables if v.value not in bindings]
        rows = [{v: solution[v] for v in variables} for solution in solutions]
    except SyntaxError as error:
        raise InputError(sparql_error(query, str(error))) from error
    except (OSError, RuntimeError, ValueError) as error:  # a SERVICE that fails, mostly
        raise InputError(_evaluation_error(query, error)) from error
    return Answer(variables, rows)


def _evaluation_error(query: StoredQuery, error: BaseException) -> str:
    """One line for a query that parsed but failed while it ran (a remote SERVICE, mostly)."""
    reason = " ".join(str(getattr(error, "reason", None) or error).split()) or type(error).__name__
    if re.search(r"\bSERVICE\b", query.text, re.IGNORECASE):
        return f"{query.path}: a SERVICE call failed: {reason}"
    return f"{query.path}: the query failed: {reason}"


def run_rdflib(query: StoredQuery, bindings: dict[str, Any], dataset: Any = None) -> Answer:
    from rdflib.plugins.sparql import prepareQuery

    dataset = load_dataset() if dataset is None else dataset
    try:
        prepared = prepareQuery(query.text, initNs=_prefixes())
    except Exception as error:  # pyparsing raises its own exception types
        unknown = re.search(r"Unknown namespace prefix : (\S+)", str(error))
        if unknown:
            raise InputError(
                f"{query.path}: {unknown_prefix(query.text, name=unknown[1])}"
            ) from error
        raise InputError(
            f"{query.path}: malformed SPARQL: {' '.join(str(error).split())}"
        ) from error
    try:
        result = dataset.query(
            prepared, initBindings={name: to_rdflib(term) for name, term in bindings.items()}
        )
        if result.type != "SELECT" or result.vars is None:
            raise InputError(f"{query.path}: only SELECT queries can be run as questions")
        variables = [str(v) for v in result.vars if str(v) not in bindings]
        rows = []
        for row in result:
            values = row.asdict()
            rows.append({v: to_oxigraph(values[v]) if v in values else None for v in variables})
    except (OSError, ValueError) as error:  # urllib's errors from a SERVICE call, mostly
        raise InputError(_evaluation_error(query, error)) from error
    return Answer(variables, rows)


def run(
    name_or_file: str,
    params: dict[str, str] | None = None,
    engine: str = "oxigraph",
    store: ox.Store | None = None,
    store_dir: Path | None = None,
    data: Sequence[Path] = (),
    timeout: float | None = None,
) -> Answer:
    """Answer a stored question (by name) or a query file, binding ``params`` as values.

    ``data`` files (a corpus) are bulk-loaded beside the shipped graph into an
    in-memory Oxigraph store (:func:`kg.dataset.load_extra`). A query that calls a
    remote endpoint (``SERVICE``) must have its answer within ``timeout`` seconds,
    if given: neither embedded engine gives the call a deadline of its own.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
    query = load(name_or_file)
    bindings = query.bindings(params or {})
    if engine == "rdflib":
        if data:
            raise InputError("--data needs the oxigraph engine: rdflib would parse a corpus slowly")
        return _within(timeout, query, lambda: run_rdflib(query, bindings))
    if store is None and (store_dir is not None or data):
        store = load_store(store_dir, extra=data, read_only=True)
    return _within(timeout, query, lambda: run_oxigraph(query, bindings, store))


def _within(timeout: float | None, query: StoredQuery, answer: Callable[[], Answer]) -> Answer:
    """``answer()``, or, for a query that calls out, an error once ``timeout`` seconds pass.

    The engines cannot be stopped from outside, so the query runs in a daemon thread,
    which is left behind when the deadline passes: the command then ends with the
    error, and the process, the thread with it.
    """
    from kg.federation import calls_out

    if timeout is None or not calls_out(query.text):
        return answer()
    outcome: list[Answer] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            outcome.append(answer())
        except BaseException as error:  # handed to the waiting thread, raised there
            failure.append(error)

    worker = threading.Thread(target=work, name="kg-query-service", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise InputError(
            f"{query.path}: a SERVICE call gave no full answer within {timeout:g} s (--timeout)"
        )
    if failure:
        raise failure[0]
    return outcome[0]


def expected_path(query: StoredQuery) -> Path:
    """The expected answer kept beside a stored query: ``NAME.expected.csv``."""
    return query.path.with_name(f"{query.name}.expected.csv")


def answer_of(name: str) -> Answer:
    """The expected answer of a stored query, as written down beside it."""
    query = load(name)
    path = expected_path(query)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            variables = next(reader)
            rows = [list(r) for r in reader]
    except FileNotFoundError as error:
        raise InputError(f"{path}: no expected answer") from error
    return Answer(
        variables,
        [
            {v: (ox.Literal(c) if c else None) for v, c in zip(variables, r, strict=True)}
            for r in rows
        ],
    )


def write_expected(query: StoredQuery, answer: Answer) -> Path:
    """Write an answer as the expected one (normalised values, so every engine can match it)."""
    path = expected_path(query)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(answer.variables)
    writer.writerows(answer.normalised())
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path
