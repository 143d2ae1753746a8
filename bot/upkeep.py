"""Keeping the index fit for the corpus: when a build is fresh, when a stale or corrupt one may still be
served or fallen back on, and building one when none fits."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.chunk import build_units
from bot.config import Settings
from bot.corpus.bilingual import Bilingual
from bot.corpus.store import CorpusStore
from bot.embed import Embedder
from bot.index import (
    IndexCorrupt,
    IndexError_,
    IndexMissing,
    IndexStale,
    LoadedIndex,
    build_index,
    build_manifest,
    check_fresh,
    complete_builds,
    current_build,
    load_build,
    load_index,
    point_current,
    quarantine,
    read_manifest,
    servable,
)
from bot.lang import chinese_tokens, english_tokens
from bot.schema import Corpus, Unit
from bot.writers import clean_leftovers

log = logging.getLogger("policybot")

CHUNKING_VERSION = 10


def unit_tokens(units: list[Unit]) -> list[list[str]]:
    return [chinese_tokens(u.text) if u.lang == "zh" else english_tokens(u.text) for u in units]


def reader_version() -> str:
    """A hash of the code that reads documents (load, clean, parse, facts, chunk): a build made by other code
    holds another reading of the same files, so it is stale."""
    import hashlib

    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*(root / "corpus").rglob("*.py"), root / "chunk.py"]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def index_settings(settings: Settings) -> dict:
    return {**settings.index.model_dump(), "chunking": CHUNKING_VERSION, "reader": reader_version()}


def ensure_index(
    settings: Settings,
    store: CorpusStore,
    corpus: Corpus | None,
    bilingual: Bilingual,
    embedder: Embedder,
    rebuild: bool = False,
    progress: bool = True,
    serve_stale: bool = False,
) -> LoadedIndex:
    """Load the current index if it is fresh and intact; if it is corrupt, fall back to the last good
    build that fits; otherwise build one (never serve a bad one). With `serve_stale`, an intact build of an
    older corpus or reading is loaded as it is, marked stale, for the caller to rebuild behind it. The corpus
    is parsed (`store.load()`) only when a build is needed and none was given: a fresh build carries the
    corpus as it was read."""
    removed = clean_leftovers(Path(settings.index_dir))
    if removed:
        log.warning("removed what an interrupted build left: %s", ", ".join(removed))
    fingerprint = store.fingerprint()
    wanted = index_settings(settings)
    if not rebuild:
        try:
            manifest = read_manifest(settings.index_dir)
            check_fresh(manifest, fingerprint, embedder.identity, wanted)
            return load_index(settings.index_dir)
        except IndexMissing:
            log.info("no index yet: building")
        except IndexStale as exc:
            stale = (
                load_stale(settings.index_dir, manifest, embedder.identity, str(exc)) if serve_stale else None
            )
            if stale is not None:
                return stale
            log.warning("index is stale (%s): rebuilding", exc)
        except IndexCorrupt as exc:
            log.error("index is corrupt (%s)", exc)
            fallback = fall_back(Path(settings.index_dir), fingerprint, embedder.identity, wanted)
            if fallback is not None:
                return fallback
            log.error("no intact previous build fits the corpus, embedder and settings: rebuilding")
    corpus = corpus if corpus is not None else store.load()
    units = build_units(corpus, bilingual)
    log.warning(
        "building the index: %d documents, %d units to embed or reuse", len(corpus.documents), len(units)
    )
    build_index(
        Path(settings.index_dir), units, unit_tokens(units), embedder, fingerprint, wanted, progress, corpus
    )
    return load_index(settings.index_dir)


def load_stale(index_dir: Path, manifest: dict, identity: dict, why: str) -> LoadedIndex | None:
    """The current build as it is, marked stale, when its vectors still fit the embedder and it is intact."""
    if not servable(manifest, identity):
        return None
    try:
        loaded = load_index(index_dir)
    except (IndexError_, ValueError, OSError, RuntimeError) as exc:
        log.warning("the stale build cannot be served either (%s)", exc)
        return None
    log.warning("index is stale (%s): serving it while a fresh one is built", why)
    loaded.stale = why
    return loaded


def fall_back(index_dir: Path, fingerprint: str, identity: dict, wanted: dict) -> LoadedIndex | None:
    """Re-point `current` at the newest other build that is fresh and passes its checksums, and move the
    corrupt ones aside; None when no build qualifies (corrupt ones are moved aside all the same)."""
    bad = current_build(index_dir)
    chosen: LoadedIndex | None = None
    for candidate in complete_builds(index_dir):
        if candidate == bad:
            continue
        try:
            check_fresh(build_manifest(candidate), fingerprint, identity, wanted)
            loaded = load_build(candidate)
        except IndexStale as exc:
            log.warning("previous build %s does not fit (%s)", candidate.name, exc)
            continue
        except (IndexError_, ValueError, OSError, RuntimeError) as exc:
            log.warning("previous build %s is corrupt too (%s)", candidate.name, exc)
            quarantine(candidate)
            continue
        point_current(index_dir, candidate)
        log.warning("serving the last good build %s", candidate.name)
        chosen = loaded
        break
    if bad is not None:
        quarantine(bad)
    return chosen
