"""Faults the product must survive: a corrupt or half-written index at start, SIGKILL during `policybot
ingest` and `policybot index`, feedback written concurrently through the real HTTP API and across a
server restart. (An LLM backend that is down, slow or returns garbage is covered in tests/test_answer.py.)

Every bot here uses the hashing embedder in temporary folders, so the file runs in well under a minute.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

import httpx
import pytest

from bot.api import create_app
from bot.config import Settings
from bot.corpus.store import CorpusStore
from bot.feedback import FeedbackStore
from bot.index import complete_builds, current_build, load_index
from bot.wiring import build_bot
from tests.conftest import FIXTURES, ROOT
from tests.servers import running_server

BRICS_UNITS = "构建金砖创新基地服务体系由哪些单位负责？"  # measure (16) on the plan
POLICYBOT = Path(sys.executable).with_name("policybot")


# ------------------------------------------------------------------------------------------ helpers


def checksums(folder: Path, visible_only: bool = False) -> dict[str, str]:
    """sha256 of every file under a folder (optionally skipping dot-named temporary files)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or (visible_only and path.name.startswith(".")):
            continue
        found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def served(index_dir: Path) -> tuple[str, dict[str, str]]:
    """The build `current` points at and the checksums of its files."""
    target = current_build(index_dir)
    assert target is not None and target.is_dir()
    return target.name, checksums(target)


def partials(index_dir: Path) -> list[str]:
    builds = index_dir / "builds"
    return (
        sorted(p.name for p in builds.iterdir() if p.name.startswith(".partial-")) if builds.is_dir() else []
    )


def cli_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env |= {
        "BOT_CORPUS_DIR": str(settings.corpus_dir),
        "BOT_INDEX_DIR": str(settings.index_dir),
        "BOT_DATA_DIR": str(settings.data_dir),
        "BOT_EMBEDDING__BACKEND": "hashing",
    }
    return env


def killed_run(args: list[str], env: dict[str, str], when: float | Callable[[], bool]) -> tuple[int, float]:
    """Run `policybot ARGS`, SIGKILL it after `when` seconds or as soon as `when()` is true.

    Returns (exit code, seconds it ran); exit code -9 means the kill landed before it finished.
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(POLICYBOT), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        if callable(when):
            deadline = started + 30
            while process.poll() is None and not when() and time.perf_counter() < deadline:
                time.sleep(0.0005)
        else:
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=when)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    return code, time.perf_counter() - started


def distinct_documents(folder: Path, count: int) -> list[Path]:
    """`count` regulations that differ in title and text, so ingest accepts all of them at once."""
    text = (FIXTURES / "regulation.txt").read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(1, count + 1):
        variant = text.replace("（测试样例）", f"（测试样例第{n}号）").replace(
            "结合本市实际", f"结合本市实际第{n}项"
        )
        path = folder / f"regulation-{n}.txt"
        path.write_text(variant, encoding="utf-8")
        paths.append(path)
    return paths


# ------------------------------------------------------------------------------------------ corrupt index


def half_write(build: Path) -> None:
    path = build / "vectors.faiss"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def flip_byte(build: Path) -> None:
    path = build / "units.json"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def drop_units(build: Path) -> None:
    (build / "units.json").unlink()


def truncate_manifest(build: Path) -> None:
    path = build / "manifest.json"
    path.write_bytes(path.read_bytes()[:40])


def remove_build(build: Path) -> None:
    shutil.rmtree(build)


CORRUPTIONS = [half_write, flip_byte, drop_units, truncate_manifest, remove_build]


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=lambda f: f.__name__)
def test_corrupt_current_falls_back_to_last_good_build(settings: Settings, corrupt: Callable) -> None:
    index_dir = settings.index_dir
    good = build_bot(settings, progress=False).retriever.index.folder
    bad = build_bot(settings, rebuild_index=True, progress=False).retriever.index.folder
    assert bad != good and current_build(index_dir) == bad
    good_files = checksums(good)
    corrupt(bad)

    bot = build_bot(settings, progress=False)

    assert bot.retriever.index.folder == good  # the previous build is served, not a rebuild
    assert current_build(index_dir) == good  # and `current` was re-pointed at it
    assert checksums(good) == good_files
    assert [p.name for p in complete_builds(index_dir)] == [good.name]  # the corrupt one moved aside
    assert (
        load_index(index_dir).manifest["corpus_fingerprint"] == CorpusStore(settings.corpus_dir).fingerprint()
    )
    assert [c.clause for c in bot.ask(BRICS_UNITS).citations][:1] == ["16"]

    rebuilt = build_bot(settings, rebuild_index=True, progress=False).retriever.index.folder
    names = {p.name for p in (index_dir / "builds").iterdir()}
    assert names == {good.name, rebuilt.name}  # the next build removed the quarantined corrupt one


def test_corrupt_current_with_stale_previous_is_rebuilt(settings: Settings) -> None:
    index_dir = settings.index_dir
    old = build_bot(settings, progress=False).retriever.index.folder
    CorpusStore(settings.corpus_dir).ingest([FIXTURES / "regulation.txt"])
    bad = build_bot(settings, progress=False).retriever.index.folder  # stale → rebuilt for the new corpus
    assert bad != old
    half_write(bad)

    bot = build_bot(settings, progress=False)

    served_folder = bot.retriever.index.folder
    assert served_folder not in (old, bad)  # the stale previous build is not served either
    assert current_build(index_dir) == served_folder
    manifest = load_index(index_dir).manifest
    assert manifest["corpus_fingerprint"] == CorpusStore(settings.corpus_dir).fingerprint()
    assert any(u.doc_id.startswith("001_") and u.clause == "4" for u in bot.retriever.index.units)
    assert not (index_dir / "builds" / bad.name).exists()


def test_corrupt_current_and_previous_are_rebuilt(settings: Settings) -> None:
    index_dir = settings.index_dir
    first = build_bot(settings, progress=False).retriever.index.folder
    second = build_bot(settings, rebuild_index=True, progress=False).retriever.index.folder
    flip_byte(first)
    half_write(second)

    bot = build_bot(settings, progress=False)

    assert bot.retriever.index.folder not in (first, second)
    assert current_build(index_dir) == bot.retriever.index.folder
    assert complete_builds(index_dir) == [bot.retriever.index.folder]  # no corrupt one kept as "last good"
    assert load_index(index_dir).manifest["counts"]["clauses"] == 32
    assert [c.clause for c in bot.ask(BRICS_UNITS).citations][:1] == ["16"]


def test_abandoned_partial_builds_are_ignored_and_cleaned(settings: Settings) -> None:
    index_dir = settings.index_dir
    first = build_bot(settings, progress=False).retriever.index.folder
    builds = index_dir / "builds"
    gone = subprocess.Popen(["true"])
    gone.wait()
    dead = builds / f".partial-{gone.pid}-20200101000000-deadbeef"  # its writer has exited
    legacy = builds / ".partial-20200101000000-cafebabe"  # the older naming, without a pid
    live = builds / f".partial-{os.getpid()}-20200101000000-0badf00d"  # a writer that is still running
    for folder in (dead, legacy, live):
        folder.mkdir()
        (folder / "units.json").write_text("[")  # half-written

    assert build_bot(settings, progress=False).retriever.index.folder == first  # ignored when loading
    build_bot(settings, rebuild_index=True, progress=False)

    assert not dead.exists() and not legacy.exists()
    assert live.exists()  # a concurrent build's folder is not pulled from under it


# ------------------------------------------------------------------------------------------ SIGKILL


def test_sigkill_during_index_never_touches_the_served_index(settings: Settings) -> None:
    index_dir = settings.index_dir
    env = cli_env(settings)
    build_bot(settings, progress=False)
    builds = index_dir / "builds"

    def partial_started() -> bool:
        return bool(partials(index_dir))

    def partial_half_written() -> bool:
        return any((builds / name / "vectors.faiss").exists() for name in partials(index_dir))

    moments: list[float | Callable[[], bool]] = [0.05, 0.2, 0.5, 0.8, partial_started, partial_half_written]
    interrupted_mid_build = 0
    for when in moments:
        before_name, before_files = served(index_dir)
        code, _ = killed_run(["index"], env, when)
        after_name, after_files = served(index_dir)
        if after_name == before_name:
            assert after_files == before_files, f"served build changed after a kill at {when}"
        else:  # the run got as far as the swap: the old build is kept intact as the last good one
            assert checksums(builds / before_name) == before_files
        if code == -signal.SIGKILL and partials(index_dir):
            interrupted_mid_build += 1
        load_index(index_dir)  # what is served verifies against its checksums
    assert interrupted_mid_build >= 1, "no kill landed while a build was half-written"

    leftovers = partials(index_dir)
    served_name = served(index_dir)[0]
    assert build_bot(settings, progress=False).retriever.index.folder.name == served_name  # no rebuild

    code, _ = killed_run(["index"], env, 60)  # an uninterrupted build
    assert code != -signal.SIGKILL
    assert not partials(index_dir), f"abandoned {leftovers} were not cleaned by the next build"
    assert served(index_dir)[0] != served_name
    assert {p.name for p in complete_builds(index_dir)} == {served(index_dir)[0], served_name}


def test_sigkill_during_ingest_leaves_catalogue_all_or_nothing(settings: Settings, tmp_path: Path) -> None:
    documents = distinct_documents(tmp_path / "incoming", 4)
    corpus = settings.corpus_dir
    env = cli_env(settings)
    before = checksums(corpus, visible_only=True)
    catalogue_before = (corpus / "catalogue.json").read_bytes()
    documents_before = [d.doc_id for d in CorpusStore(corpus).load().documents]

    reference = tmp_path / "reference"
    shutil.copytree(corpus, reference)
    subprocess.run(
        [str(POLICYBOT), "ingest", *map(str, documents)],
        env=cli_env(settings.model_copy(update={"corpus_dir": reference})),
        check=True,
        capture_output=True,
    )
    catalogue_after = (reference / "catalogue.json").read_bytes()
    documents_after = [d.doc_id for d in CorpusStore(reference).load().documents]
    assert len(documents_after) == len(documents_before) + 4

    sources = corpus / "sources"
    names: set[str] = set()

    def commit_started() -> bool:
        return bool(set(os.listdir(sources)) - names)

    outcomes = []
    for when in [0.05, 0.2, commit_started, 0.5]:
        names = set(os.listdir(sources))
        code, _ = killed_run(["ingest", *map(str, documents)], env, when)
        catalogue = (corpus / "catalogue.json").read_bytes()
        assert catalogue in (catalogue_before, catalogue_after), f"catalogue half-changed by a kill at {when}"
        loaded = [d.doc_id for d in CorpusStore(corpus).load().documents]  # every catalogued file verifies
        if catalogue == catalogue_after:
            assert loaded == documents_after
            assert checksums(corpus, visible_only=True) == checksums(reference, visible_only=True)
            return  # ingested completely: later kills would be re-ingests
        assert loaded == documents_before
        catalogued = {k: v for k, v in checksums(corpus, visible_only=True).items() if k in before}
        assert catalogued == before, f"an existing corpus file changed after a kill at {when}"
        outcomes.append(code)
    assert -signal.SIGKILL in outcomes


def test_sigkill_during_ingest_leaves_no_stray_files(settings: Settings, tmp_path: Path) -> None:
    documents = distinct_documents(tmp_path / "incoming", 4)
    corpus = settings.corpus_dir
    before, fingerprint = checksums(corpus), CorpusStore(corpus).fingerprint()
    sources = corpus / "sources"
    names = set(os.listdir(sources))
    code, _ = killed_run(
        ["ingest", *map(str, documents)], cli_env(settings), lambda: bool(set(os.listdir(sources)) - names)
    )
    assert code == -signal.SIGKILL
    assert checksums(corpus)["catalogue.json"] == before["catalogue.json"]  # killed inside the commit
    # Copies that landed before the kill are not corpus: the index stays fresh, the next ingest removes them.
    assert CorpusStore(corpus).fingerprint() == fingerprint
    assert CorpusStore(corpus).load().documents == CorpusStore(corpus).load().documents
    CorpusStore(corpus).ingest(documents[:1])
    catalogued = {Path(m.path).name for m in CorpusStore(corpus).metas()}
    assert set(os.listdir(sources)) == catalogued


# ------------------------------------------------------------------------------------------ feedback


def post_feedback(base: str, prefix: str, count: int) -> list[int]:
    ids = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for n in range(count):
            comment = f"{prefix}-{n:03d}"
            response = client.post(
                "/v1/feedback", json={"rating": 1 if n % 2 else -1, "comment": comment, "question": "q"}
            )
            assert response.status_code == 200, response.text
            ids.append(response.json()["id"])
    return ids


def test_concurrent_feedback_across_restart_keeps_every_record_once(
    settings: Settings, record_property: Callable[[str, object], None]
) -> None:
    bot = build_bot(settings, progress=False)
    database = settings.data_dir / "feedback.sqlite3"
    threads, per_thread, after_restart = 16, 25, 4
    expected: set[str] = set()
    ids: list[int] = []

    with running_server(create_app(bot, FeedbackStore(database)), must_stop=True) as base:
        with ThreadPoolExecutor(threads) as pool:
            batches = pool.map(lambda t: post_feedback(base, f"t{t:02d}", per_thread), range(threads))
            ids += [i for batch in batches for i in batch]
        expected |= {f"t{t:02d}-{n:03d}" for t in range(threads) for n in range(per_thread)}
    assert FeedbackStore(database).count() == threads * per_thread

    with running_server(
        create_app(bot, FeedbackStore(database)), must_stop=True
    ) as base:  # restarted on the same file
        with ThreadPoolExecutor(after_restart) as pool:
            batches = pool.map(lambda t: post_feedback(base, f"r{t:02d}", per_thread), range(after_restart))
            ids += [i for batch in batches for i in batch]
        expected |= {f"r{t:02d}-{n:03d}" for t in range(after_restart) for n in range(per_thread)}

    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT id, comment FROM feedback").fetchall()
    comments = [comment for _, comment in rows]
    sent = (threads + after_restart) * per_thread
    record_property("feedback_sent", sent)
    record_property("feedback_stored", len(rows))
    record_property("feedback_unique", len(set(comments)))
    record_property("feedback_lost", len(expected - set(comments)))
    assert len(rows) == sent == len(expected)
    assert set(comments) == expected and len(set(comments)) == len(comments)  # every record exactly once
    assert sorted(ids) == sorted(i for i, _ in rows)  # each acknowledged id is the stored row


def test_feedback_database_survives_sigkill_of_the_server(
    settings: Settings, record_property: Callable[[str, object], None]
) -> None:
    """A server process killed mid-stream of writes: every acknowledged record is there, the file opens."""
    build_bot(settings, progress=False)  # the index, so the server starts without building
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = (
        "import sys, uvicorn\n"
        "from bot.api import create_app\nfrom bot.config import Settings\n"
        "from bot.feedback import FeedbackStore\nfrom bot.wiring import build_bot\n"
        "s = Settings()\n"
        "app = create_app(build_bot(s, progress=False), FeedbackStore(s.data_dir / 'feedback.sqlite3'))\n"
        "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[1]), log_level='warning')\n"
    )
    env = cli_env(settings) | {"BOT_SERVER__RATE_LIMIT_PER_MINUTE": "1000000"}
    server = subprocess.Popen(
        [sys.executable, "-c", script, str(port)], env=env, cwd=ROOT, stderr=subprocess.DEVNULL
    )
    acknowledged: list[str] = []
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, "server did not start"
                time.sleep(0.05)

        def writer(t: int) -> None:
            with httpx.Client(base_url=base, timeout=5) as client:
                for n in range(1000):
                    comment = f"k{t}-{n}"
                    try:
                        response = client.post("/v1/feedback", json={"rating": 1, "comment": comment})
                    except httpx.TransportError:
                        return
                    if response.status_code == 200:
                        acknowledged.append(comment)

        workers = [threading.Thread(target=writer, args=(t,)) for t in range(4)]
        for worker in workers:
            worker.start()
        while len(acknowledged) < 100 and server.poll() is None:
            time.sleep(0.01)
        os.kill(server.pid, signal.SIGKILL)
        for worker in workers:
            worker.join(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
        server.wait(timeout=10)

    with sqlite3.connect(settings.data_dir / "feedback.sqlite3") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = [c for (c,) in connection.execute("SELECT comment FROM feedback")]
    record_property("killed_acknowledged", len(acknowledged))
    record_property("killed_lost", len(set(acknowledged) - set(stored)))
    assert len(acknowledged) >= 100
    assert set(acknowledged) <= set(stored)  # nothing acknowledged was lost
    assert len(stored) == len(set(stored))  # nothing written twice
