"""How a clause is named in an answer, in each language, and Chinese numerals for the plan's numbering."""

from __future__ import annotations

from bot.schema import Clause, Document

_DIGITS = "零一二三四五六七八九"
_ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def int_to_cn(number: int) -> str:
    """1 → 一, 16 → 十六, 23 → 二十三, 105 → 一百零五 (enough for part, measure and article numbers)."""
    if number < 10:
        return _DIGITS[number]
    if number < 20:
        return "十" + (_DIGITS[number % 10] if number % 10 else "")
    if number < 100:
        return _DIGITS[number // 10] + "十" + (_DIGITS[number % 10] if number % 10 else "")
    hundreds, rest = divmod(number, 100)
    tail = (
        ""
        if rest == 0
        else (
            "零" + _DIGITS[rest] if rest < 10 else int_to_cn(rest) if rest >= 20 else "一" + int_to_cn(rest)
        )
    )
    return _DIGITS[hundreds] + "百" + tail


def _part_number(clause: Clause) -> int | None:
    if clause.part and clause.part.startswith("part-"):
        return int(clause.part.removeprefix("part-"))
    return None


def label_zh(document: Document, clause: Clause) -> str:
    book = f"《{document.meta.title}》"
    if clause.kind == "notice":
        return f"{book}印发通知（{document.meta.number}）" if document.meta.number else f"{book}印发通知"
    if clause.kind == "intro":
        return f"{book}前言"
    if clause.kind == "table":
        return f"{book}表{clause.clause.removeprefix('table')}"
    if clause.kind == "part":
        return f"{book}{int_to_cn(int(clause.clause.removeprefix('part-')))}、{clause.title}"
    if clause.kind == "measure":
        part = _part_number(clause)
        prefix = f"{int_to_cn(part)}、" if part else ""
        return f"{book}{prefix}({int_to_cn(int(clause.clause))})"
    if clause.kind == "article":
        return f"{book}{clause.title}"
    if clause.kind == "chapter":
        return f"{book}第{int_to_cn(int(clause.clause.removeprefix('chapter-')))}章"
    return f"{book}{clause.title}"


def label_en(document: Document, clause: Clause, document_title_en: str | None) -> str:
    is_plan = document.meta.shape == "plan"
    name = "Work Plan" if is_plan else (document.meta.title_en or document_title_en or document.meta.title)
    if clause.kind == "notice":
        return f"{name}, issuing notice"
    if clause.kind == "intro":
        return f"{name}, preamble"
    if clause.kind == "table":
        return f"{name}, Table {clause.clause.removeprefix('table')}"
    if clause.kind == "part":
        number = int(clause.clause.removeprefix("part-"))
        return f"{name}, Part {_ROMAN[number] if number < len(_ROMAN) else number}"
    if clause.kind == "measure":
        part = _part_number(clause)
        part_text = f", Part {_ROMAN[part] if part < len(_ROMAN) else part}" if part else ""
        return f"{name}{part_text}, Measure ({clause.clause})"
    if clause.kind == "article":
        return f"{name}, Article {clause.clause}"
    if clause.kind == "chapter":
        return f"{name}, Chapter {clause.clause.removeprefix('chapter-')}"
    return f"{name}, {clause.title}"
