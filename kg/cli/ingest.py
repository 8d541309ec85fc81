"""``kg ingest``: a published document to a draft curation sheet, rule-based and offline."""

from __future__ import annotations

import re
from pathlib import Path

import click

from kg import resources
from kg.cli.options import write_output
from kg.errors import InputError
from kg.ingest.figures import Extraction
from kg.ingest.notice import NoticeParts


def draft_id(path: Path, doc_id: str | None = None) -> str:
    """The id that names the sheet and its IRIs: letters, digits, ``.``, ``_`` and ``-``.

    >>> draft_id(Path("省 通知.txt"))
    'draft-省-通知'
    """
    if doc_id is None:
        return "draft-" + (re.sub(r"[^\w.-]+", "-", path.stem).strip("-") or "document")
    if not re.fullmatch(r"\w[\w.-]*", doc_id):
        raise InputError(f"--id {doc_id!r}: use letters, digits, '.', '_' and '-' only")
    return doc_id


def _default_dir() -> Path:
    """The project's data/ in a checkout; the working folder when kg runs from a wheel."""
    data = resources.data_dir()
    return data if (data.parent / "pyproject.toml").is_file() else Path.cwd()


def _write_new(path: Path, data: bytes, force: bool) -> None:
    """Write a file, refusing to replace a different one unless ``force``."""
    if path.is_symlink() and not force:
        raise InputError(f"{path}: a symbolic link; give --force to write through it")
    if path.exists() and not force:
        if path.is_file() and path.read_bytes() == data:
            return
        raise InputError(f"{path}: exists and differs; give --force to replace it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as error:
        raise InputError(f"{path}: cannot write: {error.strerror or error}") from error


@click.command("ingest")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--id", "doc_id", default=None, help="Notice id for the sheet and IRIs  [default: draft-STEM]."
)
@click.option(
    "--year",
    type=click.IntRange(1900, 2100),
    default=None,
    help="The document's year (else read from its title).",
)
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for curation/ID.toml and source/ID.txt  [default: the project's data/].",
)
@click.option("-o", "--output", default=None, help="Write the sheet here instead (- for stdout).")
@click.option("--force", is_flag=True, help="Replace a sheet or source text that differs.")
@click.option("-v", "--verbose", is_flag=True, help="List every row that needs review on stderr.")
@click.option(
    "--evaluate",
    is_flag=True,
    help="Compare with the reviewed sheet of the same text (in-sample) and write the evaluation.",
)
@click.option(
    "--evaluation-output",
    default="docs/ingest-notice-evaluation.md",
    show_default=True,
    help="Where --evaluate writes its Markdown.",
)
def command(
    file: Path,
    doc_id: str | None,
    year: int | None,
    into: Path | None,
    output: str | None,
    force: bool,
    verbose: bool,
    evaluate: bool,
    evaluation_output: str,
) -> None:
    """Read FILE (text, Markdown, Word, HTML or PDF) into a DRAFT curation sheet.

    Every figure (value with 万 and 亿 expanded, unit, what it counts, period, the
    level a change is of), every numbered task and every agency and person named
    is a row with its exact quote and offsets; a `review` key says where the rules
    were unsure. The text the offsets index is written beside the sheet
    (source/ID.txt): keep the two together. Review the sheet, then `kg build`.
    """
    from kg.cli.options import refuse_project_path
    from kg.ingest import extract_document, read_document
    from kg.ingest.notice import extract_notice
    from kg.ingest.sheet import review_count, sheet_data, sheet_toml

    if output and output != "-":
        refuse_project_path(Path(output))
    doc = read_document(file)
    found = extract_document(doc, year)
    parts = extract_notice(doc.text, found.year)
    if evaluate:
        _evaluate(file, found, parts, evaluation_output)
        return
    name = draft_id(file, doc_id)
    source_name = f"{name}.txt"
    sheet = sheet_data(doc, found, name, source_name, parts)
    toml = sheet_toml(sheet).encode("utf-8")
    folder = into if into is not None else _default_dir()
    source = folder / "source" / source_name
    _write_new(source, doc.text.encode("utf-8"), force)
    if output == "-":
        write_output(toml, "-")
        sheet_path = "stdout"
    else:
        path = Path(output) if output else folder / "curation" / f"{name}.toml"
        _write_new(path, toml, force)
        sheet_path = str(path)
    levels = sum(1 for f in found.figures if f.kind == "level")
    changes = len(found.figures) - levels
    tables = sum(1 for f in found.figures if f.in_table)
    rows = review_count(sheet)
    if not found.figures:
        click.echo(f"{file}: no figure found; the sheet has no figure rows", err=True)
    click.echo(
        f"sheet: {sheet_path}: {levels} levels and {changes} changes ({tables} from tables), "
        f"{len(sheet.get('indicator', []))} proposed indicators, {len(found.review)} items kept "
        f"for review, {len(parts.tasks)} key tasks; {rows} rows to review",
        err=True,
    )
    click.echo(
        f"text: {source} (the offsets of the sheet index this text: keep it beside the sheet)",
        err=True,
    )
    click.echo(
        'next: review the sheet, set status = "reviewed", then kg build '
        "(kg build --draft SHEET shows its Turtle and what the shapes say now)",
        err=True,
    )
    if verbose:
        for key in ("figure", "indicator", "task", "mention"):
            for row in sheet.get(key, []):
                if "review" in row:
                    click.echo(
                        f"  {key} {row.get('id', row.get('quote', ''))}: {row['review']}", err=True
                    )
        for item in sheet.get("review", []):
            click.echo(f"  review item at {item['start']}: {item['note']}", err=True)


def _evaluate(file: Path, found: Extraction, parts: NoticeParts, evaluation_output: str) -> None:
    from kg.ingest.evaluate import evaluate, evaluation_markdown, sheet_for

    sheet, notice = sheet_for(file)
    scores = evaluate(found, parts, sheet, notice)
    text = evaluation_markdown(scores, file.name, sheet.name)
    write_output(text.encode("utf-8"), evaluation_output)
    for s in scores:
        click.echo(
            f"{s.kind}: precision {s.precision:.3f}, recall {s.recall:.3f}, F1 {s.f1:.3f}"
            f" ({s.correct} of {s.extracted} extracted, {s.gold} curated)",
            err=True,
        )
    if evaluation_output != "-":
        click.echo(f"wrote: {evaluation_output}", err=True)
