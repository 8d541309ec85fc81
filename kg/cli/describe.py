"""``kg describe``: the dataset's VoID and DCAT description."""

from __future__ import annotations

from urllib.parse import urlsplit

import click

from kg.cli.options import output_option, write_output
from kg.describe import DOWNLOAD_BASE, describe
from kg.errors import InputError
from kg.remote import EndpointError, check_endpoint, redact
from kg.turtle import canonical_turtle


@click.command("describe")
@click.option(
    "--endpoint",
    metavar="URL",
    default=None,
    help="Name this SPARQL endpoint as the one that serves the data.",
)
@click.option(
    "--download-base",
    metavar="URL",
    default=DOWNLOAD_BASE,
    show_default=True,
    help="Where the files of `kg export` are published, as mca-kg.ttl, mca-kg.nq and so on.",
)
@output_option
def command(endpoint: str | None, download_base: str, output: str) -> None:
    """Describe the dataset in VoID and DCAT-AP 3.0 (title, licence, publisher, dates,
    distributions with download URLs, triple counts, examples)."""
    try:
        base = check_endpoint(download_base).rstrip("/") + "/"
    except EndpointError as error:
        raise InputError(f"--download-base: not an http(s) URL: {download_base!r}") from error
    if endpoint is not None:
        check_endpoint(endpoint)
        parts = urlsplit(endpoint)
        if parts.password is not None or parts.query:
            raise InputError(
                f"--endpoint {redact(endpoint)}: the description is published; give the "
                "endpoint's public URL, without a password or a query string"
            )
    write_output(canonical_turtle(describe(endpoint, base)).encode("utf-8"), output)
