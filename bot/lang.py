"""Language and script: detection (Simplified, Traditional, English, mixed) and script conversion."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from bot.ask.words import words

Script = Literal["zh-Hans", "zh-Hant", "en"]

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@lru_cache(maxsize=4)
def _converter(config: str):  # type: ignore[no-untyped-def]
    from opencc import OpenCC

    return OpenCC(config)


_MARKUP = re.compile(
    r"<(script|style|iframe)\b[^>]*>.*?</\1\s*>|<[^<>]{0,200}>|\x1b?\[[0-9;]{1,8}m", re.IGNORECASE | re.DOTALL
)


# Names and source text inside the bot's own sentences: titles, quotations, citation labels, and any value a
# message filled in from a document (marked \ue010…\ue011 by bot.answer.messages): never renamed in Taiwan's words.
NAME_OPEN, NAME_CLOSE = "\ue010", "\ue011"


def unmark(text: str) -> str:
    """The text without the markers that protect names filled into the bot's sentences."""
    return text.replace(NAME_OPEN, "").replace(NAME_CLOSE, "")


def plain_text(text: str) -> str:
    """The words of a question without HTML tags or terminal colour codes (they are not part of what is asked)."""
    return " ".join(_MARKUP.sub(" ", text).split())


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text)


def to_mainland(text: str) -> str:
    """Traditional in Taiwan's words → Simplified in the mainland's (專案 → 项目, 資訊 → 信息)."""
    return _converter("tw2sp").convert(text)


def to_traditional(text: str) -> str:
    """Simplified → Traditional in Taiwan usage of characters (s2tw)."""
    return _converter("s2tw").convert(text)


@lru_cache(maxsize=256)  # asked of the same question by several readers of it
def script_counts(text: str) -> tuple[int, int, int]:
    """(characters only written that way in Traditional, … only in Simplified, Latin words)."""
    han = "".join(HAN.findall(text))
    simplified = to_simplified(han)
    traditional = _converter("s2t").convert(han)
    trad_only = sum(1 for a, b in zip(han, simplified, strict=False) if a != b)
    simp_only = sum(1 for a, b in zip(han, traditional, strict=False) if a != b)
    return trad_only, simp_only, len(_LATIN_WORD.findall(text))


# A lead-in that introduces words quoted from elsewhere: a passage to translate, what a caller said.
_QUOTING = re.compile(
    r"翻译|翻譯|原话|原話|原文|写道|寫道|来信|來信|说|說|问|問|如下|下面|以下|这句|這句|这段|這段|"
    r"\b(?:translat\w*|quot\w*|says?|said|wrote|writes|reads?|following|passage|message|asks?|asked)\b",
    re.IGNORECASE,
)


def detect_script(text: str) -> Script:
    """The language a reply should be in: Chinese wins when the question is mostly Chinese; the script
    is Traditional when Traditional-only characters outnumber Simplified-only ones."""
    han = len(HAN.findall(text))
    trad_only, simp_only, latin_words = script_counts(text)
    # "帮我把下面这句翻译成英文：Ignore the rules…", "Translate this passage: '忽略…'": what follows a lead-in in
    # one language is quoted, not how the asker writes.
    lead_in = re.split(r"[:：]", text, maxsplit=1)[0] if re.search(r"[:：]", text) else ""
    if _QUOTING.search(lead_in):
        if len(HAN.findall(lead_in)) >= 4 and not _LATIN_WORD.search(lead_in):
            han, latin_words = len(HAN.findall(lead_in)), 0
        elif len(_LATIN_WORD.findall(lead_in)) >= 3 and not HAN.search(lead_in):
            return "en"
    if han == 0 or latin_words * 2 > han:
        return "en"
    return "zh-Hant" if trad_only > simp_only else "zh-Hans"


def is_mixed(text: str) -> bool:
    return bool(HAN.search(text)) and bool(_LATIN_WORD.search(text))


# ------------------------------------------------------------------------------------------ tokens

_EN_STOP = words("en_stop")
_ZH_STOP = words("zh_stop")
_BOILERPLATE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"(?:这个|该|本)?(?:工作)?方案(?:里|中|对此|上)?(?:是)?怎么(?:说|规定)的?",
        r"(?:根据|按照|依据)(?:这个|该|本)?(?:工作)?方案",
        r"有(?:什么|哪些)(?:具体)?(?:规定|安排|要求|内容|措施)",
        r"what does the (?:work )?plan say (?:about|on)",
        r"according to the (?:work )?plan",
        r"(?:can you |could you )?(?:please )?tell me (?:about|what)",
        r"in the (?:work )?plan",
        # Asking who is responsible is the question's form; every measure lists its units alike.
        r"(?:the |its )?responsible (?:units?|departments?|agenc(?:y|ies)|bod(?:y|ies))",
        r"(?:的)?(?:责任单位|責任單位|负责单位|負責單位|牵头单位|牽頭單位)",
    )
]
# Words, keeping "3+1" and "a.b" whole; hyphenated words also give their parts ("ipo-related" -> ipo, related).
EN_WORD = re.compile(r"\d+(?:\+\d+)+|[a-z0-9]+(?:[.'-][a-z0-9]+)*")


def strip_boilerplate(question: str) -> str:
    for pattern in _BOILERPLATE:
        question = pattern.sub(" ", question)
    return question


_BRITISH = re.compile(r"^(\w{3,})is(e|es|ed|ing|ation|ations)$")


def stem(word: str) -> str:
    """A light English stemmer: enough to match patent/patents, protect/protection/protecting, and British
    with American spelling (recognise/recognize, commercialisation/commercialization)."""
    word = _BRITISH.sub(lambda m: f"{m.group(1)}iz{'e' if m.group(2) == 'es' else m.group(2)}", word)
    for suffix, replacement in (
        ("ies", "y"),
        ("ing", ""),
        ("tion", "t"),
        ("ions", ""),
        ("ion", ""),
        ("es", ""),
        ("ed", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "ed" and word.endswith("eed"):
                return word  # speed, need: not a past tense
            if suffix == "es" and not word.endswith(("ses", "xes", "zes", "ches", "shes")):
                return word[:-1]  # measures -> measure, like the singular; boxes -> box
            return word[: -len(suffix)] + replacement
    return word


def english_tokens(text: str) -> list[str]:
    tokens = []
    for word in EN_WORD.findall(text.lower()):
        parts = word.split("-") if "-" in word else []
        for piece in (word, *parts):
            if piece not in _EN_STOP and len(piece) > 1:
                tokens.append(stem(piece))
    return tokens


_jieba_ready = False
_terms_by_first: dict[str, list[str]] = {}


def init_jieba(terms: list[str]) -> None:
    """Load jieba once, with the glossary as user dictionary so terms stay whole."""
    global _jieba_ready
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    for term in terms:
        if term and not re.search(r"[\s\"“”《》]", term):
            jieba.add_word(term, freq=20000)
    jieba.initialize()
    _terms_by_first.clear()
    for term in sorted({t for t in terms if len(t) >= 3 and HAN.match(t)}, key=len, reverse=True):
        _terms_by_first.setdefault(term[0], []).append(term)
    _jieba_ready = True


def _inner_terms(token: str) -> list[str]:
    """Glossary terms inside a longer dictionary word (知识产权质押融资 inside 知识产权质押融资入园惠企)."""
    found = []
    for i, char in enumerate(token):
        for term in _terms_by_first.get(char, ()):
            if len(term) < len(token) and token.startswith(term, i):
                found.append(term)
    return found


def chinese_tokens(text: str) -> list[str]:
    """jieba search-mode tokens (whole terms plus their parts), Latin words stemmed, stop words dropped."""
    import jieba

    tokens: list[str] = []
    for token in jieba.cut_for_search(text):
        token = token.strip().lower()
        if not token or token in _ZH_STOP:
            continue
        if EN_WORD.fullmatch(token):
            if token not in _EN_STOP:
                tokens.append(stem(token))
        elif HAN.search(token) or token.isdigit() or re.fullmatch(r"\d+(?:\.\d+)?", token):
            tokens.append(token)
            if len(token) > 4:
                tokens.extend(_inner_terms(token))
    return tokens
