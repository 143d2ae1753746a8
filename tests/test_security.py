"""Security behaviour of the HTTP API: the admin upload (names, types, sizes, where files go), admin tokens,
CORS, secrets kept out of logs, and errors that reveal no internals.

Each test builds a small bot on a private copy of the corpus with the hashing embedder (fast, offline).
"""

from __future__ import annotations

import hmac
import io
import logging
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.api import create_app
from bot.config import Settings
from bot.corpus.store import CorpusStore
from bot.upload import MAX_REQUEST_BYTES, MAX_UPLOAD_BYTES
from bot.wiring import build_bot
from tests.conftest import CORPUS, FIXTURES, PLAN_ID, snapshot
from tests.fake_openai import serve_fake_openai
from tests.helpers import with_server_settings

TOKEN = "admin-token-for-security-tests"
LLM_KEY = "sk-llm-key-that-must-never-be-logged"
REGULATION = (FIXTURES / "regulation.txt").read_bytes()
REGULATION_TITLE = "厦门经济特区知识产权促进和保护条例（测试样例）"
BOUNDARY = "policybot-test-boundary"


def settings_for(root: Path, corpus: Path, **sections: Any) -> Settings:
    server = {"admin_token": TOKEN, **sections.pop("server", {})}
    return Settings(
        corpus_dir=corpus,
        index_dir=root / "index",
        data_dir=root / "data",
        embedding={"backend": "hashing"},
        server=server,
        **sections,
    )


@dataclass
class Site:
    """A small bot on a private corpus copy, its app and what happened to it."""

    root: Path
    settings: Settings
    bot: Any
    client: TestClient
    reindexed: list[int] = field(default_factory=list)

    @property
    def uploads(self) -> Path:
        return self.settings.data_dir / "uploads"

    def files(self) -> set[str]:
        return {str(p.relative_to(self.root)) for p in self.root.rglob("*") if p.is_file()}


@pytest.fixture
def site(tmp_path: Path, corpus_copy: Path) -> Site:
    settings = settings_for(tmp_path, corpus_copy)
    bot = build_bot(settings, progress=False)
    reindexed: list[int] = []
    client = TestClient(create_app(bot, reindex=lambda: reindexed.append(1)), raise_server_exceptions=False)
    return Site(tmp_path, settings, bot, client, reindexed)


def multipart(*files: tuple[bytes, bytes], token: str | None = TOKEN) -> dict[str, Any]:
    """A raw multipart body (file names sent byte for byte, NUL included) with its headers."""
    body = b""
    for name, data in files:
        body += (
            f"--{BOUNDARY}\r\n".encode()
            + b'Content-Disposition: form-data; name="files"; filename="'
            + name
            + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
            + data
            + b"\r\n"
        )
    body += f"--{BOUNDARY}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return {"content": body, "headers": headers}


def assert_uploads_cleaned(site: Site) -> None:
    assert not site.uploads.exists() or list(site.uploads.iterdir()) == []


# ------------------------------------------------------------------------------------------ upload: names


@pytest.mark.parametrize(
    "name",
    [
        b"../../etc/passwd.txt",
        b"..\\x.txt",
        b"/abs.txt",
        b"evil\x00.txt",
        b"ok.txt\x00../../x.txt",
        b"a/../b.txt",
    ],
)
def test_hostile_file_names_write_nothing_anywhere(site: Site, name: bytes) -> None:
    outside = [Path("/etc/passwd.txt"), Path("/abs.txt"), site.root / "x.txt", site.root.parent / "x.txt"]
    assert not any(p.exists() for p in outside)
    before, corpus = site.files(), snapshot(site.settings.corpus_dir)
    response = site.client.post("/v1/admin/ingest", **multipart((name, REGULATION)))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_filename"
    assert site.files() == before
    assert snapshot(site.settings.corpus_dir) == corpus
    assert not any(p.exists() for p in outside)
    assert site.reindexed == []


def test_folders_in_a_name_are_stripped_and_the_file_is_saved_under_a_server_name(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[Path, bytes, int]] = []
    real_ingest = CorpusStore.ingest

    def recording_ingest(store: CorpusStore, paths: Any) -> Any:
        seen.extend((Path(p), Path(p).read_bytes(), Path(p).stat().st_mode) for p in paths)
        return real_ingest(store, paths)

    monkeypatch.setattr(CorpusStore, "ingest", recording_ingest)
    response = site.client.post("/v1/admin/ingest", **multipart((b"sub/dir/regulation.txt", REGULATION)))
    assert response.status_code == 200, response.text
    ((path, data, mode),) = seen
    assert path.parent.parent == site.uploads
    assert re.fullmatch(r"ingest-[^/]+", path.parent.name)
    assert path.name == "upload-01.txt"
    assert data == REGULATION
    assert stat.S_IMODE(mode) & 0o111 == 0  # never executable
    assert not path.parent.exists()  # the temporary folder is gone
    assert_uploads_cleaned(site)
    assert not (site.root / "sub").exists()


# ------------------------------------------------------------------------------------------ upload: types, sizes


def docx_without_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        (b"tool.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, 415, "unsupported_file_type"),
        (b"script.sh", b"#!/bin/sh\nrm -rf /\n", 415, "unsupported_file_type"),
        (b"no-suffix", REGULATION, 415, "unsupported_file_type"),
        (b"binary.txt", bytes(range(256)) * 8, 422, "content_mismatch"),
        (b"renamed.txt", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", 422, "content_mismatch"),
        (b"fake.pdf", "第一条　这不是PDF文件。".encode(), 422, "content_mismatch"),
        (b"fake.docx", b"PK\x03\x04 this is no zip", 422, "content_mismatch"),
        (b"other.docx", docx_without_document(), 422, "content_mismatch"),
        (b"empty.txt", b"", 422, "content_mismatch"),
    ],
)
def test_wrong_types_are_refused(site: Site, name: bytes, data: bytes, status: int, code: str) -> None:
    corpus = snapshot(site.settings.corpus_dir)
    response = site.client.post("/v1/admin/ingest", **multipart((name, data)))
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert name.decode().split("/")[-1] in error["message"]
    assert snapshot(site.settings.corpus_dir) == corpus
    assert_uploads_cleaned(site)
    assert site.reindexed == []


def test_an_unreadable_pdf_is_refused_with_its_reason_and_no_server_path(site: Site) -> None:
    response = site.client.post("/v1/admin/ingest", **multipart((b"broken.pdf", b"%PDF-1.4\nnot really\n")))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "ingest_failed"
    assert error["files"] == [{"file": "broken.pdf", "reason": "not a readable PDF (PdfStreamError)"}]
    assert str(site.root) not in response.text and "uploads" not in response.text
    assert_uploads_cleaned(site)


def test_one_bad_file_adds_nothing(site: Site) -> None:
    corpus = snapshot(site.settings.corpus_dir)
    seed = (CORPUS / "sources" / f"{PLAN_ID}.txt").read_bytes()
    response = site.client.post(
        "/v1/admin/ingest", **multipart((b"new.txt", REGULATION), (b"again.txt", seed))
    )
    assert response.status_code == 422
    (problem,) = response.json()["error"]["files"]
    assert problem["file"] == "again.txt" and problem["reason"].startswith(f"duplicate of {PLAN_ID}")
    assert snapshot(site.settings.corpus_dir) == corpus
    assert_uploads_cleaned(site)
    assert site.reindexed == []


def test_oversize_uploads_are_refused(site: Site) -> None:
    over_file = site.client.post("/v1/admin/ingest", **multipart((b"big.txt", b"a" * (MAX_UPLOAD_BYTES + 1))))
    assert over_file.status_code == 413
    assert over_file.json()["error"]["code"] in {"file_too_large", "upload_too_large"}
    over_body = site.client.post("/v1/admin/ingest", **multipart((b"big.txt", b"a" * MAX_REQUEST_BYTES)))
    assert over_body.status_code == 413
    assert over_body.json()["error"]["code"] == "body_too_large"
    assert_uploads_cleaned(site)


def test_a_non_multipart_body_is_refused(site: Site) -> None:
    response = site.client.post(
        "/v1/admin/ingest", json={"files": ["x"]}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


# ------------------------------------------------------------------------------------------ upload: success


def test_a_good_regulation_is_ingested_and_served_after_a_rebuild(site: Site) -> None:
    response = site.client.post("/v1/admin/ingest", **multipart((b"regulation.txt", REGULATION)))
    assert response.status_code == 200, response.text
    body = response.json()
    (document,) = body["documents"]
    assert document["title"] == REGULATION_TITLE
    assert document["shape"] == "regulation"
    assert document["doc_id"].startswith("001_")
    assert body["reindexed"] is True and site.reindexed == [1]
    assert_uploads_cleaned(site)
    rebuilt = TestClient(create_app(build_bot(site.settings, progress=False)))
    listed = {d["doc_id"]: d["title"] for d in rebuilt.get("/v1/documents").json()}
    assert listed[document["doc_id"]] == REGULATION_TITLE
    assert PLAN_ID in listed
    # The regulation the plan cites is now loaded: a question about it is answered from its own text.
    answer = rebuilt.post(
        "/v1/ask", json={"question": "《厦门经济特区知识产权促进和保护条例》第四条是怎么规定的？"}
    ).json()
    assert not answer["abstained"], answer["answer"]
    assert (answer["citations"][0]["doc_id"], answer["citations"][0]["clause"]) == (document["doc_id"], "4")
    assert "惩罚性赔偿" in answer["citations"][0]["quote"]


# ------------------------------------------------------------------------------------------ admin tokens


@pytest.mark.parametrize("path", ["/v1/admin/reindex", "/v1/admin/ingest"])
@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        (None, 401),
        ("", 401),
        (f"Basic {TOKEN}", 401),
        ("Bearer ", 401),
        ("Bearer wrong", 403),
        (f"Bearer {TOKEN[:-1]}", 403),
        (f"Bearer {TOKEN}x", 403),
        (f"Bearer {TOKEN.upper()}", 403),
        (f"Bearer {'x' * len(TOKEN)}", 403),
    ],
)
def test_admin_refuses_missing_or_wrong_tokens(
    site: Site, path: str, authorization: str | None, status: int
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    # A malformed body too: the token is checked before anything in the body is read.
    response = site.client.post(
        path, content=b"--x\r\nbroken", headers={**headers, "Content-Type": "multipart/form-data; boundary=x"}
    )
    assert response.status_code == status
    assert response.json()["error"]["code"] == ("unauthorized" if status == 401 else "forbidden")
    if status == 401:
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert site.reindexed == []
    assert TOKEN not in response.text


def test_admin_token_is_compared_with_compare_digest(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert site.client.post("/v1/admin/reindex", headers={"Authorization": "Bearer nope"}).status_code == 403
    assert (
        site.client.post("/v1/admin/reindex", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    )
    assert calls == [(b"nope", TOKEN.encode()), (TOKEN.encode(), TOKEN.encode())]
    assert site.reindexed == [1]


def test_admin_is_disabled_without_a_configured_token(tmp_path: Path, corpus_copy: Path) -> None:
    settings = settings_for(tmp_path, corpus_copy, server={"admin_token": None})
    client = TestClient(create_app(build_bot(settings, progress=False), reindex=lambda: None))
    for path in ("/v1/admin/reindex", "/v1/admin/ingest"):
        response = client.post(path, headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "admin_disabled"


# ------------------------------------------------------------------------------------------ CORS


PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}


def test_cors_is_closed_by_default(site: Site) -> None:
    preflight = site.client.options("/v1/ask", headers={"Origin": "https://elsewhere.example", **PREFLIGHT})
    assert "access-control-allow-origin" not in preflight.headers
    simple = site.client.get("/v1/documents", headers={"Origin": "https://elsewhere.example"})
    assert simple.status_code == 200
    assert "access-control-allow-origin" not in simple.headers


ROUTES = (
    "/",
    "/v1/ask",
    "/v1/admin/ingest",
    "/v1/feedback",
    "/v1/documents",
    "/gradio_api/info",
    "/config",
    "/nowhere",
)


@pytest.mark.parametrize("origins", [[], ["https://portal.example"]])
def test_no_route_of_the_whole_server_answers_a_foreign_origin(site: Site, origins: list[str]) -> None:
    """The API with the Gradio UI mounted, over HTTP, under a real host name (Gradio trusts any origin there)."""
    import httpx

    from bot.api import build_server
    from tests.servers import running_server

    bot = with_server_settings(site.bot, cors_origins=origins)
    with running_server(build_server(bot)) as url:
        host = {"Host": "policy.example.gov.cn", "Origin": "https://evil.example"}
        for path in ROUTES:
            for method in ("OPTIONS", "GET", "POST"):
                extra = PREFLIGHT if method == "OPTIONS" else {}
                response = httpx.request(method, url + path, headers={**host, **extra}, timeout=30)
                assert "access-control-allow-origin" not in response.headers, (method, path)
                assert "access-control-allow-credentials" not in response.headers, (method, path)
        if origins:
            allowed = httpx.options(url + "/v1/ask", headers={**host, **PREFLIGHT, "Origin": origins[0]})
            assert allowed.headers["access-control-allow-origin"] == origins[0]


def test_cors_opens_only_to_configured_origins(tmp_path: Path, corpus_copy: Path) -> None:
    settings = settings_for(tmp_path, corpus_copy, server={"cors_origins": ["https://portal.example"]})
    client = TestClient(create_app(build_bot(settings, progress=False)))
    allowed = client.options("/v1/ask", headers={"Origin": "https://portal.example", **PREFLIGHT})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://portal.example"
    assert "POST" in allowed.headers["access-control-allow-methods"]
    refused = client.options("/v1/ask", headers={"Origin": "https://elsewhere.example", **PREFLIGHT})
    assert "access-control-allow-origin" not in refused.headers
    simple = client.get("/v1/documents", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in simple.headers


# ------------------------------------------------------------------------------------------ secrets and internals


@pytest.fixture
def llm_site(tmp_path: Path, corpus_copy: Path) -> Iterator[tuple[Site, Any]]:
    with serve_fake_openai() as fake:
        settings = settings_for(
            tmp_path, corpus_copy, llm={"base_url": fake.url, "model": "fake-model", "api_key": LLM_KEY}
        )
        bot = build_bot(settings, progress=False)
        reindexed: list[int] = []
        client = TestClient(
            create_app(bot, reindex=lambda: reindexed.append(1)), raise_server_exceptions=False
        )
        yield Site(tmp_path, settings, bot, client, reindexed), fake


def test_no_secret_reaches_the_logs(llm_site: tuple[Site, Any], caplog: pytest.LogCaptureFixture) -> None:
    site, fake = llm_site
    fake.queue(("ok", "金砖办负责。[C1]"), ("error", 500))
    with caplog.at_level(logging.DEBUG):
        site.client.post("/v1/ask", json={"question": "构建金砖创新基地服务体系由哪些单位负责？"})
        site.client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "专利质押"}]})
        site.client.post("/v1/admin/reindex", headers={"Authorization": f"Bearer {TOKEN}"})
        site.client.post("/v1/admin/reindex", headers={"Authorization": f"Bearer {TOKEN}-wrong"})
        site.client.post("/v1/admin/ingest", **multipart((b"regulation.txt", REGULATION)))
        logging.getLogger("policybot").debug("settings: %s", site.settings)
    assert fake.requests, "the LLM was never called, so its key was never in play"
    assert fake.requests[0]["headers"]["authorization"] == f"Bearer {LLM_KEY}"
    assert site.reindexed == [1, 1]
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    assert len(caplog.records) > 5
    assert TOKEN not in logged
    assert LLM_KEY not in logged


BOOM = "/secret/path boom"


def boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError(BOOM)


def assert_reveals_nothing(text: str) -> None:
    for leak in ("/secret", "boom", "Traceback", 'File "', ".py", "RuntimeError"):
        assert leak not in text


def test_a_failing_handler_answers_500_without_internals(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(site.bot, "search", boom)
    response = site.client.post("/v1/search", json={"question": "专利"})
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "internal_error", "message": "internal server error"}}
    assert_reveals_nothing(response.text)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/ask", {"question": "专利"}),
        ("/v1/ask", {"question": "专利", "stream": True}),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": "专利"}]}),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": "专利"}], "stream": True}),
    ],
)
def test_failures_while_answering_reveal_nothing(
    site: Site, monkeypatch: pytest.MonkeyPatch, path: str, body: dict
) -> None:
    monkeypatch.setattr(site.bot, "ask", boom)
    response = site.client.post(path, json=body)
    assert_reveals_nothing(response.text)
    if body.get("stream"):
        assert response.status_code == 200  # the stream had started: the failure is its last event
        assert "internal_error" in response.text
    else:
        assert response.status_code == 500
        assert response.json()["error"]["code"] == "internal_error"


def test_a_failing_ingest_reveals_nothing(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CorpusStore, "ingest", boom)
    response = site.client.post("/v1/admin/ingest", **multipart((b"regulation.txt", REGULATION)))
    assert response.status_code == 500
    assert_reveals_nothing(response.text)
    assert str(site.root) not in response.text
    assert_uploads_cleaned(site)


def test_a_failed_reindex_after_ingest_keeps_the_documents_and_says_so(
    tmp_path: Path, corpus_copy: Path
) -> None:
    settings = settings_for(tmp_path, corpus_copy)
    bot = build_bot(settings, progress=False)

    def broken_reindex() -> None:
        raise OSError("disk full")

    client = TestClient(create_app(bot, reindex=broken_reindex), raise_server_exceptions=False)
    response = client.post("/v1/admin/ingest", **multipart((b"regulation.txt", REGULATION)))
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "reindex_failed"
    assert "documents added and kept in the corpus" in error["message"] and "OSError" in error["message"]
    assert "disk full" not in error["message"]  # the detail stays in the server log
    # Nothing lost: the document is in the corpus, and the bot still answers from the previous index.
    assert any(d.meta.title == REGULATION_TITLE for d in CorpusStore(corpus_copy).load().documents)
    assert client.post("/v1/ask", json={"question": "知识产权质押融资有什么支持？"}).status_code == 200
    again = client.post("/v1/admin/reindex", headers={"Authorization": f"Bearer {TOKEN}"})
    assert again.status_code == 503 and again.json()["error"]["code"] == "reindex_failed"
