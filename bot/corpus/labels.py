"""How a clause is named in an answer, in each language: 第三条, 二、(一), 表2, 附件1; Article 3, Part II,
item (1), Table 2, Annex 1. Computed from the clause's kind and numbers, for any document."""

from __future__ import annotations

from bot.corpus.parse.numerals import int_to_cn, roman
from bot.schema import Clause, Document

__all__ = ["display_title", "int_to_cn", "label_en", "label_zh", "place_en", "place_zh"]


def _number(clause: Clause) -> int:
    if clause.number is not None:
        return clause.number
    tail = clause.clause.rsplit(".", 1)[-1].rsplit("-", 1)[-1].removeprefix("table")
    return int(tail) if tail.isdigit() else 0


def _division(document: Document, clause: Clause) -> Clause | None:
    return document.clause(clause.part) if clause.part else None


def place_zh(document: Document, clause: Clause) -> str:
    """The clause's place without the document's name: 二、(一), 第三条, 表1, 附件1第2项."""
    annex = document.clause(clause.annex) if clause.annex else None
    prefix = f"附件{_number(annex)}" if annex is not None else ""
    n = _number(clause)
    if clause.kind == "notice":
        return "印发通知"
    if clause.kind == "intro":
        return "前言"
    if clause.kind == "signature":
        return "落款"
    if clause.kind == "table":
        return f"表{n}"
    if clause.kind == "annex":
        return f"附件{n}"
    if clause.kind == "part":
        return f"{prefix}{int_to_cn(n)}、{clause.title}"
    if clause.kind == "chapter":
        return f"{prefix}第{int_to_cn(n)}章"
    if clause.kind == "section":
        chapter = _division(document, clause)
        return (
            f"{prefix}第{int_to_cn(_number(chapter))}章第{int_to_cn(n)}节"
            if chapter
            else f"{prefix}第{int_to_cn(n)}节"
        )
    if clause.kind == "article":
        return f"{prefix}第{int_to_cn(n)}条"
    if clause.kind == "item":
        return f"{prefix}第{n}项"
    if clause.kind == "measure":
        part = _division(document, clause)
        part_text = f"{int_to_cn(_number(part))}、" if part is not None and part.kind == "part" else ""
        return f"{prefix}{part_text}({int_to_cn(n)})"
    return f"{prefix}{clause.title}"


def label_zh(document: Document, clause: Clause) -> str:
    book = f"《{document.meta.title}》"
    if clause.kind == "notice" and document.meta.number:
        return f"{book}印发通知（{document.meta.number}）"
    return book + place_zh(document, clause)


def document_name_en(document: Document, document_title_en: str | None = None) -> str:
    meta = document.meta
    return meta.short_title_en or meta.title_en or document_title_en or meta.title


def place_en(document: Document, clause: Clause) -> str:
    """Article 3; Part II, Measure (1); Table 2; Annex 1, item 2."""
    annex = document.clause(clause.annex) if clause.annex else None
    prefix = f"Annex {_number(annex)}, " if annex is not None else ""
    n = _number(clause)
    noun = document.meta.item_noun_en or "item"
    if clause.kind == "notice":
        return "issuing notice"
    if clause.kind == "intro":
        return "preamble"
    if clause.kind == "signature":
        return "signature block"
    if clause.kind == "table":
        return f"Table {n}"
    if clause.kind == "annex":
        return f"Annex {n}"
    if clause.kind == "part":
        return f"{prefix}Part {roman(n)}"
    if clause.kind == "chapter":
        return f"{prefix}Chapter {n}"
    if clause.kind == "section":
        chapter = _division(document, clause)
        return f"{prefix}Chapter {_number(chapter)}, Section {n}" if chapter else f"{prefix}Section {n}"
    if clause.kind == "article":
        return f"{prefix}Article {n}"
    if clause.kind == "item":
        return f"{prefix}item {n}"
    if clause.kind == "measure":
        part = _division(document, clause)
        part_text = f"Part {roman(_number(part))}, " if part is not None and part.kind == "part" else ""
        return f"{prefix}{part_text}{noun} ({n})" if part_text or prefix else f"{noun.capitalize()} ({n})"
    return f"{prefix}{clause.title}"


def label_en(document: Document, clause: Clause, document_title_en: str | None = None) -> str:
    return f"{document_name_en(document, document_title_en)}, {place_en(document, clause)}"


def display_title(document: Document, clause: Clause) -> str:
    """What a clause is called in a list of hits: its own heading, or its place (第四条) when it has none."""
    return clause.title or place_zh(document, clause)
