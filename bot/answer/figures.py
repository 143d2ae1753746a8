"""Every figure in a text as a value, whatever its notation: 5000, 5,000, ５０００, 500万, 五百万, 百分之五十, 50%,
"five million", "1.5 million", "December 31". A model's prose can say a document's 500万元 as "5 million
yuan"; comparing values, not digit strings, lets the honest rewording through and stops the invented one."""

from __future__ import annotations

import contextlib
import re

from bot.corpus.facts.numbers import CN_NUMERAL, chinese_numeral

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
_SCALE_ZH = {
    "十": 10,
    "百": 100,
    "千": 1_000,
    "万": 10_000,
    "萬": 10_000,
    "亿": 100_000_000,
    "億": 100_000_000,
}
_SCALE_EN = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_UNITS_EN = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS_EN = {
    w: 10 * i
    for i, w in enumerate(
        ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
    if i > 1
}
_WORD_VALUE = {w: i for i, w in enumerate(_UNITS_EN)} | _TENS_EN
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_ABBR = {m[:3]: i for i, m in enumerate(_MONTHS, start=1)} | {"sept": 9}

# 5,000 / 5000 / 2.5, then an optional Chinese or English scale (5千万, 500万, 1.5 million).
_ARABIC = re.compile(
    r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d])\s*(千万|百万|十万|万亿|萬億|[十百千万萬亿億]|"
    r"hundred|thousand|million|billion)?",
    re.IGNORECASE,
)
_CHINESE = re.compile(rf"(百分之)?({CN_NUMERAL})")
# What a Chinese figure counts: a lone 一 in 统一 or 两 in 两岸 is a word, 三年 or 五家 is a figure.
_COUNTED = re.compile(r"[元年月日天个個项項件家次倍名人类類批所期条條章款%号號岁歲周週届屆项亿億万萬]")
_WORDS_EN = re.compile(
    r"(?<!\d )(?<!\d)\b(?:(?:"
    + "|".join(sorted(_WORD_VALUE, key=len, reverse=True))
    + r"|hundred|thousand|million|billion|and|a)"
    r"(?:[\s-]+|\b)){1,8}",
    re.IGNORECASE,
)
_MONTH_DATE = re.compile(
    r"\b(" + "|".join(_MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?\s+(?=\d)"
    r"|(?<=\d)\s+(" + "|".join(_MONTHS) + r")\b",
    re.IGNORECASE,
)
_CN_SCALES = re.compile(r"^(千万|百万|十万|万亿|萬億|[十百千万萬亿億])")


def _scale(word: str | None) -> float:
    if not word:
        return 1.0
    word = word.lower()
    if word in _SCALE_EN:
        return float(_SCALE_EN[word])
    value = 1.0
    for char in word:
        value *= _SCALE_ZH[char]
    return value


def _english_words(phrase: str) -> float | None:
    """ "five million" → 5000000, "twenty-three" → 23, "one hundred and five" → 105; None for "a" or "and"."""
    total, current, seen = 0.0, 0.0, False
    for word in re.split(r"[\s-]+", phrase.lower().strip()):
        if word in ("and", "a", ""):
            continue
        seen = True
        if word in _WORD_VALUE:
            current += _WORD_VALUE[word]
        elif word == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * _SCALE_EN[word]
            current = 0.0
    return total + current if seen else None


def values(text: str, strict: bool = False) -> list[tuple[str, float]]:
    """(as written, value) for each figure in `text`. Strict reading is for prose that must be checked: a
    lone Chinese digit counts only before what it counts (三年, 五家), and a bare English "one" not at all;
    the loose reading, for the evidence, takes every figure it can."""
    text = text.translate(_FULL_WIDTH)
    found: list[tuple[str, float]] = []
    for match in _ARABIC.finditer(text):
        number = float(match.group(1).replace(",", "") + (match.group(2) or ""))
        found.append((match.group(0).strip(), number * _scale(match.group(3))))
        if not strict and match.group(3):
            found.append((match.group(1) + (match.group(2) or ""), number))
    for match in _CHINESE.finditer(text):
        numeral = match.group(2)
        try:
            value = chinese_numeral(numeral)
        except ValueError:
            continue
        after = text[match.end() : match.end() + 1]
        if strict and not match.group(1) and value < 10 and len(numeral) == 1 and not _COUNTED.match(after):
            continue
        found.append((match.group(0), value))
        if not strict:
            # 一千万 also as its parts' evidence: 一千 before 万元 is the 1000 of "1000万元".
            trimmed = numeral.rstrip("万萬亿億")
            if trimmed and trimmed != numeral:
                with contextlib.suppress(ValueError):
                    found.append((trimmed, chinese_numeral(trimmed)))
    for match in _WORDS_EN.finditer(text):
        phrase = match.group(0)
        worded = _english_words(phrase)
        if worded is None or (
            strict and worded == 1 and not re.search(r"hundred|thousand|million|billion", phrase, re.I)
        ):
            continue
        found.append((phrase.strip(), worded))
    for match in _MONTH_DATE.finditer(text):
        name = (match.group(1) or match.group(2)).lower().rstrip(".")
        month = (
            _MONTHS.index(name) + 1
            if name in _MONTHS
            else _MONTH_ABBR.get(name[:4], _MONTH_ABBR.get(name[:3]))
        )
        if month:
            found.append((match.group(0).strip(), float(month)))
    return found


def same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
