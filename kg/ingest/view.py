"""A reading view of a text: what the rules match, with every character's place in the source.

Documents break a sentence, or a number and its unit, across lines (text cut
from PDF), put spaces between a number and 万人, write full-width digits and
footnote markers inside figures. The rules should not have to. The view drops
what carries no meaning for them and maps each character it keeps back to its
offset in the source, so that every span found in the view is a span of the
source text, and its quote is exact:

* spaces, tabs and ideographic spaces are dropped, except one between two
  digits or letters (two table cells ``74.6 53.7`` stay two numbers);
* a line break inside a sentence is dropped (a *soft* break): the line does not
  end a sentence and is not a heading, and the next line does not start one;
  every other line break (a *hard* break) stays as ``\\n``;
* footnote markers (``[2]``, ``［3］``, ①) are dropped;
* full-width digits, letters, ``％`` and ``．`` between digits are read as ASCII;
  Markdown emphasis (``**``) is dropped.

>>> view = View.of("全年救助困难群众 1826 万人，其中临时救助 653\\n万人。")
>>> view.text
'全年救助困难群众1826万人，其中临时救助653万人。'
>>> start, end = view.source_span(view.text.index("653"), view.text.index("653") + 5)
>>> view.source[start:end]
'653\\n万人'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_FOOTNOTE = re.compile(r"\[\d{1,3}\]|［\d{1,3}］|\[注\d{1,2}\]|[①-⑳]")
_TERMINAL = "。！？；：!?;:…”」』）)】"
# a line that starts a new block: a heading or list marker, a caption, a note
_BLOCK_START = re.compile(
    r"[ \t\u3000]*(?:#|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）"
    r"|\([一二三四五六七八九十]+\)"
    r"|\d{1,2}[.、．]\D|[（(]\d{1,2}[)）]|图\s*\d|表\s*\d|注[:：]|注\d|单位[:：]|资料来源|\[\d"
    r"|\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?[ \t\u3000]*$)"
)
# a caption or a unit line is a line of its own: 图3 …, 表2 …, 单位：万人
_CAPTION = re.compile(r"[ \t\u3000]*(?:图\s*\d|表\s*\d|单位[:：])")
_SPACES = " \t\u3000\xa0\u2002\u2003\u2009\u200b"


def _narrow(char: str) -> str:
    """Full-width digits and letters as ASCII; other characters unchanged."""
    if "\uff10" <= char <= "\uff19" or "\uff21" <= char <= "\uff3a" or "\uff41" <= char <= "\uff5a":
        return unicodedata.normalize("NFKC", char)
    if char == "％":
        return "%"
    if char in "−－﹣":
        return "-"
    return char


def _is_heading(line: str) -> bool:
    """A short line without sentence punctuation, or a line that starts with a heading mark."""
    stripped = line.strip(_SPACES)
    if not stripped:
        return False
    if stripped.startswith("#"):
        return True
    if (
        re.match(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）", stripped)
        and len(stripped) < 30
    ):
        return not re.search(r"[。，；]", stripped)
    return len(stripped) < 16 and not re.search(r"[，。；、：:,]", stripped)


def soft_breaks(text: str) -> set[int]:
    """Offsets of the line breaks that are inside a sentence.

    A run of up to three blank lines inside a sentence (a page break in text cut
    from PDF: 比\\n\\n上年末增加) is soft as a whole.
    """
    soft: set[int] = set()
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    for i, line in enumerate(lines[:-1]):
        stripped = line.rstrip(_SPACES)
        if not stripped:
            continue
        j = i + 1
        while j < len(lines) - 1 and j - i <= 3 and not lines[j].strip(_SPACES):
            j += 1
        following = lines[j]
        if (
            following.strip(_SPACES)
            and stripped[-1] not in _TERMINAL
            and not _is_heading(line)
            and not re.search(r"(?:公报|报告|通知|年鉴)$", stripped)
            and not _BLOCK_START.match(following)
            and not _CAPTION.match(line)
            and "\t" not in line.strip(_SPACES + "\t")
            and "|" not in stripped[-1:]
            and (len(stripped.strip(_SPACES)) >= 16 or re.search(r"[，、；]", stripped))
        ):
            soft.update(starts[k] + len(lines[k]) for k in range(i, j))
    return soft


@dataclass
class View:
    source: str
    text: str
    index: list[int]  # index[i]: offset in source of text[i]; index[len(text)] = end

    @classmethod
    def of(cls, source: str, start: int = 0, end: int | None = None) -> View:
        """The view of ``source[start:end]``."""
        end = len(source) if end is None else end
        soft = soft_breaks(source)
        skip: set[int] = set()
        for match in _FOOTNOTE.finditer(source, start, end):
            skip.update(range(match.start(), match.end()))
        for match in re.finditer(r"\*\*|__", source[start:end]):
            skip.update(range(start + match.start(), start + match.end()))
        chars: list[str] = []
        index: list[int] = []
        i = start
        while i < end:
            char = source[i]
            if i in skip:
                i += 1
                continue
            if char in _SPACES or (char == "\n" and i in soft) or char == "\r":
                # keep one space between two digits or letters: two numbers stay two
                j = i
                while j < end and (source[j] in _SPACES or (source[j] == "\n" and j in soft)):
                    j += 1
                after = _narrow(source[j]) if j < end else ""
                before = chars[-1] if chars else ""
                if before and after and _alnum(before) and _alnum(after) and after != "%":
                    chars.append(" ")
                    index.append(i)
                i = j
                continue
            if char == "．" and chars and chars[-1].isdigit():
                char = "."
            chars.append(_narrow(char))
            index.append(i)
            i += 1
        index.append(end)
        return cls(source, "".join(chars), index)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the source that the view's ``text[start:end]`` comes from."""
        if end <= start:
            return self.index[start], self.index[start]
        return self.index[start], self.index[end - 1] + 1


def _alnum(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in ".%")


__all__ = ["View", "soft_breaks"]
