"""Every sentence the bot writes, from message files per language (messages/<language>.toml) with named
placeholders filled from the facts of the documents it speaks about. A message never names a document."""

from __future__ import annotations

import string
import tomllib
from pathlib import Path
from typing import Any

from bot.answer.draft import Texts
from bot.lang import NAME_CLOSE, NAME_OPEN

FOLDER = Path(__file__).with_name("messages")
LANGUAGES = {"zh": "zh-Hans", "en": "en"}


class Both(tuple):  # type: ignore[type-arg]
    """A placeholder value that differs by language: Both(zh, en)."""

    def __new__(cls, zh: str, en: str) -> Both:
        return super().__new__(cls, (zh, en))


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= _flatten(value, f"{name}.")
        else:
            flat[name] = str(value)
    return flat


class Messages:
    """The message files, checked at load: both languages hold the same keys."""

    def __init__(self, folder: Path = FOLDER):
        self.texts = {
            key: _flatten(tomllib.loads((folder / f"{language}.toml").read_text(encoding="utf-8")))
            for key, language in LANGUAGES.items()
        }
        zh, en = self.texts["zh"], self.texts["en"]
        if set(zh) != set(en):
            raise ValueError(f"message files differ in keys: {sorted(set(zh) ^ set(en))}")

    def say(self, key: str, **values: str | Both) -> Texts:
        """The message in both languages, placeholders filled (a Both value gives each language its own)."""
        out: Texts = {}
        for index, lang in enumerate(("zh", "en")):
            # Filled-in values are document text (titles, labels, offices): marked, so that a Traditional
            # rendering converts them character by character and never renames them.
            filled = {
                name: _mark(value[index] if isinstance(value, Both) else value)
                for name, value in values.items()
            }
            # {Document} is {document} at the start of a sentence.
            filled |= {
                name[:1].upper() + name[1:]: _capital(text) for name, text in filled.items() if name.islower()
            }
            template = self.texts[lang][key]
            missing = fields(template) - set(filled)
            if missing:
                raise KeyError(f"message {key} ({lang}) needs {sorted(missing)}")
            out[lang] = template.format_map(filled)
        return out

    def one(self, key: str, language: str, **values: str | Both) -> str:
        return self.say(key, **values)["en" if language == "en" else "zh"]


def _capital(text: str) -> str:
    at = 1 if text.startswith(NAME_OPEN) else 0
    return text[:at] + text[at : at + 1].upper() + text[at + 1 :]


def _mark(value: str) -> str:
    return f"{NAME_OPEN}{value}{NAME_CLOSE}" if value and NAME_OPEN not in value else value


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
