"""The bilingual layer kept honest: complete, number-faithful, terminology-consistent, loadable."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.corpus.bilingual import Bilingual, load_bilingual
from bot.lang import (
    chinese_tokens,
    detect_script,
    init_jieba,
    is_mixed,
    to_simplified,
    to_traditional,
)
from bot.lexicon import Lexicon
from bot.schema import Document
from tests.conftest import CORPUS, PLAN_ID

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_MONTHS = {"July": "7", "June": "6", "September": "9"}


@pytest.fixture(scope="module")
def bilingual() -> Bilingual:
    return load_bilingual(CORPUS)


def test_every_sentence_title_unit_and_row_has_english(plan: Document, bilingual: Bilingual) -> None:
    english = bilingual.rendition(PLAN_ID)
    for clause in plan.clauses:
        assert english.titles.get(clause.clause), clause.clause
        if clause.kind != "table":
            for sentence in clause.sentences:
                assert english.sentences.get(sentence.id), sentence.id
        for unit in clause.responsible_units:
            assert english.units.get(unit), unit
    rows = english.tables["table1"]["rows"]
    table = plan.table("table1")
    assert table is not None and len(rows) == len(table.rows) == 10
    for row, row_en in zip(table.rows, rows, strict=True):
        assert row_en["indicator_en"]
        assert (row_en["unit_en"] is None) == (
            row.unit is None
        )  # a unit the source lost stays absent in English
        assert (row_en["remark_en"] is None) == (row.remark is None)


def test_every_number_survives_translation(plan: Document, bilingual: Bilingual) -> None:
    english = bilingual.rendition(PLAN_ID)
    for clause in plan.clauses:
        for sentence in clause.sentences:
            if sentence.id not in english.sentences:
                continue
            target = english.sentences[sentence.id]
            for month, digit in _MONTHS.items():
                target = target.replace(month, f"{month} {digit}")
            for number in _NUMBER.findall(sentence.text):
                assert re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", target), (sentence.id, number)


def _normalise(text: str) -> str:
    text = text.lower().replace("intellectual property", "ip").replace("(ip)", "")
    return " ".join(w.rstrip("s") for w in re.sub(r"[^a-z0-9 ]", " ", text).split())


def _forms(english: str) -> list[str]:
    forms = [english]
    bracketed = re.match(r"^(.*?)\s*\(([^)]+)\)\s*$", english)
    if bracketed:
        forms += [bracketed.group(1), bracketed.group(2)]
    return [f for f in map(_normalise, forms) if f]


def test_glossary_terms_are_rendered_with_their_english(plan: Document, bilingual: Bilingual) -> None:
    """Longest term first; exceptions are listed on purpose in corpus/bilingual/glossary_exceptions.json."""
    exceptions = json.loads((CORPUS / "bilingual" / "glossary_exceptions.json").read_text(encoding="utf-8"))
    english = bilingual.rendition(PLAN_ID)
    # The domain glossary's policy language (条件, 主动公开) is for documents without a rendition.
    terms = sorted((t for t in bilingual.glossary if t.type != "policy"), key=lambda t: -len(t.zh))
    misses = []
    for clause in plan.clauses:
        for sentence in clause.sentences:
            if sentence.id not in english.sentences:
                continue
            text, target = sentence.text, _normalise(english.sentences[sentence.id])
            for term in terms:
                if term.zh in text:
                    text = text.replace(term.zh, "\0")
                    if not any(form in target for form in _forms(term.en)) and term.zh not in exceptions.get(
                        sentence.id, {}
                    ):
                        misses.append((sentence.id, term.zh, term.en))
    assert misses == []
    for sentence_id, terms_listed in exceptions.items():  # an exception that no longer applies is removed
        for zh in terms_listed:
            assert zh in next(s.text for c in plan.clauses for s in c.sentences if s.id == sentence_id)


def test_glossary_shape(bilingual: Bilingual, plan: Document) -> None:
    assert len(bilingual.glossary) >= 200
    assert {t.type for t in bilingual.glossary} <= {
        "institution",
        "programme",
        "legal concept",
        "industry",
        "place",
        "document",
        "indicator",
        "policy",
        "general",
    }
    text = re.sub(r"\s+", "", plan.text)
    # The plan's own terms are its words; the domain glossary serves any document, and says so.
    assert all(t.zh in text for t in bilingual.glossary if t.type != "policy")
    assert all(t.source == "domain" for t in bilingual.glossary if t.type == "policy")
    assert {t.source for t in bilingual.glossary} == {"domain", plan.doc_id}
    by_zh = {t.zh: t for t in bilingual.glossary}
    assert by_zh["知识产权"].zh_hant == "智慧財產權"
    assert by_zh["知识产权质押融资"].en == "IP pledge financing"


def test_glossary_loads_into_jieba(bilingual: Bilingual) -> None:
    init_jieba(bilingual.segmentation_terms)
    assert "知识产权质押融资" in chinese_tokens("厦门知识产权质押融资入园惠企")
    assert "技术调查官" in chinese_tokens("落实技术调查官制度")


def test_taiwan_terms_round_trip_through_opencc(bilingual: Bilingual) -> None:
    """A Taiwan user's term maps back to the plan's term; plain character conversion round-trips."""
    lexicon = Lexicon([(t.zh, [t.zh_hant, *t.zh_hant_alt], [t.en, *t.en_alt]) for t in bilingual.glossary])
    for term in bilingual.glossary:
        assert lexicon.to_plan_terms(term.zh_hant) == term.zh or to_simplified(term.zh_hant) == term.zh, (
            term.zh
        )
    for zh in ("知识产权", "专利代理师", "人工智能", "集成电路"):
        assert to_simplified(to_traditional(zh)) == zh
    assert lexicon.to_plan_terms("台灣企業的智慧財產權質押融資") == "台湾地区企业的知识产权质押融资"
    assert lexicon.to_plan_terms("專利代理人") in {"专利代理师", "专利代理人"}


def test_english_terms_map_to_plan_terms(bilingual: Bilingual) -> None:
    lexicon = Lexicon([(t.zh, [t.zh_hant, *t.zh_hant_alt], [t.en, *t.en_alt]) for t in bilingual.glossary])
    assert "知识产权质押融资" in lexicon.english_to_zh("Are there IP-backed loans for startups?")
    assert lexicon.english_to_zh("Where is the nearest TISC?") == ["TISC", "技术与创新支持中心(TISC)"]


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("知识产权信用监管是怎么规定的？", "zh-Hans"),
        ("台灣企業在廈門可以享受哪些智慧財產權優惠？", "zh-Hant"),
        ("How will the city support IP insurance?", "en"),
        ("How will the BRICS 知识产权交易平台 be built?", "en"),
        ("厦门的知识产权质押融资有什么 policy?", "zh-Hans"),
        ("请看客户发来的原话：We want to know which measures cover integrated circuits.", "zh-Hans"),
        ("客戶來信寫道：Which departments handle IP pledge loans?", "zh-Hant"),
        ("Quote for the client: 知识产权质押融资 is handled by which units?", "en"),
        ("Please translate this for me: '知识产权质押融资由哪些部门负责？'", "en"),
        ("关于质押融资：which departments handle it?", "en"),  # a topic label, not a quotation
    ],
)
def test_script_detection(text: str, script: str) -> None:
    assert detect_script(text) == script


def test_mixed_detection() -> None:
    assert is_mixed("厦门的IP pledge financing政策")
    assert not is_mixed("知识产权保险")


def test_corpus_json_carries_english(plan: Document, bilingual: Bilingual) -> None:
    from bot.corpus.export import document_json

    doc = document_json(plan, bilingual)
    for clause in doc["clauses"]:
        assert clause["title_en"], clause["clause"]
        if clause["kind"] not in ("table", "part"):
            assert clause["text_en"], clause["clause"]
    assert all(row["indicator_en"] for row in doc["tables"][0]["rows"])
    assert doc["title_en"].startswith("Work Plan")
    measure16 = next(c for c in doc["clauses"] if c["clause"] == "16")
    assert "BRICS" in measure16["text_en"]


def test_cards_cover_every_measure(bilingual: Bilingual, plan: Document) -> None:
    cards = bilingual.cards[PLAN_ID]
    assert {str(n) for n in range(1, 24)} <= set(cards)
    assert "taiwan" in cards["19"].audience
    assert "financing" in cards["14"].support
    text = re.sub(r"\s+", "", plan.text)
    for clause_id, card in cards.items():
        clause = plan.clause(clause_id)
        assert clause is not None
        body = re.sub(r"\s+", "", clause.title + clause.text)
        for keyword in card.keywords_zh:
            assert keyword in body or keyword in text, (clause_id, keyword)


def test_bad_curated_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bilingual").mkdir()
    (tmp_path / "bilingual" / "glossary.json").write_text("[{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="glossary.json: unreadable curated file"):
        load_bilingual(tmp_path)


def test_composed_traditional_uses_taiwan_words_but_never_rewords_names_or_quotes(bot) -> None:  # type: ignore[no-untyped-def]
    text = bot.lexicon.to_taiwan(
        "本库涉及知识产权保护和集成电路。《厦门市国家知识产权强市建设示范城市工作方案》「完善知识产权保护制度」"
    )
    assert text.startswith("本庫涉及智慧財產權保護和積體電路。")
    assert "《廈門市國家知識產權強市建設示範城市工作方案》" in text  # a title is a name
    assert text.endswith("「完善知識產權保護制度」")  # a quotation is source text


def test_traditional_refusal_speaks_taiwanese(bot) -> None:  # type: ignore[no-untyped-def]
    answer = bot.ask("請問高雄市的智慧財產權政策有哪些？")
    assert answer.abstained and answer.answer.startswith("抱歉，已收錄的文件沒有回答這個問題。")
    rate = bot.ask("請問智慧財產權質押貸款的利率是多少？")
    assert rate.abstained and "沒有規定收費標準、費率" in rate.answer
