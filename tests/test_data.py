"""The notice as data: the shipped text, the Turtle, every figure and its provenance.

The table below is a person's reading of the notice, written down once: each
figure's words, its normalised value, unit, scope and what it counts. It is kept
apart from the curation sheet on purpose, so that a slip in either is caught.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kg import resources
from kg.namespaces import MCA, OA, PROV, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE
from kg.pipeline import build_all, format_all

from .conftest import NOTICE, SOURCE_NAME

SOURCE_SHA256 = "e4b156c3cbde006c292a06642242d1f5d4a6a93d284265c1f0f58e38bddc9398"

CNY_MO = "https://w3id.org/mca-kg/unit/CNY-PER-MO"
CNY_YR = "https://w3id.org/mca-kg/unit/CNY-PER-YR"
NUM = "http://qudt.org/vocab/unit/NUM"
PCT = "http://qudt.org/vocab/unit/PERCENT"

# words in the notice -> (figure, value, unit, scope, statistical unit or None)
READING = [
    ("1936万", "registered-poor-covered", "19360000", NUM, "national", "person"),
    ("665元", "dibao-standard-urban", "665", CNY_MO, "urban", "person"),
    ("5842元", "dibao-standard-rural", "5842", CNY_YR, "rural", "person"),
    ("7.7%", "dibao-standard-urban-growth", "7.7", PCT, "urban", None),
    ("11.3%", "dibao-standard-rural-growth", "11.3", PCT, "rural", None),
    ("10775元", "tekun-standard-urban", "10775", CNY_MO, "urban", "person"),
    ("8230元", "tekun-standard-rural", "8230", CNY_MO, "rural", "person"),
    ("11.4%", "tekun-standard-urban-growth", "11.4", PCT, "urban", None),
    ("12.8%", "tekun-standard-rural-growth", "12.8", PCT, "rural", None),
    ("24.76万", "de-facto-orphans-covered", "247600", NUM, "national", "child"),
    ("1567.2元", "orphan-standard-institutional", "1567.2", CNY_MO, "national", "person"),
    ("1140元", "orphan-standard-dispersed", "1140", CNY_MO, "national", "person"),
    ("6.6%", "orphan-standard-institutional-growth", "6.6", PCT, "national", None),
    ("8.6%", "orphan-standard-dispersed-growth", "8.6", PCT, "national", None),
    ("1152.9万人", "disability-living-subsidy-recipients", "11529000", NUM, "national", "person"),
    ("1432.7万人", "disability-care-subsidy-recipients", "14327000", NUM, "national", "person"),
    ("66.1万人次", "vagrants-assisted", "661000", NUM, "national", "person-time"),
    ("12989人", "persons-reunited", "12989", NUM, "national", "person"),
    ("17916名", "long-stay-settled", "17916", NUM, "national", "person"),
    ("807.5万张", "elderly-care-beds", "8075000", NUM, "national", "bed"),
    ("7%", "elderly-care-beds-growth", "7", PCT, "national", None),
    ("96.4%", "facility-coverage-urban", "96.4", PCT, "urban", None),
    ("83.7%", "facility-coverage-rural", "83.7", PCT, "rural", None),
    ("17.7%", "facility-coverage-urban-growth", "17.7", PCT, "urban", None),
    ("37.6%", "facility-coverage-rural-growth", "37.6", PCT, "rural", None),
    ("1.8亿人", "registered-volunteers", "180000000", NUM, "national", "person"),
    ("超过13%", "volunteer-share", "13", PCT, "national", None),
    ("12项", "division-changes-approved", "12", NUM, "national", "item"),
    ("199个", "award-advanced-collectives", "199", NUM, "national", "organisation"),
    ("199位", "award-advanced-individuals", "199", NUM, "national", "person"),
    ("498位", "award-outstanding-community-workers", "498", NUM, "national", "person"),
]

# The notice says 人均每月 for these; the People's Daily report says 人均每年.
CORRECTED = {
    "tekun-standard-urban-annual": ("tekun-standard-urban", "10775", CNY_YR),
    "tekun-standard-rural-annual": ("tekun-standard-rural", "8230", CNY_YR),
}


def figure(name: str) -> URIRef:
    return URIRef(f"{NOTICE}obs-{name}")


def read_number(words: str) -> Decimal:
    """The number in a value passage, with 万 (10^4) and 亿 (10^8) expanded."""
    match = re.search(r"(\d+(?:\.\d+)?)\s*(万|亿)?", words)
    assert match, words
    multiplier = {"万": 10**4, "亿": 10**8}.get(match.group(2) or "", 1)
    return Decimal(match.group(1)) * multiplier


def selectors(graph: Graph, passage: URIRef) -> tuple[str, int | None, int | None]:
    exact, start, end = None, None, None
    for selector in graph.objects(passage, OA.hasSelector):
        if (selector, RDF.type, OA.TextQuoteSelector) in graph:
            exact = str(graph.value(selector, OA.exact))
        if (selector, RDF.type, OA.TextPositionSelector) in graph:
            start = int(graph.value(selector, OA.start))  # type: ignore[arg-type]
            end = int(graph.value(selector, OA.end))  # type: ignore[arg-type]
    assert exact is not None, passage
    return exact, start, end


def test_source_text_is_shipped_unchanged(source_text: str) -> None:
    path = resources.source_text_path(SOURCE_NAME)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == SOURCE_SHA256
    assert len(source_text) == 3122
    assert "全面推\n\n\n\n进" in source_text  # page-break artefacts are kept


@pytest.mark.parametrize(
    "path",
    [
        *resources.ontology_files(),
        resources.shapes_file(),
        resources.reference_file(),
        *resources.notice_files(),
    ],
    ids=lambda p: p.name,
)
def test_turtle_parses_in_rdflib_and_oxigraph(path) -> None:  # type: ignore[no-untyped-def]
    in_rdflib = len(Graph().parse(path, format="turtle"))
    in_oxigraph = sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    assert in_rdflib == in_oxigraph > 0


def test_notice_turtle_is_what_the_curation_sheet_builds() -> None:
    assert build_all(write=False) == []


def test_hand_written_turtle_is_in_house_style() -> None:
    assert format_all(write=False) == []


def test_every_position_selector_points_at_its_quote(notice: Graph, source_text: str) -> None:
    passages = list(notice.subjects(RDF.type, MCA.Passage))
    checked = 0
    for passage in passages:
        exact, start, end = selectors(notice, passage)  # type: ignore[arg-type]
        source = notice.value(passage, OA.hasSource)
        if (source, RDF.type, MCA.SourceText) not in notice:
            continue  # evidence from outside the notice has a quote but no offsets
        assert start is not None and end is not None, passage
        assert source_text[start:end] == exact, passage
        checked += 1
    assert checked >= 100


@pytest.mark.parametrize(
    "words,name,value,unit,scope,counted", READING, ids=[r[1] for r in READING]
)
def test_figure_matches_the_reading(
    notice: Graph, words: str, name: str, value: str, unit: str, scope: str, counted: str | None
) -> None:
    node = figure(name)
    assert notice.value(node, SDMX_MEASURE.obsValue).toPython() == Decimal(value)  # type: ignore[union-attr]
    assert str(notice.value(node, SDMX_ATTRIBUTE.unitMeasure)) == unit
    assert str(notice.value(node, MCA.areaScope)).endswith(f"/scope/{scope}")
    stat_unit = notice.value(node, SDMX_ATTRIBUTE.statUnit)
    assert (None if stat_unit is None else str(stat_unit).rsplit("/", 1)[1]) == counted
    assert str(notice.value(node, SDMX_DIMENSION.refPeriod)).endswith("/year/2020")
    exact, _, _ = selectors(notice, notice.value(node, MCA.valueSource))  # type: ignore[arg-type]
    assert exact == words
    assert read_number(exact) == Decimal(value)


def test_every_figure_of_the_notice_is_in_the_graph(notice: Graph) -> None:
    stated = {f for f in notice.subjects(RDF.type, MCA.Figure)} - {
        f for f in notice.subjects(RDF.type, MCA.CorrectedReading)
    }
    assert stated == {figure(name) for _, name, *_ in READING}
    assert len(stated) == 31
    growth = set(notice.subjects(RDF.type, MCA.GrowthRate))
    assert len(growth) == 9


def test_each_value_follows_from_its_quote(notice: Graph) -> None:
    """For every figure, the number in its value passage, 万 and 亿 expanded, is its value."""
    for node in notice.subjects(RDF.type, MCA.Figure):
        exact, _, _ = selectors(notice, notice.value(node, MCA.valueSource))  # type: ignore[arg-type]
        sentence, _, _ = selectors(notice, notice.value(node, PROV.wasDerivedFrom))  # type: ignore[arg-type]
        assert exact in sentence, node
        value = notice.value(node, SDMX_MEASURE.obsValue).toPython()  # type: ignore[union-attr]
        assert read_number(exact) == value, node


@pytest.mark.parametrize("name", sorted(CORRECTED))
def test_corrected_reading_sits_beside_the_figure_as_stated(notice: Graph, name: str) -> None:
    stated, value, unit = CORRECTED[name]
    node = figure(name)
    assert notice.value(node, MCA.corrects) == figure(stated)
    assert notice.value(node, SDMX_MEASURE.obsValue).toPython() == Decimal(value)  # type: ignore[union-attr]
    assert str(notice.value(node, SDMX_ATTRIBUTE.unitMeasure)) == unit
    assert str(notice.value(figure(stated), SDMX_ATTRIBUTE.unitMeasure)) == CNY_MO  # as stated
    sources = {
        str(notice.value(p, OA.hasSource)) for p in notice.objects(node, PROV.wasDerivedFrom)
    }
    assert "https://w3id.org/mca-kg/source/peoples-daily-2020-12-28" in sources


def test_growth_rates_qualify_their_figures(notice: Graph) -> None:
    for _, name, *_ in READING:
        if name.endswith("-growth"):
            node = figure(name)
            assert notice.value(node, MCA.qualifies) == figure(name.removesuffix("-growth"))
            assert str(notice.value(node, SDMX_ATTRIBUTE.basePer)).endswith("/year/2019")
            assert str(notice.value(node, MCA.changeType)).endswith("/change/relative")


def test_qualifiers_are_data(notice: Graph) -> None:
    assert str(notice.value(figure("volunteer-share"), MCA.valueQualifier)).endswith("/more-than")
    first = [f for f in notice.subjects(MCA.firstTime, None)]
    assert first == [figure("de-facto-orphans-covered")]
    zero_cases = URIRef(f"{NOTICE}statement-institutions-zero-cases")
    assert str(notice.value(zero_cases, MCA.valueQualifier)).endswith("/great-majority")
    assert notice.value(zero_cases, SDMX_MEASURE.obsValue) is None


def test_task_tree(notice: Graph) -> None:
    """Seven key tasks, one sub-task per clause of the notice: 5, 8, 4, 10, 8, 2, 2."""
    sizes = []
    for number in range(1, 8):
        key = URIRef(f"{NOTICE}task-{number}")
        assert (key, RDF.type, MCA.KeyTask) in notice
        sizes.append(len(list(notice.objects(key, MCA.hasSubTask))))
    assert sizes == [5, 8, 4, 10, 8, 2, 2]
    assert len(list(notice.subjects(RDF.type, MCA.YearEndArrangement))) == 7
    assert len(list(notice.subjects(RDF.type, MCA.Responsibility))) == 6


def test_every_figure_task_and_statement_has_its_passage(notice: Graph) -> None:
    for cls in (MCA.Figure, MCA.Task, MCA.Statement, MCA.Award):
        items = list(notice.subjects(RDF.type, cls))
        assert items, cls
        for item in items:
            passages = list(notice.objects(item, PROV.wasDerivedFrom))
            assert any((p, RDF.type, MCA.Passage) in notice for p in passages), item


def test_labels_in_both_languages(notice: Graph) -> None:
    for cls in (MCA.Figure, MCA.Task, MCA.Statement, MCA.Award, MCA.Meeting):
        for item in notice.subjects(RDF.type, cls):
            languages = sorted(label.language for label in notice.objects(item, RDFS.label))  # type: ignore[attr-defined]
            assert languages == ["en", "zh"], item


def test_on_disk_store_is_reused_until_the_files_change(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kg import dataset

    first = dataset.load_store(tmp_path / "store")
    count = len(first)
    del first
    marker = tmp_path / "store" / "mca-kg-fingerprint"
    assert marker.read_text() == dataset.fingerprint()
    calls = []
    monkeypatch.setattr(dataset, "_fill", lambda store, with_shapes=False: calls.append(store))
    again = dataset.load_store(tmp_path / "store")
    assert calls == [] and len(again) == count  # reused, not parsed again
    del again
    marker.write_text("stale")
    dataset.load_store(tmp_path / "store")
    assert len(calls) == 1  # rebuilt when the files it came from changed
