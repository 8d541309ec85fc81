"""What the graph holds: triples, figures, tasks, agencies and statements, by named graph.

>>> rows = stats()
>>> [row["graph"] for row in rows][-1]
'all'
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.dataset import load_store

_COUNTS = {
    "figures": "?x a <https://w3id.org/mca-kg/def#Figure>",
    "tasks": "?x a <https://w3id.org/mca-kg/def#Task>",
    "statements": "?x a <https://w3id.org/mca-kg/def#Statement>",
    "agencies": "?x a ?c . VALUES ?c { <http://www.w3.org/ns/org#Organization> "
    "<http://www.w3.org/ns/org#FormalOrganization> <https://w3id.org/mca-kg/def#GovernmentAgency> "
    "<https://w3id.org/mca-kg/def#AgencyGroup> <https://w3id.org/mca-kg/def#PartyOrganization> }",
    "passages": "?x a <https://w3id.org/mca-kg/def#Passage>",
}


def _count(store: ox.Store, pattern: str, graph: ox.NamedNode | ox.BlankNode | None) -> int:
    if graph is None:
        query = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}"
        solutions = store.query(query, use_default_graph_as_union=True)
    else:
        query = (
            f"SELECT ?g (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH ?g {{ {pattern} }} }} GROUP BY ?g"
        )
        solutions = store.query(query, substitutions={ox.Variable("g"): graph})
    assert isinstance(solutions, ox.QuerySolutions)
    for row in solutions:
        term = row["n"]
        return int(term.value) if isinstance(term, ox.Literal) else 0
    return 0


def stats(store: ox.Store | None = None) -> list[dict[str, object]]:
    """One row per named graph, and a last row ``all`` for the whole dataset."""
    store = load_store() if store is None else store
    rows: list[dict[str, object]] = []
    graphs = sorted(store.named_graphs(), key=lambda g: g.value)
    for graph in [*graphs, None]:
        row: dict[str, object] = {"graph": graph.value if graph else "all"}  # the graph's IRI
        if graph is None:
            row["triples"] = len(set((q.subject, q.predicate, q.object) for q in store))
        else:
            row["triples"] = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        for name, pattern in _COUNTS.items():
            row[name] = _count(store, pattern, graph)
        rows.append(row)
    return rows
