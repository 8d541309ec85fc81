"""The stored questions travel with the data, as SPARQL examples, and open in one click.

The examples graph is read back from the export (``kg export``), as a user who only
has the file would read it: each example's text must be its ``.rq`` file, parse, and
answer on the export's union default graph what ``queries/NAME.expected.csv`` says.
The form checked is the SIB ``sparql-examples`` one: ``sh:SPARQLExecutable`` and the
class of its query form, one of ``sh:select`` / ``sh:ask`` / ``sh:construct`` /
``spex:describe``, ``rdfs:comment`` with a language, ``schema:target``, and
``sh:prefixes`` whose ``sh:declare`` gives the prefixes.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.plugins.sparql.parser import parseQuery

from kg.catalogue import load, names
from kg.dump import export
from kg.errors import InputError
from kg.examples import (
    CATALOGUE,
    DEFAULT_QUERY_PAGE,
    SCHEMA,
    SPEX,
    check_query_page,
    examples_graph,
    query_page_link,
)
from kg.namespaces import DATASET, QUERIES_GRAPH, QUERY, SH
from kg.query import answer_of

from .test_cli import kg, one_clean_line
from .test_queries_anywhere import _ask

QUERIES = names()
TEXTS = (SH.select, SH.ask, SH.construct, SPEX.describe)
FORMS = {  # rdflib's name of the query form -> the class and the property SIB use for it
    "SelectQuery": (SH.SPARQLSelectExecutable, SH.select),
    "AskQuery": (SH.SPARQLAskExecutable, SH.ask),
    "ConstructQuery": (SH.SPARQLConstructExecutable, SH.construct),
    "DescribeQuery": (SPEX.SPARQLDescribeExecutable, SPEX.describe),
}


def link_parts(link: str) -> tuple[str, dict[str, list[str]]]:
    """A query-page link as (page, its fragment's fields), decoded as YASGUI decodes them."""
    parts = urlsplit(link)
    page = f"{parts.scheme}://{parts.netloc}{parts.path}"
    return page, parse_qs(parts.fragment, keep_blank_values=True, strict_parsing=True)


def assert_opens(link: str, text: str, page: str = DEFAULT_QUERY_PAGE) -> None:
    """The link opens ``page`` with exactly ``text`` filled in, run at its ``query`` endpoint."""
    shown, fields = link_parts(link)
    assert shown == page
    assert fields == {"query": [text], "endpoint": [page + "query"]}


@pytest.fixture(scope="module")
def exported() -> Graph:
    """The examples graph as the TriG export holds it."""
    dataset = Dataset()
    dataset.parse(data=export("trig"), format="trig")
    return dataset.graph(QUERIES_GRAPH)


@pytest.mark.parametrize("fmt", ["nquads", "trig", "jsonld"])
def test_every_format_with_graphs_has_the_examples_graph(fmt: str) -> None:
    dataset = Dataset()
    dataset.parse(data=export(fmt), format={"jsonld": "json-ld"}.get(fmt, fmt))
    assert isomorphic(dataset.graph(QUERIES_GRAPH), examples_graph())


def test_one_example_per_stored_query(exported: Graph) -> None:
    examples = set(exported.subjects(RDF.type, SH.SPARQLExecutable))
    assert examples == {QUERY[name] for name in QUERIES}
    assert len(examples) == 44  # queries/*.rq, counted


@pytest.mark.parametrize("name", QUERIES)
def test_the_example_is_the_file_in_the_sib_form(name: str, exported: Graph) -> None:
    query = load(name)
    node = QUERY[name]
    texts = [(p, o) for p in TEXTS for o in exported.objects(node, p)]
    assert len(texts) == 1, f"{name}: one query text, by its form"
    predicate, text = texts[0]
    assert str(text).encode("utf-8") == query.path.read_bytes()
    parsed = parseQuery(str(text))  # rdflib's parser, to check kg's reading of the form
    form_class, form_property = FORMS[parsed[1].name]
    assert set(exported.objects(node, RDF.type)) == {SH.SPARQLExecutable, form_class}
    assert predicate == form_property
    ox.Store().query(str(text))  # Oxigraph parses it too, with no prefixes given
    comments = {c.language: str(c) for c in exported.objects(node, RDFS.comment)}
    assert comments == {"en": query.header["question"], "zh": query.header["question@zh"]}
    labels = {c.language: str(c) for c in exported.objects(node, RDFS.label)}
    assert labels == {"en": query.header["title"], "zh": query.header["title@zh"]}
    assert list(exported.objects(node, SCHEMA.target)) == [DATASET]
    assert list(exported.objects(node, SCHEMA.keywords)) == [Literal(query.kind)]
    # every prefix the text declares is declared by its sh:prefixes, with the same IRI
    (catalogue,) = exported.objects(node, SH.prefixes)
    declared = {
        str(exported.value(d, SH.prefix)): exported.value(d, SH.namespace)
        for d in exported.objects(catalogue, SH.declare)
    }
    for declaration in parsed[0]:
        iri = Literal(str(declaration.iri), datatype=XSD.anyURI)
        assert declared[declaration.prefix or ""] == iri


def test_the_prefixes_are_declared_as_shacl_asks(exported: Graph) -> None:
    assert (CATALOGUE, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Ontology")) in exported
    declarations = list(exported.objects(CATALOGUE, SH.declare))
    assert declarations
    for declaration in declarations:
        assert isinstance(exported.value(declaration, SH.prefix), Literal)
        namespace = exported.value(declaration, SH.namespace)
        assert isinstance(namespace, Literal) and namespace.datatype == XSD.anyURI


@pytest.fixture(scope="module")
def examples_in_the_export(exported_store: ox.Store) -> dict[str, str]:
    """Each example's text, asked of the store loaded from the export."""
    solutions = exported_store.query(
        f"""PREFIX sh: <http://www.w3.org/ns/shacl#>
        PREFIX spex: <https://purl.expasy.org/sparql-examples/ontology#>
        SELECT ?example ?text WHERE {{
          GRAPH <{QUERIES_GRAPH}> {{
            ?example a sh:SPARQLExecutable ; sh:select|sh:ask|sh:construct|spex:describe ?text
          }}
        }}"""
    )
    assert isinstance(solutions, ox.QuerySolutions)
    return {
        str(row["example"].value).removeprefix(str(QUERY)): str(row["text"].value)
        for row in solutions
    }


@pytest.mark.parametrize("name", QUERIES)
def test_the_text_from_the_graph_answers_as_expected(
    name: str, exported_store: ox.Store, examples_in_the_export: dict[str, str]
) -> None:
    query = load(name)
    answer = _ask(exported_store, examples_in_the_export[name], {p.name for p in query.params})
    assert answer.variables == query.columns
    assert answer.normalised() == answer_of(name).normalised()


@pytest.fixture(scope="module")
def without_examples() -> ox.Store:
    store = ox.Store()
    store.bulk_load(export("nquads"), format=ox.RdfFormat.N_QUADS)
    store.remove_graph(ox.NamedNode(str(QUERIES_GRAPH)))
    return store


@pytest.mark.parametrize("name", [n for n in QUERIES if n != "graph-contents"])
def test_the_examples_graph_changes_no_other_answer(
    name: str, exported_store: ox.Store, without_examples: ox.Store
) -> None:
    """Only graph-contents counts the examples; every other answer is the same without them."""
    query = load(name)
    drop = {p.name for p in query.params}
    with_them = _ask(exported_store, query.text, drop)
    assert with_them.normalised() == _ask(without_examples, query.text, drop).normalised()


def test_graph_contents_counts_the_examples(exported_store: ox.Store) -> None:
    rows = answer_of("graph-contents").normalised()
    assert (str(QUERIES_GRAPH), str(SH.SPARQLExecutable), str(SH.SPARQLExecutable), "44") in rows


@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_the_union_formats_hold_the_examples_too(fmt: str) -> None:
    graph = Graph().parse(data=export(fmt), format=fmt)
    assert len(set(graph.subjects(RDF.type, SH.SPARQLExecutable))) == len(QUERIES)


# One click: a link that opens Oxigraph's query page with the question filled in.


@pytest.mark.parametrize("name", QUERIES)
def test_the_link_decodes_to_exactly_the_query_text(name: str) -> None:
    text = load(name).text
    assert_opens(query_page_link(text), text)
    assert_opens(
        query_page_link(text, "https://example.org/sparql-ui"),
        text,
        "https://example.org/sparql-ui/",
    )


@pytest.mark.parametrize(
    "page", ["ftp://example.org/", "example.org", "http://", "http://x/?a=1", "http://x/#y"]
)
def test_a_query_page_that_is_not_an_http_page_is_refused(page: str) -> None:
    with pytest.raises(InputError, match="--query-page"):
        check_query_page(page)


@pytest.mark.parametrize("command", ["docs", "report"])
def test_kg_refuses_a_bad_query_page_in_one_line_and_writes_nothing(
    command: str, tmp_path: Path
) -> None:
    target = tmp_path / "out"
    code, _out, err = kg(command, "--query-page", "ftp://example.org/", "-o", str(target))
    assert code == 2
    assert "--query-page" in one_clean_line(err)
    assert not target.exists()
