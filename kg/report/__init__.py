"""``kg report``: the notice as one self-contained HTML page.

The page is built from the graph alone: the stored questions of ``queries/``
where one answers what a section shows, and the queries of this folder (every
figure, every passage, the tasks, the people and the participants) for what the
page needs to lay them out. Every number on it links to the words of the notice
it was read from, marked in their sentence in the section "The words behind the
numbers"; a number the page computes (a monthly standard times 12) is shown as
computed, its link on the number the notice states.

The page needs no network: its style sheet is inlined and its charts are HTML
bars, not scripts, so it opens from a file, prints, and reads on a phone.

>>> html = build_report()
>>> "<!DOCTYPE html>" in html and 'href="#q-mca-2020-12-26-passage-314-318"' in html
True
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import resources
from kg.catalogue import LANGUAGES, parse
from kg.dataset import load_store
from kg.errors import InputError
from kg.examples import DEFAULT_QUERY_PAGE, check_query_page, query_page_link
from kg.html import render
from kg.namespaces import MCAU
from kg.query import run, run_oxigraph

HERE = Path(__file__).parent

#: What the page says in each language; labels of the data come from the graph.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "lang_other": "中文",
        "lang_other_code": "zh-Hans",
        "other_page": "report.zh.html",
        "other_command": "kg report --lang zh -o report.zh.html",
        "other_made": "The Chinese page (中文), beside this one:",
        "colon": ": ",
        "comma": ", ",
        "full_stop": ".",
        "list_sep": "; ",
        "open_paren": " (",
        "close_paren": ")",
        "overview": "Overview",
        "overview_lead": "The notice in a few numbers; each opens its words in the notice.",
        "key_tasks_card": "key tasks for 2021, with {subtasks} sub-tasks",
        "quality_card": "figures read differently from the notice; the graph has {violations} "
        "violations of its shapes",
        "standards": "Assistance standards",
        "standards_lead": (
            "Urban and rural standards on one annual basis: a monthly standard is shown times 12, "
            "next to the number the notice states. Bars are to scale within the chart; each "
            "number opens its words in the notice."
        ),
        "urban": "urban",
        "rural": "rural",
        "per_year": "yuan per year",
        "corrected_note": (
            "Read per year, although the notice says 每月 (per month): People's Daily reported "
            "the same meeting as 人均每年 (per year). Why, in "
        ),
        "corrected_mark": "read per year: see the footnote",
        "all_standards": "Every standard as stated, with its growth on the year before",
        "growth": "Growth of each standard on the year before",
        "counts": "Who is covered, and how many",
        "counts_lead": "The people the notice counts, and its other counts, rates and shares.",
        "big_counts": "The largest counts of people covered, to scale",
        "big_counts_note": (
            "Counts under a twentieth of the largest would be bars too short to see: "
            "they are in the table below."
        ),
        "all_counts": "Every count, rate and share, in the order of the notice",
        "counted": "Counted",
        "duties": "Six areas of responsibility",
        "duties_lead": (
            "What civil-affairs departments are to perform in full in the new stage, "
            "each with its goal."
        ),
        "goal": "Goal",
        "tasks": "The seven key tasks for 2021",
        "tasks_lead": (
            "Each key task with its sub-tasks (one per clause of the notice), "
            "the policy areas and the groups they concern."
        ),
        "by_area": "Sub-tasks by policy area",
        "by_group": "Sub-tasks by population group",
        "by_note": (
            "Bars count the {subtasks} sub-tasks; a sub-task in several areas or groups counts "
            "once in each. “+1 key task” when a key task itself names the area or group."
        ),
        "plus_key": "+{n} key task",
        "plus_keys": "+{n} key tasks",
        "chip_area": "area",
        "chip_group": "group",
        "chips_legend": (
            "Each task is tagged with its policy areas (area) and the groups it concerns (group)."
        ),
        "year_end": "Arrangements for the turn of the year",
        "year_end_lead": "What the meeting asked to be done over the year end.",
        "meeting": "The meeting and who took part",
        "people": "Who chaired and who spoke",
        "participants": "Who took part, and where",
        "awards": "Awards conferred",
        "quality": "Data quality",
        "quality_lead": (
            "What the SHACL shapes and the stored checks find in the graph, and the figures "
            "read differently from the notice."
        ),
        "conforms": "The graph conforms to its shapes",
        "not_conforms": "The graph does not conform to its shapes",
        "violations": "{n} violations",
        "warnings": "{n} warnings",
        "check": "Check",
        "rows": "Problems found",
        "corrected": "Figures read differently from the notice",
        "questions": "Ask the data",
        "questions_lead": (
            "The stored questions this page is made of, and the others: each opens in the "
            "query page of the endpoint kg serve starts ({page}), filled in and ready to run."
        ),
        "open_query": "Open in the query page",
        "quotes": "The words behind the numbers",
        "quotes_lead": (
            "Each sentence of the notice that a number or task on this page comes from, "
            "its words marked; ↩ goes back to where the page uses them. "
            "“…” marks where a long sentence is cut."
        ),
        "back": "Back to {section}",
        "full_text": "The whole notice",
        "figure": "Figure",
        "value": "Value",
        "unit": "Unit",
        "base": "Base period",
        "growth_col": "Growth",
        "role": "Role",
        "name": "Name",
        "person": "Name",
        "post": "Posts",
        "kind": "Kind",
        "recipients": "Recipients",
        "stated": "As stated",
        "reading": "Read as",
        "why": "Why",
        "source": "Source",
        "subtasks": "{n} sub-tasks",
        "quote": "quote",
        "quote_of": "The notice's words for: {label}",
        "words_col": "Words",
        "made_by": (
            "Made by mca-kg from the knowledge graph; every number links to its source words."
        ),
        "date": "Date",
        "form": "Form",
        "organiser": "Organiser",
    },
    "zh": {
        "lang_other": "English",
        "lang_other_code": "en",
        "other_page": "report.html",
        "other_command": "kg report -o report.html",
        "other_made": "英文页面（English）可在同一目录生成：",
        "colon": "：",
        "comma": "，",
        "full_stop": "。",
        "list_sep": "、",
        "open_paren": "（",
        "close_paren": "）",
        "overview": "概览",
        "overview_lead": "通知中的几个主要数字；点击数字可查看通知原文。",
        "key_tasks_card": "项2021年重点任务，含{subtasks}项子任务",
        "quality_card": "项数据未按通知原文理解；图谱违反形状约束{violations}项",
        "standards": "保障标准",
        "standards_lead": (
            "城乡标准统一按年计：月标准乘以12，并列出通知所述数字。同一图内条形按比例；"
            "点击数字可查看通知原文。"
        ),
        "urban": "城市",
        "rural": "农村",
        "per_year": "元/年",
        "corrected_note": (
            "按每年理解，虽然通知原文为“每月”：《人民日报》报道同一会议为“人均每年”。理由见"
        ),
        "corrected_mark": "按每年理解：见脚注",
        "all_standards": "各项标准（按原文）及其同比增长",
        "growth": "各项标准的同比增长",
        "counts": "保障对象及人数",
        "counts_lead": "通知所报告的保障人数，以及其他计数、比率和占比。",
        "big_counts": "保障人数最多的几项（按比例）",
        "big_counts_note": "不足最大值二十分之一的计数条形过短，难以看清，见下表。",
        "all_counts": "全部计数、比率和占比（按原文顺序）",
        "counted": "计量",
        "duties": "六个方面的职责",
        "duties_lead": "新时代新阶段民政部门要全面履行的职责及其目标。",
        "goal": "目标",
        "tasks": "2021年七项重点任务",
        "tasks_lead": "每项重点任务及其子任务（原文每个分句一项）、所属政策领域和涉及人群。",
        "by_area": "按政策领域统计子任务",
        "by_group": "按人群统计子任务",
        "by_note": (
            "条形统计{subtasks}项子任务；一项子任务涉及多个领域或人群的，在每个领域或人群中各计一次。"
            "“另有重点任务1项”表示重点任务本身也涉及该领域或人群。"
        ),
        "plus_key": "另有重点任务{n}项",
        "plus_keys": "另有重点任务{n}项",
        "chip_area": "领域",
        "chip_group": "人群",
        "chips_legend": "每项任务标注其政策领域（领域）和涉及人群（人群）。",
        "year_end": "岁末年初工作安排",
        "year_end_lead": "会议对岁末年初提出的工作要求。",
        "meeting": "会议及参会者",
        "people": "主持人和讲话人",
        "participants": "参会单位及会场",
        "awards": "表彰",
        "quality": "数据质量",
        "quality_lead": "SHACL形状约束和已存检查在图中发现的问题，以及未按通知原文理解的数据。",
        "conforms": "图符合其全部形状约束",
        "not_conforms": "图不符合其形状约束",
        "violations": "{n}项违规",
        "warnings": "{n}项警告",
        "check": "检查",
        "rows": "发现的问题",
        "corrected": "未按通知原文理解的数据",
        "questions": "向数据提问",
        "questions_lead": (
            "本页所依据的已存问题及其他问题：每个问题都可在 kg serve 所启动端点的查询页面"
            "（{page}）中打开，查询已填好，可直接运行。"
        ),
        "open_query": "在查询页面中打开",
        "quotes": "数字背后的原文",
        "quotes_lead": (
            "本页每个数字或任务所依据的通知原句，所引字词已标出；↩ 返回本页引用之处。"
            "长句截断处以“…”表示。"
        ),
        "back": "返回“{section}”",
        "full_text": "通知全文",
        "figure": "数据",
        "value": "数值",
        "unit": "单位",
        "base": "基期",
        "growth_col": "增长",
        "role": "角色",
        "name": "名称",
        "person": "姓名",
        "post": "职务",
        "kind": "类别",
        "recipients": "受表彰数",
        "stated": "原文",
        "reading": "理解为",
        "why": "理由",
        "source": "依据",
        "subtasks": "{n}项子任务",
        "quote": "原文",
        "quote_of": "通知原文：{label}",
        "words_col": "原文",
        "made_by": "由 mca-kg 根据知识图谱生成；每个数字都链接到其原文。",
        "date": "日期",
        "form": "形式",
        "organiser": "主办",
    },
}

#: The sections of the page, in order: (id, the key of its title in WORDS).
SECTIONS = (
    ("overview", "overview"),
    ("standards", "standards"),
    ("counts", "counts"),
    ("duties", "duties"),
    ("tasks", "tasks"),
    ("year-end", "year_end"),
    ("meeting", "meeting"),
    ("quality", "quality"),
    ("questions", "questions"),
    ("quotes", "quotes"),
)

_CONTEXT = 80  # at most this many characters of a sentence either side of its marked words
_SENTENCE_ENDS = "。！？；"
#: A count whose bar would be shorter than this share of the longest is left to the table.
_SMALLEST_BAR = Decimal(1) / 20


@dataclass
class Quote:
    """A passage of a source text: its exact words and where they are."""

    anchor: str
    exact: str
    start: int
    end: int
    file: str


@dataclass
class Use:
    """Where the page uses a quote: what for, and the section to go back to."""

    label: str
    section: str
    section_title: str


class Citations:
    """The quotes the page links to, each with where it is used, collected as rows are made.

    Only what is cited here is shown in "The words behind the numbers", so a
    quote is on the page exactly when something on the page links to it.
    """

    def __init__(self, quotes: dict[str, Quote], words: dict[str, str]) -> None:
        self.quotes = quotes
        self.by_anchor = {q.anchor: q for q in quotes.values()}
        self.words = words
        self.uses: dict[str, list[Use]] = {}

    def cite(self, anchor_or_iri: str, label: str, section: str) -> str:
        """Record that ``section`` links to a quote for ``label``; its anchor, or '' if none."""
        quote = self.by_anchor.get(anchor_or_iri) or self.quotes.get(anchor_or_iri)
        if quote is None:
            return ""
        title = self.words[dict(SECTIONS)[section]]
        use = Use(label, section, title)
        uses = self.uses.setdefault(quote.anchor, [])
        if use not in uses:
            uses.append(use)
        return quote.anchor


@dataclass
class Figure:
    iri: str
    label: str
    kind: str
    value: Decimal
    unit: str
    unit_label: str
    factor: Decimal | None
    period: str
    base_period: str
    scope: str
    program_label: str
    stat_unit_label: str
    qualifies: str
    corrects: str
    award: str
    quote: str  # anchor of its value passage, "" if it has none
    start: int  # where its value passage begins in the notice (for the notice's order)
    beneficiaries: bool = False
    qualifier: str = ""
    growth: Figure | None = None
    correction: Figure | None = None


def _text(term: Any) -> str:
    return "" if term is None else str(term.value)


def _select(store: ox.Store, name: str, lang: str | None) -> list[dict[str, Any]]:
    """Run one of this folder's queries, ``$lang`` bound to ``lang``."""
    query = parse(HERE / f"{name}.rq")
    bindings = {} if lang is None else {"lang": ox.Literal(lang)}
    return run_oxigraph(query, bindings, store).rows


def anchor(passage: str) -> str:
    """A page anchor for a passage IRI: ``q-`` and its document and local name.

    >>> anchor("https://w3id.org/mca-kg/doc/mca-2020-12-26/passage-314-318")
    'q-mca-2020-12-26-passage-314-318'
    """
    document, local = passage.rstrip("/").rsplit("/", 2)[-2:]
    return f"q-{document}-{local}"


def _letter(char: str) -> bool:
    return bool(char) and unicodedata.category(char)[0] in "LN"


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` as (start, end) offsets.

    A sentence ends after 。！？ or ；, or at a paragraph break. A line break
    between two letters is not one: the source breaks lines inside words where
    its pages broke (全面推, four line breaks, 进城乡社区治理现代化).

    >>> text = "标题\\n\\n“\\n\\n甲乙。全面推\\n\\n进城乡；丙"
    >>> [text[s:e] for s, e in sentences(text)]
    ['标题', '“', '甲乙。', '全面推\\n\\n进城乡；', '丙']
    """
    spans: list[tuple[int, int]] = []
    start = index = 0
    while index < len(text):
        char = text[index]
        if char == "\n":
            after = index
            while after < len(text) and text[after] == "\n":
                after += 1
            before = text[index - 1] if index else ""
            if not (_letter(before) and _letter(text[after : after + 1])):
                spans.append((start, index))
                start = after
            index = after
            continue
        index += 1
        if char in _SENTENCE_ENDS:
            spans.append((start, index))
            start = index
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _cut_before(words: str) -> str:
    return words if len(words) <= _CONTEXT else "…" + words[-_CONTEXT:]


def _cut_after(words: str) -> str:
    return words if len(words) <= _CONTEXT else words[:_CONTEXT] + "…"


def _cut_between(words: str) -> str:
    if len(words) <= 2 * _CONTEXT:
        return words
    return words[:_CONTEXT] + "…" + words[-_CONTEXT:]


def sentence_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The words of the sentence before and after ``text[start:end]``.

    Each side is cut at 80 characters, "…" marking the cut.

    >>> sentence_context("甲。城乡低保标准达到665元，同比增长。乙", 10, 14)
    ('城乡低保标准达到', '，同比增长。')
    """
    spans = sentences(text)
    first = next((s for s, e in spans if s <= start < e), start)
    last = next((e for s, e in spans if s < end <= e), end)
    return _cut_before(text[first:start]), _cut_after(text[end:last])


def unbroken(text: str) -> str:
    """``text`` without the line breaks its pages put inside a sentence (between two letters).

    >>> unbroken("全面推\\n\\n\\n\\n进城乡。\\n\\n强调")
    '全面推进城乡。\\n\\n强调'
    """
    out: list[str] = []
    index = 0
    while index < len(text):
        if text[index] != "\n":
            out.append(text[index])
            index += 1
            continue
        after = index
        while after < len(text) and text[after] == "\n":
            after += 1
        if not (_letter(text[index - 1 : index]) and _letter(text[after : after + 1])):
            out.append(text[index:after])
        index = after
    return "".join(out)


@dataclass
class Mark:
    quote: Quote
    uses: list[Use]

    @property
    def shown(self) -> str:
        """The marked words as a reader sees them (no page breaks inside)."""
        return unbroken(self.quote.exact)

    def short(self, label: str) -> str:
        """The marked words, cut at 12 characters, to name them beside ``label``.

        Nothing where the label is the words themselves (a task on the Chinese page).
        """
        words = self.shown
        if label and unbroken(label) in words:
            return ""
        return words if len(words) <= 12 else words[:11] + "…"

    @property
    def labels(self) -> list[tuple[str, list[Use]]]:
        """What the page uses these words for, each with the sections that use them."""
        grouped: dict[str, list[Use]] = {}
        for use in self.uses:
            sections = grouped.setdefault(use.label, [])
            if all(u.section != use.section for u in sections):
                sections.append(use)
        return list(grouped.items())


@dataclass
class Block:
    """One sentence (or a few, where a quote spans them) with its quoted words marked.

    ``parts`` alternates text and marks: a str is words of the notice between
    marks, a :class:`Mark` the words a number or task was read from.
    """

    start: int
    end: int
    parts: list[str | Mark] = field(default_factory=list)

    @property
    def marks(self) -> list[Mark]:
        return [p for p in self.parts if isinstance(p, Mark)]

    @property
    def section(self) -> Use | None:
        """The one section that uses every quote of the block, if there is one."""
        uses = [u for m in self.marks for u in m.uses]
        return uses[0] if uses and all(u.section == uses[0].section for u in uses) else None


def blocks(text: str, file: str, citations: Citations) -> list[Block]:
    """The sentences of ``text`` that hold cited quotes, each quote marked once."""
    spans = sentences(text)
    cited = sorted(
        (citations.by_anchor[a] for a in citations.uses if citations.by_anchor[a].file == file),
        key=lambda q: (q.start, q.end),
    )
    result: list[Block] = []
    marks: list[list[Quote]] = []
    for quote in cited:
        first = next((s for s, e in spans if s <= quote.start < e), quote.start)
        last = next((e for s, e in spans if s < quote.end <= e), quote.end)
        block = result[-1] if result else None
        if block is not None and first < block.end and quote.start >= marks[-1][-1].end:
            block.end = max(block.end, last)
            marks[-1].append(quote)
        else:
            result.append(Block(first, last))
            marks.append([quote])
    for block, quotes in zip(result, marks, strict=True):
        position = block.start
        for number, quote in enumerate(quotes):
            between = text[position : quote.start]
            between = unbroken(between)
            block.parts.append(_cut_before(between) if number == 0 else _cut_between(between))
            block.parts.append(Mark(quote, citations.uses[quote.anchor]))
            position = quote.end
        block.parts.append(_cut_after(unbroken(text[position : block.end])))
    return result


def _quotes(store: ox.Store) -> tuple[dict[str, Quote], dict[str, str]]:
    """Every passage with offsets, by IRI; and the source texts, by file name."""
    quotes: dict[str, Quote] = {}
    texts: dict[str, str] = {}
    for row in _select(store, "passages", None):
        name = _text(row["file"])
        if name not in texts:
            path = resources.source_text_path(name)
            try:
                texts[name] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise InputError(f"{path}: cannot read the source text: {error}") from error
        text = texts[name]
        start, end, exact = int(_text(row["start"])), int(_text(row["end"])), _text(row["exact"])
        if text[start:end] != exact:
            raise InputError(f"{_text(row['passage'])}: its offsets do not span its quote")
        iri = _text(row["passage"])
        quotes[iri] = Quote(anchor(iri), exact, start, end, name)
    return quotes, texts


def _figures(store: ox.Store, lang: str, quotes: dict[str, Quote]) -> list[Figure]:
    """Every figure, in the order the notice states them, growth and corrections attached."""
    figures: dict[str, Figure] = {}
    for row in _select(store, "figures", lang):
        quote = quotes.get(_text(row["value_passage"]))
        factor = _text(row["factor"])
        figure = Figure(
            iri=_text(row["figure"]),
            label=_text(row["label"]),
            kind=_text(row["kind"]),
            value=Decimal(_text(row["value"])),
            unit=_text(row["unit"]),
            unit_label=_text(row["unit_label"]),
            factor=Decimal(factor) if factor else None,
            period=_text(row["period"]),
            base_period=_text(row["base_period"]),
            scope=_text(row["scope"]),
            program_label=_text(row["program_label"]),
            stat_unit_label=_text(row["stat_unit_label"]),
            qualifies=_text(row["qualifies"]),
            corrects=_text(row["corrects"]),
            award=_text(row["award"]),
            quote=quote.anchor if quote else "",
            start=quote.start if quote else -1,
            beneficiaries=_text(row["beneficiaries"]) == "true",
            qualifier=_text(row["qualifier_label"]),
        )
        figures.setdefault(figure.iri, figure)  # a figure in two graphs is shown once
    for figure in figures.values():
        if figure.qualifies in figures:
            figures[figure.qualifies].growth = figure
        if figure.corrects in figures:
            figures[figure.corrects].correction = figure
    return sorted(figures.values(), key=lambda f: (f.start, f.iri))


@dataclass
class Part:
    """A piece of a value as shown: text, linked to a quote when ``href`` is set."""

    text: str
    href: str = ""
    title: str = ""
    css: str = "num"


@dataclass
class Bar:
    """One bar of a chart: its share of the longest bar, in percent, and its value as shown.

    A negative value is drawn as long as its size and marked ``negative``.
    """

    label: str
    value: Decimal
    parts: list[Part]
    share: float = 0.0
    tone: str = ""
    negative: bool = False
    note: str = ""  # said beside the label, not counted in the bar

    @property
    def shown(self) -> str:
        return "".join(p.text for p in self.parts)


def scaled(bars: list[Bar]) -> list[Bar]:
    """Set each bar's share of the largest size (charts start at zero).

    A decline is drawn as long as its size, marked negative (the page draws it
    hatched, its number keeps the minus sign).

    >>> bars = scaled([Bar("a", Decimal(4), []), Bar("b", Decimal(-2), [])])
    >>> [(b.share, b.negative) for b in bars]
    [(100.0, False), (50.0, True)]
    """
    top = max((abs(b.value) for b in bars), default=Decimal(0))
    for bar in bars:
        bar.share = float(abs(bar.value) / top * 100) if top else 0.0
        bar.negative = bar.value < 0
    return bars


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def number(value: Decimal, lang: str) -> str:
    """A number as people read it in ``lang``, without trailing zeros.

    English groups the digits. Chinese counts from 十万 up in 万 and from 一亿 up
    in 亿, as the notice writes them (1936万, 1.8亿), and leaves smaller numbers
    ungrouped (12989).

    >>> number(Decimal("19360000"), "en"), number(Decimal("1567.20"), "en")
    ('19,360,000', '1,567.2')
    >>> [number(Decimal(n), "zh") for n in ("19360000", "180000000", "247600", "12989", "-7.50")]
    ['1936万', '1.8亿', '24.76万', '12989', '-7.5']
    """
    sign = "-" if value < 0 else ""
    size = abs(value)
    if lang == "zh":
        for scale, word in ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")):
            scaled_size = size / scale
            if size >= scale * (1 if word == "亿" else 10) and _places(scaled_size) <= 4:
                return f"{sign}{_plain(scaled_size)}{word}"
        return sign + _plain(size)
    text = f"{size.normalize():,f}"
    return sign + (text.rstrip("0").rstrip(".") if "." in text else text)


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def shown(figure: Figure, lang: str) -> str:
    """A figure's value as the notice qualifies it, with its unit where that is a sign.

    12.8%, not 12.8 Percent; "more than 13%" where the notice says 超过13%.
    """
    text = number(figure.value, lang)
    text = f"{text}%" if _percent(figure) else text
    if figure.qualifier:
        word = figure.qualifier.split(" (", 1)[0].split("（", 1)[0]  # "more than (exclusive …)"
        text = f"{word}{text}" if lang == "zh" else f"{word} {text}"
    return text


def _percent(figure: Figure) -> bool:
    return figure.unit.endswith("/PERCENT")


def _urban_rural(
    figures: list[Figure], lang: str, citations: Citations, per_year: str
) -> list[dict[str, Any]]:
    """Programmes with an urban and a rural standard of one period, per year, as bar pairs.

    A monthly standard is shown computed, "7,980 (665 × 12)", its link on the
    665 the notice states; a standard read through its correction is marked †.
    """
    stated = [f for f in figures if f.kind == "standard" and not f.corrects]
    pairs: dict[tuple[str, str], dict[str, Figure]] = defaultdict(dict)
    for figure in stated:
        scope = figure.scope.rsplit("/", 1)[-1]
        if scope in ("urban", "rural") and figure.factor is not None:
            pairs[(figure.program_label, figure.period)][scope] = figure
    words = WORDS[lang]
    groups = []
    bars: list[Bar] = []
    for (program, period), pair in sorted(
        pairs.items(), key=lambda kv: min(f.start for f in kv[1].values())
    ):
        if set(pair) != {"urban", "rural"}:
            continue
        group_bars = []
        for scope in ("urban", "rural"):
            figure = pair[scope]
            used = figure.correction or figure
            factor = used.factor or Decimal(1)
            amount = used.value * factor
            link = Part(
                number(figure.value, lang),
                _href(citations.cite(figure.quote, figure.label, "standards")),
                figure.label,
            )
            if factor != 1:
                parts = [
                    Part(number(amount, lang) + words["open_paren"]),
                    link,
                    Part(f" × {_plain(factor)}{words['close_paren']}"),
                ]
            else:
                parts = [link]
            if used is not figure:
                parts.append(Part("†", "#fn-corrected", words["corrected_mark"], "fn"))
            bar = Bar(words[scope], amount, parts, tone=scope)
            group_bars.append(bar)
        bars.extend(group_bars)
        title = (
            f"{program}（{period}，{per_year}）"
            if lang == "zh"
            else f"{program}, {period} ({per_year})"
        )
        groups.append({"title": title, "bars": group_bars})
    scaled(bars)  # one scale for the whole chart, so programmes compare
    return groups


def _rows(answer: Any) -> list[dict[str, str]]:
    return [{k: _text(v) for k, v in row.items()} for row in answer.rows]


def _tasks(store: ox.Store, lang: str, citations: Citations) -> dict[str, list[dict[str, Any]]]:
    """The tasks by kind (responsibility, key, year-end), sub-tasks under their key task."""
    words = WORDS[lang]
    by_kind: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    parents: dict[str, str] = {}
    for row in _select(store, "tasks", lang):
        iri, kind = _text(row["task"]), _text(row["kind"])
        if iri in by_kind[kind]:
            continue
        label = _text(row["label"])
        section = {"responsibility": "duties", "year-end": "year-end"}.get(kind, "tasks")
        by_kind[kind][iri] = {
            "iri": iri,
            "position": int(_text(row["position"])),
            "label": label,
            "goal": _text(row["goal"]),
            "areas": sorted(a for a in _text(row["areas"]).split(" | ") if a),
            "groups": sorted(g for g in _text(row["groups"]).split(" | ") if g),
            "quote": citations.cite(_text(row["passage"]), label, section),
            "aria": words["quote_of"].format(label=label),
            "subtasks": [],
        }
        if _text(row["parent"]):
            parents[iri] = _text(row["parent"])
    keys = by_kind["key"]
    for iri, task in by_kind["sub"].items():
        if parents.get(iri) in keys:
            keys[parents[iri]]["subtasks"].append(task)
    for task in keys.values():
        task["subtasks"].sort(key=lambda t: t["position"])

    def ordered(kind: str) -> list[dict[str, Any]]:
        return sorted(by_kind[kind].values(), key=lambda t: t["position"])

    return {
        "duties": ordered("responsibility"),
        "key": ordered("key"),
        "year_end": ordered("year-end"),
    }


def _count_bars(answer: Any, column: str, lang: str) -> list[Bar]:
    """Bars of the sub-tasks in each area or group; key tasks named beside, not added."""
    words = WORDS[lang]
    bars = []
    for row in _rows(answer):
        subtasks, keys = Decimal(row["sub_tasks"]), int(row["key_tasks"])
        note = words["plus_key" if keys == 1 else "plus_keys"].format(n=keys) if keys else ""
        bars.append(Bar(row[f"{column}_name"], subtasks, [Part(number(subtasks, lang))], note=note))
    return scaled(sorted(bars, key=lambda b: (-b.value, b.label)))


def _order_named(passage: str, zh_label: str) -> int:
    """Where a passage names something: the offset of the longest end of its Chinese label.

    The notice names posts and agencies shortened after the first (民政部党组书记、部长),
    so the label's longest ending found in the passage tells where it is named.

    >>> passage = "民政部党组书记、部长李纪恒出席会议并讲话"
    >>> _order_named(passage, "民政部部长"), _order_named(passage, "民政部党组书记")
    (8, 0)
    """
    text, label = unicodedata.normalize("NFKC", passage), unicodedata.normalize("NFKC", zh_label)
    for begin in range(len(label)):
        found = text.find(label[begin:])
        if found >= 0 and len(label) - begin >= 2:
            return found
    return len(text)


def _people(store: ox.Store, lang: str, citations: Citations) -> list[dict[str, Any]]:
    """Who chaired and who spoke, their posts in the order the notice names them."""
    words = WORDS[lang]
    people: dict[tuple[str, str], dict[str, Any]] = {}
    for row in _select(store, "people", lang):
        role, name = _text(row["role_name"]), _text(row["name"])
        passage = citations.quotes.get(_text(row["passage"]))
        person = people.setdefault(
            (role, _text(row["person"])),
            {
                "role_name": role,
                "name": name,
                "posts": {},
                "quote": citations.cite(passage.anchor, name, "meeting") if passage else "",
                "aria": words["quote_of"].format(label=name),
                "start": passage.start if passage else -1,
            },
        )
        if _text(row["post"]):
            where = _order_named(passage.exact, _text(row["post_zh"])) if passage else 0
            person["posts"][_text(row["post_name"])] = where
    rows = sorted(people.values(), key=lambda p: (p["start"], p["name"]))
    for person in rows:
        posts = person["posts"]
        person["posts"] = sorted(posts, key=lambda post: (posts[post], post))
    return rows


def _participants(store: ox.Store, lang: str, citations: Citations) -> list[dict[str, Any]]:
    """The agencies that took part, by venue, in the order the notice names them."""
    words = WORDS[lang]
    rows = []
    for row in _select(store, "participants", lang):
        name = _text(row["name"])
        passage = citations.quotes.get(_text(row["passage"]))
        rows.append(
            {
                "order": int(_text(row["order"])),
                "role": _text(row["role"]),
                "name": name,
                "kind": _text(row["kind"]),
                "quote": citations.cite(passage.anchor, name, "meeting") if passage else "",
                "aria": words["quote_of"].format(label=name),
                "where": _order_named(passage.exact, _text(row["name_zh"])) if passage else 0,
            }
        )
    return sorted(rows, key=lambda r: (r["order"], r["where"], r["name"]))


def _questions(lang: str, query_page: str) -> list[dict[str, str]]:
    """Every stored question, linked to the query page with its text filled in."""
    from kg.catalogue import all_queries

    return [
        {
            "name": q.name,
            "kind": q.kind,
            "title": q.title(lang),
            "question": q.question(lang),
            "link": query_page_link(q.text, query_page),
        }
        for q in all_queries()
    ]


def _quality(
    store: ox.Store,
    lang: str,
    figures: dict[str, Figure],
    citations: Citations,
    query_page: str = DEFAULT_QUERY_PAGE,
) -> dict[str, Any]:
    """What validation and the stored checks find in ``store``, and the corrected readings."""
    from kg.catalogue import check_registry, load
    from kg.shacl import validate_store

    report = validate_store(store)
    checks = []
    for name in sorted(check_registry()):
        query = load(name)
        params = {"lang": lang} if any(p.name == "lang" for p in query.params) else {}
        answer = run(name, params, store=store)
        checks.append(
            {
                "name": name,
                "title": query.title(lang),
                "rows": _rows(answer),
                "link": query_page_link(query.text, query_page),
            }
        )
    corrected = []
    for row in _rows(run("corrected-readings", {"lang": lang}, store=store)):
        figure = figures.get(row["figure"])
        label = figure.label if figure else row["figure"]
        corrected.append(
            {
                **row,
                "stated": number(Decimal(row["stated_value"]), lang),
                "reading": number(Decimal(row["corrected_value"]), lang),
                "quote": citations.cite(figure.quote, label, "quality") if figure else "",
            }
        )
    return {
        "conforms": report.conforms,
        "violations": report.count("Violation"),
        "warnings": report.count("Warning"),
        "findings": [
            {"severity": f.severity, "shape": f.shape.rsplit("#", 1)[-1], "message": f.message}
            for f in sorted(report.findings, key=lambda f: (f.shape, f.focus))
        ],
        "checks": checks,
        "corrected": corrected,
    }


def _figure_row(figure: Figure, lang: str, citations: Citations, section: str) -> dict[str, Any]:
    """A figure as a table row: its value linked to its words, and its growth beside it."""
    growth = figure.growth
    return {
        "label": figure.label,
        "value": shown(figure, lang),
        "quote": citations.cite(figure.quote, figure.label, section),
        "unit": "" if _percent(figure) else figure.unit_label,
        "counted": "" if _percent(figure) else figure.stat_unit_label,
        "corrected": figure.correction is not None,
        "growth": shown(growth, lang) if growth else "",
        "growth_quote": citations.cite(growth.quote, growth.label, section) if growth else "",
        "base": growth.base_period if growth else figure.base_period,
    }


def _linked_bar(
    figure: Figure, value: Figure, lang: str, citations: Citations, section: str
) -> Bar:
    link = Part(
        shown(value, lang), _href(citations.cite(value.quote, value.label, section)), value.label
    )
    return Bar(figure.label, value.value, [link])


def _href(anchor: str) -> str:
    return f"#{anchor}" if anchor else ""


def report_context(
    lang: str = "en", store: ox.Store | None = None, query_page: str = DEFAULT_QUERY_PAGE
) -> dict[str, Any]:
    """Everything the page shows, as plain values (what the template and the tests read).

    Each stored question links to ``query_page`` (Oxigraph's, as ``kg serve`` serves
    it), its text filled in.
    """
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}; choose from {', '.join(LANGUAGES)}")
    query_page = check_query_page(query_page)
    store = load_store() if store is None else store
    words = WORDS[lang]
    quotes, texts = _quotes(store)
    citations = Citations(quotes, words)
    figures = _figures(store, lang, quotes)
    by_iri = {f.iri: f for f in figures}
    unit_labels = {f.unit: f.unit_label for f in figures}
    per_year = unit_labels.get(str(MCAU["CNY-PER-YR"])) or words["per_year"]

    standards = [f for f in figures if f.kind == "standard" and not f.corrects]
    rates_of_nothing = [f for f in figures if f.kind == "rate" and f.qualifies not in by_iri]
    counted = [
        f
        for f in figures
        if (f.kind in ("count", "other") and not f.award and not f.corrects)
        or f in rates_of_nothing
    ]
    beneficiaries = [f for f in figures if f.kind == "count" and f.beneficiaries]
    largest = max((f.value for f in beneficiaries), default=Decimal(0))
    big = [f for f in beneficiaries if largest and f.value >= largest * _SMALLEST_BAR]

    # The order of the page: each section cites its quotes as it is made.
    tasks = _tasks(store, lang, citations)
    subtask_total = sum(len(t["subtasks"]) for t in tasks["key"])
    overview = _overview(figures, beneficiaries, standards, tasks, lang, citations)
    context: dict[str, Any] = {
        "lang": lang,
        "words": words,
        "sections": [(id_, words[key]) for id_, key in SECTIONS],
        "overview": overview,
        "urban_rural": _urban_rural(figures, lang, citations, per_year),
        "growth_bars": scaled(
            [
                _linked_bar(f, f.growth, lang, citations, "standards")
                for f in sorted(
                    standards, key=lambda f: (-f.growth.value if f.growth else 0, f.start)
                )
                if f.growth is not None
            ]
        ),
        "standards": [_figure_row(f, lang, citations, "standards") for f in standards],
        "count_bars": scaled(
            [
                _linked_bar(f, f, lang, citations, "counts")
                for f in sorted(big, key=lambda f: (-f.value, f.start))
            ]
        ),
        "small_counts": len(big) < len(beneficiaries),
        "counts": [_figure_row(f, lang, citations, "counts") for f in counted],
        "tasks": tasks["key"],
        "duties": tasks["duties"],
        "year_end": tasks["year_end"],
        "subtask_total": subtask_total,
        "by_area": _count_bars(
            run("tasks-by-policy-area", {"lang": lang}, store=store), "area", lang
        ),
        "by_group": _count_bars(run("tasks-by-group", {"lang": lang}, store=store), "group", lang),
    }
    meeting = _rows(run("meeting", {"lang": lang}, store=store))
    award_names = {r["award"]: r["name"] for r in _rows(run("awards", {"lang": lang}, store=store))}
    context.update(
        meeting=meeting[0] if meeting else {},
        people=_people(store, lang, citations),
        participants=_participants(store, lang, citations),
        awards=[
            {
                **_figure_row(f, lang, citations, "meeting"),
                "name": award_names.get(f.award, f.label),
            }
            for f in figures
            if f.award
        ],
        quality=_quality(store, lang, by_iri, citations, query_page),
        questions=_questions(lang, query_page),
        query_page=query_page,
    )
    context["blocks"] = [
        (name, blocks(text, name, citations)) for name, text in sorted(texts.items())
    ]
    context["texts"] = texts
    return context


def _overview(
    figures: list[Figure],
    beneficiaries: list[Figure],
    standards: list[Figure],
    tasks: dict[str, list[dict[str, Any]]],
    lang: str,
    citations: Citations,
) -> list[dict[str, Any]]:
    """The headline numbers: the most people covered, the largest count, the fastest growth."""
    words = WORDS[lang]
    cards = []
    picks: list[Figure] = []
    if beneficiaries:
        picks.append(max(beneficiaries, key=lambda f: f.value))
    counts = [f for f in figures if f.kind == "count" and not f.award]
    if counts and max(counts, key=lambda f: f.value) not in picks:
        picks.append(max(counts, key=lambda f: f.value))
    growing = [f for f in standards if f.growth is not None]
    if growing:
        fastest = max(growing, key=lambda f: f.growth.value if f.growth else Decimal(0))
        assert fastest.growth is not None
        picks.append(fastest.growth)
    for figure in picks:
        cards.append(
            {
                "value": shown(figure, lang),
                "href": "#" + citations.cite(figure.quote, figure.label, "overview")
                if figure.quote
                else "",
                "aria": words["quote_of"].format(label=figure.label),
                "label": figure.label,
            }
        )
    subtasks = sum(len(t["subtasks"]) for t in tasks["key"])
    cards.append(
        {
            "value": number(Decimal(len(tasks["key"])), lang),
            "href": "#tasks",
            "aria": "",
            "label": words["key_tasks_card"].format(subtasks=subtasks),
        }
    )
    return cards


def build_report(
    lang: str = "en", store: ox.Store | None = None, query_page: str = DEFAULT_QUERY_PAGE
) -> str:
    """The report page, as HTML text."""
    return render("report.html.j2", **report_context(lang, store, query_page))
