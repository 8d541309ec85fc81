"""``kg shapes``: the SHACL shapes in a form Apache Jena and TopBraid accept."""

from __future__ import annotations

import click

from kg.cli.options import lang_option, output_option, write_output
from kg.portable import single_language_shapes


@click.command("shapes")
@lang_option
@output_option
def command(lang: str, output: str) -> None:
    """Write the shapes with one message per SPARQL constraint, in one language.

    ontology/shapes.ttl gives each message in English and Chinese, as SHACL allows;
    Jena's SHACL refuses a SPARQL constraint with more than one (apache/jena#3817).
    Everything else is the same. Example: kg shapes -o shapes.en.ttl
    """
    write_output(single_language_shapes(lang).encode("utf-8"), output)
