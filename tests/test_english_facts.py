"""Typed facts said in English for a document without an English rendition, and the verifier that holds
every number of an answer to its source, whether written 10万元 or CNY 100,000."""

from __future__ import annotations

from pathlib import Path

from bot.answer.english import english_fact
from bot.answer.messages import Messages
from bot.answer.verify import verify
from bot.schema import Answer, Citation, Fact
from tests.conftest import ROOT

DEV = ROOT / "eval" / "library" / "dev"


def fact(kind: str, text: str, value: float | None = None, unit: str | None = None, **more: str) -> Fact:
    return Fact(kind=kind, sentence="3.1", start=0, end=len(text), text=text, value=value, unit=unit, **more)  # type: ignore[arg-type]


def test_facts_in_english_words_from_their_values() -> None:
    messages = Messages()
    cap = fact("cap", "单家企业每年最高10万元", 10, "万元", qualifier="最高")
    assert english_fact(messages, cap) == "at most CNY 100,000 per enterprise per year"
    assert english_fact(messages, fact("amount", "每件给予补助5000元", 5000, "元")) == "CNY 5,000 per item"
    assert english_fact(messages, fact("ratio", "按照实际支付利息的40%给予贴息", 40, "%")) == "40%"
    limit = fact("time_limit", "自受理之日起10个工作日内完成审查", 10, "个工作日")
    assert english_fact(messages, limit) == "within 10 working days"
    assert english_fact(messages, fact("fee", "不收取任何费用", qualifier="free")) == "no fee is charged"
    assert english_fact(messages, fact("amount", "资助2万美元", 2, "万美元")) == "USD 20,000"
    # A kind with no value to say (a window, a procedure) is said by its quote alone.
    assert english_fact(messages, fact("procedure", "提交下列材料")) is None


def test_the_verifier_reads_yuan_either_way(corpus_copy: Path) -> None:
    from bot.corpus.store import CorpusStore

    (document,) = CorpusStore(corpus_copy).ingest([DEV / "d1_patent_incentives.txt"])
    corpus = CorpusStore(corpus_copy).load()
    clause = document.clause("3")
    assert clause is not None and "1万元" in clause.text
    citation = Citation(
        doc_id=document.doc_id,
        clause="3",
        title=clause.title,
        label="Article 3",
        quote=clause.sentences[0].text,
    )

    def problems(text: str) -> list[str]:
        answer = Answer(question="q", language="en", answer=text, abstained=False, citations=(citation,))
        return verify(answer, corpus, {(document.doc_id, "3")})

    assert (
        problems("Article 3: CNY 10,000 (「对首次获得国内发明专利授权的企业，给予一次性奖励1万元」).") == []
    )
    assert problems("Article 3: CNY 20,000.") == ["number 20000 is not in any cited quote or table row"]
