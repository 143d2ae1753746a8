"""Word lists that read questions (bot/ask/words.toml): question words, words that carry no topic, words that
name an aspect rather than a thing. General words of questions, never of a particular document."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("words.toml")


@cache
def _lists() -> dict[str, frozenset[str]]:
    data = tomllib.loads(TABLE.read_text(encoding="utf-8"))
    return {name: frozenset(values) for name, values in data.items()}


def words(name: str) -> frozenset[str]:
    """One list of words by its name (a KeyError names a list the table does not have)."""
    return _lists()[name]
