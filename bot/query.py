"""A question read once for retrieval and answering: its script, its words in the documents' Simplified
terms, its English tokens, the Chinese the glossary and the dictionary bridge give its English, its intent."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from bot.intent import Intent, read_intent
from bot.lang import chinese_tokens, detect_script, english_tokens, strip_boilerplate
from bot.lexicon import Lexicon

_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Query:
    """A question prepared for every list: its script, the plan-term Chinese form, English tokens."""

    text: str
    script: str
    zh_text: str
    zh_tokens: list[str]
    en_tokens: list[str]
    translated_terms: list[str] = field(default_factory=list)  # the glossary's terms for its English words
    bridged_terms: list[str] = field(default_factory=list)  # the documents' words for the others (bot.bridge)
    intent: Intent = field(default_factory=lambda: read_intent(""))
    vector: np.ndarray | None = None  # the question's embedding, once the dense search has made it
    documents: list[str] = field(default_factory=list)  # the documents the question names (bot.scope)


def prepare_query(question: str, lexicon: Lexicon) -> Query:
    script = detect_script(question)
    core = strip_boilerplate(question)
    zh_text = lexicon.to_plan_terms(core) if _HAN.search(core) else ""
    english = bool(re.search(r"[A-Za-z]{2,}", core))
    translated = lexicon.english_to_zh(core) if english else []
    bridged = [t for t in lexicon.bridged(core) if t not in translated] if english else []
    words = [zh_text, *translated, *bridged]
    zh_tokens = chinese_tokens(" ".join(words)) if any(words) else []
    return Query(
        text=question,
        script=script,
        zh_text=zh_text,
        zh_tokens=zh_tokens,
        # In a Chinese question the Latin words are English evidence; its bare numbers already count in Chinese.
        en_tokens=[t for t in english_tokens(core) if not (zh_text and t.replace(".", "").isdigit())],
        translated_terms=translated,
        bridged_terms=bridged,
        intent=read_intent(question),
    )
