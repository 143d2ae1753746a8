"""The documents' vocabulary across scripts and languages: Taiwan and Traditional forms → the documents'
Simplified terms, the bot's own sentences → Taiwan's words, English phrases → the documents' terms (through
the glossary, and for words it lacks, the dictionary bridge of bot.bridge)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.lang import EN_WORD, HAN, script_counts, stem, to_mainland, to_simplified, to_traditional, unmark

if TYPE_CHECKING:
    from bot.bridge import TermBridge


# Spans that are names or source text: book titles, quotations, citation brackets, filled-in values.
_NAMED = re.compile(r"(《[^》]*》|「[^」]*」|“[^”]*”|\[[^\]]*\]|\ue010[^\ue011]*\ue011)")
_HELD = re.compile("\ue000(\\d+)\ue001")


class Lexicon:
    """Glossary-driven term mapping: Taiwan/Traditional forms → plan terms, English phrases → plan terms."""

    def __init__(
        self,
        entries: list[tuple[str, list[str], list[str]]],
        document_titles: tuple[str, ...] = (),
        document_text: str = "",
        bridge: TermBridge | None = None,
    ):
        """entries: (plan term in Simplified, Traditional/Taiwan forms, English forms). `document_titles`:
        names of the loaded documents, which an English question's "the plan" stands for."""
        self.zh_to_en: dict[str, str] = {}
        self.bridge = bridge
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
                if form and form != zh and HAN.search(form):  # IC, “金砖+” quotes: not words to swap
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
                key = " ".join(stem(w) for w in EN_WORD.findall(form.lower()))
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
        words = " " + " ".join(stem(w) for w in EN_WORD.findall(text.lower())) + " "
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

    def chinese_for(self, text: str) -> list[str]:
        """The documents' Chinese for English words: the glossary's terms, then the dictionary bridge's."""
        return self.english_to_zh(text) + self.bridged(text)

    def bridged(self, text: str) -> list[str]:
        """The documents' Chinese words for English words the glossary does not carry (bot.bridge)."""
        return self.bridge.to_chinese(text) if self.bridge is not None else []
