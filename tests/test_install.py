"""An installed wheel (not the source checkout) finds its ontology, shapes, data and queries."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = wheels.glob("mca_kg-*.whl")
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(installed)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    script = (
        "import kg, kg.resources as r;"
        f"assert kg.__file__.startswith({str(installed)!r}), kg.__file__;"
        "assert r.root() == r._PACKAGE / '_data', r.root();"
        "from kg.shacl import validate; assert validate().conforms;"
        "from kg.report import build_report; assert '>665元</mark>' in build_report();"
        f"from kg.docs import write_docs; write_docs(__import__('pathlib').Path({str(outside)!r}));"
        "from kg.query import run; print(len(run('standards').rows))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=outside,
        check=True,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(installed)},
    )
    assert result.stdout.strip() == "8"
    assert (outside / "index.zh.html").is_file()  # templates and queries ship in the wheel
