"""The corpus in the contract's `policybot corpus --json` shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.corpus.bilingual import Bilingual
from bot.corpus.facts.document import status
from bot.corpus.labels import label_en, label_zh
from bot.schema import Corpus, Document, Fact


def fact_json(fact: Fact) -> dict[str, Any]:
    return {
        "kind": fact.kind,
        "text": fact.text,
        "value": fact.value,
        "unit": fact.unit,
        "qualifier": fact.qualifier,
        "subject": fact.subject,
        "sentence": fact.sentence,
    }


def document_meta_json(
    document: Document, bilingual: Bilingual, today: dt.date | None = None
) -> dict[str, Any]:
    """A document's facts, English title included: each field extracted from its text or curated."""
    meta, english = document.meta, bilingual.rendition(document.doc_id)
    return {
        "doc_id": document.doc_id,
        "title": meta.title,
        "title_en": meta.title_en or english.document_title,
        "number": meta.number,
        "issuer": meta.issuer,
        "issued": meta.issued,
        "valid_from": meta.valid_from,
        "valid_to": meta.valid_to,
        "source": meta.source,
        "language": meta.language,
        "shape": meta.shape,
        "filename": meta.filename,
        "notice_title": meta.notice_title,
        "addressees": meta.addressees,
        "publicity": meta.publicity,
        "basis": list(meta.basis),
        "effective": meta.effective,
        "period_label": meta.period_label,
        "repeals": list(meta.repeals),
        "repealed_by": meta.repealed_by,
        "status": status(meta, today or dt.date.today()),
        "provenance": dict(meta.provenance),
        "fact_sources": dict(meta.fact_sources),
        "problems": list(document.problems),
        "english": english.provenance,
        "english_model": english.machine,
    }


def document_json(document: Document, bilingual: Bilingual, today: dt.date | None = None) -> dict[str, Any]:
    english = bilingual.rendition(document.doc_id)
    clauses = []
    for clause in document.clauses:
        text_en = (
            english.clause_text(clause.clause, [s.id for s in clause.sentences])
            if clause.kind != "table"
            else None
        )
        clauses.append(
            {
                "clause": clause.clause,
                "kind": clause.kind,
                "part": clause.part,
                "title": clause.title,
                "title_en": english.titles.get(clause.clause),
                "text": clause.text if clause.kind != "table" else "",
                "text_en": text_en,
                "label": label_zh(document, clause),
                "label_en": label_en(document, clause, english.document_title),
                "responsible_units": list(clause.responsible_units),
                "responsible_units_en": [english.units.get(u) for u in clause.responsible_units],
                "unit_roles": [{"name": r.name, "role": r.role} for r in clause.unit_roles],
                "facts": [fact_json(f) for f in clause.facts],
                "references": list(clause.references),
                "sentences": [
                    {"id": s.id, "text": s.text, "start": s.start, "end": s.end} for s in clause.sentences
                ],
            }
        )
    tables = []
    for table in document.tables:
        table_en = english.tables.get(table.clause, {})
        rows_en = table_en.get("rows", [])
        tables.append(
            {
                "clause": table.clause,
                "title": table.title,
                "title_en": table_en.get("title_en") or english.titles.get(table.clause),
                "baseline_year": table.baseline_year,
                "target_year": table.target_year,
                "columns": list(table.columns),
                "rows": [
                    {
                        "indicator": row.indicator,
                        "indicator_en": rows_en[i].get("indicator_en") if i < len(rows_en) else None,
                        "unit": row.unit,
                        "unit_en": rows_en[i].get("unit_en") if i < len(rows_en) else None,
                        "baseline": row.baseline,
                        "target": row.target,
                        "remark": row.remark,
                        "remark_en": rows_en[i].get("remark_en") if i < len(rows_en) else None,
                        "cells": dict(row.cells),
                    }
                    for i, row in enumerate(table.rows)
                ],
            }
        )
    return {
        **document_meta_json(document, bilingual, today),
        "clauses": clauses,
        "tables": tables,
    }


def corpus_json(corpus: Corpus, bilingual: Bilingual, today: dt.date | None = None) -> dict[str, Any]:
    return {
        "documents": [document_json(d, bilingual, today) for d in corpus.documents],
        "references": [
            {
                "title": r.title,
                "spellings": list(r.spellings),
                "cited_by": [{"doc_id": d, "clause": c} for d, c in r.cited_by],
                "present": r.present_doc_id is not None,
                "doc_id": r.present_doc_id,
            }
            for r in corpus.references
        ],
    }
