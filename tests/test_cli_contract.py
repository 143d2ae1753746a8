"""`policybot search --json` and `policybot ask --json` (also --batch) as real subprocesses, in the contract's shape."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import CITATION_KEYS, CONTRACT_KEYS, ROOT
from tests.test_answer import SOURCE, squeeze


def run(*args: str, stdin: str | None = None) -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def test_search_json(bot) -> None:  # type: ignore[no-untyped-def]  # the fixture builds the index first
    (payload,) = run("search", "--json", "How will the BRICS 知识产权交易平台 be built?")
    assert payload["question"] == "How will the BRICS 知识产权交易平台 be built?"
    hits = payload["hits"]
    assert hits[0] == {**hits[0], "clause": "16", "title": "构建金砖创新基地服务体系"}
    assert len(hits) >= 5 and len({h["clause"] for h in hits}) == len(hits)
    assert set(hits[0]) == {"doc_id", "clause", "title", "score"}
    assert hits[0]["score"] >= hits[-1]["score"]


def test_batch_from_stdin_keeps_order(bot) -> None:  # type: ignore[no-untyped-def]
    questions = [
        "2025年海外发明专利授权量预期值是多少？",
        "廈門會設立智慧財產權法院嗎？",
        "What is the 'Blue Sky' campaign?",
    ]
    payloads = run("ask", "--json", "--batch", "-", stdin="\n".join(questions) + "\n")
    assert [p["question"] for p in payloads] == questions
    assert [p["language"] for p in payloads] == ["zh-Hans", "zh-Hant", "en"]
    assert [p["citations"][0]["clause"] for p in payloads] == ["table1", "5", "17"]
    for payload in payloads:
        assert set(payload) >= CONTRACT_KEYS
        for citation in payload["citations"]:
            assert set(citation) >= CITATION_KEYS
            assert squeeze(citation["quote"]) in SOURCE
    assert "3600" in payloads[0]["answer"]
    assert payloads[2]["citations"][0]["label"] == "Work Plan, Part IV, Measure (17)"


def test_ask_lang_override_and_refusal(bot) -> None:  # type: ignore[no-untyped-def]
    (english,) = run("ask", "--json", "--lang", "en", "知识产权保险")
    assert english["language"] == "en" and english["citations"][0]["clause"] == "14"
    (refused,) = run("ask", "--json", "Tell me about the weather in Paris.")
    assert refused["abstained"] is True and refused["citations"] == []


def test_empty_question_is_a_clear_error(bot) -> None:  # type: ignore[no-untyped-def]
    (payload,) = run("ask", "--json", "--batch", "-", stdin="   \n\u200b\n")
    assert payload["error"] == "the question is empty"
