"""The ontology documents itself: labels and definitions in English and Chinese, a proper header."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg import resources
from kg.namespaces import MCA

ONTOLOGY = URIRef("https://w3id.org/mca-kg/def")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(resources.ontology_dir() / "mca-kg.ttl", format="turtle")


def terms(graph: Graph) -> list[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    found = {s for k in kinds for s in graph.subjects(RDF.type, k) if str(s).startswith(str(MCA))}
    return sorted(found)  # type: ignore[arg-type]


def test_the_ontology_defines_the_domain(ontology: Graph) -> None:
    names = {str(t).removeprefix(str(MCA)) for t in terms(ontology)}
    for expected in (
        "Program",
        "BeneficiaryGroup",
        "Indicator",
        "Figure",
        "GrowthRate",
        "Task",
        "KeyTask",
        "SubTask",
        "Meeting",
        "PolicyArea",
        "Award",
        "GovernmentAgency",
        "expectedUnit",
        "qualifies",
        "plannedPeriod",
    ):
        assert expected in names


def test_every_term_has_labels_and_definitions_in_both_languages(ontology: Graph) -> None:
    missing = []
    for term in terms(ontology):
        for predicate in (RDFS.label, SKOS.definition):
            languages = {o.language for o in ontology.objects(term, predicate)}  # type: ignore[attr-defined]
            for language in ("en", "zh"):
                if language not in languages:
                    missing.append(f"{term} {predicate} @{language}")
    assert missing == []


def test_properties_have_domains_or_ranges(ontology: Graph) -> None:
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in ontology.subjects(RDF.type, kind):
            assert ontology.value(prop, RDFS.range) is not None, prop


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert str(ontology.value(ONTOLOGY, OWL.versionIRI)).startswith(str(ONTOLOGY) + "/")
    assert ontology.value(ONTOLOGY, DCTERMS.license) is not None
    assert ontology.value(ONTOLOGY, DCTERMS.created) is not None
    assert ontology.value(ONTOLOGY, DCTERMS.modified) is not None
    notes = list(ontology.objects(ONTOLOGY, SKOS.changeNote))
    assert {n.language for n in notes} == {"en", "zh"}  # type: ignore[attr-defined]


def test_no_deprecated_standard_terms_are_used() -> None:
    """time:Year is deprecated, unit:CNY does not exist, unit:MO is the synodic month."""
    banned = {
        "http://www.w3.org/2006/time#Year",
        "http://qudt.org/vocab/unit/CNY",
        "http://qudt.org/vocab/unit/MO",
        "http://qudt.org/vocab/currency/CNY",
    }
    for path in [
        resources.ontology_dir() / "mca-kg.ttl",
        resources.ontology_dir() / "units.ttl",
        resources.ontology_dir() / "concepts.ttl",
        resources.reference_file(),
        *resources.notice_files(),
    ]:
        graph = Graph().parse(path, format="turtle")
        used = {str(o) for o in graph.objects()} | {str(s) for s in graph.subjects()}
        assert used & banned == set(), path


def test_month_is_a_twelfth_of_a_year() -> None:
    units = Graph().parse(resources.ontology_dir() / "units.ttl", format="turtle")
    per_month = URIRef("https://w3id.org/mca-kg/unit/CNY-PER-MO")
    assert units.value(per_month, MCA.perYearFactor).toPython() == 12  # type: ignore[union-attr]
    # 665 yuan a month is 7,980 a year (with unit:MO's synodic month it would be 8,225)
    assert 665 * units.value(per_month, MCA.perYearFactor).toPython() == 7980  # type: ignore[union-attr]
