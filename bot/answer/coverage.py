"""Does the corpus answer the question? Decided from evidence: how much of the question's vocabulary the
indexed documents contain at all, and whether the very thing asked for occurs in them, not from a list of
topics."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answer.focus import EN_GENERIC_FOCUS, GENERIC_FOCUS, FocusReader
from bot.ask.words import words
from bot.lang import chinese_tokens, english_tokens
from bot.query import Query

_HAN = re.compile(r"[\u4e00-\u9fff]")

_CONTACT_DETAIL = re.compile(r"\d{3,4}-\d{7,8}|1[3-9]\d[- ]?\d{4}[- ]?\d{4}|[\w.]+@[\w.]+\.\w+|电话[:：]")

# A place's next word that makes it the question's setting (深圳的…, 杭州对…).
_PLACE_SETTING_AFTER = frozenset("的对對市省有怎如政跟和与與比、")
# Words jieba tags as places that name a relation, not somewhere else: 回国创业, 在大陆, 全国.
_NOT_PLACES = words("not_places")
# 比深圳, 跟上海相比: a place the question compares with is a setting of its own.
_PLACE_COMPARED_AFTER = frozenset(["比", "跟", "和", "与", "與", "同", "对比", "對比", "相比"])
# Words before a place that make it an object, not the question's setting: where goods go (出口到巴西), or a
# place checked against one of the documents' own lists (是不是包括井冈山).
_PLACE_OBJECT_BEFORE = words("place_object_before")
# A name the documents never use, in a place that makes it the question's subject or setting: "Shanghai's
# rules", "an agreement with Japan", "what penalties does Singapore impose".
_EN_ELSEWHERE = re.compile(
    r"\b([A-Z][A-Za-z]{2,})(?:'s|’s)|\b(?:in|with|from|than|versus|vs\.?|compared (?:to|with)) (?:the )?([A-Z][A-Za-z]{2,}(?: [A-Z][A-Za-z]+){0,2})\b|"
    r"\b(?:does|do|did) (?:the )?([A-Z][A-Za-z]{2,})\b"
)
# A capitalised name of several words ("Patent Prosecution Highway"): a programme or body of its own.
_EN_PROPER_PHRASE = re.compile(r"(?<!^)(?<![.?!] )\b((?:[A-Z][a-z]+ ){1,4}[A-Z][a-z]+)\b")

# English words that carry the asking, not the topic ("is customs actually named anywhere"): a question is not
# unanswerable because the documents never say "actually".
_EN_FILLER = frozenset(
    english_tokens(
        "actually anywhere really also just only even ever still exactly specifically basically currently "
        "literally named name mention mentioned listed somewhere something anything everything thing things much many "
        "stuff kind sort please thanks thank wondering wonder curious quick question"
    )
)
# Months and days name a time, not a place or body the question is set in ("from January 2022").
_EN_CALENDAR = words("en_calendar")


_INTRODUCTION = re.compile(
    r"^\s*(?:您好|你好|hi|hello)?\W*(?:我们|我們|我|本公司|我司|本会|本會|敝公司)(?:是|在|来自|來自|位于|位於)|"
    r"^\s*(?:hi|hello)?\W*(?:we|i)(?:'re| are| am)\b|^\s*our [a-z]+(?: [a-z]+)? (?:is|are) (?:based |located )?in\b|"
    r"^\s*we represent\b",
    re.IGNORECASE,
)
_PARTS = re.compile(r"[，,。；;？?！!]")
# The words that make a part of a question the asking part.
_ASKING = re.compile(
    r"多少|几|幾|什么|什麼|哪|怎么|怎麼|如何|吗|嗎|是否|有没有|有沒有|能否|可否|多久|多长|多長"
)
_CLAUSES = re.compile(r"[^。！？!?；;，,.]+[。！？!?；;，,.]?")


def _without_introduction(text: str) -> str:
    """The question without the clauses that say who is asking."""
    kept = [c for c in _CLAUSES.findall(text) if not _INTRODUCTION.search(c)]
    return "".join(kept) if kept else text


@dataclass(frozen=True)
class Coverage:
    content_tokens: int
    missing: tuple[str, ...]
    elsewhere: bool = False
    recognised: int = 1  # words of any kind the tokenisers recognised (0: gibberish, emoji, other scripts)
    absent_focus: tuple[str, ...] = ()  # what the question asks for, where the documents never mention it
    # Words absent from the documents in the very part of the question that asks ("软件著作权登记有没有补贴",
    # "要缴多少保证金"): an amount, fee or time limit of that thing cannot be answered by another thing's.
    asked_missing: tuple[str, ...] = ()

    @property
    def ratio_missing(self) -> float:
        return len(self.missing) / self.content_tokens if self.content_tokens else 0.0

    @property
    def unanswerable(self) -> bool:
        """Nothing the question asks about occurs in the corpus, or most of its salient terms are absent."""
        if self.absent_focus or self.recognised == 0 or self.elsewhere:
            return True
        if self.content_tokens and len(self.missing) == self.content_tokens:
            return True
        return len(self.missing) >= 2 and self.ratio_missing >= 0.6


class Vocabulary(FocusReader):
    def __init__(
        self,
        zh_tokens: set[str],
        en_tokens: set[str],
        zh_text: str,
        en_text: str = "",
        en_terms: list[str] | tuple[str, ...] = (),
        local_places: list[str] | tuple[str, ...] = (),
        bridged_names: set[str] | frozenset[str] = frozenset(),
    ):
        self.zh = zh_tokens
        # Districts of the documents' own city (思明区, Huli): where a question is set, but not elsewhere.
        self.local = {p.lower() for p in local_places}
        # The documents' English words: of their renditions, of the bridge, and the one-word names the glossary
        # gives the terms they use ("renewal" for 续展). A word of a longer name ("Shanghai region" for 长三角)
        # is no word of theirs: such names count as whole phrases (en_stream).
        self.en = en_tokens | {tokens[0] for tokens in map(english_tokens, en_terms) if len(tokens) == 1}
        self.zh_text = zh_text
        self.en_words = set(re.findall(r"[a-z]+", en_text.lower()))
        # Names as typed, lower case: of the renditions, the glossary's one-word names of terms the documents
        # use, and the proper names the dictionary gives their words (巴西 → brazil). Never stems: "United"
        # is no "unit".
        self.names = (
            self.en_words
            | {term.lower() for term in en_terms if re.fullmatch(r"[A-Za-z][A-Za-z'-]+", term)}
            | set(bridged_names)
        )
        # Every English phrase the documents or the glossary use, as a stream of stems, one phrase per line
        # (one-word names are words, above).
        self.en_stream = "\n".join(" ".join(english_tokens(text)) for text in [en_text, *en_terms])
        self.has_contacts = bool(_CONTACT_DETAIL.search(zh_text))

    def coverage(self, query: Query) -> Coverage:
        import jieba.posseg as pseg

        tagged = [(pair.word, pair.flag) for pair in pseg.cut(query.zh_text)] if query.zh_text else []
        zh_content = [t for t in chinese_tokens(query.zh_text) if len(t) >= 2] if query.zh_text else []
        # Who is asking ("我是澳门投资者", "our association is in Kinmen") is not what is asked: its words count
        # neither as the question's setting nor as its missing topics.
        asked_zh, asked_text = _without_introduction(query.zh_text), _without_introduction(query.text)
        setting = (
            [(pair.word, pair.flag) for pair in pseg.cut(asked_zh)] if asked_zh != query.zh_text else tagged
        )
        nouns = {
            w
            for w, flag in setting
            if len(w) >= 2 and (flag.startswith("n") and flag != "nr" or flag == "x" and _HAN.match(w))
        }
        # A place the documents never mention (深圳, 杭州, 高雄) means the question is about somewhere else.
        # Where the place is the question's setting (深圳的…, 上海知识产权保护中心), not where goods go
        # (出口到巴西，金砖国家的…).
        places = [
            w
            for i, (w, flag) in enumerate(setting)
            if flag == "ns"
            and len(w) >= 2
            and w not in _NOT_PLACES
            and w not in self.zh_text
            and w not in GENERIC_FOCUS
            and w.lower() not in self.local
            and not (i > 0 and setting[i - 1][0] in _PLACE_OBJECT_BEFORE)
            and self._setting(setting, i)
        ]
        names = [
            name
            for match in _EN_ELSEWHERE.finditer(asked_text)
            for name in match.groups()
            if name and not self._known_name(name) and name.lower() not in _EN_CALENDAR
        ]
        names += [
            phrase
            for phrase in _EN_PROPER_PHRASE.findall(asked_text)
            if sum(word.lower() not in self.en_words for word in phrase.split()) >= 2
            and phrase.split()[0].lower() not in self.local
            and phrase.lower() not in self.names
        ]
        names = list(dict.fromkeys(names))
        if places or names:
            return Coverage(content_tokens=len(nouns) or 1, missing=tuple(places + names), elsewhere=True)
        covered_zh = [t for t in zh_content if t in self.zh or t in self.zh_text]
        missing = [w for w in nouns if w not in self.zh and w not in self.zh_text]
        en_content = [t for t in query.en_tokens if t not in _EN_FILLER and t not in EN_GENERIC_FOCUS]
        en_missing = [t for t in en_content if t not in self.en]
        known_nothing = not covered_zh and not query.translated_terms and len(en_missing) == len(en_content)
        if zh_content and known_nothing:
            return Coverage(len(zh_content) + len(en_content), tuple(zh_content) + tuple(en_missing))
        asking = [p for p in _PARTS.split(asked_zh) if _ASKING.search(p)]
        return Coverage(
            content_tokens=len(nouns) + len(en_content) + len(query.translated_terms),
            missing=tuple(missing) + tuple(en_missing),
            recognised=len(zh_content) + len(query.en_tokens) + len(query.translated_terms),
            absent_focus=tuple(self.absent_focus(query, tagged)),
            asked_missing=tuple(
                w
                for w in missing
                if any(w in p for p in asking) and self._absent(w) and not self._loosely_present(w)
            ),
        )

    def _known_name(self, name: str) -> bool:
        """A capitalised word the documents use: in their English, as the English name of one of their terms
        or words ("BRICS" for 金砖国家, "Brazil" for 巴西), one of their districts, or no name at all ("What's")."""
        word = name.lower()
        return (
            word in self.names
            or word in self.local
            or not english_tokens(word)
            or (" " in word and all(w in self.en_words for w in word.split()))
        )

    @staticmethod
    def _setting(tagged: list[tuple[str, str]], i: int) -> bool:
        """Is the place at `i` where the question is set: 深圳的…, 杭州对…, 在上海…, 上海知识产权保护中心?"""
        if i > 0 and tagged[i - 1][0] in ("在", "於", "于", *_PLACE_COMPARED_AFTER):
            return True
        if i + 1 >= len(tagged):
            return False
        word, flag = tagged[i + 1]
        # 福州现在…, 深圳目前…: a place with a time is where the state of affairs asked about is.
        return word[:1] in _PLACE_SETTING_AFTER or (flag[:1] in ("n", "x", "t") and bool(_HAN.match(word)))
