"""Numbers as Chinese documents write them: Arabic, full-width, Chinese numerals, 万 and 亿.

Chinese numerals are read by cn2an, a library made for it; 万, 亿 and 万亿 after a
number multiply it. Values are :class:`~decimal.Decimal`, never floats.

>>> decimal_text(parse_number("1.8", "亿")), decimal_text(parse_number("24.76", "万"))
('180000000', '247600')
>>> decimal_text(parse_number("一万二千", "亿")), decimal_text(parse_number("1,234.5"))
('1200000000000', '1234.5')
>>> decimal_text(parse_number("三点五", "万")), year_numeral("二〇二〇")
('35000', 2020)
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import cn2an

MULTIPLIERS = {
    "万亿": Decimal(10) ** 12,
    "千亿": Decimal(10) ** 11,
    "百亿": Decimal(10) ** 10,
    "亿": Decimal(10) ** 8,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "万": Decimal(10) ** 4,
}

CHINESE_DIGITS = "零〇一二两三四五六七八九"
CHINESE_NUMERAL = f"[{CHINESE_DIGITS}十百千万亿点]"

_ARABIC = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


class NotANumber(ValueError):
    """Text that is not a numeral."""


def chinese_value(text: str) -> Decimal:
    """The value of a Chinese numeral (一千零五, 三点五, 一万二千亿), read by cn2an.

    >>> chinese_value("一千零五"), chinese_value("十五")
    (Decimal('1005'), Decimal('15'))
    """
    try:
        value = cn2an.cn2an(text, "normal")
    except (ValueError, KeyError, IndexError) as error:
        raise NotANumber(text) from error
    return Decimal(str(value))


def parse_number(digits: str, multiplier: str = "") -> Decimal:
    """A numeral (Arabic with or without thousands separators, or Chinese) times its multiplier."""
    digits = digits.strip()
    negative = digits[:1] in "-−－"
    if negative:
        digits = digits[1:]
    if _ARABIC.fullmatch(digits):
        try:
            value = Decimal(digits.replace(",", ""))
        except InvalidOperation as error:
            raise NotANumber(digits) from error
    else:
        value = chinese_value(digits)
    value *= MULTIPLIERS.get(multiplier, Decimal(1))
    return -value if negative else value


def decimal_text(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: ``'180000000'``, ``'7.7'``, ``'-0.2'``."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def year_numeral(text: str) -> int:
    """A year written digit by digit in Chinese numerals (二〇二〇年) or in Arabic digits."""
    if text.isdigit():
        return int(text)
    return int(chinese_value(text))


__all__ = [
    "CHINESE_NUMERAL",
    "MULTIPLIERS",
    "NotANumber",
    "chinese_value",
    "decimal_text",
    "parse_number",
    "year_numeral",
]
