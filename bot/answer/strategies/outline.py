"""'How is the document organised?': every part or chapter in document order, each with what it contains."""

from __future__ import annotations

import re

from bot.answer.draft import Draft
from bot.answer.kit import Ask, Kit
from bot.answer.messages import Both
from bot.answer.strategies.reference import division_point
from bot.schema import Citation, Document

_ANNEXES = re.compile(r"附件|annex|attachment", re.IGNORECASE)


def annexes_draft(kit: Kit, document: Document) -> Draft | None:
    """'带了哪些附件': each annex with its title, in order."""
    annexes = [c for c in document.clauses if c.kind == "annex"]
    if not annexes:
        return None
    citations: list[Citation] = []
    points: list[tuple[str, str]] = []
    for annex in annexes:
        citation, en_label = kit.citation(document, annex, [], [])
        citations.append(citation)
        points.append((f"{citation.label}「{annex.title}」", f"{en_label}: {annex.title}"))
    return Draft(
        lead=kit.say("outline.annexes", document=kit.names(document), n=str(len(annexes))),
        points=points,
        citations=citations,
        looked_up=tuple((c.doc_id, c.clause) for c in citations),
    )


def outline_draft(kit: Kit, ask: Ask) -> Draft | None:
    if not ask.intent.outline or not ask.hits:
        return None
    document = kit.document(ask.documents[0] if ask.documents else ask.hits[0].doc_id)
    if _ANNEXES.search(ask.query.text):
        return annexes_draft(kit, document)
    divisions = [c for c in document.clauses if c.kind in ("part", "chapter") and not c.annex]
    if not divisions or not any(
        h.clause == d.clause and h.doc_id == document.doc_id for h in ask.hits[:3] for d in divisions
    ):
        return None
    citations: list[Citation] = []
    points: list[tuple[str, str]] = []
    for division in divisions:
        citation, texts = division_point(kit, document, division)
        citations.append(citation)
        points.append(texts)
    count = len(document.tables)
    noun = Both("", "table" if count == 1 else "tables")
    tables = kit.say("outline.tables", n=str(count), noun=noun) if count else {"zh": "", "en": ""}
    division_noun = kit.say(f"outline.{divisions[0].kind}")
    return Draft(
        lead=kit.say(
            "outline.lead",
            document=kit.names(document),
            n=str(len(divisions)),
            divisions=Both(division_noun["zh"], division_noun["en"]),
            tables=Both(tables["zh"], tables["en"]),
        ),  # fmt: skip
        points=points,
        citations=citations,
        looked_up=tuple((c.doc_id, c.clause) for c in citations),
    )
