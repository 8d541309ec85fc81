"""Apache Jena, a second and independent engine, agrees with rdflib, pySHACL and Oxigraph.

Jena's RIOT parses every Turtle file of the project without a warning, ARQ
answers every stored query as written down beside it, and Jena SHACL agrees
with kg's validation on the shipped data and on every shape fixture. Where the
engines disagree, a test below says which is right and why.

All of it runs in one JVM per test session (the ``jena`` fixture), since a JVM
costs about a second to start. The README's ``kg jena run`` blocks run as they
are, in a shell: the export loaded into TDB2 answers the README's question and a
few more through ``tdb2.tdbquery``, and every stored question through the runner.
Without Java or Jena the tests skip; CI sets ``MCA_KG_REQUIRE_JENA=1``, which makes
a missing Jena fail them instead.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, SH, BNode, Dataset, Graph, Literal

from kg import resources
from kg.catalogue import load, names
from kg.dataset import iter_graphs
from kg.jena import (
    TOOLS,
    JenaUnavailable,
    Results,
    locate,
    read_answer,
    run_jobs,
    tool_classpath,
)
from kg.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
from kg.query import Answer, answer_of, run_oxigraph, run_rdflib
from kg.shacl import Finding, Report, validate_graph
from kg.terms import show
from kg.turtle import parse_turtle

from .conftest import FIXTURES, TESTS
from .test_cli import kg, one_clean_line

SKIP_REASON = (
    "Apache Jena is not installed: apt-get install libapache-jena-java (Java 17+) "
    "to run these tests"
)
REQUIRE_JENA = os.environ.get("MCA_KG_REQUIRE_JENA") == "1"

ROOT = TESTS.parent
SHAPE_FIXTURES = FIXTURES / "shapes"
FAILING = sorted(SHAPE_FIXTURES.glob("*.fail.ttl"))
PASSING = sorted(SHAPE_FIXTURES.glob("*.pass.ttl"))
TURTLE = [
    *resources.ontology_files(),
    resources.shapes_file(),
    resources.reference_file(),
    *resources.notice_files(),
    *sorted(SHAPE_FIXTURES.glob("*.ttl")),
]
QUERIES = names()
DATA = "shipped data"

#: RIOT must warn about this, or the parse test proves nothing.
ILL_TYPED = """\
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
<http://example.org/s> <http://example.org/p> "1.8亿"^^xsd:decimal .
"""

#: Added to the BasePeriodShape fixture that passes, in place of year:2019: a base
#: period whose end is dated by a plain string, "2019-12-31", not an xsd:date. It
#: still ends before the reference period begins (2020-01-01).
STRING_DATE = """\
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

ex:year-2019
    a time:ProperInterval ;
    rdfs:label "2019"@en , "2019年"@zh ;
    time:hasBeginning ex:year-2019-beginning ;
    time:hasEnd ex:year-2019-end .

ex:year-2019-beginning a time:Instant ; time:inXSDDate "2019-01-01"^^xsd:date .

ex:year-2019-end a time:Instant ; time:inXSDDate "2019-12-31" .
"""

#: The comparison behind that finding, asked of each engine directly.
STRING_DATE_QUERY = """\
SELECT ?after WHERE { BIND ("2019-12-31" >= "2020-01-01"^^xsd:date AS ?after) }
"""

MCASH = "https://w3id.org/mca-kg/shapes#"
STRING_DATE_NS = "http://example.org/fixture/StringDate#"


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


@pytest.fixture(scope="session")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Files made for the tests that show where the engines differ."""
    folder = tmp_path_factory.mktemp("jena")
    passing = (SHAPE_FIXTURES / "BasePeriodShape.pass.ttl").read_text(encoding="utf-8")
    assert "sdmx-attribute:basePer year:2019 ;" in passing, "the fixture has changed"
    lines = [line for line in passing.splitlines() if not line.startswith("# ")]
    string_date = "\n".join(lines).replace("BasePeriodShape#", "StringDate#")
    string_date = string_date.replace("basePer year:2019", "basePer ex:year-2019")
    texts = {
        "ill-typed.ttl": ILL_TYPED,
        "string-date.ttl": f"{string_date}\n\n{STRING_DATE}",
        "string-date.rq": STRING_DATE_QUERY,
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return {name.replace(".", "-"): folder / name for name in texts}


def require_jena() -> None:
    """Skip without Java and Jena; fail instead in CI (MCA_KG_REQUIRE_JENA=1)."""
    try:
        locate()
    except JenaUnavailable as error:
        if REQUIRE_JENA:
            pytest.fail(f"MCA_KG_REQUIRE_JENA=1, but {error}", pytrace=False)
        pytest.skip(f"{SKIP_REASON} ({error.detail})")


@pytest.fixture(scope="session")
def jena(crafted: dict[str, Path]) -> Results:
    """Every Jena job of the session, run in one JVM."""
    require_jena()
    validations: dict[str, list[Path] | None] = {DATA: None}
    validations.update({path.name: [path] for path in [*FAILING, *PASSING]})
    validations["string-date"] = [crafted["string-date-ttl"]]
    return run_jobs(
        parse=[*TURTLE, crafted["ill-typed-ttl"]],
        queries=[*QUERIES, str(crafted["string-date-rq"])],
        validations=validations,
    )


@pytest.fixture(scope="session")
def ontology_and_reference() -> Graph:
    """What kg.shacl.data_graph puts beside the files it validates."""
    graph = Graph()
    for name, part in iter_graphs():
        if name in (ONTOLOGY_GRAPH, REFERENCE_GRAPH):
            graph += part
    return graph


Key = tuple[str, str, str, str | None]


def kg_report(base: Graph, path: Path, engine: str = "oxigraph") -> tuple[Report, Graph]:
    """kg's validation of a fixture: validate_graph on what data_graph([path]) holds."""
    graph = Graph()
    graph += base
    parse_turtle(path, graph)
    return validate_graph(graph, engine=engine), graph


def comparable(report: Report, graph: Graph | None = None) -> set[Key]:
    """(severity, shape, focus, path) of every finding both engines can name alike.

    A blank node has another label in each engine (Jena writes ``_:label``, kg the
    label of the node in ``graph``), and a path that is not a plain IRI is written
    differently: findings with either are left out.
    """
    blank = {str(node) for node in graph.all_nodes() if isinstance(node, BNode)} if graph else set()

    def named(finding: Finding) -> bool:
        if finding.focus.startswith("_:") or finding.focus in blank:
            return False
        path = finding.path
        return path is None or (":" in path and not path.startswith(("_:", "^", "(", "<")))

    return {finding.key() for finding in report.findings if named(finding)}


def describe(findings: set[Key]) -> str:
    return "\n".join(f"  {s} {shape} {focus} {path}" for s, shape, focus, path in sorted(findings))


# Parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", TURTLE, ids=relative)
def test_riot_parses_without_warnings(path: Path, jena: Results) -> None:
    problems = jena.problems[path.resolve()]
    assert problems == [], f"{relative(path)}:\n" + "\n".join(f"  {p}" for p in problems)
    oxigraph = set(ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    assert jena.triples[path.resolve()] == len(oxigraph), "RIOT and Oxigraph read alike"


def test_riot_warnings_are_caught(jena: Results, crafted: dict[str, Path]) -> None:
    """The parse test can fail: an ill-typed literal gives a warning."""
    problems = jena.problems[crafted["ill-typed-ttl"].resolve()]
    assert [p.severity for p in problems] == ["warning"]
    assert "1.8亿" in problems[0].message


def test_jena_logs_no_warning(jena: Results) -> None:
    assert jena.log == []


# Queries --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", QUERIES)
def test_jena_gives_the_expected_answer(name: str, jena: Results) -> None:
    answer = jena.answer(name)
    assert answer.variables == load(name).columns
    assert answer.normalised() == answer_of(name).normalised()


# SHACL ----------------------------------------------------------------------------------


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="Jena is wrong: Jena 4.5 (still in 6.0, apache/jena#3817) refuses a SPARQL "
    "constraint with more than one sh:message, but SHACL 1.0 section 5.2 lets it have "
    "several (one per language, section 2.1.5), as ontology/shapes.ttl does; pySHACL "
    "accepts them. Jena validates with one (English) message per SPARQL constraint.",
)
def test_jena_reads_the_shapes_as_they_are(jena: Results) -> None:
    assert jena.shapes_error is None


def test_jena_refuses_nothing_but_the_messages(jena: Results) -> None:
    """The only change Jena's validations need is that one (see the xfail above)."""
    assert jena.shapes_error is None or "shacl#message> ANY" in jena.shapes_error


def test_shipped_data_conforms_on_jena(jena: Results, graph: Graph) -> None:
    ours = validate_graph(graph)
    theirs = jena.report(DATA)
    assert theirs.conforms == ours.conforms is True
    assert comparable(theirs) == comparable(ours, graph)


@pytest.mark.parametrize("path", FAILING, ids=lambda p: p.name)
def test_jena_agrees_on_the_failing_fixture(
    path: Path, jena: Results, ontology_and_reference: Graph
) -> None:
    ours, graph = kg_report(ontology_and_reference, path)
    theirs = jena.report(path.name)
    assert theirs.conforms == ours.conforms
    only_ours, only_theirs = (
        comparable(ours, graph) - comparable(theirs),
        comparable(theirs) - comparable(ours, graph),
    )
    assert not (only_ours or only_theirs), (
        f"only kg:\n{describe(only_ours)}\nonly Jena:\n{describe(only_theirs)}"
    )


@pytest.mark.parametrize("path", PASSING, ids=lambda p: p.name)
def test_jena_finds_nothing_in_the_passing_fixture(path: Path, jena: Results) -> None:
    """kg finds nothing in them either (tests/test_shapes.py)."""
    assert jena.report(path.name).findings == []


def test_sh_conforms_counts_warnings_too(jena: Results) -> None:
    """SHACL's ``sh:conforms`` (1.0, section 3.6.1.1), which Jena reports, is false as soon
    as there is a result of any severity; so is kg's ``Report.conforms``. Only the exit
    code lets warnings pass (``Report.passes``)."""
    for key, report in jena.reports.items():
        assert jena.jena_conforms[key] == report.conforms == (report.findings == []), key
    warned = [k for k, r in jena.reports.items() if r.passes and r.findings]
    assert warned, "some fixture gives only warnings"


# Where rdflib is wrong: comparing a string with a date or a number ----------------------


def test_rdflib_compares_what_sparql_cannot(jena: Results, crafted: dict[str, Path]) -> None:
    """``"2019-12-31" >= "2020-01-01"^^xsd:date`` is a type error (SPARQL 1.1 section 17.3).

    SPARQL defines ``>=`` for two numbers, two strings, two booleans or two
    dates-with-time, not for a string and a date, so the comparison is an error and
    a FILTER on it keeps nothing (section 17.2). Jena and Oxigraph leave ``?after``
    unbound; rdflib 7.6 makes it true.
    """
    query = load(str(crafted["string-date-rq"]))
    assert jena.answer(str(query.path)).rows == [{"after": None}]
    assert run_oxigraph(query, {}, ox.Store()).rows == [{"after": None}]
    rdflib_says = run_rdflib(query, {}, Dataset()).rows
    assert [show(row["after"]) for row in rdflib_says] == ["true"]


@pytest.fixture(scope="session")
def string_date(
    jena: Results, crafted: dict[str, Path], ontology_and_reference: Graph
) -> dict[str, set[Key]]:
    """The findings of each engine for a base period whose end is dated by a string."""
    path = crafted["string-date-ttl"]
    return {
        "jena": comparable(jena.report("string-date")),
        "kg": comparable(*kg_report(ontology_and_reference, path)),
        "pyshacl": comparable(*kg_report(ontology_and_reference, path, "pyshacl")),
    }


BASE_PERIOD_FINDING = (
    "Violation",
    MCASH + "BasePeriodShape",
    STRING_DATE_NS + "dibao-standard-urban-growth",
    "http://purl.org/linked-data/sdmx/2009/attribute#basePer",
)


def test_a_string_date_breaks_only_the_instant_on_jena_and_kg(
    string_date: dict[str, set[Key]],
) -> None:
    """The instant dated by a string breaks InstantShape; BasePeriodShape must not fire.

    Jena and kg's default engine (SPARQL constraints in Oxigraph) agree.
    """
    assert string_date["jena"] == string_date["kg"]
    instant = STRING_DATE_NS + "year-2019-end"
    date = "http://www.w3.org/2006/time#inXSDDate"
    assert ("Violation", MCASH + "InstantShape", instant, date) in string_date["jena"]
    assert BASE_PERIOD_FINDING not in string_date["jena"]


def test_pyshacl_alone_differs_only_by_the_comparison(
    string_date: dict[str, set[Key]],
) -> None:
    """The known difference, and no other (the xfail below records who is right)."""
    assert string_date["pyshacl"] - string_date["jena"] == {BASE_PERIOD_FINDING}
    assert string_date["jena"] - string_date["pyshacl"] == set()


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="pySHACL is wrong: its SPARQL constraints run in rdflib 7.6, which makes "
    '"2019-12-31" >= "2020-01-01"^^xsd:date true instead of a type error (SPARQL 1.1 '
    "section 17.3), so mcash:BasePeriodShape reports a base period that ends before the "
    "reference period begins; Jena and kg's default engine (Oxigraph) rightly do not.",
)
def test_pyshacl_alone_agrees_on_a_string_date(
    string_date: dict[str, set[Key]],
) -> None:
    assert string_date["pyshacl"] == string_date["jena"]


# Jena's own tools, as the README shows them ---------------------------------------------

#: A block of the README that a test runs as it is follows this line.
TESTED = "<!-- tested: tests/test_jena.py runs this block as it is -->\n```sh\n(.*?)```"
#: Questions asked through the README's two query lines besides its own: a parameter of
#: type decimal, quotes with character offsets, and a count per named graph (GRAPH ?g).
MORE_QUESTIONS = ["standards-growth-above", "figure-quotes", "graph-contents"]


def readme_block(needle: str) -> str:
    """The README block that a test runs as it is and that holds ``needle``."""
    blocks = re.findall(TESTED, (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL)
    (block,) = [block for block in blocks if needle in block]
    return str(block)


def shell(script: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """``script`` in bash in ``folder``, as a user types it, this checkout's ``kg`` on PATH.

    Not in-process, unlike the other command-line tests: what is tested here is the
    shell text itself, and ``kg jena run`` hands the terminal to a JVM.
    """
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=folder,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, f"{script}\nexit code {done.returncode}:\n{done.stderr[-3000:]}"
    return done


def tsv_answer(name: str, output: str) -> Answer:
    """``tdb2.tdbquery --results=tsv``'s answer, without the parameters' columns."""
    bound = {param.name for param in load(name).params}
    return read_answer(output.encode("utf-8"), bound, ox.QueryResultsFormat.TSV)


@pytest.fixture(scope="module")
def readme_tdb2(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The README's TDB2 block run as it is: its folder, its query's name, its output."""
    require_jena()
    block = readme_block("tdb2.tdbloader")
    (name,) = re.findall(r"^kg query (\S+) --show > \1\.rq$", block, re.MULTILINE)
    folder = tmp_path_factory.mktemp("tdb2")
    return folder, name, shell(block, folder).stdout


def query_lines(name: str) -> str:
    """The README block's last two lines, which ask its question, for another question."""
    block = readme_block("tdb2.tdbloader")
    (asked,) = re.findall(r"^kg query (\S+) --show", block, re.MULTILINE)
    lines = block.strip().splitlines()[-2:]
    return "\n".join(re.sub(rf"\b{re.escape(asked)}\b", name, line) for line in lines)


def test_the_readme_block_loads_tdb2_and_answers(readme_tdb2: tuple[Path, str, str]) -> None:
    folder, name, output = readme_tdb2
    assert (folder / "db").is_dir()
    answer = tsv_answer(name, output)
    assert answer.variables == load(name).columns
    assert answer.normalised() == answer_of(name).normalised()


@pytest.mark.parametrize("name", MORE_QUESTIONS)
def test_the_readme_query_lines_answer_another_question(
    name: str, readme_tdb2: tuple[Path, str, str]
) -> None:
    folder, asked, _ = readme_tdb2
    assert name != asked
    answer = tsv_answer(name, shell(query_lines(name), folder).stdout)
    assert answer.variables == load(name).columns
    assert answer.normalised() == answer_of(name).normalised()


def test_without_the_union_tdb2_answers_from_the_empty_unnamed_graph(
    readme_tdb2: tuple[Path, str, str],
) -> None:
    """Why the README sets tdb:unionDefaultGraph, with ``java -cp "$(kg jena classpath)"``."""
    folder, name, _ = readme_tdb2
    line = query_lines(name).splitlines()[-1]
    assert " --set tdb:unionDefaultGraph=true" in line
    line = line.replace(" --set tdb:unionDefaultGraph=true", "")
    line = line.replace("kg jena run ", 'java -cp "$(kg jena classpath)" ', 1)
    assert line.startswith('java -cp "$(kg jena classpath)" tdb2.tdbquery --loc db ')
    answer = tsv_answer(name, shell(line, folder).stdout)
    assert answer.variables == load(name).columns
    assert answer.rows == []
    assert answer_of(name).rows, "the question has an answer with the union"


@pytest.fixture(scope="module")
def tdb2_answers(readme_tdb2: tuple[Path, str, str]) -> Results:
    """Every stored question on the README's TDB2 database, in one JVM (kg's runner)."""
    folder, _, _ = readme_tdb2
    return run_jobs(queries=QUERIES, tdb2=folder / "db")


@pytest.mark.parametrize("name", QUERIES)
def test_tdb2_gives_the_expected_answer(name: str, tdb2_answers: Results) -> None:
    answer = tdb2_answers.answer(name)
    assert answer.variables == load(name).columns
    assert answer.normalised() == answer_of(name).normalised()


def test_the_readme_shacl_block_conforms_on_jena(tmp_path: Path) -> None:
    """``kg jena run shacl validate`` on the export: no result of any severity."""
    require_jena()
    report = Graph().parse(
        data=shell(readme_block("shacl validate"), tmp_path).stdout, format="turtle"
    )
    assert set(report.objects(None, SH.conforms)) == {Literal(True)}
    assert not set(report.subjects(RDF.type, SH.ValidationResult))


@pytest.mark.parametrize("tool", TOOLS)
def test_every_tool_is_a_class_of_the_class_path(tool: str) -> None:
    """Each name ``kg jena run`` takes starts a class that Jena's jars hold."""
    require_jena()
    entry = TOOLS[tool].replace(".", "/") + ".class"
    jars = [Path(p) for p in tool_classpath().split(os.pathsep)]
    assert any(entry in zipfile.ZipFile(jar).namelist() for jar in jars if jar.is_file())


@pytest.mark.parametrize(
    ("args", "environment"),
    [
        (["jena", "classpath"], {"PATH": "/nonexistent", "JAVA_HOME": None}),
        (["jena", "run", "riot", "--version"], {"PATH": "/nonexistent", "JAVA_HOME": None}),
        (["jena", "classpath"], {"MCA_KG_JENA_CLASSPATH": "/nonexistent/jena-arq.jar"}),
        (["jena", "run", "tdb2.tdbloader"], {"MCA_KG_JENA_CLASSPATH": "/nonexistent/j.jar"}),
        (["jena", "run", "fuseki-server"], {}),
    ],
    ids=["no-java", "no-java-run", "no-jar", "no-jar-run", "unknown-tool"],
)
def test_kg_jena_says_what_is_missing_in_one_line(
    args: list[str], environment: dict[str, str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in environment.items():
        if value is None:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, value)
    code, out, err = kg(*args)
    assert (code, out) == (2, "")
    line = one_clean_line(err)
    assert line.startswith("kg: error: ")
    assert ("fuseki-server" if "fuseki" in " ".join(args) else "apt-get install") in line
