"""Passage vectors kept between builds, keyed by embedder and text, so a rebuild embeds only what changed;
and the embedding of a build's units through that cache."""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np

from bot.embed import Embedder
from bot.schema import Unit


class EmbeddingCache:
    """Passage vectors keyed by (embedder identity, text), so rebuilds embed only what changed."""

    def __init__(self, folder: Path, identity: dict[str, Any]):
        key = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:16]
        self.folder = folder / f"embeddings-{key}"
        self.vectors: dict[str, np.ndarray] = {}
        keys_path, data_path = self.folder / "keys.json", self.folder / "vectors.npy"
        if keys_path.exists() and data_path.exists():
            try:
                keys = json.loads(keys_path.read_text())
                data = np.load(data_path, allow_pickle=False)
                if len(keys) == len(data):
                    self.vectors = dict(zip(keys, data, strict=True))
            except (ValueError, OSError):
                self.vectors = {}

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        keys = list(self.vectors)
        tmp = self.folder / f".tmp-{os.getpid()}-{uuid.uuid4().hex}"
        tmp.mkdir()
        (tmp / "keys.json").write_text(json.dumps(keys))
        np.save(
            tmp / "vectors.npy",
            np.array([self.vectors[k] for k in keys], dtype=np.float32),
            allow_pickle=False,
        )
        for name in ("vectors.npy", "keys.json"):
            os.replace(tmp / name, self.folder / name)
        tmp.rmdir()


# While a build embeds, the cache is saved this often: a build killed half-way keeps what it had embedded.
CHECKPOINT_S = 15.0


def embed_units(
    units: list[Unit], embedder: Embedder, cache: EmbeddingCache | None, progress: bool = True
) -> np.ndarray:
    texts = [u.text for u in units]
    store = cache.vectors if cache is not None else {}
    # Longest first: batches of like lengths waste nothing on padding, and the engines finish together.
    missing = sorted(
        (t for t in dict.fromkeys(texts) if EmbeddingCache.key(t) not in store), key=len, reverse=True
    )
    if missing:
        from tqdm import tqdm

        # Enough at a time for every engine to take two batches; small enough for the bar and checkpoints.
        step, saved_at = embedder.batch_size * max(1, embedder.parallel) * 2, time.monotonic()
        bar = tqdm(total=len(missing), desc="embedding", unit="unit", disable=not progress)
        for start in range(0, len(missing), step):
            chunk = missing[start : start + step]
            for text, vector in zip(chunk, embedder.embed_passages(chunk), strict=True):
                store[EmbeddingCache.key(text)] = vector
            bar.update(len(chunk))
            if cache is not None and time.monotonic() - saved_at > CHECKPOINT_S:
                cache.save()
                saved_at = time.monotonic()
        bar.close()
        if cache is not None:
            cache.save()
    vectors = [store[EmbeddingCache.key(t)] for t in texts]
    return np.array(vectors, dtype=np.float32).reshape(len(texts), embedder.dim)
