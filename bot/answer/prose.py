"""A model's own wording checked against the passages it cites, sentence by sentence: every figure (in any
notation) is one the passage gives, every span presented as the documents' words is verbatim in it, no contact
detail or link unless the question asks for one and the passage gives it, and a sentence sharing nothing with
its passage is left out. A failure of the first three means the verified built-in answer instead."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.answer.figures import same, values
from bot.lang import HAN, chinese_tokens, english_tokens, to_simplified

_MARKER = re.compile(r"\[(C\d+)\]")
_SENTENCE = re.compile(r"[^。！？!?\n]+?(?:[。！？!?]+[」』”’\"]*|\.[”’\"]?(?=\s|$)|(?=\n)|$)")
_LEADING_MARKERS = re.compile(r"^\s*((?:\[C\d+\]\s*)+)")
# What the documents' words look like in prose: 「…」, 『…』, “…”, "…".
_QUOTED = re.compile(r"「([^」]+)」|『([^』]+)』|“([^”]+)”|\"([^\"]+)\"")
_ELLIPSIS = re.compile(r"…+|\.{3,}")
_SPACE = re.compile(r"\s+")
CONTACTS = (
    re.compile(
        r"https?://\S+|\bwww\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:gov|com|org|net|edu|cn|io)\b(?:/\S*)?", re.I
    ),
    re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
    # Phones as Chinese offices and firms write them: 0592-1234567, 133-3505-7288, 13335057288, (0592)1234567.
    re.compile(
        r"(?<![\d-])(?:\+?86[\s-]?)?(?:1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|\(?0\d{2,3}\)?[\s-]?\d{7,8}|\d{3}-\d{4}-\d{4})(?![\d-])"
    ),
)
# Support needs at least this share of the sentence's own words in its passage.
_SUPPORT = 0.25


@dataclass(frozen=True)
class Evidence:
    """One passage as the check sees it: what it says (label, Chinese, English; orders left out)."""

    marker: str
    text: str
    figures: tuple[float, ...] = field(default=())
    words: frozenset[str] = field(default=frozenset())

    @classmethod
    def of(cls, marker: str, *texts: str) -> Evidence:
        text = "\n".join(t for t in texts if t)
        simplified = to_simplified(text)
        figures = tuple(v for _, v in values(text) + values(simplified))
        return cls(
            marker, text, figures, frozenset(chinese_tokens(simplified)) | frozenset(english_tokens(text))
        )


@dataclass
class Checked:
    """The prose that passed, the sentences left out, and the problems that make the prose unusable."""

    text: str
    dropped: list[str]
    problems: list[str]


def _squeeze(text: str) -> str:
    return _SPACE.sub("", text).replace("’", "'").replace("‘", "'")


def _sentences(text: str) -> list[tuple[str, list[str]]]:
    """Each sentence with the markers that cite it; a marker written after the full stop cites the sentence
    before it, and a sentence with none takes the next one's in its line (then the previous one's)."""
    pieces = [m.group(0) for m in _SENTENCE.finditer(text) if m.group(0).strip()]
    sentences: list[list] = []
    for piece in pieces:
        leading = _LEADING_MARKERS.match(piece)
        if leading and sentences:
            sentences[-1][0] += leading.group(1)
            piece = piece[leading.end() :]
            if not piece.strip():
                continue
        sentences.append([piece, []])
    for item in sentences:
        item[1] = _MARKER.findall(item[0])
    for i, item in enumerate(sentences):
        if not item[1]:
            later = next((s[1] for s in sentences[i + 1 :] if s[1]), None)
            earlier = next((s[1] for s in reversed(sentences[:i]) if s[1]), None)
            item[1] = list(later or earlier or [])
    return [(s, m) for s, m in sentences]


def _content_words(sentence: str, bridge: Callable[[str], list[str]]) -> tuple[set[str], list[str]]:
    """The sentence's own words (Chinese tokens of two or more characters, English stems, no figures), and
    the documents' Chinese words its English gives (through the glossary and the dictionary bridge)."""
    plain = _MARKER.sub(" ", sentence)
    simplified = to_simplified(plain)
    zh = {t for t in chinese_tokens(simplified) if HAN.search(t) and len(t) >= 2}
    en = (
        {t for t in english_tokens(plain) if not t.replace(".", "").isdigit()}
        if not HAN.search(plain)
        else set()
    )
    return zh | en, (bridge(plain) if en else [])


def _supported(sentence: str, passages: list[Evidence], bridge: Callable[[str], list[str]]) -> bool:
    words, bridged = _content_words(sentence, bridge)
    if not words:
        return True  # "Yes." or a bare list marker: nothing to support
    known = frozenset().union(*(p.words for p in passages))
    texts = "".join(to_simplified(p.text) for p in passages)
    shared = len(words & known) + sum(1 for term in dict.fromkeys(bridged) if term in texts)
    return shared >= max(1.0, _SUPPORT * len(words))


def check(
    text: str,
    evidence: dict[str, Evidence],
    asks_contact: bool,
    bridge: Callable[[str], list[str]] = lambda _: [],
) -> Checked:
    """The model's text checked against the passages each sentence cites (see the module's docstring)."""
    kept, dropped, problems = [], [], []
    everything = list(evidence.values())
    for sentence, markers in _sentences(text):
        passages = [evidence[m] for m in markers if m in evidence] or everything
        bare = _MARKER.sub(" ", sentence)
        for written, value in values(bare, strict=True):
            if not any(same(value, f) for p in passages for f in p.figures):
                problems.append(f"figure {written!r} is not in its cited passage")
        for match in _QUOTED.finditer(bare):
            span = next(g for g in match.groups() if g)
            pieces = [_squeeze(p) for p in _ELLIPSIS.split(span) if _squeeze(p)]
            sources = [_squeeze(p.text) for p in passages]
            if any(not any(piece in source for source in sources) for piece in pieces):
                problems.append(f"quotation {span[:40]!r} is not the cited passage's words")
        for pattern in CONTACTS:
            for match in pattern.finditer(bare):
                detail = re.sub(r"[\s()\-+]", "", match.group(0)).rstrip(".,;，。")
                given = any(detail in re.sub(r"[\s()\-+]", "", p.text) for p in passages)
                if not (asks_contact and given):
                    problems.append(
                        f"contact detail {match.group(0)!r} is not asked for or not in the passage"
                    )
        if _supported(sentence, passages, bridge):
            kept.append(sentence)
        else:
            dropped.append(sentence.strip())
    result = "".join(kept).strip()
    if not _MARKER.search(result):
        problems.append("nothing the passages support is left")
    return Checked(result, dropped, problems)
