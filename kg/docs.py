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
import textwrap
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from kg import diagram, resources
from kg.catalogue import LANGUAGES, all_queries
from kg.diagram import iris
from kg.errors import InputError, KgError
from kg.examples import DEFAULT_QUERY_PAGE, check_query_page, query_page_link
from kg.html import render
from kg.namespaces import MCA, PREFIXES, QUDT, SH
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
        "diagram_alt": (
            "Diagram of the ontology: its {classes} classes as blue boxes, each listing its "
            "datatype properties; hollow arrows from a class to the class it specialises; "
            "labelled arrows for the object properties, from domain to range; grey boxes for "
            "the classes of the standard vocabularies it builds on ({vocabularies})."
        ),
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
        "questions": "Stored questions",
        "questions_lead": (
            "Run one with kg query NAME; kg list shows them all. Each opens, filled in and "
            "ready to run, in the query page of the endpoint kg serve starts ({page})."
        ),
        "open_query": "Open in the query page",
        "columns": "Columns",
        "params": "Parameters",
        "sparql": "SPARQL",
        "checks": "Data-quality checks",
        "other_lang": "中文",
        "other_page": "index.zh.html",
        "default": ", default ",
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
        "diagram_alt": (
            "本体图：本体的{classes}个类为蓝框，框内列出其数据属性；空心箭头由类指向其上位类；"
            "带标签的箭头为对象属性，由定义域指向值域；灰框为所依托的标准词表（{vocabularies}）中的类。"
        ),
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
        "questions": "已存问题",
        "questions_lead": (
            "用 kg query 名称 运行；kg list 列出全部。每个问题都可在 kg serve "
            "所启动端点的查询页面（{page}）中打开，查询已填好，可直接运行。"
        ),
        "open_query": "在查询页面中打开",
        "columns": "列",
        "params": "参数",
        "sparql": "SPARQL",
        "checks": "数据质量检查",
        "other_lang": "English",
        "other_page": "index.html",
        "default": "，默认 ",
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


class Text(str):
    """Text of a page, with ``lang`` set where it is not in the page's language.

    The page marks such text (``<span lang="en">``), so that a screen reader
    reads the English left on the Chinese page as English.
    """

    lang: str

    def __new__(cls, value: str, lang: str = "") -> Text:
        text = super().__new__(cls, value)
        text.lang = lang
        return text


def _in(graph: Graph, node: Node, predicate: URIRef, lang: str) -> Text:
    """The literal of ``predicate`` in ``lang`` (or without a language), else in English.

    English in place of ``lang`` is marked as such; '' if there is none at all.
    """
    values = sorted((o for o in graph.objects(node, predicate) if isinstance(o, Literal)), key=str)
    chosen = [v for v in values if v.language == lang] or [v for v in values if not v.language]
    if chosen:
        return Text(str(chosen[0]))
    english = [v for v in values if v.language == "en"]
    return Text(str(english[0]), "en") if english else Text("")


def breakable(iri: str) -> Markup:
    """An IRI that a narrow screen may break after each / and #, never inside a name.

    >>> str(breakable("https://w3id.org/a<b"))
    'https:/<wbr>/<wbr>w3id.org/<wbr>a&lt;b'
    """
    return Markup("".join(escape(c) + (Markup("<wbr>") if c in "/#" else "") for c in iri))


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


def _qudt_names() -> Graph:
    """The labels and symbols of the pinned QUDT units (the rest of the pins is not shown)."""
    names = Graph()
    pinned = parse_turtle(resources.ontology_dir() / "vendor" / "qudt-subset.ttl")
    for predicate in (RDFS.label, QUDT.symbol):
        for triple in pinned.triples((None, predicate, None)):
            names.add(triple)
    return names


def units(graph: Graph, lang: str) -> list[dict[str, str]]:
    """The units the indicators use and the ones with a per-year factor, named in ``lang``.

    QUDT's units are named from the pinned QUDT terms, their Chinese labels from
    ``ontology/units.ttl``.
    """
    named = graph + _qudt_names()
    rows = []
    for unit in iris(set(graph.subjects(MCA.perYearFactor, None)) | _used_units(graph)):
        factor = graph.value(unit, MCA.perYearFactor)
        rows.append(
            {
                "name": _name(unit),
                "label": _in(named, unit, RDFS.label, lang),
                "symbol": _in(named, unit, QUDT.symbol, lang),
                "factor": _factor(factor),
            }
        )
    return rows


def _factor(value: Node | None) -> str:
    """A per-year factor as a person writes it: 12, not 12.0.

    >>> _factor(Literal(Decimal("12.0"))), _factor(None)
    ('12', '')
    """
    if not isinstance(value, Literal):
        return ""
    try:
        return format(Decimal(str(value)).normalize(), "f")
    except ArithmeticError:
        return str(value)


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
        # a shape's SPARQL constraints are blank nodes: in the order of their queries
        ordered = sorted(
            graph.objects(shape, SH.sparql),
            key=lambda c: (_triple_key_term(c), str(graph.value(c, SH.select) or "")),
        )
        sparql = [textwrap.dedent(str(graph.value(c, SH.select) or "")).strip() for c in ordered]
        messages = [_in(graph, c, SH.message, lang) for c in ordered]
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
                or _joined([m for m in messages if m]),
                "sparql": sparql,
            }
        )
    return rows


def _joined(texts: list[Text]) -> Text:
    """Texts joined by "; ", marked English if any of them is."""
    langs = {t.lang for t in texts}
    return Text("; ".join(texts), "en" if "en" in langs else "")


def _triple_key_term(term: Node) -> str:
    """A sort key of a term that does not hang on a blank node's random name."""
    return "" if isinstance(term, BNode) else term.n3()


def questions(lang: str, query_page: str = DEFAULT_QUERY_PAGE) -> list[dict[str, Any]]:
    """Every stored question: its text in ``lang`` (English, marked, where it has none).

    ``link`` opens it in the query page ``query_page`` (:func:`kg.examples.query_page_link`).
    """
    english = "" if lang == "en" else "en"
    return [
        {
            "name": q.name,
            "kind": q.kind,
            "title": Text(q.title(lang), "" if q.header.get(f"title@{lang}") else english),
            "question": Text(q.question(lang), "" if q.header.get(f"question@{lang}") else english),
            "columns": q.columns,
            "params": [
                {
                    "name": p.name,
                    "type": p.type,
                    "default": p.default or "",
                    "doc": Text(p.doc, english),  # parameters are documented in English
                }
                for p in q.params
            ],
            "text": q.text,
            "link": query_page_link(q.text, query_page),
        }
        for q in all_queries()
    ]


def checked_in_diagram() -> Path:
    """The diagram kept in the repository, for machines without Graphviz."""
    return resources.root() / "docs" / "ontology.svg"


def _diagram_svg() -> tuple[str | None, str]:
    """The ontology diagram and '', or None and why there is none.

    Drawn now if Graphviz is here, else the checked-in one if it is current.
    """
    try:
        return diagram.render_svg(diagram.dot_source()), ""
    except KgError as error:
        checked_in = checked_in_diagram()
        if checked_in.is_file():
            svg = checked_in.read_text(encoding="utf-8")
            if diagram.is_current(svg):
                return svg, ""
            why = f"{checked_in} is out of date"
        else:
            why = f"{checked_in} is missing"
        return None, f"the pages have no diagram: {error}, and {why}"


def _ontology_in(graph: Graph, lang: str) -> Graph:
    """The graph for pyLODE: the literals of other languages left out, the triples in order.

    pyLODE lists classes and properties in the order it meets them, so the
    triples are added sorted: the same ontology gives the same page whatever
    Python's hash seed. The ontology's own rdfs:label is left out too, or pyLODE
    would append it to its title ("…policymca-kg ontology").
    """
    one = Graph()
    for prefix, namespace in graph.namespaces():
        one.bind(prefix, namespace)
    ontologies = set(graph.subjects(RDF.type, OWL.Ontology))
    for triple in sorted(graph, key=_triple_key):
        subject, predicate, literal = triple
        if isinstance(literal, Literal) and literal.language and literal.language != lang:
            continue
        if subject in ontologies and predicate == RDFS.label:
            continue
        one.add(triple)
    return one


def _triple_key(triple: tuple[Node, Node, Node]) -> tuple[str, ...]:
    """A sort key that does not depend on blank nodes' random names: blank nodes sort last."""
    return tuple(
        ("1" if isinstance(term, BNode) else "0") + ("" if isinstance(term, BNode) else term.n3())
        for term in triple
    )


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
    return phone_friendly(page)


#: pyLODE fixes its table of contents to the right of the window, where on a
#: phone it covers the text: on a narrow screen it is put above the text instead.
_PHONE_STYLE = """<style>
@media (max-width: 45rem) {
  body { padding: 1em; }
  #pylode { position: static; transform: none; margin-bottom: .5em; }
  #toc { position: static; height: auto; width: auto; border: 0; padding: 0;
    border-bottom: 1px solid navy; }
  #content { width: auto; }
  .entity th { width: 6.5rem; }
  .entity td { overflow-wrap: anywhere; }
  section#overview img { max-width: 100%; }
  a, code { overflow-wrap: anywhere; word-break: break-word; }
}
</style>
"""


def phone_friendly(page: str) -> str:
    """pyLODE's page with a style for narrow screens appended to its head.

    >>> phone_friendly("<html><head><title>t</title></head><body></body></html>").count("#toc")
    1
    """
    head_end = page.find("</head>")
    if head_end < 0:
        return page + _PHONE_STYLE
    return page[:head_end] + _PHONE_STYLE + page[head_end:]


def write_docs(
    directory: Path,
    warn: Callable[[str], None] | None = None,
    query_page: str = DEFAULT_QUERY_PAGE,
) -> list[Path]:
    """Write the documentation into ``directory``; returns the files written.

    ``warn`` is told, in one line, of what the pages lack (the diagram, when
    neither Graphviz nor a current ``docs/ontology.svg`` is there). Each stored
    question links to ``query_page``, Oxigraph's query page, with its text filled in.
    """
    query_page = check_query_page(query_page)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{directory}: cannot create: {error.strerror or error}") from error
    graph = vocabulary_graph()
    svg, why = _diagram_svg()
    if svg is None and warn is not None:
        warn(why)
    written = []
    if svg is not None:
        written.append(_write(directory / "ontology.svg", svg))
    summary = diagram.summary()
    for lang in LANGUAGES:
        written.append(_write(directory / f"ontology.{lang}.html", pylode_page(lang)))
        page = render(
            "docs.html.j2",
            lang=lang,
            words=WORDS[lang],
            schemes=concept_schemes(graph, lang),
            units=units(graph, lang),
            shapes=shapes(graph, lang),
            questions=questions(lang, query_page),
            query_page=query_page,
            diagram=svg is not None,
            breakable=breakable,
            diagram_alt=WORDS[lang]["diagram_alt"].format(
                classes=summary.classes, vocabularies=", ".join(summary.vocabularies)
            ),
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
