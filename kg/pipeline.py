"""Building and formatting the project's Turtle files.

>>> build_all(write=False)
[]
"""

from __future__ import annotations

from pathlib import Path

from kg import resources
from kg.build import build_notice, is_draft, load_sheet, notice_output_path
from kg.turtle import canonical_turtle, parse_turtle


def build_all(write: bool = True) -> list[Path]:
    """Build every notice; return the Turtle files that differ from what the sheets give.

    With ``write`` the differing files are rewritten; without, nothing is written.
    """
    changed = []
    for sheet in resources.curation_files():
        if is_draft(load_sheet(sheet)):
            continue  # a draft from kg ingest: built only once a person has reviewed it
        path = notice_output_path(sheet)
        text = canonical_turtle(build_notice(sheet))
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            changed.append(path)
            if write:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    return changed


def formatted_files() -> list[Path]:
    """The hand-written Turtle files kept in the house style (not the pinned vendor files)."""
    folder = resources.ontology_dir()
    return [
        folder / "mca-kg.ttl",
        folder / "concepts.ttl",
        folder / "units.ttl",
        folder / "lexicon.ttl",
        resources.shapes_file(),
        resources.reference_file(),
    ]


def format_all(write: bool = True) -> list[Path]:
    """Rewrite hand-written Turtle in the house style; return the files that were not in it."""
    changed = []
    for path in formatted_files():
        text = canonical_turtle(parse_turtle(path))
        if path.read_text(encoding="utf-8") != text:
            changed.append(path)
            if write:
                path.write_text(text, encoding="utf-8")
    return changed
