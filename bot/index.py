"""Build, verify and load the vector (FAISS) and keyword (bm25s over jieba / English tokens) indexes.

Layout: `index/builds/<id>/` holds one complete build (vectors.faiss, units.json, manifest.json);
`index/current` is a symlink swapped atomically once a build is complete. The manifest records the
corpus fingerprint, the embedder identity and a sha256 of every artefact: a stale or foreign index is
rebuilt, a corrupt one is refused. Nothing is unpickled.

A build is written under `builds/.partial-<pid>-…` and renamed when complete, so a killed build leaves
only a dot-folder that loading ignores and the next build removes (once its writer is gone). The build
that `current` pointed to before a swap is kept as the last good one; a corrupt build is moved aside
to `builds/.corrupt-<id>`.
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
from bot.embed_cache import EmbeddingCache, embed_units
from bot.schema import Corpus, Unit
from bot.writers import PARTIAL, clean_leftovers, exclusive

FORMAT_VERSION = 2
# The parsed corpus with its facts is stored with the vectors: what was read at ingest is served as read.
ARTEFACTS = ("vectors.faiss", "units.json", "corpus.json")
CORRUPT = ".corrupt-"


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
    corpus: Corpus | None = None,
) -> Path:
    """Write a complete build in its own folder, verify it, then point `current` at it atomically."""
    import faiss

    index_dir.mkdir(parents=True, exist_ok=True)
    with exclusive(index_dir):  # one build at a time across processes (CLI, workers)
        started = time.perf_counter()
        builds = index_dir / "builds"
        builds.mkdir(exist_ok=True)
        build_id = f"{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        build = builds / f"{PARTIAL}{os.getpid()}-{build_id}"
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
            payload = [
                {**u.model_dump(), "tokens": tokens} for u, tokens in zip(units, unit_tokens, strict=True)
            ]
            (build / "units.json").write_text(json.dumps(payload, ensure_ascii=False))
            (build / "corpus.json").write_text((corpus or Corpus(documents=())).model_dump_json())
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
            final = builds / build_id
            os.replace(build, final)
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            # What else a crash or a full disk left must not fail the next build too.
            clean_leftovers(index_dir)
            raise
        previous = current_build(index_dir)
        point_current(index_dir, final)
        _prune(index_dir, final, previous)
        return final


def point_current(index_dir: Path, build: Path) -> None:
    """Point `index/current` at a build folder with one atomic rename of a fresh symlink."""
    link = index_dir / "current"
    tmp = index_dir / f".current-{uuid.uuid4().hex[:8]}"
    os.symlink(os.path.relpath(build, index_dir), tmp)
    os.replace(tmp, link)


def current_build(index_dir: Path) -> Path | None:
    """The build folder `current` points at (which may be missing), or None without a link."""
    link = index_dir / "current"
    if not link.is_symlink():
        return None
    return (index_dir / os.readlink(link)).resolve()


def complete_builds(index_dir: Path) -> list[Path]:
    """Finished build folders, newest first; partial and quarantined folders are not builds."""
    builds = index_dir / "builds"
    if not builds.is_dir():
        return []
    found = [p.resolve() for p in builds.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return sorted(found, key=lambda p: (p.name[:14], p.stat().st_mtime_ns), reverse=True)


def quarantine(build: Path) -> None:
    """Move a corrupt build aside (`.corrupt-<id>`) so it is never a fallback; the next build removes it."""
    if build.is_dir() and not build.name.startswith("."):
        os.replace(build, build.with_name(f"{CORRUPT}{build.name}"))


def _prune(index_dir: Path, new: Path, previous: Path | None) -> None:
    """Keep the new build and the last good one; drop older, corrupt and abandoned (writer gone) ones."""
    builds = index_dir / "builds"
    keep = {new.name}
    if previous is not None and previous.parent == builds.resolve() and previous.is_dir():
        keep.add(previous.name)
    else:  # no previous link (first build or a dangling one): keep the newest other complete build
        keep.update([p.name for p in complete_builds(index_dir) if p.name != new.name][:1])
    for path in builds.iterdir():
        if path.name in keep or path.name.startswith(PARTIAL):
            continue
        shutil.rmtree(path, ignore_errors=True)
    clean_leftovers(index_dir)


@dataclass
class LoadedIndex:
    folder: Path
    manifest: dict[str, Any]
    units: list[Unit]
    tokens: list[list[str]]
    vectors: Any
    corpus: Corpus | None = None
    # Why this build no longer matches the corpus or settings, when it is served until a fresh one is ready.
    stale: str | None = None


def read_manifest(index_dir: Path) -> dict[str, Any]:
    current = index_dir / "current"
    if current.is_symlink() and not current.exists():
        raise IndexCorrupt(f"index/current points at a missing build ({os.readlink(current)})")
    if not current.exists():
        raise IndexMissing(f"no index at {index_dir}; run `policybot index`")
    return build_manifest(current)


def build_manifest(folder: Path) -> dict[str, Any]:
    """One build folder's manifest; IndexCorrupt when it is missing or unreadable."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"index manifest unreadable ({exc}); run `policybot index`") from None
    if not isinstance(manifest, dict):
        raise IndexCorrupt("index manifest is not an object; run `policybot index`")
    return manifest


def check_fresh(
    manifest: dict[str, Any], fingerprint: str, identity: dict[str, Any], settings: dict[str, Any]
) -> None:
    if not servable(manifest, identity):
        raise IndexStale("index format or embedder changed")
    if manifest.get("corpus_fingerprint") != fingerprint:
        raise IndexStale("the corpus changed since the index was built")
    if manifest.get("settings") != settings:
        raise IndexStale("index settings or the code that reads documents changed")


def servable(manifest: dict[str, Any], identity: dict[str, Any]) -> bool:
    """Whether a build can answer at all with this embedder: its format is read by this code and its vectors
    are comparable with the questions' (a build of an older corpus or reading still can, while a fresh one
    is made)."""
    return manifest.get("format") == FORMAT_VERSION and manifest.get("embedder") == identity


def load_index(index_dir: Path) -> LoadedIndex:
    """Load the current build after verifying every artefact against the manifest's checksums."""
    read_manifest(index_dir)  # missing or dangling `current` is told apart here
    return load_build((index_dir / "current").resolve())


def load_build(folder: Path) -> LoadedIndex:
    """Load one build folder after verifying every artefact against its manifest's checksums."""
    import faiss

    manifest = build_manifest(folder)
    checksums = manifest.get("checksums")
    if not isinstance(checksums, dict):
        raise IndexCorrupt("index manifest has no checksums; run `policybot index`")
    for name, expected in checksums.items():
        path = folder / name
        if not path.exists():
            raise IndexCorrupt(f"index file {name} is missing; run `policybot index`")
        if _sha256(path) != expected:
            raise IndexCorrupt(
                f"index file {name} fails its checksum (corrupt or half-written); run `policybot index`"
            )
    if set(checksums) != set(ARTEFACTS):
        raise IndexCorrupt("index manifest does not list every artefact; run `policybot index`")
    try:  # a file rewritten with its checksum updated to match still has to be what this code wrote
        rows = json.loads((folder / "units.json").read_text(encoding="utf-8"))
        units = [Unit(**{k: v for k, v in row.items() if k != "tokens"}) for row in rows]
        tokens = [[str(t) for t in row["tokens"]] for row in rows]
        vectors = faiss.read_index(str(folder / "vectors.faiss"))
    except (ValueError, TypeError, KeyError, AttributeError, RuntimeError) as exc:
        raise IndexCorrupt(f"index files are malformed ({str(exc)[:80]}); run `policybot index`") from None
    if vectors.ntotal != len(units):
        raise IndexCorrupt("vector count does not match the units; run `policybot index`")
    try:
        corpus = Corpus.model_validate_json((folder / "corpus.json").read_text(encoding="utf-8"))
    except ValueError as exc:
        raise IndexCorrupt(
            f"index corpus.json is unreadable ({str(exc)[:80]}); run `policybot index`"
        ) from None
    return LoadedIndex(
        folder=folder, manifest=manifest, units=units, tokens=tokens, vectors=vectors, corpus=corpus
    )
