"""Passage vectors kept between builds, keyed by embedder and text, so a rebuild embeds only what changed;
and the embedding of a build's units through that cache."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import numpy as np

from bot.embed import Embedder
from bot.schema import Unit

PID_MAX = 1 << 22  # Linux's highest possible pid_max


def writer_gone(name: str, prefix: str) -> bool:
    """True when a temporary `<prefix><pid>-…` entry's writing process no longer exists."""
    pid = name.removeprefix(prefix).split("-", 1)[0]
    if not pid.isdigit() or int(pid) > PID_MAX:
        return True  # an older naming scheme without a pid: nobody is writing it any more
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


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
        for leftover in self.folder.glob(".tmp-*"):  # from a save that was killed half-way
            if writer_gone(leftover.name, ".tmp-"):
                shutil.rmtree(leftover, ignore_errors=True)
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


def embed_units(
    units: list[Unit], embedder: Embedder, cache: EmbeddingCache | None, progress: bool = True
) -> np.ndarray:
    texts = [u.text for u in units]
    missing = [t for t in dict.fromkeys(texts) if cache is None or EmbeddingCache.key(t) not in cache.vectors]
    fresh: dict[str, np.ndarray] = {}
    if missing:
        from tqdm import tqdm

        batch = 16
        bar = tqdm(total=len(missing), desc="embedding", unit="unit", disable=not progress)
        for start in range(0, len(missing), batch):
            chunk = missing[start : start + batch]
            for text, vector in zip(chunk, embedder.embed_passages(chunk), strict=True):
                fresh[text] = vector
            bar.update(len(chunk))
        bar.close()
    if cache is not None:
        for text, vector in fresh.items():
            cache.vectors[EmbeddingCache.key(text)] = vector
        if fresh:
            cache.save()
    lookup = (
        (lambda t: fresh[t] if t in fresh else cache.vectors[EmbeddingCache.key(t)])
        if cache
        else fresh.__getitem__
    )
    dim = embedder.dim
    return np.array([lookup(t) for t in texts], dtype=np.float32).reshape(len(texts), dim)
