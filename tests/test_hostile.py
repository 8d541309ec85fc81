"""A careless or hostile user, across every subcommand: one line, the documented exit code.

Each case is a command line with the files, standard input, environment and, for
the endpoint cases, a tiny HTTP server on 127.0.0.1 (started and stopped within
the test) that misbehaves in one way: it redirects, refuses, hangs up mid-answer,
or sends a byte at a time. Every case asserts

- the exit code the README's table documents (2 for anything a user can cause),
- exactly one line on stderr, starting ``kg: error:``, and no traceback,
- that no file of the project, and no file of the test's own folder, changed.

They run in-process through ``main`` (datasette's way), except where only a real
process shows the behaviour: Ctrl-C, a closed pipe and a full disk on stdout.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import resources
from kg.cli import COMMANDS, main
from kg.dataset import fingerprint

ROOT = resources.root()
KG = str(Path(sys.executable).with_name("kg"))

#: The project's own folders a command must never write into.
PROJECT_DIRS = ("data", "ontology", "queries", "kg", "docs")


@dataclass
class Case:
    argv: list[str]
    code: int = 2
    says: str = ""  # a fragment the error line must hold
    stdin: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    never: str = ""  # a fragment the error line must not hold (a password)


def _snapshot(folder: Path) -> dict[str, tuple[str, str]]:
    """Every file and link under ``folder`` with its content digest, never following links."""
    seen: dict[str, tuple[str, str]] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d not in ("__pycache__", ".git", ".venv")]
        for name in [*filenames, *dirnames]:
            path = Path(dirpath, name)
            key = str(path.relative_to(folder))
            if path.is_symlink():
                seen[key] = ("link", os.readlink(path))
            elif path.is_file():
                seen[key] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
            elif path.is_dir():
                seen[key] = ("dir", "")
    return seen


def _project_snapshot() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for name in PROJECT_DIRS:
        if (ROOT / name).is_dir():
            out.update({f"{name}/{k}": v for k, v in _snapshot(ROOT / name).items()})
    return out


# --- the misbehaving endpoint ---------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    """One behaviour per path: see the branches. Every loop is bounded."""

    protocol_version = "HTTP/1.1"
    stop: threading.Event

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _body(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)

    def _drip(self, data: bytes) -> None:
        for byte in data[:60]:  # at most 60 bytes, 0.2 s apart: 12 s if nothing cuts it off
            if self.stop.wait(0.2):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    def _answer(self) -> None:
        self._body()
        path = self.path.split("?", 1)[0].lstrip("/")
        if path.startswith("r3"):  # r301, r302, r307, r308: a redirect to a sink that takes all
            self.send_response(int(path[1:4]))
            self.send_header("Location", f"http://{self.headers['Host']}/sink")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "sink":
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path in ("404", "500", "401"):
            body = b"go away\n"
            self.send_response(int(path))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif path == "html":
            body = b"<html><body>a login page</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif path == "ask":
            body = b'{"head": {}, "boolean": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif path == "hangup":  # promises 1000 bytes, sends 20, hangs up
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"head": {"vars": ["')
            self.wfile.flush()
            self.close_connection = True
        elif path == "drip":  # a byte every 0.2 s
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.flush()
            self._drip(b" " * 60)
            self.close_connection = True
        elif path == "driphead":  # even the status line comes a byte at a time
            self._drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" + b"X: y\r\n" * 20)
            self.close_connection = True
        elif path == "silent":  # reads the request and says nothing
            self.stop.wait(12)
            self.close_connection = True
        elif path == "garbage":
            self.wfile.write(b"NOT HTTP AT ALL\r\n\r\n")
            self.close_connection = True
        else:  # "close" and anything else: hang up without a word
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _answer


@dataclass
class Endpoint:
    url: str
    requests: list[str]


@pytest.fixture()
def endpoint() -> Iterator[Endpoint]:
    stop = threading.Event()
    seen: list[str] = []

    class Handler(_Handler):
        pass

    Handler.stop = stop
    original = Handler._answer

    def answer(self: _Handler) -> None:
        seen.append(f"{self.command} {self.path}")
        original(self)

    Handler.do_GET = Handler.do_POST = Handler.do_PUT = Handler.do_DELETE = answer  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield Endpoint(f"http://127.0.0.1:{server.server_address[1]}", seen)
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join(10)
        assert not thread.is_alive()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the inputs ------------------------------------------------------------------------------


def _inputs(tmp: Path) -> None:
    """The files the cases name, written into the test's own folder."""
    (tmp / "bad.rq").write_text("SELECT ?s WHERE { ?s ?p }\n")
    (tmp / "prefix.rq").write_text("SELECT ?s WHERE { ?s a mcaa:Figure }\n")
    (tmp / "prefix-rdflib.rq").write_text("SELECT ?s WHERE { ?s a mcaa:Figure }\n")
    (tmp / "service.rq").write_text(
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }\n"
    )
    (tmp / "service-closed.rq").write_text(
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{_closed_port()}/q> {{ ?s ?p ?o }} }}\n"
    )
    (tmp / "service-scheme.rq").write_text(
        "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }\n"
    )
    (tmp / "construct.rq").write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\n")
    (tmp / "ask.rq").write_text("ASK { ?s ?p ?o }\n")
    (tmp / "update.rq").write_text("DROP ALL\n")
    (tmp / "empty.rq").write_text("")
    (tmp / "latin1.rq").write_bytes(b"# caf\xe9\nSELECT * WHERE { ?s ?p ?o }\n")
    (tmp / "binary.rq").write_bytes(bytes(range(256)))
    (tmp / "param-line.rq").write_text("# param: x (colour, default 1): x\nSELECT ?x {}\n")
    (tmp / "folder.rq").mkdir()
    (tmp / "loop.rq").symlink_to("loop.rq")
    (tmp / "dangling.rq").symlink_to("nowhere.rq")
    (tmp / "bad.ttl").write_text("<urn:a> <urn:b> .\n")
    (tmp / "bad.nq").write_text("<urn:a> <urn:b> <urn:c> <urn:d> <urn:e> .\n")
    (tmp / "data.xyz").write_text("hello\n")
    (tmp / "loop.ttl").symlink_to("loop.ttl")
    (tmp / "afile").write_text("just a file\n")
    (tmp / "empty.txt").write_text("")
    (tmp / "notes.txt").write_text("民政部召开会议。2020年，全国共有低保对象4426万人。\n")
    (tmp / "bad.toml").write_text("status = [unclosed\n")
    (tmp / "sheet-folder.toml").mkdir()
    (tmp / "not-svg.svg").write_text("<svg>not drawn by kg</svg>\n")
    (tmp / "others").mkdir()
    (tmp / "others" / "precious.txt").write_text("not kg's\n")
    (tmp / "corrupt").mkdir()
    (tmp / "corrupt" / "mca-kg-fingerprint").write_text(fingerprint())  # current, but broken
    (tmp / "corrupt" / "CURRENT").write_text("MANIFEST-000099\n")
    shape = (
        "PREFIX sh: <http://www.w3.org/ns/shacl#>\nPREFIX ex: <http://example.org/>\n"
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property ex:P .\n"
        "ex:P sh:minCount 1 ; sh:path "
    )
    (tmp / "t.ttl").write_text("<http://example.org/a> a <http://example.org/T> .\n")
    (tmp / "list-loop.ttl").write_text(
        shape + "_:h . _:h rdf:first ex:p ; rdf:rest _:a . _:a rdf:first ex:q ; rdf:rest _:h .\n"
    )
    (tmp / "list-open.ttl").write_text(shape + "_:h . _:h rdf:first ex:p ; rdf:rest ex:q .\n")
    (tmp / "list-fork.ttl").write_text(
        shape + "_:h . _:h rdf:first ex:p, ex:q ; rdf:rest rdf:nil .\n"
    )
    (tmp / "link-to-reference.ttl").symlink_to(resources.reference_file())
    (tmp / "link-to-queries").symlink_to(resources.queries_dir())


def _cases() -> dict[str, Case]:
    ref = str(resources.reference_file())
    query_file = str(resources.queries_dir() / "standards.rq")
    shapes = str(resources.shapes_file())
    module = str(Path(__file__).resolve().parents[1] / "kg" / "errors.py")
    c: dict[str, Case] = {}
    # kg itself
    c["kg-unknown-command"] = Case(["frobnicate"], says="No such command")
    c["kg-unknown-option"] = Case(["--frobnicate"], says="No such option")
    c["kg-close-command"] = Case(["quer", "standards"], says="No such command")
    # kg run
    c["run-lang"] = Case(["run", "--lang", "fr"], says="'fr' is not one of")
    c["run-store-is-file"] = Case(["run", "--store", "afile"], says="afile")
    c["run-store-not-ours"] = Case(["run", "--store", "others"], says="not an mca-kg store")
    c["run-extra-argument"] = Case(["run", "extra"], says="unexpected extra argument")
    # kg list
    c["list-kind"] = Case(["list", "--kind", "bogus"], says="'bogus' is not one of")
    c["list-lang-empty"] = Case(["list", "--lang", ""], says="is not one of")
    c["list-extra"] = Case(["list", "standards"], says="unexpected extra argument")
    # kg query: names and files
    c["query-no-argument"] = Case(["query"], says="Missing argument")
    c["query-unknown-name"] = Case(["query", "standardz"], says="did you mean standards")
    c["query-far-name"] = Case(["query", "zzzzqqq"], says="kg list")
    c["query-missing-file"] = Case(["query", "nothere.rq"], says="nothere.rq: no such file")
    c["query-missing-path"] = Case(["query", "sub/nothere"], says="no such file")
    c["query-folder"] = Case(["query", "folder.rq"], says="folder.rq")
    c["query-symlink-loop"] = Case(["query", "loop.rq"], says="loop.rq")
    c["query-dangling-link"] = Case(["query", "dangling.rq"], says="dangling.rq")
    c["query-unreadable"] = Case(["query", "/proc/self/mem"], says="/proc/self/mem")
    c["query-latin1"] = Case(["query", "latin1.rq"], says="UTF-8")
    c["query-binary"] = Case(["query", "binary.rq"], says="binary.rq")
    c["query-empty"] = Case(["query", "empty.rq"], says="empty.rq")
    c["query-malformed"] = Case(["query", "bad.rq"], says="bad.rq:2:1: malformed SPARQL")
    c["query-malformed-rdflib"] = Case(
        ["query", "bad.rq", "--engine", "rdflib"], says="malformed SPARQL"
    )
    c["query-unknown-prefix"] = Case(["query", "prefix.rq"], says="unknown prefix 'mcaa:'")
    c["query-unknown-prefix-rdflib"] = Case(
        ["query", "prefix-rdflib.rq", "--engine", "rdflib"], says="unknown prefix 'mcaa:'"
    )
    c["query-construct"] = Case(["query", "construct.rq"], says="only SELECT")
    c["query-construct-rdflib"] = Case(
        ["query", "construct.rq", "--engine", "rdflib"], says="only SELECT"
    )
    c["query-ask"] = Case(["query", "ask.rq"], says="only SELECT")
    c["query-update"] = Case(["query", "update.rq"], says="update.rq")
    c["query-update-rdflib"] = Case(["query", "update.rq", "--engine", "rdflib"], says="update.rq")
    c["query-service-port"] = Case(["query", "service.rq"], says="SERVICE")
    c["query-service-closed"] = Case(["query", "service-closed.rq"], says="SERVICE")
    c["query-service-closed-rdflib"] = Case(
        ["query", "service-closed.rq", "--engine", "rdflib"], says="SERVICE"
    )
    c["query-service-scheme"] = Case(["query", "service-scheme.rq"], says="SERVICE")
    c["query-bad-param-line"] = Case(["query", "param-line.rq"], says="malformed parameter")
    # kg query: parameters and options
    c["query-param-no-equals"] = Case(["query", "standards", "-p", "lang"], says="NAME=VALUE")
    c["query-param-no-name"] = Case(["query", "standards", "-p", "=en"], says="NAME=VALUE")
    c["query-param-unknown"] = Case(["query", "standards", "-p", "x=1"], says="no parameter 'x'")
    c["query-param-lang"] = Case(["query", "standards", "-p", "lang=fr"], says="language")
    c["query-param-lang-attack"] = Case(
        ["query", "standards", "-p", 'lang=en" } ; DROP ALL ; { "'], says="language"
    )
    c["query-param-nan"] = Case(
        ["query", "standards-growth-above", "-p", "min_rate=NaN"], says="min_rate"
    )
    c["query-param-word"] = Case(
        ["query", "standards-growth-above", "-p", "min_rate=ten"], says="not a number"
    )
    c["query-param-huge"] = Case(
        ["query", "standards-growth-above", "-p", "min_rate=1e999"], says="min_rate"
    )
    c["query-param-inf"] = Case(
        ["query", "standards-growth-above", "-p", "min_rate=Infinity"], says="min_rate"
    )
    c["query-param-iri-space"] = Case(
        ["query", "tasks-for-group", "-p", "group=<urn:a b>"], says="--param group"
    )
    c["query-param-iri-mistyped-prefix"] = Case(
        ["query", "tasks-for-group", "-p", "group=grpp:elderly"], says="unknown prefix 'grpp:'"
    )
    c["query-param-iri-bad-local"] = Case(
        ["query", "tasks-for-group", "-p", "group=grp:el derly"], says="group"
    )
    c["query-param-iri-empty"] = Case(["query", "tasks-for-group", "-p", "group="], says="group")
    c["query-param-iri-mistyped-show"] = Case(
        ["query", "figures-of-program", "--show", "-p", "program=porg:dibao"], says="'porg:'"
    )
    c["query-format"] = Case(["query", "standards", "-f", "xml"], says="'xml' is not one of")
    c["query-engine"] = Case(["query", "standards", "--engine", "jena"], says="is not one of")
    c["query-lang"] = Case(["query", "standards", "--lang", "de"], says="is not one of")
    c["query-rdflib-data"] = Case(
        ["query", "standards", "--engine", "rdflib", "--data", "bad.nq"], says="oxigraph engine"
    )
    c["query-data-missing"] = Case(["query", "standards", "--data", "none.nq"], says="none.nq")
    c["query-data-malformed"] = Case(["query", "standards", "--data", "bad.nq"], says="bad.nq:1:")
    c["query-data-malformed-ttl"] = Case(
        ["query", "standards", "--data", "bad.ttl"], says="bad.ttl:1:"
    )
    c["query-data-type"] = Case(["query", "standards", "--data", "data.xyz"], says="unknown RDF")
    c["query-data-loop"] = Case(["query", "standards", "--data", "loop.ttl"], says="loop.ttl")
    c["query-data-and-store"] = Case(
        ["query", "standards", "--data", "bad.nq", "--store", "s"], says="in-memory"
    )
    c["query-store-is-file"] = Case(["query", "standards", "--store", "afile"], says="afile")
    c["query-store-not-ours"] = Case(
        ["query", "standards", "--store", "others"], says="not an mca-kg store"
    )
    c["query-store-corrupt"] = Case(["query", "standards", "--store", "corrupt"], says="corrupt")
    # -o onto the project's own files, directly and through links
    c["query-o-queries"] = Case(["query", "standards", "-o", query_file], says="project's own")
    c["query-o-link-queries"] = Case(
        ["query", "standards", "-o", "link-to-queries/standards.rq"], says="project's own"
    )
    c["query-o-new-in-queries"] = Case(
        ["query", "standards", "--show", "-o", str(resources.queries_dir() / "new.rq")],
        says="project's own",
    )
    c["query-o-missing-folder"] = Case(["query", "standards", "-o", "no/such/out.txt"], says="no")
    c["query-o-folder"] = Case(["query", "standards", "-o", "others"], says="others")
    c["query-o-empty"] = Case(["query", "standards", "-o", ""], says="--output")
    # kg query --endpoint
    c["query-endpoint-scheme"] = Case(
        ["query", "standards", "--endpoint", "ftp://example.org/q"], says="http(s)"
    )
    c["query-endpoint-no-host"] = Case(
        ["query", "standards", "--endpoint", "http://"], says="endpoint URL"
    )
    c["query-endpoint-port"] = Case(
        ["query", "standards", "--endpoint", "http://127.0.0.1:99999/q"], says="endpoint URL"
    )
    c["query-endpoint-data"] = Case(
        ["query", "standards", "--endpoint", "{url}/sink", "--data", "bad.nq"], says="--data"
    )
    c["query-endpoint-closed"] = Case(
        ["query", "standards", "--endpoint", "http://u:s3cret@127.0.0.1:{closed}/q"],
        says="cannot reach",
        never="s3cret",
    )
    c["query-endpoint-timeout-bad"] = Case(
        ["query", "standards", "--endpoint", "{url}/drip", "--timeout", "0"], says="--timeout"
    )
    for path, says in (
        ("r301", "redirect"),
        ("r302", "redirect"),
        ("r307", "redirect"),
        ("404", "HTTP 404"),
        ("500", "HTTP 500"),
        ("401", "HTTP 401"),
        ("html", "SPARQL results"),
        ("ask", "table of results"),
        ("hangup", "hung up"),
        ("drip", "timed out"),
        ("driphead", "timed out"),
        ("silent", "timed out"),
        ("close", "hung up"),
        ("garbage", "not HTTP"),
    ):
        c[f"query-endpoint-{path}"] = Case(
            [
                "query",
                "standards",
                "--endpoint",
                f"http://user:s3cret@{{host}}/{path}?key=s3cret",
                "--timeout",
                "1",
            ],
            says=says,
            never="s3cret",
        )
    # kg load
    c["load-no-endpoint"] = Case(["load"], says="Missing option '--endpoint'")
    c["load-scheme"] = Case(["load", "--endpoint", "file:///tmp/x"], says="http(s)")
    c["load-closed"] = Case(
        ["load", "--endpoint", "http://u:s3cret@127.0.0.1:{closed}/store"],
        says="cannot reach",
        never="s3cret",
    )
    c["load-sink-keeps-nothing"] = Case(
        ["load", "--endpoint", "{url}/sink"], says="did not load what was sent"
    )
    c["load-graph-not-iri"] = Case(
        ["load", "--endpoint", "{url}/sink", "--graph", "not an iri"], says="--graph"
    )
    c["load-graph-injection"] = Case(
        ["load", "--endpoint", "{url}/sink", "--graph", "urn:x> } ; DROP ALL ; {"], says="--graph"
    )
    c["load-timeout-bad"] = Case(
        ["load", "--endpoint", "{url}/sink", "--timeout", "-1"], says="--timeout"
    )
    for path, says in (
        ("r301", "redirect"),
        ("r302", "redirect"),
        ("r307", "redirect"),
        ("r308", "redirect"),
        ("404", "HTTP 404"),
        ("500", "HTTP 500"),
        ("hangup", "hung up"),
        ("drip", "timed out"),
        ("silent", "timed out"),
        ("close", "hung up"),
    ):
        c[f"load-{path}"] = Case(
            ["load", "--endpoint", f"http://admin:s3cret@{{host}}/{path}", "--timeout", "1"],
            says=says,
            never="s3cret",
        )
    c["load-replace-r302"] = Case(
        [
            "load",
            "--replace",
            "--endpoint",
            "http://admin:s3cret@{host}/r302",
            "--update",
            "{url}/sink",
            "--timeout",
            "1",
        ],
        says="redirect",
        never="s3cret",
    )
    c["load-replace-update-404"] = Case(
        ["load", "--replace", "--endpoint", "{url}/sink", "--update", "{url}/404"],
        says="unchanged",
    )
    c["load-replace-no-update"] = Case(
        ["load", "--replace", "--endpoint", "{url}/graphs"], says="--update"
    )
    # kg validate and kg serve: argument-level only (their engines are another task's)
    c["validate-missing"] = Case(["validate", "nothere.ttl"], says="nothere.ttl: no such file")
    c["validate-option"] = Case(["validate", "--frobnicate"], says="No such option")
    # a shapes graph whose list loops crashed pySHACL (a traceback) or could hang a walk
    for engine in ("sparql", "pyshacl"):
        c[f"validate-list-loop-{engine}"] = Case(
            ["validate", "--engine", engine, "--shapes", "list-loop.ttl", "t.ttl"],
            says="a blank node of ex:P: a list that loops back",
        )
    c["validate-list-open"] = Case(
        ["validate", "--shapes", "list-open.ttl", "t.ttl"], says="does not end in rdf:nil"
    )
    c["validate-list-fork"] = Case(
        ["validate", "--shapes", "list-fork.ttl", "t.ttl"], says="exactly one rdf:first"
    )
    c["serve-port-zero"] = Case(["serve", "--port", "0"], says="--port")
    c["serve-port-big"] = Case(["serve", "--port", "70000"], says="--port")
    c["serve-port-word"] = Case(["serve", "--port", "http"], says="--port")
    c["serve-timeout-zero"] = Case(["serve", "--timeout", "0"], says="--timeout")
    c["serve-timeout-word"] = Case(["serve", "--timeout", "soon"], says="--timeout")
    c["serve-public-ftp"] = Case(["serve", "--public-url", "ftp://x/q"], says="http(s)")
    c["serve-public-password"] = Case(
        ["serve", "--public-url", "https://me:secret@example.org/q"],
        says="user name or password",
        never="secret",
    )
    # kg report
    c["report-o-empty"] = Case(["report", "-o", ""], says="--output")
    c["report-o-project"] = Case(["report", "-o", ref], says="project's own")
    c["report-lang"] = Case(["report", "--lang", "xx"], says="is not one of")
    c["report-o-missing-folder"] = Case(["report", "-o", "no/such/r.html"], says="no/such")
    # kg docs
    c["docs-o-file"] = Case(["docs", "-o", "afile"], says="afile")
    c["docs-o-project"] = Case(["docs", "-o", str(resources.ontology_dir())], says="project's own")
    c["docs-o-link-project"] = Case(["docs", "-o", "link-to-queries"], says="project's own")
    # kg diagram
    c["diagram-format"] = Case(["diagram", "-f", "png"], says="'png' is not one of")
    c["diagram-check-missing"] = Case(["diagram", "--check", "-o", "none.svg"], says="none.svg")
    c["diagram-check-not-ours"] = Case(
        ["diagram", "--check", "-o", "not-svg.svg"], code=1, says="out of date"
    )
    c["diagram-check-folder"] = Case(["diagram", "--check", "-o", "others"], says="others")
    c["diagram-o-project"] = Case(["diagram", "-f", "dot", "-o", shapes], says="project's own")
    # kg export
    c["export-format"] = Case(["export", "-f", "rdfxml"], says="'rdfxml' is not one of")
    c["export-o-project"] = Case(["export", "-o", ref], says="project's own")
    c["export-o-link"] = Case(["export", "-o", "link-to-reference.ttl"], says="project's own")
    c["export-o-module"] = Case(["export", "-o", module], says="project's own")
    c["export-o-folder"] = Case(["export", "-o", "others"], says="others")
    c["export-o-dev-full"] = Case(["export", "-o", "/dev/full"], says="No space left")
    # kg stats
    c["stats-store-file"] = Case(["stats", "--store", "afile"], says="afile")
    c["stats-store-corrupt"] = Case(["stats", "--store", "corrupt"], says="corrupt")
    # kg describe
    c["describe-download-base"] = Case(
        ["describe", "--download-base", "ftp://x/"], says="--download-base"
    )
    c["describe-endpoint-scheme"] = Case(["describe", "--endpoint", "mailto:x@y"], says="http(s)")
    c["describe-endpoint-password"] = Case(
        ["describe", "--endpoint", "http://u:s3cret@{host}/q"], says="published", never="s3cret"
    )
    c["describe-o-project"] = Case(["describe", "-o", shapes], says="project's own")
    # kg shapes
    c["shapes-lang"] = Case(["shapes", "--lang", "fr"], says="is not one of")
    c["shapes-o-project"] = Case(["shapes", "-o", shapes], says="project's own")
    # kg jena
    c["jena-no-tool"] = Case(["jena", "run"], says="Missing argument 'TOOL'")
    c["jena-unknown-tool"] = Case(["jena", "run", "tdb1.tdbloader"], says="is not one of")
    c["jena-unknown-command"] = Case(["jena", "frob"], says="No such command")
    c["jena-classpath-extra"] = Case(["jena", "classpath", "extra"], says="unexpected extra")
    # kg build
    c["build-draft-missing"] = Case(["build", "--draft", "none.toml"], says="none.toml")
    c["build-draft-malformed"] = Case(["build", "--draft", "bad.toml"], says="bad.toml")
    c["build-draft-folder"] = Case(["build", "--draft", "sheet-folder.toml"], says="sheet-folder")
    c["build-extra"] = Case(["build", "extra"], says="unexpected extra argument")
    # kg fmt
    c["fmt-extra"] = Case(["fmt", "ontology/shapes.ttl"], says="unexpected extra argument")
    c["fmt-option"] = Case(["fmt", "--write"], says="No such option")
    # kg ingest
    c["ingest-missing"] = Case(["ingest", "none.txt"], says="none.txt")
    c["ingest-folder"] = Case(["ingest", "others"], says="others")
    c["ingest-year-low"] = Case(["ingest", "empty.txt", "--year", "1800"], says="--year")
    c["ingest-year-high"] = Case(["ingest", "empty.txt", "--year", "20201"], says="--year")
    c["ingest-year-word"] = Case(["ingest", "empty.txt", "--year", "last"], says="--year")
    c["ingest-id"] = Case(["ingest", "notes.txt", "--id", "../../etc"], says="--id")
    c["ingest-into-file"] = Case(["ingest", "empty.txt", "--into", "afile"], says="afile")
    c["ingest-o-project"] = Case(["ingest", "notes.txt", "--into", ".", "-o", ref], says="project")
    c["ingest-empty"] = Case(["ingest", "empty.txt", "--into", "."], says="empty.txt")
    return c


CASES = _cases()


def test_there_are_at_least_100_cases_and_every_subcommand_has_one() -> None:
    assert len(CASES) >= 100
    named = {case.argv[0] for case in CASES.values()}
    assert set(COMMANDS) <= named, set(COMMANDS) - named


def _fill(argv: list[str], endpoint: Endpoint | None) -> list[str]:
    host = endpoint.url.removeprefix("http://") if endpoint else "127.0.0.1:9"
    url = endpoint.url if endpoint else "http://127.0.0.1:9"
    closed = str(_closed_port())
    return [
        a.replace("{host}", host).replace("{url}", url).replace("{closed}", closed) for a in argv
    ]


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_gives_one_line_and_changes_nothing(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    case = CASES[name]
    needs_server = any("{host}" in a or "{url}" in a for a in case.argv)
    server = request.getfixturevalue("endpoint") if needs_server else None
    _inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    project = _project_snapshot()
    folder = _snapshot(tmp_path)
    result = CliRunner().invoke(
        main, _fill(case.argv, server), input=case.stdin, env=case.env, catch_exceptions=True
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}\n{result.stderr}"
    )
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error:") or case.code != 2, lines[0]
    assert case.says in lines[0]
    if case.never:
        assert case.never not in result.stderr + result.stdout
    assert result.exit_code == case.code, lines[0]
    assert _project_snapshot() == project
    assert _snapshot(tmp_path) == folder


# --- what only a real process shows -----------------------------------------------------------


def _run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([KG, *argv], capture_output=True, timeout=120, check=False, **kwargs)  # type: ignore[call-overload, no-any-return]


def test_a_full_disk_on_stdout_is_one_line(tmp_path: Path) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [KG, "export", "-f", "ntriples"],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
            cwd=tmp_path,
        )
    lines = result.stderr.decode().splitlines()
    assert lines == ["kg: error: cannot write to stdout: No space left on device"]
    assert result.returncode == 2


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """``kg export | head -c 1``: stdout closes early; kg stops without a word."""
    process = subprocess.Popen(
        [KG, "export", "-f", "ntriples"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(1)
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 0
    assert stderr == b""


def test_ctrl_c_exits_130_quietly(tmp_path: Path, endpoint: Endpoint) -> None:
    process = subprocess.Popen(
        [KG, "query", "standards", "--endpoint", f"{endpoint.url}/silent", "--timeout", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    for _ in range(600):  # until the request has arrived: at most 60 s
        if endpoint.requests or process.poll() is not None:
            break
        time.sleep(0.1)
    assert endpoint.requests, "kg never asked the endpoint"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err == b""


# --- what a careless user now gets right ------------------------------------------------------


def _invoke(*argv: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(argv), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_query_file_with_a_byte_order_mark_answers(tmp_path: Path, engine: str) -> None:
    text = (resources.queries_dir() / "meeting.rq").read_text(encoding="utf-8")
    (tmp_path / "bom.rq").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "plain.rq").write_text(text, encoding="utf-8")
    with_bom = _invoke("query", str(tmp_path / "bom.rq"), "--engine", engine, "-f", "csv")
    plain = _invoke("query", str(tmp_path / "plain.rq"), "--engine", engine, "-f", "csv")
    assert with_bom[0] == 0, with_bom[2]
    assert with_bom[1] == plain[1] and "2020-12-26" in plain[1]


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".nq", ".trig"])
def test_data_with_a_byte_order_mark_loads(tmp_path: Path, suffix: str) -> None:
    triple = "<urn:a> <urn:b> <urn:c>"
    body = {".nq": f"{triple} <urn:g> .", ".trig": f"<urn:g> {{ {triple} . }}"}.get(
        suffix, f"{triple} ."
    )
    data = tmp_path / f"bom{suffix}"
    data.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8") + b"\n")
    (tmp_path / "count.rq").write_text(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { <urn:a> <urn:b> <urn:c> } }\n"
    )
    code, out, err = _invoke("query", str(tmp_path / "count.rq"), "--data", str(data), "-f", "csv")
    assert code == 0, err
    assert out.splitlines() == ["n", "1"]


def test_an_unbracketed_urn_is_still_an_iri() -> None:
    code, out, err = _invoke("query", "tasks-for-group", "-p", "group=urn:x:nobody")
    assert code == 0, err
    assert "(0 rows)" in out


def test_readers_of_one_store_do_not_lock_each_other_out(tmp_path: Path) -> None:
    from kg.dataset import load_store

    folder = tmp_path / "store"
    assert _invoke("stats", "--store", str(folder))[0] == 0  # builds it
    first = load_store(folder, read_only=True)
    second = load_store(folder, read_only=True)
    assert len(first) == len(second) > 0
    code, out, err = _invoke("query", "meeting", "--store", str(folder), "-f", "csv")
    assert code == 0, err
    assert "2020-12-26" in out
    assert _invoke("stats", "--store", str(folder))[0] == 0


def test_a_writer_holding_a_stale_store_is_named(tmp_path: Path) -> None:
    import pyoxigraph as ox

    folder = tmp_path / "store"
    assert _invoke("stats", "--store", str(folder))[0] == 0
    (folder / "mca-kg-fingerprint").write_text("stale")
    writer = ox.Store(str(folder))  # another kg, rebuilding it

    def data() -> dict[str, tuple[str, str]]:  # RocksDB rotates its own LOG on every open
        return {k: v for k, v in _snapshot(folder).items() if not k.startswith("LOG")}

    before = data()
    code, _, err = _invoke("stats", "--store", str(folder))
    assert code == 2
    assert "another kg is writing this store" in err and len(err.splitlines()) == 1
    assert data() == before
    del writer


def test_a_stale_store_that_cannot_be_opened_is_rebuilt(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / "mca-kg-fingerprint").write_text("loading")  # kg's, killed while writing
    (folder / "CURRENT").write_text("MANIFEST-000099\n")
    code, out, err = _invoke("stats", "--store", str(folder))
    assert code == 0, err
    assert (folder / "mca-kg-fingerprint").read_text() == fingerprint()
    assert "triples" in out


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("path", ["silent", "drip"])
def test_a_service_call_on_the_embedded_store_has_a_deadline(
    tmp_path: Path, endpoint: Endpoint, engine: str, path: str
) -> None:
    """Neither embedded engine gives a SERVICE call a deadline; kg query gives the query
    --timeout. Without it, the call lasts as long as the endpoint holds on (12 s here)
    and ends in another error, or, with an endpoint that never lets go, never ends."""
    (tmp_path / "service.rq").write_text(
        f"SELECT * WHERE {{ SERVICE <{endpoint.url}/{path}> {{ ?s ?p ?o }} }}\n"
    )
    result = _run(["query", "service.rq", "--engine", engine, "--timeout", "1"], cwd=tmp_path)
    lines = result.stderr.decode().splitlines()
    assert lines == [
        "kg: error: service.rq: a SERVICE call gave no full answer within 1 s (--timeout)"
    ]
    assert result.returncode == 2
    assert endpoint.requests, "kg never asked the endpoint"
