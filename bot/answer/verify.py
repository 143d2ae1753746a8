"""Citation verification, applied to every answer from every backend before it is shown."""

from __future__ import annotations

import re

from bot.corpus.facts.numbers import in_yuan, parse_number, plain
from bot.corpus.facts.patterns import MONEY
from bot.schema import Answer, Corpus

_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_GROUPED = re.compile(r"\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b")  # 100,000: one number
_LABEL_NUMBERS = re.compile(r"\[[^\]]*\]|\((?:\d+)\)|Measure \(\d+\)|Table \d+|Article \d+|Chapter \d+")


def _ungrouped(text: str) -> str:
    """100,000 as the one number 100000, wherever it is written."""
    return _GROUPED.sub(lambda m: m.group(0).replace(",", ""), text)


def squeeze(text: str) -> str:
    return _SPACE.sub("", text)


def verify(answer: Answer, corpus: Corpus, retrieved: set[tuple[str, str]]) -> list[str]:
    """Problems that make the answer unshowable; empty when every quote, clause and number checks out."""
    problems: list[str] = []
    if answer.abstained:
        return problems
    if not answer.citations:
        problems.append("an answer without citations")
    allowed_numbers: set[str] = set()
    for citation in answer.citations:
        document = corpus.document(citation.doc_id)
        clause = document.clause(citation.clause) if document else None
        if document is None or clause is None:
            problems.append(f"cites unknown clause {citation.doc_id}:{citation.clause}")
            continue
        if (citation.doc_id, citation.clause) not in retrieved:
            problems.append(f"cites {citation.clause}, which was not retrieved")
        clause_source = squeeze(document.text[clause.start : clause.end + len(clause.units_text or "") + 2])
        if squeeze(citation.quote) not in clause_source:
            problems.append(f"quote for {citation.clause} is not verbatim source text of that clause")
        allowed_numbers |= set(_NUMBER.findall(_ungrouped(citation.quote))) | set(
            _NUMBER.findall(_ungrouped(citation.quote_en or ""))
        )
        # An amount the answer says in yuan (CNY 100,000) is the quote's 10万元.
        allowed_numbers |= {
            plain(yuan)
            for match in MONEY.finditer(citation.quote)
            if (value := parse_number(match.group("num"))) is not None
            and (yuan := in_yuan(value, match.group("unit"))) is not None
        }
        allowed_numbers |= set(_NUMBER.findall(citation.clause)) | set(_NUMBER.findall(citation.label))
        allowed_numbers |= set(_NUMBER.findall(document.meta.title)) | set(
            _NUMBER.findall(document.meta.number or "")
        )
        if document.meta.issued:
            allowed_numbers |= set(str(int(p)) for p in document.meta.issued.split("-"))
        if clause.kind == "table":
            table = document.table(clause.clause)
            for row in table.rows if table else ():
                allowed_numbers |= {f"{v:g}" for v in (row.baseline, row.target) if v is not None}
            if table:
                allowed_numbers |= {str(y) for y in (table.baseline_year, table.target_year) if y}
    body = _ungrouped(_LABEL_NUMBERS.sub(" ", answer.answer))
    for number in _NUMBER.findall(body):
        if number not in allowed_numbers and number.lstrip("0") not in allowed_numbers:
            problems.append(f"number {number} is not in any cited quote or table row")
    return problems
