"""Typed facts said in English for a document that has no English rendition: the number and unit come from
the fact read at ingest, the words from the message files, and the Chinese span is quoted beside them, so
nothing machine-made stands in for a translation ("Article 3: at most CNY 200,000 per enterprise per year")."""

from __future__ import annotations

import re

from bot.answer.messages import Messages
from bot.corpus.facts.numbers import in_yuan
from bot.lang import unmark
from bot.schema import Fact

_TEMPLATES = {"cap": "fact.cap", "threshold": "fact.threshold", "time_limit": "fact.time_limit"}
# 每件, 每家企业每年, 单个案件, 同一企业: what an amount is counted per.
_EACH = re.compile(r"(?:每|单|單|同一)(个案件|家企业|家|件|项|人|年|次|起|案|笔|户|企业)")


def english_fact(messages: Messages, fact: Fact) -> str | None:
    """The fact in English words, or None for a kind said only by its quote."""
    if fact.kind == "fee":
        return unmark(messages.one("fact.fee_free" if fact.qualifier == "free" else "fact.fee_charged", "en"))
    amount = _amount(messages, fact)
    if amount is None:
        return None
    text = messages.one(_TEMPLATES.get(fact.kind, "fact.plain"), "en", amount=amount)
    english = messages.texts["en"]
    each = dict.fromkeys(english.get(f"fact.each.{word}") for word in _EACH.findall(fact.text))
    return unmark(" ".join([text, *(messages.one("fact.per", "en", what=w) for w in each if w)]))


def _amount(messages: Messages, fact: Fact) -> str | None:
    if fact.value is None or fact.unit is None:
        return None
    dollars = fact.value * (10_000 if "万" in fact.unit else 1) if fact.unit.endswith("美元") else None
    number = dollars if dollars is not None else in_yuan(fact.value, fact.unit)
    if number is not None:
        written = f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"
        return messages.one("fact.usd" if dollars is not None else "fact.money", "en", number=written)
    if fact.unit == "%":
        return f"{fact.value:g}%"
    unit = messages.texts["en"].get(f"fact.unit.{fact.unit}")
    return f"{fact.value:g} {unit}" if unit else None
