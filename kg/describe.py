"""A VoID and DCAT description of the dataset, generated from the data itself.

>>> description = describe()
>>> from rdflib.namespace import VOID
>>> int(description.value(DATASET, VOID.triples)) > 4000
True
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

from kg.counts import stats
from kg.dataset import load_store
from kg.dump import MEDIA_TYPES
from kg.namespaces import BASE, MCA

DATASET = URIRef(BASE + "dataset")
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")

VOCABULARIES = [
    "http://purl.org/linked-data/cube#",
    "http://purl.org/linked-data/sdmx/2009/measure#",
    "http://purl.org/linked-data/sdmx/2009/dimension#",
    "http://purl.org/linked-data/sdmx/2009/attribute#",
    "http://qudt.org/schema/qudt/",
    "http://www.w3.org/2006/time#",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/ns/oa#",
    "http://www.w3.org/2004/02/skos/core#",
    str(MCA),
]

EXAMPLES = [
    BASE + "doc/mca-2020-12-26/meeting",
    BASE + "doc/mca-2020-12-26/obs-dibao-standard-urban",
    BASE + "doc/mca-2020-12-26/task-2",
]


def describe(endpoint: str | None = None) -> Graph:
    """The description; with ``endpoint``, it names the SPARQL endpoint that serves the data."""
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcat", DCAT)
    g.bind("dcterms", DCTERMS)
    g.add((DATASET, RDF.type, VOID.Dataset))
    g.add((DATASET, RDF.type, DCAT.Dataset))
    g.add((DATASET, DCTERMS.title, Literal("mca-kg: Chinese social-assistance policy", lang="en")))
    g.add((DATASET, DCTERMS.title, Literal("民政政策知识图谱", lang="zh")))
    summary = (
        "The Ministry of Civil Affairs' national work conference of 26 December 2020 as RDF: "
        "figures with units and periods, the 2021 key tasks, agencies and people, each "
        "traceable to the exact words of the notice."
    )
    g.add((DATASET, DCTERMS.description, Literal(summary, lang="en")))
    g.add((DATASET, DCTERMS.license, LICENCE))
    g.add((DATASET, DCTERMS.source, URIRef(BASE + "doc/mca-2020-12-26/notice")))
    g.add((DATASET, DCTERMS.source, URIRef("http://www.mca.gov.cn/")))
    g.add((DATASET, DCTERMS.creator, Literal("mca-kg developers")))
    g.add((DATASET, DCTERMS.language, Literal("zh")))
    g.add((DATASET, DCTERMS.language, Literal("en")))
    g.add((DATASET, FOAF.homepage, URIRef(BASE)))
    g.add((DATASET, VOID.uriSpace, Literal(BASE)))
    g.add((DATASET, VOID.feature, URIRef("http://www.w3.org/ns/formats/Turtle")))
    for vocabulary in VOCABULARIES:
        g.add((DATASET, VOID.vocabulary, URIRef(vocabulary)))
    for example in EXAMPLES:
        g.add((DATASET, VOID.exampleResource, URIRef(example)))
    if endpoint:
        g.add((DATASET, VOID.sparqlEndpoint, URIRef(endpoint)))
    rows = stats(load_store())
    for row in rows:
        if row["graph"] == "all":
            g.add((DATASET, VOID.triples, Literal(row["triples"], datatype=XSD.integer)))
            continue
        name = URIRef(str(row["graph"]))
        subset = URIRef(f"{DATASET}/{name.rsplit('/', 1)[1]}")
        g.add((DATASET, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, DCTERMS.identifier, name))
        g.add((subset, VOID.triples, Literal(row["triples"], datatype=XSD.integer)))
    for fmt, media_type in MEDIA_TYPES.items():
        distribution = URIRef(f"{DATASET}/distribution/{fmt}")
        g.add((DATASET, DCAT.distribution, distribution))
        g.add((distribution, RDF.type, DCAT.Distribution))
        iana = f"https://www.iana.org/assignments/media-types/{media_type}"
        g.add((distribution, DCAT.mediaType, URIRef(iana)))
        g.add((distribution, DCTERMS.description, Literal(f"kg export --format {fmt}", lang="en")))
        g.add((distribution, DCTERMS.license, LICENCE))
    return g
