"""``kg report``: the notice as one self-contained HTML page.

The page is built from the graph alone: the stored questions of ``queries/``
where one answers what a section shows, and the three queries of this folder
(every figure, every passage, the task tree) for what the page needs to lay the
figures out. Every number on it links to its value passage, shown highlighted
in its sentence in the section "The words behind the numbers".

The page needs no network: its style sheet is inlined and its charts are HTML
bars, not scripts, so it opens from a file, prints, and reads on a phone.

>>> html = build_report()
>>> "<!DOCTYPE html>" in html and 'href="#q-mca-2020-12-26-passage-314-318"' in html
True
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import resources
from kg.catalogue import LANGUAGES
from kg.dataset import load_store
from kg.errors import InputError
from kg.html import render
from kg.namespaces import PREFIXES
from kg.query import run

HERE = Path(__file__).parent

#: What the page says in each language; labels of the data come from the graph.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "lang_other": "中文",
        "overview": "Overview",
        "standards": "Assistance standards",
        "standards_lead": (
            "Urban and rural standards on one annual basis (a monthly standard times 12). "
            "Bars are to scale within the chart; each number opens its words in the notice."
        ),
        "urban": "urban",
        "rural": "rural",
        "all_standards": "Every standard, as stated, with its growth on the year before",
        "growth": "Growth of each standard on the year before",
        "counts": "Who is covered, and how many",
        "counts_lead": "Beneficiaries and other counts the notice reports.",
        "other_figures": "Rates, shares and other figures",
        "tasks": "The seven key tasks for 2021",
        "tasks_lead": (
            "Each key task with its sub-tasks, the policy areas and the groups they concern."
        ),
        "by_area": "Tasks by policy area",
        "by_group": "Tasks by population group",
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
        "violations": "violations",
        "warnings": "warnings",
        "check": "Check",
        "rows": "Problems found",
        "corrected": "Figures read differently from the notice",
        "quotes": "The words behind the numbers",
        "quotes_lead": (
            "Each passage of the notice that a number or task "
            "on this page comes from, in its sentence."
        ),
        "full_text": "The whole notice",
        "figure": "Figure",
        "value": "Value",
        "unit": "Unit",
        "period": "Period",
        "scope": "Scope",
        "group": "Group",
        "base": "Base period",
        "growth_col": "Growth",
        "role": "Role",
        "name": "Name",
        "post": "Post",
        "kind": "Kind",
        "recipients": "Recipients",
        "stated": "As stated",
        "reading": "Read as",
        "why": "Why",
        "source": "Source",
        "corrected_mark": "corrected reading: see Data quality",
        "subtasks": "sub-tasks",
        "key_tasks": "key tasks",
        "quote": "quote",
        "made_by": (
            "Made by mca-kg from the knowledge graph; every number links to its source words."
        ),
        "date": "Date",
        "form": "Form",
        "organiser": "Organiser",
    },
    "zh": {
        "lang_other": "English",
        "overview": "概览",
        "standards": "保障标准",
        "standards_lead": (
            "城乡标准统一按年计（月标准乘以12）。同一图内条形按比例；点击数字可查看通知原文。"
        ),
        "urban": "城市",
        "rural": "农村",
        "all_standards": "各项标准（按原文）及其同比增长",
        "growth": "各项标准的同比增长",
        "counts": "保障对象及人数",
        "counts_lead": "通知报告的保障对象人数及其他计数。",
        "other_figures": "比率、占比及其他数据",
        "tasks": "2021年七项重点任务",
        "tasks_lead": "每项重点任务及其子任务、所属政策领域和涉及人群。",
        "by_area": "按政策领域统计任务",
        "by_group": "按人群统计任务",
        "meeting": "会议及参会者",
        "people": "主持人和讲话人",
        "participants": "参会单位及会场",
        "awards": "表彰",
        "quality": "数据质量",
        "quality_lead": "SHACL 形状和已存检查在图中发现的问题，以及与通知原文读法不同的数据。",
        "conforms": "图符合其全部形状约束",
        "not_conforms": "图不符合其形状约束",
        "violations": "项违规",
        "warnings": "项警告",
        "check": "检查",
        "rows": "发现的问题",
        "corrected": "与通知原文读法不同的数据",
        "quotes": "数字背后的原文",
        "quotes_lead": "本页每个数字或任务所依据的通知原文段落，连同所在句子。",
        "full_text": "通知全文",
        "figure": "数据",
        "value": "数值",
        "unit": "单位",
        "period": "时期",
        "scope": "范围",
        "group": "人群",
        "base": "基期",
        "growth_col": "增长",
        "role": "角色",
        "name": "名称",
        "post": "职务",
        "kind": "类别",
        "recipients": "受表彰数",
        "stated": "原文",
        "reading": "读作",
        "why": "理由",
        "source": "来源",
        "corrected_mark": "更正读法：见“数据质量”",
        "subtasks": "项子任务",
        "key_tasks": "项重点任务",
        "quote": "原文",
        "made_by": "由 mca-kg 根据知识图谱生成；每个数字都链接到其原文。",
        "date": "日期",
        "form": "形式",
        "organiser": "主办",
    },
}

_CONTEXT = 80  # at most this many characters of the sentence either side of a quote
_BOUNDARIES = "。！？；\n"


@dataclass
class Quote:
    """A passage of a source text, with the words around it in its sentence."""

    anchor: str
    exact: str
    start: int
    end: int
    before: str
    after: str
    used: bool = False


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
    scope_label: str
    program: str
    program_label: str
    group_label: str
    stat_unit_label: str
    qualifies: str
    corrects: str
    award: str
    quote: str  # anchor of its value passage, "" if it has none
    beneficiaries: bool = False
    qualifier: str = ""
    growth: Figure | None = None
    correction: Figure | None = None
    corrected_in: list[Figure] = field(default_factory=list)


def _text(term: Any) -> str:
    return "" if term is None else str(term.value)


def _select(store: ox.Store, name: str, lang: str | None) -> list[dict[str, Any]]:
    """Run one of this folder's queries, ``$lang`` bound to ``lang``."""
    query = (HERE / f"{name}.rq").read_text(encoding="utf-8")
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {}
    if lang is not None:
        substitutions[ox.Variable("lang")] = ox.Literal(lang)
    solutions = store.query(
        query,
        prefixes={p: str(iri) for p, iri in PREFIXES.items()},
        use_default_graph_as_union=True,
        substitutions=substitutions,
    )
    assert isinstance(solutions, ox.QuerySolutions)
    variables = [v.value for v in solutions.variables]
    return [{v: row[v] for v in variables} for row in solutions]


def anchor(passage: str) -> str:
    """A page anchor for a passage IRI: ``q-`` and its document and local name.

    >>> anchor("https://w3id.org/mca-kg/doc/mca-2020-12-26/passage-314-318")
    'q-mca-2020-12-26-passage-314-318'
    """
    document, local = passage.rstrip("/").rsplit("/", 2)[-2:]
    return f"q-{document}-{local}"


def sentence_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The words of the sentence before and after ``text[start:end]``, each cut at 80 characters.

    >>> sentence_context("甲。城乡低保标准达到665元，同比增长。乙", 10, 14)
    ('城乡低保标准达到', '，同比增长。')
    """
    first = start
    while first > 0 and text[first - 1] not in _BOUNDARIES and start - first < _CONTEXT:
        first -= 1
    last = end
    while last < len(text) and last - end < _CONTEXT:
        last += 1
        if text[last - 1] in _BOUNDARIES:
            break
    return text[first:start], text[end:last].rstrip("\n")


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
            except OSError as error:
                raise InputError(f"{path}: cannot read the source text: {error}") from error
        text = texts[name]
        start, end, exact = int(_text(row["start"])), int(_text(row["end"])), _text(row["exact"])
        if text[start:end] != exact:
            raise InputError(f"{_text(row['passage'])}: its offsets do not span its quote")
        before, after = sentence_context(text, start, end)
        iri = _text(row["passage"])
        quotes[iri] = Quote(anchor(iri), exact, start, end, before, after)
    return quotes, texts


def _figures(store: ox.Store, lang: str, quotes: dict[str, Quote]) -> list[Figure]:
    figures: dict[str, Figure] = {}
    for row in _select(store, "figures", lang):
        passage = _text(row["value_passage"])
        if passage in quotes:
            quotes[passage].used = True
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
            scope_label=_text(row["scope_label"]),
            program=_text(row["program"]),
            program_label=_text(row["program_label"]),
            group_label=_text(row["group_label"]),
            stat_unit_label=_text(row["stat_unit_label"]),
            qualifies=_text(row["qualifies"]),
            corrects=_text(row["corrects"]),
            award=_text(row["award"]),
            quote=quotes[passage].anchor if passage in quotes else "",
            beneficiaries=_text(row["beneficiaries"]) == "true",
            qualifier=_text(row["qualifier_label"]),
        )
        figures.setdefault(figure.iri, figure)  # a figure in two graphs is shown once
    for figure in figures.values():
        if figure.qualifies in figures:
            figures[figure.qualifies].growth = figure
        if figure.corrects in figures:
            figures[figure.corrects].correction = figure
    return list(figures.values())


@dataclass
class Bar:
    """One bar of a chart: its share of the longest bar, in percent."""

    label: str
    value: Decimal
    shown: str
    quote: str
    share: float = 0.0
    tone: str = ""
    note: str = ""


def scaled(bars: list[Bar]) -> list[Bar]:
    """Set each bar's share of the largest absolute value (charts start at zero)."""
    top = max((abs(b.value) for b in bars), default=Decimal(0))
    for bar in bars:
        bar.share = float(abs(bar.value) / top * 100) if top else 0.0
    return bars


def number(value: Decimal, lang: str) -> str:
    """A number as people read it: digits grouped, no trailing zeros.

    >>> number(Decimal("19360000"), "en"), number(Decimal("1567.20"), "zh")
    ('19,360,000', '1,567.2')
    """
    text = f"{value.normalize():,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def shown(figure: Figure, lang: str) -> str:
    """A figure's value as the notice qualifies it, with its unit where that is a sign.

    12.8%, not 12.8 Percent; "more than 13%" where the notice says 超过13%.
    """
    text = number(figure.value, lang)
    text = f"{text}%" if figure.unit.endswith("/PERCENT") else text
    if figure.qualifier:
        word = figure.qualifier.split(" (", 1)[0]  # "more than (exclusive lower bound)"
        text = f"{word}{text}" if lang == "zh" else f"{word} {text}"
    return text


def _annual(figure: Figure) -> tuple[Decimal, Figure]:
    """A standard per year, read through its correction if it has one."""
    used = figure.correction or figure
    return used.value * (used.factor or Decimal(1)), used


def _urban_rural(figures: list[Figure], lang: str) -> list[dict[str, Any]]:
    """Programmes with an urban and a rural standard of one period, per year, as bar pairs."""
    stated = [f for f in figures if f.kind == "standard" and not f.corrects]
    pairs: dict[tuple[str, str], dict[str, Figure]] = defaultdict(dict)
    for figure in stated:
        scope = figure.scope.rsplit("/", 1)[-1]
        if scope in ("urban", "rural") and figure.factor is not None:
            pairs[(figure.program_label, figure.period)][scope] = figure
    words = WORDS[lang]
    groups = []
    bars: list[Bar] = []
    for (program, period), pair in sorted(pairs.items()):
        if set(pair) != {"urban", "rural"}:
            continue
        group_bars = []
        for scope in ("urban", "rural"):
            amount, used = _annual(pair[scope])
            note = words["corrected_mark"] if used is not pair[scope] else ""
            bar = Bar(words[scope], amount, number(amount, lang), pair[scope].quote, tone=scope)
            bar.note = note
            group_bars.append(bar)
        bars.extend(group_bars)
        unit = next(f for f in figures if f.unit.endswith("CNY-PER-YR")).unit_label
        title = (
            f"{program}（{period}，{unit}）" if lang == "zh" else f"{program}, {period} ({unit})"
        )
        groups.append({"title": title, "bars": group_bars})
    scaled(bars)  # one scale for the whole chart, so programmes compare
    return groups


def _rows(answer: Any) -> list[dict[str, str]]:
    return [{k: _text(v) for k, v in row.items()} for row in answer.rows]


def _tasks(store: ox.Store, lang: str, quotes: dict[str, Quote]) -> list[dict[str, Any]]:
    rows = _select(store, "tasks", lang)
    tree: dict[str, dict[str, Any]] = {}
    children: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        passage = _text(row["passage"])
        if passage in quotes:
            quotes[passage].used = True
        iri = _text(row["task"])
        task: dict[str, Any] = {
            "iri": iri,
            "position": int(_text(row["position"])),
            "label": _text(row["label"]),
            "areas": [a for a in _text(row["areas"]).split(" | ") if a],
            "groups": [g for g in _text(row["groups"]).split(" | ") if g],
            "quote": quotes[passage].anchor if passage in quotes else "",
            "subtasks": [],
        }
        parent = _text(row["parent"])
        if parent:
            children[parent].append(task)
        else:
            tree[iri] = task
    for iri, subtasks in children.items():
        if iri in tree:
            tree[iri]["subtasks"] = sorted(subtasks, key=lambda t: t["position"])
    return sorted(tree.values(), key=lambda t: t["position"])


def _count_bars(answer: Any, column: str, lang: str) -> list[Bar]:
    rows = _rows(answer)
    bars = [
        Bar(r[f"{column}_name"], Decimal(r["total"]), number(Decimal(r["total"]), lang), "")
        for r in rows
    ]
    return scaled(sorted(bars, key=lambda b: (-b.value, b.label)))


def _people(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """One row per role and person, their posts together."""
    people: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["role_name"], row["name"])
        people.setdefault(key, {"role_name": row["role_name"], "name": row["name"], "posts": []})
        people[key]["posts"].append(row["post_name"])
    return list(people.values())


def _quality(store: ox.Store, lang: str) -> dict[str, Any]:
    from kg.catalogue import check_registry, load
    from kg.shacl import validate

    report = validate()
    checks = []
    for name in sorted(check_registry()):
        query = load(name)
        params = {"lang": lang} if any(p.name == "lang" for p in query.params) else {}
        answer = run(name, params, store=store)
        checks.append({"name": name, "title": query.title(lang), "rows": _rows(answer)})
    corrected = _rows(run("corrected-readings", {"lang": lang}, store=store))
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


def report_context(lang: str = "en", store: ox.Store | None = None) -> dict[str, Any]:
    """Everything the page shows, as plain values (what the template and the tests read)."""
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}; choose from {', '.join(LANGUAGES)}")
    store = load_store() if store is None else store
    quotes, texts = _quotes(store)
    figures = _figures(store, lang, quotes)
    standards = [f for f in figures if f.kind == "standard" and not f.corrects]
    standard_iris = {f.iri for f in standards}
    growth_bars = scaled(
        [
            Bar(f.label, f.growth.value, shown(f.growth, lang), f.growth.quote)
            for f in sorted(standards, key=lambda f: -(f.growth.value if f.growth else 0))
            if f.growth is not None
        ]
    )
    counts = [f for f in figures if f.kind == "count" and f.beneficiaries]
    count_bars = scaled(
        [
            Bar(
                f.label,
                f.value,
                f"{number(f.value, lang)} {f.stat_unit_label}".strip(),
                f.quote,
            )
            for f in sorted(counts, key=lambda f: -f.value)
        ]
    )
    meeting = _rows(run("meeting", {"lang": lang}, store=store))
    return {
        "lang": lang,
        "words": WORDS[lang],
        "meeting": meeting[0] if meeting else {},
        "urban_rural": _urban_rural(figures, lang),
        "standards": sorted(standards, key=lambda f: (f.program_label, f.label)),
        "growth_bars": growth_bars,
        "count_bars": count_bars,
        "others": [
            f
            for f in figures
            if (f.kind == "count" and not f.beneficiaries and not f.award)
            or f.kind == "other"
            or (f.kind == "rate" and f.qualifies not in standard_iris)
        ],
        "tasks": _tasks(store, lang, quotes),
        "by_area": _count_bars(
            run("tasks-by-policy-area", {"lang": lang}, store=store), "area", lang
        ),
        "by_group": _count_bars(run("tasks-by-group", {"lang": lang}, store=store), "group", lang),
        "people": _people(_rows(run("meeting-people", {"lang": lang}, store=store))),
        "participants": _rows(run("meeting-participants", {"lang": lang}, store=store)),
        "awards": [f for f in figures if f.award],
        "award_names": {
            r["award"]: r["name"] for r in _rows(run("awards", {"lang": lang}, store=store))
        },
        "quality": _quality(store, lang),
        "quotes": sorted((q for q in quotes.values() if q.used), key=lambda q: q.start),
        "texts": texts,
        "quote_of": {f.iri: f.quote for f in figures},
        "number": lambda value: number(value, lang),
        "shown": lambda figure: shown(figure, lang),
        "decimal_number": lambda text: number(Decimal(text), lang),
    }


def build_report(lang: str = "en", store: ox.Store | None = None) -> str:
    """The report page, as HTML text."""
    return render("report.html.j2", **report_context(lang, store))
