"""Read a published document into one text and its tables, with offsets into that text.

Every format becomes one Python string (the text that is shipped beside the
curation sheet, so that every offset stays checkable) and a list of
:class:`Table` whose cells are spans of that string:

* ``.txt`` and ``.md``: the decoded text, unchanged. UTF-8 (with or without a
  byte-order mark), UTF-16 with a byte-order mark, and GB18030 (which covers GBK
  and GB2312) are recognised; anything else is refused in one line. Markdown
  pipe tables are found in the text.
* ``.docx`` (python-docx): paragraphs one per line in document order, text boxes
  after the paragraph that anchors them, and each table one row per line with
  its cells separated by a tab. A cell merged over several columns is written
  once; a cell continuing a vertical merge is written empty.
* ``.html`` (BeautifulSoup with lxml): block elements one per line, tables as
  for Word.
* ``.pdf`` (pdfminer.six): the text layer as the PDF lays it out. A PDF with no
  text layer (a scan) is refused.

Old ``.doc`` files, encrypted or broken ``.docx``, empty and binary files end in
one :class:`~kg.errors.InputError` line, and nothing is written.

>>> text = "单位：万人\\n| 地区 | 人口 |\\n| --- | --- |\\n| 甲 | 12.5 |\\n"
>>> doc = read_bytes(text.encode(), "t.md")
>>> [(c.text, c.row, c.col) for c in doc.tables[0].cells]
[('地区', 0, 0), ('人口', 0, 1), ('甲', 1, 0), ('12.5', 1, 1)]
"""

from __future__ import annotations

import codecs
import hashlib
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError

#: Formats by file suffix.
FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}


@dataclass
class Cell:
    start: int
    end: int
    text: str
    row: int
    col: int
    colspan: int = 1


@dataclass
class Table:
    """A table of the document: cells with their grid position and their span of the text."""

    start: int
    end: int
    cells: list[Cell] = field(default_factory=list)
    caption: str = ""  # the line before the table (表1 …（单位：万元）), if any

    @property
    def rows(self) -> list[list[Cell]]:
        rows: dict[int, list[Cell]] = {}
        for cell in self.cells:
            rows.setdefault(cell.row, []).append(cell)
        return [sorted(rows[r], key=lambda c: c.col) for r in sorted(rows)]


@dataclass
class SourceDocument:
    """A document as text: what the offsets of its curation sheet index."""

    text: str
    format: str
    name: str
    sha256: str  # of the file's bytes
    tables: list[Table] = field(default_factory=list)

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ plain text


def decode(data: bytes, name: str) -> str:
    """Text from bytes in UTF-8, UTF-16 (with a BOM) or GB18030; one line if none fits.

    >>> decode("民政".encode("gb18030"), "a.txt")
    '民政'
    >>> decode(codecs.BOM_UTF8 + "民政".encode(), "a.txt")
    '民政'
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InputError(f"{name}: broken UTF-16 text ({error.reason})") from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and _looks_chinese(text):
        return text
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    guess = f" (it looks like {best.encoding})" if best is not None else ""
    raise InputError(f"{name}: not text in UTF-8, UTF-16 or GB18030{guess}: convert it to UTF-8")


def _looks_chinese(text: str) -> bool:
    """Whether decoded text reads as Chinese: mostly CJK characters and common punctuation."""
    letters = [c for c in text if not c.isspace()]
    if not letters:
        return False
    cjk = sum(1 for c in letters if "\u4e00" <= c <= "\u9fff" or c in "，。、；：“”（）《》")
    ascii_ = sum(1 for c in letters if c.isascii())
    return (cjk + ascii_) / len(letters) > 0.9 and cjk > 0


_PIPE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.MULTILINE)
_PIPE_RULE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*:?-*:?[ \t]*$")


def markdown_tables(text: str) -> list[Table]:
    """Pipe tables of a Markdown text, their cells as spans of it."""
    tables: list[Table] = []
    current: Table | None = None
    row = 0
    for match in re.finditer(r"^[^\n]*$", text, re.MULTILINE):
        line = match.group()
        if not _PIPE_ROW.fullmatch(line):
            current = None
            continue
        if _PIPE_RULE.fullmatch(line):
            continue
        if current is None:
            current = Table(
                match.start(), match.end(), caption=_caption_before(text, match.start())
            )
            tables.append(current)
            row = 0
        current.end = match.end()
        bars = [m.start() for m in re.finditer(r"\|", line)]
        for col, (a, b) in enumerate(itertools.pairwise(bars)):
            start, end = match.start() + a + 1, match.start() + b
            while start < end and text[start] in " \t":
                start += 1
            while end > start and text[end - 1] in " \t":
                end -= 1
            current.cells.append(Cell(start, end, text[start:end], row, col))
        row += 1
    return [t for t in tables if len(t.rows) >= 2]


def _caption_before(text: str, start: int) -> str:
    """The last non-empty line before ``start`` (a table's caption), at most 80 characters."""
    before = text[:start].rstrip("\n").rsplit("\n", 1)[-1].strip()
    return before if len(before) <= 80 else ""


# ------------------------------------------------------------------ writer for structured formats


class _TextWriter:
    """Builds the text of a structured document, line by line, with its tables."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.tables: list[Table] = []
        self.last_line = ""

    def line(self, text: str) -> None:
        text = text.replace("\r", "")
        self.parts.append(text + "\n")
        self.length += len(text) + 1
        if text.strip():
            self.last_line = text.strip()

    def table(self, rows: list[list[tuple[str, int]]]) -> None:
        """Rows of (cell text, column span); written one row per line, cells tab-separated."""
        rows = [r for r in rows if any(t.strip() for t, _ in r)]
        if not rows:
            return
        caption = self.last_line if len(self.last_line) <= 80 else ""
        table = Table(self.length, self.length, caption=caption)
        for r, row in enumerate(rows):
            col = 0
            pieces = []
            offset = self.length
            for c, (raw, span) in enumerate(row):
                cell_text = " ".join(raw.split())
                if c:
                    pieces.append("\t")
                    offset += 1
                pieces.append(cell_text)
                if cell_text:
                    table.cells.append(
                        Cell(offset, offset + len(cell_text), cell_text, r, col, span)
                    )
                offset += len(cell_text)
                col += span
            self.line("".join(pieces))
        table.end = self.length - 1
        self.tables.append(table)
        self.line("")

    def text(self) -> str:
        return "".join(self.parts)


# ------------------------------------------------------------------ Word


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def _docx(data: bytes, name: str) -> tuple[str, list[Table]]:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            f"{name}: an old Word .doc or an encrypted .docx (OLE container); "
            "save it as .docx without a password"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise InputError(f"{name}: not a Word document (no word/document.xml)")
    except zipfile.BadZipFile as error:
        raise InputError(f"{name}: not a readable .docx (broken ZIP: {error})") from error
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on broken packages
        raise InputError(f"{name}: not a readable .docx ({type(error).__name__})") from error
    writer = _TextWriter()
    _docx_blocks(document.element.body, writer)
    return writer.text(), writer.tables


def _docx_blocks(container: object, writer: _TextWriter) -> None:
    for child in container:  # type: ignore[attr-defined]
        tag = child.tag
        if tag == _W + "p":
            writer.line(_paragraph_text(child))
            for box in _text_boxes(child):
                _docx_blocks(box, writer)
        elif tag == _W + "tbl":
            writer.table(_docx_rows(child))
        elif tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                _docx_blocks(content, writer)


def _skipped(element: object) -> bool:
    """Inside an mc:Fallback (the copy of a text box for old readers) or a text box."""
    parent = element.getparent()  # type: ignore[attr-defined]
    while parent is not None:
        if parent.tag in (_MC + "Fallback", _W + "txbxContent"):
            return True
        parent = parent.getparent()
    return False


def _paragraph_text(paragraph: object) -> str:
    pieces: list[str] = []
    for node in paragraph.iter(_W + "t", _W + "tab", _W + "br", _W + "cr"):  # type: ignore[attr-defined]
        if _skipped_in(node, paragraph):
            continue
        if node.tag == _W + "t":
            pieces.append(node.text or "")
        elif node.tag == _W + "tab":
            pieces.append("\t")
        else:
            pieces.append(" ")
    return "".join(pieces)


def _skipped_in(node: object, paragraph: object) -> bool:
    parent = node.getparent()  # type: ignore[attr-defined]
    while parent is not None and parent is not paragraph:
        if parent.tag in (_MC + "Fallback", _W + "txbxContent"):
            return True
        parent = parent.getparent()
    return False


def _text_boxes(paragraph: object) -> list[object]:
    boxes = []
    for box in paragraph.iter(_W + "txbxContent"):  # type: ignore[attr-defined]
        parent = box.getparent()
        fallback = False
        while parent is not None and parent is not paragraph:
            if parent.tag in (_MC + "Fallback", _W + "txbxContent"):
                fallback = True
                break
            parent = parent.getparent()
        if not fallback:
            boxes.append(box)
    return boxes


def _docx_rows(table: object) -> list[list[tuple[str, int]]]:
    rows = []
    for tr in table.findall(_W + "tr"):  # type: ignore[attr-defined]
        row = []
        for tc in tr.findall(_W + "tc"):
            props = tc.find(_W + "tcPr")
            span = 1
            continued = False
            if props is not None:
                grid = props.find(_W + "gridSpan")
                if grid is not None:
                    span = int(grid.get(_W + "val", "1"))
                merge = props.find(_W + "vMerge")
                if merge is not None and merge.get(_W + "val", "continue") != "restart":
                    continued = True
            text = "" if continued else " ".join(_paragraph_text(p) for p in tc.iter(_W + "p"))
            row.append((text, span))
        rows.append(row)
    return rows


# ------------------------------------------------------------------ HTML

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr", "section"}


def _html(data: bytes, name: str) -> tuple[str, list[Table]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")
    for junk in soup(["script", "style", "noscript", "template", "head"]):
        junk.decompose()
    writer = _TextWriter()
    body = soup.body or soup
    _html_blocks(body, writer)
    return writer.text(), writer.tables


def _html_blocks(element: object, writer: _TextWriter) -> None:
    from bs4 import NavigableString, Tag

    line: list[str] = []

    def flush() -> None:
        text = "".join(line).strip()
        if text:
            writer.line(text)
        line.clear()

    for child in element.children:  # type: ignore[attr-defined]
        if isinstance(child, NavigableString):
            line.append(" ".join(str(child).split()) if str(child).strip() else "")
        elif isinstance(child, Tag):
            if child.name == "table":
                flush()
                writer.table(_html_rows(child))
            elif child.name == "br":
                flush()
            elif child.name in _BLOCKS or child.find(["p", "div", "table", "li"]) is not None:
                flush()
                _html_blocks(child, writer)
            else:
                line.append(child.get_text(""))
    flush()


def _html_rows(table: object) -> list[list[tuple[str, int]]]:
    rows: list[list[tuple[str, int]]] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    for tr in table.find_all("tr"):  # type: ignore[attr-defined]
        if tr.find_parent("table") is not table:
            continue
        row: list[tuple[str, int]] = []
        col = 0
        for td in tr.find_all(["td", "th"], recursive=False):
            while pending.get(col, 0) > 0:
                row.append(("", 1))
                pending[col] -= 1
                col += 1
            span = _int(td.get("colspan"), 1)
            down = _int(td.get("rowspan"), 1)
            row.append((td.get_text(" ", strip=True), span))
            if down > 1:
                for c in range(col, col + span):
                    pending[c] = down - 1
            col += span
        rows.append(row)
    return rows


def _int(value: object, default: int) -> int:
    try:
        return max(1, int(str(value)))
    except (TypeError, ValueError):
        return default


# ------------------------------------------------------------------ PDF


def _pdf(data: bytes, name: str) -> str:
    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        text = extract_text(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise InputError(f"{name}: an encrypted PDF; remove its password first") from error
    except PDFSyntaxError as error:
        raise InputError(f"{name}: not a readable PDF ({error})") from error
    except Exception as error:  # pdfminer raises many kinds on broken files
        raise InputError(f"{name}: not a readable PDF ({type(error).__name__})") from error
    text = text.replace("\x0c", "\n")
    if not any(ch.isalnum() for ch in text):
        raise InputError(
            f"{name}: the PDF has no text layer (a scan?); run OCR on it and ingest the text"
        )
    return text


# ------------------------------------------------------------------ entry points


def _sniff(data: bytes, suffix: str) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        return "docx"
    if suffix in FORMATS:
        return FORMATS[suffix]
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def read_bytes(data: bytes, name: str) -> SourceDocument:
    """The text and tables of a document given as bytes; ``name`` gives its suffix."""
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    fmt = _sniff(data, Path(name).suffix.lower())
    tables: list[Table] = []
    if fmt == "docx":
        text, tables = _docx(data, name)
    elif fmt == "pdf":
        text = _pdf(data, name)
    elif fmt == "html":
        text, tables = _html(data, name)
    else:
        if b"\x00" in data[:4096] and not data.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        ):
            raise InputError(f"{name}: a binary file, not a document this reader knows")
        text = decode(data, name).replace("\r\n", "\n").replace("\r", "\n")
        if fmt == "markdown" or _PIPE_ROW.search(text):
            tables = markdown_tables(text)
    if not text.strip():
        raise InputError(f"{name}: no text in the document")
    return SourceDocument(text, fmt, name, digest, tables)


def read_document(path: Path) -> SourceDocument:
    """Read a file: its text (what offsets index) and its tables."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise InputError(f"{path}: no such file") from error
    except IsADirectoryError as error:
        raise InputError(f"{path}: a directory, not a file") from error
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from error
    return read_bytes(data, path.name)


__all__ = ["Cell", "SourceDocument", "Table", "decode", "read_bytes", "read_document"]
