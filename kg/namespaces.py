"""The project's IRIs and the standard vocabularies it builds on.

Everything the project mints lives under one base, ``https://w3id.org/mca-kg/``:

======================  ============================================  =========================
prefix                  IRI                                           what
======================  ============================================  =========================
``mca:``                ``https://w3id.org/mca-kg/def#``              the ontology
``ind:`` ``prog:`` ...  ``https://w3id.org/mca-kg/concept/{scheme}/``  SKOS concepts
``mcau:``               ``https://w3id.org/mca-kg/unit/``             local units (yuan/month)
``agency:``             ``https://w3id.org/mca-kg/org/``              agencies
``person:``             ``https://w3id.org/mca-kg/person/``           people
``post:``               ``https://w3id.org/mca-kg/post/``             posts (W3C ORG)
(per notice)            ``https://w3id.org/mca-kg/doc/{id}/``         a notice's resources
(per notice)            ``https://w3id.org/mca-kg/graph/{id}``        a notice's named graph
(per stored query)      ``https://w3id.org/mca-kg/query/{name}``      a SPARQL example
(the examples)          ``https://w3id.org/mca-kg/graph/queries``     their named graph
======================  ============================================  =========================

>>> str(MCA.Figure)
'https://w3id.org/mca-kg/def#Figure'
>>> str(doc_namespace("mca-2020-12-26").meeting)
'https://w3id.org/mca-kg/doc/mca-2020-12-26/meeting'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SKOS, TIME, XSD

BASE = "https://w3id.org/mca-kg/"

MCA = Namespace(BASE + "def#")
IND = Namespace(BASE + "concept/indicator/")
PROG = Namespace(BASE + "concept/program/")
GRP = Namespace(BASE + "concept/group/")
AREA = Namespace(BASE + "concept/area/")
SCOPE = Namespace(BASE + "concept/scope/")
QUAL = Namespace(BASE + "concept/qualifier/")
STAT = Namespace(BASE + "concept/stat-unit/")
CHANGE = Namespace(BASE + "concept/change/")
ROLE = Namespace(BASE + "concept/role/")
MCAU = Namespace(BASE + "unit/")
AGENCY = Namespace(BASE + "org/")
PERSON = Namespace(BASE + "person/")
POST = Namespace(BASE + "post/")
PLAN = Namespace(BASE + "plan/")
MCATIME = Namespace(BASE + "time/")
PLACE = Namespace(BASE + "place/")
UW = Namespace(BASE + "unit-word/")

ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")
REFERENCE_GRAPH = URIRef(BASE + "graph/reference")
SHAPES_GRAPH = URIRef(BASE + "graph/shapes")
QUERIES_GRAPH = URIRef(BASE + "graph/queries")

#: The stored queries as SPARQL examples (:mod:`kg.examples`).
QUERY = Namespace(BASE + "query/")
#: The dataset as a whole (the ``void:Dataset`` that ``kg describe`` describes).
DATASET = URIRef(BASE + "dataset")

UNIT = Namespace("http://qudt.org/vocab/unit/")
QUDT = Namespace("http://qudt.org/schema/qudt/")
QUANTITYKIND = Namespace("http://qudt.org/vocab/quantitykind/")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")
VANN = Namespace("http://purl.org/vocab/vann/")
YEAR = Namespace("http://reference.data.gov.uk/id/year/")

#: Prefixes bound in every graph the project writes, and offered to SPARQL queries.
PREFIXES: dict[str, str] = {
    "mca": str(MCA),
    "mcash": BASE + "shapes#",
    "ind": str(IND),
    "prog": str(PROG),
    "grp": str(GRP),
    "area": str(AREA),
    "scope": str(SCOPE),
    "qual": str(QUAL),
    "stat": str(STAT),
    "change": str(CHANGE),
    "role": str(ROLE),
    "place": str(PLACE),
    "mcau": str(MCAU),
    "uw": str(UW),
    "agency": str(AGENCY),
    "person": str(PERSON),
    "post": str(POST),
    "plan": str(PLAN),
    "unit": str(UNIT),
    "qudt": str(QUDT),
    "quantitykind": str(QUANTITYKIND),
    "sdmx-measure": str(SDMX_MEASURE),
    "sdmx-dimension": str(SDMX_DIMENSION),
    "sdmx-attribute": str(SDMX_ATTRIBUTE),
    "qb": str(QB),
    "oa": str(OA),
    "prov": str(PROV),
    "org": str(ORG),
    "skos": str(SKOS),
    "time": str(TIME),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
    "year": str(YEAR),
}


def doc_namespace(doc_id: str) -> Namespace:
    """The namespace of one notice's resources (figures, tasks, passages)."""
    return Namespace(f"{BASE}doc/{doc_id}/")


def graph_iri(doc_id: str) -> URIRef:
    """The named graph that holds one notice."""
    return URIRef(f"{BASE}graph/{doc_id}")
