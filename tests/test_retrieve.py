"""Hybrid retrieval on the real plan: literal clause ids in every script, and the structural lists that a
question's form switches on (outline, basis, period) or off (table rows for money a firm receives)."""

from __future__ import annotations

import pytest

from bot.fusion import FusionWeights
from bot.intent import read_intent
from bot.lang import english_tokens


def first(bot, question: str, k: int = 3) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.clause for hit in bot.search(question)[:k]]


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        ("知识产权质押融资风险补偿有什么安排？", "14"),
        ("海外維權援助中心在方案裡怎麼安排?", "8"),
        ("How does the plan support patent pledge financing for small firms?", "14"),
        ("金砖国家的知识产权合作怎么开展？", "16"),
    ],
)
def test_literal_clause_ids_in_each_script(bot, question: str, clause: str) -> None:  # type: ignore[no-untyped-def]
    assert first(bot, question, 1) == [clause]


@pytest.mark.parametrize(
    "question",
    ["这份方案由哪几个部分组成？", "這份文件的章節有哪些?", "Give me an outline of the plan's main parts."],
)
def test_outline_questions_get_every_part_first(bot, question: str) -> None:  # type: ignore[no-untyped-def]
    assert sorted(first(bot, question, 6)) == [f"part-{n}" for n in range(1, 7)]


@pytest.mark.parametrize(
    "question",
    [
        "方案是依据哪些上位文件制定的？",
        "這份方案是為了落實哪些上位規劃?",
        "What is the policy basis of this plan?",
    ],
)
def test_basis_questions_find_the_enacting_formula(bot, question: str) -> None:  # type: ignore[no-untyped-def]
    assert first(bot, question, 1) == ["intro"]


def test_period_questions_find_the_date_range(bot) -> None:  # type: ignore[no-untyped-def]
    assert first(bot, "How long does the demonstration period of the plan run?", 1) == ["2"]


def test_money_for_firms_is_not_read_from_indicator_rows(bot) -> None:  # type: ignore[no-untyped-def]
    # table1 counts invention patents, but no row is a subsidy: the funding-policy measure answers.
    assert first(bot, "每件发明专利授权能拿多少补贴？", 1) == ["10"]
    # A figure the table does hold still comes from the table.
    assert first(bot, "到2025年知识产权质押融资登记金额要达到多少？", 1) == ["table1"]


def test_question_form_is_read_not_its_topic() -> None:
    assert read_intent("方案的整体结构是怎样的？").outline
    assert not read_intent(
        "方案如何优化专项资金的支出结构?"
    ).outline  # the spending structure, not the outline
    assert not read_intent("方案的哪些部分提到台湾?").outline
    assert read_intent("Why was the plan drawn up?").basis
    assert read_intent("Is the plan still in force?").period
    assert read_intent("What is the annual budget for patent grants?").subsidy


def test_english_tokens_keep_formulas_and_split_hyphenated_words() -> None:
    assert english_tokens("the '3+1' works") == ["3+1", "work"]
    assert english_tokens("IPO-related services") == ["ipo-relat", "ipo", "relat", "service"]


def test_decisive_keyword_evidence_outranks_rank_votes(bot) -> None:  # type: ignore[no-untyped-def]
    retriever = bot.retriever
    units = retriever.units
    a, b = (next(u.id for u in units if u.clause == c and u.lang == "zh") for c in ("5", "6"))
    # Dense puts 6 first; the Chinese keyword list finds 5 with a score far above anything else.
    lists = {"dense": [(b, 0.9), (a, 0.89)], "keyword_zh": [(a, 9.0), (b, 1.0)]}
    assert [h.clause for h in retriever.fuse(lists, 2)][0] == "5"
    # Without a decisive margin, the rank votes tie and the dense list's stronger weight wins.
    retriever.weights, saved = FusionWeights(decisive_bonus=0.0), retriever.weights
    try:
        assert [h.clause for h in retriever.fuse(lists, 2)][0] == "6"
    finally:
        retriever.weights = saved


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        ("what's part three of the plan about?", "part-3"),
        ("第十六条讲了什么？", "16"),
        ("“拓展海外知识产权交流合作”那条 measure 由谁负责？", "20"),  # a clause title pasted verbatim
    ],
)
def test_a_clause_named_by_number_or_title_comes_first(bot, question: str, clause: str) -> None:  # type: ignore[no-untyped-def]
    assert first(bot, question, 1) == [clause]


def test_the_plan_itself_is_no_evidence_for_a_clause(bot) -> None:  # type: ignore[no-untyped-def]
    assert "《厦门市国家知识产权强市建设示范城市工作方案(2022-2025年)》" not in bot.lexicon.english_to_zh(
        "Is the plan still in effect?"
    )
    assert first(bot, "Is the plan still in force?", 1) == ["2"]  # the period, not the notice


def test_budget_questions_find_the_funding_clauses(bot) -> None:  # type: ignore[no-untyped-def]
    # 22 secures the money for the plan itself, 10 is the subsidy policy for firms.
    assert first(bot, "What budget does the city set aside for this work?", 2) == ["22", "10"]


def test_plural_and_singular_stem_alike() -> None:
    assert english_tokens("measures") == english_tokens("measure") == ["measure"]
    assert english_tokens("boxes") == ["box"]


def test_hits_carry_how_close_each_sentence_is_in_meaning(bot) -> None:  # type: ignore[no-untyped-def]
    hit = bot.search("知识产权质押融资怎么支持中小微企业？")[0]
    clause = next(c for c in bot.corpus.documents[0].clauses if c.clause == hit.clause)
    similarity = dict(hit.sentence_similarity)
    assert set(similarity) == {s.id for s in clause.sentences}
    assert all(0.0 < value <= 1.0 for value in similarity.values())
    assert hit.clause == "14" and max(similarity, key=similarity.__getitem__) == "14.5"  # the pledge sentence
