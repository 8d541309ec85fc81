"""Read a new Chinese notice or bulletin and write a DRAFT graph in the project's ontology.

Rule-based and local: regular expressions, a keyword table for indicators and a
small gazetteer of agencies; nothing is downloaded or fetched. What the rules
find is a draft for a person to review, never a curated graph:

* figures: value (Arabic or Chinese numerals, 万 / 亿 expanded), unit, reference
  period, qualifier (超过, 以上, 约, 首次), urban / rural scope (城乡 ... 分别: 城市
  first, 农村 second) and indicator, with their year-on-year growth rates
  (同比增长 / 比上年增长 as relative change, 个百分点 as percentage points);
* tasks: numbered lists (一要 ... 七要, 一是 ... 二是) split into key tasks and their
  clauses (split on ， and ；);
* agencies (a gazetteer built from ``data/reference.ttl`` plus a few ministries)
  and people named with their posts (部长李纪恒).

Every item carries its exact quote and its character offsets (Python ``str``
indices) as an ``mca:Passage``, as :mod:`kg.build` does. What the rules cannot
type (a number without a unit, a range, an unknown indicator, an absolute
change) is kept with its quote and ``mca:reviewStatus "needs-review"`` and a
``skos:editorialNote`` saying why. Ranges (3000至5000元) are never split into
bounds: they are kept as one ``mca:DraftItem`` for review.

>>> draft = extract("2020年12月1日。城乡低保标准分别达到人均每月700元和每年6000元，"
...                 "同比增长5%和6%。")
>>> [(f.value, f.unit, f.scope, f.period, f.indicator) for f in draft.figures]
[('700', 'CNY-PER-MO', 'urban', 2020, 'dibao-standard-monthly'), \
('6000', 'CNY-PER-YR', 'rural', 2020, 'dibao-standard-annual')]
>>> [(g.value, g.change, g.qualifies.value) for g in draft.growths]
[('5', 'relative', '700'), ('6', 'relative', '6000')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SKOS, XSD

from kg import resources
from kg.errors import InputError
from kg.namespaces import (
    AGENCY,
    CHANGE,
    IND,
    MCA,
    MCAU,
    OA,
    ONTOLOGY_GRAPH,
    PERSON,
    PREFIXES,
    QUAL,
    REFERENCE_GRAPH,
    SCOPE,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    STAT,
    UNIT,
    YEAR,
    doc_namespace,
    graph_iri,
)
from kg.passages import add_passage

NEEDS_REVIEW = "needs-review"

# ------------------------------------------------------------------ numbers

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_MULTIPLIERS = {"万亿": 10**12, "亿": 10**8, "万": 10**4}


def chinese_integer(text: str) -> int:
    """The value of a Chinese integer numeral (up to 亿).

    >>> chinese_integer("三千零二十"), chinese_integer("十五"), chinese_integer("一百二十万")
    (3020, 15, 1200000)
    """
    total, section, digit = 0, 0, 0
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_SMALL:
            section += (digit or 1) * _CN_SMALL[char]
            digit = 0
        elif char in ("万", "亿"):
            total += (section + digit) * (10**4 if char == "万" else 10**8)
            section, digit = 0, 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + digit


def parse_number(digits: str, multiplier: str = "") -> Decimal:
    """A numeral (Arabic or Chinese, with 点 decimals) times 万 / 亿, as a Decimal.

    >>> decimal_text(parse_number("1.8", "亿")), decimal_text(parse_number("24.76", "万"))
    ('180000000', '247600')
    >>> decimal_text(parse_number("三点五", "万")), decimal_text(parse_number("1,234"))
    ('35000', '1234')
    """
    digits = digits.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", digits):
        value = Decimal(digits)
    else:
        whole, _, decimals = digits.partition("点")
        value = Decimal(chinese_integer(whole) if whole else 0)
        if decimals:
            value += Decimal("0." + "".join(str(_CN_DIGITS[c]) for c in decimals))
    value *= _MULTIPLIERS.get(multiplier, 1)
    return value


def decimal_text(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: ``'180000000'``, ``'7.7'``."""
    return f"{value.normalize():f}"


_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# Chinese numerals need two characters or a multiplier: 一个, 两个, 八项 are words.
_CHINESE = r"[零〇一二两三四五六七八九十百千]{2,}(?:点[零〇一二三四五六七八九]+)?"
_CHINESE_MULT = r"[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?(?=万|亿)"
_NUMBER = re.compile(
    rf"(?P<digits>{_ARABIC}|{_CHINESE_MULT}|{_CHINESE})(?P<mult>万亿|亿|万)?"
    r"(?P<unit>元/人?[·•‧・/．.]?[月年]|元|个百分点|百分点|人次|"
    r"人|名|位|张|个|项|家|%|％)?"
)
# What makes a number a date, an ordinal, a duration or a name, never a figure.
_NOT_A_FIGURE_AFTER = re.compile(r"(?:年|月|日|时|周年|届|次|号|岁|天|轮|中全会|五|大)")
_RANGE_JOIN = re.compile(r"\s*(?:至|到|-|—|～|~)\s*")

_UNITS = {
    "%": "PERCENT",
    "％": "PERCENT",
    "个百分点": "PERCENT",
    "百分点": "PERCENT",
}
_COUNT_UNITS = {
    "人": "person",
    "名": "person",
    "位": "person",
    "人次": "person-time",
    "张": "bed",
    "项": "item",
    "家": "organisation",
    "个": "item",
}
_MONTHLY = re.compile(r"每月|月人均|月均|按月|月平均")
# 全年 (in the whole year) makes a total, not a rate: 全年支出1801.5亿元 is no 元/年.
_ANNUAL = re.compile(r"每年|年人均|年均|按年|年平均")
# A count with 万 / 亿 and no measure word, followed by who is counted: 1936万建档立卡贫困人口.
_HEAD_NOUN = re.compile(r"[\u4e00-\u9fff]{0,10}?(人口|人员|儿童|孤儿|老年人|老人|群众|对象|残疾人)")
_GROWTH_CUE = re.compile(r"(同比|比上年|较上年|比去年)?(增长|提高|上升|增加|下降|减少)了?$")
_YEAR_TOKEN = re.compile(r"(\d{4})年(?!\d{1,2}月)")
_DATE = re.compile(r"(\d{4})年\d{1,2}月\d{1,2}日")
_PARAGRAPH = re.compile(r"\n[ \t\u3000]*\n")

# ------------------------------------------------------------------ indicators

#: (keywords that must all occur in the subject, unit or None for any, indicator)
INDICATOR_RULES: list[tuple[tuple[str, ...], str | None, str]] = [
    (("低保", "标准"), "CNY-PER-MO", "dibao-standard-monthly"),
    (("低保", "标准"), "CNY-PER-YR", "dibao-standard-annual"),
    (("特困", "标准"), "CNY-PER-MO", "tekun-standard-monthly"),
    (("特困", "标准"), "CNY-PER-YR", "tekun-standard-annual"),
    (("孤儿", "标准"), "CNY-PER-MO", "orphan-standard-monthly"),
    (("养老", "床位"), "NUM", "elderly-care-beds"),
    (("设施", "覆盖率"), "PERCENT", "facility-coverage"),
    (("志愿者", "比例"), "PERCENT", "volunteer-share"),
    (("注册志愿者",), "NUM", "registered-volunteers"),
    (("寻亲",), "NUM", "persons-reunited"),
    (("落户",), "NUM", "persons-settled"),
    (("行政区划",), "NUM", "division-changes-approved"),
    (("表彰",), "NUM", "award-recipients"),
    (("纳入",), "NUM", "persons-covered"),
    (("惠及",), "NUM", "persons-covered"),
]

#: Indicators whose figures count person-times, whatever the subject says.
_UNIT_INDICATORS = {"person-time": "person-times-assisted"}

_CLAUSE_END = "，,；;。！？!?\n"
_SENTENCE_END = "。！？!?"

# ------------------------------------------------------------------ agencies and people

#: Agencies the reference data does not hold, by name (a few ministries notices cite).
EXTRA_AGENCIES = [
    "教育部",
    "公安部",
    "人力资源社会保障部",
    "住房城乡建设部",
    "农业农村部",
    "国家卫生健康委",
    "国家统计局",
    "国家乡村振兴局",
    "国家医保局",
    "中国残联",
    "全国妇联",
    "共青团中央",
    "民政厅",
    "民政局",
]
#: Names that need the place before them (某省民政厅, 各市民政局).
GENERIC_AGENCIES = {"民政厅", "民政局"}
_NAME_STOPS = set("的和与及在由对向为是了召开会议据")
_POSTS = (
    "党组书记|党组副书记|党组成员|党委书记|副总理|总理|国务委员|副秘书长|秘书长|"
    "副部长|部长|副主任|主任|副厅长|厅长|副局长|局长|副司长|司长|"
    "副署长|署长|副主席|主席|副省长|省长|副市长|市长|组长|书记"
)
_PERSON = re.compile(
    rf"(?P<org>[\u4e00-\u9fff]{{2,12}}?)?(?P<posts>(?:(?:{_POSTS})、?)+)"
    r"(?P<name>[\u4e00-\u9fff]{2,3}?)"
    r"(?=出席|主持|讲话|在|指出|强调|表示|作|参加|介绍|说|，|。|、|同志)"
)


# ------------------------------------------------------------------ extracted items


@dataclass
class Span:
    start: int
    end: int
    text: str


@dataclass
class Figure:
    value: str  # normalised decimal text
    unit: str | None  # local name: NUM, PERCENT, CNY-PER-MO, CNY-PER-YR
    value_span: Span
    quote: Span  # the clause the figure comes from
    period: int | None = None
    stat_unit: str | None = None
    scope: str | None = None
    qualifier: str | None = None
    first_time: bool = False
    indicator: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Growth:
    value: str
    change: str  # relative | percentage-points
    value_span: Span
    quote: Span
    qualifies: Figure


@dataclass
class DraftItem:
    """Something a figure rule saw but could not type: kept with its quote for review."""

    quote: Span
    note: str


@dataclass
class Task:
    number: int
    quote: Span
    subs: list[Span] = field(default_factory=list)
    period: int | None = None  # the year the list of tasks is for


@dataclass
class AgencyMention:
    iri: URIRef | None  # None: not in the reference data
    name: str
    span: Span


@dataclass
class PersonMention:
    name: str
    posts: list[str]
    org: str | None
    iri: URIRef | None
    span: Span


@dataclass
class Draft:
    text: str
    year: int | None
    figures: list[Figure] = field(default_factory=list)
    growths: list[Growth] = field(default_factory=list)
    items: list[DraftItem] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    agencies: list[AgencyMention] = field(default_factory=list)
    people: list[PersonMention] = field(default_factory=list)


# ------------------------------------------------------------------ segmentation


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _clauses(text: str, start: int, end: int, ends: str = _CLAUSE_END) -> list[Span]:
    """Non-empty pieces of ``text[start:end]`` between the characters in ``ends``, trimmed."""
    pieces = []
    begin = start
    for i in range(start, end + 1):
        if i == end or text[i] in ends:
            a, b = begin, i
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a < b:
                pieces.append(_span(text, a, b))
            begin = i + 1
    return pieces


def _sentences(text: str) -> list[Span]:
    """Sentences; a line break also ends one when the line is not a page-break artefact."""
    return _clauses(text, 0, len(text), _SENTENCE_END + "\n")


def document_year(text: str) -> int | None:
    """The year of a document: a year in its first line, else the year of its first date.

    >>> document_year("2022年民政事业发展统计公报\\n...")
    2022
    >>> document_year("标题\\n2020年12月26日，民政部召开会议。")
    2020
    """
    first_line = text.strip().split("\n", 1)[0]
    match = _YEAR_TOKEN.search(first_line)
    if match and not _DATE.search(first_line):
        return int(match.group(1))
    date = _DATE.search(text)
    if date:
        return int(date.group(1))
    match = _YEAR_TOKEN.search(text)
    return int(match.group(1)) if match else None


# ------------------------------------------------------------------ figures


def _indicator(subject: str, unit: str | None, stat_unit: str | None) -> str | None:
    if stat_unit in _UNIT_INDICATORS:
        return _UNIT_INDICATORS[stat_unit]
    for keywords, rule_unit, indicator in INDICATOR_RULES:
        if (rule_unit is None or rule_unit == unit) and all(k in subject for k in keywords):
            return indicator
    return None


def _qualifier(before: str, after: str) -> str | None:
    if re.search(r"(超过|逾|超)$", before) or after.startswith(("多", "余")):
        return "more-than"
    if after.startswith("以上"):
        return "at-least"
    if re.search(r"(约|大约|近|将近)$", before):
        return "approximately"
    return None


@dataclass
class _Number:
    match: re.Match[str]
    start: int
    end: int
    value: Decimal
    unit: str | None
    stat_unit: str | None
    value_start: int  # with a qualifier word before it (超过13%)


def _read_number(text: str, match: re.Match[str], clause: Span) -> _Number | DraftItem | None:
    """Type one number match, or keep it as a draft item, or drop it (dates, ordinals)."""
    start, end = match.start(), match.end()
    digits, mult, unit_word = match["digits"], match["mult"] or "", match["unit"]
    if text[max(0, start - 1) : start] in ("第", ".") or text[end : end + 1] in (".",):
        return None
    if not unit_word and not mult and _NOT_A_FIGURE_AFTER.match(text, end):
        return None
    if not unit_word and not mult and not re.fullmatch(_ARABIC, digits):
        return None  # a bare Chinese numeral is a word, not a figure
    if not unit_word and not mult and len(digits) == 4 and text[end : end + 1] in ("年",):
        return None
    before = text[clause.start : start]
    unit: str | None
    stat: str | None = None
    if unit_word and unit_word.startswith("元/"):  # 元/人·月, 元/月, 元/人/年 …
        unit = "CNY-PER-MO" if unit_word.endswith("月") else "CNY-PER-YR"
        stat = "person" if "人" in unit_word else None
    elif unit_word in _UNITS:
        unit = _UNITS[unit_word]
    elif unit_word == "元":
        monthly = [m.end() for m in _MONTHLY.finditer(before)]
        annual = [m.end() for m in _ANNUAL.finditer(before)]
        if not monthly and not annual:
            return DraftItem(
                _span(text, start, end), "an amount in yuan with no period (每月 / 每年)"
            )
        unit = "CNY-PER-MO" if max(monthly, default=-1) > max(annual, default=-1) else "CNY-PER-YR"
        stat = "person" if "人均" in before else None
    elif unit_word:
        unit = "NUM"
        stat = _COUNT_UNITS[unit_word]
        if unit_word == "个" and re.search(r"集体|组织|机构|单位|企业", text[end : clause.end]):
            stat = "organisation"
    else:
        head = _HEAD_NOUN.match(text, end)
        if mult and head:
            unit = "NUM"
            stat = "child" if head.group(1) in ("儿童", "孤儿") else "person"
        else:
            return DraftItem(_span(text, start, end), "a number without a unit")
    # The value passage keeps a lower-bound word with the number (超过13%), as curators do.
    bound = re.search(r"(超过|逾)$", before)
    value_start = clause.start + bound.start() if bound else start
    return _Number(match, start, end, parse_number(digits, mult), unit, stat, value_start)


def _stated_year(text: str, position: int, start: int | None = None) -> int | None:
    """The last year stated before ``position`` in its paragraph (or since ``start``).

    A year stated in a paragraph (2022年全省城乡低保标准…) holds for the figures
    after it in the same paragraph; dates (2023年1月10日) are not periods.
    """
    if start is None:
        breaks = [m.end() for m in _PARAGRAPH.finditer(text, 0, position)]
        start = breaks[-1] if breaks else 0
    years = [int(m.group(1)) for m in _YEAR_TOKEN.finditer(text, start, position)]
    return years[-1] if years else None


def _extract_figures(draft: Draft) -> None:
    text = draft.text
    for sentence in _sentences(text):
        clauses = _clauses(text, sentence.start, sentence.end)
        sentence_figures: list[Figure] = []
        for index, clause in enumerate(clauses):
            numbers: list[_Number] = []
            for match in _NUMBER.finditer(text, clause.start, clause.end):
                following = _RANGE_JOIN.match(text, match.end())
                if following and _NUMBER.match(text, following.end()):
                    second = _NUMBER.match(text, following.end())
                    assert second is not None
                    if match["unit"] or second["unit"] or match["mult"] or second["mult"]:
                        draft.items.append(
                            DraftItem(
                                _span(text, match.start(), second.end()),
                                "a range: kept whole, not split into bounds",
                            )
                        )
                        continue
                if any(i.quote.start <= match.start() < i.quote.end for i in draft.items):
                    continue
                read = _read_number(text, match, clause)
                if isinstance(read, DraftItem):
                    draft.items.append(read)
                elif read is not None:
                    numbers.append(read)
            growth_numbers: list[_Number] = []
            level_numbers: list[_Number] = []
            for number in numbers:
                prefix = text[clause.start : number.start]
                lead = prefix
                for other in numbers:
                    if other.end <= number.start:
                        lead = text[other.end : number.start]
                # 同比增长7.7%和11.3%: both are changes; 提高到98%: a level.
                is_change = bool(_GROWTH_CUE.search(prefix.rstrip("了"))) or bool(
                    re.search(r"增长|提高|上升|增加|下降|减少", prefix)
                    and re.fullmatch(r"[和、及与]?", lead.strip())
                    and growth_numbers
                )
                if is_change and number.unit == "PERCENT":
                    growth_numbers.append(number)
                elif is_change:
                    draft.items.append(
                        DraftItem(
                            _span(text, number.start, number.end),
                            "an absolute change, not a level: type it by hand",
                        )
                    )
                else:
                    level_numbers.append(number)
            figures = [
                _figure(draft, clauses, index, clause, n, level_numbers) for n in level_numbers
            ]
            sentence_figures.extend(figures)
            _attach_growths(draft, clause, growth_numbers, sentence_figures)
        draft.figures.extend(sentence_figures)


def _figure(
    draft: Draft,
    clauses: list[Span],
    index: int,
    clause: Span,
    number: _Number,
    group: list[_Number],
) -> Figure:
    text = draft.text
    before = text[clause.start : number.start]
    after = text[number.end : clause.end]
    subject = clause.text
    indicator = _indicator(subject, number.unit, number.stat_unit)
    if indicator is None:  # the subject may be in an earlier clause: 注册志愿者达到…，占…比例
        extended = "".join(c.text for c in clauses[: index + 1])
        indicator = _indicator(extended, number.unit, number.stat_unit)
    year = _stated_year(text, number.start) or draft.year
    scope = None
    split = subject.find("分别")
    head = subject[:split]
    distributed = "城乡" in head or ("城市" in head and "农村" in head) or "城镇和农村" in head
    if split >= 0 and distributed and len(group) == 2:
        scope = ("urban", "rural")[group.index(number)]
    elif "城市" in before or "城镇" in before:
        scope = "urban"
    elif "农村" in before:
        scope = "rural"
    figure = Figure(
        value=decimal_text(number.value),
        unit=number.unit,
        value_span=_span(text, number.value_start, number.end),
        quote=clause,
        period=year,
        stat_unit=number.stat_unit,
        scope=scope,
        qualifier=_qualifier(before, after),
        first_time="首次" in subject,
        indicator=indicator,
    )
    if indicator is None:
        figure.notes.append("no indicator for this subject: choose one or add it to the ontology")
    if year is None:
        figure.notes.append("no year in the text: give --year")
    return figure


def _attach_growths(
    draft: Draft, clause: Span, numbers: list[_Number], figures: list[Figure]
) -> None:
    """Growth rates qualify the last figures of the sentence, in order (分别 … 和 …)."""
    if not numbers:
        return
    text = draft.text
    if len(figures) < len(numbers):
        for number in numbers:
            draft.items.append(
                DraftItem(
                    _span(text, number.start, number.end),
                    "a growth rate with no figure before it in the sentence",
                )
            )
        return
    targets = figures[len(figures) - len(numbers) :]
    for number, target in zip(numbers, targets, strict=True):
        points = number.match["unit"] in ("个百分点", "百分点")
        value = number.value
        if re.search(r"(下降|减少)了?$", text[clause.start : number.start]):
            value = -value
        draft.growths.append(
            Growth(
                value=decimal_text(value),
                change="percentage-points" if points else "relative",
                value_span=_span(text, number.start, number.end),
                quote=clause,
                qualifies=target,
            )
        )


# ------------------------------------------------------------------ tasks

_TASK_MARKER = re.compile(r"(?P<n>十[一二三四五六七八九]?|[一二三四五六七八九])(?P<kind>要|是)")


def _extract_tasks(draft: Draft) -> None:
    text = draft.text
    markers: list[tuple[int, int, str]] = []  # (position, number, kind)
    for match in _TASK_MARKER.finditer(text):
        previous = text[max(0, match.start() - 1) : match.start()]
        if previous and previous not in "，；。：:\n ":
            continue
        markers.append((match.start(), chinese_integer(match["n"]), match["kind"]))
    # Keep runs that count 1, 2, 3 ... with the same marker kind.
    runs: list[list[tuple[int, int, str]]] = []
    for marker in markers:
        for run in runs:
            if run[-1][1] + 1 == marker[1] and run[-1][2] == marker[2]:
                run.append(marker)
                break
        else:
            if marker[1] == 1:
                runs.append([marker])
    for run in runs:
        if len(run) < 2:
            continue
        # The year the list is for: stated just before it (会议部署了2021年…任务), else the
        # document's year.
        year = _stated_year(text, run[0][0], max(0, run[0][0] - 200)) or draft.year
        for i, (position, number, _kind) in enumerate(run):
            limit = run[i + 1][0] if i + 1 < len(run) else len(text)
            stops = [text.find(p, position, limit) for p in "。！？"]
            end = min([i for i in stops if i >= 0], default=limit)
            pieces = _clauses(text, position, end, "，；,;")
            pieces = [_trim_task(text, p) for p in pieces]
            if not pieces:
                continue
            draft.tasks.append(Task(number, pieces[0], pieces[1:], year))


def _trim_task(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while end > start and text[end - 1] in "。；，":
        end -= 1
    return _span(text, start, end)


# ------------------------------------------------------------------ agencies and people


def _gazetteer() -> list[tuple[str, URIRef | None]]:
    """Agency names (zh labels of the reference data, plus EXTRA_AGENCIES), longest first."""
    graph = Graph()
    graph.parse(resources.reference_file(), format="turtle")
    names: dict[str, URIRef | None] = {}
    for subject, _p, label in graph.triples((None, RDFS.label, None)):
        if str(subject).startswith(str(AGENCY)) and getattr(label, "language", None) == "zh":
            names[str(label)] = URIRef(str(subject))
    for subject, _p, label in graph.triples((None, SKOS.altLabel, None)):
        if str(subject).startswith(str(AGENCY)) and getattr(label, "language", None) == "zh":
            names[str(label)] = URIRef(str(subject))
    for name in EXTRA_AGENCIES:
        names.setdefault(name, None)
    return sorted(names.items(), key=lambda item: -len(item[0]))


def _name_pattern(name: str) -> str:
    """A name as a regex that accepts full- or half-width brackets."""
    out = []
    for char in name:
        if char in "（(":
            out.append(r"[（(]")
        elif char in "）)":
            out.append(r"[）)]")
        else:
            out.append(re.escape(char))
    return "".join(out)


def _abbreviations(publisher: str) -> dict[str, str]:
    """How a ministry's own notice names its parts: 部党组 is the publisher's 党组."""
    return {
        "在京部党组": f"{publisher}党组",
        "部党组": f"{publisher}党组",
        "驻部纪检监察组": f"驻{publisher}纪检监察组",
        "直属单位": f"{publisher}直属单位",
    }


def _person_iris() -> dict[str, URIRef]:
    graph = Graph()
    graph.parse(resources.reference_file(), format="turtle")
    return {
        str(label): URIRef(str(subject))
        for subject, _p, label in graph.triples((None, RDFS.label, None))
        if str(subject).startswith(str(PERSON)) and getattr(label, "language", None) == "zh"
    }


def _extract_agencies(draft: Draft) -> None:
    text = draft.text
    gazetteer = _gazetteer()
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    found: list[AgencyMention] = []
    for name, iri in gazetteer:
        for match in re.finditer(_name_pattern(name), text):
            if free(match.start(), match.end()):
                start = match.start()
                if name in GENERIC_AGENCIES:  # 民政厅: take the place before it, 某省民政厅
                    while (
                        start > 0
                        and match.start() - start < 6
                        and "\u4e00" <= text[start - 1] <= "\u9fff"
                        and text[start - 1] not in _NAME_STOPS
                        and free(start - 1, start)
                    ):
                        start -= 1
                taken.append((start, match.end()))
                span = _span(text, start, match.end())
                found.append(AgencyMention(iri, span.text if iri is None else name, span))
    labels = {name: iri for name, iri in gazetteer}
    ministries = [m for m in sorted(found, key=lambda m: m.span.start) if m.name.endswith("部")]
    if ministries:
        for short, full in _abbreviations(ministries[0].name).items():
            if full not in labels or labels[full] is None:
                continue
            for match in re.finditer(re.escape(short), text):
                if free(match.start(), match.end()):
                    taken.append((match.start(), match.end()))
                    found.append(AgencyMention(labels[full], full, _span(text, *match.span())))
    draft.agencies = sorted(found, key=lambda m: m.span.start)


def _extract_people(draft: Draft) -> None:
    text = draft.text
    iris = _person_iris()
    for match in _PERSON.finditer(text):
        name = match["name"]
        posts = [p for p in match["posts"].split("、") if p]
        org = match["org"]
        if org:  # keep only the agency-like tail: 会议由民政部 -> 民政部
            org = re.split(r"[由在和及与的了]|会议|出席|主持", org)[-1]
            if not re.search(r"(?:部|委|署|局|厅|院|政府|组)$", org):
                org = None
        start = match.start("org") if org and match["org"] else match.start("posts")
        if org and match["org"]:
            start = match.end("org") - len(org)
        draft.people.append(
            PersonMention(name, posts, org, iris.get(name), _span(text, start, match.end()))
        )


# ------------------------------------------------------------------ the whole extraction


def extract(text: str, year: int | None = None) -> Draft:
    """Run every rule on ``text``; ``year`` is the document's year (guessed when None)."""
    draft = Draft(text=text, year=year if year is not None else document_year(text))
    _extract_figures(draft)
    _extract_tasks(draft)
    _extract_agencies(draft)
    _extract_people(draft)
    return draft


# ------------------------------------------------------------------ the draft graph


class _Writer:
    def __init__(self, draft: Draft, doc_id: str, source_name: str):
        self.draft = draft
        self.doc = doc_namespace(doc_id)
        self.doc_id = doc_id
        self.source_name = source_name
        self.g = Graph()
        for prefix, iri in PREFIXES.items():
            self.g.bind(prefix, iri)
        self.g.bind("doc", str(self.doc))

    def passage(self, span: Span) -> URIRef:
        return add_passage(self.g, self.doc, self.draft.text, span.start, span.end)

    def review(self, node: URIRef, notes: Iterable[str]) -> None:
        for note in notes:
            self.g.add((node, MCA.reviewStatus, Literal(NEEDS_REVIEW)))
            self.g.add((node, SKOS.editorialNote, Literal(note, lang="en")))

    def document(self) -> None:
        g, doc = self.g, self.doc
        g.add((doc.notice, RDF.type, MCA.Notice))
        first_line = self.draft.text.strip().split("\n", 1)[0].strip()
        g.add((doc.notice, RDFS.label, Literal(first_line, lang="zh")))
        g.add((doc.notice, DCTERMS.language, Literal("zh")))
        g.add((doc.text, RDF.type, MCA.SourceText))
        g.add((doc.text, MCA.textOf, doc.notice))
        g.add((doc.text, DCTERMS.identifier, Literal(self.source_name)))
        g.add((doc.text, DCTERMS.format, Literal("text/plain; charset=utf-8")))
        extent = Literal(len(self.draft.text), datatype=XSD.nonNegativeInteger)
        g.add((doc.text, DCTERMS.extent, extent))
        graph = graph_iri(self.doc_id)
        g.add((graph, RDFS.label, Literal(f"{first_line}（知识图谱草稿）", lang="zh")))
        g.add((graph, RDFS.label, Literal(f"Draft knowledge graph of {self.source_name}", "en")))
        g.add((graph, DCTERMS.source, doc.notice))
        g.add((graph, MCA.reviewStatus, Literal(NEEDS_REVIEW)))
        g.add((doc.figures, RDF.type, QB.DataSet))
        g.add((doc.figures, QB.structure, MCA.figureStructure))
        g.add((doc.figures, DCTERMS.source, doc.notice))
        g.add((doc.figures, RDFS.label, Literal(f"{first_line}：数据（草稿）", lang="zh")))
        g.add((doc.figures, RDFS.label, Literal(f"Figures of {self.source_name} (draft)", "en")))

    def observation(self, node: URIRef, value: str, quote: Span, value_span: Span) -> None:
        g = self.g
        g.add((node, RDF.type, QB.Observation))
        g.add((node, RDF.type, MCA.Figure))
        g.add((node, QB.dataSet, self.doc.figures))
        g.add((node, SDMX_MEASURE.obsValue, Literal(Decimal(value), datatype=XSD.decimal)))
        g.add((node, PROV.wasDerivedFrom, self.passage(quote)))
        g.add((node, MCA.valueSource, self.passage(value_span)))

    def figures(self) -> dict[int, URIRef]:
        g, nodes = self.g, {}
        for number, f in enumerate(self.draft.figures, start=1):
            node = self.doc[f"obs-{number}"]
            nodes[id(f)] = node
            self.observation(node, f.value, f.quote, f.value_span)
            if f.unit:
                g.add((node, SDMX_ATTRIBUTE.unitMeasure, _unit(f.unit)))
            if f.period:
                g.add((node, SDMX_DIMENSION.refPeriod, YEAR[str(f.period)]))
            if f.indicator:
                g.add((node, MCA.indicator, IND[f.indicator]))
            if f.stat_unit:
                g.add((node, SDMX_ATTRIBUTE.statUnit, STAT[f.stat_unit]))
            if f.scope:
                g.add((node, MCA.areaScope, SCOPE[f.scope]))
            if f.qualifier:
                g.add((node, MCA.valueQualifier, QUAL[f.qualifier]))
            if f.first_time:
                g.add((node, MCA.firstTime, Literal(True)))
            label = f"{_label(f.quote.text)}：{f.value_span.text}"
            if f.period:
                label += f"（{f.period}年）"
            g.add((node, RDFS.label, Literal(label, lang="zh")))
            g.add((node, RDFS.label, Literal(f"Draft figure {number}: {f.value}", lang="en")))
            self.review(node, f.notes)
        return nodes

    def growths(self, figures: dict[int, URIRef]) -> None:
        g = self.g
        for number, rate in enumerate(self.draft.growths, start=1):
            node = self.doc[f"growth-{number}"]
            base = rate.qualifies
            self.observation(node, rate.value, rate.quote, rate.value_span)
            g.add((node, RDF.type, MCA.GrowthRate))
            g.add((node, MCA.qualifies, figures[id(base)]))
            g.add((node, MCA.indicator, IND["yoy-growth"]))
            g.add((node, SDMX_ATTRIBUTE.unitMeasure, UNIT.PERCENT))
            g.add((node, MCA.changeType, CHANGE[rate.change]))
            if base.period:
                g.add((node, SDMX_DIMENSION.refPeriod, YEAR[str(base.period)]))
                g.add((node, SDMX_ATTRIBUTE.basePer, YEAR[str(base.period - 1)]))
            if base.scope:
                g.add((node, MCA.areaScope, SCOPE[base.scope]))
            label = f"{_label(base.quote.text)}：同比增长{rate.value_span.text}"
            g.add((node, RDFS.label, Literal(label, lang="zh")))
            g.add((node, RDFS.label, Literal(f"Draft growth rate {number}", lang="en")))
            if base.notes:
                self.review(node, ["the figure it qualifies needs review"])

    def items(self) -> None:
        for number, item in enumerate(self.draft.items, start=1):
            node = self.doc[f"item-{number}"]
            self.g.add((node, RDF.type, MCA.DraftItem))
            self.g.add((node, RDFS.label, Literal(item.quote.text, lang="zh")))
            self.g.add((node, PROV.wasDerivedFrom, self.passage(item.quote)))
            self.review(node, [item.note])

    def tasks(self) -> None:
        g = self.g
        for key, task in enumerate(self.draft.tasks, start=1):
            node = self.doc[f"task-{key}"]
            period = YEAR[str(task.period)] if task.period else None
            self.task(node, MCA.KeyTask, task.quote, task.number, period)
            for number, sub in enumerate(task.subs, start=1):
                sub_node = self.doc[f"task-{key}-{number}"]
                self.task(sub_node, MCA.SubTask, sub, number, period)
                g.add((node, MCA.hasSubTask, sub_node))
                g.add((sub_node, MCA.subTaskOf, node))

    def task(
        self, node: URIRef, cls: URIRef, span: Span, position: int, period: URIRef | None
    ) -> None:
        g = self.g
        g.add((node, RDF.type, MCA.Task))
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, Literal(_label(span.text), lang="zh")))
        g.add((node, PROV.wasDerivedFrom, self.passage(span)))
        g.add((node, MCA.position, Literal(position)))
        if period is not None:
            g.add((node, MCA.plannedPeriod, period))
        self.review(node, ["planned period and responsible agency need review"])

    def agents(self) -> None:
        g, doc = self.g, self.doc
        minted: dict[str, URIRef] = {}
        for number, mention in enumerate(self.draft.agencies, start=1):
            agency = mention.iri
            if agency is None:
                if mention.name not in minted:
                    minted[mention.name] = doc[f"agency-{len(minted) + 1}"]
                    new = minted[mention.name]
                    g.add((new, RDF.type, ORG.Organization))
                    g.add((new, RDFS.label, Literal(mention.name, lang="zh")))
                    self.review(new, ["an agency the reference data does not hold"])
                agency = minted[mention.name]
            self.annotation(doc[f"mention-{number}"], agency, mention.span)
            g.add((doc.notice, DCTERMS.references, agency))
        for number, person in enumerate(self.draft.people, start=1):
            iri = person.iri or doc[f"person-{number}"]
            if person.iri is None:
                g.add((iri, RDF.type, FOAF.Person))
                g.add((iri, RDFS.label, Literal(person.name, lang="zh")))
                self.review(iri, ["a person the reference data does not hold"])
            self.annotation(doc[f"person-mention-{number}"], iri, person.span)
            g.add((doc.notice, DCTERMS.references, iri))
            for index, post_name in enumerate(person.posts, start=1):
                post = doc[f"post-{number}-{index}"]
                g.add((post, RDF.type, ORG.Post))
                label = f"{person.org or ''}{post_name}"
                g.add((post, RDFS.label, Literal(label, lang="zh")))
                g.add((post, ORG.heldBy, iri))
                g.add((post, PROV.wasDerivedFrom, self.passage(person.span)))
                self.review(post, ["a post named in the text: match it to data/reference.ttl"])

    def annotation(self, node: URIRef, body: URIRef, span: Span) -> None:
        self.g.add((node, RDF.type, OA.Annotation))
        self.g.add((node, OA.hasBody, body))
        self.g.add((node, OA.hasTarget, self.passage(span)))

    def proposed_terms(self) -> None:
        """Declare, in the draft itself, the two terms the ontology does not have yet."""
        g = self.g
        for term, kind, comment in (
            (
                MCA.DraftItem,
                OWL.Class,
                "PROPOSED, not in ontology/mca-kg.ttl: something the ingest rules saw in "
                "a text but could not type (a number without a unit, a range, an amount "
                "in yuan with no period), kept with its passage for a person to review.",
            ),
            (
                MCA.reviewStatus,
                OWL.DatatypeProperty,
                "PROPOSED, not in ontology/mca-kg.ttl: the review state of a drafted "
                'resource; "needs-review" until a person has checked it.',
            ),
        ):
            g.add((term, RDF.type, kind))
            g.add((term, RDFS.comment, Literal(comment, lang="en")))

    def build(self) -> Graph:
        self.proposed_terms()
        self.document()
        self.growths(self.figures())
        self.items()
        self.tasks()
        self.agents()
        return self.g


def _unit(name: str) -> URIRef:
    return MCAU[name] if name.startswith("CNY-") else UNIT[name]


def _label(quote: str) -> str:
    return "".join(quote.split())


def draft_graph(draft: Draft, doc_id: str, source_name: str = "input.txt") -> Graph:
    """The draft as RDF, in the notice's namespace ``https://w3id.org/mca-kg/doc/{doc_id}/``."""
    return _Writer(draft, doc_id, source_name).build()


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise InputError(f"{path}: no such file") from error
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text ({error.reason})") from error


def draft_id(path: Path, doc_id: str | None = None) -> str:
    """The notice id that names the draft's IRIs: letters, digits, ``.``, ``_`` and ``-``.

    >>> draft_id(Path("省 通知.txt"))
    'draft-省-通知'
    """
    if doc_id is None:
        return "draft-" + re.sub(r"[^\w.-]+", "-", path.stem).strip("-")
    if not re.fullmatch(r"\w[\w.-]*", doc_id):
        raise InputError(f"--id {doc_id!r}: use letters, digits, '.', '_' and '-' only")
    return doc_id


def ingest(path: Path, doc_id: str | None = None, year: int | None = None) -> tuple[Draft, Graph]:
    """Read a notice and return its extraction and its draft graph."""
    name = draft_id(path, doc_id)
    text = read_text(path)
    draft = extract(text, year)
    return draft, draft_graph(draft, name, path.name)


def validate_draft(graph: Graph, doc_id: str) -> list[str]:
    """Validate the draft with the ontology and reference data; the findings about it, as lines."""
    from kg.dataset import iter_graphs
    from kg.shacl import validate_graph
    from kg.terms import compact

    union = Graph()
    for prefix, iri in PREFIXES.items():
        union.bind(prefix, iri)
    for name, part in iter_graphs():
        if name in (ONTOLOGY_GRAPH, REFERENCE_GRAPH):
            for triple in part:
                union.add(triple)
    for triple in graph:
        union.add(triple)
    report = validate_graph(union)
    mine = str(doc_namespace(doc_id))
    lines = []
    for f in sorted(report.findings, key=lambda f: (f.shape, f.focus, f.path or "")):
        if f.focus.startswith(mine) or f.focus == str(graph_iri(doc_id)):
            where = f" {compact(f.path)}" if f.path else ""
            lines.append(
                f"{f.severity}: {compact(f.shape)}: {compact(f.focus)}{where}: {f.message}"
            )
    return lines


def summary(draft: Draft) -> str:
    """One line: what the draft holds and how much of it needs review."""
    review = sum(1 for f in draft.figures if f.notes) + len(draft.items)
    subs = sum(len(t.subs) for t in draft.tasks)
    return (
        f"draft: {len(draft.figures)} figures, {len(draft.growths)} growth rates, "
        f"{len(draft.tasks)} key tasks with {subs} sub-tasks, {len(draft.agencies)} agency "
        f"mentions, {len(draft.people)} people; {review} items need review"
    )


# ------------------------------------------------------------------ evaluation


@dataclass
class Score:
    """Precision, recall and F1 of one kind of item, with what went wrong."""

    kind: str
    extracted: int
    gold: int
    correct: int
    misses: list[str] = field(default_factory=list)  # gold items not found (or found wrong)
    false: list[str] = field(default_factory=list)  # extracted items not in the gold standard

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class _GoldFigure:
    id: str
    value: Decimal
    unit: str | None
    period: int | None
    span: tuple[int, int]
    growth: Decimal | None = None
    change: str | None = None
    qualifies: str | None = None


def _gold(sheet_path: Path, text: str) -> tuple[dict[str, _GoldFigure], list[_GoldFigure]]:
    """The curated figures (kind "figure") and growth rates, with value spans located in text."""
    from kg.build import load_sheet

    sheet = load_sheet(sheet_path)
    default = int(sheet["document"]["default_period"])
    figures: dict[str, _GoldFigure] = {}
    growths: list[_GoldFigure] = []
    for row in sheet.get("figure", []):
        quote_start = text.find(row["quote"])
        start = text.find(row["value_text"], quote_start, quote_start + len(row["quote"]))
        span = (start, start + len(row["value_text"]))
        kind = row.get("kind", "figure")
        if kind == "figure":
            figures[row["id"]] = _GoldFigure(
                row["id"], Decimal(row["value"]), row["unit"], int(row.get("period", default)), span
            )
        elif kind == "growth":
            growths.append(
                _GoldFigure(
                    row["id"],
                    Decimal(row["value"]),
                    "PERCENT",
                    None,
                    span,
                    change=row.get("change_type", "relative"),
                    qualifies=row["qualifies"],
                )
            )
    for rate in growths:
        figures[str(rate.qualifies)].growth = rate.value
    return figures, growths


def _overlaps(a: tuple[int, int], b: Span) -> bool:
    return a[0] < b.end and b.start < a[1]


def _describe(f: Figure) -> str:
    return f"{f.value_span.text!r} at {f.value_span.start}: {f.value} {f.unit} {f.period}"


def evaluate(draft: Draft, sheet_path: Path, notice_path: Path) -> list[Score]:
    """Compare a draft with the curated sheet and graph of the same text, kind by kind.

    Figures pair by overlapping value passages; a pair is correct when value, unit,
    period and year-on-year growth are all equal. Growth rates pair the same way
    and must also agree on change type and on the figure they qualify. Tasks
    (key tasks and sub-tasks of numbered lists) must have exactly the curated
    offsets. Organisations compare the agencies and people the curated graph names
    with those the draft refers to (``dcterms:references``).
    """
    text = draft.text
    gold_figures, gold_growths = _gold(sheet_path, text)
    growth_of = {id(g.qualifies): g for g in draft.growths}
    figure_score = Score("figure", len(draft.figures), len(gold_figures), 0)
    matched: dict[str, Figure] = {}
    for f in draft.figures:
        gold = next(
            (
                g
                for g in gold_figures.values()
                if g.id not in matched and _overlaps(g.span, f.value_span)
            ),
            None,
        )
        if gold is None:
            figure_score.false.append(_describe(f))
            continue
        matched[gold.id] = f
        rate = growth_of.get(id(f))
        growth = Decimal(rate.value) if rate else None
        wrong = [
            what
            for what, ok in (
                ("value", Decimal(f.value) == gold.value),
                ("unit", f.unit == gold.unit),
                ("period", f.period == gold.period),
                ("growth", growth == gold.growth),
            )
            if not ok
        ]
        if wrong:
            figure_score.false.append(f"{_describe(f)}: wrong {', '.join(wrong)} (gold {gold.id})")
            figure_score.misses.append(gold.id)
        else:
            figure_score.correct += 1
    figure_score.misses += [g for g in gold_figures if g not in matched]

    growth_score = Score("growth rate", len(draft.growths), len(gold_growths), 0)
    seen: set[str] = set()
    for rate in draft.growths:
        gold = next(
            (g for g in gold_growths if g.id not in seen and _overlaps(g.span, rate.value_span)),
            None,
        )
        if gold is None:
            growth_score.false.append(f"{rate.value_span.text!r} at {rate.value_span.start}")
            continue
        seen.add(gold.id)
        target = gold_figures[str(gold.qualifies)]
        ok = (
            Decimal(rate.value) == gold.value
            and rate.change == gold.change
            and _overlaps(target.span, rate.qualifies.value_span)
        )
        if ok:
            growth_score.correct += 1
        else:
            growth_score.false.append(f"{rate.value_span.text!r}: wrong (gold {gold.id})")
            growth_score.misses.append(gold.id)
    growth_score.misses += [g.id for g in gold_growths if g.id not in seen]

    from kg.build import load_sheet

    sheet = load_sheet(sheet_path)
    gold_tasks: set[tuple[int, int]] = set()
    for row in sheet.get("task", []):
        for quote in [row["quote"], *(s["quote"] for s in row.get("sub", []))]:
            start = text.find(quote)
            gold_tasks.add((start, start + len(quote)))
    spans = [t.quote for t in draft.tasks] + [s for t in draft.tasks for s in t.subs]
    found = {(s.start, s.end) for s in spans}
    task_score = Score("task", len(found), len(gold_tasks), len(found & gold_tasks))
    task_score.misses = [repr(text[a:b]) for a, b in sorted(gold_tasks - found)]
    task_score.false = [repr(text[a:b]) for a, b in sorted(found - gold_tasks)]

    curated = Graph()
    curated.parse(notice_path, format="turtle")
    gold_agents = {
        str(o)
        for o in curated.objects()
        if isinstance(o, URIRef) and str(o).startswith((str(AGENCY), str(PERSON)))
    }
    graph = draft_graph(draft, "evaluation")
    agents = {str(o) for o in graph.objects(doc_namespace("evaluation").notice, DCTERMS.references)}
    org_score = Score("organisation", len(agents), len(gold_agents), len(agents & gold_agents))
    org_score.misses = sorted(_short(a) for a in gold_agents - agents)
    org_score.false = sorted(_short(a) for a in agents - gold_agents)
    return [figure_score, growth_score, task_score, org_score]


def _short(iri: str) -> str:
    for prefix, base in (("agency:", str(AGENCY)), ("person:", str(PERSON))):
        if iri.startswith(base):
            return prefix + iri[len(base) :]
    return iri


def evaluation_markdown(scores: list[Score], source_name: str, sheet_name: str) -> str:
    """The evaluation as the Markdown of docs/ingest-evaluation.md (no dates: reproducible)."""
    lines = [
        "# Ingest: evaluation on the shipped notice",
        "",
        "Generated by `kg ingest data/source/" + source_name + " --evaluate`; do not edit.",
        "",
        f"The rule-based extractor (`kg/ingest.py`) read `data/source/{source_name}` and its",
        f"draft was compared with the curated reading `data/curation/{sheet_name}` and the",
        "graph built from it. Figures pair by overlapping value passages and count as",
        "correct only when value, unit, period and year-on-year growth are all equal;",
        "growth rates must also agree on change type and on the figure they qualify;",
        "tasks (key tasks and sub-tasks of numbered lists) must have the curated",
        "offsets exactly; organisations compare the agencies and people the curated",
        "graph names with those the draft refers to. Corrected readings, statements,",
        "year-end arrangements and areas of responsibility are not extracted.",
        "",
        "Read these numbers as in-sample: the rules were written with this notice in",
        "view (though none names its sentences). Untyped items (numbers without a",
        "unit, ranges, amounts in yuan with no period) are kept for review and are not",
        "counted as figures. The short notices in `tests/fixtures/ingest/` exercise each",
        "rule with expected extractions written by hand (`tests/test_ingest.py`), and",
        "the known misses there are strict xfails.",
        "",
        "| kind | extracted | curated | correct | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        lines.append(
            f"| {s.kind} | {s.extracted} | {s.gold} | {s.correct} | "
            f"{s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |"
        )
    for s in scores:
        lines += ["", f"## {s.kind}", ""]
        if not s.misses and not s.false:
            lines.append("No misses, nothing extra.")
        for miss in s.misses:
            lines.append(f"- missed or wrong: {miss}")
        for extra in s.false:
            lines.append(f"- not in the curated graph (or wrong): {extra}")
    return "\n".join(lines) + "\n"


def sheet_for(source: Path) -> tuple[Path, Path]:
    """The curation sheet and the built notice Turtle whose source text is ``source``."""
    from kg.build import load_sheet, notice_output_path

    for sheet in resources.curation_files():
        if load_sheet(sheet)["document"].get("source") == source.name:
            return sheet, notice_output_path(sheet)
    raise InputError(f"{source}: no curation sheet names this text, nothing to evaluate against")


__all__ = [
    "Draft",
    "Figure",
    "Growth",
    "Score",
    "chinese_integer",
    "document_year",
    "draft_graph",
    "evaluate",
    "evaluation_markdown",
    "extract",
    "ingest",
    "parse_number",
    "sheet_for",
    "summary",
    "validate_draft",
]
