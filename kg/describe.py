"""A VoID and DCAT description of the dataset, generated from the data itself.

>>> description = describe()
>>> from rdflib.namespace import VOID
>>> int(description.value(DATASET, VOID.triples)) > 4000
True
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, VOID, XSD

from kg.counts import stats
from kg.dataset import load_store
from kg.dump import MEDIA_TYPES
from kg.namespaces import BASE, MCA

DATASET = URIRef(BASE + "dataset")
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
PUBLISHER = URIRef(BASE + "agent/mca-kg-developers")
CONTACT = URIRef(BASE + "agent/mca-kg-developers/contact")
ONTOLOGY = BASE + "def"  # the ontology's IRI (mca: is this IRI and "#")
#: where the files of ``kg export`` are published, one per format (``--download-base``)
DOWNLOAD_BASE = BASE + "download/"

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
# the EU Publications Office's authority tables, which DCAT-AP asks for
EU = "http://publications.europa.eu/resource/authority/"
EU_LANGUAGES = (URIRef(EU + "language/ZHO"), URIRef(EU + "language/ENG"))
THEME = URIRef(EU + "data-theme/SOCI")  # population and society
FILE_TYPES = {
    "turtle": ("ttl", "RDF_TURTLE"),
    "ntriples": ("nt", "RDF_N_TRIPLES"),
    "nquads": ("nq", "RDF_N_QUADS"),
    "trig": ("trig", "RDF_TRIG"),
    "jsonld": ("jsonld", "JSON_LD"),
}

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


def _date(store: ox.Store, predicate: URIRef) -> Literal | None:
    """A date the ontology states of itself (dcterms:created, dcterms:modified)."""
    subject, verb = ox.NamedNode(ONTOLOGY), ox.NamedNode(str(predicate))
    for quad in store.quads_for_pattern(subject, verb, None):
        if isinstance(quad.object, ox.Literal):
            return Literal(quad.object.value, datatype=URIRef(quad.object.datatype.value))
    return None


def describe(endpoint: str | None = None, download_base: str = DOWNLOAD_BASE) -> Graph:
    """The description, in the terms DCAT-AP 3.0 asks for.

    With ``endpoint``, it names the SPARQL endpoint that serves the data;
    ``download_base`` is where the exported files are published, one per format.
    """
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcat", DCAT)
    g.bind("dcterms", DCTERMS)
    g.bind("vcard", VCARD)
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
    g.add((LICENCE, RDF.type, DCTERMS.LicenseDocument))
    # what it was read from: the notice, published by the ministry (dct:source is for datasets)
    g.add((DATASET, PROV.wasDerivedFrom, URIRef(BASE + "doc/mca-2020-12-26/notice")))
    g.add((DATASET, PROV.wasDerivedFrom, URIRef("http://www.mca.gov.cn/")))
    g.add((PUBLISHER, RDF.type, FOAF.Agent))
    g.add((PUBLISHER, FOAF.name, Literal("mca-kg developers", lang="en")))
    g.add((DATASET, DCTERMS.publisher, PUBLISHER))
    g.add((DATASET, DCTERMS.creator, PUBLISHER))
    # each class stated, not left to inference: a catalogue's validator runs none
    g.add((CONTACT, RDF.type, VCARD.Kind))
    g.add((CONTACT, RDF.type, VCARD.Organization))
    g.add((CONTACT, VCARD.fn, Literal("mca-kg developers")))
    g.add((CONTACT, VCARD.hasURL, URIRef(BASE)))
    g.add((DATASET, DCAT.contactPoint, CONTACT))
    for language in EU_LANGUAGES:
        g.add((DATASET, DCTERMS.language, language))
        g.add((language, RDF.type, DCTERMS.LinguisticSystem))
    g.add((DATASET, DCAT.theme, THEME))
    g.add((THEME, RDF.type, SKOS.Concept))
    g.add((THEME, SKOS.prefLabel, Literal("Population and society", lang="en")))
    g.add((THEME, SKOS.prefLabel, Literal("人口与社会", lang="zh")))
    g.add((THEME, SKOS.inScheme, URIRef(EU + "data-theme")))
    g.add((DATASET, DCAT.keyword, Literal("social assistance", lang="en")))
    g.add((DATASET, DCAT.keyword, Literal("社会救助", lang="zh")))
    g.add((DATASET, DCAT.landingPage, URIRef(BASE)))
    g.add((URIRef(BASE), RDF.type, FOAF.Document))
    g.add((DATASET, FOAF.homepage, URIRef(BASE)))
    g.add((DATASET, VOID.uriSpace, Literal(BASE)))
    g.add((DATASET, VOID.feature, URIRef("http://www.w3.org/ns/formats/Turtle")))
    for vocabulary in VOCABULARIES:
        g.add((DATASET, VOID.vocabulary, URIRef(vocabulary)))
    for example in EXAMPLES:
        g.add((DATASET, VOID.exampleResource, URIRef(example)))
    if endpoint:
        g.add((DATASET, VOID.sparqlEndpoint, URIRef(endpoint)))
    store = load_store()
    # the dataset was issued when its ontology was created, and changes with it
    for ours, ontologys in (
        (DCTERMS.issued, DCTERMS.created),
        (DCTERMS.modified, DCTERMS.modified),
    ):
        date = _date(store, ontologys)
        if date is not None:
            g.add((DATASET, ours, date))
    rows = stats(store)
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
        extension, file_type = FILE_TYPES[fmt]
        g.add((DATASET, DCAT.distribution, distribution))
        g.add((distribution, RDF.type, DCAT.Distribution))
        download = URIRef(f"{download_base}mca-kg.{extension}")
        g.add((distribution, DCAT.accessURL, URIRef(download_base)))
        g.add((distribution, DCAT.downloadURL, download))
        g.add((URIRef(download_base), RDF.type, RDFS.Resource))
        g.add((download, RDF.type, RDFS.Resource))
        iana = URIRef(f"https://www.iana.org/assignments/media-types/{media_type}")
        g.add((distribution, DCAT.mediaType, iana))
        g.add((iana, RDF.type, DCTERMS.MediaType))
        g.add((distribution, DCTERMS["format"], URIRef(f"{EU}file-type/{file_type}")))
        g.add((URIRef(f"{EU}file-type/{file_type}"), RDF.type, DCTERMS.MediaTypeOrExtent))
        g.add((distribution, DCTERMS.description, Literal(f"kg export --format {fmt}", lang="en")))
        g.add((distribution, DCTERMS.license, LICENCE))
    return g
