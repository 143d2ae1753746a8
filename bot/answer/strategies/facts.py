"""Answers from typed facts: a clause answers when one of its sentences carries a fact of the kind asked (an
amount, a cap, a time limit, a fee…); that sentence is quoted, the fact first. When none of the searched
documents sets it out, the answer says which kind is missing in which documents and points to the nearest
clauses."""

from __future__ import annotations

import re

from bot.answer.draft import Draft
from bot.answer.english import english_fact
from bot.answer.kinds import FACT_KINDS, MONEY
from bot.answer.kit import Ask, Kit
from bot.answer.messages import Both
from bot.intent import CUES
from bot.schema import Citation, Document, Fact, Hit

# Public money for firms or for the work itself: the sentence that mentions it is the nearest pointer.
_FUNDING = re.compile(r"资助|奖励|补助|补贴|专项资金|财政资金")
_FUNDING_WORDS = frozenset({"资助", "奖励", "资金", "财政"})
_TRAILING = "，,；;。：:"


def documents_of(kit: Kit, ask: Ask, hits: list[Hit]) -> list[Document]:
    """The documents a question is answered from: those it names, or those of the leading clauses."""
    ids = ask.documents or list(dict.fromkeys(h.doc_id for h in hits))
    return [kit.document(d) for d in ids]


def names(kit: Kit, documents: list[Document]) -> Both:
    return Both("、".join(kit.book(d) for d in documents), "; ".join(kit.names(d)[1] for d in documents))


def gap_lead(kit: Kit, key: str, documents: list[Document], **values: str | Both) -> dict[str, str]:
    """'《A》没有规定…' for one document, '《A》、《B》都没有规定…' for several."""
    shape = "one" if len(documents) == 1 else "many"
    return kit.say(f"{key}.{shape}", documents=names(kit, documents), **values)


def _wanted(ask: Ask, kinds: frozenset[str] | None) -> frozenset[str]:
    if kinds is not None:
        return kinds
    wanted: set[str] = set()
    for kind in ask.intent.requests:
        wanted |= FACT_KINDS.get(kind, frozenset())
    return frozenset(wanted)


def _answering(
    kit: Kit,
    ask: Ask,
    wanted: frozenset[str],
    limit: int = 4,
    events_only: bool = False,
    qualifiers: frozenset[str] | None = None,
) -> list[tuple[Hit, list[Fact]]]:
    """The leading clauses that carry facts of the wanted kinds; one more per other named document. With
    `events_only`, the document's own dates (issued, effective, valid until) do not count."""
    found: list[tuple[Hit, list[Fact]]] = []
    seen_docs: set[str] = set()
    for hit in ask.hits[:limit]:
        own = set(kit.document(hit.doc_id).meta.fact_sources.values()) if events_only else set()
        facts = [
            f for f in kit.clause(hit).facts
            if f.kind in wanted and f.qualifier not in ("target", "document") and f.sentence not in own
            and (qualifiers is None or f.qualifier in qualifiers)
        ]  # fmt: skip
        if facts:
            found.append((hit, facts))
    # Of the clauses that carry such facts, the closest to the question first; then one more per other named
    # document.
    scored = sorted(
        ((_closeness(kit, ask, n, hit, facts, wanted), hit, facts) for n, (hit, facts) in enumerate(found)),
        key=lambda item: -item[0],
    )
    chosen: list[tuple[Hit, list[Fact]]] = []
    for score, hit, facts in scored:
        # One per document: each document a question names, or another that answers nearly as well.
        if not chosen or (
            hit.doc_id not in seen_docs and (hit.doc_id in ask.documents or score >= 0.85 * scored[0][0])
        ):
            chosen.append((hit, facts))
            seen_docs.add(hit.doc_id)
    return chosen[: max(2, len(ask.documents))]


def _closeness(kit: Kit, ask: Ask, rank: int, hit: Hit, facts: list[Fact], wanted: frozenset[str]) -> float:
    """How well a clause's facts answer: the share of the question's words its best two fact spans carry, how
    close their sentences are in meaning, how many of the kinds asked it sets, and its retrieval rank."""
    zh, _ = ask.tokens
    similarity = dict(hit.sentence_similarity)
    sentences = {s.id: s for s in kit.clause(hit).sentences}
    carrying = [sentences[f.sentence] for f in facts if f.sentence in sentences]
    shares = sorted(
        {s.id: len(kit.quoter.sentence_tokens(s) & zh) / max(len(zh), 1) for s in carrying}.values(),
        reverse=True,
    ) or [0.0]
    meaning = max((similarity.get(f.sentence, 0.0) for f in facts), default=0.0)
    kinds = len({f.kind for f in facts} & wanted)
    # The audience the question names (台资企业, SMEs) where the clause names it too.
    text = kit.clause(hit).text
    audience = any(CUES[a].search(text) for a in ask.intent.audiences if a in CUES)
    # A deadline is a window or a date before a time limit: the first wanted kind the clause sets weighs most.
    return shares[0] + 0.5 * sum(shares[1:2]) + meaning + 0.2 * kinds + 1.0 / (1 + rank) + 0.3 * audience


def _quote_facts(kit: Kit, ask: Ask, hit: Hit, facts: list[Fact]) -> tuple[Citation, str, list[Fact]]:
    """The sentences carrying the facts, closest to the question first (at most two), and the clause's sentence
    closest to the question beside them when they can be quoted together."""
    clause = kit.clause(hit)
    zh, en = ask.tokens
    ranked = [s for _, s in kit.quoter.sentence_scores(clause, hit, zh, en)]
    carrying = {f.sentence for f in facts}
    chosen = [s for s in ranked if s.id in carrying][:2]
    if ranked and ranked[0] not in chosen:
        chosen.append(ranked[0])
    document = kit.document(hit.doc_id)
    rendition = kit.rendition(document.doc_id)
    citation, en_label = kit.citation(
        document, clause, [(s.start, s.end) for s in chosen], [rendition.sentences.get(s.id) for s in chosen]
    )
    quoted = {s.id for s in chosen if s.text in citation.quote}
    return citation, en_label, [f for f in facts if f.sentence in quoted]


def facts_draft(
    kit: Kit,
    ask: Ask,
    kinds: frozenset[str] | None = None,
    events_only: bool = False,
    qualifiers: frozenset[str] | None = None,
) -> Draft | None:
    """The leading clauses that set out what is asked, the fact first, then the sentences that say it."""
    wanted = _wanted(ask, kinds)
    if not wanted:
        return None
    answering = _answering(
        kit, ask, wanted, limit=5 if qualifiers else 4, events_only=events_only, qualifiers=qualifiers
    )
    if not answering:
        return None
    citations: list[Citation] = []
    points: list[tuple[str, str]] = []
    leads_zh, leads_en = [], []
    for hit, facts in answering:
        whole = _whole_list(kit, ask, hit)
        if whole is not None:
            citations.append(whole[0])
            points.append(whole[1])
            texts = kit.say("facts.list", label=Both(whole[0].label, whole[2]), title=whole[0].title)
            leads_zh.append(texts["zh"])
            leads_en.append(texts["en"])
            continue
        citation, en_label, quoted = _quote_facts(kit, ask, hit, facts)
        if not quoted:
            continue
        spans = list(dict.fromkeys(f.text.strip(_TRAILING) for f in quoted))
        texts = kit.say(
            "facts.line",
            label=Both(citation.label, en_label),
            facts=Both("；".join(spans), "; ".join(f"「{s}」" for s in spans)),
        )
        # No English rendition: the facts are said in English from their values, their spans quoted.
        rendered = [] if citation.quote_en else [english_fact(kit.messages, f) for f in quoted]
        if any(rendered):
            said = kit.say(
                "fact.line",
                label=Both(citation.label, en_label),
                rendered="; ".join(dict.fromkeys(r for r in rendered if r)),
                quoted="」「".join(spans),
            )
            texts["en"] = said["en"]
        leads_zh.append(texts["zh"])
        leads_en.append(texts["en"])
        citations.append(citation)
        points.append(
            (f"{citation.quote} [{citation.label}]", f"{citation.quote_en or citation.quote} [{en_label}]")
        )
    if not citations:
        return None
    return Draft(
        lead={"zh": "\n".join(leads_zh), "en": "\n".join(leads_en)},
        points=points,
        citations=citations,
        looked_up=tuple((c.doc_id, c.clause) for c in citations),
    )


def _whole_list(kit: Kit, ask: Ask, hit: Hit) -> tuple[Citation, tuple[str, str], str] | None:
    """'要准备哪些材料': an item of a list annex (附件1 申报材料清单) answers with the whole list, quoted."""
    intent = ask.intent
    clause = kit.clause(hit)
    if not clause.annex or not (intent.listing or {"procedure", "conditions"} & set(intent.requests)):
        return None
    document = kit.document(hit.doc_id)
    annex = document.clause(clause.annex)
    items = [c for c in document.clauses if c.annex == clause.annex and c.sentences]
    if annex is None or not items:
        return None
    sentences = [s for c in items for s in c.sentences]
    citation, en_label = kit.citation(document, annex, [(sentences[0].start, sentences[-1].end)], [None])
    if sentences[-1].text not in citation.quote:
        return None  # too long to quote as one stretch
    return (
        citation,
        (f"{citation.quote} [{citation.label}]", f"{citation.quote_en or citation.quote} [{en_label}]"),
        en_label,
    )


def no_money_draft(kit: Kit, ask: Ask) -> Draft | None:
    """Where the searched documents set no amount: a plain statement of that, with the clause that mentions
    funding (and the one for the audience asked about)."""
    hits = ask.hits
    funded = next(
        (h for h in hits[:5] if any(_FUNDING.search(s.text) for s in kit.clause(h).sentences)), hits[0]
    )
    zh, en = ask.tokens
    point = kit.quoter.clause_point(funded, zh | _FUNDING_WORDS, en, max_sentences=1)
    if point is None:
        return None
    citation, en_label, _ = point
    citations = [citation]
    points = [(f"{citation.quote} [{citation.label}]", f"{citation.quote_en or citation.quote} [{en_label}]")]
    # The money may be asked for an audience of its own (台资企业, SMEs): the clause for them comes first.
    cards = kit.bilingual.cards.get(funded.doc_id, {})
    audiences = set(ask.intent.audiences)
    topic = next(
        (h for h in hits[:5] if h.clause in cards and audiences & set(cards[h.clause].audience)), funded
    )
    if topic.clause != funded.clause:
        topic_point = kit.point(topic, ask, max_sentences=1)
        if topic_point is not None:
            from bot.answer.draft import quoted_point

            citations.insert(0, topic_point[0])
            points.insert(0, quoted_point(topic_point[0], topic_point[1]))
    documents = documents_of(kit, ask, hits[:3])
    draft = Draft(
        lead=gap_lead(kit, "facts.no_money", documents), points=points, citations=citations, abstained=True
    )
    draft.gaps = [(kind, tuple(d.doc_id for d in documents)) for kind in sorted(MONEY)]
    return draft
