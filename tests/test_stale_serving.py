"""Served through crashes: a stale index answers at once while a fresh one is built behind it, a build killed
half-way keeps what it embedded, and what crashed writers left behind is cleaned at the next start."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from contextlib import suppress
from pathlib import Path

import httpx
import numpy as np
import pytest

from bot import embed_cache, upload
from bot.config import Settings
from bot.corpus.store import CorpusStore
from bot.embed import HashingEmbedder
from bot.embed_cache import EmbeddingCache, embed_units
from bot.index import current_build
from bot.schema import Unit
from bot.wiring import build_bot
from bot.writers import clean_leftovers
from tests.servers import free_port, serve_process, wait_ready

SUBJECTS = [
    "专利",
    "商标",
    "著作权",
    "地理标志",
    "商业秘密",
    "集成电路布图设计",
    "植物新品种",
    "数据知识产权",
]
ACTIONS = ["登记", "质押融资", "许可使用", "转让", "维权援助", "纠纷调解", "价值评估", "保险补偿"]
TOPIC = "海洋生物样本共享"  # a phrase only the long document below uses


def long_regulation(articles: int) -> str:
    """A regulation of `articles` distinct articles (each its own retrieval unit), about a topic of its own."""
    lines = ["厦门市海洋生物样本共享与知识产权服务办法（测试样例）", "", "第一章　总则", ""]
    for n in range(1, articles + 1):
        subject, action = SUBJECTS[n % len(SUBJECTS)], ACTIONS[(n // len(SUBJECTS)) % len(ACTIONS)]
        lines += [
            f"第{n}条　{subject}{action}服务第{n}项：服务机构应当在{n % 28 + 2}个工作日内办结，"
            f"并向{TOPIC}平台报送第{n}批{subject}数据{n * 3}件。",
            "",
        ]
    lines += [f"第{articles + 1}条　本办法由市市场监督管理局（知识产权局）负责解释，自2026年1月1日起施行。"]
    return "\n".join(lines)


def serve(settings: Settings, port: int, token: str, log: Path | None = None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")} | {
        "BOT_CORPUS_DIR": str(settings.corpus_dir),
        "BOT_INDEX_DIR": str(settings.index_dir),
        "BOT_DATA_DIR": str(settings.data_dir),
        "BOT_SERVER__ADMIN_TOKEN": token,
        "BOT_SERVER__RATE_LIMIT_PER_MINUTE": "1000000",
    }
    return serve_process(env, port, log)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


@pytest.mark.slow
def test_killed_mid_rebuild_after_an_ingest_answers_within_15_s_of_restart(
    bot: object, corpus_copy: Path, tmp_path: Path
) -> None:
    """The real server with the real embedder: an ingest's rebuild is killed with SIGKILL; on restart the last
    good build answers (readyz and every answer say it is stale) while the fresh one is built; then the new
    document is answered too."""
    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "index", data_dir=tmp_path / "data")
    # The plan's vectors as the session's build left them: the rebuild then embeds the new document only.
    shutil.copytree(Settings().index_dir / "cache", settings.index_dir / "cache")
    token, port = "s3cret-token-for-the-test", free_port()
    base = f"http://127.0.0.1:{port}"
    document = tmp_path / "incoming" / "ocean.txt"
    document.parent.mkdir()
    document.write_text(long_regulation(400), encoding="utf-8")

    server = serve(settings, port, token, tmp_path / "first.log")
    try:
        first = wait_ready(base, server, 120)
        assert first["stale"] is None
        said = (tmp_path / "first.log").read_text(encoding="utf-8")
        assert "building the index" in said  # a first run says what it is doing, then where to go
        assert f"web UI at {base}/ · API docs at {base}/docs" in said
        ingest = threading.Thread(  # answered only after the rebuild, which the kill below cuts short
            target=lambda: _post_ingest(base, token, document), daemon=True
        )
        ingest.start()
        builds = settings.index_dir / "builds"
        deadline = time.monotonic() + 60
        while not any(p.name.startswith(".partial-") for p in builds.iterdir()):
            assert time.monotonic() < deadline, "the ingest never started a rebuild"
            time.sleep(0.01)
        time.sleep(1.0)  # well into embedding the new document's units
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
    finally:
        stop(server)
    assert any(d.doc_id for d in CorpusStore(corpus_copy).load().documents if TOPIC in d.meta.title)
    crashed = {p.name for p in builds.iterdir() if p.name.startswith(".partial-")}
    assert crashed, "the kill did not land mid-build"

    restarted = time.monotonic()
    server = serve(settings, port, token)
    try:
        status = wait_ready(base, server, 15)
        answered_after = time.monotonic() - restarted
        assert status["stale"], "the old build was served without saying it is stale"
        assert status["built_at"] == first["built_at"]
        answer = httpx.post(
            f"{base}/v1/ask", json={"question": "知识产权质押融资有哪些支持措施？"}, timeout=30
        )
        assert answer.status_code == 200
        assert answer.json()["citations"][0]["clause"] == "14", answer.json()  # the pledge-financing measure
        assert any("rebuilt" in n or "重建" in n for n in answer.json()["notices"])
        assert not crashed & {p.name for p in builds.iterdir()}  # what the crashed build left is gone

        deadline = time.monotonic() + 180
        while wait_ready(base, server, 10)["stale"]:
            assert time.monotonic() < deadline, "the background rebuild never finished"
            time.sleep(0.5)
        fresh_after = time.monotonic() - restarted
        question = f"{TOPIC}平台报送第37批数据的办结时限是多少个工作日？"
        cited = httpx.post(f"{base}/v1/ask", json={"question": question}, timeout=30).json()
        assert TOPIC in "".join(c["quote"] for c in cited["citations"]), cited
        assert not any("rebuilt" in n or "重建" in n for n in cited["notices"])
    finally:
        stop(server)
    print(f"answered {answered_after:.1f} s after the restart; fresh after {fresh_after:.1f} s")
    assert answered_after <= 15


def _post_ingest(base: str, token: str, document: Path) -> None:
    with suppress(httpx.TransportError):  # the server is killed under it
        httpx.post(
            f"{base}/v1/admin/ingest",
            headers={"Authorization": f"Bearer {token}"},
            files={"files": (document.name, document.read_bytes(), "text/plain")},
            timeout=300,
        )


def test_a_stale_index_is_served_only_when_asked(settings: Settings, tmp_path: Path) -> None:
    first = build_bot(settings, progress=False).retriever.index
    document = tmp_path / "ocean.txt"
    document.write_text(long_regulation(3), encoding="utf-8")
    CorpusStore(settings.corpus_dir).ingest([document])

    stale = build_bot(settings, progress=False, serve_stale=True)
    assert stale.retriever.index.folder == first.folder
    assert stale.retriever.index.stale == "the corpus changed since the index was built"
    assert not any(TOPIC in d.meta.title for d in stale.corpus.documents)  # the corpus as that build read it
    notices = stale.ask("知识产权质押融资有哪些支持措施？").notices
    assert notices[-1] == stale.composer.message("notice.index_stale", "zh")

    fresh = build_bot(settings, progress=False)  # the CLI's way: never answer from a stale index
    assert fresh.retriever.index.folder != first.folder and fresh.retriever.index.stale is None
    assert not any("重建" in n for n in fresh.ask("知识产权质押融资有哪些支持措施？").notices)


def test_an_index_of_another_embedder_is_never_served_stale(settings: Settings) -> None:
    first = build_bot(settings, progress=False).retriever.index
    manifest = first.folder / "manifest.json"
    recorded = json.loads(manifest.read_text())
    manifest.write_text(json.dumps(recorded | {"embedder": {"backend": "hashing", "dim": 128}}))
    rebuilt = build_bot(settings, progress=False, serve_stale=True).retriever.index
    assert rebuilt.folder != first.folder and rebuilt.stale is None  # its vectors cannot be compared


def test_a_killed_build_keeps_the_vectors_it_had_embedded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    units = [
        Unit(id=n, doc_id="d", clause=str(n), kind="sentence", lang="zh", text=f"第{n}条的文字")
        for n in range(64)
    ]
    embedder = HashingEmbedder(dim=32)
    calls = 0

    class Killed(Exception):
        pass

    class DiesHalfWay(HashingEmbedder):
        batch_size = 8  # a build hands it 16 texts a time (two batches): 64 units are four calls

        def embed_passages(self, texts: list[str]) -> np.ndarray:
            nonlocal calls
            calls += 1
            if calls > 2:
                raise Killed
            return embedder.embed_passages(texts)

    monkeypatch.setattr(embed_cache, "CHECKPOINT_S", 0.0)  # save after every batch
    cache = EmbeddingCache(tmp_path / "cache", embedder.identity)
    with pytest.raises(Killed):
        embed_units(units, DiesHalfWay(dim=32), cache, progress=False)
    kept = EmbeddingCache(tmp_path / "cache", embedder.identity)
    assert len(kept.vectors) == 32  # the two calls embedded before the crash
    again = embed_units(units, embedder, kept, progress=False)
    assert np.allclose(again, embedder.embed_passages([u.text for u in units]))


def test_leftovers_of_gone_writers_are_removed_and_a_live_ones_kept(tmp_path: Path) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()
    index_dir, data_dir = tmp_path / "index", tmp_path / "data"
    dead = [
        index_dir / "builds" / f".partial-{gone.pid}-20260101000000-deadbeef",
        index_dir / "cache" / "e5" / f".tmp-{gone.pid}-0123abcd",
        data_dir / upload.UPLOADS / f"{upload.STAGING}{gone.pid}-x1y2",
        data_dir / upload.UPLOADS / f"{upload.STAGING}q9z8",  # the older naming, without a pid
    ]
    live = [
        index_dir / "builds" / f".partial-{os.getpid()}-20260101000000-0badf00d",
        index_dir / "cache" / "e5" / f".tmp-{os.getpid()}-4567cdef",
        data_dir / upload.UPLOADS / f"{upload.STAGING}{os.getpid()}-a1b2",
    ]
    for folder in dead + live:
        folder.mkdir(parents=True)
        (folder / "half.json").write_text("[")
    link = index_dir / ".current-1234abcd"
    link.symlink_to("builds/none")
    os.utime(link, (0, 0), follow_symlinks=False)  # a swap killed long ago

    removed = clean_leftovers(index_dir) + upload.clean_staging(data_dir)
    assert sorted(removed) == sorted([p.name for p in dead] + [link.name])
    assert not any(p.exists() for p in dead) and not link.is_symlink()
    assert all(p.exists() for p in live)
    assert current_build(index_dir) is None


@pytest.mark.parametrize(
    "rows",
    [
        '[{"bogus": 1}]',
        '{"not": "a list"}',
        '[{"id": 0, "doc_id": "d", "clause": "1", "kind": "sentence"}]',
        "[1]",
    ],
)
def test_a_units_file_rewritten_with_a_matching_checksum_is_quarantined_and_rebuilt(
    settings: Settings, rows: str
) -> None:
    first = build_bot(settings, progress=False).retriever.index.folder
    (first / "units.json").write_text(rows, encoding="utf-8")
    manifest = json.loads((first / "manifest.json").read_text())
    manifest["checksums"]["units.json"] = hashlib.sha256(rows.encode()).hexdigest()
    (first / "manifest.json").write_text(json.dumps(manifest))

    bot = build_bot(settings, progress=False, serve_stale=True)  # no traceback: a fresh build instead
    assert bot.retriever.index.folder != first and bot.retriever.index.stale is None
    assert (first.parent / f".corrupt-{first.name}").exists() or not first.exists()
    assert (
        bot.ask("知识产权质押融资有哪些支持措施？").citations[0].clause == "14"
    )  # the pledge-financing measure
