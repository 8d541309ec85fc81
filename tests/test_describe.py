"""The VoID and DCAT description says what the dataset is and holds, in numbers that are true."""

from __future__ import annotations

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, SH, VOID, XSD

from kg.counts import stats
from kg.describe import DATASET, describe

from .conftest import suite


def test_description_counts_match_the_data() -> None:
    description = describe()
    counts = {str(row["graph"]): int(str(row["triples"])) for row in stats()}
    assert int(description.value(DATASET, VOID.triples)) == counts["all"]  # type: ignore[arg-type]
    subsets = list(description.objects(DATASET, VOID.subset))
    assert len(subsets) == len(counts) - 1
    for subset in subsets:
        name = str(description.value(subset, DCTERMS.identifier))
        assert int(description.value(subset, VOID.triples)) == counts[name]  # type: ignore[arg-type]


def test_description_has_what_a_catalogue_needs() -> None:
    description = describe("http://127.0.0.1:7878/query")
    assert (DATASET, RDF.type, DCAT.Dataset) in description
    assert {t.language for t in description.objects(DATASET, DCTERMS.title)} == {"en", "zh"}  # type: ignore[attr-defined]
    assert description.value(DATASET, DCTERMS.license) is not None
    assert description.value(DATASET, PROV.wasDerivedFrom) is not None
    assert description.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://127.0.0.1:7878/query")
    examples = list(description.objects(DATASET, VOID.exampleResource))
    assert len(examples) >= 3
    formats = list(description.objects(DATASET, DCAT.distribution))
    assert len(formats) == 5


def test_example_resources_exist(dataset) -> None:  # type: ignore[no-untyped-def]
    for example in describe().objects(DATASET, VOID.exampleResource):
        assert any(True for _ in dataset.triples((example, None, None))), example


def test_description_passes_dcat_ap_3_with_no_inference() -> None:
    """What a catalogue's harvester checks: DCAT-AP 3.0's own shapes, no violation, no warning."""
    shapes = Graph().parse(suite("dcat-ap-3.0.0-SHACL.ttl"))
    conforms, report, text = pyshacl.validate(
        describe(), shacl_graph=shapes, inference="none", allow_warnings=False
    )
    assert conforms, text
    assert not list(report.subjects(SH.resultSeverity, None)), text


def test_distributions_say_where_to_download_them() -> None:
    description = describe(download_base="https://data.example.org/mca-kg/")
    downloads = {
        str(description.value(d, DCAT.downloadURL))
        for d in description.objects(DATASET, DCAT.distribution)
    }
    assert downloads == {
        f"https://data.example.org/mca-kg/mca-kg.{ext}"
        for ext in ("ttl", "nt", "nq", "trig", "jsonld")
    }
    assert description.value(DATASET, DCTERMS.publisher) is not None
    assert description.value(DATASET, DCTERMS.issued) == Literal("2026-11-30", datatype=XSD.date)
    languages = set(description.objects(DATASET, DCTERMS.language))
    assert languages == {
        URIRef("http://publications.europa.eu/resource/authority/language/ZHO"),
        URIRef("http://publications.europa.eu/resource/authority/language/ENG"),
    }
