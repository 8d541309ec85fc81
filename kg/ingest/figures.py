"""Figures in the prose of a statistical bulletin or notice: levels, changes and their periods.

The rules read the genre, not a document: a number with its multiplier (万, 亿)
and a unit word from the lexicon; what stands before it (the subject, a change
verb and its comparison, a qualifier, a rate cue such as 每千人口); the period
cue in force (the last 年末, 全年, 2023年, 一季度 … of the section); and, for a
change, the level it is of (the level right before it, when nothing but
comparison words stands between them).

>>> from kg.ingest.read import read_bytes
>>> text = "年末全省低保对象386万人，比上年末减少27万人。"
>>> found = extract(read_bytes(text.encode(), "a.txt"), 2024)
>>> [(f.kind, f.value_text, str(f.value), f.unit, f.period) for f in found.figures]
[('level', '386万人', '3860000', 'NUM', '2024-12-31'), \
('change', '27万人', '-270000', 'NUM', '2024-12-31')]
>>> found.figures[1].change, found.figures[1].base, found.figures[1].of is found.figures[0]
('absolute', '2023-12-31', True)
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from kg.ingest import periods
from kg.ingest.lexicon import Lexicon
from kg.ingest.numbers import MULTIPLIERS, NotANumber, decimal_text, parse_number, year_numeral
from kg.ingest.read import SourceDocument
from kg.ingest.view import View, soft_breaks


@dataclass
class Figure:
    """One figure: where its value is in the source text, and what it is."""

    start: int  # the value text: number, multiplier and unit word
    end: int
    value_text: str
    value: Decimal
    unit: str | None
    period: str | None
    kind: str = "level"  # level | change
    change: str | None = None  # relative | percentage-points | per-mille-points | absolute
    of: Figure | None = None
    base: str | None = None
    counts: str | None = None  # statistical unit
    qualifier: str | None = None
    subject: str = ""
    indicator: str | None = None
    scope: str | None = None
    first_time: bool = False
    quote: tuple[int, int] = (0, 0)
    in_table: bool = False
    comparison: bool = False  # 比上年（40.1%）: a base-period value, not the figure reported
    base_explicit: bool = False  # the text names the base (比2010年), not only 比上年 / 同比
    notes: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        what = f"{self.value} {self.unit} {self.period}"
        return f"<{self.kind} {self.value_text!r}@{self.start}: {what}>"


@dataclass
class ReviewItem:
    """Something that may be a figure but that the rules could not type: kept for a person."""

    start: int
    end: int
    note: str
    quote: tuple[int, int] = (0, 0)


@dataclass
class Extraction:
    text: str
    year: int | None
    figures: list[Figure] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)


# ------------------------------------------------------------------ patterns

_MULT = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
_CN_NUM = r"[〇零一二两三四五六七八九十百千万亿]+(?:点[〇零一二三四五六七八九]+)?"

_DECREASE = (
    "下降|减少|降低|回落|缩小|少增|减产|下跌|下滑|减收|下调|收窄|减亏|递减|缩短|贬值|减|降|跌"
)
_INCREASE = (
    "增长|增加|提高|上升|上涨|扩大|多增|净增|增产|回升|增收|上扬|攀升|上调|增亏|递增|"
    "延缓|延长|升值|增|涨|升"
)
_VERB = re.compile(
    rf"(?P<verb>{_DECREASE}|{_INCREASE}|(?<=上年)少|(?<=上年)多|(?<=同期)少|(?<=同期)多)"
    r"(?:了|为|达到|达|分别为|分别|是)?$"
)
# 降幅分别为0.6%、7.8%: a change named by its rate (增长率 is a level: 自然增长率为2.1‰)
_RATE_NOUN = re.compile(r"(?P<verb>降幅|跌幅|增幅|涨幅)(?:分别)?(?:为|达到|达|是)?(?:分别)?$")
_TO_LEVEL = re.compile(r"(?:增长|增加|提高|上升|下降|减少|降低|回落|扩大|缩小|增|降|升)(?:至|到)$")
_COMPARE = re.compile(
    r"(?:比|较|与)(?P<what>上年末|上年底|去年末|年初|上年同期|上年|去年同期|去年|同期|上月|上季度|"
    r"(?P<year>\d{4})年(?P<end>末|底)?)(?:相比)?|(?P<yoy>同比)|(?P<mom>环比)"
)
_JOIN = re.compile(r"^[和、与及,，]?(?:分别)?$")
_BOUND_BEFORE = {
    "more-than": re.compile(r"(?:超过|逾|超|突破|多于|高于|大于)$"),
    "approximately": re.compile(r"(?:约|大约|近|将近|接近|约为|约占)$"),
    "less-than": re.compile(r"(?:不足|不到|低于|少于|小于)$"),
}
# bounds that, before a noun, make a class (收入超1亿元基金会, 处于最低20%的家庭)
_CLASS_BEFORE = re.compile(
    r"(?:超过|逾|超|突破|多于|高于|大于|不足|不到|低于|少于|小于|最低|最高)$"
)
_THRESHOLD_AFTER = re.compile(
    r"(?:及以上|以上|以下|及以下|以内|以外|以上的|以下的)(?=[\u4e00-\u9fff])"
)
_CLASS_AFTER = re.compile(r"[\u4e00-\u9fff]")
_DURATION_BEFORE = re.compile(r"(?:近|连续|前|后|每|不少于|不超过|历时|为期|用|提前|延长)$")
_DURATION_AFTER = re.compile(r"(?:内|以来|后|前|以上|以内|之内|左右|来|的|及以上|平均|滑动|均值)")
_AGE_AFTER = re.compile(r"(?:及以上|以上|以下|及以下|至|～|~|-|—|的|人口|老年人|儿童|以内|周岁)")
_AGE_BEFORE = re.compile(r"(?:满|年满|未满|周岁|不满|超过)$")
_LEVEL_CUE = re.compile(r"(?:为|达到|达|是|共有|共|有|计|合计|总计|总数|总量)$")
_RATIO = re.compile(r"^[:：∶]\d|^\s*[:：∶]")
_RANGE_JOIN = re.compile(r"[~～—–\-至到]")

_PERIOD_CUE = re.compile(
    r"(?P<cmp>(?:比|较|与|由|从|同|是)(?:\d{4}年(?:末|底)?(?:的)?|上年末?|去年))"
    r"|截至(?P<cy>\d{4})年(?P<cm>\d{1,2})月(?P<cd>\d{1,2})日"
    r"|截至(?:(?P<ey>\d{4})年)?(?P<em>\d{1,2})月(?:底|末)"
    r"|截至(?P<ty>\d{4})年(?:底|末)?"
    r"|(?P<sy>\d{4})(?:年)?[-—–~～至到](?P<sy2>\d{4})年"
    r"|(?P<ny>\d{4})年(?P<nm1>\d{1,2})?[-—–~～至到](?P<nm2>\d{1,2})月"
    r"|(?P<yy>\d{4})年(?:年)?(?:末|底)"
    r"|(?P<qy>\d{4})年(?:第)?(?P<q>[一二三四1-4])季度"
    r"|(?P<fy>\d{4})年前(?P<fq>[一二三])季度"
    r"|(?P<hy>\d{4})年(?P<h>上|下)半年"
    r"|(?P<my>\d{4})年(?P<mm>\d{1,2})月份?(?!\d{1,2}日|\d)"
    r"|(?P<y>\d{4})年(?:度)?(?!\d{1,2}月\d{1,2}日|\d)"
    r"|(?<![上去前同本])(?P<ye>年末|年底)"
    r"|(?P<all>全年|本年度|本年|年内|当年)"
    r"|前(?P<pq>[一二三])季度"
    r"|(?:第)?(?P<q0>[一二三四])季度"
    r"|(?P<h0>上|下)半年"
    r"|(?P<r1>\d{1,2})[-—–~～至](?P<r2>\d{1,2})月"
    r"|(?P<m0>\d{1,2})月份"
    r"|(?P<me>\d{1,2})月(?:末|底)"
)
_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
# a bulletin's title: 某市2024年民政事业发展统计公报, 2023年度某省社会服务发展统计公报
_TITLE_YEAR = re.compile(
    r"^[^，。；\n]{0,30}?(\d{4}|[〇零一二三四五六七八九]{4})\s*年(?:度)?[^，。；\n]{0,40}"
    r"(?:统计公报|公报|统计报告|分析报告|年报)\s*$"
)
#: The five-year plans, by the names bulletins give them (“十三五”时期: 2016-2020).
PLANS = {
    "六五": (1981, 1985),
    "七五": (1986, 1990),
    "八五": (1991, 1995),
    "九五": (1996, 2000),
    "十一五": (2006, 2010),
    "十二五": (2011, 2015),
    "十三五": (2016, 2020),
    "十四五": (2021, 2025),
    "十五五": (2026, 2030),
    "十五": (2001, 2005),
}
_CN_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_CLAUSE_STRIP_HEAD = re.compile(r"^(?:其中|以及|同时|另外|此外|而|和|与|及|、|[：:，,（(）)\s])+")
_SUBJECT_STRIP_TAIL = re.compile(
    r"(?:分别为|分别达到|分别达|分别是|分别|为|达到|达|是|共有|共计|共|有|计|合计|总计|实现|完成|"
    r"累计|约为|约占|约|近|超过|逾|超|突破|增至|达到了|的|已|仍|则|占比|"
    r"人均每月|人均每年|人均月|每人每月|每人每年|每月|每年|月人均|按月|按年|人均)+$"
)
_PLACE_WORDS = re.compile(
    r"^(?:全年|年末|年底|当年|全国|全市|全省|全区|全县|全州|我国|我市|我省|本市|本省|城乡|"
    r"\d{4}年(?:末|底)?|截至\d{4}年(?:底|末)?)+"
)
_FILLER = re.compile(
    r"(?:(?:比|较|与)(?:上年末|上年底|去年末|年初|上年同期|上年|去年同期|去年|同期|上月|上季度|\d{4}年(?:末|底)?)(?:相比)?"
    r"|同比|环比|按(?:可比价格|不变价格|可比口径|现价|当年价格|常住人口)(?:计算)?|扣除(?:价格|不可比)?因素(?:后)?"
    r"|初步(?:核算|测算|统计)|扣除物价(?:影响|因素)|实际|名义|分别|折合|平均每年|每年平均|年均|创历史新高|创新高|创近\d+年(?:同期)?新高|总量|较快|"
    rf"{_DECREASE}|{_INCREASE}|了|为|达到|达|是|幅度|速度|的)"
)


# ------------------------------------------------------------------ the extractor


@dataclass
class _Token:
    start: int  # in the view
    end: int
    value: Decimal
    word: str | None  # the unit word as written
    mult: str
    approx: bool
    chinese: bool


class _State:
    """The period cue in force, and the document's year.

    A cue of the document's own year (全年, 年末, 2024年, 一季度) holds for the rest of
    its section; a cue of another year (而2010年仅占3%, 2023年…) only to the end of its
    sentence: a bulletin names past years in passing, to compare.
    """

    def __init__(self, year: int | None):
        self.year = year
        self.period: str | None = str(year) if year else None
        self.section: str | None = self.period
        self.default: str | None = (
            None  # the period a document's title names (2022年第四季度民政统计数据)
        )

    def reset(self) -> None:
        if self.default and self.year and periods.year_of(self.default) == self.year:
            self.period = self.section = self.default
        else:
            self.period = self.section = str(self.year) if self.year else None

    def set(self, period: str) -> None:
        self.period = period
        if self.year is None or periods.year_of(period) == self.year:
            self.section = period

    def end_sentence(self) -> None:
        self.period = self.section


class ProseExtractor:
    def __init__(self, doc: SourceDocument, year: int | None, lexicon: Lexicon | None = None):
        self.doc = doc
        self.lex = lexicon or Lexicon.load()
        self.view = View.of(doc.text)
        self.given_year = year
        units = self.lex.unit_pattern
        self.number_re = re.compile(
            rf"(?P<sign>-)?(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)"
            rf"(?P<approx0>多|余)?(?P<mult>{_MULT})?(?P<approx>多|余)?(?P<unit>{units})?"
        )
        self.chinese_re = re.compile(rf"(?P<num>{_CN_NUM})(?P<approx>多|余)?(?P<unit>{units})")
        self.excluded: list[tuple[int, int]] = [(t.start, t.end) for t in doc.tables]
        self.result = Extraction(doc.text, year)
        self.semicolons = _semicolons(doc.text)
        self.checkpoints: list[tuple[int, str | None]] = []
        self._starts: list[int] = []  # the starts of the figures of the sentence being attached

    # ------------------------------------------------------------ helpers

    def src(self, start: int, end: int) -> tuple[int, int]:
        return self.view.source_span(start, end)

    def in_table(self, view_pos: int) -> bool:
        offset = self.view.index[view_pos]
        return any(a <= offset < b for a, b in self.excluded)

    def tokens(self, text: str, offset: int) -> list[_Token]:
        found: list[_Token] = []
        taken = bytearray(len(text))  # the characters Arabic numbers already cover
        for m in self.number_re.finditer(text):
            try:
                value = parse_number(m["num"], m["mult"] or "")
            except NotANumber:
                continue
            if m["sign"]:
                # a minus sign only when it is not a range dash (3-5, 52.9分贝-56.1分贝)
                if m.start() > 0 and not re.match(
                    r"[\s，,。；;：:（(为是达至到]", text[m.start() - 1]
                ):
                    value = parse_number(m["num"], m["mult"] or "")
                    start = m.start("num")
                else:
                    value = -value
                    start = m.start()
            else:
                start = m.start()
            found.append(
                _Token(
                    offset + start,
                    offset + m.end(),
                    value,
                    m["unit"],
                    m["mult"] or "",
                    bool(m["approx"] or (m["approx0"] and m["mult"])),
                    False,
                )
            )
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        for m in self.chinese_re.finditer(text):
            num = m["num"]
            if any(taken[m.start() : m.end()]):
                continue
            if not re.search("[十百千万亿]", num) or len(num) < 2:
                continue
            before = text[max(0, m.start() - 1) : m.start()]
            after = text[m.end() : m.end() + 1]
            if before in ("第", "每", "十") or after == "五":
                continue
            read = _chinese(num)
            if read is None:
                continue
            value = read
            found.append(
                _Token(
                    offset + m.start(),
                    offset + m.end(),
                    value,
                    m["unit"],
                    "",
                    bool(m["approx"]),
                    True,
                )
            )
        return sorted(found, key=lambda t: t.start)

    # ------------------------------------------------------------ periods

    def document_year(self, line: str) -> int | None:
        match = _TITLE_YEAR.search(line)
        if not match or _DATE.search(line[: match.end()]):
            return None
        try:
            return year_numeral(match.group(1))
        except NotANumber:
            return None

    def apply_cues(self, state: _State, text: str) -> None:
        for m in _PERIOD_CUE.finditer(text):
            period = self._cue_period(m, state)
            if period is not None:
                state.set(period)

    def _cue_period(self, m: re.Match[str], state: _State) -> str | None:
        year = state.year
        g = m.groupdict()
        if g["cmp"]:
            return None  # a comparison names a base, not the period of what follows
        if g["cy"]:
            return f"{int(g['cy']):04d}-{int(g['cm']):02d}-{int(g['cd']):02d}"
        if g["em"]:
            y = int(g["ey"]) if g["ey"] else year
            return periods.month_end(y, int(g["em"])) if y else None
        if g["ty"]:
            return f"{g['ty']}-12-31"
        if g["sy"]:
            return f"{g['sy']}/{g['sy2']}"
        if g["ny"]:
            first = int(g["nm1"] or 1)
            return f"{g['ny']}-{first:02d}/{g['ny']}-{int(g['nm2']):02d}"
        if g["yy"]:
            return f"{g['yy']}-12-31"
        if g["qy"]:
            return f"{g['qy']}-Q{_CN_Q[g['q']]}"
        if g["fy"]:
            return f"{g['fy']}-01/{g['fy']}-{3 * _CN_Q[g['fq']]:02d}"
        if g["hy"]:
            return f"{g['hy']}-H{1 if g['h'] == '上' else 2}"
        if g["my"]:
            month = int(g["mm"])
            return f"{g['my']}-{month:02d}" if 1 <= month <= 12 else None
        if g["y"]:
            return g["y"]
        if year is None:
            return None
        if g["ye"]:
            return f"{year}-12-31"
        if g["all"]:
            return str(year)
        if g["pq"]:
            return f"{year}-01/{year}-{3 * _CN_Q[g['pq']]:02d}"
        if g["q0"]:
            return f"{year}-Q{_CN_Q[g['q0']]}"
        if g["h0"]:
            return f"{year}-H{1 if g['h0'] == '上' else 2}"
        if g["r1"]:
            a, b = int(g["r1"]), int(g["r2"])
            return f"{year}-{a:02d}/{year}-{b:02d}" if 1 <= a < b <= 12 else None
        if g["m0"]:
            month = int(g["m0"])
            return f"{year}-{month:02d}" if 1 <= month <= 12 else None
        if g["me"]:
            month = int(g["me"])
            return periods.month_end(year, month) if 1 <= month <= 12 else None
        return None

    # ------------------------------------------------------------ the walk

    def run(self) -> Extraction:
        text = self.view.text
        state = _State(self.given_year or self._first_year())
        self.result.year = state.year
        after_date = False  # a file of several bulletins: a new one starts after its date line
        titled = False
        for line_match in re.finditer(r"[^\n]+", text):
            line = line_match.group().strip()
            if not titled and line and len(line) < 60 and not re.search(r"[，。；]", line):
                # the document's title: its period is the default (2022年第四季度统计数据)
                titled = True
                probe = _State(state.year)
                self.apply_cues(probe, line)
                if probe.period != str(state.year):
                    state.default = probe.period
                    state.reset()
            if self.given_year is None:
                year = self.document_year(line) if len(line) < 80 else None
                if year is not None and (state.year is None or line_match.start() > 0):
                    state.year = year
                    state.reset()
                elif after_date and (opening := re.match(r"(\d{4})年", line)):
                    state.year = int(opening[1])  # 某市民政局 / 2023年3月 / 2022年是…
                    state.reset()
                if re.fullmatch(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?", line):
                    after_date = True
                elif not _is_heading_line(line):
                    after_date = False
            if _is_heading_line(line):
                state.reset()
                self.checkpoints.append((self.view.index[line_match.start()], state.period))
                continue
            self.checkpoints.append((self.view.index[line_match.start()], state.period))
            if self.in_table(line_match.start()):
                continue
            if re.match(r"[图表]\s*\d", line):
                continue  # a figure or table caption: its years name the chart, not the text
            for sentence in re.finditer(r"[^。！？!?]+[。！？!?]?", line_match.group()):
                self.sentence(state, line_match.start() + sentence.start(), sentence.group())
        return self.result

    def period_at(self, offset: int) -> str | None:
        """The period in force at a source offset (for a table: what the text before it says)."""
        index = bisect.bisect_right([c[0] for c in self.checkpoints], offset) - 1
        return self.checkpoints[index][1] if index >= 0 else None

    def _first_year(self) -> int | None:
        """The year of the document: its title's, else the first year its text states."""
        for line in self.view.text[:600].split("\n")[:8]:
            year = self.document_year(line.strip())
            if year:
                return year
        for match in re.finditer(r"(\d{4})年(?!\d{1,2}月\d{1,2}日)", self.view.text[:3000]):
            return int(match.group(1))
        date = _DATE.search(self.view.text[:3000])  # a notice dated 2020年12月26日
        return int(date.group()[:4]) if date else None

    def sentence(self, state: _State, offset: int, text: str) -> None:
        tokens = self.tokens(text, offset)
        figures: list[Figure] = []
        previous_end = offset
        skip_until = offset
        prev_figure: Figure | None = None
        prev_lead = ""
        cue_pos = offset
        for i, token in enumerate(tokens):
            if token.start < skip_until:
                continue
            # the lead: the words since the last figure (a dropped number such as a year
            # stays inside it, so that 比2010年末 and 2024年 read whole)
            lead = self.view.text[previous_end : token.start]
            after = self.view.text[token.end : token.end + 8]
            before = self.view.text[max(offset, token.start - 8) : token.start]
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            # a range: 100～299张 (a class) or 3000至5000元 (kept whole for review)
            if nxt is not None and _RANGE_JOIN.fullmatch(self.view.text[token.end : nxt.start]):
                tail = self.view.text[nxt.end : nxt.end + 1]
                if not (_CLASS_AFTER.match(tail) and tail not in "和与及占比增为之间"):
                    a, b = self.src(token.start, nxt.end)
                    self.result.review.append(
                        ReviewItem(
                            a,
                            b,
                            "a range: kept whole, not split into bounds",
                            self._quote(offset, text, token.start),
                        )
                    )
                skip_until = nxt.end
                continue
            if not self.is_figure(token, before, after, lead):
                if (
                    token.word is None
                    and not token.mult
                    and _LEVEL_CUE.search(lead)
                    and re.match(r"[，。；,;]|$", after)
                    and not (
                        token.value == token.value.to_integral() and 1900 <= token.value <= 2100
                    )
                ):
                    a, b = self.src(token.start, token.end)
                    self.result.review.append(
                        ReviewItem(
                            a, b, "a number without a unit", self._quote(offset, text, token.start)
                        )
                    )
                continue
            self.apply_cues(state, self.view.text[cue_pos : token.start])
            cue_pos = token.end
            figure = self.figure(state, offset, text, token, lead, after, prev_figure, prev_lead)
            previous_end = token.end
            if figure is None:
                continue
            figures.append(figure)
            prev_figure, prev_lead = figure, lead
        self.apply_cues(state, self.view.text[cue_pos : offset + len(text)])
        state.end_sentence()
        self.distribute_scope(figures)
        self.attach(offset, text, figures)
        self.result.figures.extend(figures)

    def is_figure(self, token: _Token, before: str, after: str, lead: str) -> bool:
        word = token.word
        if before.endswith(("第", "每", "前", "排名", "居", "名列")) and not before.endswith(
            "提前"
        ):
            return False
        if after.startswith(("兑",)):
            return False
        if after.startswith(("强", "佳", "大", "名")) and word is None:
            return False
        if word is None and not token.mult:
            return False  # a bare number: a date, an ordinal, a page number, a table cell
        if _THRESHOLD_AFTER.match(after) or re.match(r"(?:及以上|以上|以下)的", after):
            return False
        if word is None and token.mult:
            return True  # 1936万建档立卡贫困人口: a count without a measure word
        if _RATIO.match(after) or (
            re.search(r"[:：∶]$", before) and re.match(r"\d", before[-2:-1] or "")
        ):
            return False
        if _CLASS_BEFORE.search(before) and (
            (_CLASS_AFTER.match(after[:1]) and after[:1] not in "，。；、和与及占比增为的")
            or re.match(r"的[\u4e00-\u9fff]", after)
        ):
            return False  # 收入超1亿元基金会, 覆盖率超过90%的县: a class, not a figure
        if word == "岁" and (_AGE_AFTER.match(after) or _AGE_BEFORE.search(before)):
            return False
        return not (
            word in ("天", "小时", "分钟", "年", "日", "个月", "次", "届")
            and (_DURATION_BEFORE.search(before) or _DURATION_AFTER.match(after))
        )

    def _quote(self, offset: int, text: str, position: int) -> tuple[int, int]:
        """The source span of the ；-segment of the sentence that holds ``position``.

        At most 160 characters each side: a sentence that never ends (a hostile or
        broken file) gives its figures short quotes, cut at a comma where it can.
        """
        rel = position - offset
        low = max(0, rel - 160)
        start = max(text.rfind("；", low, rel), text.rfind(";", low, rel)) + 1
        if start == 0 and low > 0:
            start = max(text.rfind("，", low, rel), text.rfind(",", low, rel), low - 1) + 1
        high = min(len(text), rel + 160)
        ends = [i for i in (text.find("；", rel, high), text.find(";", rel, high)) if i >= 0]
        if ends:
            end = min(ends)
        elif high < len(text):
            commas = [i for i in (text.find("，", rel, high), text.find(",", rel, high)) if i >= 0]
            end = min(commas) if commas else high
        else:
            end = len(text.rstrip("。！？!?"))
        end = max(end, rel + 1)
        while start < end and text[start] in " ，,":
            start += 1
        a, _ = self.src(offset + start, offset + end)
        _, b = self.src(offset + start, offset + end)
        return a, b

    def figure(
        self,
        state: _State,
        offset: int,
        text: str,
        token: _Token,
        lead: str,
        after: str,
        prev: Figure | None,
        prev_lead: str,
    ) -> Figure | None:
        word = self.lex.unit_words.get(token.word) if token.word else None
        value = token.value
        unit = word.unit if word else "NUM"
        counts = word.counts if word else None
        kind, change = "level", None
        joined = bool(_JOIN.match(lead)) and prev is not None
        verb = _VERB.search(lead) or _RATE_NOUN.search(lead)
        if _TO_LEVEL.search(lead) or re.search(r"由$", lead):
            verb = None
        if verb is None and joined and prev is not None and prev.kind == "change":
            kind = "change"
            decrease = prev.value < 0 if prev.change else False
            verb_text = "下降" if decrease else "增长"
        elif verb is not None:
            kind = "change"
            verb_text = verb["verb"]
        else:
            verb_text = ""
        if word is not None and word.change is not None:
            kind, change = "change", word.change
        if kind == "change":
            if change is None:
                if word is not None and word.change_unit is not None:
                    unit = word.change_unit
                    value = value * word.change_factor
                    change = "relative"
                elif unit == "PERCENT":
                    change = "relative"
                else:
                    change = "absolute"
            if (
                re.fullmatch(_DECREASE, verb_text) or verb_text in ("少", "降幅", "跌幅")
            ) and value > 0:
                value = -value
            elif word is not None and word.change and re.search(r"低(?:于)?$", lead) and value > 0:
                value = -value  # 比全省平均水平82.0%低2.3个百分点
        # rate cues: 每千人口…张 is per mille, 每月…元 is yuan per month
        clause = _clause(lead) if not joined else _clause(prev_lead) if prev else ""
        if kind == "level":
            if joined and prev is not None and prev.kind == "level" and prev.unit != unit:
                # 人均每月665元和每年5842元: the second has its own cue; 每年900元和700元 share one
                cue = self.lex.rate_cue_re.search(lead)
                if cue is None and prev.unit in ("CNY-PER-MO", "CNY-PER-YR") and unit == "CCY_CNY":
                    unit = prev.unit
            for cue_match in self.lex.rate_cue_re.finditer(_clause(lead) or clause):
                rate = self.lex.rate_cues[cue_match.group()]
                if rate.applies_to == unit:
                    unit = rate.unit
            if unit == "CCY_CNY" and counts is None and "人均" in (_clause(lead) or clause):
                counts = "person"
            if (
                unit in ("CNY-PER-MO", "CNY-PER-YR")
                and counts is None
                and ("人均" in clause or "人均" in lead)
            ):
                counts = "person"
        to_level = re.search(
            r"(?:增加|提高|上升|增长|下降|减少|降低|降|升|增)(?:到|至)(?:\d{4}年(?:末|底)?(?:的)?)?$",
            lead,
        )
        if kind == "level" and to_level and prev is not None and prev.kind == "level":
            base_unit = word.unit if word else "NUM"
            if prev.unit != base_unit and self.lex.unit_words.get(token.word or "") is not None:
                rate_units = {
                    c.unit for c in self.lex.rate_cues.values() if c.applies_to == base_unit
                }
                if prev.unit in rate_units:
                    unit = prev.unit
        if word is not None and word.by_noun:
            tail = self.view.text[token.end : token.end + 8]
            counts = (
                self.lex.count_noun(re.split(r"[，。；、]", tail)[0])
                or self.lex.count_noun(_clause(lead))
                or word.counts
            )
        if token.word in ("元", "元人民币") and re.search(r"美元兑$", lead):
            unit = "CNY-PER-USD"  # 1美元兑6.9元人民币: an exchange rate
        subject = (
            _subject(lead) if not joined or kind == "change" else (prev.subject if prev else "")
        )
        if kind == "level" and joined and prev is not None and prev.kind == "level":
            own = _subject(lead)
            subject = own or prev.subject
        if not subject and prev is not None and prev.kind == kind and re.match(r"[和、与及]", lead):
            subject = prev.subject  # 人均每月665元和每年5842元: the same subject
        qualifier = None
        for name, pattern in _BOUND_BEFORE.items():
            if pattern.search(lead):
                qualifier = name
        if token.approx:
            qualifier = "more-than"
        if re.match(r"(?:以上|及以上)(?![\u4e00-\u9fff])", after):
            qualifier = "at-least"
        if after.startswith("左右"):
            qualifier = "approximately"
        value = Decimal(decimal_text(value))  # 892000, not 892000.0
        a, b = self.src(token.start, token.end)
        period = state.period
        # 由2010年的6.1%上升到12.4%: the year names this figure only, not what follows
        local = re.search(r"(?:由|从|比|较|是|与)(\d{4})年(末|底)?(?:的)?$", lead)
        if local and kind == "level":
            period = f"{local[1]}-12-31" if local[2] else local[1]
        elif kind == "level" and re.search(r"(?:由|从)$", lead):
            # 机构由2010年的310个增加到5122个，床位由2.1万张增加到…: the same base year
            earlier = re.findall(
                r"(?:由|从)(\d{4})年(末|底)?", self.view.text[offset : token.start]
            )
            if earlier:
                year, end = earlier[-1]
                period = f"{year}-12-31" if end else year
        # 比上年（40.1%）, 比2010年的12.6%, 比“十三五”时期的平均水平71.5%: the value compared with
        tail = re.split(r"[，,；;：:]", lead)[-1]
        compared = re.search(
            r"(?<!占)(?:比|较)(?!重|例|率|值|较|分别)(?P<what>[^，；。,;%]{0,16})$", tail
        )
        comparison = kind == "level" and compared is not None
        if comparison and compared is not None:
            what = compared["what"]
            year_match = re.search(r"(\d{4})年(末|底)?", lead[-24:])
            plan = re.search("|".join(PLANS), what)
            if re.search("上年|去年", what) and state.period:
                period = periods.previous(state.period) or period
            elif plan and "时期" in what:
                first, last = PLANS[plan.group()]
                period = f"{first}/{last}"
            elif year_match:
                period = f"{year_match[1]}-12-31" if year_match[2] else year_match[1]
        figure = Figure(
            start=a,
            end=b,
            value_text=self.doc.text[a:b],
            value=value,
            unit=unit,
            period=period,
            kind=kind,
            change=change,
            counts=counts if kind == "level" or change == "absolute" else None,
            qualifier=qualifier,
            subject=subject,
            quote=self._quote(offset, text, token.start),
            comparison=comparison,
        )
        if kind == "change":
            figure.base = self._base(lead, state, prev)
            figure.base_explicit = bool(re.search(r"(?:比|较|与)\d{4}年", lead))
            span = self._average_span(lead, text, state)
            if span is not None:  # 平均每年增长6.2%: over the years since the base
                figure.period, figure.base, figure.base_explicit = span[0], span[1], True
        else:
            figure.scope = _scope(clause or lead)
            figure.first_time = "首次" in clause
            figure.indicator = self.lex.indicator(_core(subject), unit)
        if unit is None:
            figure.notes.append("no unit")
        if state.period is None:
            figure.notes.append("no year in the text: give --year")
        return figure

    def _average_span(self, lead: str, text: str, state: _State) -> tuple[str, str] | None:
        """平均每年增长 after 比1985年增长: the change per year over 1986/1995, base 1985."""
        if not re.search(r"(?:平均每年|年均|每年平均)(?:[\u4e00-\u9fff]{0,4})$", lead):
            return None
        years = re.findall(r"(?:比|较|与)(\d{4})年", text)
        if not years or state.year is None:
            return None
        base = int(years[-1])
        if base >= state.year:
            return None
        return f"{base + 1}/{state.year}", str(base)

    def _base(self, lead: str, state: _State, prev: Figure | None) -> str | None:
        compare = None
        for m in _COMPARE.finditer(lead):
            compare = m
        period = state.period
        if compare is None:
            if prev is not None and prev.kind == "change" and prev.base and prev.period == period:
                return prev.base
            return periods.previous(period) if period else None
        if compare["year"]:
            return f"{compare['year']}-12-31" if compare["end"] else compare["year"]
        what = compare["what"] or ""
        if what in ("上年末", "上年底", "去年末", "年初"):
            year = periods.year_of(period) if period else state.year
            return f"{year - 1}-12-31" if year else None
        if compare["mom"] and period:
            return _before(period)
        return periods.previous(period) if period else None

    def distribute_scope(self, figures: list[Figure]) -> None:
        """城乡…分别 A和B: the first of two joined levels is urban, the second rural."""
        levels = [f for f in figures if f.kind == "level"]
        for first, second in itertools.pairwise(levels):
            lead = self.doc.text[max(0, first.start - 60) : first.start]
            clause = re.split(r"[，,；;。]", lead)[-1]
            if "分别" not in clause or not _joined_levels(first, second, self.doc.text):
                continue
            if re.search("城乡|城市和农村|城镇和农村", clause):
                first.scope, second.scope = "urban", "rural"
            years = re.search(r"(\d{4})年[、和与及](\d{4})年[^，；。]*分别", clause)
            if years:  # 2023年、2024年…分别为832亿元、1694亿元
                first.period, second.period = years[1], years[2]

    # ------------------------------------------------------------ attaching changes

    def attach(self, offset: int, text: str, figures: list[Figure]) -> None:
        """Each change is of the level right before it, unless a new subject comes between.

        One pass over the sentence: the levels of the current ；-segment so far, and
        the runs of changes joined by 和 / 、, are kept as the pass goes.
        """
        del offset, text
        runs = _runs(figures, self.doc.text)
        segment = -1
        levels: list[Figure] = []  # of the current segment, in order
        compared: list[Figure] = []
        at_run_start = 0  # how many levels of the segment stand before the current run
        self._starts = [f.start for f in figures]
        for i, figure in enumerate(figures):
            here = bisect.bisect_left(self.semicolons, figure.start)
            if here != segment:
                segment, levels, compared = here, [], []
            if figure.kind == "level":
                (compared if figure.comparison else levels).append(figure)
                continue
            run = runs[i]
            if run[0] == i:
                at_run_start = len(levels)
            if (
                compared
                and levels
                and compared[-1].start > levels[-1].start
                and not figure.base_explicit
            ):
                figure.base = compared[-1].period  # 占42.5%，比上年（40.1%）提高2.4个百分点
            before = levels[max(0, at_run_start - max(len(run), 2)) : at_run_start]
            if len(run) > 1 and at_run_start >= len(run):
                candidates = before[-len(run) :]
                if _is_run(candidates, self.doc.text):
                    figure.of = candidates[run.index(i)]
                    continue
            if not before:
                continue
            level = before[-1]
            if len(before) > 1 and self._bracketed(before[-2], level):
                # 4218元（折合592美元）, 352万辆（包括低速货车69万辆）: the change is of the
                # figure before the brackets, not of what they restate or include
                inner, level = level, before[-2]
                if _fits(figure, level) and not _new_subject(self._gap(inner, figure, figures)):
                    figure.of = level
                continue
            if (
                len(before) > 1
                and figure.change == "relative"
                and level.unit == "PERCENT"
                and before[-2].unit != "PERCENT"
                and re.match(r"占", level.subject)
            ):
                share = level
                level = before[-2]  # 收入612.8亿元，占…23.4%，比2010年增长1.8倍: of the value
                if not _new_subject(self._gap(share, figure, figures)):
                    figure.of = level
                continue
            if not _fits(figure, level):
                continue
            if _new_subject(self._gap(level, figure, figures)):
                continue
            figure.of = level
        for figure in figures:
            if figure.kind != "change" or figure.of is None:
                continue
            level = figure.of
            if (
                figure.base
                and periods.is_instant(figure.base)
                and level.period
                and not periods.is_instant(level.period)
            ):
                # 比上年末增加: the level is a stock at the end of its year
                level.period = f"{periods.year_of(level.period)}-12-31"
            if not (figure.period and "/" in figure.period):
                figure.period = level.period
            if figure.change == "absolute":
                figure.counts = level.counts
                if figure.unit != level.unit and level.unit is not None:
                    figure.notes.append(f"unit {figure.unit} beside a level in {level.unit}")
            if (
                figure.base
                and not figure.base_explicit
                and level.period
                and periods.is_instant(level.period)
                and not periods.is_instant(figure.base)
            ):
                figure.base = periods.previous(level.period)
        for figure in figures:
            if (
                figure.kind == "change"
                and figure.of is None
                and figure.period
                and figure.base
                and periods.is_instant(figure.base)
                and not periods.is_instant(figure.period)
            ):
                figure.period = f"{periods.year_of(figure.period)}-12-31"

    def _bracketed(self, outer: Figure, inner: Figure) -> bool:
        """Whether ``inner`` stands in brackets right after ``outer``."""
        between = re.sub(r"\s+", "", self.doc.text[outer.end : inner.start])
        after = self.doc.text[inner.end : inner.end + 2].lstrip()
        return (
            between[:1] in "（(" and not re.search(r"[，,；;。）)]", between) and after[:1] in "）)"
        )

    def _gap(self, level: Figure, change: Figure, figures: list[Figure]) -> str:
        """The words between a level and a change, without the other figures between them."""
        starts = self._starts
        first = bisect.bisect_right(starts, level.start)
        last = bisect.bisect_left(starts, change.start)
        pieces = []
        cursor = level.end
        for other in figures[first:last]:
            if other.start >= level.end and other.end <= change.start:
                piece = self.doc.text[cursor : other.start]
                if other.comparison:  # 比“十三五”时期的平均水平71.5%: the comparison, not a subject
                    cut = max(piece.rfind("比"), piece.rfind("较"))
                    piece = piece[:cut] if cut >= 0 else piece
                pieces.append(piece)
                cursor = other.end
        pieces.append(self.doc.text[cursor : change.start])
        return re.sub(r"\s+", "", "".join(pieces))


def _chinese(num: str) -> Decimal | None:
    try:
        return parse_number(num)
    except NotANumber:
        pass
    for mult in sorted(MULTIPLIERS, key=len, reverse=True):
        if num.endswith(mult) and len(num) > len(mult):
            try:
                return parse_number(num[: -len(mult)], mult)
            except NotANumber:
                return None
    return None


def _before(period: str) -> str | None:
    """The period just before (环比): the month or quarter before."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if m:
        year, month = int(m[1]), int(m[2])
        return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    m = re.fullmatch(r"(\d{4})-Q([1-4])", period)
    if m:
        year, q = int(m[1]), int(m[2])
        return f"{year - 1}-Q4" if q == 1 else f"{year}-Q{q - 1}"
    return periods.previous(period)


def _is_heading_line(line: str) -> bool:
    stripped = line.strip()
    if stripped.startswith("#"):
        return True
    if re.match(
        r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\))",
        stripped,
    ):
        return len(stripped) < 30 and not re.search(r"[。；]", stripped)
    return len(stripped) < 16 and not re.search(r"[，。；、：:,]|\d", stripped)


def _clause(lead: str) -> str:
    """The clause a lead ends in: the words after its last comma or colon."""
    return re.split(r"[，,；;：:]", lead)[-1]


def _subject(lead: str) -> str:
    piece = (
        re.split(r"[（(]", _clause(lead))[-1]
        if re.search(r"[（(][^）)]*$", _clause(lead))
        else _clause(lead)
    )
    piece = _CLAUSE_STRIP_HEAD.sub("", piece)
    for _ in range(3):
        stripped = _SUBJECT_STRIP_TAIL.sub("", piece)
        stripped = re.sub(rf"(?:{_DECREASE}|{_INCREASE})(?:了)?$", "", stripped)
        stripped = _COMPARE.sub("", stripped)
        if stripped == piece:
            break
        piece = stripped
    return piece.strip("）)（( ")


def _core(subject: str) -> str:
    """A subject as matched against indicator labels: no place or period words before it,
    no 共有 / 共 / 有 (全国共有孤儿15.9万人: 孤儿)."""
    core = _PLACE_WORDS.sub("", subject)
    return re.sub(r"^(?:共有|共|有|拥有|登记的|登记)", "", core)


def _scope(clause: str) -> str | None:
    if "城乡" in clause:
        return None
    if "农村" in clause:
        return "rural"
    if "城市" in clause or "城镇" in clause:
        return "urban"
    return None


def _semicolons(text: str) -> list[int]:
    return [i for i, char in enumerate(text) if char in "；;"]


def _fits(change: Figure, level: Figure) -> bool:
    """Whether a change can be of a level: points of a rate in the same unit, an absolute
    change in the level's unit; a relative change of anything."""
    if change.change in ("percentage-points", "per-mille-points"):
        return level.unit == change.unit
    if change.change == "absolute":
        return level.unit == change.unit
    return True


def _new_subject(gap: str) -> bool:
    """Whether the words between a level and a change name a new subject.

    Not a new subject: comparison words and computation notes (_FILLER), a note in
    brackets (（不含税）), the word for the share itself (比重, 份额, 占比), and the rest
    of the level's own clause (89.0%的企业具有仓库管理系统，同比上升0.2个百分点).
    """
    gap = re.sub(r"[（(][^（）()\d]{0,12}[)）]", "", gap)
    if gap and gap[0] not in "，,；;。":
        gap = re.split(r"[，,；;]", gap, maxsplit=1)[-1] if re.search(r"[，,；;]", gap) else gap
    rest = re.sub(r"比重|份额|占比|同口径", "", _FILLER.sub("", gap))
    rest = re.sub(r"[\s，,、（）()：:；;。\[\]\d.%％]", "", rest)
    return len(re.findall(r"[\u4e00-\u9fffA-Za-z]", rest)) >= 2


def _runs(figures: list[Figure], text: str) -> list[list[int]]:
    """For each figure, the indexes of the run of changes joined by 和 / 、 it is part of."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, figure in enumerate(figures):
        if (
            current
            and figure.kind == "change"
            and figures[current[-1]].kind == "change"
            and _joined(figures[current[-1]], figure, text)
        ):
            current.append(i)
        else:
            current = [i]
        runs.append(current)
    return runs


def _joined(a: Figure, b: Figure, text: str) -> bool:
    between = "".join(text[a.end : b.start].split())
    return bool(re.fullmatch(r"[和、与及]|，", between))


def _joined_levels(a: Figure, b: Figure, text: str) -> bool:
    """Two levels joined by 和 / 、 (with at most a rate cue between: 665元和每年5842元)."""
    between = "".join(text[a.end : b.start].split())
    return bool(re.fullmatch(r"[和、与及][\u4e00-\u9fff]{0,4}", between))


def _is_run(levels: list[Figure], text: str) -> bool:
    for a, b in itertools.pairwise(levels):
        between = "".join(text[a.end : b.start].split())
        if not re.fullmatch(r"[和、与及，,]?(?:[\u4e00-\u9fff]{0,10})", between):
            return False
    return True


def extract(doc: SourceDocument, year: int | None = None) -> Extraction:
    """The figures in the prose of a document (tables are read by :mod:`kg.ingest.tables`)."""
    return ProseExtractor(doc, year).run()


__all__ = ["Extraction", "Figure", "ProseExtractor", "ReviewItem", "extract", "soft_breaks"]
