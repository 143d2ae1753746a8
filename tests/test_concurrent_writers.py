"""Writers in several processes at once: concurrent ingests all land in the catalogue (it is read, changed
and written back under a lock on the corpus folder)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bot.corpus.store import CorpusStore
from tests.test_faults import POLICYBOT, cli_env, distinct_documents, settings  # noqa: F401


def test_concurrent_ingests_in_separate_processes_lose_nothing(settings, tmp_path: Path) -> None:  # noqa: F811
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
