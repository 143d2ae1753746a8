"""Language and script: detection (Simplified, Traditional, English, mixed) and script conversion."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Script = Literal["zh-Hans", "zh-Hant", "en"]

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@lru_cache(maxsize=4)
def _converter(config: str):  # type: ignore[no-untyped-def]
    from opencc import OpenCC

    return OpenCC(config)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text)


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


def detect_script(text: str) -> Script:
    """The language a reply should be in: Chinese wins when the question is mostly Chinese; the script
    is Traditional when Traditional-only characters outnumber Simplified-only ones."""
    han = len(_HAN.findall(text))
    trad_only, simp_only, latin_words = script_counts(text)
    if han == 0 or latin_words * 2 > han:
        return "en"
    return "zh-Hant" if trad_only > simp_only else "zh-Hans"


def is_mixed(text: str) -> bool:
    return bool(_HAN.search(text)) and bool(_LATIN_WORD.search(text))
