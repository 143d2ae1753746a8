"""English answers kept short: a long English quote is given by the sentence that answers, a long list of
responsible units by its leading unit, the rest left to the citation (which holds them whole)."""

from __future__ import annotations

import re
from typing import Any

from bot.answer.draft import EN_POINT_CHARS, quoted_point
from bot.schema import Citation

LONG = "First sentence says what it is about. " + "Then a long sentence that goes on and on; " * 12


def citation(quote_en: str, point_en: str | None) -> Citation:
    return Citation(
        doc_id="d", clause="1", title="t", label="l", quote="甲。乙。", quote_en=quote_en, point_en=point_en
    )


def test_a_long_english_quote_is_given_by_its_answering_sentence() -> None:
    zh, en = quoted_point(citation(LONG, "Then a long sentence that goes on and on;"), "Article 1")
    assert en == "Then a long sentence that goes on and on; … [Article 1]"
    assert zh == "「t」：甲。乙。 [l]"  # the Chinese quote is whole


def test_without_an_answering_sentence_a_long_quote_is_cut_at_a_break() -> None:
    _, en = quoted_point(citation(LONG, None), "Article 1")
    text = en.removesuffix(" [Article 1]").removesuffix(" …")
    assert len(text) <= EN_POINT_CHARS and LONG.startswith(text) and en.endswith("… [Article 1]")


def test_a_short_quote_is_given_whole() -> None:
    _, en = quoted_point(citation("Short and whole.", "Short and whole."), "Article 1")
    assert en == "Short and whole. [Article 1]"


def test_an_english_answer_quotes_its_citations_words_and_names_the_leading_unit(bot: Any) -> None:
    answer = bot.ask("How does Xiamen help companies protect their IP overseas?", "en")
    assert len(answer.answer) < 900
    lead, *points = (
        answer.answer.split("\n\n- ")[0],
        *re.findall(r"^- (.*?) \[[^\]]+\]$", answer.answer, re.M),
    )
    assert "Responsible units: Xiamen Municipal Administration for Market Regulation" in lead
    assert "and others (see the citation)" in lead
    quotes = [c.quote_en or "" for c in answer.citations]
    assert points and all(any(p.removesuffix(" …") in q for q in quotes) for p in points)
    assert len(answer.citations[0].responsible_units) > 2


def test_a_question_that_names_a_unit_gets_the_whole_list(bot: Any) -> None:
    answer = bot.ask("is the tax bureau involved anywhere in this plan", "en")
    assert "Xiamen Municipal Tax Service of the State Taxation Administration" in answer.answer
