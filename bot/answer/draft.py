"""An answer before it is rendered in a language: a lead line, cited points, the citations behind them."""

from __future__ import annotations

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


def quoted_point(citation: Citation, en_label: str) -> tuple[str, str]:
    """One cited line: the clause title and its verbatim quote (Chinese), or its rendition (English)."""
    title_zh = f"「{citation.title}」：" if citation.title else ""
    return (
        f"{title_zh}{citation.quote} [{citation.label}]",
        f"{citation.quote_en or citation.quote} [{en_label}]",
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
