from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.store import CorpusStore
from bot.schema import Corpus, Document
from tests.fake_openai import FakeOpenAI, serve_fake_openai

# Nothing may download model weights: every model the tests use ships in an installed package.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXTURES = Path(__file__).parent / "fixtures"
PLAN_ID = "000_ea0fa33b9b77872c"
# The answer contract's keys (CONTRACT.md), checked by the CLI and API tests alike.
CONTRACT_KEYS = {
    "question",
    "language",
    "answer",
    "abstained",
    "citations",
    "related",
    "notices",
    "backend",
    "timings_ms",
}
CITATION_KEYS = {"doc_id", "clause", "title", "label", "quote", "quote_en", "responsible_units"}


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return CorpusStore(CORPUS).load()


@pytest.fixture(scope="session")
def plan(corpus: Corpus) -> Document:
    document = corpus.document(PLAN_ID)
    assert document is not None
    return document


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the corpus folder, for tests that change it."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def settings(corpus_copy: Path, tmp_path: Path) -> Settings:
    """A small bot's settings on a corpus copy: the hashing embedder (fast, offline), no rate limit."""
    return Settings(
        corpus_dir=corpus_copy,
        index_dir=tmp_path / "index",
        data_dir=tmp_path / "data",
        embedding={"backend": "hashing"},  # type: ignore[arg-type]
        server={"rate_limit_per_minute": 1_000_000},  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
def openai_server() -> Iterator[FakeOpenAI]:
    """One fake OpenAI-compatible server for the session (tests/fake_openai.py)."""
    with serve_fake_openai() as server:
        yield server


@pytest.fixture
def fake(openai_server: FakeOpenAI) -> FakeOpenAI:
    """The shared fake server with an empty script, no recorded requests and its default behaviour."""
    openai_server.script.clear()
    openai_server.requests.clear()
    openai_server.fallback = ("error", 503)
    return openai_server


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def bot():  # type: ignore[no-untyped-def]
    """The real product: real plan, real E5 embedder, real FAISS and bm25 indexes (built once per session)."""
    from bot.config import Settings
    from bot.wiring import build_bot

    return build_bot(Settings(), progress=False)


@pytest.fixture(scope="session")
def postgres_server():  # type: ignore[no-untyped-def]
    """A real PostgreSQL server for the session (tests/postgres.py); skips, saying why, where none starts,
    and fails instead where POLICYBOT_REQUIRE_POSTGRES is set (CI, once it has installed the server)."""
    from tests.postgres import postgres_server as start

    with start() as server:
        if isinstance(server, str):
            if os.environ.get("POLICYBOT_REQUIRE_POSTGRES"):
                pytest.fail(f"PostgreSQL is required here: {server}")
            pytest.skip(server)
        yield server


@pytest.fixture
def postgres_url(postgres_server) -> str:  # type: ignore[no-untyped-def]
    """A fresh, empty database on the session's server."""
    return str(postgres_server.fresh_database())
