"""How to apply, how long it takes, the fee, the conditions, whether it happened: a question of such a kind is
answered only by a clause that says that kind of thing, not by one that merely names the programme asked about.
A claim the documents contradict is corrected from the clause that says otherwise."""

from __future__ import annotations

import re

from bot.answer.draft import Draft
from bot.answer.evidence import contradicts
from bot.answer.kinds import FACT_KINDS, answers
from bot.answer.kit import Ask, Kit
from bot.answer.messages import Both
from bot.answer.outcome import abstain_with
from bot.answer.strategies.clause import correction, pointer_draft
from bot.answer.strategies.facts import documents_of, gap_lead
from bot.ask.kinds import asks_money
from bot.schema import Answer, Hit


def kind_names(kit: Kit, kinds: list[str]) -> Both:
    zh, en = [], []
    for kind in kinds:
        texts = kit.say(f"kinds.{kind}")
        zh.append(texts["zh"])
        en.append(texts["en"])
    return Both("；".join(zh), "; ".join(en))


def unmet_kinds(kit: Kit, ask: Ask) -> list[str]:
    """The kinds of information asked for that no leading clause sets out."""
    intent = ask.intent
    # How long the document itself runs is one of its own facts; a question about money gets the answer on
    # amounts, which also covers how to claim it and at what rate.
    money = asks_money(intent)
    # "有效期多久" and "这个办法现在还有效吗" ask about the document's own period, which its facts answer.
    own_period = intent.period and (bool(ask.documents) or bool(_DOCUMENT_VALID.search(ask.query.zh_text)))
    asked = [
        k for k in intent.requests
        if not (k == "duration" and intent.period) and not (k == "legal_effect" and own_period)
        and not (money and k in ("procedure", "rate"))
    ]  # fmt: skip
    return [
        k
        for k in asked
        if not any(answers(k, kit.clause(h)) or _targets(kit, ask, k, h) for h in ask.hits[:3])
    ]


_DOCUMENT_VALID = re.compile(r"(?:办法|方案|文件|细则|规定|措施|通知|条例|政策)[^，,。？?]{0,8}有效")


def _targets(kit: Kit, ask: Ask, kind: str, hit: Hit) -> bool:
    """'到2025年至少要有多少家': an indicator table's target for its year answers a minimum asked of it."""
    if kind != "threshold" or not hit.clause.startswith("table"):
        return False
    table = kit.document(hit.doc_id).table(hit.clause)
    return table is not None and table.target_year is not None and str(table.target_year) in ask.query.text


def _english(kit: Kit, hit: Hit) -> str:
    clause = kit.clause(hit)
    return kit.rendition(hit.doc_id).clause_text(clause.clause, [s.id for s in clause.sentences]) or ""


def kind_not_given(kit: Kit, ask: Ask) -> Answer | None:
    """Decline what no leading clause sets out, naming the kind and the documents; correct a claim the source
    contradicts, a duty the documents do not impose, a claim that something has happened."""
    unmet = unmet_kinds(kit, ask)
    hits = ask.hits
    documents = documents_of(kit, ask, hits[:3])
    # "方案里说要大幅提高专利授权资助…": a clause that moves it the other way answers the claim, whatever else
    # is asked; it is quoted first, after saying what the documents do not set out.
    if ask.intent.asserts:
        against = [h for h in hits[:3] if contradicts(ask.query, kit.clause(h), _english(kit, h))]
        if against:
            rest = [k for k in unmet if k != "obligation"]
            nor = kit.say("requests.nor", kinds=kind_names(kit, rest)) if rest else {"zh": "", "en": ""}
            lead = kit.say(
                "requests.opposite", documents=documents_names(kit, documents), nor=Both(nor["zh"], nor["en"])
            )
            others = [h for h in hits if h not in against]
            return correction(kit, ask, against + others, lead)
    # A duty the documents do not impose is corrected, not declined: what they do say (encourage, support)
    # answers "must we…?". A department question is not about a duty. Nor is a claim that the documents say
    # something happened ("方案说法院已经成立了") declined: it is corrected.
    if "obligation" in unmet:
        unmet.remove("obligation")
        # With other kinds asked too, only a stated premise ("方案要求必须…，是吗") is corrected.
        if not ask.intent.units and not set(unmet) - set(FACT_KINDS) and (not unmet or ask.intent.asserts):
            # "must we…? and what if we don't": what else is not set out is said after the correction.
            nor = kit.say("requests.nor", kinds=kind_names(kit, unmet)) if unmet else {"zh": "", "en": ""}
            return correction(
                kit, ask, hits, gap_lead(kit, "requests.no_duty", documents, nor=Both(nor["zh"], nor["en"]))
            )
    if unmet and ask.intent.asserts and ask.intent.happened and set(unmet) <= {"outcome", "date"}:
        return correction(kit, ask, hits, gap_lead(kit, "requests.not_happened", documents))
    if not unmet:
        return None
    draft: Draft = pointer_draft(
        kit, ask, gap_lead(kit, "requests.unmet", documents, kinds=kind_names(kit, unmet))
    )
    draft.gaps = [
        (fact_kind, tuple(d.doc_id for d in documents))
        for kind in unmet
        for fact_kind in sorted(FACT_KINDS.get(kind, ()))
    ]
    return abstain_with(kit, ask, draft)


def documents_names(kit: Kit, documents: list) -> Both:  # type: ignore[type-arg]
    from bot.answer.strategies.facts import names

    return names(kit, documents)
