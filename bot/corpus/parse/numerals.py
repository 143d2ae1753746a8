"""Chinese numerals as documents number their parts, items, articles and chapters."""

from __future__ import annotations

CN_DIGITS = "零〇一二两三四五六七八九"
CN_NUM = f"[{CN_DIGITS}十百千]+"
_DIGITS = "零一二三四五六七八九"
_ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


def cn_to_int(numeral: str) -> int:
    """Chinese numeral (一 … 九千九百九十九, also 二十三, 十, 一百零五) or Arabic digits to int."""
    numeral = numeral.strip()
    if numeral.isdigit():
        return int(numeral)
    values = {c: i for i, c in enumerate(_DIGITS)} | {"〇": 0, "两": 2}
    units = {"十": 10, "百": 100, "千": 1000}
    total, digit = 0, 0
    for char in numeral:
        if char in values:
            digit = values[char]
        elif char in units:
            total += (digit or 1) * units[char]
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {numeral!r}")
    return total + digit


def int_to_cn(number: int) -> str:
    """1 → 一, 16 → 十六, 23 → 二十三, 105 → 一百零五 (enough for part, item and article numbers)."""
    if number < 10:
        return _DIGITS[number]
    if number < 20:
        return "十" + (_DIGITS[number % 10] if number % 10 else "")
    if number < 100:
        return _DIGITS[number // 10] + "十" + (_DIGITS[number % 10] if number % 10 else "")
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + _DIGITS[rest]
    else:
        tail = int_to_cn(rest) if rest >= 20 else "一" + int_to_cn(rest)
    return _DIGITS[hundreds] + "百" + tail


def roman(number: int) -> str:
    return _ROMAN[number] if 0 < number < len(_ROMAN) else str(number)
