"""Turn a curation sheet (a person's reading of a notice) into the notice's RDF graph.

The sheet (``data/curation/*.toml``) names each figure, task and statement with
the exact words it comes from. Offsets are never typed by hand: each quote must
occur exactly once in the source text, and :func:`build_notice` computes its
``oa:start`` / ``oa:end``. Every concept named in the sheet must exist in the
ontology or the reference data, so a typo fails the build instead of minting a
new IRI.

>>> from kg import resources
>>> graph = build_notice(resources.curation_files()[0])
>>> len(graph) > 1000
True
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, QB, RDF, RDFS, SKOS, TIME, XSD

from kg import resources
from kg.errors import CurationError
from kg.namespaces import (
    AGENCY,
    AREA,
    CHANGE,
    GRP,
    IND,
    MCA,
    MCATIME,
    MCAU,
    OA,
    PERSON,
    PLACE,
    POST,
    PREFIXES,
    PROG,
    QUAL,
    ROLE,
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

#: The five-year plan periods, by the plan names a sheet may use.
PLAN_PERIODS = {
    "13th-five-year-plan": URIRef(
        "http://reference.data.gov.uk/id/gregorian-interval/2016-01-01T00:00:00/P5Y"
    ),
    "14th-five-year-plan": URIRef(
        "http://reference.data.gov.uk/id/gregorian-interval/2021-01-01T00:00:00/P5Y"
    ),
}

STATEMENT_CLASSES = {
    "result": MCA.QualitativeResult,
    "principle": MCA.Principle,
    "requirement": MCA.Requirement,
}

ROLE_PROPERTIES = {
    "speaker": MCA.speaker,
    "chair": MCA.chairedBy,
    "main-venue": MCA.attendedBy,
    "invited": MCA.invitedAgency,
    "branch-venue": MCA.participatedRemotely,
}


def clean(quote: str) -> str:
    """A quote without the page-break artefacts of the source (for labels only).

    >>> clean("全面推\\n\\n\\n\\n进城乡社区治理现代化")
    '全面推进城乡社区治理现代化'
    """
    return "".join(quote.split("\n"))


def _unit(name: str) -> URIRef:
    return MCAU[name] if name.startswith("CNY-") else UNIT[name]


@dataclass
class _Vocabulary:
    """The IRIs that exist in the ontology and reference data, to check names against."""

    subjects: set[URIRef] = field(default_factory=set)

    @classmethod
    def load(cls) -> _Vocabulary:
        graph = Graph()
        for path in [*resources.ontology_files(), resources.reference_file()]:
            graph.parse(path, format="turtle")
        return cls({s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)})

    def resolve(self, namespace: Namespace, name: str, what: str, where: str) -> URIRef:
        iri = namespace[name] if namespace is not MCAU else _unit(name)
        if iri not in self.subjects:
            raise CurationError(f"{where}: unknown {what} {name!r} (no {iri} in the ontology)")
        return iri


class _Builder:
    def __init__(self, sheet: dict[str, Any], sheet_path: Path, text: str, vocab: _Vocabulary):
        self.sheet = sheet
        self.path = sheet_path
        self.text = text
        self.vocab = vocab
        self.doc_id: str = sheet["document"]["id"]
        self.doc = doc_namespace(self.doc_id)
        self.g = Graph()
        for prefix, iri in PREFIXES.items():
            self.g.bind(prefix, iri)
        self.g.bind("doc", str(self.doc))
        self.meeting = self.doc.meeting
        self.figures: dict[str, URIRef] = {}
        self.figure_rows: dict[str, dict[str, Any]] = {}

    # ------------------------------------------------------------ helpers

    def where(self, kind: str, row: dict[str, Any]) -> str:
        return f"{self.path.name}: {kind} {row.get('id', row.get('quote', '?'))!r}"

    def locate(self, quote: str, where: str, within: tuple[int, int] | None = None) -> int:
        start, end = within if within else (0, len(self.text))
        first = self.text.find(quote, start, end)
        if first < 0:
            raise CurationError(f"{where}: quote not found in the source text: {quote!r}")
        if self.text.find(quote, first + 1, end) >= 0:
            raise CurationError(f"{where}: quote occurs more than once, lengthen it: {quote!r}")
        return first

    def passage(self, quote: str, where: str, within: tuple[int, int] | None = None) -> URIRef:
        """The passage node for a quote, with its quote and position selectors."""
        start = self.locate(quote, where, within)
        return add_passage(self.g, self.doc, self.text, start, start + len(quote))

    def labels(self, node: URIRef, zh: str, en: str, predicate: URIRef = RDFS.label) -> None:
        self.g.add((node, predicate, Literal(zh, lang="zh")))
        self.g.add((node, predicate, Literal(en, lang="en")))

    def tags(self, node: URIRef, row: dict[str, Any], where: str) -> None:
        """Policy areas, groups and programmes a task or statement concerns."""
        for name in row.get("area", []):
            self.g.add((node, MCA.policyArea, self.vocab.resolve(AREA, name, "policy area", where)))
        for name in row.get("group", []):
            self.g.add((node, MCA.concernsGroup, self.vocab.resolve(GRP, name, "group", where)))
        for name in row.get("program", []):
            iri = self.vocab.resolve(PROG, name, "programme", where)
            self.g.add((node, MCA.concernsProgram, iri))

    # ------------------------------------------------------------ parts

    def document(self) -> None:
        d = self.sheet["document"]
        g, doc = self.g, self.doc
        notice = doc.notice
        g.add((notice, RDF.type, MCA.Notice))
        self.labels(notice, d["title_zh"], d["title_en"], DCTERMS.title)
        self.labels(notice, d["title_zh"], d["title_en"])
        g.add((notice, DCTERMS.language, Literal("zh")))
        g.add((notice, DCTERMS.publisher, AGENCY[d["publisher"]]))
        g.add((notice, DCTERMS.source, URIRef(d["published_via"])))
        g.add((notice, MCA.reports, self.meeting))
        g.add((notice, PROV.wasDerivedFrom, self.passage(d["title_quote"], "document title")))
        g.add((notice, PROV.wasDerivedFrom, self.passage(d["published_via_quote"], "source")))
        g.add((doc.text, RDF.type, MCA.SourceText))
        g.add((doc.text, MCA.textOf, notice))
        g.add((doc.text, DCTERMS.identifier, Literal(d["source"])))
        g.add((doc.text, DCTERMS.format, Literal("text/plain; charset=utf-8")))
        g.add((doc.text, DCTERMS.extent, Literal(len(self.text), datatype=XSD.nonNegativeInteger)))
        self.labels(doc.text, f"通知原文：{d['source']}", f"Text of the notice: {d['source']}")
        graph = graph_iri(self.doc_id)
        self.labels(graph, f"{d['title_zh']}（知识图谱）", f"Knowledge graph of: {d['title_en']}")
        g.add((graph, DCTERMS.source, notice))
        dataset = doc.figures
        g.add((dataset, RDF.type, QB.DataSet))
        g.add((dataset, QB.structure, MCA.figureStructure))
        g.add((dataset, DCTERMS.source, notice))
        self.labels(dataset, f"{d['title_zh']}：数据", f"Figures of: {d['title_en']}")

    def meeting_part(self) -> None:
        m = self.sheet["meeting"]
        g, meeting = self.g, self.meeting
        g.add((meeting, RDF.type, MCA.VideoConference))
        g.add((meeting, RDF.type, MCA.Meeting))
        self.labels(meeting, m["label_zh"], m["label_en"])
        date = Literal(m["date"], datatype=XSD.date)
        g.add((meeting, DCTERMS.date, date))
        instant = MCATIME[m["date"]]
        g.add((meeting, TIME.hasTime, instant))
        g.add((instant, RDF.type, TIME.Instant))
        g.add((instant, TIME.inXSDDate, date))
        source = self.passage(m["quote"], "meeting")
        g.add((meeting, DCTERMS.source, source))
        organiser = self.vocab.resolve(AGENCY, m["organiser"], "agency", "meeting")
        g.add((meeting, MCA.organiser, organiser))
        self.association(1, organiser, "organiser", source)
        for number, row in enumerate(m.get("role", []), start=2):
            where = f"{self.path.name}: meeting role {row['role']!r}"
            prop = ROLE_PROPERTIES[row["role"]]
            passage = self.passage(row["quote"], where)
            if "person" in row:
                person = self.vocab.resolve(PERSON, row["person"], "person", where)
                agents = [person]
                for post_name in row.get("posts", []):
                    post = self.vocab.resolve(POST, post_name, "post", where)
                    g.add((post, ORG.heldBy, person))
                    g.add((person, ORG.holds, post))
            else:
                agents = [self.vocab.resolve(AGENCY, a, "agency", where) for a in row["agents"]]
            for offset, agent in enumerate(agents):
                g.add((meeting, prop, agent))
                self.association(number * 10 + offset, agent, row["role"], passage)

    def association(self, number: int, agent: URIRef, role: str, passage: URIRef) -> None:
        node = self.doc[f"meeting-association-{number}"]
        self.g.add((self.meeting, PROV.qualifiedAssociation, node))
        self.g.add((node, RDF.type, PROV.Association))
        self.g.add((node, PROV.agent, agent))
        self.g.add((node, PROV.hadRole, ROLE[role]))
        self.g.add((node, DCTERMS.source, passage))

    def awards(self) -> None:
        for row in self.sheet.get("award", []):
            where = self.where("award", row)
            node = self.doc[f"award-{row['id']}"]
            self.g.add((node, RDF.type, MCA.Award))
            self.labels(node, row["label_zh"], row["label_en"])
            self.g.add((node, MCA.conferredAt, self.meeting))
            self.g.add((node, PROV.wasDerivedFrom, self.passage(row["quote"], where)))

    def figures_part(self) -> None:
        rows = self.sheet.get("figure", [])
        for row in rows:
            if row["id"] in self.figures:
                raise CurationError(f"{self.where('figure', row)}: duplicate id")
            self.figures[row["id"]] = self.doc[f"obs-{row['id']}"]
            self.figure_rows[row["id"]] = row
        for row in rows:
            kind = row.get("kind", "figure")
            if kind == "figure":
                self.figure(row)
            elif kind == "growth":
                self.growth(row)
            elif kind == "corrected":
                self.corrected(row)
            else:
                raise CurationError(f"{self.where('figure', row)}: unknown kind {kind!r}")

    def _value(self, row: dict[str, Any], where: str) -> Literal:
        try:
            value = Decimal(row["value"])
        except (InvalidOperation, KeyError) as error:
            raise CurationError(f"{where}: value must be a decimal string") from error
        return Literal(value, datatype=XSD.decimal)

    def _observation(self, row: dict[str, Any], where: str, base: dict[str, Any]) -> URIRef:
        """The triples every kind of figure has; ``base`` supplies what a row leaves out."""
        g = self.g
        node = self.figures[row["id"]]
        period = str(
            row.get("period", base.get("period", self.sheet["document"]["default_period"]))
        )
        g.add((node, RDF.type, QB.Observation))
        g.add((node, RDF.type, MCA.Figure))
        g.add((node, QB.dataSet, self.doc.figures))
        g.add((node, SDMX_DIMENSION.refPeriod, YEAR[period]))
        g.add((node, SDMX_MEASURE.obsValue, self._value(row, where)))
        # the area a figure is about: the row's, else the figure it qualifies', else the sheet's
        area = row.get("area", base.get("area", self.sheet["document"].get("default_area")))
        if area is None:
            raise CurationError(f"{where}: no area, and [document] has no default_area")
        g.add((node, SDMX_DIMENSION.refArea, self.vocab.resolve(PLACE, area, "area", where)))
        for key, prop, namespace, what in (
            ("scope", MCA.areaScope, SCOPE, "scope"),
            ("group", MCA.beneficiaryGroup, GRP, "group"),
            ("stat_unit", SDMX_ATTRIBUTE.statUnit, STAT, "statistical unit"),
        ):
            name = row.get(key, base.get(key))
            if name is not None:
                g.add((node, prop, self.vocab.resolve(namespace, name, what, where)))
        for name in row.get("program", base.get("program", [])):
            g.add((node, MCA.program, self.vocab.resolve(PROG, name, "programme", where)))
        passage = self.passage(row["quote"], where)
        g.add((node, PROV.wasDerivedFrom, passage))
        start = self.locate(row["quote"], where)
        value_passage = self.passage(
            row["value_text"], f"{where} value_text", (start, start + len(row["quote"]))
        )
        g.add((node, MCA.valueSource, value_passage))
        return node

    def _indicator_and_unit(self, node: URIRef, row: dict[str, Any], where: str) -> None:
        indicator = self.vocab.resolve(IND, row["indicator"], "indicator", where)
        self.g.add((node, MCA.indicator, indicator))
        self.g.add(
            (node, SDMX_ATTRIBUTE.unitMeasure, self.vocab.resolve(MCAU, row["unit"], "unit", where))
        )

    def _year_labels(self, node: URIRef, zh: str, en: str, row: dict[str, Any]) -> None:
        period = str(row.get("period", self.sheet["document"]["default_period"]))
        self.labels(node, f"{zh}（{period}年）", f"{en}, {period}")

    def figure(self, row: dict[str, Any]) -> None:
        where = self.where("figure", row)
        node = self._observation(row, where, {})
        self._indicator_and_unit(node, row, where)
        self._year_labels(node, row["label_zh"], row["label_en"], row)
        if row.get("qualifier"):
            qualifier = self.vocab.resolve(QUAL, row["qualifier"], "qualifier", where)
            self.g.add((node, MCA.valueQualifier, qualifier))
        if row.get("first_time"):
            self.g.add((node, MCA.firstTime, Literal(True)))
        if row.get("award"):
            self.g.add((node, MCA.award, self.doc[f"award-{row['award']}"]))

    def _qualified(self, row: dict[str, Any], key: str, where: str) -> dict[str, Any]:
        name = row.get(key)
        if name not in self.figure_rows:
            raise CurationError(f"{where}: {key} names no figure of this sheet: {name!r}")
        return self.figure_rows[name]

    def growth(self, row: dict[str, Any]) -> None:
        where = self.where("growth rate", row)
        base = self._qualified(row, "qualifies", where)
        # A growth rate is in percent: it shares the figure's dimensions, not what it counts.
        node = self._observation(row, where, {k: v for k, v in base.items() if k != "stat_unit"})
        g = self.g
        g.add((node, RDF.type, MCA.GrowthRate))
        g.add((node, MCA.qualifies, self.figures[base["id"]]))
        g.add((node, MCA.indicator, IND["yoy-growth"]))
        g.add((node, SDMX_ATTRIBUTE.unitMeasure, UNIT.PERCENT))
        period = int(base.get("period", self.sheet["document"]["default_period"]))
        g.add((node, SDMX_ATTRIBUTE.basePer, YEAR[str(row.get("base_period", period - 1))]))
        change = row.get("change_type", "relative")
        g.add((node, MCA.changeType, self.vocab.resolve(CHANGE, change, "change type", where)))
        zh, en = base["label_zh"], base["label_en"]
        self._year_labels(node, f"{zh}同比增长", f"{en}: year-on-year growth", base)

    def corrected(self, row: dict[str, Any]) -> None:
        where = self.where("corrected reading", row)
        base = self._qualified(row, "corrects", where)
        node = self._observation(row, where, base)
        g = self.g
        g.add((node, RDF.type, MCA.CorrectedReading))
        g.add((node, MCA.corrects, self.figures[base["id"]]))
        self._indicator_and_unit(node, row, where)
        self._year_labels(node, row["label_zh"], row["label_en"], row)
        self.labels(node, row["note_zh"], row["note_en"], SKOS.editorialNote)
        evidence = URIRef(row["evidence"])
        if evidence not in self.vocab.subjects:
            raise CurationError(f"{where}: evidence {evidence} is not in data/reference.ttl")
        evidence_passage = self.doc[f"evidence-{row['id']}"]
        selector = self.doc[f"evidence-{row['id']}-quote"]
        g.add((evidence_passage, RDF.type, MCA.Passage))
        g.add((evidence_passage, RDF.type, OA.SpecificResource))
        g.add((evidence_passage, OA.hasSource, evidence))
        g.add((evidence_passage, OA.hasSelector, selector))
        g.add((selector, RDF.type, OA.TextQuoteSelector))
        g.add((selector, OA.exact, Literal(row["evidence_quote"])))
        g.add((node, PROV.wasDerivedFrom, evidence_passage))

    def statements(self) -> None:
        for position, row in enumerate(self.sheet.get("statement", []), start=1):
            where = self.where("statement", row)
            node = self.doc[f"statement-{row['id']}"]
            g = self.g
            g.add((node, RDF.type, MCA.Statement))
            g.add((node, RDF.type, STATEMENT_CLASSES[row["kind"]]))
            self.labels(node, row.get("label_zh", clean(row["quote"])), row["label_en"])
            g.add((node, PROV.wasDerivedFrom, self.passage(row["quote"], where)))
            g.add((node, MCA.position, Literal(position)))
            period = row.get("period", self.sheet["document"]["default_period"])
            g.add((node, DCTERMS.temporal, PLAN_PERIODS.get(period, YEAR[str(period)])))
            if row.get("qualifier"):
                qualifier = self.vocab.resolve(QUAL, row["qualifier"], "qualifier", where)
                g.add((node, MCA.valueQualifier, qualifier))
            self.tags(node, row, where)

    def _task(
        self,
        node: URIRef,
        classes: Iterable[URIRef],
        row: dict[str, Any],
        where: str,
        position: int,
        period: URIRef,
    ) -> None:
        g = self.g
        g.add((node, RDF.type, MCA.Task))
        for cls in classes:
            g.add((node, RDF.type, cls))
        self.labels(node, row.get("label_zh", clean(row["quote"])), row["label_en"])
        g.add((node, PROV.wasDerivedFrom, self.passage(row["quote"], where)))
        g.add((node, MCA.position, Literal(position)))
        g.add((node, MCA.plannedPeriod, period))
        g.add((node, MCA.deployedAt, self.meeting))
        for name in row.get("agency", ["civil-affairs-departments"]):
            agency = self.vocab.resolve(AGENCY, name, "agency", where)
            g.add((node, MCA.responsibleAgency, agency))
        self.tags(node, row, where)

    def tasks(self) -> None:
        year = YEAR[str(int(self.sheet["document"]["default_period"]) + 1)]
        for row in self.sheet.get("task", []):
            where = self.where("task", row)
            node = self.doc[f"task-{row['id']}"]
            self._task(node, [MCA.KeyTask], row, where, int(row["id"]), year)
            for number, sub in enumerate(row.get("sub", []), start=1):
                sub_node = self.doc[f"task-{row['id']}-{number}"]
                sub_where = f"{where} sub-task {number}"
                self._task(sub_node, [MCA.SubTask], sub, sub_where, number, year)
                self.g.add((node, MCA.hasSubTask, sub_node))
                self.g.add((sub_node, MCA.subTaskOf, node))

    def year_end(self) -> None:
        rows = self.sheet.get("year_end", [])
        if not rows:
            return
        g = self.g
        period = self.doc["period-year-end"]
        end = MCATIME["2021-02-28"]
        g.add((period, RDF.type, TIME.ProperInterval))
        self.labels(
            period,
            "岁末年初（会议召开之日至2021年2月28日）",
            "The turn of the year: from the meeting to 28 February 2021",
        )
        g.add(
            (
                period,
                RDFS.comment,
                Literal(
                    "The notice gives no dates for 岁末年初. We read it as from the meeting "
                    "to the end of February 2021, after the Spring Festival (2021-02-12) "
                    "that 过节 refers to.",
                    lang="en",
                ),
            )
        )
        g.add((period, TIME.hasBeginning, MCATIME[self.sheet["meeting"]["date"]]))
        g.add((period, TIME.hasEnd, end))
        g.add((end, RDF.type, TIME.Instant))
        g.add((end, TIME.inXSDDate, Literal("2021-02-28", datatype=XSD.date)))
        for position, row in enumerate(rows, start=1):
            where = f"{self.path.name}: year-end arrangement {position}"
            node = self.doc[f"year-end-{position}"]
            self._task(node, [MCA.YearEndArrangement], row, where, position, period)

    def responsibilities(self) -> None:
        period = PLAN_PERIODS["14th-five-year-plan"]
        for position, row in enumerate(self.sheet.get("responsibility", []), start=1):
            where = self.where("responsibility", row)
            node = self.doc[f"responsibility-{row['id']}"]
            self._task(node, [MCA.Responsibility], row, where, position, period)
            self.labels(node, row["goal_zh"], row["goal_en"], MCA.goal)

    def build(self) -> Graph:
        self.document()
        self.meeting_part()
        self.awards()
        self.figures_part()
        self.statements()
        self.tasks()
        self.year_end()
        self.responsibilities()
        return self.g


def load_sheet(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as error:
        raise CurationError(f"{path}: no such file") from error
    except tomllib.TOMLDecodeError as error:
        raise CurationError(f"{path}: malformed TOML: {error}") from error


def build_notice(sheet_path: Path) -> Graph:
    """Build the graph of one notice from its curation sheet and its shipped source text."""
    sheet = load_sheet(sheet_path)
    try:
        source = resources.source_text_path(sheet["document"]["source"])
    except KeyError as error:
        raise CurationError(f"{sheet_path}: [document] needs id and source") from error
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise CurationError(f"{sheet_path}: source text {source} is missing") from error
    try:
        return _Builder(sheet, sheet_path, text, _Vocabulary.load()).build()
    except KeyError as error:
        raise CurationError(f"{sheet_path}: a row lacks the key {error}") from error


def notice_output_path(sheet_path: Path) -> Path:
    """Where the built Turtle of a sheet goes: ``data/notices/{id}.ttl``."""
    doc_id = load_sheet(sheet_path)["document"]["id"]
    return resources.data_dir() / "notices" / f"{doc_id}.ttl"


__all__ = ["build_notice", "clean", "notice_output_path"]
