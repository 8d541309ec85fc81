"""``kg ingest``: rule-based extraction of a new notice into a draft graph.

The expected extractions of the fixture notices (tests/fixtures/ingest/*.txt)
were written by hand from the texts, not copied from the extractor's output.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF

from kg import ingest, resources
from kg.cli import main
from kg.namespaces import MCA, OA, doc_namespace

from .conftest import FIXTURES, SOURCE_NAME

INGEST = FIXTURES / "ingest"
ROOT = Path(__file__).resolve().parent.parent

# (value, unit, scope, period, indicator, qualifier, value passage)
Row = tuple[str, str | None, str | None, int | None, str | None, str | None, str]

EXPECTED_FIGURES: dict[str, list[Row]] = {
    # a figure per month beside one per year in one sentence; 城乡 … 分别; a stated year
    "standards.txt": [
        ("720", "CNY-PER-MO", "urban", 2022, "dibao-standard-monthly", None, "720元"),
        ("6800", "CNY-PER-YR", "rural", 2022, "dibao-standard-annual", None, "6800元"),
        ("9600", "CNY-PER-YR", None, 2022, "tekun-standard-annual", None, "9600元"),
        ("1300", "CNY-PER-MO", None, 2022, "orphan-standard-monthly", None, "1300元"),
        ("100", "PERCENT", "urban", 2022, "facility-coverage", None, "100%"),
        ("90.5", "PERCENT", "rural", 2022, "facility-coverage", None, "90.5%"),
    ],
    # lower bounds, 约, a Chinese numeral, person-times, an unknown indicator
    "bounds-ranges.txt": [
        ("5000000", "NUM", None, 2021, "registered-volunteers", "more-than", "超过500万人"),
        ("125000", "NUM", None, 2021, "elderly-care-beds", "at-least", "12.5万张"),
        ("35000", "NUM", None, 2021, "persons-covered", "approximately", "3.5万名"),
        ("32", "NUM", None, 2021, "division-changes-approved", None, "三十二项"),
        ("86000", "NUM", None, 2021, "person-times-assisted", None, "8.6万人次"),
        ("460000", "NUM", None, 2021, None, None, "46万人"),
    ],
    # a table flattened to lines: subject, tab, value with its unit
    "table.txt": [
        ("752", "CNY-PER-MO", "urban", 2022, "dibao-standard-monthly", None, "752元/人·月"),
        ("6985", "CNY-PER-YR", "rural", 2022, "dibao-standard-annual", None, "6985元/人·年"),
        ("9800", "CNY-PER-YR", "rural", 2022, "tekun-standard-annual", None, "9800元/人·年"),
        ("8294000", "NUM", None, 2022, "elderly-care-beds", None, "829.4万张"),
    ],
    # 八项规定, 两个维护, dates and list markers are not figures
    "tasks.txt": [],
    # a statistical bulletin: counts with no indicator in the ontology are flagged, not
    # guessed; 全年…支出1801.5亿元 is a total (kept for review), not 元/年
    "bulletin.txt": [
        ("6824000", "NUM", "urban", 2022, None, None, "682.4万人"),
        ("33496000", "NUM", "rural", 2022, None, None, "3349.6万人"),
        ("752.3", "CNY-PER-MO", "urban", 2022, "dibao-standard-monthly", None, "752.3元/人·月"),
        ("6985.2", "CNY-PER-YR", "rural", 2022, "dibao-standard-annual", None, "6985.2元/人·年"),
        ("4354000", "NUM", None, 2022, None, None, "435.4万人"),
        ("387000", "NUM", None, 2022, None, None, "38.7万个"),
        ("8294000", "NUM", None, 2022, "elderly-care-beds", None, "829.4万张"),
        ("565000", "NUM", None, 2022, None, None, "56.5万个"),
        ("100", "PERCENT", "urban", 2022, "facility-coverage", None, "100%"),
        ("84.6", "PERCENT", "rural", 2022, "facility-coverage", None, "84.6%"),
        ("523000", "NUM", None, 2022, "person-times-assisted", None, "52.3万人次"),
        ("892000", "NUM", None, 2022, None, None, "89.2万个"),
    ],
}

# (growth value, change type, value of the figure it qualifies)
EXPECTED_GROWTHS = {
    "standards.txt": [
        ("5.2", "relative", "720"),
        ("6.1", "relative", "6800"),
        ("4", "relative", "9600"),
        ("3.2", "percentage-points", "90.5"),
    ],
    "bounds-ranges.txt": [("-2.1", "relative", "86000")],
    "table.txt": [],
    "tasks.txt": [],
    # a growth rate in the second clause qualifies the figure just before it
    "bulletin.txt": [
        ("5.2", "relative", "752.3"),
        ("8.2", "relative", "6985.2"),
        ("0.5", "percentage-points", "892000"),
    ],
}

# (quote, why it needs review): kept, never typed
EXPECTED_ITEMS = {
    "bulletin.txt": [
        ("1801.5亿元", "no period"),
        ("683.5万", "without a unit"),  # 万对 (couples): no such unit
        ("10.6%", "no figure"),  # so its growth rate has nothing to qualify
    ],
    "bounds-ranges.txt": [
        ("3000至5000元", "range"),
        ("2.4亿元", "no period"),
    ],
}


def _draft(name: str) -> ingest.Draft:
    return ingest.extract((INGEST / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED_FIGURES))
def test_figures(name: str) -> None:
    draft = _draft(name)
    got = [
        (f.value, f.unit, f.scope, f.period, f.indicator, f.qualifier, f.value_span.text)
        for f in draft.figures
    ]
    assert got == EXPECTED_FIGURES[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_GROWTHS))
def test_growth_rates(name: str) -> None:
    draft = _draft(name)
    got = [(g.value, g.change, g.qualifies.value) for g in draft.growths]
    assert got == EXPECTED_GROWTHS[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_ITEMS))
def test_ranges_and_untyped_amounts_are_kept_for_review(name: str) -> None:
    got = [(i.quote.text, i.note) for i in _draft(name).items]
    assert len(got) == len(EXPECTED_ITEMS[name])
    for (quote, note), (want_quote, want_word) in zip(got, EXPECTED_ITEMS[name], strict=True):
        assert quote == want_quote and want_word in note


def test_unknown_indicator_is_flagged_not_guessed() -> None:
    figure = _draft("bounds-ranges.txt").figures[-1]
    assert figure.indicator is None and figure.notes
    graph = ingest.draft_graph(_draft("bounds-ranges.txt"), "t")
    flagged = set(graph.subjects(MCA.reviewStatus, Literal(ingest.NEEDS_REVIEW)))
    assert doc_namespace("t")["obs-6"] in flagged
    assert doc_namespace("t")["item-1"] in flagged


def test_first_time() -> None:
    draft = ingest.extract("2021年，24.76万事实无人抚养儿童首次纳入国家保障。")
    (figure,) = draft.figures
    assert (figure.value, figure.unit, figure.stat_unit, figure.first_time) == (
        "247600",
        "NUM",
        "child",
        True,
    )


def test_rising_to_a_value_is_a_level_not_a_change() -> None:
    draft = ingest.extract("2021年，城市社区综合服务设施覆盖率提高到98%，比上年提高2个百分点。")
    assert [(f.value, f.indicator) for f in draft.figures] == [("98", "facility-coverage")]
    assert [(g.value, g.change) for g in draft.growths] == [("2", "percentage-points")]


def test_city_and_countryside_distribute_two_values() -> None:
    draft = ingest.extract("2021年城市和农村低保标准分别为每月800元和每月600元。")
    assert [(f.value, f.scope) for f in draft.figures] == [("800", "urban"), ("600", "rural")]


def test_tasks_in_a_numbered_list() -> None:
    draft = _draft("tasks.txt")
    got = [(t.number, t.quote.text, [s.text for s in t.subs], t.period) for t in draft.tasks]
    assert got == [
        (1, "一是加强低保动态管理", ["健全主动发现机制"], 2024),
        (2, "二是推进养老服务设施建设", ["提高护理型床位占比", "完善居家养老支持政策"], 2024),
        (3, "三是规范社会组织登记管理", [], 2024),
    ]


def test_people_and_agencies() -> None:
    draft = _draft("standards.txt")
    assert [(p.name, p.posts, p.org) for p in draft.people] == [
        ("张明华", ["厅长"], "省民政厅"),
        ("刘海涛", ["副厅长"], None),
    ]
    assert {a.name for a in draft.agencies} == {"某省民政厅", "省民政厅"}
    agencies = _draft("bounds-ranges.txt").agencies
    assert [(a.name, a.iri is not None) for a in agencies] == [
        ("各市民政局", False),
        ("国家统计局", False),
        ("财政部", True),
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED_FIGURES))
def test_every_passage_quotes_its_offsets(name: str) -> None:
    text = (INGEST / name).read_text(encoding="utf-8")
    graph = ingest.draft_graph(ingest.extract(text), "t", name)
    passages = list(graph.subjects(RDF.type, MCA.Passage))
    assert passages
    for passage in passages:
        selectors = list(graph.objects(passage, OA.hasSelector))
        exact = next(str(o) for s in selectors for o in graph.objects(s, OA.exact))
        start = next(int(o) for s in selectors for o in graph.objects(s, OA.start))
        end = next(int(o) for s in selectors for o in graph.objects(s, OA.end))
        assert text[start:end] == exact
    for node in graph.subjects(RDF.type, MCA.Figure):
        assert (node, PROV.wasDerivedFrom, None) in graph


def test_numbers() -> None:
    assert ingest.parse_number("1.8", "亿") == Decimal("180000000")
    assert ingest.parse_number("一千零五") == 1005
    assert ingest.decimal_text(Decimal("1.50")) == "1.5"


@pytest.mark.xfail(strict=True, reason="single-character Chinese numerals (三项) are skipped")
def test_known_miss_single_character_numeral() -> None:
    draft = ingest.extract("2021年全省共审核三项行政区划调整事项。")
    assert [(f.value, f.indicator) for f in draft.figures] == [("3", "division-changes-approved")]


@pytest.mark.xfail(strict=True, reason="余 after 万 (1万余人) is not read as a lower bound")
def test_known_miss_approximate_tail() -> None:
    draft = ingest.extract("2021年帮助1万余人成功寻亲。")
    assert [(f.value, f.qualifier) for f in draft.figures] == [("10000", "more-than")]


# ------------------------------------------------------------------ the shipped notice

#: Measured on data/source/000_c2c14dcc7c05f394.txt (the text the rules were written
#: against, so an in-sample score): (precision, recall) per kind.
MEASURED = {
    "figure": (1.0, 1.0),
    "growth rate": (1.0, 1.0),
    "task": (1.0, 1.0),
    "organisation": (0.875, 1.0),
}


@pytest.fixture(scope="module")
def scores() -> list[ingest.Score]:
    source = resources.source_text_path(SOURCE_NAME)
    sheet, notice = ingest.sheet_for(source)
    return ingest.evaluate(ingest.extract(source.read_text(encoding="utf-8")), sheet, notice)


def test_evaluation_meets_measured_thresholds(scores: list[ingest.Score]) -> None:
    for score in scores:
        precision, recall = MEASURED[score.kind]
        assert score.precision >= precision, score
        assert score.recall >= recall, score
    figure = scores[0]
    assert figure.precision >= 0.95 and figure.recall >= 0.95


@pytest.mark.xfail(
    strict=True,
    reason="党中央 and 国务院 are named in the notice but the curated graph does not record them",
)
def test_organisations_precision_is_perfect(scores: list[ingest.Score]) -> None:
    assert scores[3].precision == 1.0


def test_evaluation_document_is_up_to_date(tmp_path: Path) -> None:
    out = tmp_path / "evaluation.md"
    source = resources.source_text_path(SOURCE_NAME)
    result = CliRunner().invoke(
        main, ["ingest", str(source), "--evaluate", "--evaluation-output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == (ROOT / "docs" / "ingest-evaluation.md").read_text(
        encoding="utf-8"
    )


def test_cli_writes_a_draft_and_reports_review_work(tmp_path: Path) -> None:
    out = tmp_path / "draft.ttl"
    result = CliRunner().invoke(
        main, ["ingest", str(INGEST / "standards.txt"), "--id", "test-draft", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    graph = Graph().parse(out, format="turtle")
    assert len(list(graph.subjects(RDF.type, MCA.GrowthRate))) == 4
    assert "draft: 6 figures, 4 growth rates" in result.output
    assert "review:" in result.output and "mcash:" in result.output


def test_cli_missing_file_is_one_line_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "nothing.txt")])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "no such file" in result.output
