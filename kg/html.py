"""HTML pages from the Jinja templates of ``kg/templates``, their style sheet inlined.

Autoescaping is on for every template: labels, quotes and SPARQL text from the
graph are text, never markup.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("kg", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: Any) -> str:
    """Render ``template`` with ``context``; ``css`` is the shared style sheet."""
    css = files("kg").joinpath("templates", "style.css").read_text(encoding="utf-8")
    return environment().get_template(template).render(css=css, **context)
