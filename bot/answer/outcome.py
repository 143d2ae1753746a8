"""How a draft becomes an answer: rendered, verified and given its notices; or a refusal that says plainly
what the library does not answer and names the nearest clauses."""

from __future__ import annotations

import datetime as dt
import logging
import re

from bot.answer.draft import Draft, render
from bot.answer.kit import Ask, Kit
from bot.answer.messages import Both
from bot.answer.verify import verify
from bot.lang import to_simplified, to_traditional, unmark
from bot.schema import Answer, Citation, District, Document, Hit, Related

log = logging.getLogger("policybot.answer")


def finish(kit: Kit, ask: Ask, draft: Draft) -> Answer:
    """Render and verify; an answer that fails verification is never shown (a refusal instead)."""
    cited = {(c.doc_id, c.clause) for c in draft.citations}
    citations = tuple(localised(kit, c, ask.language) for c in draft.citations)
    related = tuple(
        Related(doc_id=h.doc_id, clause=h.clause, title=h.title)
        for h in ask.hits
        if (h.doc_id, h.clause) not in cited
    )[:3]
    answer = Answer(
        question=ask.question,
        language=ask.language,  # type: ignore[arg-type]
        answer=render(draft, ask.language, kit.taiwan),
        abstained=False,
        citations=citations,
        related=related,
        notices=tuple(notices(kit, ask.language, citations, ask.question)),
        gaps=tuple({"kind": kind, "documents": list(docs)} for kind, docs in draft.gaps),
    )
    problems = verify(answer, kit.corpus, {(h.doc_id, h.clause) for h in ask.hits} | set(draft.looked_up))
    if problems:
        log.error("built-in answer failed verification, refusing instead: %s", problems)
        return refusal(kit, ask, reason="scope")
    return answer


def localised(kit: Kit, citation: Citation, language: str) -> Citation:
    """The citation's label in the answer's language; a Traditional answer also shows the quote converted."""
    if language == "en":
        document = kit.document(citation.doc_id)
        clause = document.clause(citation.clause)
        assert clause is not None
        return citation.model_copy(update={"label": kit.labels(document, clause)[1]})
    if language == "zh-Hant":
        return citation.model_copy(
            update={"label": to_traditional(citation.label), "quote_display": to_traditional(citation.quote)}
        )
    return citation


def in_language(kit: Kit, texts: dict[str, str], language: str) -> str:
    if language == "en":
        return unmark(texts["en"])
    return kit.taiwan(texts["zh"]) if language == "zh-Hant" else unmark(texts["zh"])


def abstain_with(kit: Kit, ask: Ask, draft: Draft, hits: list[Hit] | None = None) -> Answer:
    """The documents do not answer, but the draft's clauses come closest: its text is shown and its clauses
    lead `related`. Nothing is cited, because nothing answers."""
    nearest = [(c.doc_id, c.clause, c.title) for c in draft.citations] + [
        (h.doc_id, h.clause, h.title) for h in (ask.hits if hits is None else hits)
    ]
    related = tuple(Related(doc_id=d, clause=c, title=t) for d, c, t in dict.fromkeys(nearest))[:3]
    text = render(draft, ask.language, kit.taiwan)
    gaps = tuple({"kind": kind, "documents": list(docs)} for kind, docs in draft.gaps)
    return Answer(
        question=ask.question, language=ask.language, answer=text, abstained=True, related=related, gaps=gaps
    )  # type: ignore[arg-type]


def library(kit: Kit) -> Both:
    """The loaded documents, named as the catalogue names them."""
    documents = kit.corpus.documents
    return Both(
        "、".join(kit.book(d) for d in documents),
        "; ".join(d.meta.title_en or kit.book(d) for d in documents),
    )


def nearest_clauses(kit: Kit, hits: list[Hit]) -> Both:
    zh, en = [], []
    for hit in hits:
        document = kit.document(hit.doc_id)
        clause = document.clause(hit.clause)
        if clause is None:
            continue
        zh_label, en_label = kit.labels(document, clause)
        title_en = kit.rendition(hit.doc_id).titles.get(hit.clause)
        titled = clause.title and clause.kind not in ("part",)
        zh.append(f"{zh_label}「{clause.title}」" if titled else zh_label)
        en.append(f"{en_label} (“{title_en}”)" if title_en else en_label)
    return Both("；".join(zh), "; ".join(en))


def refusal(kit: Kit, ask: Ask, reason: str) -> Answer:
    hits = ask.hits[:3] if reason in ("scope", "which") else []
    related = tuple(Related(doc_id=h.doc_id, clause=h.clause, title=h.title) for h in hits)
    if reason in ("scope", "which"):
        # "which": a reference (这条, it) with nothing before it to point at; the nearest clauses are offered.
        texts = kit.say(f"decline.{reason}", library=library(kit))
        if hits:
            more = kit.say(
                "decline.nearest" if reason == "scope" else "decline.candidates",
                clauses=nearest_clauses(kit, hits),
            )
            texts = {k: texts[k] + more[k] for k in texts}
    else:
        texts = kit.say(f"decline.{reason}")
    text = in_language(kit, texts, ask.language)
    return Answer(question=ask.question, language=ask.language, answer=text, abstained=True, related=related)  # type: ignore[arg-type]


_HAN = re.compile(r"[\u4e00-\u9fff]")


def districts_named(document: Document, question: str) -> list[District]:
    """The document's districts the question names: 湖里区, 湖里, 湖里區 or Huli."""
    simplified, lowered = to_simplified(question), question.lower()
    return [
        d
        for d in document.meta.districts
        if any(
            name in simplified if _HAN.search(name) else re.search(rf"\b{re.escape(name.lower())}\b", lowered)
            for name in d.names
        )
    ]


def english_districts(districts: list[District]) -> str:
    return ", ".join(f"{d.en[0]} District" if d.en else d.zh for d in districts)


def when(value: str) -> Both:
    """2024-01-01 as 2024年1月1日 / 1 January 2024; 2022-07 as 2022年7月 / July 2022."""
    parts = [int(p) for p in value.split("-")]
    month = dt.date(2000, parts[1], 1).strftime("%B")
    if len(parts) == 3:
        return Both(f"{parts[0]}年{parts[1]}月{parts[2]}日", f"{parts[2]} {month} {parts[0]}")
    return Both(f"{parts[0]}年{parts[1]}月", f"{month} {parts[0]}")


def period_names(label: str | None) -> Both:
    """What the text calls its period (有效期, 试行期, 示范工作期) and the English word for that kind of period."""
    label = label or "有效期"
    english = "trial period" if "试行" in label else "validity" if "有效" in label else "stated period"
    return Both(label, english)


def validity_notice(kit: Kit, document: Document) -> dict[str, str] | None:
    """The document's own standing on the day asked, from its own facts: never another document's."""
    meta, state = document.meta, kit.status(document)
    name = kit.names(document)
    if state == "repealed" and meta.repealed_by:
        return kit.say("notice.repealed", document=name, by=kit.names(kit.document(meta.repealed_by)))
    period = period_names(meta.period_label)
    if meta.valid_to:
        start = meta.valid_from if meta.valid_from and meta.valid_from != meta.effective else None
        shape = "range" if start else "until"
        values = {"document": name, "period": period, "end": when(meta.valid_to)}
        if start:
            values["start"] = when(start)
        key = {"expired": "ended", "not_yet": "not_yet", "in_force": "running"}.get(state)
        if key is None:
            return None
        if state == "not_yet":
            return kit.say(
                "notice.not_yet", document=name, effective=when(meta.effective or meta.valid_from or "")
            )
        return kit.say(f"notice.{key}_{shape}", **values)
    if state == "not_yet" and meta.effective:
        return kit.say("notice.not_yet", document=name, effective=when(meta.effective))
    return None


def notices(kit: Kit, language: str, citations: tuple[Citation, ...], question: str = "") -> list[str]:
    notes: list[dict[str, str]] = []
    for doc_id in dict.fromkeys(c.doc_id for c in citations):
        document = kit.document(doc_id)
        districts = districts_named(document, question)
        if districts:
            notes.append(
                kit.say(
                    "notice.city_wide",
                    districts=Both("、".join(d.zh for d in districts), english_districts(districts)),
                )
            )
        standing = validity_notice(kit, document)
        if standing is not None:
            notes.append(standing)
    cited_docs = list(dict.fromkeys(c.doc_id for c in citations))
    untranslated = [d for d in cited_docs if not kit.rendition(d).sentences]
    machine = [d for d in cited_docs if d not in untranslated and kit.rendition(d).machine]
    curated = [d for d in cited_docs if d not in untranslated and d not in machine]
    if citations and language == "en" and curated:
        notes.append(kit.say("notice.translation_en"))
    elif citations and any(c.quote_en for c in citations if c.doc_id in curated):
        notes.append(kit.say("notice.translation_zh"))
    for doc_id in machine:
        if language == "en" or any(c.quote_en for c in citations if c.doc_id == doc_id):
            document = kit.document(doc_id)
            model = kit.rendition(doc_id).machine or ""
            notes.append(
                kit.say(
                    "notice.machine_translated",
                    documents=Both(kit.book(document), kit.names(document)[1]),
                    model=model,
                )
            )
    if citations and language == "en" and untranslated:
        notes.append(kit.say("notice.untranslated", documents=Both(
            "、".join(kit.book(kit.document(d)) for d in untranslated),
            "; ".join(kit.names(kit.document(d))[1] for d in untranslated),
        )))  # fmt: skip
    return [in_language(kit, note, language) for note in notes]
