"""A second notice joins the graph as its own named graph, and questions across time see both.

The provincial notice in tests/fixtures/ingest/standards.txt (written for the
tests) reports 2022 standards: 人均每月720元 (urban) and 每年6800元 (rural). It goes
the one road every new notice goes: `kg ingest` drafts its curation sheet, a
reviewer (here, the test) gives the English labels and marks it reviewed, and
`kg build` turns it into its named graph. Then `standards-over-time` answers with
the national 2020 figures from the ministry's notice and the 2022 ones from the
new notice, each with its own source.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import tomli_w
from click.testing import CliRunner

from kg.build import build_notice
from kg.catalogue import load
from kg.cli import main
from kg.dataset import load_store
from kg.namespaces import graph_iri
from kg.query import run_oxigraph
from kg.terms import to_quads

from .conftest import FIXTURES

PROVINCE = "某省民政厅召开全省民政工作会议"
MINISTRY = "民政部召开全国民政工作视频会议"


def _reviewed(path: Path) -> None:
    """The reviewer's part: English labels and titles, no review notes left."""
    sheet = tomllib.loads(path.read_text(encoding="utf-8"))
    sheet["document"].update(status="reviewed", title_en="Provincial civil-affairs conference")
    sheet["document"].pop("review")
    for row in sheet.get("indicator", []):
        row.update(label_en="proposed indicator")
        row.pop("review")
    for row in sheet.get("figure", []):
        row.pop("review", None)
        if row.get("kind") != "change" and not row["label_en"]:
            row["label_en"] = "figure"
    for key in ("task", "mention"):
        sheet.pop(key, None)
    path.write_text(tomli_w.dumps(sheet), encoding="utf-8")


def test_standards_over_time_answer_from_each_notice(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "ingest",
            str(FIXTURES / "ingest" / "standards.txt"),
            "--id",
            "province-2023-01-10",
            "--into",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.stderr
    sheet = tmp_path / "curation" / "province-2023-01-10.toml"
    _reviewed(sheet)
    store = load_store()
    store.extend(to_quads(build_notice(sheet), str(graph_iri("province-2023-01-10"))))
    query = load("standards-over-time")
    answer = run_oxigraph(query, query.bindings({"lang": "zh"}), store)
    rows = {
        (row["standard"].value, row["scope"].value, row["period"].value): (  # type: ignore[union-attr]
            Decimal(row["annual_value"].value),  # type: ignore[union-attr]
            row["source"].value,  # type: ignore[union-attr]
        )
        for row in answer.rows
    }
    assert rows[("低保标准", "城市", "2020年")] == (Decimal(7980), MINISTRY)  # 665 x 12
    assert rows[("低保标准", "农村", "2020年")] == (Decimal(5842), MINISTRY)
    assert rows[("低保标准", "城市", "2022年")] == (Decimal(8640), PROVINCE)  # 720 x 12
    assert rows[("低保标准", "农村", "2022年")] == (Decimal(6800), PROVINCE)
