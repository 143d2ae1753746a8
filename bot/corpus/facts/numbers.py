"""Numbers as Chinese documents write them (5000, 5,000, ５０００, 五千, 二十万, 百分之五十) and money in yuan."""

from __future__ import annotations

import re

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2, "兩": 2}
_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_LARGE = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
# A Chinese numeral starts with a digit or 十 (亿元 alone is a unit, not a number).
CN_NUMERAL = "[零〇一二两兩三四五六七八九十拾][零〇一二两兩三四五六七八九十拾百佰千仟万萬亿億]*"
NUMBER = rf"(?:\d[\d,，]*(?:\.\d+)?|{CN_NUMERAL})"
YUAN = {"元": 1, "千元": 1_000, "万元": 10_000, "萬元": 10_000, "亿元": 100_000_000, "億元": 100_000_000}


def chinese_numeral(text: str) -> float:
    """五千 → 5000, 二十三 → 23, 一百零五 → 105, 三万五千 → 35000, 两亿 → 200000000."""
    total, section, digit = 0, 0, 0
    for char in text:
        if char in _DIGIT:
            digit = _DIGIT[char]
        elif char in _SMALL:
            section += (digit or 1) * _SMALL[char]
            digit = 0
        elif char in _LARGE:
            total += (section + digit or 1) * _LARGE[char]
            section, digit = 0, 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return float(total + section + digit)


def parse_number(text: str) -> float | None:
    """The value of a number as written, or None when it is not one."""
    text = text.translate(_FULL_WIDTH).strip()
    if re.fullmatch(r"\d[\d,]*(?:\.\d+)?", text):
        return float(text.replace(",", ""))
    if re.fullmatch(CN_NUMERAL, text):
        try:
            return chinese_numeral(text)
        except ValueError:
            return None
    return None


def in_yuan(value: float, unit: str | None) -> float | None:
    """An amount in yuan, for comparing amounts written in 元, 万元 and 亿元."""
    return value * YUAN[unit] if unit in YUAN else None


def plain(value: float) -> str:
    """5000.0 → '5000', 1.5 → '1.5', 1000000.0 → '1000000' (never '1e+06')."""
    return str(int(value)) if value == int(value) else f"{value:g}"
