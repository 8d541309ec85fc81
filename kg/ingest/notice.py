"""The parts of a notice that are not figures: numbered tasks, agencies and people.

Rule-based and local, as the figure rules: numbered lists (一要 … 七要, 一是 …
二是) are key tasks and their clauses sub-tasks; agencies are found by the
Chinese names of ``data/reference.ttl`` (plus a few ministries notices cite);
people by a post before a name (部长李纪恒).

>>> found = extract_notice("会议强调，一要抓好兜底保障，加强低保；二要推进养老服务，发展社区养老。")
>>> [(t.number, t.quote.text, [s.text for s in t.subs]) for t in found.tasks]
[(1, '一要抓好兜底保障', ['加强低保']), (2, '二要推进养老服务', ['发展社区养老'])]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from kg import resources
from kg.ingest.numbers import chinese_value
from kg.namespaces import AGENCY, PERSON

_CLAUSE_END = "，,；;。！？!?\n"
_YEAR_TOKEN = re.compile(r"(\d{4})年(?!\d{1,2}月)")
_PARAGRAPH = re.compile(r"\n[ \t\u3000]*\n")


def chinese_integer(text: str) -> int:
    return int(chinese_value(text))


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


@dataclass
class Span:
    start: int
    end: int
    text: str


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


# ------------------------------------------------------------------ tasks

_TASK_MARKER = re.compile(r"(?P<n>十[一二三四五六七八九]?|[一二三四五六七八九])(?P<kind>要|是)")


def _extract_tasks(draft: NoticeParts) -> None:
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


def _extract_agencies(draft: NoticeParts) -> None:
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


def _extract_people(draft: NoticeParts) -> None:
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


@dataclass
class NoticeParts:
    text: str
    year: int | None
    tasks: list[Task] = field(default_factory=list)
    agencies: list[AgencyMention] = field(default_factory=list)
    people: list[PersonMention] = field(default_factory=list)


def extract_notice(text: str, year: int | None = None) -> NoticeParts:
    """Numbered tasks, agencies and people of a notice's text."""
    draft = NoticeParts(text, year)
    _extract_tasks(draft)
    _extract_agencies(draft)
    _extract_people(draft)
    return draft


__all__ = ["AgencyMention", "NoticeParts", "PersonMention", "Span", "Task", "extract_notice"]
