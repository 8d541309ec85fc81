"""``kg validate FILES``: the files' own triples are validated, whatever graph they name."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.dump import export
from kg.namespaces import SDMX_ATTRIBUTE
from kg.shacl import ENGINES, validate

SHAPES = "https://w3id.org/mca-kg/shapes#"
UNIT = ox.NamedNode(str(SDMX_ATTRIBUTE.unitMeasure))


def edited_export(tmp_path: Path, fmt: ox.RdfFormat, suffix: str) -> tuple[Path, set[str]]:
    """``kg export -f nquads`` with the unit of every figure removed (in ``fmt``), and those
    figures."""
    quads = list(ox.parse(export("nquads"), format=ox.RdfFormat.N_QUADS))
    kept = [q for q in quads if q.predicate != UNIT]
    figures = {q.subject.value for q in quads if q.predicate == UNIT}
    assert figures and all(q.graph_name != ox.DefaultGraph() for q in quads)
    path = tmp_path / f"edited{suffix}"
    ox.serialize(kept, output=str(path), format=fmt)
    return path, figures


def test_the_unedited_export_conforms(tmp_path: Path) -> None:
    path = tmp_path / "export.nq"
    path.write_bytes(export("nquads"))
    report = validate([path])
    assert report.conforms, report.text()


@pytest.mark.parametrize(
    ("fmt", "suffix", "engine"),
    [
        (ox.RdfFormat.N_QUADS, ".nq", "sparql"),
        (ox.RdfFormat.TRIG, ".trig", "sparql"),
        (ox.RdfFormat.N_QUADS, ".nq", "oxigraph"),
        pytest.param(ox.RdfFormat.TRIG, ".trig", "pyshacl", marks=pytest.mark.slow),
    ],
)
def test_an_edited_export_is_validated_in_its_own_graphs(
    tmp_path: Path, fmt: ox.RdfFormat, suffix: str, engine: str
) -> None:
    # kg export puts the notice's triples in the notice's graph name; validating the edited
    # file must see them, not drop them with the shipped notice's graph. Every engine reads
    # the formats kg export writes (the rdflib ones used to read Turtle only).
    path, figures = edited_export(tmp_path, fmt, suffix)
    report = validate([path], engine=engine)
    assert not report.conforms
    missing = {f.focus for f in report.findings if f.shape == SHAPES + "FigureUnit"}
    assert missing == figures


RELATIVE_DATA = """\ufeffPREFIX ex: <http://example.org/>
<#alice> a ex:Person .
<#bob> a ex:Person ; ex:name "Bob" .
"""
RELATIVE_SHAPES = """PREFIX ex: <http://example.org/>
PREFIX sh: <http://www.w3.org/ns/shacl#>
ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;
  sh:property [ sh:path ex:name ; sh:minCount 1 ] .
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_relative_iris_resolve_against_the_file(tmp_path: Path, engine: str) -> None:
    # <#alice> in a local file is that file's IRI plus #alice, as every RDF tool reads it
    # (the W3C SHACL tests are written so); a BOM in front changes nothing
    data, shapes = tmp_path / "people.ttl", tmp_path / "shapes.ttl"
    data.write_text(RELATIVE_DATA, encoding="utf-8")
    shapes.write_text(RELATIVE_SHAPES, encoding="utf-8")
    report = validate([data], engine=engine, shapes=shapes)
    assert [f.focus for f in report.findings] == [data.resolve().as_uri() + "#alice"]
