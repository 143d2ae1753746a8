"""Which kinds of typed fact (bot.corpus.facts) answer each kind of question (bot.intent.REQUESTS), and the
kinds no policy text answers. Retrieval prefers clauses carrying the facts asked for; answering requires them."""

from __future__ import annotations

import re

from bot.intent import Intent

FACT_KINDS: dict[str, frozenset[str]] = {
    "procedure": frozenset({"procedure"}),
    "duration": frozenset({"time_limit", "duration"}),
    "threshold": frozenset({"cap", "threshold"}),
    "rate": frozenset({"ratio", "fee", "amount", "cap"}),  # a fee counts only where it is charged
    "charge": frozenset({"fee"}),
    "conditions": frozenset({"eligibility", "definition"}),
    "date": frozenset({"date", "window"}),
    "obligation": frozenset({"obligation"}),
    "definition": frozenset({"definition"}),
    "penalty": frozenset({"penalty"}),
}
# Request kinds no typed fact carries: a clause answers when it names that kind of thing.
NAMED_IN_TEXT: dict[str, re.Pattern[str]] = {
    "legal_effect": re.compile(r"效力|承认|承認|认可|認可|生效|法律效果|视为|視為"),
    "named_parties": re.compile(
        r"[\u4e00-\u9fff]{2,}(?:银行|銀行|有限公司|股份公司|集团|集團|律师事务所|律師事務所)"
    ),
    "drafting": re.compile(r"起草|执笔|執筆|征求意见|徵求意見"),
    "law": re.compile(r"《[^》]{2,30}(?:法|条例|條例)》"),
}
# Kinds no policy text answers: its appraisal, what follows it, a ruling on the asker's case, later events.
NEVER = frozenset({"opinion", "future", "advice", "outcome"})
# Fact kinds a question about money (a grant, a subsidy, how much) is answered by.
MONEY = frozenset({"amount", "cap", "ratio"})


def asks_money(intent: Intent) -> bool:
    """Money asked for: a subsidy's amount, or an amount that is not one of a table's figures."""
    return bool((intent.subsidy and (intent.amount or intent.value)) or (intent.amount and not intent.value))


def wanted_fact_kinds(intent: Intent) -> frozenset[str]:
    """The fact kinds that would answer the question."""
    wanted: set[str] = set(MONEY) if asks_money(intent) else set()
    for kind in intent.requests:
        wanted |= FACT_KINDS.get(kind, frozenset())
    if asks_when(intent):
        wanted |= {"window", "date"}
    if intent.contact:
        wanted.add("contact")
    return frozenset(wanted)


def asks_when(intent: Intent) -> bool:
    """'什么时候申报': when something is done, not when the document was issued or how long it runs."""
    return intent.meta and not (
        intent.issuance or intent.period or intent.publicity or intent.addressees or intent.repeal
    )
