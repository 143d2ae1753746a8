"""What a question names beyond the asking, and how answers name clauses.

A question's topic words are its nouns and English stems, less the words that can be asked of any clause (its
responsible units, its wording, its English, its date): "这条由哪些部门负责" has none, "我是说金鸡百花电影节那条"
has some. Labels read back which clauses an answer cites, from the labels answers write."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property

from bot.answer.focus import EN_GENERIC_FOCUS, GENERIC_FOCUS
from bot.ask.words import words
from bot.lang import english_tokens, to_simplified
from bot.schema import Clause, Corpus, Document

ClauseKey = tuple[str, str]

ASPECTS = words("clause_aspects")
EN_ASPECTS = (
    frozenset(english_tokens(" ".join(w for w in ASPECTS | words("en_asking_verbs") if w.isascii())))
    | EN_GENERIC_FOCUS
)
# jieba's tags of words that name things: nouns, verbal nouns, fixed phrases, idioms, the glossary's own terms.
NOMINAL = ("n", "vn", "l", "i", "x", "eng", "f", "s")
# Words that make a piece of text a question of its own rather than a bare topic.
ZH_ASKS = re.compile(
    r"多少|几|幾|什么|什麼|啥|哪|谁|誰|怎|如何|吗|嗎|是否|有没有|有沒有|能否|可否|多久|多长|多長|是不是"
)
ASKS = re.compile(
    ZH_ASKS.pattern
    + r"|\b(?:what|which|who|whom|when|where|why|how|is|are|does|do|did|can|could|should|will|would|may)\b",
    re.IGNORECASE,
)


def topic_words(text: str) -> list[str]:
    """The words a question names a thing with, beyond what can be asked of any clause (its responsible units,
    its wording, its English, its date): Chinese nouns, English stems."""
    import jieba.posseg

    simplified = to_simplified(text)
    found = [
        pair.word
        for pair in jieba.posseg.cut(simplified)
        if len(pair.word) >= 2
        and pair.flag.startswith(NOMINAL)
        and re.search(r"[\u4e00-\u9fff]", pair.word)
        and not is_aspect(pair.word)
        and not ASKS.search(pair.word)
    ]
    return found + [t for t in english_tokens(simplified) if t not in EN_ASPECTS and not t.isdigit()]


def is_aspect(word: str) -> bool:
    """A word of what can be asked of any clause, or one made of such words (英文翻译 = 英文 + 翻译)."""
    if word in ASPECTS or word in GENERIC_FOCUS:
        return True
    return any(
        (word[:n] in ASPECTS or word[:n] in GENERIC_FOCUS) and is_aspect(word[n:])
        for n in range(2, len(word) - 1)
    )


class Labels:
    """Every clause's labels as answers write them (《title》三、(十四); Work Plan, Part III, Measure (14)), so that
    what an earlier answer cited can be read back from its text."""

    def __init__(self, corpus: Corpus, label_of: Callable[[Document, Clause], tuple[str, str]]):
        self.corpus = corpus
        self.label_of = label_of

    @cached_property
    def _keys(self) -> dict[str, ClauseKey]:
        # Built on the first follow-up, not at start-up: most questions come without a conversation.
        keys: dict[str, ClauseKey] = {}
        for document in self.corpus.documents:
            for clause in document.clauses:
                for label in self.label_of(document, clause):
                    keys.setdefault(to_simplified(label), (document.doc_id, clause.clause))
        return keys

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        # Longest first, and never a label inside a longer one's number: Measure (1) is not read in Measure (14).
        ordered = sorted(self._keys, key=len, reverse=True)
        return re.compile("(?:" + "|".join(map(re.escape, ordered)) + r")(?![\d)）])") if ordered else None

    def cited(self, text: str) -> tuple[ClauseKey, ...]:
        """The clauses a text cites by their labels, in the order it names them, each once."""
        if self._pattern is None:
            return ()
        return tuple(
            dict.fromkeys(self._keys[m.group(0)] for m in self._pattern.finditer(to_simplified(text)))
        )
