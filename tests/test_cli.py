"""The `kg` command, called in-process: exit codes, outputs, and errors a user can cause."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal
from rdflib.compare import isomorphic

from kg.cli import main
from kg.dump import FORMATS
from kg.terms import NUMERIC

from .conftest import FIXTURES

RDFLIB_FORMAT = {
    "turtle": "turtle",
    "ntriples": "nt",
    "nquads": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
}


def numbers_by_value(graph: Graph) -> Graph:
    """The graph with numeric literals in one lexical form per value.

    Turtle and TriG writers print an xsd:decimal ``"0"`` as ``0.0``: the same
    number, another lexical form. Everything else must come back exactly.
    """
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and str(o.datatype) in NUMERIC:
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=o.datatype)
        out.add((s, p, o))
    return out


def kg(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def one_clean_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_validate_conforms() -> None:
    code, out, _ = kg("validate")
    assert code == 0
    assert out.strip().endswith("conforms: 0 violations, 0 warnings")


def test_validate_reports_violations_grouped_by_shape_with_exit_1() -> None:
    fixture = FIXTURES / "shapes" / "UnitOfIndicatorShape.fail.ttl"
    code, out, _ = kg("validate", str(fixture))
    assert code == 1
    assert "mcash:UnitOfIndicatorShape (" in out
    assert "does not conform" in out


def test_validate_missing_file(tmp_path: Path) -> None:
    code, _, err = kg("validate", str(tmp_path / "nothere.ttl"))
    assert code == 2
    assert "nothere.ttl: no such file" in one_clean_line(err)


def test_validate_malformed_turtle_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:d ex:e ex:f ex:g .\n")
    code, _, err = kg("validate", str(bad))
    assert code == 2
    assert re.search(r"bad\.ttl:3:\d+: malformed Turtle", one_clean_line(err))


def test_validate_malformed_nquads_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "corpus.nq"
    bad.write_text(
        "<http://e/a> <http://e/b> <http://e/c> <http://e/g> .\n<http://e/a> <http://e/b> .\n"
    )
    code, _, err = kg("validate", str(bad))
    assert code == 2
    assert re.search(r"corpus\.nq:2:\d+: malformed N-Quads: ", one_clean_line(err))


def test_build_and_fmt_checks_pass() -> None:
    assert kg("build", "--check")[0] == 0
    assert kg("fmt", "--check")[0] == 0


def test_list_shows_titles_in_both_languages() -> None:
    code, out, _ = kg("list")
    assert code == 0 and "Assistance standards and their growth" in out
    code, out, _ = kg("list", "--lang", "zh")
    assert code == 0 and "保障标准及其增长" in out


def test_query_table_in_chinese() -> None:
    code, out, _ = kg("query", "standards", "--lang", "zh")
    assert code == 0
    assert "城市低保标准（2020年）" in out and "元/月" in out


def test_query_json_is_w3c_sparql_results(tmp_path: Path) -> None:
    code, out, _ = kg("query", "standards", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["head"]["vars"][0] == "figure"
    parsed = ox.parse_query_results(out.encode(), format=ox.QueryResultsFormat.JSON)
    assert len(list(parsed)) == len(document["results"]["bindings"]) == 8  # type: ignore[arg-type]
    from rdflib.query import Result

    result = Result.parse(source=__import__("io").StringIO(out), format="json")
    assert len(result) == 8


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_query_csv_and_tsv_parse_back(fmt: str) -> None:
    code, out, _ = kg("query", "standards", "--format", fmt)
    assert code == 0
    kind = ox.QueryResultsFormat.CSV if fmt == "csv" else ox.QueryResultsFormat.TSV
    if fmt == "csv":
        assert out.splitlines()[0] == (
            "figure,standard,scope,value,unit,period,growth_percent,base_period,corrected"
        )
    else:
        parsed = ox.parse_query_results(out.encode(), format=kind)
        assert len(list(parsed)) == 8  # type: ignore[arg-type]


def test_unknown_query_names_the_closest_match() -> None:
    code, _, err = kg("query", "standardz")
    assert code == 2
    assert "did you mean standards" in one_clean_line(err)


def test_malformed_sparql_file_gives_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE {\n  ?x ?y\n}\n")
    code, _, err = kg("query", str(bad))
    assert code == 2
    line = one_clean_line(err)
    assert re.search(r"bad\.rq:\d+:\d+: malformed SPARQL: ", line)


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["query", "standards", "--format", "xml"], "Invalid value for '--format'"),
        (["query", "standards", "--lang", "fr"], "Invalid value for '--lang'"),
        (["query", "standards", "--param", "nosuch=1"], "has no parameter 'nosuch'"),
        (["query", "standards", "--param", "novalue"], "NAME=VALUE"),
        (["export", "--format", "rdfxml"], "Invalid value for '--format'"),
    ],
)
def test_usage_errors_exit_2(args: list[str], fragment: str) -> None:
    code, _, err = kg(*args)
    assert code == 2
    assert fragment in err
    assert "Traceback" not in err


def test_injection_is_bound_as_a_value_and_changes_nothing(store: ox.Store) -> None:
    """A parameter value is a literal: the answer is empty and the store keeps every quad."""
    from kg.query import run

    before = len(store)
    attack = 'x" } ; DROP ALL ; { "'
    answer = run("standards-growth-above", {"min_rate": "10"}, store=store)
    assert answer.rows  # the query works with a proper value
    with pytest.raises(Exception) as error:  # a decimal parameter refuses text
        run("standards-growth-above", {"min_rate": attack}, store=store)
    assert "not a number" in str(error.value)
    answer = run("tasks-for-group", {"group": "<https://example.org/x>"}, store=store)
    assert answer.rows == []
    answer = run("standards", {"lang": "en"}, store=store)
    assert answer.rows
    assert len(store) == before
    code, _, err = kg("query", "tasks-for-group", "--param", f"group={attack}")
    assert code == 2 and "not an IRI" in one_clean_line(err)


def test_stats_counts_by_graph() -> None:
    code, out, _ = kg("stats")
    assert code == 0
    header = out.splitlines()[0].split()
    notice_row = next(line for line in out.splitlines() if "mca-2020-12-26" in line).split()
    counts = dict(zip(header[1:], notice_row[1:], strict=True))
    # 31 figures + 2 corrected readings; 7 key tasks + 39 sub-tasks + 7 year-end + 6 areas;
    # 12 qualitative results + 7 principles (the historic mission, the 2021 approach and the
    # five 更加突出) + 4 requirements
    assert (counts["figures"], counts["tasks"], counts["statements"]) == ("33", "59", "23")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_round_trips_and_is_byte_identical(
    fmt: str, tmp_path: Path, dataset: Dataset
) -> None:
    first = tmp_path / f"one.{fmt}"
    second = tmp_path / f"two.{fmt}"
    assert kg("export", "--format", fmt, "-o", str(first))[0] == 0
    assert kg("export", "--format", fmt, "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    if FORMATS[fmt][1]:  # dataset formats keep one named graph per source
        loaded = Dataset()
        loaded.parse(first, format=RDFLIB_FORMAT[fmt])
        names = {g.identifier for g in dataset.graphs() if len(g)}
        assert {g.identifier for g in loaded.graphs() if len(g)} == names
        for name in names:
            assert isomorphic(
                numbers_by_value(loaded.graph(name)), numbers_by_value(dataset.graph(name))
            ), name
    else:
        union = Graph()
        for graph in dataset.graphs():
            for triple in graph:
                union.add(triple)
        exported = Graph().parse(first, format=RDFLIB_FORMAT[fmt])
        assert isomorphic(numbers_by_value(exported), numbers_by_value(union))


def test_export_to_stdout() -> None:
    code, out, _ = kg("export", "--format", "ntriples")
    assert code == 0 and out.count("\n") > 4000


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["load", "--endpoint", "x"], "not an http(s) endpoint URL: 'x'"),
        (["load", "--endpoint", "ftp://host/store"], "not an http(s) endpoint URL"),
        (["query", "standards", "--endpoint", "http://[::1/q"], "not a usable endpoint URL"),
        (["query", "tasks-for-group", "--param", "group=http://[::1"], "not a valid IRI"),
        (["query", "figures-of-program", "--param", "program=prog:"], "not a prefixed name"),
        (["query", "standards-growth-above", "--param", "min_rate=NaN"], "not a usable number"),
        (["query", "standards", "--store", "/proc/no/such/store"], "cannot open the store"),
        (["export", "-o", "/tmp"], "/tmp: cannot write"),
        (["ingest", "tests/fixtures/ingest/tasks.txt", "--id", "a b"], "--id 'a b'"),
        (["validate", "tests"], "tests"),
    ],
)
def test_user_errors_end_in_one_line_with_exit_2(args: list[str], fragment: str) -> None:
    code, _, err = kg(*args)
    assert code == 2
    assert fragment in one_clean_line(err)


def test_validate_refuses_an_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("# nothing here\n")
    code, _, err = kg("validate", str(empty))
    assert code == 2 and "holds no triples" in one_clean_line(err)


def test_store_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("someone's files")
    code, _, err = kg("query", "meeting", "--store", str(tmp_path))
    assert code == 2 and "not an mca-kg store" in one_clean_line(err)
    assert [p.name for p in tmp_path.iterdir()] == ["readme.txt"]  # nothing written, nothing lost


def test_decimal_parameters_mean_the_same_on_both_engines() -> None:
    from kg.query import run

    for value in ("1e1", "10", "10.0"):
        oxigraph = run("standards-growth-above", {"min_rate": value}).normalised()
        rdflib = run("standards-growth-above", {"min_rate": value}, engine="rdflib").normalised()
        assert oxigraph == rdflib and len(oxigraph) == 3  # 12.8, 11.4, 11.3 exceed 10


def test_a_string_parameter_is_a_value_not_query_text(tmp_path: Path, store: ox.Store) -> None:
    """A string-typed parameter carrying SPARQL syntax matches nothing and changes nothing."""
    from kg.query import run

    query = tmp_path / "label-is.rq"
    query.write_text(
        "# title: Items with a given English label\n"
        "# param: label (string, default 民政部): the label\n"
        "SELECT ?label ?item WHERE { ?item rdfs:label ?l . FILTER (STR(?l) = ?label) }\n"
        "ORDER BY ?item\n"
    )
    assert [r["item"].value for r in run(str(query), store=store).rows] == [  # type: ignore[union-attr]
        "https://w3id.org/mca-kg/org/mca"
    ]
    attack = 'x") } DELETE WHERE { ?s ?p ?o } # '
    before = len(store)
    for engine in ("oxigraph", "rdflib"):
        kwargs = {"store": store} if engine == "oxigraph" else {}
        assert run(str(query), {"label": attack}, engine=engine, **kwargs).rows == []  # type: ignore[arg-type]
    assert len(store) == before


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["report", "--lang", "fr"], "Invalid value for '--lang': 'fr'"),
        (["report", "--no-such-option"], "No such option '--no-such-option'"),
        (["--no-such-option"], "No such option '--no-such-option'"),
        (["no-such-command"], "No such command 'no-such-command'"),
        (["query", "standards", "--format", "xml"], "Invalid value for '--format'"),
        (["diagram", "--format", "png"], "Invalid value for '--format'"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], fragment: str) -> None:
    """The README promises one line for every error, click's usage errors too."""
    code, _, err = kg(*args)
    assert code == 2
    line = one_clean_line(err)
    assert line.startswith("kg: error: ") and fragment in line
    assert "--help" in line  # where to read more


@pytest.mark.parametrize("args", [["--help"], ["report", "--help"], ["diagram", "-h"]])
def test_help_still_works(args: list[str]) -> None:
    code, out, err = kg(*args)
    assert code == 0 and err == ""
    assert out.startswith("Usage: ")


COUNTY = """
PREFIX mca: <https://w3id.org/mca-kg/def#>
PREFIX mcau: <https://w3id.org/mca-kg/unit/>
PREFIX ind: <https://w3id.org/mca-kg/concept/indicator/>
PREFIX scope: <https://w3id.org/mca-kg/concept/scope/>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX year: <http://reference.data.gov.uk/id/year/>
GRAPH <https://example.org/graph/county> {
  <https://example.org/county/dibao> a qb:Observation , mca:Figure ;
    rdfs:label "County urban dibao standard, 2021"@en , "某县城市低保标准（2021年）"@zh ;
    mca:indicator ind:dibao-standard-monthly ; mca:areaScope scope:urban ;
    sdmx-attribute:unitMeasure mcau:CNY-PER-MO ; sdmx-dimension:refPeriod year:2021 ;
    sdmx-measure:obsValue 720 .
}
"""


def test_query_answers_over_a_data_file_beside_the_notice(tmp_path: Path) -> None:
    corpus = tmp_path / "county.trig"
    corpus.write_text(COUNTY, encoding="utf-8")
    code, out, err = kg("query", "standards", "--data", str(corpus), "-f", "csv")
    assert code == 0, err
    rows = {row["figure"]: row for row in csv.DictReader(io.StringIO(out))}
    county = rows["https://example.org/county/dibao"]
    assert (county["value"], county["unit"], county["period"], county["scope"]) == (
        "720",
        "yuan per month",
        "2021",
        "urban",
    )
    # the notice's own urban dibao standard, 665 yuan a month, is still answered
    notice = "https://w3id.org/mca-kg/doc/mca-2020-12-26/"
    assert rows[notice + "obs-dibao-standard-urban"]["value"] == "665"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--data", "missing.nq"], "missing.nq: no such file"),
        (["--data", "county.trig", "--engine", "rdflib"], "--data needs the oxigraph engine"),
        (["--data", "county.trig", "--store", "store"], "not with --store"),
        (["--data", "county.trig", "--endpoint", "http://127.0.0.1:9/q"], "not into an endpoint"),
    ],
)
def test_query_data_errors_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "county.trig").write_text(COUNTY, encoding="utf-8")
    code, _, err = kg("query", "standards", *extra)
    assert code == 2
    assert message in one_clean_line(err)
