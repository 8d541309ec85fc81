"""``kg docs`` and ``kg diagram``: documentation made from the triples, and a current diagram."""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

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
    assert len(shapes) == 36  # the named shapes of ontology/shapes.ttl
    assert [s for s in shapes if f'id="shape-{_local(s)}"' not in index] == []
    schemes = set(vocabulary.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(schemes) == 9
    shown = index.replace("<wbr>", "")  # long IRIs may break after / and #
    assert [s for s in schemes if str(s) not in shown] == []
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
    assert len(classes) == 36  # the classes of ontology/mca-kg.ttl
    assert [c for c in classes if c not in titles] == []
    assert "mca:GrowthRate&#45;&gt;mca:Change" in svg  # the subclass arrow


def test_a_changed_ontology_makes_the_diagram_stale() -> None:
    graph = diagram.ontology_graph()
    graph.add((MCA.Extra, RDF.type, OWL.Class))
    assert not diagram.is_current(SVG.read_text(encoding="utf-8"), graph)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_draws_every_class(vocabulary: Graph) -> None:
    svg = diagram.render_svg(diagram.dot_source())
    root = ET.fromstring(svg[svg.index("<svg") :])
    titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
    classes = {
        f"mca:{_local(c)}"
        for c in vocabulary.subjects(RDF.type, OWL.Class)
        if str(c).startswith(str(MCA))
    }
    assert classes and classes <= titles
    # mca:GrowthRate rdfs:subClassOf mca:Change: the hollow arrow between them
    assert "mca:GrowthRate&#45;&gt;mca:Change" in svg


def _fake_dot(tmp_path: Path, script: str, monkeypatch: pytest.MonkeyPatch) -> None:
    dot = tmp_path / "dot"
    dot.write_text(script, encoding="utf-8")
    dot.chmod(0o755)
    monkeypatch.setattr(diagram.shutil, "which", lambda name: str(dot))


def test_a_failing_dot_says_what_it_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dot(
        tmp_path,
        "#!/bin/sh\necho 'Error: <stdin>: syntax error in line 3' >&2\nexit 1\n",
        monkeypatch,
    )
    code, _out, err = kg("diagram", "-o", str(tmp_path / "out.svg"))
    assert code == 2
    assert one_clean_line(err) == "kg: error: dot failed: Error: <stdin>: syntax error in line 3"


def test_a_dot_that_cannot_run_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dot(tmp_path, "not a program", monkeypatch)
    (tmp_path / "dot").chmod(0o644)
    code, _out, err = kg("diagram", "-o", str(tmp_path / "out.svg"))
    assert code == 2
    assert "cannot run" in one_clean_line(err)


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


def test_kg_diagram_check_of_a_file_that_is_not_text(tmp_path: Path) -> None:
    binary = tmp_path / "picture.svg"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    code, _out, err = kg("diagram", "--check", "-o", str(binary))
    assert code == 2
    assert "not UTF-8" in one_clean_line(err)


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


def test_the_docs_are_the_same_whatever_the_hash_seed(tmp_path: Path) -> None:
    """pyLODE lists what it meets in the order it meets it: the page must not hang on hashing."""
    import subprocess
    import sys

    for seed in ("1", "2"):
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; "
                "from kg.docs import write_docs; write_docs(Path(sys.argv[1]))",
                str(tmp_path / seed),
            ],
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=resources.root(),
            timeout=600,
        )
    first = {p.name: p.read_bytes() for p in (tmp_path / "1").iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "2").iterdir()}
    assert "ontology.en.html" in first
    assert [n for n in first if first[n] != second.get(n)] == []


def test_the_pylode_title_is_the_ontologys_title(site: Path, vocabulary: Graph) -> None:
    ontology = URIRef("https://w3id.org/mca-kg/def")
    for lang in ("en", "zh"):
        title = next(
            t
            for t in vocabulary.objects(ontology, DCTERMS.title)
            if getattr(t, "language", "") == lang
        )
        page = (site / f"ontology.{lang}.html").read_text(encoding="utf-8")
        assert f"<h1>{title}</h1>" in page


def test_the_pylode_contents_do_not_cover_the_text_on_a_phone(site: Path) -> None:
    page = (site / "ontology.en.html").read_text(encoding="utf-8")
    style = page[page.index("@media (max-width: 45rem)") : page.index("</head>")]
    assert "#toc { position: static" in style


def test_the_units_are_named_and_their_factors_read_as_numbers(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    # QUDT names unit:NUM "Number" (#) and unit:PERCENT "Percent" (%); the notice's 人均每月
    # (yuan per month) is twelve to a year
    assert "<tr><td><code>unit:NUM</code></td><td>Number</td><td>#</td>" in index
    assert "<tr><td><code>unit:PERCENT</code></td><td>Percent</td><td>%</td>" in index
    row = re.search(r"<tr><td><code>mcau:CNY-PER-MO</code>.*?</tr>", index)
    assert row is not None and row.group(0).endswith('<td class="n">12</td></tr>')
    chinese = (site / "index.zh.html").read_text(encoding="utf-8")
    assert "<tr><td><code>unit:PERCENT</code></td><td>百分比</td><td>%</td>" in chinese


def test_the_shapes_sparql_is_dedented(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<article class="shape".*?</article>', index, re.S)
    queries = [q for b in blocks for q in re.findall(r"<pre><code>(.*?)</code></pre>", b, re.S)]
    assert queries
    for query in queries:
        lines = [line for line in query.splitlines() if line.strip()]
        assert min(len(line) - len(line.lstrip()) for line in lines) == 0, query


def test_the_diagram_has_a_description(site: Path, vocabulary: Graph) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    alt = re.search(r'<img src="ontology.svg" alt="([^"]+)"', index)
    assert alt is not None
    classes = [c for c in vocabulary.subjects(RDF.type, OWL.Class) if str(c).startswith(str(MCA))]
    assert f"its {len(classes)} classes" in alt.group(1) and "skos" in alt.group(1)


def test_english_on_the_chinese_index_is_marked_english(site: Path) -> None:
    index = (site / "index.zh.html").read_text(encoding="utf-8")
    # the parameters are documented in English only
    assert '<span lang="en">language of the labels, en or zh</span>' in index
    assert "default <code>en</code>" not in index  # "，默认 en", in Chinese


def test_no_diagram_is_said_on_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither Graphviz nor a current docs/ontology.svg: the pages go without, and say so."""
    from kg import docs
    from kg.errors import KgError

    def no_dot(source: str) -> str:
        raise KgError("Graphviz's dot is not installed")

    monkeypatch.setattr(docs.diagram, "render_svg", no_dot)
    monkeypatch.setattr(docs, "checked_in_diagram", lambda: tmp_path / "none.svg")
    code, _out, err = kg("docs", "-o", str(tmp_path / "site"))
    assert code == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("kg: warning:")]
    assert len(warnings) == 1 and "no diagram" in warnings[0] and "dot" in warnings[0]
    assert not (tmp_path / "site" / "ontology.svg").exists()
    assert "ontology.svg" not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", ["index.html", "index.zh.html"])
def test_each_question_opens_in_the_query_page_filled_in(site: Path, page: str) -> None:
    from html import unescape

    from tests.test_examples import assert_opens

    text = (site / page).read_text(encoding="utf-8")
    links = dict(
        re.findall(
            r'<article class="question" id="query-([^"]+)">.*?<a class="query-link" href="([^"]+)"',
            text,
            re.DOTALL,
        )
    )
    assert sorted(links) == sorted(q.name for q in all_queries())
    for query in all_queries():
        assert_opens(unescape(links[query.name]), query.text)
    assert "http://127.0.0.1:7878/" in text  # the lead says which page, the default


def test_kg_docs_query_page_names_another_page(tmp_path: Path) -> None:
    from html import unescape

    from tests.test_examples import assert_opens

    page = "https://example.org/oxigraph/"
    code, _out, err = kg("docs", "-o", str(tmp_path / "site"), "--query-page", page)
    assert code == 0, err
    text = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    (href,) = re.findall(
        r'<article class="question" id="query-meeting">.*?href="([^"]+)"', text, re.DOTALL
    )[:1]
    assert_opens(unescape(href), next(q for q in all_queries() if q.name == "meeting").text, page)
