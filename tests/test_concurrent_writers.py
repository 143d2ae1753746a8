"""Writers in several processes at once: concurrent ingests all land in the catalogue (it is read, changed
and written back under a lock on the corpus folder)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx

from bot.config import Settings
from bot.corpus.store import CorpusStore
from tests.servers import POLICYBOT, free_port, serve_process, wait_ready
from tests.test_faults import cli_env, distinct_documents


def test_concurrent_ingests_in_separate_processes_lose_nothing(settings: Settings, tmp_path: Path) -> None:
    documents = distinct_documents(tmp_path / "incoming", 6)
    before = len(CorpusStore(settings.corpus_dir).metas())
    env = cli_env(settings)
    processes = [
        subprocess.Popen(
            [str(POLICYBOT), "ingest", str(path)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for path in documents
    ]
    errors = [p.communicate(timeout=300)[1].decode() for p in processes]
    assert all(p.returncode == 0 for p in processes), errors
    metas = CorpusStore(settings.corpus_dir).metas()
    assert len(metas) == before + 6, f"{before + 6 - len(metas)} of 6 ingests were lost"
    assert len({m.doc_id for m in metas}) == len(metas)
    assert len(CorpusStore(settings.corpus_dir).load().documents) == before + 6


def test_a_build_made_by_another_process_is_served_without_a_restart(
    settings: Settings, tmp_path: Path
) -> None:
    """The CLI ingests and builds while the server runs: the server loads the new build on its own."""
    from bot.wiring import build_bot

    build_bot(settings, progress=False)  # so the server starts without building
    env = cli_env(settings) | {"BOT_SERVER__RATE_LIMIT_PER_MINUTE": "1000000"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve_process(env, port)
    try:
        wait_ready(base, server, 60)
        served = len(httpx.get(f"{base}/v1/documents").json())
        document = distinct_documents(tmp_path / "incoming", 1)[0]
        for command in (["ingest", str(document)], ["index"]):
            subprocess.run([str(POLICYBOT), *command], env=env, check=True, capture_output=True, timeout=300)
        built = time.monotonic()
        while len(httpx.get(f"{base}/v1/documents").json()) == served:
            assert time.monotonic() - built < 15, "the server never loaded the new build"
            time.sleep(0.2)
        picked_up = time.monotonic() - built
    finally:
        server.kill()
        server.wait(timeout=10)
    print(f"new build served {picked_up:.1f} s after it was made")
