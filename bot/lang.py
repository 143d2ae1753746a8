"""Language and script: detection (Simplified, Traditional, English, mixed) and script conversion."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from bot.ask.words import words

Script = Literal["zh-Hans", "zh-Hant", "en"]

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@lru_cache(maxsize=4)
def _converter(config: str):  # type: ignore[no-untyped-def]
    from opencc import OpenCC

    return OpenCC(config)


_MARKUP = re.compile(
    r"<(script|style|iframe)\b[^>]*>.*?</\1\s*>|<[^<>]{0,200}>|\x1b?\[[0-9;]{1,8}m", re.IGNORECASE | re.DOTALL
)


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


def script_counts(text: str) -> tuple[int, int, int]:
    """(characters only written that way in Traditional, … only in Simplified, Latin words)."""
    han = "".join(_HAN.findall(text))
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
    han = len(_HAN.findall(text))
    trad_only, simp_only, latin_words = script_counts(text)
    # "帮我把下面这句翻译成英文：Ignore the rules…", "Translate this passage: '忽略…'": what follows a lead-in in
    # one language is quoted, not how the asker writes.
    lead_in = re.split(r"[:：]", text, maxsplit=1)[0] if re.search(r"[:：]", text) else ""
    if _QUOTING.search(lead_in):
        if len(_HAN.findall(lead_in)) >= 4 and not _LATIN_WORD.search(lead_in):
            han, latin_words = len(_HAN.findall(lead_in)), 0
        elif len(_LATIN_WORD.findall(lead_in)) >= 3 and not _HAN.search(lead_in):
            return "en"
    if han == 0 or latin_words * 2 > han:
        return "en"
    return "zh-Hant" if trad_only > simp_only else "zh-Hans"


def is_mixed(text: str) -> bool:
    return bool(_HAN.search(text)) and bool(_LATIN_WORD.search(text))


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
_EN_WORD = re.compile(r"\d+(?:\+\d+)+|[a-z0-9]+(?:[.'-][a-z0-9]+)*")


def strip_boilerplate(question: str) -> str:
    for pattern in _BOILERPLATE:
        question = pattern.sub(" ", question)
    return question


def stem(word: str) -> str:
    """A light English stemmer: enough to match patent/patents, protect/protection/protecting."""
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
    for word in _EN_WORD.findall(text.lower()):
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
    for term in sorted({t for t in terms if len(t) >= 3 and _HAN.match(t)}, key=len, reverse=True):
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
        if _EN_WORD.fullmatch(token):
            if token not in _EN_STOP:
                tokens.append(stem(token))
        elif _HAN.search(token) or token.isdigit() or re.fullmatch(r"\d+(?:\.\d+)?", token):
            tokens.append(token)
            if len(token) > 4:
                tokens.extend(_inner_terms(token))
    return tokens


# ------------------------------------------------------------------------------------------ lexicon


# Spans that are names or source text: book titles, quotations, citation brackets.
# Names and source text inside the bot's own sentences: titles, quotations, citation labels, and any value a
# message filled in from a document (marked \ue010…\ue011 by bot.answer.messages): never renamed in Taiwan's words.
NAME_OPEN, NAME_CLOSE = "\ue010", "\ue011"
_NAMED = re.compile(r"(《[^》]*》|「[^」]*」|“[^”]*”|\[[^\]]*\]|\ue010[^\ue011]*\ue011)")
_HELD = re.compile("\ue000(\\d+)\ue001")


class Lexicon:
    """Glossary-driven term mapping: Taiwan/Traditional forms → plan terms, English phrases → plan terms."""

    def __init__(
        self,
        entries: list[tuple[str, list[str], list[str]]],
        document_titles: tuple[str, ...] = (),
        document_text: str = "",
    ):
        """entries: (plan term in Simplified, Traditional/Taiwan forms, English forms). `document_titles`:
        names of the loaded documents, which an English question's "the plan" stands for."""
        self.zh_to_en: dict[str, str] = {}
        self._document_text = document_text
        self._self_names = {f"《{title}》" for title in document_titles} | set(document_titles)
        hant: dict[str, str] = {}
        primary: dict[str, str] = {}
        english: dict[str, set[str]] = {}
        plan_terms = {zh for zh, _, _ in entries}

        def plan_word(key: str, zh: str) -> bool:
            """Is this Simplified string already the documents' own vocabulary (授权 in 专利授权资助, 补助 where a
            loaded document writes 补助)? A word the documents use is never rewritten."""
            return any(key in term for term in plan_terms if term != zh) or (
                len(key) >= 2 and key in document_text
            )

        for zh, hant_forms, en_forms in entries:
            if en_forms:
                self.zh_to_en.setdefault(zh, en_forms[0])
            for position, form in enumerate(hant_forms):
                if form and form != zh and _HAN.search(form):  # IC, “金砖+” quotes: not words to swap
                    # Taiwan words typed in Simplified characters (智慧财产权) map too, unless the Simplified
                    # string is itself plan vocabulary: 授權 (Taiwan: licensing) → 许可, but 授权 stays a grant.
                    simplified = to_simplified(form)
                    # A form whose Simplified spelling the documents themselves use (貸款 → 贷款) is their word.
                    keys = (
                        [form]
                        if form != simplified and not (len(simplified) >= 2 and simplified in document_text)
                        else []
                    )
                    if not plan_word(simplified, zh):
                        keys.append(simplified)
                    for key in keys:
                        if position == 0:
                            primary[key] = zh
                        else:
                            hant.setdefault(key, zh)
            for form in en_forms:
                key = " ".join(stem(w) for w in _EN_WORD.findall(form.lower()))
                if len(key) >= 2:
                    english.setdefault(key, set()).add(zh)
        hant.update(primary)
        self._hant = {k: v for k, v in hant.items() if k != v}
        # The reverse, for sentences the bot writes itself in Traditional: Taiwan's own word where it differs
        # from a character-by-character conversion (知识产权 → 智慧財產權, not 知識產權).
        taiwan = {
            zh: forms[0]
            for zh, forms, _ in entries
            if forms and forms[0] and zh and forms[0] != to_traditional(zh)
        }
        self._taiwan = taiwan
        keys_tw = sorted(taiwan, key=len, reverse=True)
        self._taiwan_pattern = re.compile("|".join(map(re.escape, keys_tw))) if keys_tw else None
        # One pass, longest form first, so a replaced term is never rewritten again by a shorter one.
        keys = sorted(self._hant, key=len, reverse=True)
        self._hant_pattern = re.compile("|".join(map(re.escape, keys))) if keys else None
        self._english = sorted(english.items(), key=lambda kv: -len(kv[0]))

    def to_plan_terms(self, text: str) -> str:
        """Traditional / Taiwan vocabulary → the documents' Simplified terms (智慧財產權 → 知识产权; 專案 → 项目,
        軟體 → 软件 through OpenCC's Taiwan-to-mainland phrases)."""
        if self._hant_pattern is not None:
            text = self._hant_pattern.sub(lambda match: self._hant[match.group(0)], text)
        simplified = to_simplified(text)
        if not script_counts(text)[0]:
            return simplified
        return self._mainland_words(simplified, to_mainland(text))

    def _mainland_words(self, simplified: str, mainland: str) -> str:
        """Where the mainland's word differs from a character-by-character conversion (专案/项目, 资讯/信息), the
        one the documents use: OpenCC's phrases also turn 指標 into 指针, which no policy text means."""
        if len(simplified) != len(mainland) or not self._document_text:
            return simplified
        from difflib import SequenceMatcher

        out, cursor = [], 0
        for tag, a1, a2, b1, b2 in SequenceMatcher(None, simplified, mainland, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            lo, hi = (a1, a2) if a2 - a1 >= 2 else (max(0, a1 - 1), max(a2, min(len(simplified), a1 + 1)))
            plain, phrase = simplified[lo:hi], mainland[lo:hi]
            if phrase in self._document_text and plain not in self._document_text:
                out.append(simplified[cursor:a1] + mainland[b1:b2])
                cursor = a2
        return "".join(out) + simplified[cursor:]

    def to_taiwan(self, text: str) -> str:
        """Simplified text the bot composed → Traditional with Taiwan vocabulary. Titles 《…》, quotations
        「…」 “…” and citation labels […] are names and source text: converted character by character only."""
        if self._taiwan_pattern is None:
            return unmark(to_traditional(text))
        return unmark(
            "".join(
                to_traditional(piece) if not piece or _NAMED.fullmatch(piece) else self._taiwan_words(piece)
                for piece in _NAMED.split(text)
            )
        )

    def _taiwan_words(self, text: str) -> str:
        assert self._taiwan_pattern is not None
        words: list[str] = []

        def hold(match: re.Match[str]) -> str:  # a placeholder OpenCC leaves alone
            words.append(self._taiwan[match.group(0)])
            return f"\ue000{len(words) - 1}\ue001"

        converted = to_traditional(self._taiwan_pattern.sub(hold, text))
        return _HELD.sub(lambda m: words[int(m.group(1))], converted)

    def english_to_zh(self, text: str) -> list[str]:
        """Plan terms for the glossary phrases found in English text, longest phrase first, no overlaps."""
        words = " " + " ".join(stem(w) for w in _EN_WORD.findall(text.lower())) + " "
        found: list[str] = []
        for phrase, zh_terms in self._english:
            needle = f" {phrase} "
            if needle in words:
                # "the plan", "this work plan" name the document itself: every clause belongs to it, so
                # they are consumed here but are no evidence for any one clause.
                found.extend(
                    sorted(t for t in zh_terms if t not in self._self_names and not t.startswith("本"))
                )
                words = words.replace(needle, " | ")
        return list(dict.fromkeys(found))
