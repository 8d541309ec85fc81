"""The data conforms, and every way of breaking a figure is caught, for every figure.

Mutations are applied to all figures at once, one kind of mutation per
validation run, and each figure must then be reported on its own: every one,
not a sample.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, TIME, XSD

from kg.namespaces import MCA, MCAU, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE, UNIT
from kg.shacl import Report, validate_graph

from .conftest import NOTICE

SHAPES = "https://w3id.org/mca-kg/shapes#"


def figures(graph: Graph) -> list[URIRef]:
    found = [f for f in graph.subjects(RDF.type, MCA.Figure) if str(f).startswith(NOTICE)]
    assert len(found) == 33
    return sorted(found)  # type: ignore[arg-type]


def mutated(graph: Graph, change: Callable[[Graph, URIRef], None]) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    for node in figures(graph):
        change(copy, node)
    return copy


def other_unit(graph: Graph, node: URIRef) -> URIRef:
    """A unit that is not the one the figure's indicator declares, of a plausible kind."""
    unit = graph.value(node, SDMX_ATTRIBUTE.unitMeasure)
    swap = {
        MCAU["CNY-PER-MO"]: MCAU["CNY-PER-YR"],
        MCAU["CNY-PER-YR"]: MCAU["CNY-PER-MO"],
        UNIT.NUM: UNIT.PERCENT,
        UNIT.PERCENT: UNIT.NUM,
    }
    return swap[unit]  # type: ignore[index]


def remove_unit(graph: Graph, node: URIRef) -> None:
    graph.remove((node, SDMX_ATTRIBUTE.unitMeasure, None))


def change_unit(graph: Graph, node: URIRef) -> None:
    new = other_unit(graph, node)
    graph.set((node, SDMX_ATTRIBUTE.unitMeasure, new))


def remove_period(graph: Graph, node: URIRef) -> None:
    graph.remove((node, SDMX_DIMENSION.refPeriod, None))


def value_to_string(graph: Graph, node: URIRef) -> None:
    value = graph.value(node, SDMX_MEASURE.obsValue)
    graph.set((node, SDMX_MEASURE.obsValue, Literal(str(value))))


MUTATIONS = {
    "remove-unit": (remove_unit, "FigureUnit", str(SDMX_ATTRIBUTE.unitMeasure)),
    "change-unit": (change_unit, "UnitOfIndicatorShape", str(SDMX_ATTRIBUTE.unitMeasure)),
    "remove-period": (remove_period, "FigurePeriod", str(SDMX_DIMENSION.refPeriod)),
    "value-to-string": (value_to_string, "FigureValue", str(SDMX_MEASURE.obsValue)),
}


def test_the_data_conforms(graph: Graph) -> None:
    report = validate_graph(graph)
    assert report.findings == [], report.text()


@pytest.mark.slow
def test_the_data_conforms_in_pyshacl_alone(pyshacl_data_report: Report) -> None:
    assert pyshacl_data_report.findings == [], pyshacl_data_report.text()


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_every_figure_mutation_is_reported(graph: Graph, mutation: str) -> None:
    change, shape, path = MUTATIONS[mutation]
    report = validate_graph(mutated(graph, change))
    assert not report.conforms
    reported = {(f.focus, f.path) for f in report.findings if f.shape == SHAPES + shape}
    missed = [str(node) for node in figures(graph) if (str(node), path) not in reported]
    assert missed == []


def test_the_implausible_standard_rule_finds_the_known_error(graph: Graph) -> None:
    """Without the corrected readings, the general rule finds the two per-month tekun figures.

    Read per month, 10,775 and 8,230 yuan are 16.2 and 16.91 times the urban and
    rural dibao standards on an annual basis; no other standard is flagged.
    """
    copy = Graph()
    for triple in graph:
        if triple[1] != MCA.corrects:
            copy.add(triple)
    report = validate_graph(copy)
    plausibility = {
        (f.focus, f.severity)
        for f in report.findings
        if f.shape == SHAPES + "PlausibleStandardShape"
    }
    assert plausibility == {
        (NOTICE + "obs-tekun-standard-urban", "Warning"),
        (NOTICE + "obs-tekun-standard-rural", "Warning"),
    }
    ratios = sorted(
        f.message.split(" times")[0].rsplit(" ", 1)[1]
        for f in report.findings
        if f.shape == SHAPES + "PlausibleStandardShape"
    )
    assert ratios == ["16.2", "16.91"]  # 129,300 / 7,980 and 98,760 / 5,842


def test_the_corrected_readings_are_plausible(graph: Graph) -> None:
    """The per-year readings pass the same rule: 1.35 and 1.41 times the dibao standard."""
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    for stated in ("tekun-standard-urban", "tekun-standard-rural"):
        node = URIRef(NOTICE + "obs-" + stated + "-annual")
        copy.remove((node, MCA.corrects, None))  # judge the corrected readings on their own
    report = validate_graph(copy)
    flagged = {f.focus for f in report.findings if f.shape == SHAPES + "PlausibleStandardShape"}
    assert NOTICE + "obs-tekun-standard-urban-annual" not in flagged
    assert NOTICE + "obs-tekun-standard-rural-annual" not in flagged


def period_ending_before_it_begins(graph: Graph) -> Graph:
    """The year-end period (meeting day to 2021-02-28) made to end in February 2020."""
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    end = URIRef("https://w3id.org/mca-kg/time/2021-02-28")
    copy.set((end, TIME.inXSDDate, Literal("2020-02-28", datatype=XSD.date)))
    return copy


def test_a_period_reached_through_sh_node_is_checked_whole(graph: Graph) -> None:
    """SHACL 4.7.1: a value of sh:node must conform to the whole shape, SPARQL constraints too."""
    report = validate_graph(period_ending_before_it_begins(graph))
    tasks = {
        f.focus
        for f in report.findings
        if f.shape == SHAPES + "TaskShape" and f.path == str(MCA.plannedPeriod)
    }
    assert tasks == {f"{NOTICE}year-end-{n}" for n in range(1, 8)}
    assert (f"{NOTICE}period-year-end", SHAPES + "IntervalShape") in {
        (f.focus, f.shape) for f in report.findings
    }


@pytest.mark.slow
def test_pyshacl_agrees_on_sh_node_results(graph: Graph) -> None:
    broken = period_ending_before_it_begins(graph)
    assert validate_graph(broken).keys() == validate_graph(broken, engine="pyshacl").keys()


def with_a_literal_period(graph: Graph) -> Graph:
    """A copy of the graph whose urban dibao standard has the period "2020"^^xsd:gYear."""
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    node = URIRef(NOTICE + "obs-dibao-standard-urban")
    copy.set((node, SDMX_DIMENSION.refPeriod, Literal("2020", datatype=XSD.gYear)))
    return copy


def test_nested_detail_results_are_not_findings(graph: Graph) -> None:
    """A literal period gives one finding on the figure, not phantom ones on the literal."""
    report = validate_graph(with_a_literal_period(graph))
    assert {(f.shape, f.focus) for f in report.findings} == {
        (SHAPES + "FigurePeriod", NOTICE + "obs-dibao-standard-urban")
    }
