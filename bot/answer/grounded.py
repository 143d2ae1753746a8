"""An LLM's answer made safe: [Cn] markers resolved to verified citations, or a fallback with the reason."""

from __future__ import annotations

import logging
import re

from bot.answer import prose
from bot.answer.compose import Composer
from bot.answer.llm import LLMComposer, LLMUnavailable, Passage
from bot.answer.prose import Evidence
from bot.parts import without_orders
from bot.query import Query
from bot.schema import Answer, Citation, Hit

log = logging.getLogger("policybot.llm")
_MARKER = re.compile(r"\[(C\d+)\]")


def llm_answer(
    composer: Composer,
    llm: LLMComposer,
    question: str,
    language: str,
    query: Query,
    hits: list[Hit],
    history: list[dict] | None,
) -> Answer | None:
    """The LLM's answer when every marker resolves and its prose passes bot.answer.prose; else None."""
    x = composer.x
    kit = composer.kit
    cited: dict[str, tuple[Citation, str]] = {}
    evidence: dict[str, Evidence] = {}
    passages = []
    for n, hit in enumerate(hits[:4], start=1):
        point = x.clause_point(hit, set(query.zh_tokens), set(query.en_tokens), max_sentences=3)
        if point is None:
            continue
        citation, en_label, _ = point
        marker = f"C{n}"
        text_zh = without_orders(citation.quote)
        text_en = without_orders(citation.quote_en) if citation.quote_en else None
        if not text_zh:
            continue  # nothing but orders: not a passage
        cited[marker] = (citation, en_label)
        meta = kit.document(hit.doc_id).meta
        evidence[marker] = Evidence.of(
            marker,
            citation.label,
            en_label,
            text_zh,
            text_en or "",
            meta.title,
            meta.number or "",
            meta.issued or "",
        )
        passages.append(Passage(marker=marker, label=citation.label, text_zh=text_zh, text_en=text_en))
    if not passages:
        return None
    try:
        text = llm.compose(question, language, passages, history)
    except LLMUnavailable as exc:
        log.warning("LLM fallback to the built-in answer: %s", exc.reason)
        return None
    if "NOT_IN_DOCUMENTS" in text:
        return composer.refusal(question, language, hits, reason="scope")
    markers = list(dict.fromkeys(_MARKER.findall(text)))
    if not markers or any(m not in cited for m in markers):
        log.warning("LLM fallback: answer cites no or unknown passages %s", markers)
        return None
    checked = prose.check(text, evidence, query.intent.contact, kit.lexicon.chinese_for)
    if checked.problems:
        log.warning("LLM fallback: %s", "; ".join(checked.problems))
        return None
    if checked.dropped:
        log.warning("LLM sentences without support in their passages left out: %s", checked.dropped)
    text = checked.text
    markers = list(dict.fromkeys(_MARKER.findall(text)))
    labels = {m: composer.localised(cited[m][0], language).label for m in markers}
    rendered = _MARKER.sub(lambda match: f"[{labels[match.group(1)]}]", text)
    citations = tuple(composer.localised(cited[m][0], language) for m in markers)
    return Answer(
        question=question,
        language=language,  # type: ignore[arg-type]
        answer=rendered,
        abstained=False,
        citations=citations,
        notices=tuple(composer.notices(language, citations)),
        backend=f"llm:{llm.model_name}",
    )
