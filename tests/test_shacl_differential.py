"""A seeded differential test: the default engine against pySHACL on generated shapes and data.

Each case is a small random graph and a random shapes graph over a few classes,
properties, nodes and literals: targets of every kind, counts, value types,
``sh:in``, ``sh:hasValue``, languages, nested shapes through ``sh:node`` and
``sh:qualifiedValueShape`` (where ``sh:in`` beside another constraint once
compiled to ``A || B && C``), and now and then a feature the compiler leaves to
pySHACL. Both engines must give the same results (severity, shape, focus node,
path, constraint component). The literals are well-formed and language tags have
no subtags, where the two engines are documented to differ
(:mod:`kg.shacl_sparql`). The seed is fixed, and so is the number of cases.
"""

from __future__ import annotations

import random

import pytest
from rdflib import Graph

from kg.findings import Report
from kg.shacl import validate_graph

CASES = 200
SEED = 14

PREFIXES = """
@prefix ex: <http://example.org/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

NODES = [f"ex:n{i}" for i in range(6)]
CLASSES = ["ex:A", "ex:B"]
PREDICATES = ["ex:p", "ex:q", "ex:r"]
LITERALS = ['"a"', '"b"', "1", "2", '"x"@en', '"y"@en', '"z"@de', "true"]
VALUES = NODES + LITERALS
LANGUAGES = ['"en"', '"de"', '"fr"']


def data(rng: random.Random) -> str:
    lines = ["ex:B rdfs:subClassOf ex:A ."]
    for node in NODES:
        if rng.random() < 0.6:
            lines.append(f"{node} a {rng.choice(CLASSES)} .")
        for _ in range(rng.randint(0, 4)):
            lines.append(f"{node} {rng.choice(PREDICATES)} {rng.choice(VALUES)} .")
    return "\n".join(lines)


class Shapes:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.named: list[str] = []
        self.count = 0

    def constraints(self, how_many: int, on_property: bool) -> list[str]:
        """``how_many`` constraints of distinct kinds (SHACL allows one of most per shape)."""
        kinds = ["class", "datatype", "nodeKind", "in", "hasValue", "languageIn"]
        if on_property:
            kinds += ["minCount", "maxCount", "uniqueLang", "qualified", "node"]
        chosen = self.rng.sample(kinds, how_many)
        if on_property and not {"node", "qualified"} & set(chosen) and self.rng.random() < 0.5:
            chosen.append(self.rng.choice(["node", "qualified"]))  # nested shapes, often
        return [self.constraint(kind) for kind in chosen]

    def constraint(self, kind: str) -> str:
        rng = self.rng
        if kind == "class":
            return f"sh:class {rng.choice(CLASSES)}"
        if kind == "datatype":
            return f"sh:datatype {rng.choice(['xsd:string', 'xsd:integer', 'rdf:langString'])}"
        if kind == "nodeKind":
            return f"sh:nodeKind sh:{rng.choice(['IRI', 'Literal', 'BlankNodeOrIRI'])}"
        if kind == "in":
            return f"sh:in ( {' '.join(rng.sample(VALUES, rng.randint(1, 4)))} )"
        if kind == "hasValue":
            return f"sh:hasValue {rng.choice(VALUES)}"
        if kind == "languageIn":
            return f"sh:languageIn ( {' '.join(rng.sample(LANGUAGES, 2))} )"
        if kind == "minCount":
            return f"sh:minCount {rng.randint(0, 3)}"
        if kind == "maxCount":
            return f"sh:maxCount {rng.randint(0, 2)}"
        if kind == "uniqueLang":
            return "sh:uniqueLang true"
        if kind == "qualified":
            bound = rng.choice(["sh:qualifiedMinCount", "sh:qualifiedMaxCount"])
            return f"sh:qualifiedValueShape {self.nested()} ; {bound} {rng.randint(0, 2)}"
        return f"sh:node {self.nested()}"

    def nested(self) -> str:
        """A shape without targets, reached from another: one to three constraints on the
        node itself, and now and then a property shape."""
        self.count += 1
        name = f"ex:Nested{self.count}"
        parts = self.constraints(self.rng.randint(1, 3), on_property=False)
        if not any(part.startswith("sh:in") for part in parts) and self.rng.random() < 0.5:
            parts.append(self.constraint("in"))  # beside the others
        if self.rng.random() < 0.3:
            parts.append(self.property_shape(depth=1))
        self.named.append(f"{name} a sh:NodeShape ; {' ; '.join(parts)} .")
        return name

    def property_shape(self, depth: int = 0) -> str:
        rng = self.rng
        parts = [f"sh:path {rng.choice(PREDICATES)}"]
        parts += self.constraints(rng.randint(1, 3), on_property=not depth)  # no deeper nesting
        if rng.random() < 0.1:
            parts.append('sh:pattern "^a"')  # left to pySHACL
        if rng.random() < 0.15:
            parts.append("sh:severity sh:Warning")
        return f"sh:property [ {' ; '.join(parts)} ]"

    def graph(self) -> str:
        rng = self.rng
        targets = rng.choice(
            [
                f"sh:targetClass {rng.choice(CLASSES)}",
                f"sh:targetNode {', '.join(rng.sample(NODES, 2))}",
                f"sh:targetSubjectsOf {rng.choice(PREDICATES)}",
                f"sh:targetObjectsOf {rng.choice(PREDICATES)}",
            ]
        )
        parts = [targets] + [self.property_shape() for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            parts += self.constraints(1, on_property=False)
        top = f"ex:S a sh:NodeShape ; {' ; '.join(parts)} ."
        return "\n".join([top, *self.named])


def keys(report: Report) -> set[tuple[str, str, str, str | None, str | None]]:
    return {(*f.key(), f.component) for f in report.findings}


def generated(index: int) -> tuple[Graph, Graph, str]:
    rng = random.Random(f"{SEED}-{index}")
    shapes = Shapes(rng).graph()
    text = data(rng)
    parse = lambda turtle: Graph().parse(data=PREFIXES + turtle, format="turtle")  # noqa: E731
    return parse(text), parse(shapes), f"{shapes}\n--- data ---\n{text}"


@pytest.mark.parametrize("index", range(CASES))
def test_the_default_engine_agrees_with_pyshacl(index: int) -> None:
    data_graph, shapes_graph, shown = generated(index)
    ours = validate_graph(data_graph, shapes_graph)
    reference = validate_graph(data_graph, shapes_graph, engine="pyshacl")
    assert keys(ours) == keys(reference), shown


def test_the_cases_exercise_the_compiler_and_the_fallback() -> None:
    """Most cases are compiled whole; some leave a shape to pySHACL; some find nothing."""
    compiled = found = 0
    for index in range(0, CASES, 10):
        data_graph, shapes_graph, _shown = generated(index)
        report = validate_graph(data_graph, shapes_graph)
        compiled += not report.fallback
        found += bool(report.findings)
    assert 10 <= compiled < CASES // 10
    assert 0 < found < CASES // 10
