"""The benchmark's generated libraries: every variant ingests (its dates changed too), each is its own
text, and the shapes of the fictional documents survive (articles, parts with items, tables)."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.chunk import build_units
from bot.corpus.bilingual import load_bilingual
from bot.corpus.store import CorpusStore
from eval.generate import documents, templates, write
from tests.conftest import CORPUS


def test_generated_documents_ingest_and_are_distinct(tmp_path: Path) -> None:
    count = 2 * len(templates())  # every shape twice
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    store = CorpusStore(corpus)
    added = store.ingest(write(tmp_path / "docs", count))
    assert len(added) == count
    units = build_units(store.load(), load_bilingual(corpus))
    generated = [u for u in units if u.doc_id in {d.doc_id for d in added}]
    assert len(generated) > 50 * count  # real-sized documents, not stubs
    texts = [text for _, text in documents(count)]
    assert len(set(texts)) == count
    kinds = {clause.kind for document in added for clause in document.clauses}
    assert {"article", "table"} <= kinds, kinds
