"""The HTTP edges a client meets besides answers: errors in the documented shape for every method and path
(405 with Allow, HEAD on GET endpoints, unknown /v1 paths), a full disk, retries under an Idempotency-Key,
and .docx files whose XML would take long to parse."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import upload
from bot.api import build_server
from bot.corpus.store import CorpusStore
from bot.feedback import FeedbackStore
from bot.idempotency import RequestLog
from bot.upload import MAX_DOCX_XML_BYTES
from bot.wiring import build_bot
from tests.servers import running_server
from tests.test_security import REGULATION, REGULATION_TITLE, multipart, settings_for


def documented_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code and response.json()["error"]["message"]


# ------------------------------------------------------------------------------------------ methods and paths


@pytest.fixture(scope="module")
def served(bot: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The whole server (API and the UI mounted at "/"), as `serve` runs it."""
    feedback = FeedbackStore(tmp_path_factory.mktemp("edges") / "feedback.sqlite3")
    with running_server(build_server(bot, feedback)) as url:
        yield url


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/v1/ask", "POST"),
        ("DELETE", "/v1/feedback", "POST"),
        ("PUT", "/healthz", "GET, HEAD"),
        ("POST", "/v1/documents", "GET, HEAD"),
        ("PATCH", "/v1/chat/completions", "POST"),
    ],
)
def test_a_wrong_method_is_405_with_allow(served: str, method: str, path: str, allow: str) -> None:
    response = httpx.request(method, served + path)
    documented_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == allow


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/v1/documents", "/openapi.json"])
def test_head_on_a_get_endpoint_gives_its_headers_without_a_body(served: str, path: str) -> None:
    got, head = httpx.get(served + path), httpx.head(served + path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


@pytest.mark.parametrize("path", ["/v1", "/v1/", "/v1/nothing", "/v1/ask/more", "/v1/admin/nothing"])
def test_an_unknown_api_path_is_404_in_the_documented_shape(served: str, path: str) -> None:
    documented_error(httpx.post(served + path, json={}), 404, "not_found")
    documented_error(httpx.get(served + path), 404, "not_found")


def test_the_page_is_still_served_beside_them(served: str) -> None:
    assert httpx.get(served + "/").status_code == 200
    assert httpx.head(served + "/").status_code in (200, 405)  # Gradio's own answer for its own page


# ------------------------------------------------------------------------------------------ idempotency


@pytest.fixture
def site(tmp_path: Path, corpus_copy: Path) -> Iterator[tuple[str, Any]]:
    settings = settings_for(tmp_path, corpus_copy)
    bot = build_bot(settings, progress=False)
    feedback = FeedbackStore(settings.data_dir / "feedback.sqlite3")
    with running_server(build_server(bot, feedback)) as url:
        yield url, settings


def test_feedback_sent_again_under_its_key_is_saved_once(site: tuple[str, Any]) -> None:
    url, settings = site
    body = {"rating": 1, "comment": "清楚"}
    first = httpx.post(f"{url}/v1/feedback", json=body, headers={"Idempotency-Key": "fb-1"})
    again = httpx.post(f"{url}/v1/feedback", json=body, headers={"Idempotency-Key": "fb-1"})
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    other = httpx.post(f"{url}/v1/feedback", json=body, headers={"Idempotency-Key": "fb-2"})
    assert other.json()["id"] != first.json()["id"]
    assert FeedbackStore(settings.data_dir / "feedback.sqlite3").count() == 2
    reused = httpx.post(f"{url}/v1/feedback", json={"rating": -1}, headers={"Idempotency-Key": "fb-1"})
    documented_error(reused, 422, "idempotency_key_reused")
    documented_error(
        httpx.post(f"{url}/v1/feedback", json=body, headers={"Idempotency-Key": "bad key"}),
        422,
        "invalid_request",
    )


def test_an_ingest_sent_again_under_its_key_adds_nothing_twice(site: tuple[str, Any]) -> None:
    url, settings = site
    upload = multipart((b"regulation.txt", REGULATION))
    headers = {**upload["headers"], "Idempotency-Key": "ingest-1"}
    first = httpx.post(f"{url}/v1/admin/ingest", content=upload["content"], headers=headers, timeout=120)
    again = httpx.post(f"{url}/v1/admin/ingest", content=upload["content"], headers=headers, timeout=120)
    assert first.status_code == again.status_code == 200, again.text
    assert first.json() == again.json()
    titles = [d.meta.title for d in CorpusStore(settings.corpus_dir).load().documents]
    assert titles.count(REGULATION_TITLE) == 1
    # Without a key the same file is a duplicate, as before.
    plain = httpx.post(f"{url}/v1/admin/ingest", **upload, timeout=120)
    documented_error(plain, 422, "ingest_failed")


def test_the_retry_of_an_ingest_killed_after_its_commit_completes_it(site: tuple[str, Any]) -> None:
    """The first attempt claimed its key and committed the file, then the server died before replying."""
    url, settings = site
    upload = multipart((b"regulation.txt", REGULATION))
    headers = {**upload["headers"], "Idempotency-Key": "ingest-killed"}
    from bot.api.routes.admin import claim

    log = RequestLog(settings.data_dir / "requests.sqlite3", "ingest")
    assert claim(log, "ingest-killed", [("regulation.txt", REGULATION)])[0] == "new"
    staged = settings.data_dir / "regulation.txt"
    staged.write_bytes(REGULATION)
    CorpusStore(settings.corpus_dir).ingest([staged])

    retry = httpx.post(f"{url}/v1/admin/ingest", content=upload["content"], headers=headers, timeout=120)
    assert retry.status_code == 200, retry.text
    assert [d["title"] for d in retry.json()["documents"]] == [REGULATION_TITLE]
    titles = [d.meta.title for d in CorpusStore(settings.corpus_dir).load().documents]
    assert titles.count(REGULATION_TITLE) == 1


# ------------------------------------------------------------------------------------------ uploads


def docx_with_xml(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        paragraph = "<w:p><w:r><w:t>知识产权</w:t></w:r></w:p>"
        body = paragraph * (size // len(paragraph.encode()) + 1)
        archive.writestr("word/document.xml", f'<w:document xmlns:w="w"><w:body>{body}</w:body></w:document>')
    return buffer.getvalue()


def test_a_docx_with_more_xml_than_a_document_holds_is_refused_before_parsing(site: tuple[str, Any]) -> None:
    url, settings = site
    before = (settings.corpus_dir / "catalogue.json").read_bytes()
    bomb = docx_with_xml(MAX_DOCX_XML_BYTES + 1024)
    assert len(bomb) < 1024 * 1024  # small on the wire
    response = httpx.post(f"{url}/v1/admin/ingest", **multipart((b"big.docx", bomb)), timeout=60)
    documented_error(response, 422, "content_mismatch")
    assert "XML" in response.json()["error"]["message"]
    assert (settings.corpus_dir / "catalogue.json").read_bytes() == before


# ------------------------------------------------------------------------------------------ full disk


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MB tmpfs (skipped where this machine cannot mount one)."""
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(descriptor, b"\0" * 65536)
    except OSError:
        pass
    finally:
        os.close(descriptor)
    return filler


def test_a_full_disk_is_507_and_loses_nothing(tmp_path: Path, corpus_copy: Path, full_disk: Path) -> None:
    corpus = full_disk / "corpus"
    shutil.copytree(corpus_copy, corpus)
    settings = settings_for(tmp_path, corpus).model_copy(update={"data_dir": full_disk / "data"})
    bot = build_bot(settings, progress=False)
    feedback = FeedbackStore(settings.data_dir / "feedback.sqlite3")
    catalogue = (corpus / "catalogue.json").read_bytes()
    with running_server(build_server(bot, feedback)) as url:
        kept = httpx.post(f"{url}/v1/feedback", json={"rating": 1, "comment": "before"}).json()["id"]
        filler = fill(full_disk)
        comment = "满" * 2000
        response = httpx.post(f"{url}/v1/feedback", json={"rating": -1, "comment": comment})
        documented_error(response, 507, "insufficient_storage")
        ingest = httpx.post(
            f"{url}/v1/admin/ingest", **multipart((b"regulation.txt", REGULATION)), timeout=60
        )
        documented_error(ingest, 507, "insufficient_storage")
        filler.unlink()  # space freed: the same requests now succeed
        assert httpx.post(f"{url}/v1/feedback", json={"rating": -1, "comment": comment}).status_code == 200
    assert (corpus / "catalogue.json").read_bytes() == catalogue
    assert feedback.rating(kept) == 1
    assert not list((settings.data_dir / "uploads").glob("ingest-*"))


def test_files_whose_reading_takes_too_long_are_refused_before_the_lock(
    site: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trial read runs in a process of its own and is stopped at the limit (here far below what starting
    that process takes, so every upload runs into it)."""
    url, settings = site
    before = (settings.corpus_dir / "catalogue.json").read_bytes()
    monkeypatch.setattr(upload, "MAX_READ_S", 0.05)
    started = time.monotonic()
    response = httpx.post(f"{url}/v1/admin/ingest", **multipart((b"regulation.txt", REGULATION)), timeout=60)
    documented_error(response, 422, "read_timeout")
    assert time.monotonic() - started < 5
    assert (settings.corpus_dir / "catalogue.json").read_bytes() == before
    assert not list((settings.data_dir / "uploads").glob("ingest-*"))
    monkeypatch.setattr(upload, "MAX_READ_S", 60.0)
    added = httpx.post(f"{url}/v1/admin/ingest", **multipart((b"regulation.txt", REGULATION)), timeout=120)
    assert added.status_code == 200, added.text
