"""A question that names a place by its number (第十六条, (十六), 二、(一), Part III, Table 2, 附件1) is answered
from that place, or told plainly that the document has no such place and what it does have."""

from __future__ import annotations

import re

from bot.answer.draft import Draft, quoted_point
from bot.answer.kit import Ask, Kit
from bot.answer.messages import Both
from bot.answer.outcome import refusal
from bot.corpus.labels import place_en, place_zh
from bot.intent import clause_references
from bot.schema import Answer, Citation, Clause, Document

_ANNEX = re.compile(r"附件\s*([0-9一二三四五六七八九十]+)|\bannex\s*(\d{1,2})\b", re.IGNORECASE)
# 三、(二): item (二) of part 三; 第三章第二节: section 2 of chapter 3.
_PART_ITEM = re.compile(r"([一二三四五六七八九十]+)\s*、\s*[(（]\s*([一二三四五六七八九十]+)\s*[)）]")
_SECTION = re.compile(r"第\s*([一二三四五六七八九十\d]+)\s*章\s*第\s*([一二三四五六七八九十\d]+)\s*节")
_DIVISIONS = ("part", "chapter", "section")


def references(question: str) -> list[tuple[str, int]]:
    from bot.corpus.parse.numerals import cn_to_int

    found = clause_references(question)
    for match in _ANNEX.finditer(question):
        found.append(("annex", cn_to_int(match.group(1) or match.group(2))))
    for match in _PART_ITEM.finditer(question):
        part = ("part", cn_to_int(match.group(1)))
        if part not in found:
            found.insert(0, part)
    for match in _SECTION.finditer(question):
        chapter, section = cn_to_int(match.group(1)), cn_to_int(match.group(2))
        found = [r for r in found if r != ("part", chapter)]
        found.insert(0, ("section", chapter * 1000 + section))
    return found


def resolve(document: Document, named: list[tuple[str, int]]) -> list[str | None]:
    """Clause ids for the places a question names; None for a place the document does not have."""
    ids = {c.clause: c for c in document.clauses}
    parts = [n for kind, n in named if kind == "part"]
    resolved: list[str | None] = []
    for kind, number in named:
        if kind == "table":
            resolved.append(f"table{number}" if f"table{number}" in ids else None)
        elif kind == "annex":
            resolved.append(f"annex-{number}" if f"annex-{number}" in ids else None)
        elif kind == "section":
            clause_id = f"section-{number // 1000}.{number % 1000}"
            resolved.append(clause_id if clause_id in ids else None)
        elif kind == "part":
            resolved.append(next((c for c in (f"part-{number}", f"chapter-{number}") if c in ids), None))
        elif parts:
            # 第五部分第九项, 二、(一): the item numbered n inside that part, or the n-th item of it.
            members = [
                c.clause for c in document.clauses if c.part == f"part-{parts[0]}" and c.kind == "measure"
            ]
            own = next((c for c in (f"{parts[0]}.{number}", str(number)) if c in members), None)
            resolved.append(own or (members[number - 1] if 0 < number <= len(members) else None))
        else:
            found = ids.get(str(number))
            resolved.append(
                str(number) if found is not None and found.kind in ("measure", "article", "item") else None
            )
    kept = [
        r
        for r, (kind, _) in zip(resolved, named, strict=True)
        if not (kind == "part" and len(named) > 1 and r)
    ]
    return kept or resolved


def member_names(document: Document, clause: Clause) -> Both:
    """How a clause is named inside a list of a division's contents: (十六)构建…, 第五条, 表1 …"""
    zh = place_zh(document, clause) if clause.kind in ("article", "table", "item") else ""
    if clause.kind == "measure":
        zh = place_zh(document, clause).split("、")[-1]
    en = place_en(document, clause).split(", ")[-1]
    if clause.kind == "measure":
        en = en.split(" ")[-1]  # "(16)"
    return Both(zh, en)


def members_of(document: Document, division: Clause) -> list[Clause]:
    """What a part, chapter (with its sections' articles) or annex contains, in document order."""
    if division.kind == "annex":
        return [c for c in document.clauses if c.annex == division.clause and c.clause != division.clause]
    sections = {c.clause for c in document.clauses if c.part == division.clause and c.kind == "section"}
    return [c for c in document.clauses if c.part == division.clause or c.part in sections]


def division_point(kit: Kit, document: Document, clause: Clause) -> tuple[Citation, tuple[str, str]]:
    """A part or chapter as one cited line: its heading and the items or articles it contains."""
    citation, en_label = kit.citation(document, clause, [], [])
    members = members_of(document, clause)
    titles = kit.rendition(document.doc_id).titles
    texts = kit.say("outline.heading", title=Both(clause.title, titles.get(clause.clause, clause.title)))
    if members:
        names = [(member_names(document, c), c) for c in members]
        texts = kit.say(
            "outline.contains",
            title=Both(clause.title, titles.get(clause.clause, clause.title)),
            members=Both(
                "；".join(f"{n[0]} {c.title}" if c.kind == "table" else f"{n[0]}{c.title}" for n, c in names),
                "; ".join(f"{n[1]} {titles.get(c.clause, c.title)}".strip() for n, c in names),
            ),
        )
    return citation, (f"{texts['zh']} [{citation.label}]", f"{texts['en']} [{en_label}]")


def structure(kit: Kit, document: Document) -> Both:
    """What the document has: its parts or chapters, its items or articles with their range, tables, annexes."""
    kinds: dict[str, list[Clause]] = {}
    for clause in document.clauses:
        if not clause.annex:
            kinds.setdefault(clause.kind, []).append(clause)
    zh, en = [], []
    for kind in ("part", "chapter", "measure", "article", "item", "table", "annex"):
        members = kinds.get(kind, [])
        if not members:
            continue
        first, last = members[0], members[-1]
        noun = (document.meta.item_noun_en or "item").lower()
        texts = kit.say(
            f"count.{kind}" + ("_one" if len(members) == 1 and kind not in ("part", "chapter") else ""),
            n=str(len(members)),
            noun=Both("", noun if len(members) == 1 else f"{noun}s"),
            first=Both(member_names(document, first)[0], member_names(document, first)[1]),
            last=Both(member_names(document, last)[0], member_names(document, last)[1]),
        )  # fmt: skip
        zh.append(texts["zh"])
        en.append(texts["en"])
    return Both("、".join(zh), ", ".join(en[:-1]) + (" and " if len(en) > 1 else "") + en[-1] if en else "")


def missing_clause(kit: Kit, ask: Ask, document: Document) -> Answer:
    answer = refusal(kit, ask, reason="scope")
    texts = kit.say("reference.missing", document=kit.names(document), structure=structure(kit, document))
    from bot.answer.outcome import in_language

    return answer.model_copy(update={"answer": in_language(kit, texts, ask.language)})


def missing_place(kit: Kit, ask: Ask) -> Answer | None:
    """'附件3在哪里下载' where the document has no annex 3: that comes first, whatever else is asked."""
    named = references(ask.query.text)
    if not named or not ask.hits:
        return None
    document = kit.document(ask.documents[0] if ask.documents else ask.hits[0].doc_id)
    if any(r is None for r in resolve(document, named)):
        return missing_clause(kit, ask, document)
    return None


def _division(kit: Kit, document: Document, clause_id: str) -> Both:
    """Where a clause sits ("（属于三、促进高效益知识产权创造运用）", " (in Part III)"): service windows ask."""
    clause = document.clause(clause_id)
    division = document.clause(clause.part) if clause is not None and clause.part else None
    if division is None:
        return Both("", "")
    title_en = kit.rendition(document.doc_id).titles.get(division.clause)
    english = place_en(document, division) + (f", “{title_en}”" if title_en else "")
    texts = kit.say("reference.division", zh=place_zh(document, division), en=english)
    return Both(texts["zh"], texts["en"])


def _with_english(kit: Kit, citation: Citation, point: tuple[str, str]) -> tuple[str, str]:
    """A Chinese line asked for its English: the rendition beside the quote, or that none is loaded."""
    if citation.quote_en:
        english = kit.say("reference.english", text=citation.quote_en)
    else:
        english = kit.say("reference.no_english", document=kit.names(kit.document(citation.doc_id)))
    return point[0] + english["zh"], point[1]


def reference_draft(kit: Kit, ask: Ask) -> Draft | Answer | None:
    """A question naming a clause by number is answered from that clause, or told plainly it does not exist."""
    from bot.answer.strategies.table import rows_draft, rows_for
    from bot.answer.strategies.units import clause_units_draft

    named = references(ask.query.text)
    if not named or not ask.hits:
        return None
    intent = ask.intent
    if (
        intent.value
        and any(h.clause.startswith("table") for h in ask.hits[:3])
        and not any(k == "table" for k, _ in named)
    ):
        return None  # "第一部分的…目标值是多少": the figure lives in the table, not in the part heading
    document = kit.document(ask.documents[0] if ask.documents else ask.hits[0].doc_id)
    resolved = resolve(document, named)
    if any(r is None for r in resolved):
        return missing_clause(kit, ask, document)
    clause_ids = [r for r in resolved if r]
    if any(c.startswith("table") for c in clause_ids):
        table = document.table(next(c for c in clause_ids if c.startswith("table")))
        if table is not None:
            rows = rows_for(kit, table, ask)
            if rows:
                return rows_draft(kit, document, table, rows)
        return None
    if intent.units and len(clause_ids) == 1:
        # "第七条的责任单位有哪些": the departments of the clause named, not its text.
        found = document.clause(clause_ids[0])
        if found is not None and found.responsible_units:
            draft = clause_units_draft(kit, document, found)
            if draft is not None:
                draft.looked_up = ((document.doc_id, found.clause),)
                return draft
    points: list[tuple[str, str]] = []
    citations: list[Citation] = []
    for clause_id in clause_ids[:3]:
        clause = document.clause(clause_id)
        if clause is None:
            continue
        if clause.kind in _DIVISIONS or (clause.kind == "annex" and members_of(document, clause)):
            citation, point = division_point(kit, document, clause)
            points.append(point)
            citations.append(citation)
            continue
        if intent.overview and clause.sentences:
            # "给我原文", "the exact wording": the whole clause, as published.
            citation, en_label = kit.sentence_citation(document, clause, clause.sentences, whole=True)
        else:
            point_found = kit.point(kit.hit_for(document, clause, ask.hits), ask, max_sentences=3)
            if point_found is None:
                continue
            citation, en_label, _ = point_found
        citations.append(citation)
        points.append(quoted_point(citation, en_label))
    if not citations:
        return None
    if intent.translation and ask.language != "en":
        points = [_with_english(kit, c, p) for c, p in zip(citations, points, strict=True)]
    first = citations[0]
    cited_clause = document.clause(first.clause)
    return Draft(
        lead=kit.say(
            "reference.lead",
            label=Both(first.label, kit.labels(document, cited_clause)[1] if cited_clause else first.label),
            title=f"「{first.title}」" if first.title else "",
            division=_division(kit, document, first.clause),
        ),
        points=points,
        citations=citations,
        looked_up=tuple((c.doc_id, c.clause) for c in citations),
    )
