"""What a question asks for, where the documents never mention it: the thing next to its question word
(利率是多少, 多少保证金, 办什么签证), an English name of several words the documents never use."""

from __future__ import annotations

import re

from bot.ask.words import words
from bot.lang import english_tokens
from bot.query import Query

_HAN = re.compile(r"[\u4e00-\u9fff]")

# What a question asks for sits next to its question word: 利率是多少, 年费怎么计算, 办哪些证件, 多少官费,
# "what is the deadline for", "how do I get a visa". If that very thing never occurs in the documents,
# the documents cannot answer, however well the rest of the question matches.
_ZH_ASKING = words("zh_asking")

_ZH_LINKING = words("zh_linking")

_ZH_WHICH = frozenset(["什么", "哪些", "哪种"])

_AMOUNT_NOUN_ENDINGS = frozenset("费额率价税")

# jieba tags of words that name a thing: nouns, idioms and fixed phrases, words it does not know.
_ZH_NOMINAL = ("n", "i", "l", "x")

_EN_FOCUS = [
    re.compile(
        r"\bwhat(?:'s| is| are| was)? the ((?:[a-z-]+ ){0,5}?[a-z-]+) (?:of|for|to|in|at|on)\b", re.IGNORECASE
    ),
    re.compile(r"\b(?:get|obtain|apply for|receive) (?:an? |the )?((?:[a-z-]+ )?[a-z-]+)", re.IGNORECASE),
    # "what does the plan say about cryptocurrency patents", "does it cover plant variety rights"
    re.compile(
        r"\b(?:say|says|said|mention|mentions|cover|covers|address|addresses)(?: anything)? "
        r"(?:about |on |regarding |concerning )?(?:the |an? )?((?:[a-z-]+ ){0,3}[a-z-]+)\s*[?？.]?$",
        re.IGNORECASE,
    ),
    # "what tax breaks do IP-intensive firms get"
    re.compile(
        r"\bwhat ((?:[a-z-]+ ){0,2}[a-z-]+) (?:do|does|can|will|would) (?:[a-z-]+ ){1,4}(?:get|receive|enjoy|obtain)\b",
        re.IGNORECASE,
    ),
    # "what visa or work-permit options exist", "which filing requirements apply"
    re.compile(
        r"\b(?:what|which) ((?:[a-z-]+ ){0,3}?[a-z-]+) (?:options|requirements|procedures?|steps|forms) "
        r"(?:exist|are|apply|do|does|must|should)\b",
        re.IGNORECASE,
    ),
]

_MIXED_TOPIC = re.compile(
    r"(?<![A-Za-z])([A-Za-z][A-Za-z-]*(?: [A-Za-z][A-Za-z-]*)+) ?(?:的)?(?:有什么|有什麼|有哪些|是什么|是什麼|怎么|怎麼|如何)"
)

# English words that name an aspect rather than a thing (the role of, the purpose of, the main …).
EN_GENERIC_FOCUS = frozenset(english_tokens(" ".join(words("en_generic_focus"))))  # as stems

# Words that name a measure of something rather than a thing: questions about table 1 and about measures
# use them without their being words of the plan itself.
GENERIC_FOCUS = words("generic_focus")


def misspelt_generic(word: str) -> bool:
    """预其值 for 预期值: one character off a generic word of three or more."""
    return len(word) >= 3 and any(
        len(g) == len(word) and sum(a != b for a, b in zip(g, word, strict=True)) == 1 for g in GENERIC_FOCUS
    )


class FocusReader:
    """Needs `zh_text` (the documents' Chinese), `en` (their English stems) and `en_words`, `en_stream`."""

    zh_text: str
    en: set[str]
    en_words: set[str]
    en_stream: str

    def _loosely_present(self, word: str) -> bool:
        """A word the documents write with a character or two between (律师费 for 律师代理费)."""
        if len(word) < 3:
            return False
        return bool(re.search(".{0,2}".join(map(re.escape, word)), self.zh_text))

    def absent_focus(self, query: Query, tagged: list[tuple[str, str]]) -> list[str]:
        """`tagged`: the question's words with their part-of-speech flags (jieba.posseg)."""
        absent: list[str] = []
        words: list[tuple[str, str]] = []
        for w, f in tagged:  # jieba sometimes splits 什么时候 in two
            if w == "时候" and words and words[-1][0] == "什么":
                words[-1] = ("什么时候", "r")
            elif w.strip():
                # Punctuation ends a phrase: the thing asked for never lies across it (有哪些？全部列出).
                words.append((w, f) if re.search(r"\w", w) else ("", "w"))
        for i, (word, _) in enumerate(words):
            if word not in _ZH_ASKING:
                continue
            position, before = next(
                ((j, words[j]) for j in range(i - 1, -1, -1) if words[j][0] not in _ZH_LINKING), (-1, None)
            )
            if before is not None and not before[0]:
                before = None
            after = words[i + 1] if i + 1 < len(words) and words[i + 1][0] else None
            # 多少个工作日, 几天: what is counted follows the measure word.
            if word in ("多少", "几") and after is not None and after[1] in ("q", "m") and i + 2 < len(words):
                counted = words[i + 2]
                if counted[0] and counted[1][:1] in _ZH_NOMINAL and self._absent(counted[0]):
                    absent.append(counted[0])
            # 要缴多少保证金: the thing whose amount is asked follows 多少 directly.
            elif (
                word == "多少"
                and after is not None
                and after[1][:1] in _ZH_NOMINAL
                and self._absent(after[0])
            ):
                absent.append(after[0])
            # "X有什么Y": Y is asked for and X is only the subject; "X是多少", "X怎么算": X is asked for.
            asks_after = word in _ZH_WHICH and after is not None and after[0] not in "？?。，,！!吗嗎呢"
            if before is not None and not asks_after:
                absent += self._absent_before(before, words[position - 1] if position > 0 else None)
            # 办什么签证, 需要哪些手续: the word after 什么/哪些 is the thing asked for, whatever its tag.
            if (
                after
                and word in _ZH_WHICH
                and (after[1][:1] in _ZH_NOMINAL or after[1] == "v")
                and self._absent(after[0])
            ):
                absent.append(after[0])
        # "对cross-border data transfer有什么规定": an English name of several words, in a Chinese question,
        # that neither the documents nor the glossary ever use as such.
        for match in _MIXED_TOPIC.finditer(query.text):
            stems = english_tokens(match.group(1))
            if (
                len(match.group(1).split()) >= 2
                and stems
                and f" {' '.join(stems)} " not in f" {self.en_stream} "
            ):
                absent.append(match.group(1))
        for pattern in _EN_FOCUS:
            for match in pattern.finditer(query.text):
                # "the official fee and processing time for": any named thing the documents never use.
                tokens = [t for t in english_tokens(match.group(1)) if t not in EN_GENERIC_FOCUS]
                if any(t not in self.en and f" {t} " not in f" {self.en_stream} " for t in tokens):
                    absent.append(match.group(1))
        return absent

    def _absent_english(self, word: str) -> bool:
        tokens = [t for t in english_tokens(word) if t not in EN_GENERIC_FOCUS]
        return bool(tokens) and all(t not in self.en and word.lower() not in self.en_words for t in tokens)

    def _absent(self, word: str) -> bool:
        return (
            len(word) >= 2
            and bool(_HAN.search(word))
            and word not in GENERIC_FOCUS
            and word[-2:] not in GENERIC_FOCUS
            and word not in self.zh_text
            and not misspelt_generic(word)
        )

    def _absent_before(self, word: tuple[str, str], previous: tuple[str, str] | None) -> list[str]:
        """The thing asked for before 多少/怎么/什么时候: a noun (年费, 截止日), or a generic head (时间) that a
        missing modifier (截止) makes specific. Words jieba split apart (年 + 费) are read as one."""
        text, flag = word
        if flag == "eng":  # "deadline 是哪天": an English noun in a Chinese question
            return [text] if self._absent_english(text) else []
        # Words ending in 费/额/率/价/税 name an amount whatever jieba tags them (保费 comes out a verb).
        nominal = (flag[:1] in _ZH_NOMINAL or text[-1:] in _AMOUNT_NOUN_ENDINGS) and flag not in ("nr", "vn")
        if nominal and self._absent(text):
            return [text]
        if (
            previous is None
            or not previous[0]
            or previous[0] in _ZH_LINKING
            or previous[1][:1] not in _ZH_NOMINAL + ("v", "m")
        ):
            return []
        if len(text) == 1 and len(previous[0]) == 1 and nominal:
            merged = previous[0] + text
            return [merged] if merged not in self.zh_text and merged not in GENERIC_FOCUS else []
        if nominal and (text in GENERIC_FOCUS or len(text) == 1) and self._absent(previous[0]):
            return [previous[0] + text]
        return []
