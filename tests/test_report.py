"""``kg report``: the page shows the notice's numbers, each linked to its own words.

The expected numbers are read off the notice by hand (the sentence is quoted
beside each), not taken from the program's output.
"""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kg.report import build_report, report_context, sentence_context
from tests.test_cli import kg, one_clean_line

# (number as the page shows it, the words of the notice it links to)
STATED = [
    # 城乡低保标准分别达到人均每月665元和每年5842元，同比增长7.7%和11.3%
    ("665", "665元"),
    ("5,842", "5842元"),
    ("7.7%", "7.7%"),
    ("11.3%", "11.3%"),
    # 城乡特困人员基本生活标准分别达到人均每月10775元和8230元，同比增长11.4%和12.8%
    ("10,775", "10775元"),
    ("8,230", "8230元"),
    ("11.4%", "11.4%"),
    ("12.8%", "12.8%"),
    # 集中养育孤儿和社会散居孤儿保障标准分别达到人均每月1567.2元和1140元，同比增长6.6%和8.6%
    ("1,567.2", "1567.2元"),
    ("1,140", "1140元"),
    ("6.6%", "6.6%"),
    ("8.6%", "8.6%"),
    # 1936万建档立卡贫困人口纳入救助保障范围
    ("19,360,000 person", "1936万"),
    # 残疾人生活补贴和护理补贴分别惠及1152.9万人、1432.7万人
    ("11,529,000 person", "1152.9万人"),
    ("14,327,000 person", "1432.7万人"),
    # 24.76万事实无人抚养儿童首次纳入国家保障
    ("247,600 child", "24.76万"),
    # 城乡社区综合服务设施覆盖率分别达到96.4%和83.7%，同比增长17.7%和37.6%
    ("96.4%", "96.4%"),
    ("37.6%", "37.6%"),
    # 注册志愿者达到1.8亿人，占居民人口比例超过13%
    ("180,000,000", "1.8亿人"),
    ("more than 13%", "超过13%"),
    # 会议还表彰了199个……先进集体、199位先进个人和498位优秀城乡社区工作者
    ("498 person", "498位"),
]

# Urban and rural on one annual basis: dibao urban 665 a month is 7,980 a year;
# the tekun standards are read per year (the notice's known error, DESIGN.md).
ANNUAL = [("7,980", "665元"), ("5,842", "5842元"), ("10,775", "10775元"), ("8,230", "8230元")]


class Page(HTMLParser):
    """The links of number class and the quotes (li ids with their marked words) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (text, target)
        self.quotes: dict[str, str] = {}  # id -> marked words
        self.positions: dict[str, str] = {}  # id -> "[start, end)"
        self.external: list[str] = []
        self._link: str | None = None
        self._text: list[str] = []
        self._quote: str | None = None
        self._in_mark = False
        self._in_where = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for name in ("href", "src"):
            value = a.get(name) or ""
            if value.startswith(("http:", "https:", "//")):
                self.external.append(f"<{tag} {name}={value}>")
        if tag == "a" and "num" in (a.get("class") or "").split():
            self._link, self._text = a.get("href") or "", []
        if tag == "li" and (a.get("id") or "").startswith("q-"):
            self._quote = a["id"]
        if tag == "mark" and self._quote:
            self._in_mark = True
            self.quotes[self._quote] = ""
        if tag == "span" and a.get("class") == "where" and self._quote:
            self._in_where = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self.links.append(("".join(self._text).strip(), self._link))
            self._link = None
        if tag == "mark":
            self._in_mark = False
        if tag == "span":
            self._in_where = False
        if tag == "li":
            self._quote = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._text.append(data)
        if self._in_mark and self._quote:
            self.quotes[self._quote] += data
        if self._in_where and self._quote:
            self.positions[self._quote] = data


@pytest.fixture(scope="module")
def english() -> str:
    return build_report("en")


@pytest.fixture(scope="module")
def page(english: str) -> Page:
    parsed = Page()
    parsed.feed(english)
    return parsed


def test_every_number_links_to_a_quote_on_the_page(page: Page) -> None:
    assert len(page.links) >= 40
    missing = [(text, target) for text, target in page.links if target[1:] not in page.quotes]
    assert missing == []


def test_every_quote_is_the_notice_at_its_offsets(page: Page, source_text: str) -> None:
    assert page.quotes
    for anchor, words in page.quotes.items():
        start, end = (int(n) for n in page.positions[anchor].strip("[)").split(","))
        assert source_text[start:end] == words, anchor


@pytest.mark.parametrize(("shown", "words"), STATED)
def test_a_stated_figure_links_to_its_words(page: Page, shown: str, words: str) -> None:
    targets = {target for text, target in page.links if text == shown}
    assert targets, f"{shown} is not on the page as a link"
    assert words in {page.quotes[t[1:]] for t in targets}


@pytest.mark.parametrize(("shown", "words"), ANNUAL)
def test_the_annual_comparison_links_to_the_stated_words(
    page: Page, shown: str, words: str
) -> None:
    assert words in {page.quotes[t[1:]] for text, t in page.links if text == shown}


def test_urban_and_rural_are_compared_on_one_annual_basis() -> None:
    groups = report_context("en")["urban_rural"]
    amounts = {g["title"]: [(b.label, b.value) for b in g["bars"]] for g in groups}
    assert amounts == {
        "minimum living guarantee (dibao), 2020 (yuan per year)": [
            ("urban", Decimal(7980)),
            ("rural", Decimal(5842)),
        ],
        "support for persons in extreme poverty (tekun), 2020 (yuan per year)": [
            ("urban", Decimal(10775)),
            ("rural", Decimal(8230)),
        ],
    }
    tekun = groups[1]["bars"]
    assert all(b.note for b in tekun), "the corrected readings are marked as such"
    # one scale for the chart: the longest bar (10,775) is 100%
    assert tekun[0].share == pytest.approx(100.0)
    assert groups[0]["bars"][0].share == pytest.approx(7980 / 10775 * 100)


def test_the_task_tree_has_seven_key_tasks_and_their_sub_tasks() -> None:
    tasks = report_context("en")["tasks"]
    # 2021 key tasks one to seven, with 5, 8, 4, 10, 8, 2 and 2 sub-tasks (one per clause)
    assert [len(t["subtasks"]) for t in tasks] == [5, 8, 4, 10, 8, 2, 2]
    assert tasks[2]["label"] == "Strengthen the basic elderly-care service system"
    assert all(t["quote"] for t in tasks)
    assert "elderly care" in tasks[2]["areas"]


def test_the_chinese_page_speaks_chinese() -> None:
    html = build_report("zh")
    assert '<html lang="zh-Hans">' in html
    assert "最低生活保障（2020年，元/年）" in html
    for words in ("保障标准", "巩固拓展脱贫攻坚兜底保障成果", "超过13%"):
        assert words in html


def test_the_page_needs_no_network(english: str, page: Page) -> None:
    assert page.external == []
    assert "<script" not in english
    assert "@import" not in english and "url(" not in english


def test_the_page_shows_the_data_quality(english: str) -> None:
    assert "The graph conforms to its shapes: 0 violations, 0 warnings" in english
    assert "Check: implausible assistance standards" in english
    assert "人均每年10775元和8230元" in english  # the People's Daily evidence


def test_sentence_context_stops_at_the_sentence() -> None:
    text = "第一句。城乡低保标准达到665元，同比增长7.7%。第三句"
    start = text.index("665元")
    assert sentence_context(text, start, start + 4) == ("城乡低保标准达到", "，同比增长7.7%。")


def test_kg_report_writes_the_page(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code, _out, err = kg("report", "-o", str(target), "--lang", "zh")
    assert code == 0, err
    assert "城乡低保标准" in target.read_text(encoding="utf-8")
    assert err.startswith(f"wrote {target}")


def test_kg_report_into_a_missing_directory_is_one_line(tmp_path: Path) -> None:
    code, _out, err = kg("report", "-o", str(tmp_path / "no" / "such" / "report.html"))
    assert code == 2
    assert "cannot write" in one_clean_line(err)


def test_kg_report_unknown_language() -> None:
    code, _out, err = kg("report", "--lang", "fr")
    assert code == 2
    assert "fr" in err and "Traceback" not in err
