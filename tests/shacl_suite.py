"""Read the W3C SHACL test suite (its manifests) and compare a kg report with a test's.

Used by ``tests/test_shacl_w3c.py``; also runnable to print each engine's score::

    python -m tests.shacl_suite ../shared/suites/shacl-w3c
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.findings import severity_name

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: What a result is compared on: focus node, result path, severity and constraint component
#: (blank nodes, whose labels differ from one parse to the next, compare as "_:").
Key = tuple[str, str | None, str, str | None]


@dataclass(frozen=True)
class Case:
    name: str  # the test's path below the suite, and its entry
    file: Path
    data: Path
    shapes: Path
    failure: bool  # the engine must refuse the shapes (sht:Failure)
    expected: frozenset[Key]
    conforms: bool
    report: Graph = field(compare=False, repr=False)  # the expected one, messages left out


def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle", publicID=path.as_uri())


def _local(uri: Node | None, base: Path) -> Path:
    assert isinstance(uri, URIRef), uri
    return Path(str(uri).removeprefix("file://"))


def _shown(node: Node | str | None) -> str | None:
    if node is None:
        return None
    return "_:" if isinstance(node, BNode) else str(node)


def cases(root: Path) -> Iterator[Case]:
    """Every ``sht:Validate`` entry of the manifests under ``root``, in file order."""
    yield from _cases(root / "manifest.ttl", root)


def _cases(manifest: Path, root: Path) -> Iterator[Case]:
    graph = _parse(manifest)
    for include in sorted(graph.objects(None, MF.include), key=str):
        yield from _cases(_local(include, manifest), root)
    for head in graph.objects(None, MF.entries):
        for entry in Collection(graph, head):
            if (entry, RDF.type, SHT.Validate) not in graph:
                continue
            action = graph.value(entry, MF.action)
            result = graph.value(entry, MF.result)
            failure = result == SHT.Failure
            expected: set[Key] = set()
            conforms = True
            if not failure:
                conforms = graph.value(result, SH.conforms) == Literal(True)
                for r in graph.objects(result, SH.result):
                    expected.add(_key(graph, r))
            yield Case(
                name=f"{manifest.relative_to(root).parent}/{str(entry).rsplit('/', 1)[-1]}",
                file=manifest,
                data=_local(graph.value(action, SHT.dataGraph), manifest),
                shapes=_local(graph.value(action, SHT.shapesGraph), manifest),
                failure=failure,
                expected=frozenset(expected),
                conforms=conforms,
                report=Graph() if failure else _report(graph, result),
            )


def _key(graph: Graph, result: Node) -> Key:
    severity = severity_name(graph.value(result, SH.resultSeverity))
    component = graph.value(result, SH.sourceConstraintComponent)
    return (
        _shown(graph.value(result, SH.focusNode)) or "",
        _path(graph, graph.value(result, SH.resultPath)),
        severity,
        None if component is None else str(component),
    )


def _path(graph: Graph, path: Node | None) -> str | None:
    """A predicate path as its IRI, any other path as "(path)" (blank nodes differ)."""
    if path is None:
        return None
    return str(path) if isinstance(path, URIRef) else "(path)"


def _report(manifest: Graph, result: Node) -> Graph:
    """An expected ``sh:ValidationReport`` as a graph of its own, without the messages (the
    suite leaves them to each engine)."""
    report = Graph()
    pending, seen = [result], {result}
    while pending:  # bounded: each node of the manifest is visited once
        subject = pending.pop()
        for p, o in manifest.predicate_objects(subject):
            if p == SH.resultMessage:
                continue
            report.add((subject, p, o))
            # a blank focus node or value is the data's, described there, not here
            if isinstance(o, BNode) and o not in seen and p not in (SH.focusNode, SH.value):
                seen.add(o)
                pending.append(o)
    return report


def without_messages(report: Graph) -> Graph:
    kept = Graph()
    for triple in report:
        if triple[1] != SH.resultMessage:
            kept.add(triple)
    return kept


def load(case: Case) -> tuple[Graph, Graph]:
    return _parse(case.data), _parse(case.shapes)


def main(argv: list[str]) -> int:
    from kg.errors import KgError
    from kg.shacl import ENGINES, validate_graph

    root = Path(argv[0]).resolve()
    all_cases = list(cases(root))
    for engine in ENGINES:
        passed, refused, wrong, compiled = 0, 0, [], 0
        for case in all_cases:
            data, shapes = load(case)
            try:
                report = validate_graph(data, shapes, engine=engine)
            except KgError:
                if case.failure:
                    passed += 1
                else:
                    refused += 1
                continue
            except Exception as error:  # a score, not a test
                wrong.append(f"{case.name}: {type(error).__name__}")
                continue
            if not case.failure and report_keys(report, data, shapes) == case.expected:
                passed += 1
                compiled += not report.fallback
            else:
                wrong.append(case.name)
        print(
            f"{engine}: {passed}/{len(all_cases)} pass ({compiled} without pySHACL fallback), "
            f"{refused} refused, {len(wrong)} wrong"
        )
        for name in wrong:
            print(f"  wrong: {name}")
    return 0


def report_keys(
    report: object, data: Graph, shapes: Graph, components: bool = True
) -> set[tuple[object, ...]]:
    """The report's results as the suite's keys (a focus node or path that is a blank node
    of the data or shapes graph compared as such)."""
    data_nodes = set(data.all_nodes())
    keys: set[tuple[object, ...]] = set()
    for f in report.findings:  # type: ignore[attr-defined]
        focus = "_:" if BNode(f.focus) in data_nodes else f.focus
        path = "(path)" if isinstance(getattr(f, "path_node", None), BNode) else f.path
        key: tuple[object, ...] = (focus, path, f.severity)
        if components:
            key += (getattr(f, "component", None),)
        keys.add(key)
    return keys


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
