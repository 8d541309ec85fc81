"""bench/corpus.py, the synthetic national corpus: it conforms, and its faults are exactly found.

A corpus without faults must give no finding at all (not even a warning), one with
faults exactly the (shape, focus node) pairs its manifest lists; every passage must
quote its generated text exactly; the same seed must give the same bytes.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox
import pytest

from kg.passages import CONTEXT_CHARS
from kg.shacl import validate, validate_graph

BENCH = Path(__file__).resolve().parent.parent / "bench" / "corpus.py"


def _import_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


corpus = _import_corpus()

OA = "http://www.w3.org/ns/oa#"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
DCT_EXTENT = "http://purl.org/dc/terms/extent"
OBS_VALUE = "http://purl.org/linked-data/sdmx/2009/measure#obsValue"
VALUE_SOURCE = "https://w3id.org/mca-kg/def#valueSource"
DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 10,000 triples without faults, in Turtle, as `kg validate FILE` reads it."""
    path = tmp_path_factory.mktemp("clean") / "corpus-10k.ttl"
    corpus.generate(10_000, path, faults=0, seed=1)
    return path


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four counties of a province over four quarters across a year end, with 12 faults."""
    path = tmp_path_factory.mktemp("faulty") / "corpus-faulty.nq"
    provinces = corpus.subset(corpus.build_provinces(5), per_province=4, how_many=1)
    plan = corpus.Plan(provinces, corpus.quarters_ending(corpus.Quarter(2024, 2), 4))
    assert [q.label_en for q in plan.quarters] == ["2023-Q3", "2023-Q4", "2024-Q1", "2024-Q2"]
    corpus.write_corpus(plan, path, faults=12, seed=5)
    return path


def manifest(path: Path) -> dict[str, Any]:
    return json.loads(corpus.manifest_path(path).read_text(encoding="utf-8"))


def test_clean_corpus_conforms_without_any_finding(clean: Path) -> None:
    report = validate([clean])
    assert report.conforms
    assert report.findings == [], report.text()


def test_findings_are_exactly_the_planted_faults(faulty: Path) -> None:
    planted = manifest(faulty)["faults"]
    assert len(planted) == 12
    assert Counter(f["kind"] for f in planted) == dict.fromkeys(corpus.FAULT_KINDS, 3)
    report = validate_graph(corpus.load_graph(faulty))
    found = {(f.shape, f.focus) for f in report.findings}
    assert found == {(f["shape"], f["focus"]) for f in planted}, report.text()
    # and each with the severity and result path the manifest promises
    ok, text = corpus.compare(report, manifest(faulty))  # with severity and result path too
    assert ok, text


def test_manifest_counts_the_quads_written(faulty: Path) -> None:
    lines = faulty.read_text(encoding="utf-8").splitlines()
    quads = set(ox.parse(path=str(faulty), format=ox.RdfFormat.N_QUADS))
    assert len(lines) == len(quads) == manifest(faulty)["triples"]
    graphs = {q.graph_name for q in quads}
    # the reference graph, 4 county notices a quarter, a conference in each of the 2 years
    assert len(graphs) == manifest(faulty)["graphs"] == 1 + 4 * 4 + 2


def _number(quote: str) -> Decimal:
    """The value a quote states: 665元 -> 665, 7.7% -> 7.7, 12.3万人 -> 123000."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(万?)(?:元|%|人)", quote)
    assert match, quote
    number, wan = match.groups()
    return Decimal(number) * (10_000 if wan else 1)


@pytest.mark.parametrize("fixture", ["clean", "faulty"])
def test_passages_quote_their_text_exactly(fixture: str, request: pytest.FixtureRequest) -> None:
    path: Path = request.getfixturevalue(fixture)
    rdf_format = ox.RdfFormat.TURTLE if path.suffix == ".ttl" else ox.RdfFormat.N_QUADS
    about: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for quad in ox.parse(path=str(path), format=rdf_format):
        about[quad.subject.value][quad.predicate.value].append(quad.object.value)
    texts = {s: p[RDF_VALUE][0] for s, p in about.items() if RDF_VALUE in p}
    assert texts
    for node, text in texts.items():
        assert int(about[node][DCT_EXTENT][0]) == len(text)
    spans = {}
    for node, props in about.items():
        if OA + "hasSource" not in props:
            continue
        text = texts[props[OA + "hasSource"][0]]
        selectors = [about[s] for s in props[OA + "hasSelector"]]
        quote = next(s for s in selectors if OA + "exact" in s)
        position = next(s for s in selectors if OA + "start" in s)
        start, end = int(position[OA + "start"][0]), int(position[OA + "end"][0])
        exact = quote[OA + "exact"][0]
        assert text[start:end] == exact
        assert quote.get(OA + "prefix", [""])[0] == text[max(0, start - CONTEXT_CHARS) : start]
        assert quote.get(OA + "suffix", [""])[0] == text[end : end + CONTEXT_CHARS]
        spans[node] = (start, end, exact)
    assert spans
    figures = [props for props in about.values() if OBS_VALUE in props]
    assert figures
    for props in figures:
        start, end, exact = spans[props[VALUE_SOURCE][0]]
        outer_start, outer_end, _ = spans[props[DERIVED][0]]
        assert outer_start <= start < end <= outer_end  # the number is inside its sentence
        assert Decimal(props[OBS_VALUE][0]) == _number(exact)


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    first, second, other = (tmp_path / f"{name}.nq" for name in ("first", "second", "other"))
    corpus.generate(3_000, first, faults=4, seed=9)
    corpus.generate(3_000, second, faults=4, seed=9)
    corpus.generate(3_000, other, faults=4, seed=10)
    assert first.read_bytes() == second.read_bytes()
    assert corpus.manifest_path(first).read_text().replace("first", "second") == (
        corpus.manifest_path(second).read_text()
    )
    assert first.read_bytes() != other.read_bytes()


@pytest.mark.parametrize("target", [10_000, 100_000, 1_000_000, 5_000_000])
def test_plan_comes_near_the_target(target: int) -> None:
    plan = corpus.plan_corpus(target, corpus.build_provinces(1))
    assert abs(plan.estimate() - target) < 0.1 * target
    if target >= 1_000_000:
        assert len(plan.provinces) == 31
        assert plan.counties > 2_700


def test_too_many_faults_for_the_size_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="county notices"):
        corpus.generate(1_000, tmp_path / "tiny.nq", faults=50)


@pytest.mark.parametrize(("text", "size"), [("10k", 10_000), ("1m", 1_000_000), ("2500", 2_500)])
def test_sizes(text: str, size: int) -> None:
    assert corpus.parse_size(text) == size
