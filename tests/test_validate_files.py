"""``kg validate FILES``: the files' own triples are validated, whatever graph they name."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.dump import export
from kg.namespaces import SDMX_ATTRIBUTE
from kg.shacl import validate

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
    ("fmt", "suffix"), [(ox.RdfFormat.N_QUADS, ".nq"), (ox.RdfFormat.TRIG, ".trig")]
)
def test_an_edited_export_is_validated_in_its_own_graphs(
    tmp_path: Path, fmt: ox.RdfFormat, suffix: str
) -> None:
    # kg export puts the notice's triples in the notice's graph name; validating the edited
    # file must see them, not drop them with the shipped notice's graph
    path, figures = edited_export(tmp_path, fmt, suffix)
    report = validate([path])
    assert not report.conforms
    missing = {f.focus for f in report.findings if f.shape == SHAPES + "FigureUnit"}
    assert missing == figures
