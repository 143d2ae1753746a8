"""The default answer: the sentences of the best clauses that answer the question, quoted; and the pieces the
other strategies reuse (the nearest clauses as pointers, a correction quoting what the documents do say)."""

from __future__ import annotations

import re

from bot.answer.draft import Draft, quoted_point
from bot.answer.kit import Ask, Kit
from bot.answer.messages import Both
from bot.schema import Answer, Citation, Hit

_TITLE_VERB = re.compile(
    r"^(?:加强|加強|强化|強化|推进|推進|推动|推動|提升|促进|促進|完善|深化|拓展|落实|落實|建设|建設|健全|优化|優化|"
    r"打造|构建|構建|实施|實施|培育|发展|發展|扩大|擴大|深入|全面|积极|積極)+"
)
_ENUMERATION = re.compile(r"分别|分別|各自|各有|[\u4e00-\u9fff]{2,}、[\u4e00-\u9fff]{2,}")


def names_title(kit: Kit, hit: Hit, ask: Ask) -> bool:
    """The question names the clause by its title ("方案怎么建设知识产权文化环境"): it asks for the clause."""
    title = kit.clause(hit).title
    # Or by its topic without the verb ("组织领导" for 加强组织领导), or without 知识产权 too ("行政保护").
    topic = _TITLE_VERB.sub("", title)
    core = topic.removeprefix("知识产权")
    en_title = kit.rendition(hit.doc_id).titles.get(hit.clause, "")
    en_topic = re.sub(r"^\w+ing\s+", "", en_title)
    asked = ask.query.text.lower()
    return any(len(name) >= 4 and name in ask.query.zh_text for name in (title, topic, core)) or any(
        len(name.split()) >= 3 and name.lower() in asked for name in (en_title, en_topic)
    )


def units_texts(kit: Kit, citation: Citation) -> Both:
    if not citation.responsible_units:
        return Both("", "")
    zh = "、".join(citation.responsible_units)
    en = "; ".join(u for u in citation.responsible_units_en if u) or zh
    texts = kit.say("clause.units", units=Both(zh, en))
    return Both(texts["zh"], texts["en"])


def clause_name_en(kit: Kit, citation: Citation) -> str:
    """How the English lead names a clause: the measure “title” (where the document curates its items'
    noun), or its label and English title."""
    document = kit.document(citation.doc_id)
    clause = document.clause(citation.clause)
    assert clause is not None
    title_en = kit.rendition(citation.doc_id).titles.get(clause.clause)
    if clause.kind == "measure" and document.meta.item_noun_en and title_en:
        return f"the {document.meta.item_noun_en.lower()} “{title_en}”"
    label = kit.labels(document, clause)[1]
    return f"{label} (“{title_en}”)" if title_en else label


def clause_draft(kit: Kit, ask: Ask, hits: list[Hit] | None = None, overview: bool = False) -> Draft | None:
    hits = ask.hits if hits is None else hits
    # "服务机构、专业人才和企业分别…": several things asked at once need more of the clause quoted; "有啥安排"
    # asks what the clause says as a whole.
    enumerates = bool(_ENUMERATION.search(ask.query.text))
    first_sentences = 8 if overview else 3 if enumerates else 2
    points: list[tuple[str, str]] = []
    citations: list[Citation] = []
    # A part heading the question names, or a table none of whose rows is asked for, ranks first but gives
    # nothing to quote: the cut-off is measured from the clause below.
    top: float | None = None
    for hit in hits[:4]:
        if top is not None and hit.score < 0.75 * top:
            break
        wanted = (8 if names_title(kit, hit, ask) else first_sentences) if not citations else 1
        point = kit.point(hit, ask, max_sentences=wanted)
        if top is None and not _no_quote_of_its_own(kit, hit, ask):
            top = hit.score
        if point is None:
            continue
        citation, en_label, _ = point
        citations.append(citation)
        points.append(quoted_point(citation, en_label))
        if len(citations) == 2:
            break
    if not citations:
        return None
    first = citations[0]
    title = Both(f"「{first.title}」" if first.title else "", "")
    units = units_texts(kit, first)
    named_en = [u for u in first.responsible_units_en if u]
    if len(named_en) > 2 and not _names_its_units(kit, ask, first):
        # Official English names run long: the English lead names the first (leading) unit and counts the
        # rest, listed with the citation, unless the question names one of them ("is the tax bureau involved?").
        short = kit.say("clause.units_more", first=Both(first.responsible_units[0], named_en[0]))
        units = Both(units[0], short["en"])
    lead = kit.say(
        "clause.lead", label=Both(first.label, clause_name_en(kit, first)), title=title, units=units
    )
    return Draft(lead=lead, points=points, citations=citations)


_OFFICE = ("局", "委", "办", "院", "会", "署", "中心", "关", "府")


def _names_its_units(kit: Kit, ask: Ask, citation: Citation) -> bool:
    from bot.answer.strategies.units import units_named

    named = units_named(kit, kit.document(citation.doc_id), ask)
    if set(named) & set(citation.responsible_units):
        return True
    # In English words the documents do not use ("the tax bureau"): the question's Chinese terms name it.
    asked = {token for token in ask.tokens[0] if len(token) > 1}
    return any(
        token in unit for unit in citation.responsible_units for token in asked if token.endswith(_OFFICE)
    )


def _no_quote_of_its_own(kit: Kit, hit: Hit, ask: Ask) -> bool:
    from bot.answer.strategies.table import rows_for

    clause = kit.clause(hit)
    if clause.kind in ("part", "chapter", "section"):
        return True
    table = kit.document(hit.doc_id).table(hit.clause) if clause.kind == "table" else None
    return table is not None and not rows_for(kit, table, ask)


def pointer_draft(kit: Kit, ask: Ask, lead: dict[str, str], hits: list[Hit] | None = None) -> Draft:
    """What the nearest clauses do say (verbatim) and who is responsible for them, after a lead that says
    what the documents do not say, so the asker knows where to turn."""
    draft = Draft(lead=lead, points=[], citations=[])
    for hit in (ask.hits if hits is None else hits)[:2]:
        point = kit.point(hit, ask, max_sentences=1)
        if point is None:
            continue
        citation, en_label, _ = point
        zh_units = "、".join(citation.responsible_units)
        en_units = "; ".join(u for u in citation.responsible_units_en if u)
        draft.citations.append(citation)
        texts = kit.say(
            "clause.pointer" if citation.responsible_units else "clause.pointer_bare",
            title=citation.title or citation.label,
            label=Both(citation.label, en_label),
            quote=Both(citation.quote, citation.quote_en or citation.quote),
            units=Both(zh_units, en_units or zh_units),
        )
        draft.points.append((texts["zh"], texts["en"]))
    return draft


def correction(kit: Kit, ask: Ask, hits: list[Hit], lead: dict[str, str]) -> Answer:
    """What the question claims the documents say, they do not: say so, then quote what they do say."""
    from bot.answer.outcome import finish, refusal

    provisions = [h for h in hits if not h.clause.startswith("table")]
    draft = clause_draft(kit, ask, provisions) if provisions else None
    if draft is None:
        return refusal(kit, ask, reason="scope")
    draft.lead = lead
    return finish(kit, ask, draft)
