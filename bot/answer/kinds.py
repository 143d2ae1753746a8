"""What kind of information a question asks for, and what in a clause answers it: for most kinds a typed fact
read at ingest (a time limit answers 'how long'); for a few, what the clause names (a law, a bank); and a
declared set that no policy text answers (opinions, forecasts, advice on one's own case, what happened later)."""

from __future__ import annotations

from bot.ask.kinds import FACT_KINDS, MONEY, NAMED_IN_TEXT, NEVER
from bot.schema import Clause

__all__ = ["FACT_KINDS", "MONEY", "answers", "gives_money"]


def answers(kind: str, clause: Clause) -> bool:
    """Does the clause say the kind of thing the question asks for?"""
    if kind in NEVER:
        return False
    if kind in NAMED_IN_TEXT:
        return bool(NAMED_IN_TEXT[kind].search(clause.text))
    wanted = FACT_KINDS.get(kind, frozenset())
    return any(f.kind in wanted and counts(kind, f) for f in clause.facts)


def counts(kind: str, fact) -> bool:  # type: ignore[no-untyped-def]
    """A free fee says nothing of a rate; the document's own dates say nothing of a deadline or schedule."""
    if kind == "rate" and fact.kind == "fee":
        return fact.qualifier == "charged"
    return fact.qualifier != "document"


def gives_money(clause: Clause) -> bool:
    """Does the clause set an amount of support (an amount, cap or ratio of a grant or subsidy)?"""
    return any(f.kind in MONEY and f.qualifier != "target" for f in clause.facts)
