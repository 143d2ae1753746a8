"""Documents named in the text (《…》): extraction, normalisation and spelling repair against each other."""

from __future__ import annotations

import re
from collections.abc import Iterable

_TITLE = re.compile(r"《([^《》\n]{2,80})》")
_TRANSLATE = str.maketrans(
    {"（": "(", "）": ")", "－": "-", "—": "-", "–": "-", "〔": "[", "〕": "]", "\u3000": " "}
)


def normalise_title(title: str) -> str:
    """Uniform brackets and dashes, no inner white space, no book-title marks."""
    title = title.strip().strip("《》").translate(_TRANSLATE)
    return re.sub(r"\s+", "", title)


def references_in(texts: Iterable[str]) -> list[str]:
    """Normalised titles named in the texts, in order of first mention, each once."""
    seen: dict[str, None] = {}
    for text in texts:
        for match in _TITLE.finditer(text):
            seen.setdefault(normalise_title(match.group(1)), None)
    return list(seen)


def _variants_without_one_doubling(title: str) -> list[str]:
    """'厦厦门…' → '厦门…': every form with one immediately doubled character written once."""
    return [title[:i] + title[i + 1 :] for i in range(1, len(title)) if title[i] == title[i - 1]]


def canonical_titles(titles: Iterable[str]) -> dict[str, str]:
    """Map each title to its canonical spelling: a typo'd doubling resolves to a title also seen correctly.

    Only a spelling that another mention (or a loaded document's title) confirms is repaired; an
    unconfirmed title is kept as written rather than guessed at.
    """
    known = set(titles)
    mapping: dict[str, str] = {}
    for title in known:
        repaired = next((v for v in _variants_without_one_doubling(title) if v in known), None)
        mapping[title] = repaired or title
    return mapping
