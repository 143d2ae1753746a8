"""An answer before it is rendered in a language: a lead line, cited points, the citations behind them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.lang import to_traditional, unmark
from bot.schema import Citation

Texts = dict[str, str]  # {"zh": …, "en": …}


@dataclass
class Draft:
    """Lead line, cited points, citations in order of importance."""

    lead: Texts
    points: list[tuple[str, str]]  # (text for zh, text for en), each ending with its citation marker
    citations: list[Citation]
    abstained: bool = False
    looked_up: tuple[tuple[str, str], ...] = ()  # clauses found by a structured lookup rather than retrieval
    gaps: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (kind, doc_ids) said not set out


EN_POINT_CHARS = 320  # an English line longer than this gives the answering sentence only


_BREAK = re.compile(r"(?<=[.;])\s+(?=\S)")


def _opening(english: str) -> str:
    """The English up to the last sentence or clause break within the line's length (or its first break),
    marked as cut; the whole when it has no such break."""
    if len(english) <= EN_POINT_CHARS:
        return f"{english} …"
    breaks = [m.start() for m in _BREAK.finditer(english)]
    within = [b for b in breaks if b <= EN_POINT_CHARS]
    cut = within[-1] if within else breaks[0] if breaks else None
    return f"{english[:cut]} …" if cut else english


def quoted_point(citation: Citation, en_label: str) -> tuple[str, str]:
    """One cited line: the clause title and its verbatim quote (Chinese), or its rendition (English). A long
    English quote is given by the sentence that answers (the citation card holds the whole)."""
    title_zh = f"「{citation.title}」：" if citation.title else ""
    english = citation.quote_en or citation.quote
    if citation.quote_en and len(english) > EN_POINT_CHARS:
        english = _opening(citation.point_en or english)
    return (
        f"{title_zh}{citation.quote} [{citation.label}]",
        f"{english} [{en_label}]",
    )


def render(draft: Draft, language: str, taiwan: Callable[[str], str] = to_traditional) -> str:
    """Markdown in the answer's language. Traditional answers are converted: the lead, written by the bot, in
    Taiwan's words (`taiwan`); the points, which carry quotes, character by character."""
    key = "en" if language == "en" else "zh"
    lead = draft.lead.get(key, "")
    points = "\n".join(f"- {zh if key == 'zh' else en}" for zh, en in draft.points)
    if language == "zh-Hant":
        lead, points = taiwan(lead), to_traditional(points)
    return unmark("\n\n".join(part for part in (lead, points) if part).strip())
