"""The VoID and DCAT description says what the dataset is and holds, in numbers that are true."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID

from kg.counts import stats
from kg.describe import DATASET, describe


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
    assert description.value(DATASET, DCTERMS.source) is not None
    assert description.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://127.0.0.1:7878/query")
    examples = list(description.objects(DATASET, VOID.exampleResource))
    assert len(examples) >= 3
    formats = list(description.objects(DATASET, DCAT.distribution))
    assert len(formats) == 5


def test_example_resources_exist(dataset) -> None:  # type: ignore[no-untyped-def]
    for example in describe().objects(DATASET, VOID.exampleResource):
        assert any(True for _ in dataset.triples((example, None, None))), example
