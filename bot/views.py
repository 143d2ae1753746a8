"""Read-only views of the corpus for the API and the UI: outline, one clause in both languages, tables with
their own columns, glossary, and the citation line a service-window clerk can copy or read out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from bot.corpus.bilingual import Rendition
from bot.corpus.export import document_meta_json
from bot.corpus.facts.numbers import parse_number
from bot.corpus.labels import label_en, label_zh, place_en, place_zh
from bot.lang import to_simplified, to_traditional
from bot.schema import Answer, Citation, Clause, Corpus, Document, Table, TableRow

if TYPE_CHECKING:
    from bot.service import PolicyBot


def documents(bot: PolicyBot) -> list[dict[str, Any]]:
    """Every document with its metadata and an outline of its clauses (no clause text)."""
    result = []
    for document in bot.corpus.documents:
        english = bot.bilingual.rendition(document.doc_id)
        result.append(
            {
                **document_meta_json(document, bot.bilingual, bot.settings.day()),
                "clauses": [
                    {
                        "clause": c.clause,
                        "kind": c.kind,
                        "part": c.part,
                        "title": c.title,
                        "title_en": english.titles.get(c.clause),
                    }
                    for c in document.clauses
                ],
            }
        )
    return result


def outline(bot: PolicyBot, doc_id: str) -> list[dict[str, Any]]:
    """A document's clauses in order, each with its place in both languages (二、(一) / Part II, item (1))."""
    document = bot.corpus.document(doc_id)
    if document is None:
        return []
    english = bot.bilingual.rendition(doc_id)
    return [
        {
            "clause": c.clause,
            "kind": c.kind,
            "part": c.part,
            "place": {"zh": place_zh(document, c), "en": place_en(document, c)},
            "title": c.title,
            "title_en": english.titles.get(c.clause) or english.tables.get(c.clause, {}).get("title_en"),
        }
        for c in document.clauses
    ]


def library(bot: PolicyBot) -> list[dict[str, Any]]:
    """Every document: its facts and standing, its outline, and each of its tables as a clause view."""
    result = []
    for document, meta in zip(bot.corpus.documents, documents(bot), strict=True):
        tables = [clause_view(bot, document.doc_id, t.clause) for t in document.tables]
        result.append(
            {
                **{k: v for k, v in meta.items() if k != "clauses"},
                "examples": list(document.meta.examples),
                "outline": outline(bot, document.doc_id),
                "tables": [t for t in tables if t is not None],
            }
        )
    return result


def _unit_en(bot: PolicyBot, english: Rendition, unit: str) -> str | None:
    if unit in english.units:
        return english.units[unit]
    return next((t.en for t in bot.bilingual.glossary if t.zh == unit), None)


def _cells_en(table: Table, row: TableRow, row_en: dict[str, Any]) -> dict[str, str | None]:
    """Each cell's English: curated per column (`cells_en`), else the rendition of the row's indicator, unit
    or remark when the cell holds that value."""
    curated = row_en.get("cells_en") or {}
    known = {
        value: row_en.get(key)
        for value, key in ((row.indicator, "indicator_en"), (row.unit, "unit_en"), (row.remark, "remark_en"))
        if value
    }
    cells = {column: row.cells.get(column) for column in table.columns}
    return {column: curated.get(column) or known.get(value or "") for column, value in cells.items()}


def _table_rows(table: Table, english: Rendition) -> list[dict[str, Any]]:
    rows_en = english.tables.get(table.clause, {}).get("rows", [])
    rows = []
    for i, row in enumerate(table.rows):
        row_en = rows_en[i] if i < len(rows_en) else {}
        rows.append(
            {
                "indicator": row.indicator,
                "indicator_en": row_en.get("indicator_en"),
                "unit": row.unit,
                "unit_en": row_en.get("unit_en"),
                "baseline": row.baseline,
                "target": row.target,
                "remark": row.remark,
                "remark_en": row_en.get("remark_en"),
                "cells": {column: row.cells.get(column) for column in table.columns},
                "cells_en": _cells_en(table, row, row_en),
            }
        )
    return rows


def _column_years(table: Table) -> list[int | None]:
    """The year each column's values are for, where the table states one: the column holding every row's
    baseline value takes the baseline year, the one holding every target value the target year."""

    def holds(column: str, values: list[float | None]) -> bool:
        pairs = [
            (parse_number(r.cells.get(column) or ""), v) for r, v in zip(table.rows, values, strict=True)
        ]
        known = [(cell, value) for cell, value in pairs if value is not None]
        return bool(known) and all(cell == value for cell, value in known)

    baselines = [r.baseline for r in table.rows]
    targets = [r.target for r in table.rows]
    years: list[int | None] = []
    for column in table.columns:
        if table.baseline_year and holds(column, baselines):
            years.append(table.baseline_year)
        elif table.target_year and holds(column, targets):
            years.append(table.target_year)
        else:
            years.append(None)
    return years


def _labels(document: Document, clause: Clause, english: Rendition) -> dict[str, str]:
    return {"zh": label_zh(document, clause), "en": label_en(document, clause, english.document_title)}


def clause_view(bot: PolicyBot, doc_id: str, clause: str) -> dict[str, Any] | None:
    """One clause: Chinese original, English rendition (null where there is none), units, neighbours."""
    document = bot.corpus.document(doc_id)
    found = document.clause(clause) if document else None
    if document is None or found is None:
        return None
    english = bot.bilingual.rendition(doc_id)
    ids = [c.clause for c in document.clauses]
    position = ids.index(clause)
    part = document.clause(found.part) if found.part else None
    is_table = found.kind == "table"
    sentences = (
        []
        if is_table
        else [{"id": s.id, "text": s.text, "text_en": english.sentences.get(s.id)} for s in found.sentences]
    )
    view: dict[str, Any] = {
        "doc_id": doc_id,
        "document_title": document.meta.title,
        "document_title_en": document.meta.title_en or english.document_title,
        "clause": found.clause,
        "kind": found.kind,
        "label": _labels(document, found, english),
        "part": found.part,
        "part_title": part.title if part else None,
        "part_title_en": english.titles.get(part.clause) if part else None,
        "title": found.title,
        "title_en": english.titles.get(found.clause),
        "text": "" if is_table else found.text,
        "text_en": None if is_table else english.clause_text(found.clause, [s.id for s in found.sentences]),
        "sentences": sentences,
        "note": english.note,
        "english": english.provenance,
        "responsible_units": [{"zh": u, "en": _unit_en(bot, english, u)} for u in found.responsible_units],
        "previous": ids[position - 1] if position > 0 else None,
        "next": ids[position + 1] if position + 1 < len(ids) else None,
        "children": [
            {"clause": c.clause, "title": c.title, "title_en": english.titles.get(c.clause)}
            for c in document.clauses
            if c.part == found.clause
        ],
    }
    table = document.table(clause) if is_table else None
    if table is not None:
        columns_en = english.tables.get(table.clause, {}).get("columns_en", {})
        view["table"] = {
            "columns": list(table.columns),
            "columns_en": [columns_en.get(c) for c in table.columns],
            "column_years": _column_years(table),
            "baseline_year": table.baseline_year,
            "target_year": table.target_year,
            "rows": _table_rows(table, english),
        }
    return view


_PARENTHESES = re.compile(r"\s*[(（][^()（）]*[)）]")


def _match(fields: list[str], needle: str) -> tuple[int, int] | None:
    """How well an entry matches: (0 exact | 1 prefix | 2 contained, length of the matching field), or None.
    The shorter the matching field, the closer the match; "intellectual property (IP)" also counts as
    "intellectual property", so that query finds 知识产权 before 知识产权法律法规."""
    found = []
    variants = [f.lower() for f in fields if f] + [_PARENTHESES.sub("", f).lower() for f in fields if f]
    for field in variants:
        if needle in field:
            found.append((0 if field == needle else 1 if field.startswith(needle) else 2, len(field)))
    return min(found, default=None)


def glossary(bot: PolicyBot, q: str | None = None) -> list[dict[str, Any]]:
    """Glossary terms matching q in any script or in English (all terms when q is empty), best first."""
    terms = bot.bilingual.glossary
    needle = (q or "").strip().lower()
    if not needle:
        return [t.model_dump(mode="json") for t in terms]
    ranked: list[tuple[tuple[int, int], int]] = []
    for i, term in enumerate(terms):
        fields = [term.zh, term.zh_hant, *term.zh_hant_alt, term.en, *term.en_alt]
        # A Traditional query also finds the Simplified term through its conversion.
        match = _match(fields, needle) or _match([term.zh], to_simplified(needle))
        if match is not None:
            ranked.append((match, i))
    return [terms[i].model_dump(mode="json") for _, i in sorted(ranked)]


def _label(citation: Citation, language: str, corpus: Corpus | None) -> str:
    """The clause's name in `language`, from the corpus when given (else the citation's own label)."""
    document = corpus.document(citation.doc_id) if corpus else None
    clause = document.clause(citation.clause) if document else None
    if document is None or clause is None:
        return citation.label
    if language == "en":
        return label_en(document, clause, document.meta.title_en)
    label = label_zh(document, clause)
    return to_traditional(label) if language == "zh-Hant" else label


def citation_line(citation: Citation, language: str, corpus: Corpus | None = None) -> str:
    """A line a clerk can paste or read out: 《title》四、(十六)：“quote”, or the English equivalent.

    With the corpus the clause is named in `language`; without it the citation's label is used as is.
    """
    label = _label(citation, language, corpus)
    if language == "en":
        if citation.quote_en:
            return f'{label}: "{citation.quote_en}" (unofficial translation; Chinese original: “{citation.quote}”)'
        return f"{label}: “{citation.quote}”"
    if language == "zh-Hant":
        return f"{label}：「{citation.quote_display or citation.quote}」"
    return f"{label}：“{citation.quote}”"


def answer_stream(
    bot: PolicyBot, question: str, lang: str = "auto", history: list[dict] | None = None
) -> Iterator[str | Answer]:
    """Text chunks, then the final Answer as the last item: the bot's own stream when it has one,
    otherwise the finished answer cut into pieces (so HTTP and UI clients can always stream)."""
    ask_stream = getattr(bot, "ask_stream", None)
    if callable(ask_stream):
        yield from ask_stream(question, lang, history)
        return
    answer = bot.ask(question, lang, history)
    text = answer.answer
    step = 24
    for start in range(0, len(text), step):
        yield text[start : start + step]
    yield answer
