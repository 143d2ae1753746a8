"""Documents the library cites but does not hold (《…条例》第十条), and documents named by title that it neither
holds nor cites: their text cannot answer, so the answer says so and quotes where the loaded documents cite them."""

from __future__ import annotations

import re

from bot.answer.draft import Draft, quoted_point
from bot.answer.kit import Ask, Kit
from bot.answer.outcome import abstain_with, finish, library
from bot.schema import Answer, Reference

# "方案哪一条提到了…条例", "which clause cites the regulation": where the documents cite it, which they can answer.
WHERE_CITED = re.compile(
    r"哪(?:一|几|幾)?(?:条|條|项|項|部分|些条|些條)|(?:提到|提及|引用|援引)(?:了)?(?:哪|什么|什麼)|"
    r"\bwhich (?:clauses?|measures?|parts?|provisions?|articles?)\b|\bwhere (?:does|do|in) the (?:plan|documents?)\b",
    re.IGNORECASE,
)
BOOK_TITLE = re.compile(r"《([^《》]{2,40})》")
# Names a document carries without its place and period: 知识产权促进和保护条例 for 厦门经济特区知识产权促进和保护条例.
PLACE_PREFIX = re.compile(
    r"^(?:中华人民共和国|国家|(?:[\u4e00-\u9fff]{2,3}(?:省|市|经济特区|自治区|特别行政区))+(?:[\u4e00-\u9fff]{2,3}区)?)"
)


def core_title(title: str) -> str:
    """A title without its place, its period and its trial marker: 知识产权促进和保护条例."""
    title = re.sub(r"[(（](?:\d{4}\s*[-—–至]\s*\d{4}年?|试行|暂行|征求意见稿)[)）]", "", title)
    return PLACE_PREFIX.sub("", title)


def names(reference: Reference, text: str) -> bool:
    core = core_title(reference.title)
    return any(name in text for name in (reference.title, *reference.spellings)) or (
        len(core) >= 6 and core in text
    )


def unloaded_reference(kit: Kit, ask: Ask) -> Answer | None:
    """A question about a document the library cites but does not hold: say so, and quote where it is cited.
    Asked where the documents cite it, that is the answer. Once ingested, it answers itself."""
    query = ask.query
    asked = query.zh_text + " " + " ".join(query.translated_terms)
    reference = next((r for r in kit.corpus.references if not r.present_doc_id and names(r, asked)), None)
    if reference is None:
        return unknown_document(kit, ask, asked)
    draft = Draft(lead={}, points=[], citations=[])
    for doc_id, clause_id in reference.cited_by[:3]:
        document = kit.document(doc_id)
        clause = document.clause(clause_id)
        if clause is None:
            continue
        spelled = (reference.title, *reference.spellings)
        sentence = next((s for s in clause.sentences if any(n in s.text for n in spelled)), None)
        if sentence is None:
            continue
        citation, en_label = kit.sentence_citation(document, clause, [sentence])
        draft.citations.append(citation)
        draft.points.append(quoted_point(citation, en_label))
    if not draft.citations:
        return None
    title_en = kit.lexicon.zh_to_en.get(f"《{reference.title}》") or reference.title
    from bot.answer.messages import Both

    named = Both(f"《{reference.title}》", title_en)
    draft.looked_up = tuple((c.doc_id, c.clause) for c in draft.citations)
    if WHERE_CITED.search(ask.query.text):
        draft.lead = kit.say("reference.cited_where", reference=named)
        return finish(kit, ask, draft)
    draft.lead = kit.say("reference.not_loaded", reference=named)
    return abstain_with(kit, ask, draft, [])


def unknown_document(kit: Kit, ask: Ask, asked: str) -> Answer | None:
    """《专利法》第二十条: a document named by its title that the library neither holds nor cites. Its clause
    numbers are not those of any loaded document, and nothing loaded can say what it provides."""
    loaded = [d.meta.title for d in kit.corpus.documents] + [
        c for d in kit.corpus.documents for c in d.meta.aliases
    ]
    for title in BOOK_TITLE.findall(asked):
        if any(title in t or t in title or core_title(t) in title for t in loaded if t) or any(
            title in r.title for r in kit.corpus.references
        ):
            continue
        from bot.answer.messages import Both

        lead = kit.say("reference.unknown", reference=Both(f"《{title}》", title), library=library(kit))
        return abstain_with(kit, ask, Draft(lead=lead, points=[], citations=[]), [])
    return None
