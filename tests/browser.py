"""Headless Chromium for the tests and for the README's pictures.

Debian's ``chromium`` and ``chromium-driver`` packages, driven by Selenium
through the driver at ``/usr/bin/chromedriver`` (so Selenium never looks for
one on the network). Chromium runs with a fresh profile and without its
background network traffic, as a closed machine needs.

Run as a script, it redraws the pictures the README shows::

    python -m tests.browser docs/
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("MCA_KG_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("MCA_KG_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
PHONE = (390, 844)
DESKTOP = (1280, 900)


def missing() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if shutil.which(path) is None:
            return f"{path} is not installed (Debian: apt install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


@contextmanager
def chromium(size: tuple[int, int] = DESKTOP) -> Iterator[Any]:
    """A headless Chromium window of ``size``, closed (and its driver stopped) afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="mca-kg-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            driver.set_page_load_timeout(60)
            driver.set_window_size(*size)
            yield driver
        finally:
            driver.quit()


def screenshot(page: Path, target: Path, size: tuple[int, int], height: int) -> None:
    """A picture of the top ``height`` pixels of ``page`` at window width ``size[0]``."""
    with chromium((size[0], height)) as driver:
        driver.get(page.resolve().as_uri())
        driver.save_screenshot(str(target))


def main(argv: list[str]) -> int:
    """Redraw the report pictures the README shows into the directory ``argv[0]``."""
    from kg.report import build_report

    directory = Path(argv[0] if argv else "docs")
    with tempfile.TemporaryDirectory() as work:
        page = Path(work) / "report.html"
        page.write_text(build_report("en"), encoding="utf-8")
        screenshot(page, directory / "report.png", DESKTOP, 1500)
        page.write_text(build_report("zh"), encoding="utf-8")
        screenshot(page, directory / "report-phone.zh.png", PHONE, 1400)
    for name in ("report.png", "report-phone.zh.png"):
        print(f"wrote {directory / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
