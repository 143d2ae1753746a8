"""Whether a clause says the opposite of what a question claims the documents say: "要大幅提高专利授权资助"
against the clause's "逐步减少专利授权资助"."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from bot.lang import english_tokens
from bot.query import Query
from bot.schema import Clause

# Which way a claim says something moves: "要大幅提高专利授权资助" against the clause's "逐步减少专利授权资助".
_MOVES = re.compile(
    r"(提高|增加|加大|扩大|上调|增长|翻倍|减少|降低|削减|下调|压减|缩减|取消)(?:了)?([\u4e00-\u9fff]{2,12})"
)
_UP = frozenset(["提高", "增加", "加大", "扩大", "上调", "增长", "翻倍"])
_EN_MOVES = re.compile(
    r"\b(?:(?P<up>increas|rais|boost|expand|doubl|enlarg)|(?P<down>reduc|cut|lower|decreas|scrap|abolish|phas\w* out))"
    r"\w*((?:\s+[\w-]+){1,6})",
    re.IGNORECASE,
)


def contradicts(claim: Query, clause: Clause, clause_en: str = "") -> bool:
    """Does the clause move the thing the claim names the other way (the claim raises what it reduces)?"""
    for verb, thing in _MOVES.findall(claim.zh_text):
        for stated_verb, stated_thing in _MOVES.findall(clause.text):
            if (verb in _UP) != (stated_verb in _UP):
                match = SequenceMatcher(None, thing, stated_thing).find_longest_match(
                    0, len(thing), 0, len(stated_thing)
                )
                if match.size >= 4:
                    return True
    if claim.zh_text or not clause_en:
        return False
    for moved in _EN_MOVES.finditer(claim.text):
        for stated in _EN_MOVES.finditer(clause_en):
            if bool(moved.group("up")) != bool(stated.group("up")):
                shared = set(english_tokens(moved.group(3))) & set(english_tokens(stated.group(3)))
                if len(shared) >= 2:
                    return True
    return False
