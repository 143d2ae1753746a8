"""Index lifecycle on the real plan: atomic swap, corrupt-index refusal, stale-index rebuild."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.bilingual import load_bilingual
from bot.corpus.store import CorpusStore
from bot.embed import HashingEmbedder
from bot.index import IndexCorrupt, IndexMissing, load_index, read_manifest
from bot.upkeep import ensure_index
from bot.wiring import make_lexicon
from tests.conftest import FIXTURES


@pytest.fixture
def setup(corpus_copy: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "index")
    store = CorpusStore(corpus_copy)
    bilingual = load_bilingual(corpus_copy)
    make_lexicon(bilingual)
    return settings, store, bilingual, HashingEmbedder()


def build(setup, rebuild: bool = False):  # type: ignore[no-untyped-def]
    settings, store, bilingual, embedder = setup
    return ensure_index(settings, store, store.load(), bilingual, embedder, rebuild=rebuild, progress=False)


def test_build_writes_manifest_and_swaps_current(setup) -> None:  # type: ignore[no-untyped-def]
    settings = setup[0]
    with pytest.raises(IndexMissing):
        read_manifest(settings.index_dir)
    first = build(setup)
    assert (settings.index_dir / "current").is_symlink()
    assert first.manifest["counts"]["clauses"] == 32  # notice, intro, 6 parts, 23 measures, table1
    assert first.manifest["embedder"] == {"backend": "hashing", "dim": 256}
    second = build(setup, rebuild=True)
    assert second.folder != first.folder
    assert (settings.index_dir / "current").resolve() == second.folder
    assert not any(p.name.startswith(".partial") for p in (settings.index_dir / "builds").iterdir())


def test_failed_build_leaves_current_untouched(setup, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    first = build(setup)
    import bot.index

    def explode(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(bot.index, "make_faiss", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        build(setup, rebuild=True)
    assert (setup[0].index_dir / "current").resolve() == first.folder
    assert load_index(setup[0].index_dir).manifest == first.manifest


@pytest.mark.parametrize("victim", ["vectors.faiss", "units.json"])
def test_corrupt_index_is_refused_and_rebuilt(setup, victim: str) -> None:  # type: ignore[no-untyped-def]
    first = build(setup)
    path = first.folder / victim
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # half-written
    with pytest.raises(IndexCorrupt, match="checksum"):
        load_index(setup[0].index_dir)
    rebuilt = build(setup)
    assert rebuilt.folder != first.folder
    assert rebuilt.manifest["counts"] == first.manifest["counts"]


def test_stale_index_is_rebuilt_after_ingest(setup) -> None:  # type: ignore[no-untyped-def]
    first = build(setup)
    setup[1].ingest([FIXTURES / "regulation.txt"])
    second = build(setup)
    assert second.manifest["corpus_fingerprint"] != first.manifest["corpus_fingerprint"]
    assert second.manifest["counts"]["clauses"] > first.manifest["counts"]["clauses"]
    assert any(u.clause == "4" and u.doc_id.startswith("001_") for u in second.units)


def test_other_embedder_makes_index_stale(setup) -> None:  # type: ignore[no-untyped-def]
    first = build(setup)
    settings, store, bilingual, _ = setup
    other = ensure_index(settings, store, store.load(), bilingual, HashingEmbedder(dim=128), progress=False)
    assert other.folder != first.folder and other.manifest["embedder"]["dim"] == 128


def test_missing_current_link_target(setup) -> None:  # type: ignore[no-untyped-def]
    first = build(setup)
    shutil.rmtree(first.folder)
    with pytest.raises((IndexMissing, IndexCorrupt)):
        load_index(setup[0].index_dir)
    assert os.path.islink(setup[0].index_dir / "current")
