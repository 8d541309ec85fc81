"""``kg report``: the page shows the notice's numbers, each linked to its own words.

The expected numbers are read off the notice by hand (the sentence is quoted
beside each), not taken from the program's output.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kg.examples import DEFAULT_QUERY_PAGE
from kg.report import Bar, build_report, number, report_context, scaled, sentence_context
from tests.test_cli import kg, one_clean_line

# (number as the English page shows it, the words of the notice every link of that text opens)
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
    ("19,360,000", "1936万"),
    # 残疾人生活补贴和护理补贴分别惠及1152.9万人、1432.7万人
    ("11,529,000", "1152.9万人"),
    ("14,327,000", "1432.7万人"),
    # 24.76万事实无人抚养儿童首次纳入国家保障
    ("247,600", "24.76万"),
    # 救助流浪乞讨人员66.1万人次，帮助12989人成功寻亲，17916名长期滞留人员得到落户安置
    ("661,000", "66.1万人次"),
    ("12,989", "12989人"),
    ("17,916", "17916名"),
    # 各类养老床位数达到807.5万张，同比增长7%
    ("8,075,000", "807.5万张"),
    ("7%", "7%"),
    # 城乡社区综合服务设施覆盖率分别达到96.4%和83.7%，同比增长17.7%和37.6%
    ("96.4%", "96.4%"),
    ("83.7%", "83.7%"),
    ("17.7%", "17.7%"),
    ("37.6%", "37.6%"),
    # 注册志愿者达到1.8亿人，占居民人口比例超过13%
    ("180,000,000", "1.8亿人"),
    ("more than 13%", "超过13%"),
    # 审核完成12项行政区划调整事项
    ("12", "12项"),
    # 会议还表彰了199个……先进集体、199位先进个人和498位优秀城乡社区工作者
    ("498", "498位"),
]

# The same on the Chinese page, which counts in 万 and 亿 as the notice does.
STATED_ZH = [
    ("665", "665元"),
    ("5842", "5842元"),
    ("10775", "10775元"),
    ("8230", "8230元"),
    ("1567.2", "1567.2元"),
    ("1140", "1140元"),
    ("7.7%", "7.7%"),
    ("12.8%", "12.8%"),
    ("1936万", "1936万"),
    ("1152.9万", "1152.9万人"),
    ("1432.7万", "1432.7万人"),
    ("24.76万", "24.76万"),
    ("66.1万", "66.1万人次"),
    ("12989", "12989人"),
    ("17916", "17916名"),
    ("807.5万", "807.5万张"),
    ("7%", "7%"),
    ("83.7%", "83.7%"),
    ("17.7%", "17.7%"),
    ("1.8亿", "1.8亿人"),
    ("超过13%", "超过13%"),
    ("12", "12项"),
    ("498", "498位"),
]

# Two awards of 199: 199个……先进集体 (collectives), 199位先进个人 (individuals).
AWARDS = {
    "en": [("collective", "199个"), ("individual", "199位")],
    "zh": [("先进集体", "199个"), ("先进个人", "199位")],
}

# Urban and rural on one annual basis: dibao urban 665 a month is 7,980 a year, shown as
# computed with the 665 the notice states; the tekun standards are read per year (the
# notice's known error) and marked with a footnote.
ANNUAL = {
    "en": [
        ("7,980 (665 × 12)", "665", "665元"),
        ("5,842", "5,842", "5842元"),
        ("10,775†", "10,775", "10775元"),
        ("8,230†", "8,230", "8230元"),
    ],
    "zh": [
        ("7980（665 × 12）", "665", "665元"),
        ("5842", "5842", "5842元"),
        ("10775†", "10775", "10775元"),
        ("8230†", "8230", "8230元"),
    ],
}


class Page(HTMLParser):
    """What a page links and marks: number links, marked quotes, table rows, bar values."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (text, target) of a.num
        self.marks: dict[str, tuple[str, int, int]] = {}  # id -> (words, start, end)
        self.mark_ids: list[str] = []
        self.rows: list[list[tuple[str, list[tuple[str, str]]]]] = []  # cells: text, links
        self.bars: list[tuple[str, list[tuple[str, str]]]] = []  # bar value text, its links
        self.quote_links: list[tuple[str, str]] = []  # (href, aria-label) of a.quote-link
        self.external: list[str] = []
        self.query_links: list[str] = []  # href of a.query-link (the query page of kg serve)
        self.ids: set[str] = set()
        self._link: tuple[str, str, list[str]] | None = None  # class, href, text
        self._mark: str | None = None
        self._cell: list[str] | None = None
        self._cell_links: list[tuple[str, str]] = []
        self._bar: list[str] | None = None
        self._bar_links: list[tuple[str, str]] = []
        self._spans = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        classes = (a.get("class") or "").split()
        for name in ("href", "src"):
            value = a.get(name) or ""
            if tag == "a" and "query-link" in classes and value.startswith(DEFAULT_QUERY_PAGE):
                self.query_links.append(value)  # a link to follow, not a resource to load
            elif value.startswith(("http:", "https:", "//")):
                self.external.append(f"<{tag} {name}={value}>")
        if tag == "a":
            self._link = (" ".join(classes), a.get("href") or "", [])
            if "quote-link" in classes:
                self.quote_links.append((a.get("href") or "", a.get("aria-label") or ""))
        if tag == "mark" and a.get("id"):
            self._mark = a["id"]
            self.mark_ids.append(a["id"] or "")
            self.marks[self._mark or ""] = ("", int(a["data-start"] or 0), int(a["data-end"] or 0))
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell, self._cell_links = [], []
        if tag == "span" and self._bar is not None:
            self._spans += 1
        if tag == "span" and "bar-value" in classes:
            self._bar, self._bar_links, self._spans = [], [], 0

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            css, href, text = self._link
            pair = ("".join(text).strip(), href)
            if "num" in css.split():
                self.links.append(pair)
            if self._cell is not None:
                self._cell_links.append(pair)
            if self._bar is not None:
                self._bar_links.append(pair)
            self._link = None
        if tag == "mark":
            self._mark = None
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(("".join(self._cell).strip(), self._cell_links))
            self._cell = None
        if tag == "span" and self._bar is not None:
            if self._spans:
                self._spans -= 1
            else:
                self.bars.append(("".join(self._bar).strip(), self._bar_links))
                self._bar = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link[2].append(data)
        if self._mark is not None:
            words, start, end = self.marks[self._mark]
            self.marks[self._mark] = (words + data, start, end)
        if self._cell is not None:
            self._cell.append(data)
        if self._bar is not None:
            self._bar.append(data)

    def words(self, target: str) -> str:
        assert target.startswith("#"), target
        return self.marks[target[1:]][0]


def parsed(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def outside_quotes(html: str) -> str:
    """The page without the section of the notice's words (which holds all the Chinese)."""
    return re.sub(r'<section id="quotes">.*?</section>', "", html, flags=re.S)


def without_page_breaks(text: str) -> str:
    """The notice as a reader sees it: the line breaks its pages put inside words removed."""
    return re.sub(r"(?<=\w)\n+(?=\w)", "", text)


@pytest.fixture(scope="module")
def english() -> str:
    return build_report("en")


@pytest.fixture(scope="module")
def chinese() -> str:
    return build_report("zh")


@pytest.fixture(scope="module")
def pages(english: str, chinese: str) -> dict[str, Page]:
    return {"en": parsed(english), "zh": parsed(chinese)}


@pytest.fixture(scope="module")
def page(pages: dict[str, Page]) -> Page:
    return pages["en"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_number_links_to_marked_words_on_the_page(pages: dict[str, Page], lang: str) -> None:
    page = pages[lang]
    # the notice states 31 numbers (665元 … 498位); each opens its own words
    assert len({target for _text, target in page.links}) == 31
    missing = [(text, target) for text, target in page.links if target[1:] not in page.marks]
    assert missing == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_marked_quote_is_the_notice_at_its_offsets(
    pages: dict[str, Page], lang: str, source_text: str
) -> None:
    page = pages[lang]
    assert len(page.marks) >= 40
    assert len(page.mark_ids) == len(set(page.mark_ids)), "each passage is marked once"
    for anchor, (words, start, end) in page.marks.items():
        assert without_page_breaks(source_text[start:end]) == words, anchor


@pytest.mark.parametrize(("shown", "words"), STATED)
def test_every_link_of_a_stated_figure_opens_its_words(page: Page, shown: str, words: str) -> None:
    targets = [target for text, target in page.links if text == shown]
    assert targets, f"{shown} is not on the page as a link"
    assert {page.words(t) for t in targets} == {words}


@pytest.mark.parametrize(("shown", "words"), STATED_ZH)
def test_every_link_of_the_chinese_page_opens_its_words(
    pages: dict[str, Page], shown: str, words: str
) -> None:
    page = pages["zh"]
    targets = [target for text, target in page.links if text == shown]
    assert targets, f"{shown} is not on the Chinese page as a link"
    assert {page.words(t) for t in targets} == {words}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_two_awards_of_199_open_their_own_words(pages: dict[str, Page], lang: str) -> None:
    page = pages[lang]
    for name, words in AWARDS[lang]:
        (row,) = [r for r in page.rows if r and name in r[0][0]]
        links = [link for _text, cell_links in row for link in cell_links]
        assert [(text, page.words(target)) for text, target in links] == [("199", words)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_annual_comparison_shows_what_it_computed(pages: dict[str, Page], lang: str) -> None:
    page = pages[lang]
    bars = {text: links for text, links in page.bars}
    for shown, stated, words in ANNUAL[lang]:
        assert shown in bars, f"{shown} not among {list(bars)}"
        numbers = [(text, target) for text, target in bars[shown] if target != "#fn-corrected"]
        assert numbers == [(stated, numbers[0][1])]
        assert page.words(numbers[0][1]) == words
        if shown.endswith("†"):
            assert ("†", "#fn-corrected") in bars[shown]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_corrected_readings_are_a_visible_footnote(
    english: str, chinese: str, lang: str
) -> None:
    html = english if lang == "en" else chinese
    footnote = re.search(r'<p class="note footnote" id="fn-corrected">(.*?)</p>', html, re.S)
    assert footnote is not None
    assert 'href="#quality"' in footnote.group(1)
    assert "人均每年" in footnote.group(1)  # People's Daily's words, as the evidence says


def test_read_as_is_not_a_link_to_the_notices_per_month(page: Page) -> None:
    # 城乡特困人员基本生活标准分别达到人均每月10775元和8230元: the notice says per month,
    # so only the stated value may open these words; the reading per year is the graph's.
    header = next(r for r in page.rows if r and r[0][0] == "As stated")
    rows = page.rows[page.rows.index(header) + 1 : page.rows.index(header) + 3]
    for row in rows:
        stated, read_as, _why, source = row
        assert [page.words(t) for _x, t in stated[1]] in (["10775元"], ["8230元"])
        assert read_as[1] == [] and source[1] == []
        assert "人均每年10775元和8230元" in source[0]


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
    # one scale for the chart: the longest bar (10,775) is 100%
    assert tekun[0].share == pytest.approx(100.0)
    assert groups[0]["bars"][0].share == pytest.approx(7980 / 10775 * 100)


def test_tables_follow_the_notices_order(page: Page, source_text: str) -> None:
    header = next(r for r in page.rows if r and r[0][0] == "Figure" and "Counted" in r[2][0])
    rows = page.rows[page.rows.index(header) + 1 :]
    rows = rows[: next(i for i, r in enumerate(rows) if not r[1][1])]  # until the table ends
    starts = [page.marks[r[1][1][0][1][1:]][1] for r in rows]
    assert starts == sorted(starts)
    # 各类养老床位数达到807.5万张，同比增长7%: the growth is in the beds' own row
    beds = next(r for r in rows if r[1][0] == "8,075,000")
    assert beds[3][0] == "7%" and beds[4][0] == "2019"
    # 城乡社区综合服务设施覆盖率分别达到96.4%和83.7%，同比增长17.7%和37.6%
    rural = next(r for r in rows if r[1][0] == "83.7%")
    assert rural[3][0] == "37.6%"
    assert rural[2][0] == "", "no unit column repeating the % of the value"
    assert all(not r[0][0].endswith("growth, 2020") for r in rows), "growth is not a row of its own"


def test_the_count_chart_leaves_the_small_counts_to_the_table() -> None:
    context = report_context("en")
    # 1936万建档立卡贫困人口; 惠及1152.9万人、1432.7万人: the three largest counts of people
    assert [b.value for b in context["count_bars"]] == [19360000, 14327000, 11529000]
    # 24.76万事实无人抚养儿童, 12989人, 17916名: too small to draw beside them, in the table
    values = {row["value"] for row in context["counts"]}
    assert {"247,600", "12,989", "17,916"} <= values


def test_the_task_charts_count_sub_tasks_not_key_tasks_again() -> None:
    context = report_context("en")
    # 三要加强基本养老服务制度建设，健全居家社区养老支持政策，提高养老服务质量，
    # 加强养老服务专业队伍建设，统筹推进养老服务事业和产业协同发展: one key task, four sub-tasks
    elderly = next(b for b in context["by_area"] if b.label == "elderly care")
    assert elderly.value == 4
    assert elderly.shown == "4" and elderly.note == "+1 key task"
    # 一要 … 七要: 5 + 8 + 4 + 10 + 8 + 2 + 2 sub-tasks, one per clause
    assert context["subtask_total"] == 39


def _key_tasks_of_the_notice(source_text: str) -> list[tuple[str, list[str]]]:
    """The 一要 … 七要 paragraphs: each key task (its first clause) and its sub-tasks."""
    text = source_text.replace("\n", "")
    tasks = []
    for numeral in "一二三四五六七":
        match = re.search(numeral + r"要(.*?)。", text)
        assert match, numeral
        first, *rest = re.split(r"[，；]", match.group(1))
        tasks.append((first, rest))
    return tasks


def test_the_task_tree_is_the_notices_one_to_seven(source_text: str) -> None:
    expected = _key_tasks_of_the_notice(source_text)
    english = report_context("en")["tasks"]
    assert [len(t["subtasks"]) for t in english] == [len(rest) for _first, rest in expected]
    assert all(t["quote"] for t in english)
    chinese = report_context("zh")["tasks"]
    assert [(t["label"], [s["label"] for s in t["subtasks"]]) for t in chinese] == expected


def test_the_chinese_page_speaks_chinese(chinese: str, source_text: str) -> None:
    assert '<html lang="zh-Hans">' in chinese
    # what a reader sees: the links' targets (query texts, in English) are not read
    page = re.sub(r'href="[^"]*"', "", outside_quotes(chinese))
    for heading in ("概览", "保障标准", "保障对象及人数", "2021年七项重点任务", "数据质量", "姓名"):
        assert heading in page
    assert "最低生活保障（2020年，元/年）" in page
    assert "图符合其全部形状约束：0项违规，0项警告" in page
    for key_task, sub_tasks in _key_tasks_of_the_notice(source_text):
        assert key_task in page
        assert all(s in page for s in sub_tasks)
    for english in ("Assistance standards", "The seven key tasks", "Data quality", "Name"):
        assert english not in page


def test_the_posts_are_in_the_notices_order(chinese: str) -> None:
    # 民政部党组书记、部长李纪恒出席会议并讲话: secretary first, then minister
    assert "<td>民政部党组书记、民政部部长</td>" in re.sub(r"<td [^>]*>", "<td>", chinese)
    people = {p["name"]: p["posts"] for p in report_context("en")["people"]}
    assert people["Li Jiheng"] == [
        "Secretary of the Ministry's Leading Party Members' Group",
        "Minister of Civil Affairs",
    ]
    # 部党组成员、副部长唐承沛主持会议: member of the Party group first, then vice-minister
    assert people["Tang Chengpei"] == [
        "Member of the Ministry's Leading Party Members' Group",
        "Vice-Minister of Civil Affairs",
    ]


def test_people_and_participants_link_to_their_words(page: Page) -> None:
    targets = {href for href, _label in page.quote_links}
    words = {page.words(t) for t in targets}
    assert "民政部党组书记、部长李纪恒出席会议并讲话" in words
    assert "部党组成员、副部长唐承沛主持会议" in words
    assert "国家发展改革委、财政部、审计署等部门有关同志应邀出席会议" in words


def test_every_quote_link_says_what_it_quotes(pages: dict[str, Page]) -> None:
    for page in pages.values():
        assert len(page.quote_links) >= 59 + 2 + 10
        for _href, label in page.quote_links:
            prefix = next(
                p for p in ("The notice's words for: ", "通知原文：") if label.startswith(p)
            )
            assert len(label) > len(prefix), "names what it quotes"


def test_the_year_end_arrangements_and_the_six_duties_are_there(source_text: str) -> None:
    context = report_context("zh")
    # 会议明确了岁末年初有关工作安排，强调要严格落实安全生产责任制……要严格执行中央八项规定精神，
    # 确保廉洁过节、勤俭过节。: seven 要
    year_end = source_text[source_text.index("岁末年初") : source_text.index("会议还表彰")]
    assert year_end.count("要") == 7
    assert len(context["year_end"]) == 7
    # 全面履行 … 全面推动: six 全面 duties
    assert [d["label"][:2] for d in context["duties"]] == ["全面"] * 6
    assert context["duties"][0]["goal"] == "在增进民生福祉、促进共同富裕上展现新作为"


def test_the_overview_links_its_headline_numbers(english: str, page: Page) -> None:
    overview = re.search(r'<section id="overview">(.*?)</section>', english, re.S)
    assert overview is not None
    links = re.findall(r'<a class="big" href="(#[^"]+)"', overview.group(1))
    # 1936万建档立卡贫困人口; 注册志愿者达到1.8亿人; then the tasks and the quality sections
    assert [page.words(t) for t in links if t.startswith("#q-")][:2] == ["1936万", "1.8亿人"]
    assert "#tasks" in links and "#quality" in links


def test_each_sentence_is_one_block_with_all_its_numbers(english: str) -> None:
    # 城乡低保标准分别达到人均每月665元和每年5842元，同比增长7.7%和11.3%。
    sentence = r'<li class="sentence">(.*?)</li>\s*(?=<li class="sentence">|</ol>)'
    block = next(b for b in re.findall(sentence, english, re.S) if ">665元</mark>" in b)
    assert re.findall(r"<mark [^>]*>([^<]*)</mark>", block) == ["665元", "5842元", "7.7%", "11.3%"]
    assert 'href="#standards"' in block  # back to where the page uses them


def test_a_line_break_inside_a_sentence_is_not_its_end(source_text: str) -> None:
    # 全面推(four line breaks)进城乡社区治理现代化，
    # 在维护社会和谐稳定、夯实党的执政基础上实现新提升；
    start = source_text.index("进城乡社区治理现代化")
    before, after = sentence_context(source_text, start, start + 3)
    assert before.endswith("全面推\n\n\n\n") and before.startswith("全面推")
    assert after.endswith("实现新提升；")


def test_sentence_context_stops_at_the_sentence() -> None:
    text = "第一句。城乡低保标准达到665元，同比增长7.7%。第三句"
    start = text.index("665元")
    assert sentence_context(text, start, start + 4) == ("城乡低保标准达到", "，同比增长7.7%。")


def test_sentence_context_marks_a_cut() -> None:
    text = "甲" * 100 + "665元" + "乙" * 100 + "。"
    before, after = sentence_context(text, 100, 104)
    assert before == "…" + "甲" * 80 and after == "乙" * 80 + "…"


def test_numbers_are_read_the_way_of_each_language() -> None:
    # 1936万, 1.8亿, 24.76万, 807.5万张, 12989人 as the notice writes them
    chinese = [number(Decimal(n), "zh") for n in (19360000, 180000000, 247600, 8075000, 12989)]
    assert chinese == ["1936万", "1.8亿", "24.76万", "807.5万", "12989"]
    assert number(Decimal(19360000), "en") == "19,360,000"


def test_a_decline_is_drawn_as_a_decline() -> None:
    bars = scaled([Bar("up", Decimal("7.7"), []), Bar("down", Decimal("-3.85"), [])])
    assert [b.negative for b in bars] == [False, True]
    assert bars[1].share == pytest.approx(50.0)


def test_the_page_needs_no_network(english: str, page: Page) -> None:
    assert page.external == []
    assert "<script" not in english
    assert "@import" not in english and "url(" not in english


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_stored_question_opens_in_the_query_page_filled_in(lang: str) -> None:
    from kg.catalogue import all_queries, check_registry
    from tests.test_examples import assert_opens

    context = report_context(lang)
    texts = {q.name: q.text for q in all_queries()}
    assert [q["name"] for q in context["questions"]] == list(texts)  # the catalogue's order
    for question in context["questions"]:
        assert_opens(question["link"], texts[question["name"]])
    assert [c["name"] for c in context["quality"]["checks"]] == sorted(check_registry())
    for check in context["quality"]["checks"]:
        assert_opens(check["link"], texts[check["name"]])


def test_the_page_links_each_question_once_and_each_check(english: str, page: Page) -> None:
    from kg.catalogue import check_registry, names

    assert len(page.query_links) == len(names()) + len(check_registry())
    assert 'id="questions"' in english and 'href="#questions"' in english


def test_kg_report_query_page_names_another_page(tmp_path: Path) -> None:
    from html import unescape

    from tests.test_examples import assert_opens

    target = tmp_path / "report.html"
    page = "https://example.org/oxigraph/"
    code, _out, err = kg("report", "-o", str(target), "--query-page", page)
    assert code == 0, err
    links = re.findall(r'class="query-link" href="([^"]+)"', target.read_text(encoding="utf-8"))
    assert links
    for link in links:
        assert unescape(link).startswith(page + "#query=")
    from kg.catalogue import all_queries

    last = all_queries()[-1]  # the questions section comes after the checks, in catalogue order
    assert_opens(unescape(links[-1]), last.text, page)


def test_the_page_links_the_other_language(english: str, chinese: str) -> None:
    assert '<a href="report.zh.html" hreflang="zh-Hans"' in english
    assert "kg report --lang zh -o report.zh.html" in english
    assert '<a href="report.html" hreflang="en"' in chinese


def test_charts_are_figures_whose_values_are_read_out(english: str) -> None:
    assert 'role="img"' not in english
    assert english.count('<figure class="chart') == 6


def test_chips_say_what_they_are_beyond_colour(english: str) -> None:
    assert '<span class="chip area"><span class="chip-kind">area</span> elderly care' in english
    assert '<span class="chip group"><span class="chip-kind">group</span> older people' in english


def test_the_page_shows_the_data_quality(english: str) -> None:
    assert "The graph conforms to its shapes: 0 violations, 0 warnings" in english
    assert "Check: implausible assistance standards" in english
    assert "人均每年10775元和8230元" in english  # the People's Daily evidence


def test_the_data_quality_is_that_of_the_store_shown() -> None:
    """Validation runs on the store the page is made from, not on the shipped files."""
    import pyoxigraph as ox

    from kg.dataset import load_store

    store = load_store()
    store.add(
        ox.Quad(
            ox.NamedNode("https://example.org/a-figure-without-value-unit-or-label"),
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("https://w3id.org/mca-kg/def#Figure"),
            ox.NamedNode("https://w3id.org/mca-kg/graph/mca-2020-12-26"),
        )
    )
    quality = report_context("en", store)["quality"]
    assert not quality["conforms"] and quality["violations"] > 0


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


def test_kg_report_to_an_empty_name_is_one_line() -> None:
    code, _out, err = kg("report", "-o", "")
    assert code == 2
    assert "empty" in one_clean_line(err)


def test_kg_report_unknown_language() -> None:
    code, _out, err = kg("report", "--lang", "fr")
    assert code == 2
    line = one_clean_line(err)
    assert line.startswith("kg: error: ") and "'fr'" in line
