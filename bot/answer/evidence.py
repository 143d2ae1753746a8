"""Does the corpus answer the question? Decided from evidence: how much of the question's vocabulary the
indexed documents contain at all, not from a list of topics."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.lang import chinese_tokens
from bot.retrieve import Query

_CONTACT_DETAIL = re.compile(r"\d{3,4}-\d{7,8}|1[3-9]\d[- ]?\d{4}[- ]?\d{4}|[\w.]+@[\w.]+\.\w+|电话[:：]")


@dataclass(frozen=True)
class Coverage:
    content_tokens: int
    missing: tuple[str, ...]
    elsewhere: bool = False
    recognised: int = 1  # words of any kind the tokenisers recognised (0: gibberish, emoji, other scripts)

    @property
    def ratio_missing(self) -> float:
        return len(self.missing) / self.content_tokens if self.content_tokens else 0.0

    @property
    def unanswerable(self) -> bool:
        """Nothing the question asks about occurs in the corpus, or most of its salient terms are absent."""
        if (
            self.recognised == 0
            or self.elsewhere
            or (self.content_tokens and len(self.missing) == self.content_tokens)
        ):
            return True
        return len(self.missing) >= 2 and self.ratio_missing >= 0.6


class Vocabulary:
    def __init__(self, zh_tokens: set[str], en_tokens: set[str], zh_text: str):
        self.zh = zh_tokens
        self.en = en_tokens
        self.zh_text = zh_text
        self.has_contacts = bool(_CONTACT_DETAIL.search(zh_text))

    def coverage(self, query: Query) -> Coverage:
        import jieba.posseg as pseg

        tagged = list(pseg.cut(query.zh_text)) if query.zh_text else []
        zh_content = [t for t in chinese_tokens(query.zh_text) if len(t) >= 2] if query.zh_text else []
        nouns = {w for w, flag in tagged if flag.startswith("n") and flag != "nr" and len(w) >= 2}
        # A place the documents never mention (深圳, 杭州, 高雄) means the question is about somewhere else.
        places = [w for w, flag in tagged if flag == "ns" and len(w) >= 2 and w not in self.zh_text]
        if places:
            return Coverage(content_tokens=len(nouns) or 1, missing=tuple(places), elsewhere=True)
        covered_zh = [t for t in zh_content if t in self.zh or t in self.zh_text]
        missing = [w for w in nouns if w not in self.zh and w not in self.zh_text]
        en_missing = [t for t in query.en_tokens if t not in self.en]
        content = len(nouns) + len(query.en_tokens) + len(query.translated_terms)
        nothing_known = (
            zh_content
            and not covered_zh
            and not query.translated_terms
            and len(en_missing) == len(query.en_tokens)
        )
        if nothing_known:
            return Coverage(
                content_tokens=len(zh_content) + len(query.en_tokens),
                missing=tuple(zh_content) + tuple(en_missing),
            )
        recognised = len(zh_content) + len(query.en_tokens) + len(query.translated_terms)
        return Coverage(
            content_tokens=content, missing=tuple(missing) + tuple(en_missing), recognised=recognised
        )
