"""``kg ingest``: documents to curation sheets, construction by construction.

Every text here was written for the test, and every expected extraction was
written by hand from reading it, not copied from the extractor's output. How the
rules read real bulletins is measured by ``bench/ingest_eval.py`` against gold
readings (``docs/ingest-evaluation.md``); CI runs it where the corpus is present.
"""

from __future__ import annotations

import io
import tomllib
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import resources
from kg.build import build_notice
from kg.cli import main
from kg.errors import CurationError, InputError
from kg.ingest import extract_document, read_bytes
from kg.ingest.figures import Figure
from kg.ingest.numbers import decimal_text, parse_number
from kg.ingest.sheet import sheet_data, sheet_toml

from .conftest import FIXTURES, SOURCE_NAME

INGEST = FIXTURES / "ingest"

# (value text, kind, value, unit, period) as a reader writes them down
Row = tuple[str, str, str, str | None, str | None]


def figures(text: str, name: str = "t.txt", year: int | None = None) -> list[Figure]:
    return extract_document(read_bytes(text.encode("utf-8"), name), year).figures


def rows(text: str, name: str = "t.txt", year: int | None = None) -> list[Row]:
    return [
        (f.value_text, f.kind, decimal_text(f.value), f.unit, f.period)
        for f in figures(text, name, year)
    ]


# ------------------------------------------------------------------ one construction each

CONSTRUCTIONS: dict[str, tuple[str, list[Row]]] = {
    "space before the multiplier and unit": (
        "2023年度统计公报\n年末全省养老服务人员 3725 万人，其中持证人员 1268万人。",
        [
            ("3725 万人", "level", "37250000", "NUM", "2023-12-31"),
            ("1268万人", "level", "12680000", "NUM", "2023-12-31"),
        ],
    ),
    "a number and its unit broken across lines (text cut from PDF)": (
        "2024年统计公报\n全年救助困难群众18.26万人，其中临时救助6.53\n万人，流浪乞讨人员0.42万人。",
        [
            ("18.26万人", "level", "182600", "NUM", "2024"),
            ("6.53\n万人", "level", "65300", "NUM", "2024"),
            ("0.42万人", "level", "4200", "NUM", "2024"),
        ],
    ),
    "full-width digits and percent sign": (
        "2024年统计公报\n全年结婚登记６３２.４万对，比上年下降１７．３％。",
        [
            ("６３２.４万对", "level", "6324000", "NUM", "2024"),
            ("１７．３％", "change", "-17.3", "PERCENT", "2024"),
        ],
    ),
    "a footnote marker between subject and number": (
        "2024年统计公报\n全年民政事业费支出[2]4862.7亿元，比上年增长3.0%。",
        [
            ("4862.7亿元", "level", "486270000000", "CCY_CNY", "2024"),
            ("3.0%", "change", "3", "PERCENT", "2024"),
        ],
    ),
    "thousands separators": (
        "2024年统计公报\n全年共办理收养登记1,234件。",
        [("1,234件", "level", "1234", "NUM", "2024")],
    ),
    "Chinese numerals": (
        "2021年统计公报\n全省共审核三十二项行政区划调整事项，全年民政事业费支出一千二百亿元。",
        [
            ("三十二项", "level", "32", "NUM", "2021"),
            ("一千二百亿元", "level", "120000000000", "CCY_CNY", "2021"),
        ],
    ),
    "a money total in 亿元 and a standard per person per month": (
        "2022年民政事业发展统计公报\n全年各级财政共支出城乡低保资金1736.2亿元。"
        "全省城市低保平均标准781.6元/人·月，比上年增长4.4%。",
        [
            ("1736.2亿元", "level", "173620000000", "CCY_CNY", "2022"),
            ("781.6元/人·月", "level", "781.6", "CNY-PER-MO", "2022"),
            ("4.4%", "change", "4.4", "PERCENT", "2022"),
        ],
    ),
    "per month and per year in one sentence": (
        "2020年12月26日，民政部召开会议。城乡低保标准分别达到人均每月665元和每年5842元。",
        [
            ("665元", "level", "665", "CNY-PER-MO", "2020"),
            ("5842元", "level", "5842", "CNY-PER-YR", "2020"),
        ],
    ),
    "per mille and a per-mille-point change": (
        "2024年统计公报\n全年粗结婚率5.12‰；粗离婚率2.06‰，比上年提高0.03个千分点。",
        [
            ("5.12‰", "level", "5.12", "PERMILLE", "2024"),
            ("2.06‰", "level", "2.06", "PERMILLE", "2024"),
            ("0.03个千分点", "change", "0.03", "PERMILLE", "2024"),
        ],
    ),
    "a rate per 100,000 and a rate per thousand population": (
        "2024年统计公报\n儿童意外伤害死亡率下降至6.8/10万。每千人口养老床位31.4张。",
        [
            ("6.8/10万", "level", "6.8", "PER-100000", "2024"),
            ("31.4张", "level", "31.4", "PERMILLE", "2024"),
        ],
    ),
    "a year-end stock and a cut-off date": (
        "2024年统计公报\n截至3月底，全国共有养老机构4.1万个。全年新增床位12万张。",
        [
            ("4.1万个", "level", "41000", "NUM", "2024-03-31"),
            ("12万张", "level", "120000", "NUM", "2024"),
        ],
    ),
    "a stated year that differs from the document's holds for its sentence only": (
        "2024年统计公报\n2023年全市登记志愿者265万人。全年新增志愿者8.3万人。",
        [
            ("265万人", "level", "2650000", "NUM", "2023"),
            ("8.3万人", "level", "83000", "NUM", "2024"),
        ],
    ),
    "quarters, with the same quarter a year before as base": (
        "2024年统计公报\n分季度看，一季度福利彩票销售额同比增长6.1%，二季度增长3.9%。",
        [
            ("6.1%", "change", "6.1", "PERCENT", "2024-Q1"),
            ("3.9%", "change", "3.9", "PERCENT", "2024-Q2"),
        ],
    ),
    "a relative change written in 倍": (
        "1995年统计公报\n社会福利企业资产总额为612.8亿元，比1985年增长3.4倍。",
        [
            ("612.8亿元", "level", "61280000000", "CCY_CNY", "1995"),
            ("3.4倍", "change", "340", "PERCENT", "1995"),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(CONSTRUCTIONS))
def test_construction(name: str) -> None:
    text, expected = CONSTRUCTIONS[name]
    assert rows(text) == expected


# (value text of the change, change type, base period, value text of its level or None)
Attachment = tuple[str, str, str | None, str | None]

CHANGES: dict[str, tuple[str, list[Attachment]]] = {
    "an absolute change of a year-end stock": (
        "2024年统计公报\n年末全省低保对象386万人，比上年末减少27万人，其中城市低保对象61万人。",
        [("27万人", "absolute", "2023-12-31", "386万人")],
    ),
    "a percentage-point change of a share in the clause before": (
        "2024年统计公报\n年末农村社区服务设施覆盖率78.30%，比上年末提高2.65个百分点。",
        [("2.65个百分点", "percentage-points", "2023-12-31", "78.30%")],
    ),
    "two changes of one level": (
        "2024年统计公报\n全年火化遗体562万具，比上年增加14万具，增长2.6%。",
        [
            ("14万具", "absolute", "2023", "562万具"),
            ("2.6%", "relative", "2023", "562万具"),
        ],
    ),
    "分别: several changes pair with several levels in order": (
        "2020年通知\n城乡低保标准分别达到人均每月665元和每年5842元，同比增长7.7%和11.3%。",
        [
            ("7.7%", "relative", "2019", "665元"),
            ("11.3%", "relative", "2019", "5842元"),
        ],
    ),
    "no level stated: the change stands alone": (
        "2024年统计公报\n全年殡葬服务价格比上年上涨1.4%。社会捐赠款物比上年增长9.2%。",
        [("1.4%", "relative", "2023", None), ("9.2%", "relative", "2023", None)],
    ),
    "a new subject between a level and a change": (
        "2024年统计公报\n全市社会组织5218个。分类型看，社会团体收入增长6.3%，基金会增长11.7%。",
        [("6.3%", "relative", "2023", None), ("11.7%", "relative", "2023", None)],
    ),
    "the base-period value in brackets is not the level": (
        "2024年统计公报\n社区养老床位占养老床位的42.5%，比上年（40.1%）提高2.4个百分点。",
        [("2.4个百分点", "percentage-points", "2023", "42.5%")],
    ),
    "points of a count make no sense: not attached": (
        "2022年统计公报\n全国登记的社会组织89.2万个，比上年增长0.5个百分点。",
        [("0.5个百分点", "percentage-points", "2021", None)],
    ),
    "a change after a conversion in brackets is of the figure converted": (
        "2024年统计公报\n人均社会救助支出4218元（折合592美元），比上年增长3.2%。",
        [("3.2%", "relative", "2023", "4218元")],
    ),
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_change_attachment(name: str) -> None:
    text, expected = CHANGES[name]
    found = [
        (f.value_text, f.change, f.base, f.of.value_text if f.of else None)
        for f in figures(text)
        if f.kind == "change"
    ]
    assert found == expected


def test_decreases_are_negative() -> None:
    found = figures("2024年统计公报\n全年离婚登记下降3.1%，农村特困人员减少1.5万人。")
    assert [decimal_text(f.value) for f in found] == ["-3.1", "-15000"]


# What is not a figure, and is not left as review noise either.
NOT_FIGURES = {
    "dates, years and an issue date": "2024年统计公报\n某省民政厅\n2025年3月15日\n2024年是一年。",
    "ordinals and ranks": "2024年统计公报\n第一产业居全国第3位，前10位企业中。",
    "a page number and a figure caption": "2024年统计公报\n一、综合\n- 3 -\n图1 近五年就业情况\n",
    "an age threshold": "2024年统计公报\n全省65岁及以上老年人1620万人。",
    "size classes": "2024年统计公报\n100～299张床位养老机构812个，收入超1亿元基金会26家。",
    "a ratio notation": "2024年统计公报\n城乡低保对象之比为1：4.2。",
    "names holding a number": "2024年统计公报\n“十四五”规划实施，5G智慧养老，二十届三中全会。",
    "periods named by a count of years": "2024年统计公报\n捐赠连续4年增长，创近6年新高。",
}


@pytest.mark.parametrize("name", sorted(NOT_FIGURES))
def test_not_a_figure(name: str) -> None:
    doc = read_bytes(NOT_FIGURES[name].encode(), "t.txt")
    found = extract_document(doc)
    kept = {(f.value_text, decimal_text(f.value)) for f in found.figures}
    # only the figures that the texts do state are kept: 1620万人, 812个, 26家
    assert kept <= {("1620万人", "16200000"), ("812个", "812"), ("26家", "26")}
    assert found.review == []


def test_size_classes_keep_the_counts_of_what_is_classed() -> None:
    found = rows("2024年统计公报\n100～299张床位养老机构812个，收入超1亿元基金会26家。")
    assert found == [
        ("812个", "level", "812", "NUM", "2024"),
        ("26家", "level", "26", "NUM", "2024"),
    ]


def test_a_range_with_a_unit_is_one_review_item() -> None:
    doc = read_bytes("2021年统计公报\n各地标准在3000至5000元之间。".encode(), "t.txt")
    found = extract_document(doc)
    assert found.figures == []
    assert [(doc.text[r.start : r.end], r.note) for r in found.review] == [
        ("3000至5000元", "a range: kept whole, not split into bounds")
    ]


def test_qualifiers() -> None:
    found = figures(
        "2021年统计公报\n注册志愿者超过500万人，养老床位12.5万张以上，帮助约3.5万名老人，寻亲1万余人。"
    )
    assert [(f.value_text, f.qualifier) for f in found] == [
        ("500万人", "more-than"),
        ("12.5万张", "at-least"),
        ("3.5万名", "approximately"),
        ("1万余人", "more-than"),
    ]


def test_what_a_count_in_ge_counts() -> None:
    found = figures(
        "2022年统计公报\n全国登记的社会组织89.2万个，社区综合服务设施56.5万个，"
        "其中42个市辖区有31个达标。"
    )
    assert [(f.value_text, f.counts) for f in found] == [
        ("89.2万个", "organisation"),
        ("56.5万个", "facility"),
        ("42个", "administrative-division"),
        ("31个", "administrative-division"),
    ]


def test_statistical_units_from_the_unit_word() -> None:
    found = figures(
        "2022年统计公报\n结婚登记702.1万对，救助流浪乞讨人员48.7万人次，火化遗体571.3万具。"
    )
    assert [(f.counts, f.unit) for f in found] == [
        ("couple", "NUM"),
        ("person-time", "NUM"),
        ("body", "NUM"),
    ]


def test_indicator_from_its_skos_label() -> None:
    found = figures("2022年统计公报\n全国养老床位合计829.4万张，城市社区综合服务设施覆盖率100%。")
    assert [f.indicator for f in found] == ["elderly-care-beds", "facility-coverage"]


def test_document_year_per_bulletin_in_one_file() -> None:
    text = (
        "某市2024年民政事业发展统计公报\n全年民政事业费支出100亿元。\n"
        "某市民政局\n2024年3月\n2023年是关键一年。全年民政事业费支出90亿元。"
    )
    assert [(f.value_text, f.period) for f in figures(text)] == [
        ("100亿元", "2024"),
        ("90亿元", "2023"),
    ]


def test_the_title_period_is_the_default() -> None:
    found = figures((INGEST / "table.txt").read_text(encoding="utf-8"))
    assert {f.period for f in found} == {"2022-Q4"}


# ------------------------------------------------------------------ tables


def test_markdown_table_cells_with_header_units_and_a_change_column() -> None:
    text = (
        "2024年统计公报\n\n表1 主要指标（单位：万人）\n\n"
        "| 地区 | 2024年 | 比上年增长（%） |\n| --- | --- | --- |\n"
        "| 甲市 | 12.5 | -3.1 |\n| #乙县 | 4 | 2.0 |\n"
    )
    found = figures(text, "t.md")
    assert [
        (f.value_text, f.kind, decimal_text(f.value), f.unit, f.period, f.subject) for f in found
    ] == [
        ("12.5", "level", "125000", "NUM", "2024", "甲市"),
        ("-3.1", "change", "-3.1", "PERCENT", "2024", "甲市 比上年增长"),
        ("4", "level", "40000", "NUM", "2024", "乙县"),
        ("2.0", "change", "2", "PERCENT", "2024", "乙县 比上年增长"),
    ]
    assert found[1].of is found[0] and found[3].of is found[2]


def test_markdown_table_with_a_group_header_over_year_columns() -> None:
    text = (
        "1995年普查公报\n\n| | 按资产计算(%) | 按人员计算(%) |\n| --- | --- | --- |\n"
        "| | 1985 | 1995 | 1985 | 1995 |\n| 国有 | 74.6 | 53.7 | 41.1 | 31.6 |\n"
    )
    found = figures(text, "t.md")
    assert [(f.value_text, f.unit, f.period) for f in found] == [
        ("74.6", "PERCENT", "1985"),
        ("53.7", "PERCENT", "1995"),
        ("41.1", "PERCENT", "1985"),
        ("31.6", "PERCENT", "1995"),
    ]


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("某市2022年国民经济和社会发展统计公报")
    document.add_paragraph("全年民政事业费支出86.25亿元，比上年增长2.7%。")
    document.add_paragraph("表2 2022年主要民政服务设施情况")
    table = document.add_table(rows=3, cols=4)
    for r, cells in enumerate(
        [
            ["项目", "计量单位", "2022年", "比上年增长（%）"],
            ["救灾物资", "吨", "52817", "-12.5"],
            ["救护车", "万辆", "1.3", "1.9"],
        ]
    ):
        for c, value in enumerate(cells):
            table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_paragraphs_and_tables() -> None:
    doc = read_bytes(_docx(), "a.docx")
    assert doc.format == "docx" and len(doc.tables) == 1
    assert "项目\t计量单位\t2022年\t比上年增长（%）" in doc.text
    found = extract_document(doc).figures
    assert [(f.value_text, f.kind, decimal_text(f.value), f.unit, f.period) for f in found] == [
        ("86.25亿元", "level", "8625000000", "CCY_CNY", "2022"),
        ("2.7%", "change", "2.7", "PERCENT", "2022"),
        ("52817", "level", "52817", "TONNE", "2022"),
        ("-12.5", "change", "-12.5", "PERCENT", "2022"),
        ("1.3", "level", "13000", "NUM", "2022"),
        ("1.9", "change", "1.9", "PERCENT", "2022"),
    ]
    assert found[4].counts == "vehicle"


def test_html_as_published() -> None:
    html = (
        "<html><head><title>x</title><script>var a=1;</script></head><body>"
        "<h1>2023年民政事业发展统计公报</h1><p>年末全国共有殡仪馆1781个。</p>"
        "<p>全年福利企业营业收入见下表。</p>"
        "<table><tr><th>指标</th><th>绝对数（亿元）</th></tr>"
        "<tr><td>营业收入</td><td>2735</td></tr></table></body></html>"
    )
    found = extract_document(read_bytes(html.encode(), "a.html")).figures
    assert [(f.value_text, decimal_text(f.value), f.unit, f.period) for f in found] == [
        ("1781个", "1781", "NUM", "2023-12-31"),
        ("2735", "273500000000", "CCY_CNY", "2023"),
    ]


def test_a_table_flattened_into_text_is_one_review_item() -> None:
    text = "2024年统计公报\n单位：万人\n地区 2022 2023 2024\n甲 12.1 12.5 13.0\n乙 8.0 8.2 8.9\n"
    found = extract_document(read_bytes(text.encode(), "t.txt"))
    assert found.figures == []
    assert [r.note for r in found.review] == ["a table flattened into text: read it by hand"]


# ------------------------------------------------------------------ formats and bad input


def test_gb18030_text_is_read() -> None:
    doc = read_bytes("2024年统计公报\n结婚登记632.4万对。".encode("gb18030"), "a.txt")
    assert doc.text.startswith("2024年统计公报")


def test_utf8_and_utf16_with_a_byte_order_mark() -> None:
    text = "2024年统计公报\n结婚登记632.4万对。"
    assert read_bytes(b"\xef\xbb\xbf" + text.encode(), "a.txt").text == text
    assert read_bytes(text.encode("utf-16"), "a.txt").text == text


def _pdf(content: bytes) -> bytes:
    """A one-page PDF whose page draws ``content`` (a content stream), written by hand."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 100] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf_text_layer_is_read() -> None:
    doc = read_bytes(_pdf(b"BT /F1 12 Tf 10 50 Td (Coverage 98.5%) Tj ET"), "a.pdf")
    assert doc.format == "pdf" and "Coverage 98.5%" in doc.text


def _encrypted_or_old_word() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _broken_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a Word document")
    return buffer.getvalue()


BAD = {
    "empty": (b"", "a.txt", "the file is empty"),
    "blank": (b" \n\n ", "a.txt", "the file is empty"),
    "binary": (b"\x00\x01\x02\x03" * 64, "a.bin", "a binary file"),
    "old Word or encrypted docx": (_encrypted_or_old_word(), "a.doc", "OLE container"),
    "broken docx": (b"PK\x03\x04garbage", "a.docx", "broken ZIP"),
    "a ZIP that is no Word file": (_broken_docx(), "a.docx", "no word/document.xml"),
    "a scanned PDF": (_pdf(b"q 10 0 0 10 0 0 cm Q"), "a.pdf", "no text layer"),
    "a broken PDF": (b"%PDF-1.4\nthis is not a pdf", "a.pdf", "PDF"),
    "an unknown encoding": ("café résumé naïve".encode("latin-1"), "a.txt", "not text in UTF-8"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_one_clear_line(name: str) -> None:
    data, filename, words = BAD[name]
    with pytest.raises(InputError) as raised:
        read_bytes(data, filename)
    message = str(raised.value)
    assert words in message and "\n" not in message


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("digits", "multiplier", "value"),
    [
        ("1.8", "亿", "180000000"),
        ("24.76", "万", "247600"),
        ("一万二千", "亿", "1200000000000"),
        ("三点五", "万", "35000"),
        ("1,234,567.5", "", "1234567.5"),
        ("两千", "", "2000"),
        ("一千零五", "", "1005"),
        ("1.2", "万亿", "1200000000000"),
    ],
)
def test_numbers(digits: str, multiplier: str, value: str) -> None:
    assert decimal_text(parse_number(digits, multiplier)) == value


def test_arabic_numbers_with_separators_on_a_generated_sample() -> None:
    for n in range(0, 10_000_000, 7919):
        assert parse_number(f"{n:,}") == Decimal(n)
        assert parse_number(f"{n}.25", "万") == Decimal(n) * 10000 + 2500


# ------------------------------------------------------------------ from sheet to graph


def _sheet(tmp_path: Path, text: str, doc_id: str = "t-bulletin") -> Path:
    doc = read_bytes(text.encode("utf-8"), "bulletin.txt")
    found = extract_document(doc)
    (tmp_path / "source").mkdir()
    (tmp_path / "curation").mkdir()
    (tmp_path / "source" / f"{doc_id}.txt").write_text(doc.text, encoding="utf-8")
    path = tmp_path / "curation" / f"{doc_id}.toml"
    path.write_text(sheet_toml(sheet_data(doc, found, doc_id, f"{doc_id}.txt")), encoding="utf-8")
    return path


BULLETIN = (
    "2022年民政事业发展统计公报\n"
    "截至2022年底，全国共有养老机构4.1万个，比上年末增加0.1万个。"
    "全年结婚登记683.5万对，比上年下降10.6%。"
)


def test_every_row_quotes_its_offsets(tmp_path: Path) -> None:
    path = _sheet(tmp_path, BULLETIN)
    sheet = tomllib.loads(path.read_text(encoding="utf-8"))
    text = (tmp_path / "source" / "t-bulletin.txt").read_text(encoding="utf-8")
    for row in sheet["figure"]:
        assert text[row["start"] : row["end"]] == row["quote"]
        assert text[row["value_start"] :].startswith(row["value_text"])
    assert sheet["document"]["status"] == "draft"


def test_a_draft_builds_only_as_a_draft(tmp_path: Path) -> None:
    path = _sheet(tmp_path, BULLETIN)
    with pytest.raises(CurationError, match="a draft"):
        build_notice(path)
    graph = build_notice(path, draft=True)
    assert len(graph) > 50


def _review(path: Path) -> None:
    """What a reviewer does: English labels, the indicator of each figure, no review keys."""
    sheet = tomllib.loads(path.read_text(encoding="utf-8"))
    sheet["document"].update(status="reviewed", title_en="Civil affairs bulletin, 2022")
    sheet["document"].pop("review")
    for row in sheet.get("indicator", []):
        row["label_en"] = "marriage registrations"
        row.pop("review")
    for row in sheet["figure"]:
        row.pop("review", None)
        if row.get("kind") != "change":
            row["label_en"] = row["label_en"] or "marriage registrations"
    import tomli_w

    path.write_text(tomli_w.dumps(sheet), encoding="utf-8")


def test_a_reviewed_sheet_builds_a_graph_that_conforms(tmp_path: Path) -> None:
    from rdflib import Graph

    from kg.dataset import iter_graphs
    from kg.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
    from kg.shacl import validate_graph

    path = _sheet(tmp_path, BULLETIN)
    _review(path)
    notice = build_notice(path)
    union = Graph()
    for name, part in iter_graphs():
        if name in (ONTOLOGY_GRAPH, REFERENCE_GRAPH):
            union += part
    union += notice
    report = validate_graph(union)
    assert [f for f in report.findings if f.severity == "Violation"] == []


def test_a_reviewed_sheet_with_a_review_note_left_is_refused(tmp_path: Path) -> None:
    path = _sheet(tmp_path, BULLETIN)
    text = path.read_text(encoding="utf-8").replace('status = "draft"', 'status = "reviewed"')
    path.write_text(text.replace('title_en = ""', 'title_en = "Bulletin"'), encoding="utf-8")
    with pytest.raises(CurationError, match="review"):
        build_notice(path)


def test_offsets_that_do_not_land_on_the_quote_are_refused(tmp_path: Path) -> None:
    path = _sheet(tmp_path, BULLETIN)
    sheet = tomllib.loads(path.read_text(encoding="utf-8"))
    sheet["figure"][0]["start"] += 1
    sheet["figure"][0]["end"] += 1
    import tomli_w

    path.write_text(tomli_w.dumps(sheet), encoding="utf-8")
    with pytest.raises(CurationError, match="not the quote"):
        build_notice(path, draft=True)


def test_a_changed_source_text_is_refused(tmp_path: Path) -> None:
    path = _sheet(tmp_path, BULLETIN)
    source = tmp_path / "source" / "t-bulletin.txt"
    source.write_text(source.read_text(encoding="utf-8") + "。", encoding="utf-8")
    with pytest.raises(CurationError, match="SHA-256"):
        build_notice(path, draft=True)


# ------------------------------------------------------------------ the command line


def _run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.stdout, result.stderr


def test_cli_writes_the_sheet_and_its_text_and_says_so(tmp_path: Path) -> None:
    source = tmp_path / "bulletin.md"
    source.write_text(BULLETIN, encoding="utf-8")
    code, _, err = _run(["ingest", str(source), "--id", "b2022", "--into", str(tmp_path)])
    assert code == 0, err
    sheet = tmp_path / "curation" / "b2022.toml"
    text = tmp_path / "source" / "b2022.txt"
    assert sheet.is_file() and text.read_text(encoding="utf-8") == BULLETIN
    assert "keep it beside the sheet" in err and "rows to review" in err
    # the same run again changes nothing and succeeds; a different text is refused
    assert _run(["ingest", str(source), "--id", "b2022", "--into", str(tmp_path)])[0] == 0
    source.write_text(BULLETIN + "全年收养登记1.1万件。", encoding="utf-8")
    before = sheet.read_bytes()
    code, _, err = _run(["ingest", str(source), "--id", "b2022", "--into", str(tmp_path)])
    assert code == 2 and "exists and differs" in err and len(err.strip().splitlines()) == 1
    assert sheet.read_bytes() == before


def test_cli_a_document_without_figures_gives_an_empty_sheet(tmp_path: Path) -> None:
    source = tmp_path / "words.txt"
    source.write_text("民政部召开会议\n会议强调，要做好兜底保障工作。", encoding="utf-8")
    code, _, err = _run(["ingest", str(source), "--into", str(tmp_path)])
    assert code == 0 and "no figure found" in err
    sheet = tomllib.loads((tmp_path / "curation" / "draft-words.toml").read_text("utf-8"))
    assert "figure" not in sheet


@pytest.mark.parametrize("name", sorted(BAD))
def test_cli_bad_input_exit_2_and_nothing_written(tmp_path: Path, name: str) -> None:
    data, filename, words = BAD[name]
    source = tmp_path / filename
    source.write_bytes(data)
    out = tmp_path / "out"
    code, _, err = _run(["ingest", str(source), "--into", str(out)])
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_cli_missing_file(tmp_path: Path) -> None:
    code, _, err = _run(["ingest", str(tmp_path / "nope.txt"), "--into", str(tmp_path)])
    assert code == 2 and "no such file" in err


def test_cli_draft_build_shows_turtle_and_findings(tmp_path: Path) -> None:
    path = _sheet(tmp_path, BULLETIN)
    code, stdout, err = _run(["build", "--draft", str(path)])
    assert code == 0, err
    assert "qb:Observation" in stdout and "SHACL findings" in err


# ------------------------------------------------------------------ the shipped notice (in-sample)


def test_the_shipped_notice_is_read_as_curated(tmp_path: Path) -> None:
    source = resources.source_text_path(SOURCE_NAME)
    out = tmp_path / "evaluation.md"
    code, _, err = _run(["ingest", str(source), "--evaluate", "--evaluation-output", str(out)])
    assert code == 0, err
    lines = {line.split(":")[0]: line for line in err.splitlines() if ": precision" in line}
    for kind in ("figure", "change", "task"):
        assert "precision 1.000, recall 1.000" in lines[kind], lines[kind]


def test_the_notice_evaluation_document_is_up_to_date(tmp_path: Path) -> None:
    source = resources.source_text_path(SOURCE_NAME)
    out = tmp_path / "evaluation.md"
    _run(["ingest", str(source), "--evaluate", "--evaluation-output", str(out)])
    shipped = Path(__file__).resolve().parent.parent / "docs" / "ingest-notice-evaluation.md"
    assert out.read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8")


def test_a_civil_affairs_bulletin_finds_its_indicators_by_their_labels() -> None:
    text = (
        "2022年民政事业发展统计公报\n截至2022年底，全国共有城市低保对象682.4万人，"
        "农村低保对象3349.6万人。全国城市低保平均标准752.3元/人·月。全国共有孤儿15.9万人。"
        "全年结婚登记683.5万对，粗结婚率4.8‰。全年火化遗体596.8万具，火化率58.4%。"
        "全国共有社会组织89.2万个，其中基金会9316个。每千名老年人拥有养老床位30.5张。"
    )
    assert [(f.value_text, f.indicator) for f in figures(text)] == [
        ("682.4万人", "dibao-recipients-urban"),
        ("3349.6万人", "dibao-recipients-rural"),
        ("752.3元/人·月", "dibao-average-standard-urban"),
        ("15.9万人", "orphans"),
        ("683.5万对", "marriage-registrations"),
        ("4.8‰", "crude-marriage-rate"),
        ("596.8万具", "cremations"),
        ("58.4%", "cremation-rate"),
        ("89.2万个", "social-organisations"),
        ("9316个", "foundations"),
        ("30.5张", "elderly-care-beds-per-thousand"),
    ]
