"""The cues that read a question, from cues.toml: one row per pattern, each with an example question.

A row is checked at load: its kind is known, its pattern compiles, and it fires on its own example. The rows of
a kind are joined as one alternation (``pattern(kind)``); a question fires the kind when any row is found."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("cues.toml")

REQUEST_KINDS = (
    "procedure",
    "duration",
    "legal_effect",
    "threshold",
    "rate",
    "charge",
    "conditions",
    "date",
    "obligation",
    "outcome",
    "named_parties",
    "drafting",
    "law",
    "definition",
    "penalty",
    "opinion",
    "future",
    "advice",
)
AUDIENCE_KINDS = (
    "taiwan",
    "foreign",
    "smes",
    "universities",
    "service_agencies",
    "industry:ic",
    "industry:ai",
    "industry:biomedicine",
    "industry:display",
    "industry:new_materials",
)
SUPPORT_KINDS = ("financing", "talent", "international_cooperation", "protection")
# Every kind, in the order bot.intent reads them (the order of its REQUESTS, AUDIENCE_CUES, SUPPORT_CUES).
KINDS: tuple[str, ...] = (
    "injection",
    "planted",
    "units",
    "duties",
    "asks_for_units",
    "value",
    "meta",
    "amount",
    "contact",
    "subsidy",
    "listing",
    "issuance",
    "outline",
    "basis",
    "period",
    "premise",
    "addressees",
    "publicity",
    "overview",
    "follow_up",
    "reference",
    "translation",
    "repeal",
    "happened",
    *(f"request:{name}" for name in REQUEST_KINDS),
    *(f"audience:{name}" for name in AUDIENCE_KINDS),
    *(f"support:{name}" for name in SUPPORT_KINDS),
)
FLAGS = {
    "IGNORECASE": re.IGNORECASE,
    "MULTILINE": re.MULTILINE,
    "DOTALL": re.DOTALL,
    "ASCII": re.ASCII,
}
_LETTERS = {re.IGNORECASE: "i", re.MULTILINE: "m", re.DOTALL: "s", re.ASCII: "a"}
_FIELDS = {"kind", "pattern", "example", "flags"}


@dataclass(frozen=True)
class Cue:
    number: int  # the row's place in the table, from 1
    kind: str
    pattern: str
    example: str
    flags: re.RegexFlag

    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, self.flags)

    def __str__(self) -> str:
        return f"cue {self.number} ({self.kind}, example {self.example!r})"


def _flags(names: object, where: str) -> re.RegexFlag:
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValueError(f"{where}: flags must be a list of names, e.g. ['IGNORECASE']")
    flags = re.RegexFlag(0)
    for name in names:
        if name not in FLAGS:
            raise ValueError(f"{where}: unknown flag {name!r} (known: {', '.join(FLAGS)})")
        flags |= FLAGS[name]
    return flags


def _row(number: int, raw: object) -> Cue:
    where = f"{TABLE.name} cue {number}"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: not a table")
    where += f" ({raw.get('kind')!r})"
    if unknown := set(raw) - _FIELDS:
        raise ValueError(f"{where}: unknown fields {sorted(unknown)}")
    kind, pattern, example = raw.get("kind"), raw.get("pattern"), raw.get("example")
    if kind not in KINDS:
        raise ValueError(f"{where}: unknown kind")
    if not isinstance(pattern, str) or not pattern:
        raise ValueError(f"{where}: no pattern")
    if not isinstance(example, str) or not example.strip():
        raise ValueError(f"{where}: no example question")
    cue = Cue(number, kind, pattern, example, _flags(raw.get("flags", ["IGNORECASE"]), where))
    try:
        compiled = cue.compiled()
    except re.error as error:
        raise ValueError(f"{where}: pattern does not compile: {error}") from error
    if not compiled.search(example):
        raise ValueError(f"{where}: pattern does not fire on its example {example!r}")
    return cue


@cache
def rows() -> tuple[Cue, ...]:
    """Every row of the table, checked, in table order."""
    table = tomllib.loads(TABLE.read_text(encoding="utf-8"))
    if set(table) != {"cue"} or not isinstance(table["cue"], list):
        raise ValueError(f"{TABLE.name}: expected only [[cue]] tables, found {sorted(table)}")
    found = tuple(_row(number, raw) for number, raw in enumerate(table["cue"], 1))
    if missing := [kind for kind in KINDS if not any(cue.kind == kind for cue in found)]:
        raise ValueError(f"{TABLE.name}: no rows for {missing}")
    return found


def kinds(prefix: str = "") -> tuple[str, ...]:
    """The known kinds (those starting with prefix), in reading order."""
    return tuple(kind for kind in KINDS if kind.startswith(prefix))


@cache
def pattern(kind: str) -> re.Pattern[str]:
    """The rows of a kind as one alternation, with their flags (rows that differ in flags keep their own)."""
    if kind not in KINDS:
        raise KeyError(f"unknown cue kind {kind!r}")
    cues = [cue for cue in rows() if cue.kind == kind]
    if len({cue.flags for cue in cues}) == 1:
        return re.compile("|".join(f"(?:{cue.pattern})" for cue in cues), cues[0].flags)
    return re.compile("|".join(f"(?{_letters(cue.flags)}:{cue.pattern})" for cue in cues))


def _letters(flags: re.RegexFlag) -> str:
    on = "".join(letter for flag, letter in _LETTERS.items() if flags & flag)
    off = "".join(letter for flag, letter in _LETTERS.items() if flag != re.ASCII and not flags & flag)
    return on + (f"-{off}" if off else "")
