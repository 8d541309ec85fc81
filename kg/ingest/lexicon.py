"""What the ingester knows of words, read from the ontology: units, count nouns, indicators.

Nothing here is a list in code. The unit words and rate cues are
``mca:UnitWord`` / ``mca:RateCue`` resources of ``ontology/lexicon.ttl``; the
nouns that say what a count in 个 counts are ``mca:countNoun`` values of the
statistical units; indicators are found by their SKOS labels
(``skos:prefLabel`` and ``skos:altLabel`` in Chinese) in ``ontology/concepts.ttl``.
A reviewer teaches the ingester by adding a word there.

>>> lex = Lexicon.load()
>>> word = lex.unit_words["元/人·月"]
>>> word.unit, word.counts
('CNY-PER-MO', 'person')
>>> lex.unit_words["个百分点"].change
'percentage-points'
>>> lex.count_noun("全国共有社区综合服务机构")
'organisation'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from kg import resources
from kg.namespaces import CHANGE, IND, MCA, MCAU, STAT, UNIT


def unit_name(iri: object) -> str:
    """The local name of a unit: ``NUM`` for unit:NUM, ``CNY-PER-MO`` for mcau:CNY-PER-MO."""
    for base in (str(UNIT), str(MCAU)):
        if str(iri).startswith(base):
            return str(iri)[len(base) :]
    raise ValueError(f"not a unit IRI: {iri}")


def unit_iri(name: str) -> URIRef:
    """The IRI of a unit by its local name: QUDT's, else the project's own."""
    return MCAU[name] if name in _local_units() else UNIT[name]


@cache
def _local_units() -> frozenset[str]:
    graph = Graph()
    graph.parse(resources.ontology_dir() / "units.ttl", format="turtle")
    return frozenset(
        str(s)[len(str(MCAU)) :] for s in graph.subjects() if str(s).startswith(str(MCAU))
    )


@dataclass(frozen=True)
class UnitWord:
    word: str
    unit: str  # local name of the unit
    counts: str | None = None  # local name of the statistical unit
    change: str | None = None  # a change type this word can only state
    by_noun: bool = False  # 个: what is counted comes from the noun
    change_unit: str | None = None  # 倍 as a change is in percent
    change_factor: Decimal = Decimal(1)


@dataclass(frozen=True)
class RateCue:
    word: str
    unit: str  # the rate's unit
    applies_to: str  # the unit it converts


@dataclass(frozen=True)
class IndicatorLabel:
    label: str  # normalised Chinese label
    indicator: str  # local name
    unit: str | None  # its expected unit
    preferred: bool


def _name(iri: object, base: str) -> str:
    return str(iri)[len(base) :] if str(iri).startswith(base) else str(iri)


def normalise_label(text: str) -> str:
    """A label as matched: no spaces, brackets' contents kept, ASCII punctuation unified.

    >>> normalise_label("城市 低保（平均）标准")
    '城市低保平均标准'
    """
    text = re.sub(r"[\s\u3000（）()“”\"'《》·、]", "", text)
    return text


class Lexicon:
    """Unit words, rate cues, count nouns and indicator labels, from the ontology's Turtle."""

    def __init__(self, graph: Graph):
        self.unit_words: dict[str, UnitWord] = {}
        for node in graph.subjects(RDF.type, MCA.UnitWord):
            unit = graph.value(node, MCA.unit)
            counts = graph.value(node, MCA.counts)
            change = graph.value(node, MCA.impliesChange)
            change_unit = graph.value(node, MCA.changeUnit)
            factor = graph.value(node, MCA.changeFactor)
            for word in graph.objects(node, MCA.word):
                self.unit_words[str(word)] = UnitWord(
                    str(word),
                    unit_name(unit),
                    _name(counts, str(STAT)) if counts else None,
                    _name(change, str(CHANGE)) if change else None,
                    bool(graph.value(node, MCA.countsByNoun)),
                    unit_name(change_unit) if change_unit else None,
                    Decimal(str(factor)) if factor is not None else Decimal(1),
                )
        self.rate_cues: dict[str, RateCue] = {}
        for node in graph.subjects(RDF.type, MCA.RateCue):
            unit = graph.value(node, MCA.unit)
            applies = graph.value(node, MCA.appliesToUnit)
            for word in graph.objects(node, MCA.word):
                self.rate_cues[str(word)] = RateCue(
                    str(word),
                    unit_name(unit),
                    unit_name(applies),
                )
        self.count_nouns: dict[str, str] = {}
        for node, noun in graph.subject_objects(MCA.countNoun):
            self.count_nouns[str(noun)] = _name(node, str(STAT))
        self.indicator_labels: list[IndicatorLabel] = []
        self.indicator_names: dict[str, tuple[str, str]] = {}  # local name -> (zh, en)
        for node in graph.subjects(RDF.type, MCA.Indicator):
            if not str(node).startswith(str(IND)):
                continue
            name = str(node)[len(str(IND)) :]
            expected = graph.value(node, MCA.expectedUnit)
            expected_unit = unit_name(expected) if isinstance(expected, URIRef) else None
            labels = {
                lit.language: str(lit)
                for lit in graph.objects(node, SKOS.prefLabel)
                if isinstance(lit, Literal)
            }
            self.indicator_names[name] = (labels.get("zh", name), labels.get("en", name))
            for prop, preferred in ((SKOS.prefLabel, True), (SKOS.altLabel, False)):
                for lit in graph.objects(node, prop):
                    if isinstance(lit, Literal) and lit.language == "zh":
                        self.indicator_labels.append(
                            IndicatorLabel(
                                normalise_label(str(lit)), name, expected_unit, preferred
                            )
                        )
        self.indicator_labels.sort(key=lambda entry: -len(entry.label))
        words = sorted(self.unit_words, key=len, reverse=True)
        self.unit_pattern = "|".join(re.escape(w) for w in words)
        nouns = sorted(self.count_nouns, key=len, reverse=True)
        self._noun_re = re.compile("|".join(re.escape(n) for n in nouns)) if nouns else None
        cues = sorted(self.rate_cues, key=len, reverse=True)
        self.rate_cue_re = re.compile("|".join(re.escape(c) for c in cues))

    @classmethod
    def load(cls) -> Lexicon:
        return _load()

    def count_noun(self, text: str) -> str | None:
        """The statistical unit of the last count noun in ``text`` (the noun nearest a number)."""
        if self._noun_re is None:
            return None
        best: tuple[int, str] | None = None
        for match in self._noun_re.finditer(text):
            # the longest noun ending last wins: 社区综合服务机构 is an organisation
            if best is None or match.end() >= best[0]:
                best = (match.end(), self.count_nouns[match.group()])
        return best[1] if best else None

    def indicator(self, subject: str, unit: str | None) -> str | None:
        """The indicator whose Chinese label the subject is, or ends with, in the right unit.

        A subject matches a label when, normalised, it equals the label or ends with it
        after a prefix of place words (全国, 全市, 城市 …): the longest label wins.
        """
        key = normalise_label(subject)
        if not key:
            return None
        for entry in self.indicator_labels:
            if unit is not None and entry.unit is not None and entry.unit != unit:
                continue
            if key == entry.label or (key.endswith(entry.label) and len(entry.label) >= 3):
                return entry.indicator
        return None


@cache
def _load() -> Lexicon:
    graph = Graph()
    for path in resources.ontology_files():
        graph.parse(path, format="turtle")
    return Lexicon(graph)


__all__ = ["Lexicon", "RateCue", "UnitWord", "normalise_label", "unit_iri", "unit_name"]
