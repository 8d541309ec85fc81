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
    paths["ontology"] = directory / "site" / "ontology.en.html"
    return paths


@pytest.fixture(scope="module")
def desktop() -> Iterator[Any]:
    with browser.chromium(browser.DESKTOP) as driver:
        yield driver


@pytest.fixture(scope="module")
def phone() -> Iterator[Any]:
    with browser.chromium(browser.PHONE) as driver:
        yield driver


def _amount(shown: str) -> float:
    match = re.search(r"\d[\d,]*(\.\d+)?", shown)
    assert match, shown
    return float(match.group(0).replace(",", ""))


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


def test_a_number_opens_its_words_highlighted(desktop: Any, pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By

    desktop.get(pages["en"].as_uri())
    link = desktop.find_element(By.XPATH, "//table//a[@class='num' and text()='665']")
    link.click()
    target = desktop.execute_script("return document.querySelector(':target');")
    assert target is not None
    assert target.find_element(By.TAG_NAME, "mark").text == "665元"
    assert "城乡低保标准分别达到人均每月" in target.text
    colour = desktop.execute_script(
        "return getComputedStyle(arguments[0]).backgroundColor;", target
    )
    assert colour == "rgb(255, 248, 225)"  # the :target highlight
    top = desktop.execute_script("return arguments[0].getBoundingClientRect().top;", target)
    assert 0 < top < browser.DESKTOP[1] / 2  # scrolled into view, below a margin


@pytest.mark.parametrize("page", ["en", "zh", "docs"])
def test_a_phone_reads_it_without_scrolling_sideways(
    phone: Any, pages: dict[str, Path], page: str
) -> None:
    phone.get(pages[page].as_uri())
    width, window = phone.execute_script(OVERFLOW)
    assert width <= window
    clipped = phone.execute_script(
        "return Array.from(document.querySelectorAll('.bar-label, h1, h2, td'))"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).length;"
    )
    assert clipped == 0


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
    assert shapes == 32


def test_the_pylode_page_renders(desktop: Any, pages: dict[str, Path]) -> None:
    desktop.get(pages["ontology"].as_uri())
    title = desktop.execute_script("return document.querySelector('h1').textContent;")
    assert "mca-kg" in title
    classes = desktop.execute_script(
        "return document.querySelectorAll('#classes .property, #classes .entity').length;"
    )
    assert classes >= 31
