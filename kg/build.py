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

import hashlib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, QB, RDF, RDFS, SKOS, TIME, XSD
from rdflib.term import Node

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
    """A unit by its local name: the project's own (``mcau:``) if it has one, else QUDT's."""
    from kg.ingest.lexicon import unit_iri

    return unit_iri(name)


@dataclass
class _Vocabulary:
    """The IRIs that exist in the ontology and reference data, to check names against,
    and the ontology itself, whose axioms the build states in the data."""

    subjects: set[URIRef] = field(default_factory=set)
    graph: Graph = field(default_factory=Graph)

    @classmethod
    def load(cls) -> _Vocabulary:
        graph = Graph()
        for path in [*resources.ontology_files(), resources.reference_file()]:
            graph.parse(path, format="turtle")
        return cls({s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}, graph)

    def resolve(self, namespace: Namespace, name: str, what: str, where: str) -> URIRef:
        if not isinstance(name, str):
            raise CurationError(f"{where}: {what} must be a name, not {name!r}")
        iri = namespace[name] if namespace is not MCAU else _unit(name)
        if iri not in self.subjects:
            raise CurationError(f"{where}: unknown {what} {name!r} (no {iri} in the ontology)")
        return iri


class _Builder:
    def __init__(
        self,
        sheet: dict[str, Any],
        sheet_path: Path,
        text: str,
        vocab: _Vocabulary,
        draft: bool = False,
    ):
        self.sheet = sheet
        self.draft = draft
        self.indicators: dict[str, URIRef] = {}
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

    def passage(
        self,
        quote: str,
        where: str,
        within: tuple[int, int] | None = None,
        start: int | None = None,
    ) -> URIRef:
        """The passage node for a quote, with its quote and position selectors.

        With ``start`` (the offsets ``kg ingest`` computed) the quote must be
        ``text[start:start + len(quote)]``; without, it must occur exactly once.
        """
        if start is None:
            start = self.locate(quote, where, within)
        elif not isinstance(start, int) or self.text[start : start + len(quote)] != quote:
            raise CurationError(f"{where}: the text at offset {start} is not the quote {quote!r}")
        return add_passage(self.g, self.doc, self.text, start, start + len(quote))

    def row_passage(self, row: dict[str, Any], where: str) -> URIRef:
        """The passage of a row's quote, at its ``start`` if the row gives one."""
        if (
            "end" in row
            and row.get("start") is not None
            and row["end"] - row["start"] != len(row["quote"])
        ):
            raise CurationError(f"{where}: start and end do not span the quote")
        return self.passage(row["quote"], where, start=row.get("start"))

    def period(self, name: Any, where: str) -> URIRef:
        """A period in the notation of :mod:`kg.ingest.periods` (2020, 2020-12-31, 2020-Q1 ...)."""
        from kg.ingest import periods

        text = str(name)
        if text in PLAN_PERIODS:
            return PLAN_PERIODS[text]
        if not periods.is_period(text):
            raise CurationError(f"{where}: {text!r} is not a period (2020, 2020-12-31, 2020-Q1 …)")
        iri = periods.period_iri(text)
        if iri not in self.vocab.subjects or periods.is_instant(text):
            periods.describe(self.g, text)  # an instant is described as its own interval
        return iri

    def review(self, node: URIRef, row: dict[str, Any], where: str) -> None:
        """A row's review note: kept on the node in a draft, refused in a reviewed sheet."""
        note = row.get("review")
        if not note:
            return
        if not self.draft:
            raise CurationError(
                f"{where}: still has a review note ({note}); check it and delete the `review` key"
            )
        self.g.add((node, MCA.reviewNote, Literal(str(note), lang="en")))

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
        title_en = d.get("title_en") or ""
        if not title_en and not self.draft:
            raise CurationError(f"{self.path.name}: [document] needs title_en")
        g.add((notice, DCTERMS.title, Literal(d["title_zh"], lang="zh")))
        g.add((notice, RDFS.label, Literal(d["title_zh"], lang="zh")))
        if title_en:
            g.add((notice, DCTERMS.title, Literal(title_en, lang="en")))
            g.add((notice, RDFS.label, Literal(title_en, lang="en")))
        g.add((notice, DCTERMS.language, Literal("zh")))
        if d.get("publisher"):
            g.add((notice, DCTERMS.publisher, AGENCY[d["publisher"]]))
        if d.get("published_via"):
            g.add((notice, DCTERMS.source, URIRef(d["published_via"])))
        if "meeting" in self.sheet:
            g.add((notice, MCA.reports, self.meeting))
        if d.get("title_quote"):
            g.add((notice, PROV.wasDerivedFrom, self.passage(d["title_quote"], "document title")))
        elif d.get("title_start") is not None:
            title = self.text[d["title_start"] : d["title_end"]]
            passage = self.passage(title, "document title", start=d["title_start"])
            g.add((notice, PROV.wasDerivedFrom, passage))
        if d.get("published_via_quote"):
            g.add((notice, PROV.wasDerivedFrom, self.passage(d["published_via_quote"], "source")))
        g.add((doc.text, RDF.type, MCA.SourceText))
        g.add((doc.text, MCA.textOf, notice))
        g.add((doc.text, DCTERMS.identifier, Literal(d["source"])))
        g.add((doc.text, DCTERMS.format, Literal("text/plain; charset=utf-8")))
        g.add((doc.text, DCTERMS.extent, Literal(len(self.text), datatype=XSD.nonNegativeInteger)))
        self.labels(doc.text, f"通知原文：{d['source']}", f"Text of the notice: {d['source']}")
        if d.get("original"):
            g.add((doc.text, PROV.wasDerivedFrom, Literal(d["original"])))
        graph = graph_iri(self.doc_id)
        self.labels(
            graph,
            f"{d['title_zh']}（知识图谱）",
            f"Knowledge graph of: {title_en or d['title_zh']}",
        )
        g.add((graph, DCTERMS.source, notice))
        dataset = doc.figures
        g.add((dataset, RDF.type, QB.DataSet))
        g.add((dataset, QB.structure, MCA.figureStructure))
        g.add((dataset, DCTERMS.source, notice))
        self.labels(dataset, f"{d['title_zh']}：数据", f"Figures of: {title_en or d['title_zh']}")
        self.review(notice, d, f"{self.path.name}: [document]")
        for row in self.sheet.get("review", []):
            where = f"{self.path.name}: review item at {row.get('start')}"
            if not self.draft:
                raise CurationError(
                    f"{where} is still in the sheet ({row.get('note')}); "
                    "type it as a figure or delete it"
                )

    def meeting_part(self) -> None:
        if "meeting" not in self.sheet:
            return
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

    def proposed_indicators(self) -> None:
        """The sheet's [[indicator]] rows: indicators the scheme lacks, minted in this graph."""
        rows = self.sheet.get("indicator", [])
        if not rows:
            return
        g = self.g
        scheme = self.doc["indicators"]
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        title = self.sheet["document"]["title_zh"]
        self.labels(scheme, f"{title}：拟增指标", f"Indicators proposed by: {title}")
        for row in rows:
            where = self.where("indicator", row)
            node = self.doc[f"indicator-{row['id']}"]
            if row["id"] in self.indicators:
                raise CurationError(f"{where}: duplicate id")
            self.indicators[row["id"]] = node
            g.add((node, RDF.type, MCA.ProposedIndicator))
            g.add((node, RDF.type, MCA.Indicator))
            g.add((node, RDF.type, SKOS.Concept))
            g.add((node, SKOS.inScheme, scheme))
            g.add((node, SKOS.prefLabel, Literal(row["label_zh"], lang="zh")))
            if row.get("label_en"):
                g.add((node, SKOS.prefLabel, Literal(row["label_en"], lang="en")))
            elif not self.draft:
                raise CurationError(f"{where}: a proposed indicator needs label_en")
            if row.get("unit"):
                g.add(
                    (node, MCA.expectedUnit, self.vocab.resolve(MCAU, row["unit"], "unit", where))
                )
            self.review(node, row, where)

    def indicator(self, name: str, where: str) -> URIRef:
        if isinstance(name, str) and name.startswith("proposed:"):
            key = name.split(":", 1)[1]
            if key not in self.indicators:
                raise CurationError(f"{where}: no [[indicator]] row with id {key!r}")
            return self.indicators[key]
        return self.vocab.resolve(IND, name, "indicator", where)

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
            elif kind in ("growth", "change"):
                self.change(row)
            elif kind == "corrected":
                self.corrected(row)
            else:
                raise CurationError(f"{self.where('figure', row)}: unknown kind {kind!r}")
            self.review(self.figures[row["id"]], row, self.where("figure", row))

    def _value(self, row: dict[str, Any], where: str) -> Literal:
        try:
            value = Decimal(row["value"])
        except (InvalidOperation, KeyError, TypeError) as error:
            raise CurationError(f"{where}: value must be a decimal string") from error
        return Literal(value, datatype=XSD.decimal)

    def _period_name(self, row: dict[str, Any], base: dict[str, Any]) -> str:
        return str(
            row.get("period", base.get("period", self.sheet["document"].get("default_period")))
        )

    def _observation(self, row: dict[str, Any], where: str, base: dict[str, Any]) -> URIRef:
        """The triples every kind of figure has; ``base`` supplies what a row leaves out."""
        g = self.g
        node = self.figures[row["id"]]
        period = self._period_name(row, base)
        if period == "None":
            raise CurationError(f"{where}: no period, and [document] has no default_period")
        g.add((node, RDF.type, QB.Observation))
        g.add((node, RDF.type, MCA.Figure))
        g.add((node, QB.dataSet, self.doc.figures))
        g.add((node, SDMX_DIMENSION.refPeriod, self.period(period, where)))
        g.add((node, SDMX_MEASURE.obsValue, self._value(row, where)))
        # the area a figure is about: the row's, else the figure it qualifies', else the sheet's
        area = row.get("area", base.get("area", self.sheet["document"].get("default_area")))
        if area is None:
            raise CurationError(f"{where}: no area, and [document] has no default_area")
        g.add((node, SDMX_DIMENSION.refArea, self.vocab.resolve(PLACE, area, "area", where)))
        defaults = {
            "scope": self.sheet["document"].get("default_scope"),
            "group": self.sheet["document"].get("default_group"),
        }
        for key, prop, namespace, what in (
            ("scope", MCA.areaScope, SCOPE, "scope"),
            ("group", MCA.beneficiaryGroup, GRP, "group"),
            ("stat_unit", SDMX_ATTRIBUTE.statUnit, STAT, "statistical unit"),
        ):
            name = row.get(key, base.get(key, defaults.get(key)))
            if name is not None:
                g.add((node, prop, self.vocab.resolve(namespace, name, what, where)))
        for name in row.get("program", base.get("program", [])):
            g.add((node, MCA.program, self.vocab.resolve(PROG, name, "programme", where)))
        passage = self.row_passage(row, where)
        g.add((node, PROV.wasDerivedFrom, passage))
        if row.get("value_start") is not None:
            value_passage = self.passage(
                row["value_text"], f"{where} value_text", start=row["value_start"]
            )
        else:
            start = self.locate(row["quote"], where)
            value_passage = self.passage(
                row["value_text"], f"{where} value_text", (start, start + len(row["quote"]))
            )
        g.add((node, MCA.valueSource, value_passage))
        return node

    def _indicator_and_unit(self, node: URIRef, row: dict[str, Any], where: str) -> None:
        indicator = self.indicator(row["indicator"], where)
        self.g.add((node, MCA.indicator, indicator))
        self.g.add(
            (node, SDMX_ATTRIBUTE.unitMeasure, self.vocab.resolve(MCAU, row["unit"], "unit", where))
        )

    def _year_labels(self, node: URIRef, zh: str, en: str, row: dict[str, Any]) -> None:
        period = self._period_name(row, {})
        self.g.add(
            (
                node,
                RDFS.label,
                Literal(
                    f"{zh}（{period}）"
                    if "-" in period or "/" in period
                    else f"{zh}（{period}年）",
                    lang="zh",
                ),
            )
        )
        if en:
            self.g.add((node, RDFS.label, Literal(f"{en}, {period}", lang="en")))
        elif not self.draft:
            raise CurationError(f"{self.where('figure', row)}: needs label_en")

    def figure(self, row: dict[str, Any]) -> None:
        where = self.where("figure", row)
        node = self._observation(row, where, {})
        self._indicator_and_unit(node, row, where)
        self._year_labels(node, row["label_zh"], row.get("label_en", ""), row)
        if row.get("qualifier"):
            qualifier = self.vocab.resolve(QUAL, row["qualifier"], "qualifier", where)
            self.g.add((node, MCA.valueQualifier, qualifier))
            # 超过13%: the bound as its own value, so that a comparison cannot read it as 13
            bound = self.vocab.graph.value(qualifier, MCA.boundProperty)
            if isinstance(bound, URIRef):
                self.g.add((node, bound, self._value(row, where)))
        if row.get("first_time"):
            self.g.add((node, MCA.firstTime, Literal(True)))
        if row.get("award"):
            self.g.add((node, MCA.award, self.doc[f"award-{row['award']}"]))

    def _qualified(self, row: dict[str, Any], key: str, where: str) -> dict[str, Any]:
        name = row.get(key)
        if name not in self.figure_rows:
            raise CurationError(f"{where}: {key} names no figure of this sheet: {name!r}")
        return self.figure_rows[name]

    def change(self, row: dict[str, Any]) -> None:
        """A change from a base period: of a figure of the sheet (qualifies), or of an indicator.

        Relative changes and percentage points are growth rates (in percent); per-mille
        points and absolute changes are in the unit of what changed.
        """
        where = self.where("change", row)
        change = row.get("change_type", "relative")
        if row.get("qualifies") is not None:
            base = self._qualified(row, "qualifies", where)
        elif row.get("change_of"):
            base = {}
        else:
            raise CurationError(f"{where}: a change needs qualifies (a figure) or change_of")
        inherited = {k: v for k, v in base.items() if k not in ("stat_unit", "start", "end")}
        if change == "absolute" and "stat_unit" in base and "stat_unit" not in row:
            inherited["stat_unit"] = base["stat_unit"]
        node = self._observation(row, where, inherited)
        g = self.g
        g.add((node, RDF.type, MCA.Change))
        measured = (
            self.indicator(row["change_of"], where)
            if row.get("change_of")
            else self.indicator(base["indicator"], where)
        )
        g.add((node, MCA.changeOf, measured))
        unit_name = row.get(
            "unit", "PERCENT" if change in ("relative", "percentage-points") else base.get("unit")
        )
        if unit_name is None:
            raise CurationError(f"{where}: an {change} change needs a unit")
        unit = self.vocab.resolve(MCAU, unit_name, "unit", where)
        g.add((node, SDMX_ATTRIBUTE.unitMeasure, unit))
        if unit == UNIT.PERCENT:
            g.add((node, RDF.type, MCA.GrowthRate))
        if base:
            g.add((node, MCA.qualifies, self.figures[base["id"]]))
        period_name = self._period_name(row, base)
        from kg.ingest import periods

        default_base = periods.previous(period_name) if periods.is_period(period_name) else None
        base_period = row.get("base_period", default_base)
        if base_period is None:
            raise CurationError(f"{where}: no base period")
        g.add((node, SDMX_ATTRIBUTE.basePer, self.period(base_period, where)))
        if change == "relative":
            indicator = (
                IND["yoy-growth"] if str(base_period) == default_base else IND["relative-change"]
            )
        else:
            indicator = measured
        g.add((node, MCA.indicator, indicator))
        g.add((node, MCA.changeType, self.vocab.resolve(CHANGE, change, "change type", where)))
        if base:
            zh, en = base["label_zh"], base.get("label_en", "")
        else:
            zh, en = row.get("label_zh", ""), row.get("label_en", "")
            if not zh:
                label = self.g.value(measured, SKOS.prefLabel)
                zh = str(label) if label is not None else row["quote"]
        suffix_zh, suffix_en = {
            "relative": ("同比增长", "year-on-year growth"),
            "percentage-points": ("变化（百分点）", "change in percentage points"),
            "per-mille-points": ("变化（千分点）", "change in per-mille points"),
            "absolute": ("增减", "change"),
        }[change]
        if change == "relative" and indicator != IND["yoy-growth"]:
            suffix_zh, suffix_en = f"比{base_period}增长", f"growth since {base_period}"
        self._year_labels(
            node, f"{zh}{suffix_zh}", f"{en}: {suffix_en}" if en else "", {**base, **row}
        )

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
        zh = row.get("label_zh", clean(row["quote"]))
        g.add((node, RDFS.label, Literal(zh, lang="zh")))
        if row.get("label_en"):
            g.add((node, RDFS.label, Literal(row["label_en"], lang="en")))
        elif not self.draft:
            raise CurationError(f"{where}: needs label_en")
        g.add((node, PROV.wasDerivedFrom, self.row_passage(row, where)))
        g.add((node, MCA.position, Literal(position)))
        g.add((node, MCA.plannedPeriod, period))
        if "meeting" in self.sheet:
            g.add((node, MCA.deployedAt, self.meeting))
        for name in row.get("agency", ["civil-affairs-departments"]):
            agency = self.vocab.resolve(AGENCY, name, "agency", where)
            g.add((node, MCA.responsibleAgency, agency))
        self.tags(node, row, where)
        self.review(node, row, where)

    def tasks(self) -> None:
        rows = self.sheet.get("task", [])
        if not rows:
            return
        d = self.sheet["document"]
        planned = d.get(
            "planned_period", int(d["default_period"]) + 1 if d.get("default_period") else None
        )
        if planned is None:
            raise CurationError(f"{self.path.name}: tasks need [document] planned_period")
        year = self.period(planned, f"{self.path.name}: planned_period")
        for row in rows:
            where = self.where("task", row)
            node = self.doc[f"task-{row['id']}"]
            self._task(node, [MCA.KeyTask], row, where, int(row["id"]), year)
            self.g.add((node, SKOS.notation, Literal(str(row["id"]))))
            for number, sub in enumerate(row.get("sub", []), start=1):
                sub_node = self.doc[f"task-{row['id']}-{number}"]
                sub_where = f"{where} sub-task {number}"
                self._task(sub_node, [MCA.SubTask], sub, sub_where, number, year)
                self.g.add((sub_node, SKOS.notation, Literal(f"{row['id']}.{number}")))
                self.g.add((node, MCA.hasSubTask, sub_node))
                self.g.add((sub_node, MCA.subTaskOf, node))

    def mentions(self) -> None:
        """[[mention]] rows: the agencies and people a document names, with their words."""
        notice = self.doc.notice
        for number, row in enumerate(self.sheet.get("mention", []), start=1):
            where = f"{self.path.name}: mention {number}"
            if "agency" in row:
                agent = self.vocab.resolve(AGENCY, row["agency"], "agency", where)
            elif "person" in row:
                agent = self.vocab.resolve(PERSON, row["person"], "person", where)
            elif self.draft:
                continue
            else:
                raise CurationError(f"{where}: name an agency or a person of data/reference.ttl")
            node = self.doc[f"mention-{number}"]
            self.g.add((notice, DCTERMS.references, agent))
            self.g.add((node, RDF.type, OA.Annotation))
            self.g.add((node, OA.hasBody, agent))
            self.g.add((node, OA.hasTarget, self.row_passage(row, where)))
            self.review(node, row, where)

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
        self.proposed_indicators()
        self.figures_part()
        self.mentions()
        self.statements()
        self.tasks()
        self.year_end()
        self.responsibilities()
        state_entailments(self.g, self.vocab.graph)
        return self.g


#: Super-properties the data does not repeat: a figure's prov:wasDerivedFrom names its
#: sentence, and its value's words (mca:valueSource) there too would give it two.
_NOT_STATED = {(MCA.valueSource, PROV.wasDerivedFrom)}


def state_entailments(graph: Graph, ontology: Graph) -> None:
    """Add what the ontology's property axioms entail, so that a query needs no reasoner.

    Each ``rdfs:subPropertyOf`` (transitively) and each two-step ``owl:propertyChainAxiom``
    of the ontology, except the pairs in :data:`_NOT_STATED`: an invited agency is also
    ``mca:attendedBy``, a sub-task is ``dcterms:isPartOf`` its key task, and a key task's
    ``mca:groupInScope`` holds the groups of its sub-tasks.

    >>> g = Graph()
    >>> _ = g.add((MCA.k, MCA.hasSubTask, MCA.s)).add((MCA.s, MCA.concernsGroup, MCA.grp))
    >>> ontology = Graph().parse(resources.ontology_dir() / "mca-kg.ttl", format="turtle")
    >>> state_entailments(g, ontology)
    >>> (MCA.k, MCA.groupInScope, MCA.grp) in g and (MCA.s, MCA.groupInScope, MCA.grp) in g
    True
    """
    supers: dict[Node, set[Node]] = {
        p: {s for s in ontology.transitive_objects(p, RDFS.subPropertyOf) if s not in (p, None)}
        for p in set(ontology.subjects(RDFS.subPropertyOf, None))
    }
    chains: list[tuple[URIRef, URIRef, URIRef]] = []
    for prop, head in ontology.subject_objects(OWL.propertyChainAxiom):
        steps = list(Collection(ontology, head))
        if len(steps) == 2 and all(isinstance(x, URIRef) for x in (prop, *steps)):
            chains.append((steps[0], steps[1], prop))  # type: ignore[arg-type]
    for _ in range(len(chains) + 2):  # each round adds a longer derivation; a few suffice
        before = len(graph)
        for prop, above in supers.items():
            for s, o in list(graph.subject_objects(prop)):
                for sup in above - {p for q, p in _NOT_STATED if q == prop}:
                    graph.add((s, sup, o))
        for first, second, prop in chains:
            for s, middle in list(graph.subject_objects(first)):
                for o in list(graph.objects(middle, second)):
                    graph.add((s, prop, o))
        if len(graph) == before:
            return


def load_sheet(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as error:
        raise CurationError(f"{path}: no such file") from error
    except tomllib.TOMLDecodeError as error:
        raise CurationError(f"{path}: malformed TOML: {error}") from error


def is_draft(sheet: dict[str, Any]) -> bool:
    """A sheet ``kg ingest`` wrote that no person has marked reviewed yet."""
    return sheet.get("document", {}).get("status", "reviewed") == "draft"


def source_path(sheet_path: Path, name: str) -> Path:
    """The text a sheet's offsets index: beside the sheet (``../source/`` or the same
    folder), else in the project's ``data/source/``."""
    for candidate in (
        sheet_path.parent.parent / "source" / name,
        sheet_path.parent / name,
        resources.source_text_path(name),
    ):
        if candidate.is_file():
            return candidate
    return resources.source_text_path(name)


def build_notice(sheet_path: Path, draft: bool = False) -> Graph:
    """Build the graph of one notice from its curation sheet and its shipped source text.

    A draft sheet (``status = "draft"``) builds only with ``draft=True``: its review
    notes become ``mca:reviewNote`` values and its missing labels stay missing, so that
    the shapes can say what is left to do. A reviewed sheet must have none.
    """
    sheet = load_sheet(sheet_path)
    if is_draft(sheet) and not draft:
        raise CurationError(
            f'{sheet_path}: a draft (status = "draft"); review it first, or build it with --draft'
        )
    try:
        source = source_path(sheet_path, sheet["document"]["source"])
        sheet["document"]["id"]
    except KeyError as error:
        raise CurationError(f"{sheet_path}: [document] needs id and source") from error
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise CurationError(f"{sheet_path}: source text {source} is missing") from error
    except (UnicodeDecodeError, OSError) as error:
        raise CurationError(f"{sheet_path}: cannot read the source text {source}") from error
    expected = sheet["document"].get("source_sha256")
    if expected and hashlib.sha256(text.encode("utf-8")).hexdigest() != expected:
        raise CurationError(
            f"{sheet_path}: source text {source} is not the text the sheet was made from "
            "(its SHA-256 differs): every offset would be wrong"
        )
    try:
        return _Builder(sheet, sheet_path, text, _Vocabulary.load(), draft=draft).build()
    except KeyError as error:
        raise CurationError(f"{sheet_path}: a row lacks the key {error}") from error
    except (TypeError, ValueError) as error:
        raise CurationError(
            f"{sheet_path}: a row has a value of the wrong type ({error})"
        ) from error


def notice_output_path(sheet_path: Path) -> Path:
    """Where the built Turtle of a sheet goes: ``data/notices/{id}.ttl``."""
    doc_id = load_sheet(sheet_path)["document"]["id"]
    return resources.data_dir() / "notices" / f"{doc_id}.ttl"


__all__ = ["build_notice", "clean", "is_draft", "notice_output_path", "source_path"]
