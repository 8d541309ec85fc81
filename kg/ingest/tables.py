"""Figures in tables: one per numeric cell, its subject from its row label and column header.

A table has, from the top: title rows (one cell across the table: 表1 …（单位：%）),
header rows (mostly words, or years), then body rows whose first cells are
labels. A numeric body cell is a figure:

* its **unit** is the cell's own unit word (2.35 亿元), else the row's 计量单位
  cell, else its column header's (绝对值（亿元）, 比上年增长（%）), else the
  table's (单位：万人, in a title row or the caption line above);
* its **period** is a year in its column header (2022年, 2010年床位数, a bare 2010),
  else in its title or caption, else the period in force before the table; 年末 in
  a header or title makes it a year-end stock;
* a column whose header says a change (比上年增长（%）, 比2010年增长, 增减) holds
  changes: relative in percent (倍 is read as a relative change times 100),
  absolute otherwise, each of the level in the nearest level column to its left
  in the same row.

A table flattened into text (cells separated by spaces, one row per line) is
found by its shape and kept as one review item unless it reads as a grid.

>>> from kg.ingest.read import read_bytes
>>> text = "单位：万人\\n| 地区 | 2024年 | 比上年增长（%） |\\n| --- | --- | --- |\\n"
>>> text += "| 甲市 | 12.5 | -3.1 |\\n"
>>> found = extract_tables(read_bytes(text.encode(), "t.md"), 2024)
>>> [(f.kind, str(f.value), f.unit, f.period) for f in found.figures]
[('level', '125000', 'NUM', '2024'), ('change', '-3.1', 'PERCENT', '2024')]
>>> found.figures[1].of is found.figures[0], found.figures[1].base
(True, '2023')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from kg.ingest import periods
from kg.ingest.figures import PLANS, Extraction, Figure, ReviewItem
from kg.ingest.lexicon import Lexicon
from kg.ingest.numbers import MULTIPLIERS, NotANumber, decimal_text, parse_number
from kg.ingest.read import Cell, SourceDocument, Table

_MULT = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
_NUMERIC = re.compile(r"^[-−－]?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_YEAR_HEADER = re.compile(r"(?<!\d)(1[89]\d{2}|20\d{2})(?!\d)(?:年)?")
_CHANGE_HEADER = re.compile(
    r"增长|增减|增速|同比|比上年|比\d{4}年|变化|±|增幅|涨幅|下降|提高|增加|减少"
)
_EMPTY = re.compile(r"^(?:[-—–－…/\\.·]+|—+|\s*)$")
_LABEL_STRIP = re.compile(
    r"^(?:#\s*|其中[:：]\s*|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、])+"
)
_STOCK = re.compile(r"年末|年底|末")
# a table whose title says its cells are changes (居民消费价格涨跌幅度) and whose columns are years
_CHANGE_TITLE = re.compile(r"涨跌|涨幅|增长率|增速")


@dataclass
class _Unit:
    unit: str
    counts: str | None
    mult: str
    change: str | None = None
    factor: Decimal = Decimal(1)
    change_unit: str | None = None


def _is_header_row(texts: list[str]) -> bool:
    """Mostly words, or words and years (2021年 | 2022年, 1985 | 1995): not data."""
    if not texts:
        return False
    numeric = sum(1 for t in texts if _is_numeric(t))
    return numeric * 2 < len(texts)


def _is_numeric(text: str) -> bool:
    """A cell that holds a number (with at most a short unit), not a year or a label."""
    text = text.strip()
    match = _NUMERIC.match(text)
    if not match or _YEAR_HEADER.fullmatch(text):
        return False
    rest = text[match.end() :].strip()
    return len(rest) <= 5 and not re.search(r"年|以上|以下|及", rest)


class TableReader:
    def __init__(self, doc: SourceDocument, year: int | None, lexicon: Lexicon | None = None):
        self.doc = doc
        self.year = year
        self.lex = lexicon or Lexicon.load()
        units = self.lex.unit_pattern
        self.unit_re = re.compile(rf"^(?P<mult>{_MULT})?(?P<unit>{units})")
        self.cell_re = re.compile(
            rf"^(?P<sign>[-−－])?\s*(?P<num>(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)\s*"
            rf"(?P<mult>{_MULT})?\s*(?P<unit>{units})?\s*$"
        )

    def unit_of(self, words: str) -> _Unit | None:
        """A unit stated in words: 亿元, %, 万人, 吨 (a whole header part or a 计量单位 cell)."""
        words = "".join(words.split())
        match = self.unit_re.match(words)
        if not match or match.end() != len(words):
            return None
        word = self.lex.unit_words[match["unit"]]
        return _Unit(
            word.unit,
            word.counts,
            match["mult"] or "",
            word.change,
            word.change_factor,
            word.change_unit,
        )

    def header_unit(self, header: str) -> _Unit | None:
        """A unit a header states: 单位：万人, or in brackets anywhere: 按机构数计算(%) 2010."""
        match = re.search(r"单位[:：]\s*([^\s，,。；）)]{1,12})", header)
        if match and (unit := self.unit_of(match[1])):
            return unit
        for bracket in re.finditer(r"[（(]\s*([^（）()]{1,12}?)\s*[)）]", header):
            unit = self.unit_of(bracket[1])
            if unit is not None:
                return unit
        return None

    def read(
        self, table: Table, default_period: str | None
    ) -> tuple[list[Figure], list[ReviewItem]]:
        rows = _grid(table)
        if not rows:
            return [], []
        ncols = max(len(r) for r in rows)
        titles: list[str] = [table.caption] if table.caption else []
        body_start = 0
        # title rows: one distinct non-empty text across the row
        while body_start < len(rows):
            texts = {c.text for c in rows[body_start] if c is not None and c.text}
            if len(texts) == 1 and ncols > 1 and not any(_is_numeric(t) for t in texts):
                titles.append(next(iter(texts)))
                body_start += 1
            else:
                break
        # header rows: mostly words or years
        header_rows: list[list[Cell | None]] = []
        while body_start < len(rows):
            cells = [c for c in rows[body_start] if c is not None and c.text]
            if _is_header_row([c.text for c in cells]):
                header_rows.append(rows[body_start])
                body_start += 1
                if len(header_rows) >= 3:
                    break
            else:
                break
        if not header_rows and body_start < len(rows):
            return [], []
        title_text = " ".join(titles)
        table_unit = self.header_unit(title_text) or _caption_unit(self, title_text)
        table_period = _period_in(title_text, self.year) or default_period
        body = rows[body_start:]
        # label columns: mostly words in the body
        label_cols = set()
        skip_cols: set[int] = set()
        unit_col = None
        for col in range(ncols):
            header = " ".join(_text(r, col) for r in header_rows)
            if "计量单位" in header or header.strip() == "单位":
                unit_col = col
                continue
            if re.search(r"位次|排名|名次|序号|排序", header):
                skip_cols.add(col)  # ranks are not figures
                continue
            column = [_text(r, col) for r in body if _text(r, col)]
            if column and sum(1 for t in column if _is_numeric(t)) * 2 < len(column):
                label_cols.add(col)
        if not label_cols:
            label_cols.add(0)
        figures: list[Figure] = []
        review: list[ReviewItem] = []
        headers = [
            " ".join(dict.fromkeys(_text(r, col).strip() for r in header_rows if _text(r, col)))
            for col in range(ncols)
        ]
        for row in body:
            label = " ".join(
                _LABEL_STRIP.sub("", _text(row, c)).strip()
                for c in sorted(label_cols)
                if _text(row, c)
            )
            label = re.sub(r"\[\d+\]", "", label).strip()
            row_unit = None
            if unit_col is not None and _text(row, unit_col):
                row_unit = self.unit_of(_text(row, unit_col))
            label_unit = self.header_unit(label)
            level_at: dict[int, Figure] = {}
            for col in range(ncols):
                if col in label_cols or col in skip_cols or col == unit_col or col >= len(row):
                    continue
                cell = row[col]
                if cell is None or not cell.text.strip() or _EMPTY.match(cell.text):
                    continue
                header = headers[col]
                match = self.cell_re.match(cell.text.strip())
                if not match:
                    if _is_numeric(cell.text):
                        review.append(
                            ReviewItem(
                                cell.start,
                                cell.end,
                                "a table cell the rules cannot read",
                                (table.start, table.end),
                            )
                        )
                    continue
                try:
                    value = parse_number(match["num"], match["mult"] or "")
                except NotANumber:
                    continue
                if match["sign"]:
                    value = -value
                own = self.unit_of((match["mult"] or "") + match["unit"]) if match["unit"] else None
                is_change = (
                    bool(_CHANGE_HEADER.search(header))
                    or bool(
                        _CHANGE_TITLE.search(title_text)
                        and _YEAR_HEADER.fullmatch(header.strip() or "x")
                    )
                    or bool(
                        re.search(r"增长|增速|递增", label) and not _CHANGE_HEADER.search(header)
                    )
                )
                unit = own or self.header_unit(header) or row_unit or label_unit or table_unit
                if own is None and unit is not None and unit.mult and match["mult"]:
                    unit = _Unit(
                        unit.unit, unit.counts, "", unit.change, unit.factor, unit.change_unit
                    )
                if unit is not None and unit.mult and not match["mult"]:
                    value *= MULTIPLIERS[unit.mult]
                if is_change and unit is not None and unit.change_unit:
                    value *= unit.factor
                period = (
                    _period_in(header, self.year) or _period_in(label, self.year) or table_period
                )
                if period and _STOCK.search(header + title_text) and not periods.is_instant(period):
                    period = f"{periods.year_of(period)}-12-31"
                value = Decimal(decimal_text(value))
                figure = Figure(
                    start=cell.start,
                    end=cell.end,
                    value_text=cell.text,
                    value=value,
                    unit=None,
                    period=period,
                    subject=" ".join(p for p in (label, _header_words(header)) if p),
                    quote=(cell.start, cell.end),
                    in_table=True,
                )
                if is_change:
                    figure.kind = "change"
                    if unit is not None and unit.change_unit:
                        figure.unit, figure.change = unit.change_unit, "relative"
                    elif unit is not None and unit.change:
                        figure.unit, figure.change = unit.unit, unit.change
                    elif (unit is not None and unit.unit == "PERCENT") or "%" in header:
                        figure.unit, figure.change = "PERCENT", "relative"
                    elif unit is not None:
                        figure.unit, figure.change = unit.unit, "absolute"
                        figure.counts = unit.counts
                    levels = [level_at[c] for c in sorted(level_at) if c < col]
                    if levels:
                        figure.of = levels[-1]
                        figure.period = levels[-1].period
                    base = re.search(r"比(\d{4})年(末)?", header + " " + label)
                    span = _span_in(label) or _span_in(header)
                    if base:
                        figure.base = f"{base[1]}-12-31" if base[2] else base[1]
                    elif span and re.search("平均|年均", label + header):
                        figure.period, figure.base = f"{span[0]}/{span[1]}", str(span[0] - 1)
                    elif figure.period:
                        figure.base = periods.previous(figure.period)
                else:
                    if unit is not None:
                        figure.unit, figure.counts = unit.unit, unit.counts
                    figure.indicator = self.lex.indicator(label, figure.unit)
                    level_at[col] = figure
                if figure.unit is None:
                    figure.notes.append("no unit in the cell, its headers or the caption")
                figures.append(figure)
        return figures, review


def _text(row: list[Cell | None], col: int) -> str:
    """The text of a grid position, empty where the row has no cell there."""
    cell = row[col] if col < len(row) else None
    return cell.text if cell is not None else ""


def _header_words(header: str) -> str:
    """What a column header adds to a row label: its words, without its unit or a bare year."""
    words = re.sub(r"[（(][^（）()]{1,12}[)）]|单位[:：]\S+", "", header).strip()
    words = re.sub(r"(?<!\d)(?:1[89]|20)\d{2}(?:年)?(?!\d)", "", words).strip()
    return words


def _caption_unit(reader: TableReader, text: str) -> _Unit | None:
    match = re.search(r"单位[:：]\s*([^\s，,。；）)]{1,12})", text)
    return reader.unit_of(match[1]) if match else None


_SPAN = re.compile(r"(1[89]\d{2}|20\d{2})\s*(?:年)?\s*[-—–~～至到]\s*(1[89]\d{2}|20\d{2})")
_PLAN = re.compile("|".join(sorted(PLANS, key=len, reverse=True)))


def _span_in(text: str) -> tuple[int, int] | None:
    """A span of years a header or label names: 1986-1995, “七五”时期."""
    match = _SPAN.search(text)
    if match:
        return int(match[1]), int(match[2])
    plan = _PLAN.search(text)
    if plan and "时期" in text:
        return PLANS[plan.group()]
    return None


def _period_in(text: str, year: int | None) -> str | None:
    span = _span_in(text)
    if span:
        return f"{span[0]}/{span[1]}"
    match = _YEAR_HEADER.search(text)
    if not match:
        return None
    if re.search(r"比" + match[1], text):
        # 比2010年增长: a base, not the period; another year may be the period
        others = [m for m in _YEAR_HEADER.finditer(text) if not text[: m.start()].endswith("比")]
        if not others:
            return None
        match = others[0]
    return match[1]


def _grid(table: Table) -> list[list[Cell | None]]:
    """The table as a grid: a merged cell occupies each column it spans (as the same cell)."""
    rows = table.rows
    if not rows:
        return []
    width = max(sum(c.colspan for c in r) for r in rows)
    grid: list[list[Cell | None]] = []
    for r, row in enumerate(rows):
        line: list[Cell | None] = [None] * width
        spans = sum(c.colspan for c in row)
        # a Markdown header row with fewer cells than the rows below: spread its cells
        stretch = 1
        if (
            r + 1 < len(rows)
            and all(c.colspan == 1 for c in row)
            and spans < width
            and len(row) > 1
            and (width - 1) % (len(row) - 1) == 0
        ):
            stretch = (width - 1) // (len(row) - 1)
        col = 0
        for i, cell in enumerate(row):
            span = cell.colspan if stretch == 1 or i == 0 else stretch
            start_col = cell.col if stretch == 1 and cell.col < width else col
            for c in range(start_col, min(width, start_col + span)):
                line[c] = cell
            col = start_col + span
        grid.append(line)
    return grid


# ------------------------------------------------------------------ flattened tables

_FLAT_LINE = re.compile(
    r"^[^\n。；，]*?(?:[-−]?\d[\d,.]*%?[ \t\u3000]+){2,}[-−]?\d[\d,.]*%?[ \t\u3000]*$"
)


def flattened_tables(text: str) -> list[tuple[int, int]]:
    """Spans of runs of lines that look like table rows run into text (3+ numbers, no sentence)."""
    spans: list[tuple[int, int]] = []
    run_start = None
    run_end = 0
    count = 0
    for match in re.finditer(r"^[^\n]*$", text, re.MULTILINE):
        line = match.group()
        if _FLAT_LINE.match(line) and not re.search(r"[。；]", line):
            if run_start is None:
                run_start = match.start()
                count = 0
            run_end = match.end()
            count += 1
        elif line.strip():
            if run_start is not None and count >= 2:
                spans.append((run_start, run_end))
            run_start = None
    if run_start is not None and count >= 2:
        spans.append((run_start, run_end))
    return spans


def extract_tables(
    doc: SourceDocument,
    year: int | None,
    period_at: Callable[[int], str | None] | None = None,
) -> Extraction:
    """The figures of every table of a document, and a review item per flattened table."""
    reader = TableReader(doc, year)
    result = Extraction(doc.text, year)
    default = str(year) if year else None
    for table in doc.tables:
        period = period_at(table.start) if period_at else default
        figures, review = reader.read(table, period)
        result.figures.extend(figures)
        result.review.extend(review)
    for start, end in flattened_tables(doc.text):
        if any(t.start <= start < t.end for t in doc.tables):
            continue
        result.review.append(
            ReviewItem(start, end, "a table flattened into text: read it by hand", (start, end))
        )
    return result


__all__ = ["TableReader", "extract_tables", "flattened_tables"]
