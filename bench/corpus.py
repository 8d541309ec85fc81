"""A synthetic national corpus in the project's own ontology, for benchmarking at scale.

    python bench/corpus.py --triples 1000000 --faults 40 --seed 1 -o /tmp/corpus-1m.nq
    python bench/corpus.py --triples 10k -o /tmp/corpus-10k.ttl --validate

``--triples`` takes a number or 10k / 100k / 1m / 5m; the generator picks how many
provinces, counties and quarters to cover to come near it, and prints the count it
actually wrote. The corpus is streamed line by line, never held in memory as a
graph: N-Quads (``.nq``, the default, one named graph per document) for loading at
scale; ``.trig`` or ``.ttl`` (Turtle merges the graphs, for ``kg validate FILE``)
are converted from the N-Quads through pyoxigraph, for small sizes.

What it writes, modelled exactly as ``data/notices/mca-2020-12-26.ttl`` is:

* ``graph/sim-reference``: the 31 provinces (real names) and their counties
  (about 2,800 at full size; synthetic names and codes) as ``mca:AdministrativeArea``
  with a civil-affairs agency each (``mca:GovernmentAgency``); every quarter the
  figures use, as ``time:DateTimeInterval`` named like reference.data.gov.uk
  (``http://reference.data.gov.uk/id/quarter/2025-Q3``), with beginning and end
  instants and a ``time:DateTimeDescription`` in a local quarter unit (OWL-Time has
  none), exactly as ``data/reference.ttl`` models years.
* ``graph/sim-{county}-{year}q{quarter}``, one per county and quarter: the county
  bureau's public notice of its dibao and tekun standards and beneficiary counts.
  Each is a ``mca:Notice`` with its generated Chinese text (``mca:SourceText``,
  the text itself as ``rdf:value``) and one ``qb:DataSet`` (``dcterms:spatial``
  says which county, as ``sdmx-dimension:refArea`` does on each figure). Its
  figures are ``qb:Observation`` / ``mca:Figure``:
  indicator, quarter, urban/rural scope, beneficiary group, programme, unit (the
  one the indicator's ``mca:expectedUnit`` names; monthly and annual standards
  are mixed, as counties publish them), statistical unit, an ``xsd:decimal``
  value, and two passages (Web Annotation quote and position selectors) into the
  text: the sentence (``prov:wasDerivedFrom``) and the number itself
  (``mca:valueSource``), so that ``text[start:end] == exact``. Urban and rural
  dibao standards carry a ``mca:GrowthRate`` against the same quarter a year
  before (``sdmx-attribute:basePer``), computed from that quarter's standard.
* ``graph/sim-{province}-{year}-conference``, one per province and year: the
  report of the provincial work conference held in December, with the province's
  average standards and beneficiary totals of the year (growth against the year
  before), qualitative results (``mca:QualitativeResult``), and the next year's
  key tasks and sub-tasks (``mca:KeyTask`` / ``mca:SubTask``), deployed at the
  conference (``mca:Meeting``) and planned for the next calendar year.

Values are plausible: monthly urban dibao 480-1,140 yuan, rural a little lower,
tekun 1.3-1.6 times the county's dibao, well within the factor 0.5-5 of the dibao
standard of the same period, area and scope that ``mcash:PlausibleStandardShape``
allows.

Planted faults (``--faults N``: exactly N, spread evenly over four kinds, at
most one per county notice, chosen from ``--seed``), each caught by one named
shape and by nothing else:

``wrong-unit`` (reported by ``mcash:UnitOfIndicatorShape``)
    a standard recorded in unit:NUM, an annual standard filed under the monthly
    indicator, or a head count recorded in yuan per month.
``missing-period`` (``mcash:FigurePeriod``)
    a figure without ``sdmx-dimension:refPeriod``.
``base-after`` (``mcash:BasePeriodShape``)
    a growth rate whose base period is the same quarter a year *after* its
    reference period.
``implausible`` (``mcash:PlausibleStandardShape``, a warning)
    a tekun standard stated "per month" at its annual amount (the real notice's
    own error): 15-20 times the dibao standard once annualised.

The manifest (``{output stem}.faults.json``) lists each fault with its kind, focus
node, graph, the shape IRI, severity and result path, so that a benchmark can check
that validation found every planted fault and nothing else. ``--validate`` does that
check here (small sizes only: it validates in memory with ``kg.shacl``).

The same arguments always give byte-identical output.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.namespaces import BASE, PREFIXES
from kg.passages import CONTEXT_CHARS

# ---------------------------------------------------------------------- terms

SHAPES = BASE + "shapes#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_DCT = "http://purl.org/dc/terms/"
_TIME = "http://www.w3.org/2006/time#"
_OA = "http://www.w3.org/ns/oa#"
_PROV = "http://www.w3.org/ns/prov#"
_QB = "http://purl.org/linked-data/cube#"
_ORG = "http://www.w3.org/ns/org#"
_SDMX_A = "http://purl.org/linked-data/sdmx/2009/attribute#"
_SDMX_D = "http://purl.org/linked-data/sdmx/2009/dimension#"
_SDMX_M = "http://purl.org/linked-data/sdmx/2009/measure#"
_MCA = BASE + "def#"
_CONCEPT = BASE + "concept/"
_UNIT = "http://qudt.org/vocab/unit/"
_MCAU = BASE + "unit/"
_MCATIME = BASE + "time/"
_AGENCY = BASE + "org/"
_PLACE = BASE + "place/"
_YEAR = "http://reference.data.gov.uk/id/year/"
_QUARTER = "http://reference.data.gov.uk/id/quarter/"

REFERENCE_GRAPH = BASE + "graph/sim-reference"
#: OWL-Time has no quarter unit (see ontology/vendor/README.md); the corpus defines one.
QUARTER_UNIT = _MCATIME + "unitQuarter"


def _iri(value: str) -> str:
    return f"<{value}>"


A = _iri(_RDF + "type")
LABEL = _iri(_RDFS + "label")
VALUE = _iri(_RDF + "value")
COMMENT = _iri(_RDFS + "comment")


class _Terms:
    """Predicate and class IRIs as N-Quads terms, by a short name."""

    def __init__(self, **iris: str) -> None:
        self._terms = {name: _iri(value) for name, value in iris.items()}

    def __getattr__(self, name: str) -> str:
        try:
            return self._terms[name]
        except KeyError:
            raise AttributeError(name) from None


T = _Terms(
    # classes
    Observation=_QB + "Observation",
    DataSet=_QB + "DataSet",
    Figure=_MCA + "Figure",
    GrowthRate=_MCA + "GrowthRate",
    Change=_MCA + "Change",
    Notice=_MCA + "Notice",
    SourceText=_MCA + "SourceText",
    Passage=_MCA + "Passage",
    Meeting=_MCA + "Meeting",
    Task=_MCA + "Task",
    KeyTask=_MCA + "KeyTask",
    SubTask=_MCA + "SubTask",
    Statement=_MCA + "Statement",
    QualitativeResult=_MCA + "QualitativeResult",
    GovernmentAgency=_MCA + "GovernmentAgency",
    SpecificResource=_OA + "SpecificResource",
    TextQuoteSelector=_OA + "TextQuoteSelector",
    TextPositionSelector=_OA + "TextPositionSelector",
    Location=_DCT + "Location",
    AdministrativeArea=_MCA + "AdministrativeArea",
    Instant=_TIME + "Instant",
    ProperInterval=_TIME + "ProperInterval",
    DateTimeInterval=_TIME + "DateTimeInterval",
    DateTimeDescription=_TIME + "DateTimeDescription",
    TemporalUnit=_TIME + "TemporalUnit",
    # properties
    dataSet=_QB + "dataSet",
    structure=_QB + "structure",
    indicator=_MCA + "indicator",
    areaScope=_MCA + "areaScope",
    beneficiaryGroup=_MCA + "beneficiaryGroup",
    program=_MCA + "program",
    valueSource=_MCA + "valueSource",
    qualifies=_MCA + "qualifies",
    changeType=_MCA + "changeType",
    changeOf=_MCA + "changeOf",
    textOf=_MCA + "textOf",
    reports=_MCA + "reports",
    organiser=_MCA + "organiser",
    deployedAt=_MCA + "deployedAt",
    plannedPeriod=_MCA + "plannedPeriod",
    policyArea=_MCA + "policyArea",
    concernsGroup=_MCA + "concernsGroup",
    concernsProgram=_MCA + "concernsProgram",
    responsibleAgency=_MCA + "responsibleAgency",
    hasSubTask=_MCA + "hasSubTask",
    subTaskOf=_MCA + "subTaskOf",
    position=_MCA + "position",
    refPeriod=_SDMX_D + "refPeriod",
    refArea=_SDMX_D + "refArea",
    obsValue=_SDMX_M + "obsValue",
    unitMeasure=_SDMX_A + "unitMeasure",
    statUnit=_SDMX_A + "statUnit",
    basePer=_SDMX_A + "basePer",
    wasDerivedFrom=_PROV + "wasDerivedFrom",
    wasAssociatedWith=_PROV + "wasAssociatedWith",
    notation="http://www.w3.org/2004/02/skos/core#notation",
    hasPart=_DCT + "hasPart",
    groupInScope=_MCA + "groupInScope",
    programInScope=_MCA + "programInScope",
    agencyInScope=_MCA + "agencyInScope",
    hasSource=_OA + "hasSource",
    hasSelector=_OA + "hasSelector",
    exact=_OA + "exact",
    prefix=_OA + "prefix",
    suffix=_OA + "suffix",
    start=_OA + "start",
    end=_OA + "end",
    title=_DCT + "title",
    language=_DCT + "language",
    publisher=_DCT + "publisher",
    source=_DCT + "source",
    issued=_DCT + "issued",
    date=_DCT + "date",
    identifier=_DCT + "identifier",
    format=_DCT + "format",
    extent=_DCT + "extent",
    spatial=_DCT + "spatial",
    temporal=_DCT + "temporal",
    isPartOf=_DCT + "isPartOf",
    subOrganizationOf=_ORG + "subOrganizationOf",
    hasTime=_TIME + "hasTime",
    hasBeginning=_TIME + "hasBeginning",
    hasEnd=_TIME + "hasEnd",
    inXSDDate=_TIME + "inXSDDate",
    hasDateTimeDescription=_TIME + "hasDateTimeDescription",
    unitType=_TIME + "unitType",
    year=_TIME + "year",
    month=_TIME + "month",
    years=_TIME + "years",
    months=_TIME + "months",
    weeks=_TIME + "weeks",
    days=_TIME + "days",
    hours=_TIME + "hours",
    minutes=_TIME + "minutes",
    seconds=_TIME + "seconds",
    figureStructure=_MCA + "figureStructure",
    # units
    CNY_PER_MO=_MCAU + "CNY-PER-MO",
    CNY_PER_YR=_MCAU + "CNY-PER-YR",
    NUM=_UNIT + "NUM",
    PERCENT=_UNIT + "PERCENT",
    # agencies of data/reference.ttl
    civil_affairs_departments=_AGENCY + "civil-affairs-departments",
)


def concept(scheme: str, name: str) -> str:
    """A concept of ontology/concepts.ttl, e.g. ``concept("indicator", "yoy-growth")``."""
    return f"<{_CONCEPT}{scheme}/{name}>"


_DATATYPES: dict[str, ox.NamedNode] = {}


def _typed(lexical: str, datatype: str) -> str:
    node = _DATATYPES.get(datatype)
    if node is None:
        node = _DATATYPES[datatype] = ox.NamedNode(_XSD + datatype)
    return str(ox.Literal(lexical, datatype=node))


def zh(text: str) -> str:
    """A Chinese literal, escaped for N-Triples by Oxigraph."""
    return str(ox.Literal(text, language="zh"))


def en(text: str) -> str:
    return str(ox.Literal(text, language="en"))


def plain(text: str) -> str:
    return str(ox.Literal(text))


def decimal(lexical: str) -> str:
    return _typed(lexical, "decimal")


def count(number: int) -> str:
    return _typed(str(number), "nonNegativeInteger")


def integer(number: int) -> str:
    return _typed(str(number), "integer")


def xsd_date(value: str) -> str:
    return _typed(value, "date")


# ---------------------------------------------------------------------- output


class QuadSink:
    """Writes N-Quads lines to a text file, counting them; one named graph at a time."""

    BATCH = 20000

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.triples = 0
        self.graphs = 0
        self._graph = ""
        self._lines: list[str] = []

    def graph(self, iri: str) -> None:
        self._graph = _iri(iri)
        self.graphs += 1

    def add(self, s: str, p: str, o: str) -> None:
        self._lines.append(f"{s} {p} {o} {self._graph} .\n")
        if len(self._lines) >= self.BATCH:
            self.flush()

    def labels(self, node: str, label_zh: str, label_en: str, predicate: str = LABEL) -> None:
        self.add(node, predicate, zh(label_zh))
        self.add(node, predicate, en(label_en))

    def flush(self) -> None:
        self.triples += len(self._lines)
        self.handle.write("".join(self._lines))
        self._lines.clear()


class TextBuilder:
    """A document's text, built piece by piece; each piece's span in code points."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0

    def add(self, piece: str) -> tuple[int, int]:
        start = self._length
        self._parts.append(piece)
        self._length += len(piece)
        return start, self._length

    @property
    def position(self) -> int:
        return self._length

    def text(self) -> str:
        return "".join(self._parts)


class Document:
    """One notice's named graph: its namespace, text and passages."""

    def __init__(self, sink: QuadSink, doc_id: str, text: str) -> None:
        self.sink = sink
        self.doc_id = doc_id
        self.ns = f"{BASE}doc/{doc_id}/"
        self.graph = f"{BASE}graph/{doc_id}"
        self.text = text
        self.place = ""  # the area its figures are about, set with its data set
        self._passages: set[tuple[int, int]] = set()
        sink.graph(self.graph)

    def node(self, local: str) -> str:
        return f"<{self.ns}{local}>"

    def passage(self, span: tuple[int, int]) -> str:
        """The passage ``text[start:end]``, written once (as kg.passages.add_passage does)."""
        start, end = span
        node = f"<{self.ns}passage-{start}-{end}>"
        if span in self._passages:
            return node
        self._passages.add(span)
        add, text = self.sink.add, self.text
        quote = f"<{self.ns}passage-{start}-{end}-quote>"
        position = f"<{self.ns}passage-{start}-{end}-position>"
        add(node, A, T.Passage)
        add(node, A, T.SpecificResource)
        add(node, T.hasSource, self.node("text"))
        add(node, T.hasSelector, quote)
        add(node, T.hasSelector, position)
        add(quote, A, T.TextQuoteSelector)
        add(quote, T.exact, plain(text[start:end]))
        before = text[max(0, start - CONTEXT_CHARS) : start]
        after = text[end : end + CONTEXT_CHARS]
        if before:
            add(quote, T.prefix, plain(before))
        if after:
            add(quote, T.suffix, plain(after))
        add(position, A, T.TextPositionSelector)
        add(position, T.start, count(start))
        add(position, T.end, count(end))
        return node

    def notice(
        self, title_zh: str, title_en: str, title: tuple[int, int], publisher: str, issued: str
    ) -> str:
        """The notice, its source text and the graph's own description."""
        sink, notice, text_node = self.sink, self.node("notice"), self.node("text")
        sink.add(notice, A, T.Notice)
        sink.labels(notice, title_zh, title_en, T.title)
        sink.labels(notice, title_zh, title_en)
        sink.add(notice, T.language, plain("zh"))
        sink.add(notice, T.publisher, publisher)
        sink.add(notice, T.issued, xsd_date(issued))
        sink.add(notice, T.wasDerivedFrom, self.passage(title))
        sink.add(text_node, A, T.SourceText)
        sink.add(text_node, T.textOf, notice)
        sink.add(text_node, T.identifier, plain(f"{self.doc_id}.txt"))
        sink.add(text_node, T.format, plain("text/plain; charset=utf-8"))
        sink.add(text_node, T.extent, count(len(self.text)))
        sink.add(text_node, VALUE, plain(self.text))
        sink.labels(
            text_node, f"通知原文：{self.doc_id}.txt", f"Text of the notice: {self.doc_id}.txt"
        )
        graph = _iri(self.graph)
        sink.labels(graph, f"{title_zh}（知识图谱）", f"Knowledge graph of: {title_en}")
        sink.add(graph, T.source, notice)
        return notice

    def dataset(self, title_zh: str, title_en: str, place: str) -> str:
        node = self.node("figures")
        self.sink.add(node, A, T.DataSet)
        self.sink.add(node, T.structure, T.figureStructure)
        self.sink.add(node, T.source, self.node("notice"))
        self.sink.add(node, T.spatial, place)
        self.place = place
        self.sink.labels(node, f"{title_zh}：数据", f"Figures of: {title_en}")
        return node


# ---------------------------------------------------------------------- periods


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, named as reference.data.gov.uk names them (``2025-Q3``)."""

    year: int
    number: int

    ZH_NUMBERS = ("一", "二", "三", "四")

    @property
    def iri(self) -> str:
        return f"<{_QUARTER}{self.year}-Q{self.number}>"

    @property
    def label_zh(self) -> str:
        return f"{self.year}年第{self.ZH_NUMBERS[self.number - 1]}季度"

    @property
    def label_en(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def first_month(self) -> int:
        return 3 * self.number - 2

    @property
    def last_month(self) -> int:
        return 3 * self.number

    def bounds(self) -> tuple[str, str]:
        last_day = {3: 31, 6: 30, 9: 30, 12: 31}[self.last_month]
        return (
            f"{self.year}-{self.first_month:02d}-01",
            f"{self.year}-{self.last_month:02d}-{last_day}",
        )

    def shifted(self, years: int) -> Quarter:
        return Quarter(self.year + years, self.number)


def year_iri(year: int) -> str:
    return f"<{_YEAR}{year}>"


def instant_iri(day: str) -> str:
    return f"<{_MCATIME}{day}>"


#: data/reference.ttl defines the years 2015-2030 and the instants that begin and end them.
REFERENCE_YEARS = range(2015, 2031)
#: Quarters the corpus may cover: from 2016 (its base period, 2015, is a reference year)
#: to 2029 (a planted base period a year later must still be a defined quarter).
FIRST_YEAR, LAST_YEAR = 2016, 2029
LATEST = Quarter(2025, 4)


# ---------------------------------------------------------------------- places

#: (code, name, English name, counties): the 31 provinces and about how many county-level
#: divisions each has. Codes are the provinces' real two-digit codes; counties are synthetic.
PROVINCES: list[tuple[str, str, str, int]] = [
    ("11", "北京市", "Beijing", 16),
    ("12", "天津市", "Tianjin", 16),
    ("13", "河北省", "Hebei", 167),
    ("14", "山西省", "Shanxi", 117),
    ("15", "内蒙古自治区", "Inner Mongolia", 103),
    ("21", "辽宁省", "Liaoning", 100),
    ("22", "吉林省", "Jilin", 60),
    ("23", "黑龙江省", "Heilongjiang", 121),
    ("31", "上海市", "Shanghai", 16),
    ("32", "江苏省", "Jiangsu", 95),
    ("33", "浙江省", "Zhejiang", 90),
    ("34", "安徽省", "Anhui", 104),
    ("35", "福建省", "Fujian", 84),
    ("36", "江西省", "Jiangxi", 100),
    ("37", "山东省", "Shandong", 136),
    ("41", "河南省", "Henan", 157),
    ("42", "湖北省", "Hubei", 103),
    ("43", "湖南省", "Hunan", 122),
    ("44", "广东省", "Guangdong", 122),
    ("45", "广西壮族自治区", "Guangxi", 111),
    ("46", "海南省", "Hainan", 25),
    ("50", "重庆市", "Chongqing", 38),
    ("51", "四川省", "Sichuan", 183),
    ("52", "贵州省", "Guizhou", 88),
    ("53", "云南省", "Yunnan", 129),
    ("54", "西藏自治区", "Tibet", 74),
    ("61", "陕西省", "Shaanxi", 107),
    ("62", "甘肃省", "Gansu", 86),
    ("63", "青海省", "Qinghai", 44),
    ("64", "宁夏回族自治区", "Ningxia", 22),
    ("65", "新疆维吾尔自治区", "Xinjiang", 107),
]
MUNICIPALITIES = {"11", "12", "31", "50"}

#: Syllables of synthetic county names, with their pinyin.
SYLLABLES = [
    ("安", "an"), ("平", "ping"), ("宁", "ning"), ("丰", "feng"), ("和", "he"),
    ("永", "yong"), ("清", "qing"), ("山", "shan"), ("阳", "yang"), ("东", "dong"),
    ("西", "xi"), ("南", "nan"), ("北", "bei"), ("新", "xin"), ("兴", "xing"),
    ("长", "chang"), ("泰", "tai"), ("康", "kang"), ("福", "fu"), ("吉", "ji"),
    ("昌", "chang"), ("盛", "sheng"), ("德", "de"), ("华", "hua"), ("龙", "long"),
    ("云", "yun"), ("江", "jiang"), ("湖", "hu"), ("溪", "xi"), ("源", "yuan"),
    ("临", "lin"), ("金", "jin"), ("石", "shi"), ("城", "cheng"), ("乐", "le"),
    ("寿", "shou"), ("远", "yuan"), ("明", "ming"), ("光", "guang"), ("嘉", "jia"),
    ("武", "wu"), ("文", "wen"), ("同", "tong"), ("靖", "jing"), ("定", "ding"),
    ("通", "tong"), ("桥", "qiao"), ("峰", "feng"),
]  # fmt: skip


@dataclass
class Province:
    code: str
    name: str
    name_en: str
    counties: list[County] = field(default_factory=list)

    @property
    def municipality(self) -> bool:
        return self.code in MUNICIPALITIES

    @property
    def whole(self) -> str:
        """How the province calls all of itself: 全省, 全市 or 全区 (an autonomous region)."""
        return "全市" if self.municipality else "全区" if self.name.endswith("区") else "全省"

    @property
    def agency_zh(self) -> str:
        return self.name + ("民政局" if self.municipality else "民政厅")

    @property
    def agency_en(self) -> str:
        if self.municipality:
            return f"{self.name_en} Municipal Civil Affairs Bureau"
        return f"Department of Civil Affairs of {self.name_en}"

    @property
    def agency(self) -> str:
        return f"<{_AGENCY}sim-{self.code}-civil-affairs>"

    @property
    def place(self) -> str:
        return f"<{_PLACE}{self.code}>"


@dataclass
class County:
    """A synthetic county with its standards' starting values and yearly increases."""

    code: str
    name: str  # with its suffix: 县, 区 or 市
    name_en: str
    suffix: str
    province: Province
    urban_2015: float  # monthly urban dibao standard in 2015, yuan
    rural_2015: float  # monthly rural dibao standard in 2015, yuan
    urban_rises: list[float]  # yearly increase, 2016 onwards
    rural_rises: list[float]
    tekun_factor: float  # tekun standard / dibao standard, 1.3-1.6
    rural_dibao_monthly: bool  # how the county publishes each standard
    urban_tekun_monthly: bool
    rural_tekun_monthly: bool
    urban_recipients: int  # dibao recipients in 2015
    rural_recipients: int
    urban_tekun: int
    rural_tekun: int

    @property
    def agency(self) -> str:
        return f"<{_AGENCY}sim-{self.code}-civil-affairs>"

    @property
    def place(self) -> str:
        return f"<{_PLACE}{self.code}>"

    @property
    def agency_zh(self) -> str:
        return f"{self.name}民政局"

    @property
    def agency_en(self) -> str:
        return f"Civil Affairs Bureau of {self.name_en}"

    def _standard(self, base: float, rises: list[float], year: int) -> float:
        value = base
        for rise in rises[: year - 2015]:
            value *= 1 + rise
        return value

    def urban_monthly(self, year: int) -> int:
        return round(self._standard(self.urban_2015, self.urban_rises, year))

    def rural_monthly(self, year: int) -> int:
        return round(self._standard(self.rural_2015, self.rural_rises, year))

    def recipients(self, base: int, year: int, quarter: int) -> int:
        """Head counts fall slowly (about 2% a year) as people leave assistance."""
        return max(1, round(base * 0.98 ** (year - 2015 + (quarter - 1) / 4)))


def build_provinces(seed: int) -> list[Province]:
    """The 31 provinces with all their synthetic counties, the same for the same seed."""
    rng = random.Random(f"places:{seed}")
    provinces = []
    pairs = [(a, b) for a in SYLLABLES for b in SYLLABLES if a != b]
    for code, name, name_en, how_many in PROVINCES:
        province = Province(code, name, name_en)
        names = rng.sample(pairs, how_many)
        for number, ((zh1, py1), (zh2, py2)) in enumerate(names, start=1):
            if province.municipality:
                suffix, kind = "区", "District"
            elif rng.random() < 0.2:
                suffix, kind = "市", "City"
            else:
                suffix, kind = "县", "County"
            level = rng.random()  # richer counties have higher standards
            size = rng.lognormvariate(0, 0.6)
            province.counties.append(
                County(
                    code=f"{code}{number:04d}",
                    name=f"{zh1}{zh2}{suffix}",
                    name_en=f"{(py1 + py2).capitalize()} {kind}",
                    suffix=suffix,
                    province=province,
                    urban_2015=420 + 240 * level,
                    rural_2015=320 + 170 * (0.8 * level + 0.2 * rng.random()),
                    urban_rises=[rng.uniform(0.03, 0.05) for _ in REFERENCE_YEARS],
                    rural_rises=[rng.uniform(0.04, 0.06) for _ in REFERENCE_YEARS],
                    tekun_factor=rng.uniform(1.3, 1.6),
                    rural_dibao_monthly=rng.random() < 0.3,
                    urban_tekun_monthly=rng.random() < 0.5,
                    rural_tekun_monthly=rng.random() < 0.2,
                    urban_recipients=round(2500 * size * rng.uniform(0.6, 1.4)),
                    rural_recipients=round(9000 * size * rng.uniform(0.6, 1.4)),
                    urban_tekun=round(300 * size * rng.uniform(0.6, 1.4)),
                    rural_tekun=round(1500 * size * rng.uniform(0.6, 1.4)),
                )
            )
        provinces.append(province)
    return provinces


# ---------------------------------------------------------------------- faults

FAULT_KINDS = ("wrong-unit", "missing-period", "base-after", "implausible")

#: Which named shape reports each kind of fault, with what severity, on which path.
FAULT_SHAPES = {
    "wrong-unit": (SHAPES + "UnitOfIndicatorShape", "Violation", _SDMX_A + "unitMeasure"),
    "missing-period": (SHAPES + "FigurePeriod", "Violation", _SDMX_D + "refPeriod"),
    "base-after": (SHAPES + "BasePeriodShape", "Violation", _SDMX_A + "basePer"),
    "implausible": (SHAPES + "PlausibleStandardShape", "Warning", _SDMX_M + "obsValue"),
}


@dataclass
class Fault:
    kind: str
    choice: float  # a number in [0, 1) that picks the variant and the figure
    focus: str = ""
    graph: str = ""
    detail: str = ""

    def record(self) -> dict[str, str]:
        shape, severity, path = FAULT_SHAPES[self.kind]
        return {
            "kind": self.kind,
            "focus": self.focus,
            "graph": self.graph,
            "shape": shape,
            "severity": severity,
            "path": path,
            "detail": self.detail,
        }


# ---------------------------------------------------------------------- figures


@dataclass
class Figure:
    """One figure of a notice, before it is written (a fault may still change it)."""

    local: str
    indicator: str
    unit: str
    stat_unit: str | None
    period: str | None
    value: str
    scope: str
    group: str
    program: str
    label_zh: str
    label_en: str
    source: tuple[int, int]
    value_span: tuple[int, int]
    qualifies: str | None = None
    base_period: str | None = None
    change_of: str | None = None  # the indicator whose change a growth rate is

    def write(self, doc: Document, dataset: str) -> str:
        add, node = doc.sink.add, doc.node(self.local)
        add(node, A, T.Observation)
        add(node, A, T.Figure)
        if self.qualifies is not None:
            add(node, A, T.GrowthRate)
            add(node, A, T.Change)
            add(node, T.qualifies, doc.node(self.qualifies))
            add(node, T.changeType, concept("change", "relative"))
            if self.change_of is not None:
                add(node, T.changeOf, concept("indicator", self.change_of))
            if self.base_period is not None:
                add(node, T.basePer, self.base_period)
        doc.sink.labels(node, self.label_zh, self.label_en)
        add(node, T.dataSet, dataset)
        if self.stat_unit is not None:
            add(node, T.statUnit, concept("stat-unit", self.stat_unit))
        add(node, T.unitMeasure, self.unit)
        if self.period is not None:
            add(node, T.refPeriod, self.period)
        add(node, T.refArea, doc.place)
        add(node, T.obsValue, decimal(self.value))
        add(node, T.wasDerivedFrom, doc.passage(self.source))
        add(node, T.areaScope, concept("scope", self.scope))
        add(node, T.beneficiaryGroup, concept("group", self.group))
        add(node, T.indicator, concept("indicator", self.indicator))
        add(node, T.program, concept("program", self.program))
        add(node, T.valueSource, doc.passage(self.value_span))
        return node


def growth(value: float, base: float) -> str:
    """Relative change in percent, one decimal, as a notice states it."""
    return f"{(value / base - 1) * 100:.1f}"


def as_decimal(amount: int) -> str:
    """An integer as an xsd:decimal lexical form, as the shipped graph writes 665.0."""
    return f"{amount}.0"


SCOPE_ZH = {"urban": "城市", "rural": "农村"}
SCOPE_EN = {"urban": "Urban", "rural": "Rural"}
DIBAO_EN = "minimum living (dibao) standard"
TEKUN_EN = "basic living standard for persons in extreme poverty"


@dataclass
class Standard:
    """A standard as a county publishes it (per month or per year), or a province's average."""

    scope: str
    tekun: bool
    monthly: bool
    amount: int  # in the unit it is published in
    average: bool = False

    @property
    def indicator(self) -> str:
        kind = "tekun" if self.tekun else "dibao"
        return f"{kind}-standard-{'monthly' if self.monthly else 'annual'}"

    @property
    def unit(self) -> str:
        return T.CNY_PER_MO if self.monthly else T.CNY_PER_YR

    @property
    def per(self) -> str:
        return "人均每月" if self.monthly else "人均每年"

    @property
    def local(self) -> str:
        return f"obs-{'tekun' if self.tekun else 'dibao'}-standard-{self.scope}"

    @property
    def name_zh(self) -> str:
        average = "平均" if self.average else ""
        return (
            SCOPE_ZH[self.scope] + ("特困人员基本生活" if self.tekun else "低保") + average + "标准"
        )

    @property
    def name_en(self) -> str:
        name = f"{self.scope} {TEKUN_EN if self.tekun else DIBAO_EN}"
        return f"Average {name}" if self.average else name[0].upper() + name[1:]


#: Beneficiary head counts a notice gives: (scope, group).
HEADS = [
    ("urban", "dibao-recipients"),
    ("rural", "dibao-recipients"),
    ("urban", "tekun-persons"),
    ("rural", "tekun-persons"),
]
WHO_ZH = {"dibao-recipients": "低保对象", "tekun-persons": "特困人员"}
WHO_EN = {"dibao-recipients": "dibao recipients", "tekun-persons": "persons in extreme poverty"}
PROGRAM = {"dibao-recipients": "dibao", "tekun-persons": "tekun"}


@dataclass
class Stated:
    """What a notice's text states, with the span of every number in it."""

    standards: list[tuple[Standard, tuple[int, int]]]  # each with its sentence
    rises: dict[str, str]  # scope -> growth of the dibao standard, in percent, as stated
    heads: dict[tuple[str, str], int]  # (scope, group) -> head count
    heads_sentence: tuple[int, int]
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


def figures_of(
    stated: Stated, period: str, base_period: str, who_zh: str, period_zh: str, where_en: str
) -> list[Figure]:
    """The figures of a notice: standards, the dibao standards' growth rates, head counts.

    Labels read like the shipped notice's, with the place and period:
    ``{who_zh}城市低保标准（{period_zh}）`` and ``Urban minimum ... standard, {where_en}``.
    """
    figures = []
    for standard, sentence in stated.standards:
        group = "tekun-persons" if standard.tekun else "dibao-recipients"
        figures.append(
            Figure(
                local=standard.local,
                indicator=standard.indicator,
                unit=standard.unit,
                stat_unit="person",
                period=period,
                value=as_decimal(standard.amount),
                scope=standard.scope,
                group=group,
                program=PROGRAM[group],
                label_zh=f"{who_zh}{standard.name_zh}（{period_zh}）",
                label_en=f"{standard.name_en}, {where_en}",
                source=sentence,
                value_span=stated.spans[standard.local],
            )
        )
        if not standard.tekun:
            figures.append(
                Figure(
                    local=f"{standard.local}-growth",
                    indicator="yoy-growth",
                    unit=T.PERCENT,
                    stat_unit=None,  # a growth rate is in percent: it counts nothing
                    period=period,
                    value=stated.rises[standard.scope],
                    scope=standard.scope,
                    group=group,
                    program=PROGRAM[group],
                    label_zh=f"{who_zh}{standard.name_zh}同比增长（{period_zh}）",
                    label_en=f"{standard.name_en}: year-on-year growth, {where_en}",
                    source=sentence,
                    value_span=stated.spans[f"growth-{standard.scope}"],
                    qualifies=standard.local,
                    base_period=base_period,
                    change_of=standard.indicator,
                )
            )
    for (scope, group), value in stated.heads.items():
        figures.append(
            Figure(
                local=f"obs-{group}-{scope}",
                indicator="persons-covered",
                unit=T.NUM,
                stat_unit="person",
                period=period,
                value=as_decimal(value),
                scope=scope,
                group=group,
                program=PROGRAM[group],
                label_zh=f"{who_zh}{SCOPE_ZH[scope]}{WHO_ZH[group]}人数（{period_zh}）",
                label_en=f"{SCOPE_EN[scope]} {WHO_EN[group]}, {where_en}",
                source=stated.heads_sentence,
                value_span=stated.spans[f"{scope}-{group}"],
            )
        )
    return figures


# ---------------------------------------------------------------------- county notices


def county_notice(
    sink: QuadSink, county: County, quarter: Quarter, seed: int, fault: Fault | None
) -> None:
    """A county bureau's public notice of its standards and beneficiaries for a quarter."""
    rng = random.Random(f"county:{seed}:{county.code}:{quarter.year}:{quarter.number}")
    year, province = quarter.year, county.province
    doc_id = f"sim-{county.code}-{year}q{quarter.number}"
    period_zh, period_en = quarter.label_zh, quarter.label_en
    place_en = f"{county.name_en}, {province.name_en}"

    urban, rural = county.urban_monthly(year), county.rural_monthly(year)

    def published(scope: str, tekun: bool, monthly: bool) -> Standard:
        per_month = (urban if scope == "urban" else rural) * (county.tekun_factor if tekun else 1)
        return Standard(scope, tekun, monthly, round(per_month if monthly else per_month * 12))

    dibao = {
        "urban": published("urban", False, True),
        "rural": published("rural", False, county.rural_dibao_monthly),
    }
    tekun = {
        "urban": published("urban", True, county.urban_tekun_monthly),
        "rural": published("rural", True, county.rural_tekun_monthly),
    }
    if fault is not None and fault.kind == "implausible":
        # the annual amount stated "per month", as the shipped notice states its tekun standards
        scope = "urban" if fault.choice < 0.5 else "rural"
        tekun[scope] = Standard(scope, True, True, published(scope, True, False).amount)

    # ------------------------------------------------------------ the text
    text = TextBuilder()
    title_zh = (
        f"{county.agency_zh}关于公布{period_zh}城乡低保和特困人员救助供养标准及保障情况的公告"
    )
    title_en = f"{county.agency_en}: dibao and tekun standards and beneficiaries, {period_en}"
    title = text.add(title_zh)
    issued_month = quarter.last_month % 12 + 1
    issued_year = year + (1 if quarter.number == 4 else 0)
    issued_day = rng.randint(5, 25)
    issued = f"{issued_year}-{issued_month:02d}-{issued_day:02d}"
    issued_zh = f"{issued_year}年{issued_month}月{issued_day}日"
    text.add(f"\n\n发布时间：{issued_zh}　　来源：{county.agency_zh}\n\n")
    text.add(
        f"根据《社会救助暂行办法》和{province.name}有关规定，现将本{county.suffix}{period_zh}"
        "城乡最低生活保障和特困人员救助供养有关情况公布如下。\n\n一、保障标准\n\n"
    )
    stated = Stated(
        standards=[],
        rises={
            "urban": growth(urban, county.urban_monthly(year - 1)),
            "rural": growth(rural, county.rural_monthly(year - 1)),
        },
        heads={
            (scope, group): county.recipients(getattr(county, attr), year, quarter.number)
            for (scope, group), attr in zip(
                HEADS,
                ("urban_recipients", "rural_recipients", "urban_tekun", "rural_tekun"),
                strict=True,
            )
        },
        heads_sentence=(0, 0),
    )
    spans = stated.spans

    def clause(standard: Standard, lead: str) -> None:
        text.add(f"{lead}{standard.name_zh}为{standard.per}")
        spans[standard.local] = text.add(f"{standard.amount}元")

    first = text.position
    for scope, lead in (("urban", ""), ("rural", "；")):
        clause(dibao[scope], lead)
        text.add("，同比增长")
        spans[f"growth-{scope}"] = text.add(f"{stated.rises[scope]}%")
    sentence = (first, text.position)
    stated.standards += [(dibao["urban"], sentence), (dibao["rural"], sentence)]
    text.add("。")
    first = text.position
    clause(tekun["urban"], "")
    clause(tekun["rural"], "，")
    sentence = (first, text.position)
    stated.standards += [(tekun["urban"], sentence), (tekun["rural"], sentence)]
    text.add(f"。\n\n二、保障对象\n\n截至{year}年{quarter.last_month}月底，")
    first = text.position
    text.add(f"全{county.suffix}共有")
    for joiner, ((scope, group), value) in zip(
        ("", "，", "；", "，"), stated.heads.items(), strict=True
    ):
        text.add(f"{joiner}{SCOPE_ZH[scope]}{WHO_ZH[group]}")
        spans[f"{scope}-{group}"] = text.add(f"{value}人")
    stated.heads_sentence = (first, text.position)
    phone = f"0{rng.randint(310, 999)}-{rng.randint(2000000, 8999999)}"
    text.add(
        f"。\n\n三、监督电话\n\n如对上述信息有异议，请拨打监督电话{phone}。\n\n"
        f"{county.agency_zh}\n{issued_zh}\n"
    )

    # ------------------------------------------------------------ the graph
    figures = figures_of(
        stated,
        quarter.iri,
        quarter.shifted(-1).iri,  # the same quarter a year before
        county.name,
        period_zh,
        f"{place_en}, {period_en}",
    )
    doc = Document(sink, doc_id, text.text())
    if fault is not None:
        fault.graph = doc.graph
        _plant(fault, figures, doc, quarter)
    doc.notice(title_zh, title_en, title, county.agency, issued)
    dataset = doc.dataset(
        f"{county.name}（{province.name}）{period_zh}", f"{place_en}, {period_en}", county.place
    )
    for figure in figures:
        figure.write(doc, dataset)


def _plant(fault: Fault, figures: list[Figure], doc: Document, quarter: Quarter) -> None:
    """Change one figure of a county notice so that exactly one shape reports it."""
    if fault.kind == "implausible":  # the text already states the annual amount per month
        scope = "urban" if fault.choice < 0.5 else "rural"
        target = next(f for f in figures if f.local == f"obs-tekun-standard-{scope}")
        fault.detail = (
            f"{target.label_en}: {target.value} yuan stated per month is the annual amount"
        )
    elif fault.kind == "missing-period":
        candidates = [f for f in figures if f.qualifies is None]
        target = candidates[int(fault.choice * len(candidates))]
        target.period = None
        fault.detail = f"{target.label_en}: no reference period"
    elif fault.kind == "base-after":
        rates = [f for f in figures if f.qualifies is not None]
        target = rates[int(fault.choice * len(rates))]
        after = quarter.shifted(1)
        target.base_period = after.iri
        fault.detail = (
            f"{target.label_en}: base period {after.label_en}, after the reference period"
        )
    else:  # wrong-unit, in one of three ways that trip the unit rule and nothing else
        pick = fault.choice * 3 % 1
        annual = [f for f in figures if f.unit == T.CNY_PER_YR]
        if fault.choice < 1 / 3 and annual:
            target = annual[int(pick * len(annual))]
            target.indicator = target.indicator.replace("-annual", "-monthly")
            fault.detail = f"{target.label_en}: per-year amount filed under the monthly indicator"
        elif fault.choice < 2 / 3:
            standards = [f for f in figures if f.unit in (T.CNY_PER_MO, T.CNY_PER_YR)]
            target = standards[int(pick * len(standards))]
            target.unit = T.NUM
            fault.detail = f"{target.label_en}: a standard recorded as a count (unit:NUM)"
        else:
            heads = [f for f in figures if f.indicator == "persons-covered"]
            target = heads[int(pick * len(heads))]
            target.unit = T.CNY_PER_MO
            fault.detail = f"{target.label_en}: a head count recorded in yuan per month"
    fault.focus = doc.node(target.local)[1:-1]


# ---------------------------------------------------------------------- conferences

#: Key tasks a provincial conference may set: (words, English, areas, groups, programmes, subs).
TaskRow = tuple[str, str, list[str], list[str], list[str]]
KEY_TASKS: list[tuple[TaskRow, list[TaskRow]]] = [
    (
        ("健全分层分类的社会救助体系", "Build a tiered and categorised social assistance system",
         ["social-assistance"], [], ["social-assistance"]),
        [
            ("完善最低生活保障标准动态调整机制",
             "Improve the mechanism for adjusting the dibao standard regularly",
             ["social-assistance"], ["dibao-recipients"], ["dibao"]),
            ("做好特困人员救助供养和照料服务",
             "Provide support and care for persons in extreme poverty",
             ["social-assistance"], ["tekun-persons"], ["tekun"]),
            ("加强临时救助和急难救助", "Strengthen temporary and emergency assistance",
             ["social-assistance"], ["people-in-difficulty"], ["temporary-assistance"]),
            ("推进社会救助经办服务向乡镇街道延伸",
             "Extend social-assistance case handling to townships and streets",
             ["social-assistance"], [], ["social-assistance"]),
        ],
    ),
    (
        ("巩固拓展兜底保障成果同乡村振兴有效衔接",
         "Link the results of the poverty safety net with rural revitalisation",
         ["poverty-alleviation"], [], ["poverty-safety-net"]),
        [
            ("加强农村低收入人口动态监测",
             "Monitor the rural low-income population continuously",
             ["poverty-alleviation", "social-assistance"], ["rural-low-income"], []),
            ("及时将符合条件的困难群众纳入救助范围",
             "Bring eligible people in difficulty into assistance without delay",
             ["social-assistance"], ["people-in-difficulty"], ["social-assistance"]),
            ("做好易地搬迁安置社区服务管理", "Manage and serve relocation communities well",
             ["community-governance", "poverty-alleviation"], ["relocated-residents"],
             ["community-services"]),
        ],
    ),
    (
        ("加快发展养老服务", "Speed up the development of elderly-care services",
         ["elderly-care"], ["elderly"], ["elderly-care"]),
        [
            ("推进居家社区养老服务网络建设",
             "Build networks of home- and community-based elderly care",
             ["elderly-care"], ["elderly"], ["elderly-care"]),
            ("开展特困人员供养服务设施改造提升",
             "Upgrade the care facilities for persons in extreme poverty",
             ["elderly-care", "social-assistance"], ["tekun-persons"], ["tekun"]),
            ("加强养老机构安全管理", "Strengthen safety management in elderly-care institutions",
             ["elderly-care", "safety-epidemic"], ["elderly"], ["elderly-care"]),
            ("培养养老护理专业人才", "Train professional elderly-care workers",
             ["elderly-care"], ["elderly"], ["elderly-care"]),
        ],
    ),
    (
        ("加强儿童福利和未成年人保护", "Strengthen child welfare and the protection of minors",
         ["child-welfare"], ["minors"], ["minor-protection"]),
        [
            ("落实孤儿和事实无人抚养儿童保障政策",
             "Carry out support policies for orphans and children without de facto care",
             ["child-welfare"], ["orphans", "de-facto-orphans"],
             ["orphan-support", "de-facto-orphan-support"]),
            ("健全未成年人保护工作机制", "Improve the working mechanisms for protecting minors",
             ["child-welfare"], ["minors"], ["minor-protection"]),
            ("规范收养登记管理", "Regulate adoption registration",
             ["social-affairs", "child-welfare"], ["adoptees"], ["adoption"]),
        ],
    ),
    (
        ("提升残疾人福利保障水平", "Raise welfare support for persons with disabilities",
         ["disability-welfare"], ["persons-with-disabilities"], []),
        [
            ("落实困难残疾人生活补贴和重度残疾人护理补贴",
             "Pay the living subsidy for persons with disabilities in hardship and the nursing "
             "subsidy for persons with severe disabilities",
             ["disability-welfare"], ["disabled-in-hardship", "severely-disabled"],
             ["disability-living-subsidy", "disability-care-subsidy"]),
            ("推进精神障碍社区康复服务",
             "Advance community rehabilitation services for people with mental disorders",
             ["disability-welfare"], ["persons-with-disabilities"], ["disability-care-services"]),
        ],
    ),
    (
        ("推进基层治理和城乡社区建设", "Advance grassroots governance and community building",
         ["community-governance"], ["community-residents"], ["community-services"]),
        [
            ("加强乡镇（街道）社工站建设", "Build township and street social-work stations",
             ["community-governance"], [], ["social-work-stations"]),
            ("完善城乡社区综合服务设施", "Improve comprehensive community service facilities",
             ["community-governance"], ["community-residents"], ["community-services"]),
            ("加强城乡社区工作者队伍建设", "Build up the corps of community workers",
             ["community-governance"], ["community-workers"], []),
        ],
    ),
    (
        ("规范发展社会组织和慈善事业", "Regulate and develop social organisations and charity",
         ["social-organisations", "charity-volunteering"], [],
         ["social-organisation-management", "charity"]),
        [
            ("加强社会组织登记管理和执法监督",
             "Strengthen registration, supervision and law enforcement for social organisations",
             ["social-organisations"], [], ["social-organisation-management"]),
            ("引导慈善力量参与社会救助",
             "Guide charitable forces to take part in social assistance",
             ["charity-volunteering", "social-assistance"], [], ["charity"]),
            ("推动志愿服务制度化常态化", "Make volunteer service regular and institutionalised",
             ["charity-volunteering"], ["registered-volunteers"], ["volunteer-service"]),
        ],
    ),
    (
        ("深化区划地名和社会事务管理",
         "Deepen the management of divisions, place names and social affairs",
         ["divisions-place-names", "social-affairs"], [], ["administrative-divisions"]),
        [
            ("稳妥开展行政区划调整", "Handle administrative division changes prudently",
             ["divisions-place-names"], [], ["administrative-divisions"]),
            ("推进殡葬改革和婚俗改革", "Advance the reform of funerals and of marriage customs",
             ["social-affairs"], [], ["funeral-services", "marriage-registration"]),
            ("加强地名文化保护", "Protect the culture of place names",
             ["divisions-place-names"], [], ["place-names"]),
        ],
    ),
    (
        ("统筹民政领域发展和安全", "Balance development and safety in civil affairs",
         ["safety-epidemic"], ["service-recipients"], []),
        [
            ("抓好民政服务机构安全生产", "Keep civil-affairs service institutions safe",
             ["safety-epidemic"], ["service-recipients"], []),
            ("做好突发事件应急处置", "Be ready to respond to emergencies",
             ["safety-epidemic"], ["service-recipients"], []),
        ],
    ),
]  # fmt: skip

#: Results a conference reports in words: (words, English, areas).
RESULTS: list[tuple[str, str, list[str]]] = [
    ("困难群众基本生活得到有效保障", "The basic needs of people in difficulty were met",
     ["social-assistance"]),
    ("兜底保障防线进一步织密扎牢", "The last-resort safety net was made tighter and firmer",
     ["poverty-alleviation", "social-assistance"]),
    ("养老服务体系不断完善", "The elderly-care service system kept improving", ["elderly-care"]),
    ("城乡社区治理水平持续提升", "Urban and rural community governance kept improving",
     ["community-governance"]),
    ("儿童福利和未成年人保护工作扎实推进",
     "Child welfare and the protection of minors advanced steadily", ["child-welfare"]),
    ("社会组织和慈善事业健康发展", "Social organisations and charity developed soundly",
     ["social-organisations", "charity-volunteering"]),
]  # fmt: skip

ORDINALS = "一二三四五六七八九"


def conference_notice(sink: QuadSink, province: Province, year: int, seed: int) -> None:
    """The report of a provincial work conference in December ``year``: results, then tasks."""
    rng = random.Random(f"conference:{seed}:{province.code}:{year}")
    doc_id = f"sim-{province.code}-{year}-conference"
    day = rng.randint(18, 30)
    date = f"{year}-12-{day}"
    # the province's figures are of all its counties, not only those the corpus covers
    counties, whole = province.counties[0].province.counties, province.whole

    def average(values: Sequence[float]) -> int:
        return round(sum(values) / len(values))

    def dibao(scope: str, in_year: int) -> float:
        if scope == "urban":
            return average([c.urban_monthly(in_year) for c in counties])
        return average([c.rural_monthly(in_year) * 12 for c in counties])

    urban_tekun = average([c.urban_monthly(year) * 12 * c.tekun_factor for c in counties])
    rural_tekun = average([c.rural_monthly(year) * 12 * c.tekun_factor for c in counties])
    standards = {
        "urban": Standard("urban", False, True, round(dibao("urban", year)), average=True),
        "rural": Standard("rural", False, False, round(dibao("rural", year)), average=True),
        "urban-tekun": Standard("urban", True, False, urban_tekun, average=True),
        "rural-tekun": Standard("rural", True, False, rural_tekun, average=True),
    }
    heads = {}
    for (scope, group), attr in zip(
        HEADS, ("urban_recipients", "rural_recipients", "urban_tekun", "rural_tekun"), strict=True
    ):
        total = sum(c.recipients(getattr(c, attr), year, 4) for c in counties)
        heads[(scope, group)] = round(total / 1000) * 1000  # stated in 万 with one decimal
    stated = Stated(
        standards=[],
        rises={scope: growth(dibao(scope, year), dibao(scope, year - 1)) for scope in SCOPE_ZH},
        heads=heads,
        heads_sentence=(0, 0),
    )
    spans = stated.spans

    # ------------------------------------------------------------ the text
    text = TextBuilder()
    title_zh = f"{province.name}召开{whole}民政工作会议"
    title_en = f"{province.name_en} holds its civil-affairs work conference, {year}"
    title = text.add(title_zh)
    text.add("\n\n")
    meeting_span = text.add(f"{year}年12月{day}日，{province.agency_zh}召开{whole}民政工作会议")
    text.add(f"，总结{year}年民政工作，部署{year + 1}年重点任务。\n\n")
    text.add(f"会议指出，{year}年，{whole}民政系统")
    results = sorted(rng.sample(range(len(RESULTS)), 2))
    result_spans = []
    for punctuation, index in zip("，。", results, strict=True):
        result_spans.append(text.add(RESULTS[index][0]))
        text.add(punctuation)
    first = text.position
    for scope, lead in (("urban", whole), ("rural", "；")):
        standard = standards[scope]
        text.add(f"{lead}{standard.name_zh}达到{standard.per}")
        spans[standard.local] = text.add(f"{standard.amount}元")
        text.add("，同比增长")
        spans[f"growth-{scope}"] = text.add(f"{stated.rises[scope]}%")
    sentence = (first, text.position)
    stated.standards += [(standards["urban"], sentence), (standards["rural"], sentence)]
    text.add("。")
    first = text.position
    text.add("城乡特困人员基本生活平均标准分别达到人均每年")
    spans["obs-tekun-standard-urban"] = text.add(f"{urban_tekun}元")
    text.add("和")
    spans["obs-tekun-standard-rural"] = text.add(f"{rural_tekun}元")
    sentence = (first, text.position)
    stated.standards += [(standards["urban-tekun"], sentence), (standards["rural-tekun"], sentence)]
    text.add("。")
    first = text.position
    text.add(f"{whole}共有")
    for joiner, ((scope, group), value) in zip(("", "、", "，", "、"), heads.items(), strict=True):
        text.add(f"{joiner}{SCOPE_ZH[scope]}{WHO_ZH[group]}")
        tenths = value // 1000
        spans[f"{scope}-{group}"] = text.add(f"{tenths // 10}.{tenths % 10}万人")
    stated.heads_sentence = (first, text.position)
    text.add(f"。\n\n会议要求，{year + 1}年要重点做好以下工作：")
    chosen = sorted(rng.sample(range(len(KEY_TASKS)), rng.randint(4, 6)))
    tasks: list[tuple[int, tuple[int, int], list[tuple[int, tuple[int, int]]]]] = []
    for ordinal, index in zip(ORDINALS, chosen, strict=False):
        key, subs = KEY_TASKS[index]
        key_span = text.add(f"{ordinal}要{key[0]}")
        text.add("，")
        picked = sorted(rng.sample(range(len(subs)), rng.randint(2, len(subs))))
        sub_spans = []
        for number, sub_index in enumerate(picked, start=1):
            sub_spans.append((sub_index, text.add(subs[sub_index][0])))
            text.add("；" if number < len(picked) else "。")
        tasks.append((index, key_span, sub_spans))
    text.add(f"\n\n（来源：{province.agency_zh}网站）\n")

    # ------------------------------------------------------------ the graph
    doc = Document(sink, doc_id, text.text())
    add = sink.add
    notice, meeting = (
        doc.notice(title_zh, title_en, title, province.agency, date),
        doc.node("meeting"),
    )
    add(notice, T.reports, meeting)
    add(meeting, A, T.Meeting)
    sink.labels(
        meeting,
        f"{province.name}{whole}民政工作会议（{year}年12月{day}日）",
        f"{province.name_en} civil-affairs work conference, {day} December {year}",
    )
    add(meeting, T.date, xsd_date(date))
    add(meeting, T.hasTime, instant_iri(date))
    add(instant_iri(date), A, T.Instant)
    add(instant_iri(date), T.inXSDDate, xsd_date(date))
    add(meeting, T.organiser, province.agency)
    add(meeting, T.wasAssociatedWith, province.agency)  # mca:organiser, stated as kg build does
    add(meeting, T.source, doc.passage(meeting_span))
    for position, (index, span) in enumerate(zip(results, result_spans, strict=True), start=1):
        words, english, areas = RESULTS[index]
        node = doc.node(f"statement-{position}")
        add(node, A, T.Statement)
        add(node, A, T.QualitativeResult)
        sink.labels(node, words, english)
        add(node, T.wasDerivedFrom, doc.passage(span))
        add(node, T.position, integer(position))
        add(node, T.temporal, year_iri(year))
        for area in areas:
            add(node, T.policyArea, concept("area", area))
    where_en = f"{province.name_en}, {year}"
    dataset = doc.dataset(f"{province.name}{year}年", where_en, province.place)
    figures = figures_of(
        stated, year_iri(year), year_iri(year - 1), province.name, f"{year}年", where_en
    )
    for figure in figures:
        figure.write(doc, dataset)
    planned = year_iri(year + 1)  # tasks for the year after the conference
    for position, (index, key_span, sub_spans) in enumerate(tasks, start=1):
        key, subs = KEY_TASKS[index]
        node = doc.node(f"task-{position}")
        _task(doc, node, T.KeyTask, key, key_span, position, planned, province.agency)
        add(node, T.notation, plain(str(position)))
        reach: set[tuple[str, str]] = set()
        for sub_position, (sub_index, span) in enumerate(sub_spans, start=1):
            sub = doc.node(f"task-{position}-{sub_position}")
            row = subs[sub_index]
            _task(doc, sub, T.SubTask, row, span, sub_position, planned, province.agency)
            add(sub, T.notation, plain(f"{position}.{sub_position}"))
            add(node, T.hasSubTask, sub)
            add(node, T.hasPart, sub)
            add(sub, T.subTaskOf, node)
            add(sub, T.isPartOf, node)
            # what kg build states: a key task's scope holds its sub-tasks' groups and programmes
            reach |= {(T.groupInScope, concept("group", g)) for g in row[3]}
            reach |= {(T.programInScope, concept("program", p)) for p in row[4]}
        own = {(T.groupInScope, concept("group", g)) for g in key[3]}
        own |= {(T.programInScope, concept("program", p)) for p in key[4]}
        for prop, item in sorted(reach - own):
            add(node, prop, item)


def _task(
    doc: Document,
    node: str,
    kind: str,
    row: TaskRow,
    span: tuple[int, int],
    position: int,
    period: str,
    agency: str,
) -> None:
    words, english, areas, groups, programs = row
    add = doc.sink.add
    add(node, A, T.Task)
    add(node, A, kind)
    doc.sink.labels(node, words, english)
    add(node, T.wasDerivedFrom, doc.passage(span))
    add(node, T.position, integer(position))
    add(node, T.plannedPeriod, period)
    add(node, T.deployedAt, doc.node("meeting"))
    add(node, T.responsibleAgency, agency)
    add(node, T.agencyInScope, agency)
    for area in areas:
        add(node, T.policyArea, concept("area", area))
    for group in groups:
        add(node, T.concernsGroup, concept("group", group))
        add(node, T.groupInScope, concept("group", group))
    for program in programs:
        add(node, T.concernsProgram, concept("program", program))
        add(node, T.programInScope, concept("program", program))


# ---------------------------------------------------------------------- reference graph


def reference_graph(sink: QuadSink, provinces: list[Province], quarters: list[Quarter]) -> None:
    """Places, agencies, the quarter unit and every quarter the corpus names, with instants."""
    sink.graph(REFERENCE_GRAPH)
    add = sink.add
    sink.labels(
        _iri(REFERENCE_GRAPH),
        "民政知识图谱合成语料参考数据：地区、民政部门和季度",
        "Synthetic corpus reference data: places, civil-affairs agencies and quarters",
    )
    unit = _iri(QUARTER_UNIT)
    add(unit, A, T.TemporalUnit)
    sink.labels(unit, "季度（时间单位）", "Quarter (unit of temporal duration)")
    add(unit, COMMENT, en("OWL-Time has no quarter unit; three months, as time:unitMonth is one."))
    for prop, amount in (
        (T.days, "0"),
        (T.hours, "0"),
        (T.minutes, "0"),
        (T.months, "3"),
        (T.seconds, "0"),
        (T.weeks, "0"),
        (T.years, "0"),
    ):
        add(unit, prop, decimal(amount))
    for province in provinces:
        add(province.place, A, T.AdministrativeArea)
        sink.labels(province.place, province.name, province.name_en)
        add(province.place, T.identifier, plain(province.code))
        add(province.agency, A, T.GovernmentAgency)
        sink.labels(province.agency, province.agency_zh, province.agency_en)
        add(province.agency, T.subOrganizationOf, T.civil_affairs_departments)
        for county in province.counties:
            add(county.place, A, T.AdministrativeArea)
            sink.labels(county.place, county.name, f"{county.name_en}, {province.name_en}")
            add(county.place, T.identifier, plain(county.code))
            add(county.place, T.isPartOf, province.place)
            add(county.agency, A, T.GovernmentAgency)
            sink.labels(county.agency, county.agency_zh, county.agency_en)
            add(county.agency, T.subOrganizationOf, T.civil_affairs_departments)
    # every quarter a figure may name: the covered ones, a year before (base periods) and
    # a year after (a planted base period that is later than its reference period)
    needed = sorted({q.shifted(shift) for q in quarters for shift in (-1, 0, 1)})
    instants: dict[str, None] = {}
    for quarter in needed:
        node = quarter.iri
        begin, end = quarter.bounds()
        add(node, A, T.DateTimeInterval)
        add(node, A, T.ProperInterval)
        sink.labels(node, quarter.label_zh, quarter.label_en)
        add(node, T.hasBeginning, instant_iri(begin))
        add(node, T.hasEnd, instant_iri(end))
        description = f"_:quarter{quarter.year}Q{quarter.number}"
        add(node, T.hasDateTimeDescription, description)
        add(description, A, T.DateTimeDescription)
        add(description, T.unitType, unit)
        add(description, T.year, _typed(str(quarter.year), "gYear"))
        add(description, T.month, _typed(f"--{quarter.first_month:02d}", "gMonth"))
        for day in (begin, end):
            if day[5:] not in ("01-01", "12-31"):  # data/reference.ttl has those
                instants[day] = None
    for day in instants:
        add(instant_iri(day), A, T.Instant)
        add(instant_iri(day), T.inXSDDate, xsd_date(day))


# ---------------------------------------------------------------------- planning

#: Triples per county notice, per provincial conference and per county in the reference
#: graph, measured on generated corpora; the planner uses them to come near the target.
PER_COUNTY_NOTICE = 349
PER_CONFERENCE = 870
PER_COUNTY_REFERENCE = 9
MAX_QUARTERS = (LAST_YEAR - FIRST_YEAR + 1) * 4


@dataclass
class Plan:
    provinces: list[Province]  # only those covered, each with only its covered counties
    quarters: list[Quarter]

    @property
    def years(self) -> list[int]:
        return sorted({q.year for q in self.quarters})

    @property
    def counties(self) -> int:
        return sum(len(p.counties) for p in self.provinces)

    def units(self) -> Iterator[tuple[Quarter, County]]:
        """County notices in the order they are written."""
        for quarter in self.quarters:
            for province in self.provinces:
                for county in province.counties:
                    yield quarter, county

    def estimate(self) -> int:
        return (
            self.counties * (PER_COUNTY_NOTICE * len(self.quarters) + PER_COUNTY_REFERENCE)
            + len(self.provinces) * PER_CONFERENCE * len(self.years)
            + 60 * len(self.years)
        )


def quarters_ending(latest: Quarter, how_many: int) -> list[Quarter]:
    """``how_many`` consecutive quarters up to ``latest``, or from 2016-Q1 if more are needed."""
    how_many = min(how_many, MAX_QUARTERS)
    first = latest.year * 4 + latest.number - how_many
    if first < FIRST_YEAR * 4:
        first = FIRST_YEAR * 4
    return [Quarter((first + i) // 4, (first + i) % 4 + 1) for i in range(how_many)]


def subset(
    provinces: list[Province],
    share: float = 0.0,
    per_province: int | None = None,
    how_many: int | None = None,
) -> list[Province]:
    """``how_many`` provinces spread over the list (all by default), each with its first
    ``per_province`` counties or the first ``share`` of them (at least one)."""
    if how_many is not None and how_many < len(provinces):
        step = len(provinces) / how_many
        provinces = [provinces[int(i * step)] for i in range(how_many)]
    subset = []
    for p in provinces:
        keep = per_province if per_province is not None else round(len(p.counties) * share)
        subset.append(Province(p.code, p.name, p.name_en, p.counties[: max(1, keep)]))
    return subset


def _nearest(candidates: Iterator[Plan], target: int) -> Plan:
    """The first plan whose estimate is nearest ``target``."""
    return min(candidates, key=lambda plan: abs(plan.estimate() - target))


#: Counties per province in corpora too small to cover all 31 provinces.
SMALL_PER_PROVINCE = 5


def plan_corpus(target: int, provinces: list[Province]) -> Plan:
    """How many provinces, counties and quarters come nearest ``target`` triples.

    Large corpora cover every county for as many quarters as needed (up to 2025-Q4);
    mid-sized ones one quarter of a share of each province's counties; small ones a few
    counties of a few provinces.
    """
    one = quarters_ending(LATEST, 1)
    if target >= Plan(provinces, one).estimate():
        quarters = range(1, MAX_QUARTERS + 1)
        return _nearest((Plan(provinces, quarters_ending(LATEST, n)) for n in quarters), target)
    if target >= Plan(subset(provinces), one).estimate():
        shares = (i / 1000 for i in range(1001))
        return _nearest((Plan(subset(provinces, share), one) for share in shares), target)
    smallest = subset(provinces, per_province=SMALL_PER_PROVINCE, how_many=1)
    if target >= Plan(smallest, one).estimate():
        return _nearest(
            (
                Plan(subset(provinces, per_province=SMALL_PER_PROVINCE, how_many=n), one)
                for n in range(1, len(provinces) + 1)
            ),
            target,
        )
    return _nearest(
        (
            Plan(subset(provinces, per_province=n, how_many=1), one)
            for n in range(1, SMALL_PER_PROVINCE + 1)
        ),
        target,
    )


# ---------------------------------------------------------------------- the corpus


@dataclass
class Summary:
    path: Path
    manifest: Path
    triples: int
    graphs: int
    seconds: float
    plan: Plan
    faults: list[Fault]


def choose_faults(plan: Plan, how_many: int, seed: int) -> dict[int, Fault]:
    """``how_many`` faults, as even over the kinds as can be, each in its own county notice."""
    units = sum(1 for _ in plan.units())
    if how_many > units:
        raise ValueError(f"{how_many} faults but only {units} county notices; ask for more triples")
    rng = random.Random(f"faults:{seed}")
    kinds = [FAULT_KINDS[i % len(FAULT_KINDS)] for i in range(how_many)]
    rng.shuffle(kinds)
    where = sorted(rng.sample(range(units), how_many))
    return {unit: Fault(kind, rng.random()) for unit, kind in zip(where, kinds, strict=True)}


def write_nquads(handle: IO[str], plan: Plan, faults: dict[int, Fault], seed: int) -> QuadSink:
    sink = QuadSink(handle)
    reference_graph(sink, plan.provinces, plan.quarters)
    years_done: set[int] = set()
    for number, (quarter, county) in enumerate(plan.units()):
        county_notice(sink, county, quarter, seed, faults.get(number))
        last_of_year = quarter.number == 4 or quarter == plan.quarters[-1]
        last_county = county is plan.provinces[-1].counties[-1]
        if last_of_year and last_county and quarter.year not in years_done:
            years_done.add(quarter.year)
            for province in plan.provinces:
                conference_notice(sink, province, quarter.year, seed)
    sink.flush()
    return sink


FORMATS = {".nq": "nquads", ".nquads": "nquads", ".trig": "trig", ".ttl": "turtle"}


def manifest_path(output: Path) -> Path:
    """``corpus-1m.nq`` -> ``corpus-1m.faults.json``, next to it."""
    return output.with_suffix(".faults.json")


def generate(
    target: int,
    output: Path,
    faults: int = 0,
    seed: int = 1,
    output_format: str | None = None,
) -> Summary:
    """Write a corpus of about ``target`` triples to ``output`` and its fault manifest."""
    plan = plan_corpus(target, build_provinces(seed))
    return write_corpus(plan, output, faults, seed, output_format, target)


def write_corpus(
    plan: Plan,
    output: Path,
    faults: int = 0,
    seed: int = 1,
    output_format: str | None = None,
    target: int | None = None,
) -> Summary:
    """Write the corpus ``plan`` describes to ``output``, and its fault manifest beside it."""
    started = time.perf_counter()
    output_format = output_format or FORMATS.get(output.suffix, "nquads")
    planted = choose_faults(plan, faults, seed)
    if output_format == "nquads":
        with output.open("w", encoding="utf-8", newline="\n") as handle:
            sink = write_nquads(handle, plan, planted, seed)
    else:
        with tempfile.TemporaryDirectory() as folder:
            raw = Path(folder) / "corpus.nq"
            with raw.open("w", encoding="utf-8", newline="\n") as handle:
                sink = write_nquads(handle, plan, planted, seed)
            _convert(raw, output, output_format)
    summary = Summary(
        path=output,
        manifest=manifest_path(output),
        triples=sink.triples,
        graphs=sink.graphs,
        seconds=time.perf_counter() - started,
        plan=plan,
        faults=list(planted.values()),
    )
    _write_manifest(summary, target, seed, output_format)
    return summary


def _convert(source: Path, output: Path, output_format: str) -> None:
    quads = ox.parse(path=str(source), format=ox.RdfFormat.N_QUADS)
    prefixes = {**PREFIXES, "place": _PLACE, "quarter": _QUARTER}
    if output_format == "trig":
        ox.serialize(quads, str(output), format=ox.RdfFormat.TRIG, prefixes=prefixes)
    else:  # Turtle has no named graphs: the union, for `kg validate FILE`
        triples = (quad.triple for quad in quads)
        ox.serialize(triples, str(output), format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def _write_manifest(summary: Summary, target: int | None, seed: int, output_format: str) -> None:
    plan = summary.plan
    kinds = {kind: sum(1 for f in summary.faults if f.kind == kind) for kind in FAULT_KINDS}
    manifest: dict[str, Any] = {
        "generator": "bench/corpus.py",
        "corpus": summary.path.name,
        "format": output_format,
        "seed": seed,
        "target_triples": target,
        "triples": summary.triples,
        "graphs": summary.graphs,
        "provinces": len(plan.provinces),
        "counties": plan.counties,
        "quarters": [q.label_en for q in plan.quarters],
        "fault_kinds": kinds,
        "faults": [fault.record() for fault in summary.faults],
    }
    summary.manifest.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


# ---------------------------------------------------------------------- validation


def load_graph(path: Path) -> Any:
    """The corpus with the ontology and reference data, as one rdflib graph (small sizes)."""
    from rdflib import Graph

    from kg import resources
    from kg.terms import to_rdflib
    from kg.turtle import parse_turtle

    graph = Graph()
    for part in [*resources.ontology_files(), resources.reference_file()]:
        parse_turtle(part, graph)
    rdf_format = {
        ".nq": ox.RdfFormat.N_QUADS,
        ".nquads": ox.RdfFormat.N_QUADS,
        ".trig": ox.RdfFormat.TRIG,
    }.get(path.suffix, ox.RdfFormat.TURTLE)
    for quad in ox.parse(path=str(path), format=rdf_format):
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def expected_findings(manifest: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    """(severity, shape, focus, path) of every planted fault."""
    return {(f["severity"], f["shape"], f["focus"], f["path"]) for f in manifest["faults"]}


def compare(report: Any, manifest: dict[str, Any]) -> tuple[bool, str]:
    """Whether a validation report (kg.shacl.Report) found every planted fault and nothing
    else, and an account of it."""
    found = {(f.severity, f.shape, f.focus, f.path or "") for f in report.findings}
    expected = expected_findings(manifest)
    missed, extra = expected - found, found - expected
    lines = [
        f"{len(report.findings)} findings ({report.count('Violation')} violations, "
        f"{report.count('Warning')} warnings) on {len(found)} (shape, focus, path); "
        f"{len(expected)} faults planted"
    ]
    lines += [f"  missed: {item}" for item in sorted(missed)]
    lines += [f"  unexpected: {item}" for item in sorted(extra)]
    ok = not missed and not extra
    lines.append("every planted fault found, nothing else" if ok else "MISMATCH")
    return ok, "\n".join(lines)


def check(path: Path, engine: str = "oxigraph") -> tuple[bool, str]:
    """Validate a corpus in memory and compare the findings with its manifest."""
    from kg.shacl import validate_graph  # pySHACL takes a while to import: only when needed

    manifest = json.loads(manifest_path(path).read_text(encoding="utf-8"))
    return compare(validate_graph(load_graph(path), engine=engine), manifest)


# ---------------------------------------------------------------------- command line


def parse_size(text: str) -> int:
    """``10k`` -> 10000, ``1m`` -> 1000000, ``250000`` -> 250000."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 10k, 1m or 250000)")
    number, scale = match.groups()
    return round(float(number) * {"": 1, "k": 1_000, "m": 1_000_000}[scale.lower()])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a synthetic national corpus of civil-affairs notices, with faults."
    )
    parser.add_argument(
        "--triples",
        type=parse_size,
        default=parse_size("100k"),
        help="about how many triples (10k, 100k, 1m, 5m or a number)",
    )
    parser.add_argument("--faults", type=int, default=0, help="how many faults to plant")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        help=".nq (N-Quads), .trig or .ttl (Turtle: the graphs merged)",
    )
    parser.add_argument(
        "--format",
        choices=sorted(set(FORMATS.values())),
        help="override the format the output's suffix implies",
    )
    parser.add_argument(
        "--validate",
        action="store_true",
        help="validate afterwards and compare with the manifest (small sizes)",
    )
    parser.add_argument(
        "--engine",
        default="oxigraph",
        help="the kg.shacl validation engine --validate uses (default: oxigraph)",
    )
    args = parser.parse_args(argv)
    try:
        summary = generate(args.triples, args.output, args.faults, args.seed, args.format)
    except ValueError as error:
        parser.error(str(error))
    plan = summary.plan
    print(
        f"{summary.triples} triples (target {args.triples}) in {summary.graphs} graphs: "
        f"{len(plan.provinces)} provinces, {plan.counties} counties, {len(plan.quarters)} "
        f"quarters ({plan.quarters[0].label_en} to {plan.quarters[-1].label_en}), "
        f"{len(summary.faults)} faults; {summary.seconds:.1f} s"
    )
    print(f"wrote {summary.path} and {summary.manifest}")
    if args.validate:
        started = time.perf_counter()
        try:
            ok, text = check(summary.path, args.engine)
        except ValueError as error:  # an unknown engine
            parser.error(str(error))
        print(text)
        print(f"validated in {time.perf_counter() - started:.1f} s")
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
