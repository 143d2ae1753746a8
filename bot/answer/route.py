"""The answer's route table: each row names a strategy and the condition under which it is tried, in order.
A strategy gives an Answer (final), a Draft (finished and verified; abstained drafts point without citing) or
None (the next row is tried)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.answer.draft import Draft
from bot.answer.kit import Ask, Kit
from bot.answer.messages import Both
from bot.answer.outcome import abstain_with, finish, refusal
from bot.answer.strategies import (
    cited,
    clause,
    facts,
    listing,
    meta,
    outline,
    reference,
    requests,
    table,
    units,
)
from bot.answer.strategies.table import district_lead
from bot.ask.kinds import asks_money, asks_when, wanted_fact_kinds
from bot.intent import CLAIMED_AMOUNT
from bot.schema import Answer

Outcome = Answer | Draft | None
Strategy = Callable[[Kit, Ask], Outcome]


@dataclass(frozen=True)
class Route:
    name: str
    when: Callable[[Kit, Ask], bool]
    then: Strategy


def always(kit: Kit, ask: Ask) -> bool:
    return True


def _claims_money(ask: Ask) -> bool:
    """The question states a sum or a claim of its own ("听说每家500万"): it gets a cited correction."""
    return ask.intent.asserts or bool(CLAIMED_AMOUNT.search(ask.query.text))


def _districts(kit: Kit, ask: Ask) -> Outcome:
    """'思明区的指标是多少': the documents give city-wide figures only."""
    from bot.answer.outcome import districts_named

    named = districts_named(kit.document(ask.hits[0].doc_id), ask.query.text)
    if not named:
        return None
    figures = table.table_draft(kit, ask) or clause.pointer_draft(kit, ask, district_lead(kit, named, None))
    figures.abstained = True
    return figures


def _money_unset(kit: Kit, ask: Ask) -> Outcome:
    """'每件专利补多少' where the documents set no amount: declined, with what they say about funding."""
    if facts.facts_draft(kit, ask, facts.MONEY) is not None:
        return None
    return facts.no_money_draft(kit, ask)


def _money_claimed(kit: Kit, ask: Ask) -> Outcome:
    """An amount asked for, or a subsidy's figure: what the documents set, or (cited) that they set none."""
    intent = ask.intent
    if not (intent.amount or (intent.subsidy and intent.value)):
        return None
    draft = facts.facts_draft(kit, ask, facts.MONEY) or facts.no_money_draft(kit, ask)
    if draft is not None:
        draft.abstained = False
    return draft


def _units_first(kit: Kit, ask: Ask) -> Outcome:
    return None if ask.intent.value else units.units_draft(kit, ask)


def _units_after(kit: Kit, ask: Ask) -> Outcome:
    return units.units_draft(kit, ask) if ask.intent.value else None


def _clause(kit: Kit, ask: Ask) -> Outcome:
    return clause.clause_draft(kit, ask, overview=ask.intent.overview)


def _event_dates(kit: Kit, ask: Ask) -> Outcome:
    """'什么时候申报': when something is done (a window, a date, a time limit), not the document's own dates."""
    if not asks_when(ask.intent):
        return None
    return facts.facts_draft(kit, ask, frozenset({"window", "date", "time_limit"}), events_only=True)


def _topic_absent(kit: Kit, ask: Ask) -> Outcome:
    """'软件著作权登记有没有补贴': an amount, fee or time limit is asked of something the documents never
    mention; another thing's figure does not answer it."""
    missing = ask.coverage.asked_missing
    if not missing:
        return None
    ordered = sorted(missing, key=lambda w: ask.query.zh_text.find(w))
    topic = Both("、".join(ordered), ", ".join(ordered))
    if ask.documents:
        lead = facts.gap_lead(kit, "facts.topic", [kit.document(d) for d in ask.documents], topic=topic)
    else:  # the words were looked for in every loaded document
        lead = kit.say("facts.topic_all", topic=topic)
    draft = clause.pointer_draft(kit, ask, lead)
    draft.abstained = True
    return draft


def _asks_a_fact(kit: Kit, ask: Ask) -> bool:
    """A figure, fee, time limit or condition asked of a document the question names."""
    intent = ask.intent
    return bool(ask.documents) and bool(
        wanted_fact_kinds(intent) or intent.value or intent.amount or intent.subsidy
    )


_CONTACT_KINDS = {
    "phone": re.compile(r"电话|電話|热线|熱線|号码|號碼|手机|手機|phone|call|hotline|number", re.IGNORECASE),
    "email": re.compile(r"邮箱|郵箱|邮件|郵件|e-?mail", re.IGNORECASE),
    "url": re.compile(r"网址|網址|网站|網站|链接|連結|website|url|link", re.IGNORECASE),
    "address": re.compile(r"地址|地点|地點|在哪|办公地点|辦公地點|address|where (?:is|are)", re.IGNORECASE),
    "person": re.compile(r"联系人|聯繫人|聯絡人|找谁|找誰|contact person|whom to contact", re.IGNORECASE),
}


def _contact(kit: Kit, ask: Ask) -> Outcome:
    """A phone number, e-mail or address is given only where a document gives one, of the kind asked."""
    asked = frozenset(k for k, cue in _CONTACT_KINDS.items() if cue.search(ask.query.text)) or frozenset(
        {"phone"}
    )
    found = facts.facts_draft(kit, ask, frozenset({"contact"}), qualifiers=asked)
    return found if found is not None else refusal(kit, ask, reason="contact")


def _scope(kit: Kit, ask: Ask) -> Outcome:
    return refusal(kit, ask, reason="scope")


ROUTES: tuple[Route, ...] = (
    Route("rules", lambda k, a: a.intent.injection, lambda k, a: refusal(k, a, reason="rules")),
    Route("nothing found", lambda k, a: not a.hits, _scope),
    # The documents give no phone numbers or addresses; whatever a page showed around them is not theirs.
    Route("contact", lambda k, a: a.intent.contact, _contact),
    # Document facts are asked in words the text never uses (文号, "still in effect"): answered below, unless
    # what is asked for is something the documents never mention (申请截止时间是什么时候).
    Route("absent document fact", lambda k, a: a.intent.meta and not a.intent.issuance and bool(a.coverage.absent_focus), _scope),
    Route("cited, not loaded", always, cited.unloaded_reference),
    Route("no such place", always, reference.missing_place),
    Route("kind not given", always, requests.kind_not_given),
    Route("event dates", lambda k, a: a.intent.meta, _event_dates),
    Route("document facts", meta.applies, meta.meta_draft),
    Route("named place", always, reference.reference_draft),
    Route("outline", always, outline.outline_draft),
    Route("nothing matches", lambda k, a: a.coverage.unanswerable, _scope),
    Route("asked of an absent topic", _asks_a_fact, _topic_absent),
    Route("district figures", lambda k, a: a.intent.value, _districts),
    Route("money not set", lambda k, a: asks_money(a.intent) and not _claims_money(a), _money_unset),
    Route("money", lambda k, a: a.intent.subsidy or (a.intent.amount and not a.intent.value and not a.hits[0].clause.startswith("table")), _money_claimed),
    # "海关负责哪几条": the clauses that name the department, not the departments of one clause.
    Route("duties", always, units.duties_draft),
    # "哪些部门负责质押融资": a department question is not a figure question, whatever the table matches.
    Route("departments", always, _units_first),
    Route("table", always, table.table_draft),
    Route("money (figures)", always, _money_claimed),
    Route("departments (figures)", always, _units_after),
    Route("facts asked", always, facts.facts_draft),
    Route("listing", always, listing.list_draft),
    Route("clause", always, _clause),
    Route("nothing to quote", always, _scope),
)  # fmt: skip


def answer(kit: Kit, ask: Ask, routes: tuple[Route, ...] = ROUTES) -> tuple[Answer, str]:
    """The answer and the name of the route that gave it."""
    for route in routes:
        if not route.when(kit, ask):
            continue
        outcome = route.then(kit, ask)
        if outcome is None:
            continue
        if isinstance(outcome, Answer):
            return outcome, route.name
        return (
            abstain_with(kit, ask, outcome) if outcome.abstained else finish(kit, ask, outcome)
        ), route.name
    return refusal(kit, ask, reason="scope"), "nothing to quote"
