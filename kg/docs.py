"""``kg docs``: HTML documentation of the ontology, its vocabularies, shapes and questions.

Everything on the pages comes from the triples and the stored queries:

``ontology.en.html``, ``ontology.zh.html``
    The OWL ontology (classes, properties, their domains, ranges and
    definitions), laid out by pyLODE, the field's documentation tool, once per
    language: pyLODE shows every label it finds side by side, so each run is
    given the ontology with the literals of one language only.
``index.html``, ``index.zh.html``
    What pyLODE does not cover: the concept schemes (indicators with the unit
    each declares, programmes, groups, areas, ...), the units, every SHACL
    shape with its targets, constraints and messages, and the stored questions
    with their text, parameters and SPARQL; and the ontology diagram.
``ontology.svg``
    The diagram (see :mod:`kg.diagram`).

Every page is self-contained: no page needs the network to open.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from kg import diagram, resources
from kg.catalogue import LANGUAGES, all_queries
from kg.diagram import iris
from kg.errors import InputError, KgError
from kg.html import render
from kg.namespaces import MCA, PREFIXES, SH
from kg.terms import compact
from kg.turtle import parse_turtle

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "mca-kg: ontology, vocabularies, shapes and questions",
        "lead": (
            "The knowledge graph of Chinese social-assistance policy: what each term means, "
            "which rules the data must keep, and which questions it answers."
        ),
        "ontology": "Ontology",
        "ontology_lead": "Classes and properties, with their definitions, domains and ranges:",
        "ontology_page": "the ontology, laid out by pyLODE",
        "diagram": "Diagram",
        "diagram_lead": (
            "Blue boxes are the ontology's classes with their datatype properties; grey boxes "
            "the standard vocabularies they build on. A hollow arrow is a subclass; a labelled "
            "arrow an object property from its domain to its range."
        ),
        "schemes": "Concept schemes",
        "concept": "Concept",
        "label_en": "English",
        "label_zh": "Chinese",
        "definition": "Definition",
        "broader": "Broader",
        "unit": "Unit",
        "units": "Units",
        "symbol": "Symbol",
        "per_year": "Per-year factor",
        "shapes": "SHACL shapes",
        "shapes_lead": (
            "The rules a graph must keep. A Violation fails "
            "validation; a Warning asks a person to look."
        ),
        "targets": "Targets",
        "constraints": "Constraints",
        "message": "Message",
        "severity": "Severity",
        "questions": "Stored questions",
        "questions_lead": "Run one with kg query NAME; kg list shows them all.",
        "columns": "Columns",
        "params": "Parameters",
        "sparql": "SPARQL",
        "checks": "Data-quality checks",
        "other_lang": "中文",
        "other_page": "index.zh.html",
        "contents": "Contents",
    },
    "zh": {
        "title": "mca-kg：本体、词表、形状约束与已存问题",
        "lead": (
            "中国社会救助政策知识图谱：每个术语的含义、数据必须遵守的规则，以及它能回答的问题。"
        ),
        "ontology": "本体",
        "ontology_lead": "类与属性及其定义、定义域和值域：",
        "ontology_page": "由 pyLODE 生成的本体文档",
        "diagram": "本体图",
        "diagram_lead": (
            "蓝框为本体的类及其数据属性；灰框为所依托的标准词表中的类。空心箭头表示子类；"
            "带标签的箭头表示对象属性（由定义域指向值域）。"
        ),
        "schemes": "概念体系",
        "concept": "概念",
        "label_en": "英文",
        "label_zh": "中文",
        "definition": "定义",
        "broader": "上位概念",
        "unit": "单位",
        "units": "计量单位",
        "symbol": "符号",
        "per_year": "折年系数",
        "shapes": "SHACL 形状约束",
        "shapes_lead": (
            "图必须遵守的规则。违规（Violation）使校验不通过；警告（Warning）提请人工查看。"
        ),
        "targets": "目标",
        "constraints": "约束",
        "message": "提示",
        "severity": "级别",
        "questions": "已存问题",
        "questions_lead": "用 kg query 名称 运行；kg list 列出全部。",
        "columns": "列",
        "params": "参数",
        "sparql": "SPARQL",
        "checks": "数据质量检查",
        "other_lang": "English",
        "other_page": "index.html",
        "contents": "目录",
    },
}

_CONSTRAINTS = (
    SH.minCount,
    SH.maxCount,
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.node,
    SH.hasValue,
    SH["in"],
    SH.languageIn,
    SH.uniqueLang,
    SH.pattern,
    SH.minInclusive,
    SH.maxInclusive,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
)
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)


def vocabulary_graph() -> Graph:
    """The ontology, concept schemes, units and shapes in one graph (without the pins)."""
    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    for path in [*resources.ontology_files(), resources.shapes_file()]:
        if "vendor" not in path.parts:
            graph += parse_turtle(path)
    return graph


def _in(graph: Graph, node: Node, predicate: URIRef, lang: str) -> str:
    """The literal of ``predicate`` in ``lang`` (or without a language), else ''."""
    values = [o for o in graph.objects(node, predicate) if isinstance(o, Literal)]
    chosen = [v for v in values if v.language == lang] or [v for v in values if not v.language]
    return str(chosen[0]) if chosen else ""


def _name(node: Node) -> str:
    return compact(str(node))


def _list(graph: Graph, head: Node) -> list[Node]:
    items: list[Node] = []
    while head != RDF.nil and len(items) < 1000:
        first = graph.value(head, RDF.first)
        if first is None:
            break
        items.append(first)
        head = graph.value(head, RDF.rest) or RDF.nil
    return items


def _shown(graph: Graph, node: Node) -> str:
    if isinstance(node, Literal):
        return str(node)
    if isinstance(node, BNode):
        items = _list(graph, node)
        return "(" + " ".join(_shown(graph, i) for i in items) + ")" if items else "[…]"
    return _name(node)


def concept_schemes(graph: Graph, lang: str) -> list[dict[str, Any]]:
    schemes = []
    members: dict[Node, list[Node]] = defaultdict(list)
    for concept, scheme in graph.subject_objects(SKOS.inScheme):
        members[scheme].append(concept)
    for scheme in iris(graph.subjects(RDF.type, SKOS.ConceptScheme)):
        concepts = []
        for concept in iris(members[scheme]):
            concepts.append(
                {
                    "iri": str(concept),
                    "name": _name(concept),
                    "en": _in(graph, concept, SKOS.prefLabel, "en"),
                    "zh": _in(graph, concept, SKOS.prefLabel, "zh"),
                    "definition": _in(graph, concept, SKOS.definition, lang),
                    "broader": ", ".join(
                        sorted(_name(b) for b in graph.objects(concept, SKOS.broader))
                    ),
                    "unit": ", ".join(
                        sorted(_name(u) for u in graph.objects(concept, MCA.expectedUnit))
                    ),
                }
            )
        schemes.append(
            {
                "iri": str(scheme),
                "anchor": "scheme-" + str(scheme).rstrip("/").rsplit("/", 1)[-1],
                "label": _in(graph, scheme, SKOS.prefLabel, lang)
                or _in(graph, scheme, RDFS.label, lang),
                "definition": _in(graph, scheme, SKOS.definition, lang),
                "concepts": concepts,
            }
        )
    return schemes


def units(graph: Graph, lang: str) -> list[dict[str, str]]:
    rows = []
    for unit in iris(set(graph.subjects(MCA.perYearFactor, None)) | _used_units(graph)):
        rows.append(
            {
                "name": _name(unit),
                "label": _in(graph, unit, RDFS.label, lang),
                "symbol": _in(graph, unit, URIRef("http://qudt.org/schema/qudt/symbol"), lang),
                "factor": _in(graph, unit, MCA.perYearFactor, lang),
            }
        )
    return rows


def _used_units(graph: Graph) -> set[Node]:
    return set(graph.objects(None, MCA.expectedUnit))


def _constraint_lines(graph: Graph, shape: Node) -> list[str]:
    lines = []
    for predicate in _CONSTRAINTS:
        for value in sorted(graph.objects(shape, predicate), key=str):
            if predicate in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
                qualified = graph.value(shape, SH.qualifiedValueShape)
                inner = "; ".join(_constraint_lines(graph, qualified)) if qualified else ""
                lines.append(f"{_name(predicate)} {_shown(graph, value)} of [{inner}]")
            else:
                lines.append(f"{_name(predicate)} {_shown(graph, value)}")
    return lines


def shapes(graph: Graph, lang: str) -> list[dict[str, Any]]:
    """Every named shape, its targets, its constraints (property by property) and messages."""
    named = {
        s
        for kind in (SH.NodeShape, SH.PropertyShape)
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef)
    }
    rows = []
    for shape in sorted(named):
        constraints = []
        path = graph.value(shape, SH.path)
        if path is not None:
            constraints.append(
                f"{_name(SH.path)} {_shown(graph, path)}: "
                + ", ".join(_constraint_lines(graph, shape))
            )
        else:
            constraints.extend(_constraint_lines(graph, shape))
        for prop in sorted(graph.objects(shape, SH.property), key=str):
            prop_path = graph.value(prop, SH.path) or RDF.nil
            inner = ", ".join(_constraint_lines(graph, prop))
            reference = f" ({_name(prop)})" if isinstance(prop, URIRef) else ""
            constraints.append(f"{_name(SH.path)} {_shown(graph, prop_path)}: {inner}{reference}")
        sparql = [
            str(graph.value(c, SH.select) or "").strip() for c in graph.objects(shape, SH.sparql)
        ]
        messages = [_in(graph, c, SH.message, lang) for c in graph.objects(shape, SH.sparql)]
        rows.append(
            {
                "name": _name(shape),
                "anchor": "shape-" + str(shape).rsplit("#", 1)[-1],
                "label": _in(graph, shape, RDFS.label, lang),
                "comment": _in(graph, shape, RDFS.comment, lang)
                or _in(graph, shape, RDFS.comment, "en"),
                "severity": _name(graph.value(shape, SH.severity) or SH.Violation),
                "targets": [
                    f"{_name(t)} {_name(v)}"
                    for t in _TARGETS
                    for v in sorted(graph.objects(shape, t), key=str)
                ],
                "constraints": constraints,
                "message": _in(graph, shape, SH.message, lang)
                or "; ".join(m for m in messages if m),
                "sparql": sparql,
            }
        )
    return rows


def questions(lang: str) -> list[dict[str, Any]]:
    return [
        {
            "name": q.name,
            "kind": q.kind,
            "title": q.title(lang),
            "question": q.question(lang),
            "columns": q.columns,
            "params": [
                {"name": p.name, "type": p.type, "default": p.default or "", "doc": p.doc}
                for p in q.params
            ],
            "text": q.text,
        }
        for q in all_queries()
    ]


def _diagram_svg() -> str | None:
    """The ontology diagram: drawn now if Graphviz is here, else the checked-in one if current."""
    try:
        return diagram.render_svg(diagram.dot_source())
    except KgError:
        checked_in = resources.root() / "docs" / "ontology.svg"
        if checked_in.is_file():
            svg = checked_in.read_text(encoding="utf-8")
            if diagram.is_current(svg):
                return svg
        return None


def _ontology_in(graph: Graph, lang: str) -> Graph:
    """The graph with the literals of other languages left out, for pyLODE."""
    one = Graph()
    for prefix, namespace in graph.namespaces():
        one.bind(prefix, namespace)
    for triple in graph:
        literal = triple[2]
        if isinstance(literal, Literal) and literal.language and literal.language != lang:
            continue
        one.add(triple)
    return one


def pylode_page(lang: str) -> str:
    """The OWL ontology in ``lang``, laid out by pyLODE."""
    from pylode import OntPub  # imported here: pyLODE loads its background ontologies

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.WARNING)  # pyLODE logs its progress on the root logger
    try:
        page: str = OntPub(ontology=_ontology_in(diagram.ontology_graph(), lang)).make_html()
    finally:
        root.setLevel(level)
    return page


def write_docs(directory: Path) -> list[Path]:
    """Write the documentation into ``directory``; returns the files written."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{directory}: cannot create: {error.strerror or error}") from error
    graph = vocabulary_graph()
    svg = _diagram_svg()
    written = []
    if svg is not None:
        written.append(_write(directory / "ontology.svg", svg))
    for lang in LANGUAGES:
        written.append(_write(directory / f"ontology.{lang}.html", pylode_page(lang)))
        page = render(
            "docs.html.j2",
            lang=lang,
            words=WORDS[lang],
            schemes=concept_schemes(graph, lang),
            units=units(graph, lang),
            shapes=shapes(graph, lang),
            questions=questions(lang),
            diagram=svg is not None,
        )
        written.append(
            _write(directory / ("index.html" if lang == "en" else f"index.{lang}.html"), page)
        )
    return written


def _write(path: Path, text: str) -> Path:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot write: {error.strerror or error}") from error
    return path
