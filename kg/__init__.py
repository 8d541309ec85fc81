"""mca-kg: the knowledge graph of Chinese social-assistance policy, as a Python library.

Everything the ``kg`` command does is a function here (imported on first use, so
that ``import kg`` stays fast):

>>> from kg import run, validate
>>> validate().conforms
True
>>> [row["value"].value for row in run("standards", {"lang": "zh"}).rows][:2]
['5842', '8230']
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "build_notice": "kg.build",
    "build_all": "kg.pipeline",
    "load_dataset": "kg.dataset",
    "load_store": "kg.dataset",
    "validate": "kg.shacl",
    "validate_graph": "kg.shacl",
    "run": "kg.query",
    "all_queries": "kg.catalogue",
    "export": "kg.dump",
    "stats": "kg.counts",
}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
