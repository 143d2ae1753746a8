"""An LLM's answer made safe: [Cn] markers resolved to verified citations, or a fallback with the reason."""

from __future__ import annotations

import logging
import re

from bot.answer.compose import Composer
from bot.answer.llm import LLMComposer, LLMUnavailable, Passage
from bot.query import Query
from bot.schema import Answer, Citation, Hit

log = logging.getLogger("policybot.llm")
_MARKER = re.compile(r"\[(C\d+)\]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def llm_answer(
    composer: Composer,
    llm: LLMComposer,
    question: str,
    language: str,
    query: Query,
    hits: list[Hit],
    history: list[dict] | None,
) -> Answer | None:
    """The LLM's answer when every marker resolves and every number is in a cited passage; else None."""
    x = composer.x
    cited: dict[str, tuple[Citation, str]] = {}
    passages = []
    for n, hit in enumerate(hits[:4], start=1):
        point = x.clause_point(hit, set(query.zh_tokens), set(query.en_tokens), max_sentences=3)
        if point is None:
            continue
        citation, en_label, _ = point
        marker = f"C{n}"
        cited[marker] = (citation, en_label)
        passages.append(
            Passage(marker=marker, label=citation.label, text_zh=citation.quote, text_en=citation.quote_en)
        )
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
    allowed = {
        n
        for m in markers
        for n in _NUMBER.findall(cited[m][0].quote + " " + (cited[m][0].quote_en or "") + cited[m][0].label)
    }
    stray = [n for n in _NUMBER.findall(_MARKER.sub(" ", text)) if n not in allowed]
    if stray:
        log.warning("LLM fallback: numbers %s are not in the cited passages", stray)
        return None
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
