"""The page's own words in the language chosen on the page. The chrome is written bilingual, "中文 · English"
(tabs, buttons, labels, placeholders, headings, notes); the page script (ui/page.js) shows the part of each
such text that the 中文/繁體/English switch asks for, and the Chinese part in Traditional characters for
繁體. Nothing else is touched: a text whose parts are not one Chinese and one English (a document's number,
issuer and date) stays as the document writes it, and answers, quotes and clause texts are not chrome."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from bot.lang import HAN, to_traditional

_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def traditional_characters() -> dict[str, str]:
    """Simplified → Traditional for each character the UI's own strings are written in."""
    characters = set()
    for path in _HERE.glob("*.py"):
        characters.update(HAN.findall(path.read_text(encoding="utf-8")))
    pairs = {c: to_traditional(c) for c in sorted(characters)}
    return {s: t for s, t in pairs.items() if s != t and len(t) == 1}


@lru_cache(maxsize=1)
def page_js() -> str:
    """The page script with the character table filled in (for mount_gradio_app's js=)."""
    script = (_HERE / "page.js").read_text(encoding="utf-8")
    return script.replace("__TRADITIONAL__", json.dumps(traditional_characters(), ensure_ascii=False))


# For the language switch's event: the page script's function, called with the switch's value.
APPLY_JS = "(language) => { window.policybotChrome && window.policybotChrome(language); return []; }"
# After an outline link has opened its clause (ui.app's browse tab): bring the clause view into sight.
SHOW_CLAUSE_JS = "() => document.getElementById('pb-clause-view')?.scrollIntoView({block: 'start'})"
