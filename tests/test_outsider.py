"""An outsider queries the graph with plain SPARQL: numbers, scopes, bounds, labels.

What a user writes against the ontology without knowing kg: a task by its number in
the notice, the groups a key task reaches through its sub-tasks, a bound compared
as a bound, a label in either language, and all of it with no reasoner. The
expected values below were read off the notice's text (data/source/), not off the
program's output.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS, SKOS, XSD

from kg import resources
from kg.catalogue import load, names
from kg.dataset import load_store
from kg.namespaces import MCA
from kg.query import answer_of, run_oxigraph

DOC = "https://w3id.org/mca-kg/doc/mca-2020-12-26/"
NUMERALS = "一二三四五六七八九十"


def select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    """Plain SPARQL on the union of the graphs, the prefixes written out as a user would."""
    head = (
        "PREFIX mca: <https://w3id.org/mca-kg/def#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "PREFIX oa: <http://www.w3.org/ns/oa#>\n"
        "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
        "PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    )
    solutions = store.query(head + query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return [tuple(term.value for term in row) for row in solutions]  # type: ignore[union-attr]


# ------------------------------------------------------------------ numbers


def test_key_tasks_are_numbered_as_the_notice_numbers_them(exported_store: ox.Store) -> None:
    """一要 … 七要: the key task numbered "n" is the one whose words open with the n-th numeral."""
    rows = select(
        exported_store,
        """SELECT ?number ?quote WHERE {
             ?task a mca:KeyTask ; skos:notation ?number ;
                   prov:wasDerivedFrom/oa:hasSelector/oa:exact ?quote }""",
    )
    assert sorted(number for number, _ in rows) == [str(n) for n in range(1, 8)]
    for number, quote in rows:
        assert quote.startswith(NUMERALS[int(number) - 1] + "要"), (number, quote)


def test_sub_tasks_are_numbered_in_the_order_of_their_words(exported_store: ox.Store) -> None:
    """1.1, 1.2 … follow the order of the sub-tasks' words in their key task's sentence."""
    rows = select(
        exported_store,
        """SELECT ?key ?number ?start WHERE {
             ?task a mca:SubTask ; skos:notation ?number ; mca:subTaskOf/skos:notation ?key ;
                   prov:wasDerivedFrom/oa:hasSelector/oa:start ?start }""",
    )
    assert len(rows) == 39  # the notice's 39 sub-tasks
    by_key: dict[str, list[tuple[int, str]]] = {}
    for key, number, start in rows:
        assert re.fullmatch(rf"{key}\.[1-9][0-9]*", number), number
        by_key.setdefault(key, []).append((int(start), number))
    for key, items in by_key.items():
        in_text_order = [number for _, number in sorted(items)]
        assert in_text_order == [f"{key}.{n}" for n in range(1, len(items) + 1)]


def test_a_task_is_found_by_its_number(store: ox.Store) -> None:
    """1.3 is 加强对特殊群体的救助保障 (一要 …, 加强对特殊群体的救助保障, …)."""
    query = load("task-by-number")
    answer = run_oxigraph(query, query.bindings({"number": "1.3", "lang": "zh"}), store)
    names = {str(row["name"].value) for row in answer.rows if row["name"] is not None}
    assert names == {"加强对特殊群体的救助保障"}
    answer = run_oxigraph(query, query.bindings({"number": "3"}), store)
    assert {row["task"].value for row in answer.rows if row["task"]} == {DOC + "task-3"}
    assert run_oxigraph(query, query.bindings({"number": "8"}), store).rows == []  # seven key tasks


# ------------------------------------------------------------------ scope


def test_a_key_task_reaches_the_groups_of_its_sub_tasks(exported_store: ox.Store) -> None:
    """一要 names no group itself; its sub-tasks name 农村低收入人口, 特殊群体 and
    易地搬迁集中安置社区 (their residents)."""
    rows = select(
        exported_store,
        f"SELECT ?group WHERE {{ <{DOC}task-1> mca:groupInScope ?group }}",
    )
    groups = {group.rsplit("/", 1)[-1] for (group,) in rows}
    assert groups == {"rural-low-income", "special-groups", "relocated-residents"}


@pytest.mark.parametrize(
    ("scope", "direct"),
    [
        ("groupInScope", "concernsGroup"),
        ("programInScope", "concernsProgram"),
        ("agencyInScope", "responsibleAgency"),
    ],
)
def test_scope_is_what_a_task_and_its_sub_tasks_name(
    exported_store: ox.Store, scope: str, direct: str
) -> None:
    stated = select(exported_store, f"SELECT ?t ?x WHERE {{ ?t mca:{scope} ?x }}")
    by_path = select(
        exported_store,
        f"SELECT DISTINCT ?t ?x WHERE {{ ?t mca:hasSubTask?/mca:{direct} ?x }}",
    )
    assert stated and sorted(stated) == sorted(by_path)


def test_a_key_task_through_a_sub_task_only(store: ox.Store) -> None:
    """二要: the ministry drafts the supporting policies (2.1) and the guidance on charity
    (2.7); the key task names only the departments at all levels."""
    query = load("tasks-of-agency")
    answer = run_oxigraph(query, query.bindings({"agency": "agency:mca"}), store)
    rows = {(str(r["number"].value), str(r["responsible"].value)) for r in answer.rows}  # type: ignore[union-attr]
    assert ("2", "through a sub-task") in rows
    assert {("2.1", "itself"), ("2.7", "itself")} <= rows


# ------------------------------------------------------------------ bounds


def test_more_than_13_percent_is_a_lower_bound(notice: Graph) -> None:
    """注册志愿者…占居民人口比例超过13%: the value as stated, 13, and 13 as its lower bound."""
    figure = URIRef(DOC + "obs-volunteer-share")
    thirteen = Literal("13.0", datatype=XSD.decimal)
    assert notice.value(figure, MCA.lowerBound) == thirteen
    assert notice.value(figure, MCA.upperBound) is None
    assert list(notice.objects(None, MCA.lowerBound)) == [thirteen]  # the notice's only bound


def test_a_plain_comparison_on_the_bound_cannot_misread_it(exported_store: ox.Store) -> None:
    """ "Which shares are above 13%?" The stated value 13 says no; the bound says yes."""
    naive = select(
        exported_store, "SELECT ?f WHERE { ?f sdmx-measure:obsValue ?v FILTER (?v = 13) }"
    )
    assert naive  # the number 13 is there as stated …
    query = load("figures-known-above")
    answer = run_oxigraph(query, query.bindings({}), exported_store)
    assert DOC + "obs-volunteer-share" in {r["figure"].value for r in answer.rows if r["figure"]}
    # … and 超过13% is not known to exceed 14
    higher = run_oxigraph(query, query.bindings({"threshold": "14"}), exported_store)
    assert DOC + "obs-volunteer-share" not in {
        r["figure"].value for r in higher.rows if r["figure"]
    }


# ------------------------------------------------------------------ labels


def test_every_concept_and_unit_has_both_labels() -> None:
    ontology = Graph()
    for path in resources.ontology_files():
        ontology.parse(path, format="turtle")
    notice = Graph().parse(resources.notice_files()[0], format="turtle")
    units = set(
        notice.objects(None, URIRef("http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure"))
    )
    concepts = set(ontology.subjects(SKOS.inScheme, None))
    assert len(concepts) > 200 and len(units) >= 4
    missing = []
    for node in concepts | units:
        for lang in ("en", "zh"):
            labels = [
                label
                for prop in (SKOS.prefLabel, RDFS.label)
                for label in ontology.objects(node, prop)
                if isinstance(label, Literal) and label.language == lang
            ]
            if not labels:
                missing.append((str(node), lang))
    assert missing == []


# ------------------------------------------------------------------ no reasoner needed


@pytest.fixture(scope="module")
def closed() -> tuple[Graph, Graph]:
    """The data as loaded, and the same closed under OWL 2 RL by an independent reasoner."""
    owlrl = pytest.importorskip(
        "owlrl", reason="owlrl (test extra) closes the graph under OWL 2 RL"
    )
    plain = Graph()
    for path in [
        *resources.ontology_files(),
        resources.reference_file(),
        *resources.notice_files(),
    ]:
        plain.parse(path, format="turtle")
    inferred = Graph()
    for triple in plain:
        inferred.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(inferred)
    # OWL 2 RL also derives generalised triples (a literal as subject), which RDF has no
    # syntax for and no store loads
    for s, p, o in list(inferred):
        if isinstance(s, Literal) or not isinstance(p, URIRef):
            inferred.remove((s, p, o))
    return plain, inferred


@pytest.mark.slow
@pytest.mark.parametrize(
    "prop",
    [
        MCA.groupInScope,
        MCA.programInScope,
        MCA.agencyInScope,
        MCA.attendedBy,
        PROV.wasAssociatedWith,
        DCTERMS.hasPart,
        DCTERMS.isPartOf,
    ],
)
def test_a_reasoner_adds_nothing_the_data_does_not_state(
    closed: tuple[Graph, Graph], prop: URIRef
) -> None:
    plain, inferred = closed
    assert set(plain.subject_objects(prop))
    assert set(inferred.subject_objects(prop)) == set(plain.subject_objects(prop))


@pytest.mark.slow
def test_the_one_super_property_not_stated(closed: tuple[Graph, Graph]) -> None:
    """mca:valueSource ⊑ prov:wasDerivedFrom: a reasoner adds the value's words as a second
    source of a figure; the data keeps one, its sentence (README: Query it without a reasoner)."""
    plain, inferred = closed
    added = set(inferred.subject_objects(PROV.wasDerivedFrom)) - set(
        plain.subject_objects(PROV.wasDerivedFrom)
    )
    assert added == set(plain.subject_objects(MCA.valueSource)) - set(
        plain.subject_objects(PROV.wasDerivedFrom)
    )


@pytest.fixture(scope="module")
def closed_store(closed: tuple[Graph, Graph]) -> ox.Store:
    """The dataset as a store with a reasoner holds it (GraphDB, Stardog, Jena's inference
    models): every stated triple in its named graph, the inferred ones in the default graph,
    which a query without GRAPH reads together with the named graphs."""
    plain, inferred = closed
    store = load_store()
    added = Graph()
    for triple in inferred:
        if triple not in plain:
            added.add(triple)
    store.bulk_load(added.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    return store


@pytest.mark.slow
@pytest.mark.parametrize("name", names())
def test_questions_answer_the_same_with_inference(closed_store: ox.Store, name: str) -> None:
    """The stored questions need no reasoner, and answer the same with one: a narrowest
    kind where a reasoner adds every super-class, a number's words never taken for its
    sentence where it adds prov:wasDerivedFrom beside mca:valueSource."""
    query = load(name)
    answer = run_oxigraph(query, query.bindings({}), closed_store)
    assert answer.normalised() == answer_of(name).normalised()
