"""Periods as the text states them, in one notation, and the OWL-Time resources they name.

=====================  =======================  ===============================================
the text               notation                 IRI
=====================  =======================  ===============================================
2024年, 全年            ``2024``                 ``http://reference.data.gov.uk/id/year/2024``
年末, 截至2024年底       ``2024-12-31``           ``https://w3id.org/mca-kg/time/2024-12-31``
一季度, 上半年           ``2024-Q1``, ``2024-H1``  ``…/id/quarter/2024-Q1``, ``…/id/half/2024-H1``
12月份                  ``2024-12``              ``…/id/month/2024-12``
1—9月                   ``2024-01/2024-09``      ``…/gregorian-interval/2024-01-01T00:00:00/P9M``
2021—2024年             ``2021/2024``            ``…/id/gregorian-interval/2021-01-01T00:00:00/P4Y``
=====================  =======================  ===============================================

A date (a year-end, a cut-off) is an instant: a figure for it is a stock at that
moment, not a flow over a year. It is typed ``time:Instant`` and, as OWL-Time
allows an instant to be read as an interval of no extent, it is its own
beginning and end, so that every period can be ordered by its beginning.

>>> previous("2024"), previous("2024-12-31"), previous("2024-Q1"), previous("2024-01/2024-09")
('2023', '2023-12-31', '2023-Q1', '2023-01/2023-09')
>>> bounds("2024-Q2"), bounds("2024-12-31")
(('2024-04-01', '2024-06-30'), ('2024-12-31', '2024-12-31'))
"""

from __future__ import annotations

import calendar
import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, TIME, XSD

from kg.namespaces import MCATIME, YEAR

_YEAR = re.compile(r"(\d{4})")
_INSTANT = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_HALF = re.compile(r"(\d{4})-H([12])")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_MONTHS = re.compile(r"(\d{4})-(\d{2})/(\d{4})-(\d{2})")
_YEARS = re.compile(r"(\d{4})/(\d{4})")

GOV = "http://reference.data.gov.uk/id/"


def is_period(text: str) -> bool:
    """Whether ``text`` is in the notation."""
    return any(
        p.fullmatch(text) for p in (_YEAR, _INSTANT, _QUARTER, _HALF, _MONTH, _MONTHS, _YEARS)
    )


def month_end(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def bounds(period: str) -> tuple[str, str]:
    """The first and last day of a period, as ISO dates."""
    if m := _YEAR.fullmatch(period):
        return f"{period}-01-01", f"{period}-12-31"
    if m := _INSTANT.fullmatch(period):
        return period, period
    if m := _QUARTER.fullmatch(period):
        year, q = int(m[1]), int(m[2])
        return f"{year}-{3 * q - 2:02d}-01", month_end(year, 3 * q)
    if m := _HALF.fullmatch(period):
        year, h = int(m[1]), int(m[2])
        return f"{year}-{6 * h - 5:02d}-01", month_end(year, 6 * h)
    if m := _MONTHS.fullmatch(period):
        return f"{m[1]}-{m[2]}-01", month_end(int(m[3]), int(m[4]))
    if m := _MONTH.fullmatch(period):
        return f"{period}-01", month_end(int(m[1]), int(m[2]))
    if m := _YEARS.fullmatch(period):
        return f"{m[1]}-01-01", f"{m[2]}-12-31"
    raise ValueError(f"not a period: {period!r}")


def year_of(period: str) -> int:
    """The year a period ends in."""
    return int(bounds(period)[1][:4])


def previous(period: str) -> str | None:
    """The same period a year before (what 同比 and 比上年 compare with)."""
    if _YEAR.fullmatch(period):
        return str(int(period) - 1)
    if m := _INSTANT.fullmatch(period):
        year, month, day = int(m[1]) - 1, int(m[2]), int(m[3])
        day = min(day, calendar.monthrange(year, month)[1])
        return f"{year:04d}-{month:02d}-{day:02d}"
    if m := _QUARTER.fullmatch(period):
        return f"{int(m[1]) - 1}-Q{m[2]}"
    if m := _HALF.fullmatch(period):
        return f"{int(m[1]) - 1}-H{m[2]}"
    if m := _MONTHS.fullmatch(period):
        return f"{int(m[1]) - 1}-{m[2]}/{int(m[3]) - 1}-{m[4]}"
    if m := _MONTH.fullmatch(period):
        return f"{int(m[1]) - 1}-{m[2]}"
    return None


def is_instant(period: str) -> bool:
    return bool(_INSTANT.fullmatch(period))


def period_iri(period: str) -> URIRef:
    """The IRI that names a period."""
    if _YEAR.fullmatch(period):
        return YEAR[period]
    if _INSTANT.fullmatch(period):
        return MCATIME[period]
    if _QUARTER.fullmatch(period):
        return URIRef(GOV + "quarter/" + period)
    if _HALF.fullmatch(period):
        return URIRef(GOV + "half/" + period)
    if m := _MONTHS.fullmatch(period):
        months = (int(m[3]) - int(m[1])) * 12 + int(m[4]) - int(m[2]) + 1
        return URIRef(f"{GOV}gregorian-interval/{m[1]}-{m[2]}-01T00:00:00/P{months}M")
    if _MONTH.fullmatch(period):
        return URIRef(GOV + "month/" + period)
    if m := _YEARS.fullmatch(period):
        years = int(m[2]) - int(m[1]) + 1
        return URIRef(f"{GOV}gregorian-interval/{m[1]}-01-01T00:00:00/P{years}Y")
    raise ValueError(f"not a period: {period!r}")


def _instant(graph: Graph, date: str) -> URIRef:
    node = MCATIME[date]
    graph.add((node, RDF.type, TIME.Instant))
    graph.add((node, TIME.inXSDDate, Literal(date, datatype=XSD.date)))
    return node


def describe(graph: Graph, period: str) -> URIRef:
    """Add what OWL-Time says of a period (type, beginning, end, labels) to ``graph``."""
    node = period_iri(period)
    begin, end = bounds(period)
    if is_instant(period):
        _instant(graph, period)
        graph.add((node, RDF.type, TIME.Interval))
        graph.add((node, TIME.hasBeginning, node))
        graph.add((node, TIME.hasEnd, node))
        y, mo, d = period.split("-")
        graph.add((node, RDFS.label, Literal(f"{int(y)}年{int(mo)}月{int(d)}日", lang="zh")))
        graph.add((node, RDFS.label, Literal(period, lang="en")))
        return node
    graph.add((node, RDF.type, TIME.ProperInterval))
    graph.add((node, TIME.hasBeginning, _instant(graph, begin)))
    graph.add((node, TIME.hasEnd, _instant(graph, end)))
    graph.add((node, RDFS.label, Literal(period, lang="en")))
    graph.add((node, RDFS.label, Literal(_zh(period), lang="zh")))
    if _YEAR.fullmatch(period):
        graph.add((node, RDF.type, TIME.DateTimeInterval))
    return node


def _zh(period: str) -> str:
    if _YEAR.fullmatch(period):
        return f"{period}年"
    if m := _QUARTER.fullmatch(period):
        return f"{m[1]}年第{'一二三四'[int(m[2]) - 1]}季度"
    if m := _HALF.fullmatch(period):
        return f"{m[1]}年{'上下'[int(m[2]) - 1]}半年"
    if m := _MONTHS.fullmatch(period):
        return f"{m[1]}年{int(m[2])}—{int(m[4])}月"
    if m := _MONTH.fullmatch(period):
        return f"{m[1]}年{int(m[2])}月"
    if m := _YEARS.fullmatch(period):
        return f"{m[1]}—{m[2]}年"
    return period


__all__ = [
    "bounds",
    "describe",
    "is_instant",
    "is_period",
    "month_end",
    "period_iri",
    "previous",
    "year_of",
]
