"""Who is responsible: the departments of a clause with their roles, quoted from where the document names them
(a bracket, or the sentences that give them work); and what a named department is responsible for."""

from __future__ import annotations

import re

from bot.answer.draft import Draft, quoted_point
from bot.answer.kit import Ask, Kit
from bot.answer.messages import Both
from bot.lang import english_tokens
from bot.schema import Citation, Clause, Document

_MAX_DUTIES = 6
_EN_UNIT_NOUN = r"(?:bureau|office|department|commission|authority|authorities|administration)"
_EN_UNIT_GENERIC = re.compile(
    r"\b(?:Municipal|Municipality|City|District|Bureau|Office|Commission|Administration|Administrative|Committee|of|the|"
    r"for|and|CPC|Affairs|People's|Government)\b|\b[A-Z][a-z]+(?= (?:Municipal|City|District)\b)"
)
# Names of every department of a kind, not one the asker can name: 各区人民政府, 市直有关部门, …成员单位.
_COLLECTIVE = re.compile(r"^(?:各|市直|区直|相关|有关)|(?:成员单位|有关部门|有关单位|相关部门|相关单位)$")
_PLACE = re.compile(r"^(?:[\u4e00-\u9fff]{2}市|市委|市|区委|区|省)")
_ROLE_ORDER = ("lead", "responsible", "interpret", "by_duty", "cooperate")


def local_places(kit: Kit) -> tuple[str, ...]:
    """The cities the documents' issuers and titles name (厦门 of 厦门市人民政府): an office of that city is
    called without it (厦门海关 → 海关)."""
    found: dict[str, None] = {}
    for document in kit.corpus.documents:
        for text in (document.meta.issuer or "", document.meta.title):
            found.update(dict.fromkeys(re.findall(r"([\u4e00-\u9fff]{2,3}?)市", text)))
    return tuple(found)


def unit_cores(unit: str, places: tuple[str, ...] = ()) -> list[str]:
    """How a department is called in a question: 市市场监管局(知识产权局) → 市场监管局, 知识产权局; 厦门海关 → 海关."""
    names = re.findall(r"[^()（）]+", unit)
    cores = [_PLACE.sub("", name) for name in names]
    cores += [name.removeprefix(place) for name in names for place in places if name.startswith(place)]
    cores += [c.removesuffix("管委会") for c in cores if c.endswith("管委会")]  # 火炬高新区
    return list(dict.fromkeys(c for c in cores if len(c) >= 2))


def clause_units_draft(kit: Kit, document: Document, clause: Clause) -> Draft | None:
    """The departments of one clause with their roles, quoted from its bracket or from the sentences that give
    them work, with the sentence naming who leads."""
    rendition = kit.rendition(document.doc_id)
    roles = list(clause.unit_roles) or []
    if not clause.responsible_units:
        return None
    spans: list[tuple[int, int]] = []
    english: list[str | None] = []
    units_en = "; ".join(rendition.units.get(u) or u for u in clause.responsible_units)
    if clause.units_text:
        start = document.text.find(clause.units_text, clause.start)
        spans.append((start, start + len(clause.units_text)))
        english.append(kit.say("units.bracket_en", units=units_en)["en"])
    giving = [
        s
        for s in clause.sentences
        if any(f.kind == "department" and f.sentence == s.id for f in clause.facts)
    ]
    leading = giving[:1] or [s for s in clause.sentences if re.search(r"牵头|负责", s.text)][:1]
    for sentence in (giving if not clause.units_text else leading)[:3]:
        spans.append((sentence.start, sentence.end))
        english.append(rendition.sentences.get(sentence.id))
    if not spans:
        return None
    citation, en_label = kit.citation(document, clause, spans, english)
    by_role: dict[str, list[str]] = {}
    for role in roles:
        by_role.setdefault(role.role, []).append(role.name)
    if set(by_role) <= {"responsible"}:
        line = Both("、".join(clause.responsible_units), units_en)
    else:
        zh_parts, en_parts = [], []
        for name in _ROLE_ORDER:
            if name in by_role:
                texts = kit.say(
                    f"units.role_{name}",
                    units=Both(
                        "、".join(by_role[name]),
                        "; ".join(rendition.units.get(u) or u for u in by_role[name]),
                    ),
                )
                zh_parts.append(texts["zh"])
                en_parts.append(texts["en"])
        line = Both("；".join(zh_parts), "; ".join(en_parts))
    points = [(f"{line[0]} [{citation.label}]", f"{line[1]} [{en_label}]")]
    if clause.units_text and leading:
        sentence = leading[0]
        points.append(
            (
                f"{sentence.text} [{citation.label}]",
                f"{rendition.sentences.get(sentence.id) or sentence.text} [{en_label}]",
            )
        )
    title_en = rendition.titles.get(clause.clause, clause.title)
    return Draft(
        lead=kit.say("units.lead", label=Both(citation.label, en_label), title=Both(f"「{clause.title}」" if clause.title else "", f" ({title_en})" if title_en else "")),
        points=points,
        citations=[citation],
    )  # fmt: skip


def units_draft(kit: Kit, ask: Ask) -> Draft | None:
    if not ask.intent.units:
        return None
    hit = next((h for h in ask.hits[:3] if kit.clause(h).responsible_units), None)
    if hit is None:
        return None
    document = kit.document(hit.doc_id)
    clause = kit.clause(hit)
    draft = clause_units_draft(kit, document, clause)
    if draft is None:
        return None
    # What the clause says on the question's topic, so "who handles pledge financing" also shows the sentence
    # on pledge financing (a sentence already quoted for who leads is not repeated).
    point = kit.point(hit, ask, max_sentences=1)
    if point is not None and point[0].quote not in draft.citations[0].quote:
        draft.citations.append(point[0])
        draft.points.append(quoted_point(point[0], point[1]))
    return draft


def units_named(kit: Kit, document: Document, ask: Ask) -> list[str]:
    """The document's responsible departments the question names: 海关, 商务局, "Xiamen Customs"."""
    rendition = kit.rendition(document.doc_id)
    units = dict.fromkeys(u for c in document.clauses for u in c.responsible_units)
    text = ask.query.text
    asked_en = f" {' '.join(english_tokens(text))} "
    lowered = text.lower()
    named = []
    for unit in units:
        if _COLLECTIVE.search(unit):
            continue
        full = rendition.units.get(unit, "").split("(")[0].strip()
        words = _EN_UNIT_GENERIC.sub(" ", full).split()
        # One word ("finance", "customs") names a department only with its own noun ("the Finance Bureau")
        # or in its full name ("Xiamen Customs").
        en_named = bool(full) and full.lower() in lowered
        if len(words) >= 2:
            en_named = en_named or f" {' '.join(english_tokens(' '.join(words)))} " in asked_en
        elif words:
            word = re.escape(words[0].lower())
            noun = _EN_UNIT_NOUN
            en_named = en_named or bool(
                re.search(rf"\b{word}\w*\s+{noun}|\b{noun}\s+(?:of|for)\s+(?:\w+\s+)?{word}", lowered)
            )
        # 国家知识产权局 is not the city's 知识产权局.
        cores = unit_cores(unit, local_places(kit))
        zh_named = any(re.search(rf"(?<!国家)(?<!省){re.escape(core)}", ask.query.zh_text) for core in cores)
        if zh_named or en_named:
            named.append(unit)
    return named


def duties_draft(kit: Kit, ask: Ask) -> Draft | None:
    """'What is the Customs responsible for?': every clause whose departments include it, each with the
    sentence that names its work or, failing that, the one closest to the question."""
    if not ask.intent.duties or not ask.hits:
        return None
    document = kit.document(ask.documents[0] if ask.documents else ask.hits[0].doc_id)
    rendition = kit.rendition(document.doc_id)
    named = units_named(kit, document, ask)
    if not named:
        return None
    clauses = [c for c in document.clauses if set(c.responsible_units) & set(named)]
    if not clauses:
        return None
    citations: list[Citation] = []
    points: list[tuple[str, str]] = []
    # Quoted closest to the question first; the lead names them all in the document's order.
    order = {h.clause: i for i, h in enumerate(ask.hits) if h.doc_id == document.doc_id}
    closest = sorted(clauses, key=lambda c: order.get(c.clause, len(order)))
    cores = [core for unit in named for core in unit_cores(unit, local_places(kit))]
    for clause in closest[:_MAX_DUTIES]:
        naming = [s for s in clause.sentences if any(core in s.text for core in cores)]
        if naming:
            citation, en_label = kit.sentence_citation(document, clause, naming[:2])
        else:
            point = kit.point(kit.hit_for(document, clause, ask.hits), ask, max_sentences=1)
            if point is None:
                continue
            citation, en_label, _ = point
        en_title = rendition.titles.get(clause.clause, clause.title)
        citations.append(citation)
        points.append(
            (
                f"{citation.label}「{citation.title}」：{citation.quote}" if citation.title else f"{citation.label}：{citation.quote}",
                f"{en_label} “{en_title}”: {citation.quote_en or en_title}" if en_title else f"{en_label}: {citation.quote_en or citation.quote}",
            )
        )  # fmt: skip
    if not citations:
        return None
    book = kit.book(document)
    labels_zh = "；".join(kit.labels(document, c)[0].removeprefix(book) for c in clauses)
    labels_en = "; ".join(
        kit.labels(document, c)[1].removeprefix(f"{kit.name_en(document)}, ") for c in clauses
    )
    # 市中级法院 and 中级法院 are one court, named once.
    shown = [u for u in named if not any(u != other and u in other for other in named)]
    more = kit.say("units.more") if len(clauses) > _MAX_DUTIES else {"zh": "", "en": ""}
    return Draft(
        lead=kit.say(
            "units.duties",
            document=kit.names(document),
            units=Both("、".join(shown), "; ".join(rendition.units.get(u, u) for u in shown)),
            clauses=Both(labels_zh, labels_en),
            more=Both(more["zh"], more["en"]),
        ),  # fmt: skip
        points=points,
        citations=citations,
        looked_up=tuple((c.doc_id, c.clause) for c in citations),
    )
