"""``kg shapes``: the shapes with one message per SPARQL constraint, for Jena and TopBraid."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import SH

from kg import resources
from kg.portable import single_language
from kg.turtle import parse_turtle

from .test_cli import kg, one_clean_line


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_sparql_constraint_keeps_its_message_in_one_language(lang: str) -> None:
    shapes = parse_turtle(resources.shapes_file())
    code, out, _ = kg("shapes", "--lang", lang)
    assert code == 0
    variant = Graph().parse(data=out, format="turtle")

    def messages(graph: Graph) -> dict[str, list[Literal]]:
        # constraints are blank nodes: known across the two graphs by their query
        return {
            str(select): [m for m in graph.objects(c, SH.message) if isinstance(m, Literal)]
            for c, select in graph.subject_objects(SH.select)
        }

    before, after = messages(shapes), messages(variant)
    assert before.keys() == after.keys()
    several = [q for q, found in before.items() if len(found) > 1]
    assert several, "the shipped shapes give SPARQL constraints messages in two languages"
    for query, found in after.items():
        if query in several:
            assert [m.language for m in found] == [lang], query[:60]
        else:
            assert found == before[query]
    # nothing else changed: the shapes less the other languages' messages
    expected = Graph()
    for s, p, o in shapes:
        if (
            p == SH.message
            and (s, SH.select, None) in shapes
            and len(set(shapes.objects(s, SH.message))) > 1
            and isinstance(o, Literal)
            and o.language != lang
        ):
            continue
        expected.add((s, p, o))
    assert isomorphic(variant, expected)


def test_a_constraint_with_no_message_in_the_language_keeps_its_first() -> None:
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:c> sh:select "SELECT $this WHERE {}" ; sh:message "a"@fr , "b"@de .
        """,
        format="turtle",
    )
    assert list(single_language(shapes, "en").objects(None, SH.message)) == [
        Literal("b", lang="de")
    ]


def test_an_unknown_language_is_one_line() -> None:
    code, out, err = kg("shapes", "--lang", "fr")
    assert code == 2 and out == ""
    one_clean_line(err)
