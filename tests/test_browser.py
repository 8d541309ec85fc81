"""The report and the docs as a person sees them: rendered in headless Chromium.

Skipped where Chromium is not installed, unless MCA_KG_REQUIRE_CHROMIUM=1 (CI
sets it, so there a missing browser fails instead of skipping).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.docs import write_docs
from kg.report import build_report
from tests import browser

_why = browser.missing()
if _why and os.environ.get("MCA_KG_REQUIRE_CHROMIUM") == "1":
    raise RuntimeError(f"MCA_KG_REQUIRE_CHROMIUM=1 but {_why}")
pytestmark = pytest.mark.skipif(_why is not None, reason=_why or "")

# Each chart's bars as (value shown, bar width, track width), read off the rendered page.
BARS = """
return Array.from(document.querySelectorAll('figure.chart')).map(chart =>
  Array.from(chart.querySelectorAll('.bar-row')).map(row => [
    row.querySelector('.bar-value').textContent.trim(),
    row.querySelector('.bar').getBoundingClientRect().width,
    row.querySelector('.bar-track').getBoundingClientRect().width,
  ]));
"""
OVERFLOW = "return [document.documentElement.scrollWidth, window.innerWidth];"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("pages")
    paths = {}
    for lang in ("en", "zh"):
        paths[lang] = directory / f"report.{lang}.html"
        paths[lang].write_text(build_report(lang), encoding="utf-8")
    write_docs(directory / "site")
    paths["docs"] = directory / "site" / "index.html"
    paths["docs.zh"] = directory / "site" / "index.zh.html"
    paths["ontology"] = directory / "site" / "ontology.en.html"
    paths["ontology.zh"] = directory / "site" / "ontology.zh.html"
    return paths


@pytest.fixture(scope="module")
def desktop() -> Iterator[Any]:
    with browser.chromium(browser.DESKTOP) as driver:
        yield driver


@pytest.fixture(scope="module")
def phone() -> Iterator[Any]:
    with browser.chromium(browser.PHONE) as driver:
        yield driver


def _named_shapes() -> set[Any]:
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    from kg import resources
    from kg.namespaces import SH

    shapes = Graph().parse(resources.shapes_file())
    return {
        s
        for kind in (SH.NodeShape, SH.PropertyShape)
        for s in shapes.subjects(RDF.type, kind)
        if isinstance(s, URIRef)
    }


def _amount(shown: str) -> float:
    """The first number a bar shows: 7,980 of "7,980 (665 × 12)", 1936万 as 19,360,000."""
    match = re.search(r"(\d[\d,]*(?:\.\d+)?)(万|亿)?", shown)
    assert match, shown
    scale = {"万": 10**4, "亿": 10**8}.get(match.group(2) or "", 1)
    return float(match.group(1).replace(",", "")) * scale


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_charts_are_drawn_to_scale(
    desktop: Any, pages: dict[str, Path], lang: str, tmp_path: Path
) -> None:
    desktop.get(pages[lang].as_uri())
    charts = desktop.execute_script(BARS)
    # standards (dibao, tekun), their growth, beneficiaries, tasks by area and by group
    assert len(charts) == 6
    for bars in charts:
        assert len(bars) >= 2
        top = max(_amount(shown) for shown, _w, _t in bars)
        widest = max(width for _s, width, _t in bars)
        for shown, width, track in bars:
            assert 0 < width < track
            # every bar is its value's share of the largest, to a pixel
            assert width == pytest.approx(widest * _amount(shown) / top, abs=1.5), shown
    shot = tmp_path / f"report.{lang}.png"
    assert desktop.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_tables_are_there(desktop: Any, pages: dict[str, Path]) -> None:
    desktop.get(pages["en"].as_uri())
    rows = desktop.execute_script(
        "return Array.from(document.querySelectorAll('table.data')).map(t => t.rows.length);"
    )
    # standards, other figures, people, participants, awards, checks, corrected readings
    assert len(rows) == 7
    assert all(n >= 3 for n in rows)  # a header and at least two rows each


@pytest.mark.parametrize(("lang", "text"), [("en", "665"), ("zh", "665"), ("en", "12,989")])
def test_a_number_opens_its_words_highlighted(
    desktop: Any, pages: dict[str, Path], lang: str, text: str
) -> None:
    from selenium.webdriver.common.by import By

    desktop.get(pages[lang].as_uri())
    link = desktop.find_element(By.XPATH, f"//table//a[@class='num' and text()='{text}']")
    link.click()
    target = desktop.execute_script("return document.querySelector(':target');")
    assert target is not None and target.tag_name == "mark"
    # 城乡低保标准分别达到人均每月665元; 帮助12989人成功寻亲
    assert target.text == {"665": "665元", "12,989": "12989人"}[text]
    sentence = target.find_element(By.XPATH, "ancestor::li[1]")
    assert {"665": "城乡低保标准分别达到人均每月", "12,989": "成功寻亲"}[text] in sentence.text
    colours = desktop.execute_script(
        "return [getComputedStyle(arguments[0]).backgroundColor,"
        " getComputedStyle(arguments[1]).backgroundColor,"
        " getComputedStyle(arguments[1]).outlineStyle];",
        sentence,
        target,
    )
    assert colours[0] == "rgb(255, 248, 225)"  # the sentence of the :target
    assert colours[2] == "solid"  # and the words themselves, outlined
    top = desktop.execute_script("return arguments[0].getBoundingClientRect().top;", target)
    assert 0 < top < browser.DESKTOP[1] / 2  # scrolled into view, below a margin
    # ↩ goes back to the section the number came from
    back = sentence.find_element(By.CSS_SELECTOR, "a.back")
    assert back.get_attribute("href").endswith(("#standards", "#counts"))


@pytest.mark.parametrize("page", ["en", "zh", "docs", "docs.zh", "ontology", "ontology.zh"])
def test_a_phone_reads_it_without_scrolling_sideways(
    phone: Any, pages: dict[str, Path], page: str
) -> None:
    phone.get(pages[page].as_uri())
    width, window = phone.execute_script(OVERFLOW)
    assert width <= window
    # nothing is cut off, outside the tables and code blocks that scroll on purpose
    clipped = phone.execute_script(
        "return Array.from(document.querySelectorAll('.bar-label, h1, h2, h3, td, p, li'))"
        ".filter(e => !e.closest('.table-wrap, pre') && e.scrollWidth > e.clientWidth + 1)"
        ".map(e => e.tagName + ': ' + e.textContent.slice(0, 40));"
    )
    assert clipped == []


@pytest.mark.parametrize("page", ["en", "zh"])
def test_the_report_tables_fit_a_phone(phone: Any, pages: dict[str, Path], page: str) -> None:
    """The report's tables are read on a phone as they are, without scrolling inside them."""
    phone.get(pages[page].as_uri())
    wide = phone.execute_script(
        "return Array.from(document.querySelectorAll('.table-wrap'))"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).length;"
    )
    tables = phone.execute_script("return document.querySelectorAll('.table-wrap').length;")
    assert tables == 7 and wide == 0


def test_the_pylode_contents_leave_the_text_alone_on_a_phone(
    phone: Any, pages: dict[str, Path]
) -> None:
    phone.get(pages["ontology"].as_uri())
    position = phone.execute_script(
        "return getComputedStyle(document.getElementById('toc')).position;"
    )
    assert position == "static"  # not fixed over the text


def test_the_phone_report_keeps_its_charts(phone: Any, pages: dict[str, Path]) -> None:
    phone.get(pages["zh"].as_uri())
    charts = phone.execute_script(BARS)
    assert len(charts) == 6
    assert all(width > 0 for bars in charts for _s, width, _t in bars)


def test_the_docs_show_the_diagram(desktop: Any, pages: dict[str, Path]) -> None:
    desktop.get(pages["docs"].as_uri())
    width = desktop.execute_script("return document.querySelector('.diagram img').naturalWidth;")
    assert width > 500
    shapes = desktop.execute_script("return document.querySelectorAll('article.shape').length;")
    assert shapes == len(_named_shapes())


def test_the_pylode_page_renders(desktop: Any, pages: dict[str, Path]) -> None:
    desktop.get(pages["ontology"].as_uri())
    title = desktop.execute_script("return document.querySelector('h1').textContent;")
    assert "mca-kg" in title
    classes = desktop.execute_script(
        "return document.querySelectorAll('#classes .property, #classes .entity').length;"
    )
    assert classes >= 31


# YASGUI's editor and its results table, on Oxigraph's query page.
EDITOR = "return document.querySelector('.yasqe .CodeMirror').CodeMirror.getValue();"
RESULT_ROWS = "return document.querySelectorAll('.yasr table.dataTable tbody tr').length;"


def test_a_question_opens_in_the_served_query_page_in_one_click(tmp_path: Path) -> None:
    """From the docs page, one click opens a running server's query page with the question
    filled in, and the page runs it: its rows show with no second click.

    YASGUI runs the query of a shared link (``#query=…``) as it opens, and its run button
    aborts a query in flight, so pressing it here would race the page's own run.
    """
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from kg.catalogue import load
    from kg.query import answer_of
    from kg.server import ServerError, oxigraph_binary, served

    try:
        oxigraph_binary()
    except ServerError as error:
        pytest.skip(str(error))
    name = "standards"
    with served(tmp_path / "store") as server, browser.chromium(browser.DESKTOP) as driver:
        write_docs(tmp_path / "site", query_page=f"{server.url}/")
        driver.get((tmp_path / "site" / "index.html").as_uri())
        driver.find_element(By.CSS_SELECTOR, f"#query-{name} a.query-link").click()
        wait = WebDriverWait(driver, 30)  # bounded: fails after 30 s, asserts nothing on time
        wait.until(lambda d: d.execute_script(RESULT_ROWS) > 0)
        assert driver.execute_script(EDITOR) == load(name).text
        assert driver.execute_script(RESULT_ROWS) == len(answer_of(name).rows)
    assert server.process.poll() is not None  # stopped by its process id
