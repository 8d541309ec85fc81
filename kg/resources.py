"""Where the ontology, shapes, data and queries are, in a checkout or an installed wheel.

A source checkout keeps them at the top level (``ontology/``, ``data/``,
``queries/``); a wheel carries the same folders inside the package, under
``kg/_data/`` (see ``[tool.hatch.build.targets.wheel.force-include]``).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def root() -> Path:
    """The folder that holds ``ontology/``, ``data/`` and ``queries/``."""
    installed = _PACKAGE / "_data"
    if (installed / "ontology").is_dir():
        return installed
    return _PACKAGE.parent


def ontology_dir() -> Path:
    return root() / "ontology"


def data_dir() -> Path:
    return root() / "data"


def queries_dir() -> Path:
    return root() / "queries"


def ontology_files() -> list[Path]:
    """The Turtle of the ontology graph: classes, properties, concepts, units, vendor terms."""
    folder = ontology_dir()
    files = [
        folder / "mca-kg.ttl",
        folder / "concepts.ttl",
        folder / "units.ttl",
        folder / "lexicon.ttl",
    ]
    return files + sorted((folder / "vendor").glob("*.ttl"))


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"


def reference_file() -> Path:
    return data_dir() / "reference.ttl"


def notice_files() -> list[Path]:
    """One Turtle file per notice, each its own named graph."""
    return sorted((data_dir() / "notices").glob("*.ttl"))


def curation_files() -> list[Path]:
    return sorted((data_dir() / "curation").glob("*.toml"))


def source_text_path(name: str) -> Path:
    return data_dir() / "source" / name
