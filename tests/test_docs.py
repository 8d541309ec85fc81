"""``kg docs`` and ``kg diagram``: documentation made from the triples, and a current diagram."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from kg import diagram, resources
from kg.catalogue import all_queries
from kg.docs import write_docs
from kg.namespaces import MCA, SH
from tests.test_cli import kg, one_clean_line

SVG = resources.root() / "docs" / "ontology.svg"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("site")
    write_docs(directory)
    return directory


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    graph = Graph()
    for path in [*resources.ontology_files(), resources.shapes_file()]:
        graph.parse(path)
    return graph


def _local(iri: object) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def test_the_site_has_both_languages(site: Path) -> None:
    names = {p.name for p in site.iterdir()}
    assert {"index.html", "index.zh.html", "ontology.en.html", "ontology.zh.html"} <= names


def test_every_class_and_property_is_documented_by_pylode(site: Path, vocabulary: Graph) -> None:
    english = (site / "ontology.en.html").read_text(encoding="utf-8")
    terms = [
        t
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for t in vocabulary.subjects(RDF.type, kind)
        if str(t).startswith(str(MCA))
    ]
    assert len(terms) >= 60
    missing = [str(t) for t in terms if str(t) not in english]
    assert missing == []


def test_each_ontology_page_is_in_one_language(site: Path) -> None:
    english = (site / "ontology.en.html").read_text(encoding="utf-8")
    chinese = (site / "ontology.zh.html").read_text(encoding="utf-8")
    # mca:GrowthRate is labelled "growth rate"@en and "增长率"@zh
    assert "growth rate" in english and "增长率" not in english
    assert "增长率" in chinese and ">growth rate<" not in chinese


def test_every_shape_scheme_and_question_is_on_the_index(site: Path, vocabulary: Graph) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    shapes = {
        s
        for kind in (SH.NodeShape, SH.PropertyShape)
        for s in vocabulary.subjects(RDF.type, kind)
        if isinstance(s, URIRef)
    }
    assert len(shapes) == 32
    assert [s for s in shapes if f'id="shape-{_local(s)}"' not in index] == []
    schemes = set(vocabulary.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(schemes) == 9
    assert [s for s in schemes if str(s) not in index] == []
    queries = all_queries()
    assert [q.name for q in queries if f'id="query-{q.name}"' not in index] == []


def test_the_index_shows_each_indicators_unit(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    # the urban dibao standard is stated per month: 人均每月665元
    row = re.search(r'<tr id="ind:dibao-standard-monthly">.*?</tr>', index, re.S)
    assert row is not None
    assert "mcau:CNY-PER-MO" in row.group(0)


def test_the_chinese_index_speaks_chinese(site: Path) -> None:
    index = (site / "index.zh.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in index
    assert "概念体系" in index and "已存问题" in index
    assert "城乡保障标准（统一按年计）" in index  # title@zh of urban-rural-annual


def test_no_page_needs_the_network(site: Path) -> None:
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//[^"]*\.(css|js)', text), page.name
        assert not re.search(r"<script[^>]+src=", text), page.name


def test_the_checked_in_diagram_is_current() -> None:
    """Fails when the ontology changed and docs/ontology.svg was not redrawn (kg diagram)."""
    assert diagram.is_current(SVG.read_text(encoding="utf-8"))


def test_the_diagram_shows_every_class(vocabulary: Graph) -> None:
    svg = SVG.read_text(encoding="utf-8")
    root = ET.fromstring(svg[svg.index("<svg") :])
    titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
    classes = [
        f"mca:{_local(c)}"
        for c in vocabulary.subjects(RDF.type, OWL.Class)
        if str(c).startswith(str(MCA))
    ]
    assert len(classes) == 31
    assert [c for c in classes if c not in titles] == []
    assert "mca:GrowthRate&#45;&gt;mca:Figure" in svg  # the subclass arrow


def test_a_changed_ontology_makes_the_diagram_stale() -> None:
    graph = diagram.ontology_graph()
    graph.add((MCA.Extra, RDF.type, OWL.Class))
    assert not diagram.is_current(SVG.read_text(encoding="utf-8"), graph)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_draws_the_source() -> None:
    svg = diagram.render_svg(diagram.dot_source())
    assert diagram.is_current(svg)
    ET.fromstring(svg[svg.index("<svg") :])


def test_kg_diagram_check() -> None:
    code, _out, err = kg("diagram", "--check", "-o", str(SVG))
    assert code == 0, err


def test_kg_diagram_check_of_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "old.svg"
    stale.write_text("<!-- dot-source-sha256: " + "0" * 64 + " -->\n<svg/>", encoding="utf-8")
    code, _out, err = kg("diagram", "--check", "-o", str(stale))
    assert code == 1
    assert "out of date" in one_clean_line(err)


def test_kg_diagram_check_of_a_missing_file(tmp_path: Path) -> None:
    code, _out, err = kg("diagram", "--check", "-o", str(tmp_path / "none.svg"))
    assert code == 2
    assert "cannot read" in one_clean_line(err)


def test_kg_diagram_dot_to_stdout() -> None:
    code, out, _err = kg("diagram", "-f", "dot", "-o", "-")
    assert code == 0
    assert out == diagram.dot_source()


def test_kg_docs_writes_the_site(tmp_path: Path) -> None:
    code, _out, err = kg("docs", "-o", str(tmp_path / "site"))
    assert code == 0, err
    assert (tmp_path / "site" / "index.zh.html").is_file()
    assert "INFO" not in err  # pyLODE's progress log is not the user's business


def test_kg_docs_into_a_file_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _out, err = kg("docs", "-o", str(blocker / "site"))
    assert code == 2
    assert "cannot create" in one_clean_line(err)
