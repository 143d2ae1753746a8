"""What a question asks for, read from its form (not its topic): a value, a department, document facts,
the document's outline or basis, a list of measures, an amount of money, or an attempt to change the rules.

The cues are data: each is a kind of bot/ask/cues.toml, whose rows carry an example question each.
Retrieval and answering both read it, so it sits below both."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.ask import cues

_FLAGS = re.IGNORECASE

INJECTION = cues.pattern("injection")
PLANTED = cues.pattern("planted")
UNITS = cues.pattern("units")
# What a named department is given to do ("海关参与了哪几条？", "What is the Commerce Bureau responsible for?").
DUTIES = cues.pattern("duties")
# The departments are what is asked ("负责单位有哪些"), not what a named department does ("是哪几条的责任单位").
ASKS_FOR_UNITS = cues.pattern("asks_for_units")
VALUE = cues.pattern("value")
META = cues.pattern("meta")
AMOUNT = cues.pattern("amount")
CONTACT = cues.pattern("contact")
SUBSIDY = cues.pattern("subsidy")
LIST = cues.pattern("listing")
# Who issued the document, when, under which number: its issuing notice answers that.
ISSUANCE = cues.pattern("issuance")
# How the document is divided: its parts or chapters, not what a part says.
OUTLINE = cues.pattern("outline")
# Why and on what authority the document was made: its enacting formula answers that.
BASIS = cues.pattern("basis")
# How long the document applies: the sentence with its date range answers that.
PERIOD = cues.pattern("period")
# Kinds of information a question can ask for that a policy text may or may not contain: how to do
# something, how long it takes, what legal effect something has, a minimum or maximum. A question of one of
# these kinds is answered only by a clause that sets out that kind of fact (bot.ask.kinds).
REQUESTS: dict[str, re.Pattern[str]] = {
    kind.removeprefix("request:"): cues.pattern(kind) for kind in cues.kinds("request:")
}
# The question states something as the documents' own ("听说方案规定…", "since the plan increases…"): the
# answer corrects it from the source rather than only declining.
PREMISE = cues.pattern("premise")
# A figure stated in a question, years (2021, 2025) and the numbers of tables and clauses (表1, 第3条) aside.
CLAIMED_NUMBER = re.compile(
    r"(?<![\d.])(?<!表)(?<!表 )(?<![Tt]able )(?<![Mm]easure )(?<![Aa]rticle )(?<![Pp]art )(?<!第)"
    r"(?!(?:19|20)\d\d(?!\d))\d+(?:[.,]\d+)?(?![\d.])(?!\s*(?:条|條|项|項|部分|章))"
)
# A sum of money stated in a question ("每件10万", "RMB 500,000", "20%"), unlike a count ("拿了3件专利").
CLAIMED_AMOUNT = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:万|萬|亿|億|千|元|块|塊|%|％|(?:million|billion|thousand|k)\b|yuan\b|rmb\b|dollars?\b)|"
    r"(?:rmb|cny|¥|\$|nt\$)\s*\d",
    _FLAGS,
)
# To whom the document is sent: its notice's addressee line (各区人民政府,…:) says so.
ADDRESSEES = cues.pattern("addressees")
# Whether the document is public: its notice's closing line (此件主动公开) says so.
PUBLICITY = cues.pattern("publicity")
# What a measure says as a whole ("有啥安排", "具体怎么搞", "what does measure 9 say"): more of it is quoted.
OVERVIEW = cues.pattern("overview")
FOLLOW_UP = cues.pattern("follow_up")
# One clause pointed at without its name (这条, "that measure", it); its English asked for.
REFERENCE = cues.pattern("reference")
TRANSLATION = cues.pattern("translation")
# What the document repeals or replaces.
REPEAL = cues.pattern("repeal")
# The question says something has already happened, not that the documents intend it.
HAPPENED = cues.pattern("happened")

AUDIENCE_CUES: dict[str, re.Pattern[str]] = {
    kind.removeprefix("audience:"): cues.pattern(kind) for kind in cues.kinds("audience:")
}
SUPPORT_CUES: dict[str, re.Pattern[str]] = {
    kind.removeprefix("support:"): cues.pattern(kind) for kind in cues.kinds("support:")
}


# Every cue by its tag: the same words find the audience in a question and the sentence that serves it.
CUES: dict[str, re.Pattern[str]] = {**AUDIENCE_CUES, **SUPPORT_CUES}


@dataclass(frozen=True)
class Intent:
    injection: bool
    units: bool
    value: bool
    meta: bool
    amount: bool
    subsidy: bool
    contact: bool
    listing: bool
    issuance: bool
    outline: bool
    basis: bool
    period: bool
    follow_up: bool
    audiences: tuple[str, ...]
    supports: tuple[str, ...]
    requests: tuple[str, ...] = ()
    asserts: bool = False  # says the documents say so, in words (听说方案规定…), not only a figure
    publicity: bool = False
    addressees: bool = False
    overview: bool = False
    duties: bool = False  # what a named department is to do
    repeal: bool = False  # what the document repeals or replaces
    happened: bool = False  # says something has already happened
    reference: bool = False  # points at one clause without naming it
    translation: bool = False  # asks for the English of what is cited


# "现在还有效吗": whether the document still applies, not what legal effect a right or ruling has.
_STILL_IN_FORCE = re.compile(r"(?:还|還|仍|仍然|现在|現在|目前|当前|當前)(?:是否)?(?:有效|生效)(?!力)")


def _requests(question: str) -> tuple[str, ...]:
    kinds = [kind for kind, cue in REQUESTS.items() if cue.search(question)]
    if "charge" in kinds and "rate" in kinds:
        kinds.remove("rate")  # "是公益还是收费" asks whether, not how much
    if "legal_effect" in kinds and _STILL_IN_FORCE.search(question):
        kinds.remove("legal_effect")
    return tuple(kinds)


def read_intent(question: str) -> Intent:
    """One reading of the question; cues written in Simplified characters also read a Traditional question."""
    from bot.lang import to_simplified

    simplified = to_simplified(question)
    if simplified == question:
        return _read(question)
    first, second = _read(question), _read(simplified)
    merged: dict[str, Any] = {
        name: (getattr(first, name) or getattr(second, name))
        if isinstance(getattr(first, name), bool)
        else tuple(dict.fromkeys((*getattr(first, name), *getattr(second, name))))
        for name in first.__dataclass_fields__
    }
    if "charge" in merged["requests"]:  # "是公益还是收费" asks whether, not how much
        merged["requests"] = tuple(k for k in merged["requests"] if k != "rate")
    return Intent(**merged)


def _read(question: str) -> Intent:
    return Intent(
        injection=bool(INJECTION.search(question)),
        units=bool(UNITS.search(question)),
        value=bool(VALUE.search(question)),
        meta=bool(META.search(question)),
        amount=bool(AMOUNT.search(question)),
        subsidy=bool(SUBSIDY.search(question)),
        contact=bool(CONTACT.search(question)),
        listing=bool(LIST.search(question)),
        duties=bool(DUTIES.search(question)) and not ASKS_FOR_UNITS.search(question),
        issuance=bool(ISSUANCE.search(question)),
        outline=bool(OUTLINE.search(question)),
        basis=bool(BASIS.search(question)),
        period=bool(PERIOD.search(question)),
        follow_up=bool(FOLLOW_UP.search(question.strip())) and len(question.strip()) <= 40,
        audiences=tuple(tag for tag, cue in AUDIENCE_CUES.items() if cue.search(question)),
        supports=tuple(tag for tag, cue in SUPPORT_CUES.items() if cue.search(question)),
        requests=_requests(question),
        asserts=bool(PREMISE.search(question)),
        publicity=bool(PUBLICITY.search(question)),
        addressees=bool(ADDRESSEES.search(question)),
        overview=bool(OVERVIEW.search(question)),
        repeal=bool(REPEAL.search(question)),
        happened=bool(HAPPENED.search(question)),
        reference=bool(REFERENCE.search(question)),
        translation=bool(TRANSLATION.search(question)),
    )


_CN = "零〇一二两三四五六七八九十百"
_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
}
_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
    "xi": 11,
    "xii": 12,
}
_REFERENCES = [
    ("measure", re.compile(rf"第\s*([{_CN}\d]+)\s*(?:条|條|项|項|点|點)")),
    ("measure", re.compile(rf"[(（]\s*([{_CN}]+)\s*[)）]")),
    ("measure", re.compile(r"\b(?:measure|item|article)\s*\(?\s*(\d{1,3})\s*\)?", re.IGNORECASE)),
    ("table", re.compile(r"(?:表\s*|\btable\s*)(\d{1,2})(?!\d)", re.IGNORECASE)),
    ("part", re.compile(rf"第\s*([{_CN}\d]+)\s*(?:部分|部份|章)")),
    (
        "part",
        re.compile(
            r"\b(?:part|chapter)\s+([ivx]+|\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\b",
            re.IGNORECASE,
        ),
    ),
    ("part", re.compile(r"\b(first|second|third|fourth|fifth|sixth) (?:part|chapter)\b", re.IGNORECASE)),
]


def _number(token: str) -> int | None:
    from bot.corpus.parse import cn_to_int

    token = token.strip().lower()
    if token in _ROMAN:
        return _ROMAN[token]
    if token in _WORDS:
        return _WORDS[token]
    try:
        return cn_to_int(token)
    except ValueError:
        return None


def clause_references(question: str) -> list[tuple[str, int]]:
    """Places a question names by number: 第二十四条, (十六), Measure 16, 表2, Table 1, Part IV, 第五部分."""
    found: list[tuple[str, int]] = []
    for kind, pattern in _REFERENCES:
        for match in pattern.finditer(question):
            number = _number(match.group(1))
            if number is not None and (kind, number) not in found:
                found.append((kind, number))
    return found


def gives_orders(sentence: str) -> bool:
    """Whether a document's sentence is an order planted for the machine that reads it (bot.ask "planted")."""
    from bot.lang import to_simplified

    return bool(PLANTED.search(sentence) or PLANTED.search(to_simplified(sentence)))
