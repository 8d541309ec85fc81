"""A second notice joins the graph as its own named graph, and questions across time see both.

The provincial notice in tests/fixtures/ingest/standards.txt (written for the
tests) reports 2022 standards: 人均每月720元 (urban) and 每年6800元 (rural). Once
ingested, `standards-over-time` answers with the national 2020 figures from the
ministry's notice and the 2022 ones from the new notice, each with its own source.
"""

from __future__ import annotations

from decimal import Decimal

from kg.catalogue import load
from kg.dataset import load_store
from kg.ingest import ingest
from kg.namespaces import graph_iri
from kg.query import run_oxigraph
from kg.terms import to_quads

from .conftest import FIXTURES

PROVINCE = "某省民政厅召开全省民政工作会议"
MINISTRY = "民政部召开全国民政工作视频会议"


def test_standards_over_time_answer_from_each_notice() -> None:
    store = load_store()
    _, draft = ingest(FIXTURES / "ingest" / "standards.txt", doc_id="province-2023-01-10")
    store.extend(to_quads(draft, str(graph_iri("province-2023-01-10"))))
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
