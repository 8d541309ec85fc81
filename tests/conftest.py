"""Shared fixtures: the shipped source text, the graph in rdflib and in Oxigraph."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from kg import resources
from kg.dataset import load_dataset, load_store
from kg.dump import export
from kg.server import Server, ServerError, oxigraph_binary, start
from kg.shacl import Report, data_graph, validate_graph

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
SOURCE_NAME = "000_c2c14dcc7c05f394.txt"
NOTICE = "https://w3id.org/mca-kg/doc/mca-2020-12-26/"
#: others' conformance suites, beside the checkout on CI machines, never copied in
SUITES = TESTS.parent.parent / "shared" / "suites"


def _server_installed() -> bool:
    try:
        oxigraph_binary()
    except ServerError:
        return False
    return True


#: Tests that start Oxigraph's server: skipped, with how to get it, where it is not installed.
needs_server = pytest.mark.skipif(
    not _server_installed(),
    reason="the Oxigraph server is not installed: pip install -e '.[test]' brings it",
)


@pytest.fixture()
def writable(tmp_path: Path) -> Iterator[Server]:
    """An empty Oxigraph server that takes writes, on 127.0.0.1, stopped by its process id."""
    server = start(tmp_path / "empty", read_only=False)
    try:
        yield server
    finally:
        server.stop()
        assert server.process.poll() is not None


def suite(name: str) -> Path:
    """A file or folder of ``../shared/suites``: skipped where absent, except in CI.

    CI sets MCA_KG_REQUIRE_SUITES=1, and there a missing suite fails the test.
    """
    path = SUITES / name
    if not path.exists():
        if os.environ.get("MCA_KG_REQUIRE_SUITES"):
            pytest.fail(f"MCA_KG_REQUIRE_SUITES is set but {path} is missing")
        pytest.skip(f"no {name} at {path}: the suites lie beside the checkout, not in it")
    return path


@pytest.fixture(scope="session")
def exported_store() -> ox.Store:
    """What a user builds from the export: ``kg export -f nquads`` in a plain pyoxigraph store."""
    store = ox.Store()
    store.bulk_load(export("nquads"), format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="session")
def source_text() -> str:
    return resources.source_text_path(SOURCE_NAME).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="session")
def store() -> ox.Store:
    return load_store()


@pytest.fixture(scope="session")
def graph() -> Graph:
    """The union of ontology, reference data and notices, as validation sees it."""
    return data_graph()


@pytest.fixture(scope="session")
def pyshacl_data_report(graph: Graph) -> Report:
    """pySHACL alone on the shipped data: the slowest reference run, made once per session."""
    return validate_graph(graph, engine="pyshacl")


@pytest.fixture(scope="session")
def notice() -> Graph:
    return Graph().parse(resources.notice_files()[0], format="turtle")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the expected answers of the stored queries and the README's help blocks "
        "from the program's output. Only on purpose, and read every changed line before "
        "committing it.",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
