"""The graph as a dataset: one named graph per source, in rdflib or in Oxigraph.

============================================  ==========================================
named graph                                   what it holds
============================================  ==========================================
``https://w3id.org/mca-kg/graph/ontology``    ontology, concept schemes, units, pinned
                                              QUDT and OWL-Time terms
``https://w3id.org/mca-kg/graph/reference``   agencies, people, posts, periods, outside
                                              sources
``https://w3id.org/mca-kg/graph/{id}``        one notice (``data/notices/{id}.ttl``)
``https://w3id.org/mca-kg/graph/queries``     the stored questions (``queries/*.rq``) as
                                              SPARQL examples (:mod:`kg.examples`)
============================================  ==========================================

Queries see the union of all graphs as their default graph, and can ask which
graph a triple is in with ``GRAPH ?g { ... }``. The examples graph is made from
the query files, not read from Turtle, so it is never out of date.

>>> store = load_store()
>>> sorted(str(g.value).rsplit("/", 1)[1] for g in store.named_graphs())
['mca-2020-12-26', 'ontology', 'queries', 'reference']
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from kg import resources
from kg.errors import InputError
from kg.examples import examples_graph
from kg.namespaces import ONTOLOGY_GRAPH, QUERIES_GRAPH, REFERENCE_GRAPH, SHAPES_GRAPH, graph_iri
from kg.terms import to_quads
from kg.turtle import located, parse_turtle

#: Marks an on-disk store with the fingerprint of the files it was loaded from.
_FINGERPRINT_FILE = "mca-kg-fingerprint"


def graph_files(with_shapes: bool = False) -> list[tuple[URIRef, list[Path]]]:
    """Each named graph of the dataset with the Turtle files that make it.

    The SHACL shapes are a graph of their own, served alongside the data
    (``with_shapes``) but left out of the dataset that queries and exports see.
    """
    graphs = [
        (ONTOLOGY_GRAPH, resources.ontology_files()),
        (REFERENCE_GRAPH, [resources.reference_file()]),
    ]
    graphs += [(graph_iri(path.stem), [path]) for path in resources.notice_files()]
    if with_shapes:
        graphs.append((SHAPES_GRAPH, [resources.shapes_file()]))
    return graphs


def graph_names() -> list[URIRef]:
    """Every named graph of the dataset: those of :func:`graph_files`, then the examples."""
    return [name for name, _files in graph_files()] + [QUERIES_GRAPH]


def iter_graphs(extra: list[Path] | None = None) -> Iterator[tuple[URIRef, Graph]]:
    """Parse every named graph with rdflib; ``extra`` files form graphs named by their URI."""
    for name, files in graph_files():
        graph = Graph(identifier=name)
        for path in files:
            parse_turtle(path, graph)
        yield name, graph
    yield QUERIES_GRAPH, examples_graph()
    for path in extra or []:
        yield URIRef(path.resolve().as_uri()), parse_turtle(path)


def load_dataset() -> Dataset:
    """The whole graph as an rdflib :class:`~rdflib.Dataset` whose default graph is the union."""
    dataset = Dataset(default_union=True)
    for name, graph in iter_graphs():
        target = dataset.graph(name)
        for triple in graph:
            target.add(triple)
    return dataset


def fingerprint(with_shapes: bool = False) -> str:
    """A digest of every file the dataset is made of, to tell when a stored copy is stale."""
    digest = hashlib.sha256()
    for name, files in graph_files(with_shapes):
        digest.update(str(name).encode())
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    digest.update(str(QUERIES_GRAPH).encode())  # the examples are made from the query files
    for path in sorted(resources.queries_dir().glob("*.rq")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _fill(store: ox.Store, with_shapes: bool = False) -> None:
    for name, files in graph_files(with_shapes):
        target = ox.NamedNode(str(name))
        for path in files:
            try:
                store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=target)
            except (SyntaxError, OSError) as error:
                raise InputError(f"{path}: cannot load: {error}") from error
    store.extend(to_quads(examples_graph(), str(QUERIES_GRAPH)))


#: How each kind of extra data file is read: N-Quads and TriG keep their named
#: graphs; a Turtle or N-Triples file becomes the graph named by its file URI.
_FORMATS = {
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
}


def load_extra(store: ox.Store, paths: Sequence[Path]) -> None:
    """Bulk-load data files (a corpus of notices) into ``store`` beside the shipped graph.

    Oxigraph's bulk loader parses on every core and writes the indexes without
    transactions: the fastest way in, and the one ``bench/run.py`` measures.
    """
    for path in paths:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        fmt = _FORMATS.get(path.suffix.lower())
        if fmt is None:
            known = ", ".join(_FORMATS)
            raise InputError(f"{path}: unknown RDF file type {path.suffix!r} (known: {known})")
        # The file's own IRI is the base of its relative IRIs (<#a>, <>), as in rdflib and
        # every RDF tool that reads a local file, and the graph of a triples-only format.
        base = path.resolve().as_uri()
        quads = fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)
        target = None if quads else ox.NamedNode(base)
        try:
            with path.open("rb") as handle:
                has_bom = handle.read(3) == b"\xef\xbb\xbf"
                if has_bom:  # a byte-order mark, as Windows editors write, is not data
                    store.bulk_load(input=handle, format=fmt, to_graph=target, base_iri=base)
            if not has_bom:  # by path: Oxigraph parses a large file on every core
                store.bulk_load(path=str(path), format=fmt, to_graph=target, base_iri=base)
        except SyntaxError as error:
            raise InputError(located(path, error, fmt)) from error
        except OSError as error:
            raise InputError(f"{path}: cannot load: {error}") from error


def load_store(
    store_dir: Path | None = None,
    with_shapes: bool = False,
    extra: Sequence[Path] = (),
    read_only: bool = False,
) -> ox.Store:
    """The dataset in an Oxigraph store: in memory, or on disk in ``store_dir``.

    An on-disk store is reused while the files it was loaded from are unchanged,
    so repeated commands do not parse the Turtle again; it is rebuilt when they
    change, and when it is stale and cannot be opened (a crash while it was
    written). With ``read_only``, a current store is opened read-only, so any
    number of readers share it; only a rebuild takes the store's lock. ``extra``
    data files (see :func:`load_extra`) are loaded into an in-memory store only.
    """
    if store_dir is None:
        store = ox.Store()
        _fill(store, with_shapes)
        load_extra(store, extra)
        return store
    if extra:
        raise InputError("data files are loaded into an in-memory store only, not with --store")
    marker = store_dir / _FINGERPRINT_FILE
    if store_dir.exists() and not store_dir.is_dir():
        raise InputError(f"{store_dir}: not a folder; give --store a folder")
    try:
        if store_dir.exists() and not marker.is_file() and any(store_dir.iterdir()):
            # never clear a folder, or another program's store, that kg did not make
            raise InputError(f"{store_dir}: not empty and not an mca-kg store; give a new folder")
        stored = marker.read_text(encoding="utf-8", errors="replace") if marker.is_file() else ""
    except OSError as error:
        raise InputError(
            f"{store_dir}: cannot read the store: {error.strerror or error}"
        ) from error
    current = fingerprint(with_shapes)
    if stored == current:
        try:
            return ox.Store.read_only(str(store_dir)) if read_only else ox.Store(str(store_dir))
        except (OSError, RuntimeError) as error:
            raise InputError(_open_error(store_dir, error)) from error
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(
            f"{store_dir}: cannot open the store: {error.strerror or error}"
        ) from error
    try:
        store = ox.Store(str(store_dir))
    except (OSError, RuntimeError) as error:
        if _locked(error) or not marker.is_file():
            raise InputError(_open_error(store_dir, error)) from error
        # kg's own store, out of date and unreadable (a crash while it was written):
        # it was to be cleared anyway, so build it again from nothing
        shutil.rmtree(store_dir)
        store_dir.mkdir(parents=True)
        try:
            store = ox.Store(str(store_dir))
        except (OSError, RuntimeError) as again:
            raise InputError(_open_error(store_dir, again)) from again
    store.clear()
    marker.write_text("loading")  # marks the folder as kg's before anything is written
    _fill(store, with_shapes)
    store.flush()
    marker.write_text(current)
    return store


def _locked(error: BaseException) -> bool:
    text = str(error).lower()
    return "lock" in text and ("hold" in text or "unavailable" in text or "no locks" in text)


def _open_error(store_dir: Path, error: BaseException) -> str:
    """One line for a store that cannot be opened, saying what to do."""
    reason = " ".join(str(error).split())
    if _locked(error):
        return (
            f"{store_dir}: another kg is writing this store ({reason}); "
            "wait for it to finish, or give --store another folder"
        )
    return (
        f"{store_dir}: the store is corrupt or unreadable ({reason}); remove the folder "
        "and run again: kg builds it anew"
    )
