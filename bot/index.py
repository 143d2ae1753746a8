"""Build, verify and load the vector (FAISS) and keyword (bm25s over jieba / English tokens) indexes.

Layout: `index/builds/<id>/` holds one complete build (vectors.faiss, units.json, manifest.json);
`index/current` is a symlink swapped atomically once a build is complete. The manifest records the
corpus fingerprint, the embedder identity and a sha256 of every artefact: a stale or foreign index is
rebuilt, a corrupt one is refused. Nothing is unpickled.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.embed import Embedder
from bot.schema import Unit

FORMAT_VERSION = 1
ARTEFACTS = ("vectors.faiss", "units.json")


class IndexError_(RuntimeError):
    """The index cannot be used; the message says why and what to do."""


class IndexMissing(IndexError_):
    pass


class IndexStale(IndexError_):
    pass


class IndexCorrupt(IndexError_):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
        tmp = self.folder / f".tmp-{uuid.uuid4().hex}"
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


def make_faiss(vectors: np.ndarray, kind: str = "flat", hnsw_m: int = 32, ivf_lists: int = 256) -> Any:
    import faiss

    dim = vectors.shape[1]
    index: Any
    if kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = 64
    elif kind == "ivf":
        quantizer = faiss.IndexFlatIP(dim)
        lists = max(1, min(ivf_lists, len(vectors) // 39))
        index = faiss.IndexIVFFlat(quantizer, dim, lists, faiss.METRIC_INNER_PRODUCT)
        index.train(vectors)
        index.nprobe = min(16, lists)
    else:
        index = faiss.IndexFlatIP(dim)
    index.add(vectors)
    return index


def build_index(
    index_dir: Path,
    units: list[Unit],
    unit_tokens: list[list[str]],
    embedder: Embedder,
    fingerprint: str,
    settings: dict[str, Any],
    progress: bool = True,
) -> Path:
    """Write a complete build in its own folder, verify it, then point `current` at it atomically."""
    import faiss

    started = time.perf_counter()
    index_dir.mkdir(parents=True, exist_ok=True)
    builds = index_dir / "builds"
    builds.mkdir(exist_ok=True)
    build = builds / f".partial-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
    build.mkdir()
    try:
        cache = EmbeddingCache(index_dir / "cache", embedder.identity)
        vectors = embed_units(units, embedder, cache, progress)
        faiss.write_index(
            make_faiss(
                vectors,
                settings.get("kind", "flat"),
                settings.get("hnsw_m", 32),
                settings.get("ivf_lists", 256),
            ),
            str(build / "vectors.faiss"),
        )
        payload = [{**u.model_dump(), "tokens": tokens} for u, tokens in zip(units, unit_tokens, strict=True)]
        (build / "units.json").write_text(json.dumps(payload, ensure_ascii=False))
        manifest = {
            "format": FORMAT_VERSION,
            "corpus_fingerprint": fingerprint,
            "embedder": embedder.identity,
            "settings": settings,
            "counts": {
                "units": len(units),
                "clauses": len({(u.doc_id, u.clause) for u in units}),
                "dim": int(vectors.shape[1]),
            },
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "build_seconds": round(time.perf_counter() - started, 3),
            "checksums": {name: _sha256(build / name) for name in ARTEFACTS},
        }
        (build / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        final = builds / build.name.removeprefix(".partial-")
        os.replace(build, final)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    _point_current(index_dir, final)
    _prune(builds, keep={final.name})
    return final


def _point_current(index_dir: Path, build: Path) -> None:
    link = index_dir / "current"
    tmp = index_dir / f".current-{uuid.uuid4().hex[:8]}"
    os.symlink(os.path.relpath(build, index_dir), tmp)
    os.replace(tmp, link)


def _prune(builds: Path, keep: set[str]) -> None:
    """Keep the new build and the one before it (a last good index), drop older and abandoned ones."""
    complete = sorted((p for p in builds.iterdir() if not p.name.startswith(".")), key=lambda p: p.name)
    survivors = set(keep) | {p.name for p in complete[-2:]}
    for path in builds.iterdir():
        if path.name not in survivors:
            shutil.rmtree(path, ignore_errors=True)


@dataclass
class LoadedIndex:
    folder: Path
    manifest: dict[str, Any]
    units: list[Unit]
    tokens: list[list[str]]
    vectors: Any


def read_manifest(index_dir: Path) -> dict[str, Any]:
    current = index_dir / "current"
    if not current.exists():
        raise IndexMissing(f"no index at {index_dir}; run `policybot index`")
    try:
        return json.loads((current / "manifest.json").read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise IndexCorrupt(f"index manifest unreadable ({exc}); run `policybot index`") from None


def check_fresh(
    manifest: dict[str, Any], fingerprint: str, identity: dict[str, Any], settings: dict[str, Any]
) -> None:
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexStale("index format changed")
    if manifest.get("corpus_fingerprint") != fingerprint:
        raise IndexStale("the corpus changed since the index was built")
    if manifest.get("embedder") != identity:
        raise IndexStale(f"index built with a different embedder ({manifest.get('embedder')})")
    if manifest.get("settings") != settings:
        raise IndexStale("index settings changed")


def load_index(index_dir: Path) -> LoadedIndex:
    """Load the current build after verifying every artefact against the manifest's checksums."""
    import faiss

    manifest = read_manifest(index_dir)
    folder = (index_dir / "current").resolve()
    for name, expected in manifest.get("checksums", {}).items():
        path = folder / name
        if not path.exists():
            raise IndexCorrupt(f"index file {name} is missing; run `policybot index`")
        if _sha256(path) != expected:
            raise IndexCorrupt(
                f"index file {name} fails its checksum (corrupt or half-written); run `policybot index`"
            )
    if set(manifest.get("checksums", {})) != set(ARTEFACTS):
        raise IndexCorrupt("index manifest does not list every artefact; run `policybot index`")
    rows = json.loads((folder / "units.json").read_text())
    units = [Unit(**{k: v for k, v in row.items() if k != "tokens"}) for row in rows]
    tokens = [row["tokens"] for row in rows]
    vectors = faiss.read_index(str(folder / "vectors.faiss"))
    if vectors.ntotal != len(units):
        raise IndexCorrupt("vector count does not match the units; run `policybot index`")
    return LoadedIndex(folder=folder, manifest=manifest, units=units, tokens=tokens, vectors=vectors)
