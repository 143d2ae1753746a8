"""'Which measures are there for X?': one cited line per clause that serves the audience or kind of support
asked about (its curated card's tags, or the same cues found in its own text)."""

from __future__ import annotations

from bot.answer.draft import Draft, quoted_point
from bot.answer.kit import Ask, Kit
from bot.answer.strategies.clause import names_title
from bot.intent import CUES
from bot.schema import Citation, Document


def _tags(kit: Kit, document: Document) -> dict[str, set[str]]:
    """Each clause's audiences and kinds of support: from the curated cards where the document has them."""
    cards = kit.bilingual.cards.get(document.doc_id, {})
    if cards:
        return {c: set(card.audience) | set(card.support) for c, card in cards.items()}
    return {
        c.clause: {tag for tag, cue in CUES.items() if cue.search(c.title + c.text)}
        for c in document.clauses
        if c.kind in ("measure", "article", "item")
    }


def list_draft(kit: Kit, ask: Ask) -> Draft | None:
    intent = ask.intent
    if not intent.listing or not (intent.audiences or intent.supports) or not ask.hits:
        return None
    if names_title(kit, ask.hits[0], ask):
        return None  # "行政保护方面有哪些举措": the clause named by its topic, not a list of clauses
    wanted = set(intent.audiences) | set(intent.supports)
    doc_id = ask.hits[0].doc_id
    document = kit.document(doc_id)
    matching = [c for c, tags in _tags(kit, document).items() if wanted & tags and c[0].isdigit()]
    if len(matching) < 2:
        return None
    # The tags only stand for the question's topic when retrieval agrees on at least one leading clause
    # ("国际商标有哪些支持" is about trademarks, not about every international measure).
    if not {h.clause for h in ask.hits[:2] if h.doc_id == doc_id} & set(matching):
        return None
    order = {h.clause: i for i, h in enumerate(ask.hits) if h.doc_id == doc_id}
    position = {c.clause: i for i, c in enumerate(document.clauses)}
    matching.sort(key=lambda c: (order.get(c, 99), position.get(c, 0)))
    points: list[tuple[str, str]] = []
    citations: list[Citation] = []
    cues = [CUES[tag] for tag in wanted if tag in CUES]
    zh_tokens, en_tokens = ask.tokens
    quoter = kit.quoter
    for clause_id in matching[:6]:
        clause = document.clause(clause_id)
        if clause is None:
            continue
        hit = kit.hit_for(document, clause, ask.hits)
        # The line for each clause is a sentence that names the audience or support asked about: of those,
        # every one that names it, closest first; they are quoted together when they sit close.
        ranked = quoter.sentence_scores(clause, hit, zh_tokens, en_tokens)
        named = [s for _, s in ranked if any(c.search(s.text) for c in cues)][:3]
        # A term the question names that those sentences miss brings the sentence that names it, where few
        # of the clause's sentences do ("像是质押融资、保险这类": the insurance sentence).
        if named:
            tokens = {s.id: quoter.sentence_tokens(s) & zh_tokens for s in clause.sentences}
            covered = set().union(*(tokens[s.id] for s in named))
            for _, sentence in ranked:
                rare = {t for t in tokens[sentence.id] - covered if sum(t in f for f in tokens.values()) <= 2}
                if rare and sentence not in named and len(named) < 4:
                    named.append(sentence)
                    covered |= tokens[sentence.id]
            citation, en_label = kit.sentence_citation(document, clause, named)
        else:
            point = kit.point(hit, ask, max_sentences=1)
            if point is None:
                continue
            citation, en_label, _ = point
        citations.append(citation)
        points.append(quoted_point(citation, en_label))
    return Draft(
        lead=kit.say("listing.lead", document=kit.names(document)),
        points=points,
        citations=citations,
        looked_up=tuple((c.doc_id, c.clause) for c in citations),
    )
