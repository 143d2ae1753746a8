"""The HTTP API through create_app(bot) with the real bot; the OpenAI-compatible endpoint through the real
`openai` client against a real uvicorn server."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from bot.api import create_app
from bot.api.responses import ClauseView
from bot.feedback import FeedbackStore
from bot.views import citation_line
from tests.conftest import CITATION_KEYS, CONTRACT_KEYS, PLAN_ID, ROOT
from tests.helpers import with_server_settings
from tests.servers import running_server

pytestmark = pytest.mark.slow

BRICS_UNITS = "构建金砖创新基地服务体系由哪些单位负责？"
PLAN_TITLE = "厦门市国家知识产权强市建设示范城市工作方案(2022-2025年)"
ADMIN_TOKEN = "a-long-enough-admin-token"
LIBRARY = ROOT / "eval" / "library" / "dev"


def sse_events(text: str) -> list[tuple[str | None, str]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = block.split("\n")
        name = next((line.removeprefix("event: ") for line in lines if line.startswith("event: ")), None)
        data = "\n".join(line.removeprefix("data: ") for line in lines if line.startswith("data: "))
        events.append((name, data))
    return events


@pytest.fixture(scope="module")
def client(bot: Any) -> TestClient:
    return TestClient(create_app(bot))


# ------------------------------------------------------------------------------------------ ask


@pytest.mark.parametrize(
    ("question", "lang", "language"),
    [
        (BRICS_UNITS, "auto", "zh-Hans"),
        ("構建金磚創新基地服務體系由哪些單位負責？", "auto", "zh-Hant"),
        ("Which departments are responsible for the BRICS innovation base service system?", "auto", "en"),
        (BRICS_UNITS, "zh", "zh-Hans"),
        (BRICS_UNITS, "zh-Hant", "zh-Hant"),
        (BRICS_UNITS, "en", "en"),
    ],
)
def test_ask_returns_the_contract(client: TestClient, question: str, lang: str, language: str) -> None:
    response = client.post("/v1/ask", json={"question": question, "lang": lang, "history": []})
    assert response.status_code == 200
    body = response.json()
    assert body.keys() >= CONTRACT_KEYS
    assert body["language"] == language
    assert body["abstained"] is False
    assert body["citations"][0]["clause"] == "16"
    assert body["citations"][0].keys() >= CITATION_KEYS
    assert "金砖办" in body["citations"][0]["responsible_units"]


def test_ask_accepts_history(client: TestClient) -> None:
    history = [
        {"role": "user", "content": "金砖创新基地有什么服务？"},
        {"role": "assistant", "content": "……"},
    ]
    response = client.post(
        "/v1/ask", json={"question": "由哪些单位负责？", "lang": "auto", "history": history}
    )
    assert response.status_code == 200
    assert response.json()["language"] == "zh-Hans"


@pytest.mark.parametrize("how", ["query", "body"])
def test_ask_streams_server_sent_events(client: TestClient, how: str) -> None:
    url, body = (
        ("/v1/ask?stream=true", {"question": BRICS_UNITS})
        if how == "query"
        else ("/v1/ask", {"question": BRICS_UNITS, "stream": True})
    )
    response = client.post(url, json=body)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    assert {name for name, _ in events[:-1]} == {"chunk"}
    name, data = events[-1]
    assert name == "answer"
    final = json.loads(data)
    assert final.keys() >= CONTRACT_KEYS
    assert "".join(json.loads(d)["text"] for _, d in events[:-1]) == final["answer"]


# ------------------------------------------------------------------------------------------ read-only views


def test_search_returns_whole_clauses(client: TestClient) -> None:
    body = client.post("/v1/search", json={"question": "金砖创新基地提供哪些知识产权服务？", "k": 8}).json()
    clauses = [hit["clause"] for hit in body["hits"]]
    assert len(clauses) >= 5
    assert clauses[0] == "16"
    assert len(set(clauses)) == len(clauses)


def test_documents_outline(client: TestClient) -> None:
    (plan,) = [d for d in client.get("/v1/documents").json() if d["doc_id"] == PLAN_ID]
    assert plan["number"] == "厦府〔2022〕333号"
    assert [c["clause"] for c in plan["clauses"]][:3] == ["notice", "intro", "part-1"]
    assert len([c for c in plan["clauses"] if c["kind"] == "measure"]) == 23


def test_clause_view_in_both_languages(client: TestClient) -> None:
    view = client.get(f"/v1/documents/{PLAN_ID}/clauses/16").json()
    assert view["title"] == "构建金砖创新基地服务体系"
    assert view["title_en"] == "Building the BRICS PartNIR Innovation Center Service System"
    assert view["label"]["zh"] == f"《{PLAN_TITLE}》四、(十六)"
    assert view["text"].startswith("围绕厦门金砖国家新工业革命伙伴关系创新基地建设")
    assert view["text_en"].startswith("In support of building the Xiamen BRICS")
    assert view["note"] == "Unofficial English translation; the Chinese original prevails."
    units = {u["zh"]: u["en"] for u in view["responsible_units"]}
    assert units["金砖办"] == "Xiamen BRICS Innovation Center Office"
    assert (view["part"], view["previous"], view["next"]) == ("part-4", "15", "17")


def test_table_clause_has_bilingual_rows(client: TestClient) -> None:
    view = client.get(f"/v1/documents/{PLAN_ID}/clauses/table1").json()
    ClauseView.model_validate(view)
    table = view["table"]
    assert table["columns"] == ["主要指标", "单位", "基期值", "预期值", "备注"]
    assert table["column_years"] == [None, None, 2021, 2025, None]
    rows = table["rows"]
    assert len(rows) == 10
    assert rows[1] == {
        "indicator": "海外发明专利授权量",
        "indicator_en": "Overseas invention patents granted",
        "unit": None,
        "unit_en": None,
        "baseline": 2357,
        "target": 3600,
        "remark": "累计值",
        "remark_en": "cumulative",
        "cells": {
            "主要指标": "海外发明专利授权量",
            "单位": None,
            "基期值": "2357",
            "预期值": "3600",
            "备注": "累计值",
        },
        "cells_en": {
            "主要指标": "Overseas invention patents granted",
            "单位": None,
            "基期值": None,
            "预期值": None,
            "备注": "cumulative",
        },
    }


def test_unknown_clause_is_a_json_404(client: TestClient) -> None:
    response = client.get(f"/v1/documents/{PLAN_ID}/clauses/99")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("q", ["知识产权", "智慧財產權", "intellectual property"])
def test_glossary_search(client: TestClient, q: str) -> None:
    terms = client.get("/v1/glossary", params={"q": q}).json()
    assert terms[0]["zh"] == "知识产权"
    assert terms[0]["en"].startswith("intellectual property")


def test_citation_line_for_staff(client: TestClient, bot: Any) -> None:
    from bot.schema import Citation

    body = client.post("/v1/ask", json={"question": BRICS_UNITS}).json()
    citation = Citation(**body["citations"][0])
    line = citation_line(citation, "zh-Hans", bot.corpus)
    assert line.startswith(f"《{PLAN_TITLE}》四、(十六)：“")
    assert citation.quote in line
    assert citation_line(citation, "zh-Hant", bot.corpus).startswith(
        "《廈門市國家知識產權強市建設示範城市工作方案(2022-2025年)》四、(十六)：「"
    )
    assert citation_line(citation, "en", bot.corpus).startswith('Work Plan, Part IV, Measure (16): "')


# ------------------------------------------------------------------------------------------ feedback


def test_feedback_is_persisted(bot: Any, tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    feedback_client = TestClient(create_app(bot, feedback=store))
    assert store.count() == 0
    response = feedback_client.post(
        "/v1/feedback", json={"rating": 1, "comment": "清楚", "question": BRICS_UNITS, "answer_id": "a1"}
    )
    assert response.status_code == 200
    assert response.json()["id"] == 1
    assert store.count() == 1
    assert feedback_client.post("/v1/feedback", json={"rating": 0}).status_code == 422
    assert feedback_client.post("/v1/feedback", json={"rating": -1, "comment": "x" * 2001}).status_code == 422
    assert store.count() == 1
    # Feedback on the same answer again updates its record, rather than counting the answer twice.
    again = feedback_client.post(
        "/v1/feedback", json={"rating": -1, "question": BRICS_UNITS, "answer_id": "a1"}
    )
    assert again.json()["id"] == 1 and store.count() == 1 and store.rating(1) == -1


def test_feedback_store_takes_concurrent_writers(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")

    def write() -> None:
        for i in range(25):
            store.add(1 if i % 2 else -1, "ok", "q", None)

    threads = [threading.Thread(target=write) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.count() == 200
    with pytest.raises(ValueError):
        store.add(2, "", "", None)


def test_feedback_without_store_is_disabled(client: TestClient) -> None:
    response = client.post("/v1/feedback", json={"rating": 1})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "feedback_disabled"


# ------------------------------------------------------------------------------------------ admin, limits, errors


def test_admin_is_disabled_without_a_token(client: TestClient) -> None:
    response = client.post("/v1/admin/reindex", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "admin_disabled", "message": "admin disabled"}}


def test_admin_needs_the_right_bearer_token(bot: Any) -> None:
    calls: list[int] = []
    admin = TestClient(
        create_app(
            with_server_settings(bot, admin_token=SecretStr(ADMIN_TOKEN)), reindex=lambda: calls.append(1)
        )
    )
    assert admin.post("/v1/admin/reindex").status_code == 401
    assert (
        admin.post(
            "/v1/admin/reindex", headers={"Authorization": "Bearer wrong-token-of-some-length"}
        ).status_code
        == 403
    )
    assert (
        admin.post("/v1/admin/reindex", headers={"Authorization": f"Basic {ADMIN_TOKEN}"}).status_code == 401
    )
    assert calls == []
    response = admin.post("/v1/admin/reindex", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert response.status_code == 200
    assert calls == [1]


def test_oversize_question_is_refused_with_json(client: TestClient, bot: Any) -> None:
    limit = bot.settings.server.max_question_chars
    response = client.post("/v1/ask", json={"question": "专" * (limit + 1)})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "question_too_long"


def test_oversize_body_is_refused(client: TestClient) -> None:
    history = [{"role": "user", "content": "x" * 15_000}] * 5
    response = client.post("/v1/ask", json={"question": "专利", "history": history})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


@pytest.mark.parametrize(
    "body",
    [b'{"question": "', b"[1, 2", b'{"question": ""}', b'{"question": "x", "lang": "fr"}', b'{"q": "x"}'],
)
def test_malformed_requests_get_json_422(client: TestClient, body: bytes) -> None:
    response = client.post("/v1/ask", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] in {"invalid_request", "empty_question"}
    assert error["message"]


def test_rate_limit_per_client(bot: Any) -> None:
    limited = TestClient(create_app(with_server_settings(bot, rate_limit_per_minute=3)))
    statuses = [limited.get("/v1/documents").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = limited.get("/v1/glossary")
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) >= 1
    assert limited.get("/healthz").status_code == 200  # probes are never limited


def test_internal_errors_do_not_leak(bot: Any) -> None:
    class Broken:
        settings = bot.settings

        def search_json(self, question: str, k: int | None = None) -> dict:
            raise RuntimeError("secret internals at /srv/index")

    app = create_app(Broken())  # type: ignore[arg-type]
    response = TestClient(app, raise_server_exceptions=False).post("/v1/search", json={"question": "专利"})
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "internal_error", "message": "internal server error"}}
    assert "secret" not in response.text


def test_cors_is_closed_by_default(client: TestClient, bot: Any) -> None:
    response = client.get("/v1/documents", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers
    opened = TestClient(create_app(with_server_settings(bot, cors_origins=["https://portal.example"])))
    response = opened.get("/v1/documents", headers={"Origin": "https://portal.example"})
    assert response.headers["access-control-allow-origin"] == "https://portal.example"


def test_health_ready_and_docs(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    assert client.get("/docs").status_code == 200
    assert "/v1/chat/completions" in client.get("/openapi.json").json()["paths"]


def test_access_and_answer_logs_are_structured(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="policybot"):
        client.post("/v1/ask", json={"question": BRICS_UNITS})
    access = [json.loads(r.message) for r in caplog.records if r.name == "policybot.access"]
    answers = [json.loads(r.message) for r in caplog.records if r.name == "policybot.answers"]
    assert access[-1]["method"] == "POST" and access[-1]["path"] == "/v1/ask" and access[-1]["status"] == 200
    assert isinstance(access[-1]["ms"], float)
    assert answers[-1]["clauses"] == ["16"] and answers[-1]["language"] == "zh-Hans"
    assert {"abstained", "backend", "timings_ms"} <= answers[-1].keys()
    assert "testclient" not in json.dumps(answers[-1])  # no client address in answer logs


# ------------------------------------------------------------------------------------------ OpenAI-compatible


def test_models_lists_policybot(client: TestClient) -> None:
    assert [m["id"] for m in client.get("/v1/models").json()["data"]] == ["policybot"]


def test_chat_completion(client: TestClient) -> None:
    messages = [{"role": "system", "content": "be brief"}, {"role": "user", "content": BRICS_UNITS}]
    body = client.post(
        "/v1/chat/completions", json={"model": "policybot", "messages": messages, "temperature": 0}
    ).json()
    assert body["object"] == "chat.completion"
    content = body["choices"][0]["message"]["content"]
    assert body["choices"][0]["finish_reason"] == "stop"
    assert "\n\n来源：\n1. 《" in content
    assert body["citations"][0]["clause"] == "16"


def test_chat_completion_stream(client: TestClient) -> None:
    messages = [
        {
            "role": "user",
            "content": "Which departments are responsible for the BRICS innovation base service system?",
        }
    ]
    response = client.post(
        "/v1/chat/completions", json={"model": "policybot", "messages": messages, "stream": True}
    )
    events = sse_events(response.text)
    assert events[-1] == (None, "[DONE]")
    chunks = [json.loads(data) for _, data in events[:-1]]
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"}
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["citations"][0]["clause"] == "16"
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks)
    assert "\n\nSources:\n1. Work Plan, Part IV, Measure (16)" in text


def test_chat_completion_needs_a_user_message(client: TestClient) -> None:
    response = client.post("/v1/chat/completions", json={"messages": [{"role": "system", "content": "hi"}]})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "no_question"


def test_openai_client_against_a_real_server(bot: Any) -> None:
    from openai import OpenAI

    with running_server(create_app(bot)) as url:
        client = OpenAI(base_url=f"{url}/v1", api_key="not-needed", max_retries=0, timeout=60)
        assert [m.id for m in client.models.list()] == ["policybot"]
        history = [
            {"role": "user", "content": "金砖创新基地有什么服务？"},
            {"role": "assistant", "content": "见第十六条。"},
        ]
        completion = client.chat.completions.create(
            model="policybot",
            messages=[*history, {"role": "user", "content": BRICS_UNITS}],  # type: ignore[list-item]
        )
        content = completion.choices[0].message.content or ""
        assert "金砖办" in content
        assert (completion.model_extra or {})["citations"][0]["clause"] == "16"
        stream = client.chat.completions.create(
            model="policybot",
            messages=[{"role": "user", "content": BRICS_UNITS}],
            stream=True,
            extra_body={"lang": "en"},
        )
        streamed = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
        assert "Xiamen BRICS Innovation Center Office" in streamed
        assert "Sources:" in streamed


def test_openapi_docs_are_served_without_a_cdn(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/swagger/swagger-ui-bundle.js" in page.text and "cdn" not in page.text.lower()
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "policybot"


def test_openapi_names_the_loaded_documents_not_one_plan(client: TestClient, bot: Any) -> None:
    spec = client.get("/openapi.json").json()
    description = spec["info"]["description"]
    assert f"Loaded documents ({len(bot.corpus.documents)};" in description
    for document in bot.corpus.documents:
        assert f"《{document.meta.title}》" in description and document.doc_id in description
    # The examples are generic: no document's title, number or id appears outside the description.
    rest = json.dumps({k: v for k, v in spec.items() if k != "info"}, ensure_ascii=False)
    for document in bot.corpus.documents:
        for particular in (document.meta.title, document.meta.number, document.doc_id):
            assert not particular or particular not in rest
    ask = spec["components"]["schemas"]["AskRequest"]["examples"][0]
    assert ask["question"] == "知识产权质押融资有什么支持？"


def test_a_second_document_is_listed_with_its_own_table(tmp_path: Path, corpus_copy: Path) -> None:
    """A document ingested into a corpus copy: named in the API's description, its table with its own columns."""
    from bot.config import Settings
    from bot.corpus.store import CorpusStore
    from bot.wiring import build_bot

    (added,) = CorpusStore(corpus_copy).ingest([LIBRARY / "d3_taiwan_measures_notice.txt"])
    settings = Settings(
        corpus_dir=corpus_copy,
        index_dir=tmp_path / "index",
        data_dir=tmp_path / "data",
        embedding={"backend": "hashing"},
    )
    two = TestClient(create_app(build_bot(settings, progress=False)))
    description = two.get("/openapi.json").json()["info"]["description"]
    assert "Loaded documents (2;" in description
    assert f"《{PLAN_TITLE}》" in description
    assert "《厦门市支持台资企业知识产权创造运用若干措施》" in description
    listed = {d["doc_id"]: d for d in two.get("/v1/documents").json()}
    assert listed.keys() == {PLAN_ID, added.doc_id}
    view = two.get(f"/v1/documents/{added.doc_id}/clauses/table1").json()
    ClauseView.model_validate(view)
    assert view["title"] == "支持标准一览表"
    assert view["table"]["columns"] == ["序号", "支持事项", "支持标准", "上限", "责任单位"]
    assert view["table"]["column_years"] == [None] * 5
    row = view["table"]["rows"][1]["cells"]
    assert row["支持事项"] == "以台湾地区专利申请为优先权基础获得大陆发明专利授权"
    assert row["支持标准"] == "每件加计2000元"


def test_the_docs_read_an_openapi_30_rendition_of_the_same_api(client: TestClient) -> None:
    spec, old = client.get("/openapi.json").json(), client.get("/openapi-3.0.json").json()
    assert spec["openapi"].startswith("3.1") and old["openapi"] == "3.0.3"
    assert old["paths"].keys() == spec["paths"].keys()
    text = json.dumps(old)
    assert '{"type": "null"}' not in text and '"const"' not in text and '"nullable": true' in text
    assert "/openapi-3.0.json" in client.get("/docs").text
