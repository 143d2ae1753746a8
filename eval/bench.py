"""Speed and memory: index build, search latency p50/p95 beside the bare query-embedding cost (the floor),
on the real plan and on a synthetic corpus of ~50k units (flat vs HNSW). Prints tables.

    python -m eval.bench [--synthetic 50000] [--queries 60]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def stage_timings(questions: list[str], stages: dict[str, Callable[[str], object]]) -> dict[str, list[float]]:
    """Milliseconds per question for each stage, the stages run one after another on each question."""
    timings: dict[str, list[float]] = {name: [] for name in stages}
    for question in questions:
        for name, stage in stages.items():
            started = time.perf_counter()
            stage(question)
            timings[name].append((time.perf_counter() - started) * 1000)
    return timings


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=60)
    args = parser.parse_args(argv)

    from bot.config import Settings
    from bot.wiring import build_bot
    from eval.run import load_questions

    questions = [q["q"] for q in load_questions(ROOT / "eval" / "questions.jsonl")][: args.queries]
    started = time.perf_counter()
    bot = build_bot(Settings(), rebuild_index=True, progress=False)
    build_s = time.perf_counter() - started
    embedder = bot.retriever.embedder
    embedder.embed_queries(["warm up"])
    bot.search("warm up")

    timings = stage_timings(
        questions,
        {
            "bridge": bot.lexicon.bridged,
            "embed": lambda q: embedder.embed_queries([q]),
            "search": bot.search,
            "ask": bot.ask,
        },
    )
    embed_ms, search_ms, ask_ms, bridge_ms = (timings[k] for k in ("embed", "search", "ask", "bridge"))
    manifest = bot.retriever.index.manifest
    print(
        f"\nreal plan: {manifest['counts']['units']} units, index build {build_s:.1f} s (embeddings cached: "
        f"{manifest['build_seconds']} s inside build), peak RSS {rss_mb():.0f} MB"
    )
    if bot.lexicon.bridge is not None:
        from bot.bridge import TermBridge

        words = {
            t
            for u, ts in zip(bot.retriever.index.units, bot.retriever.index.tokens, strict=True)
            if u.lang == "zh"
            for t in ts
        }
        t = time.perf_counter()
        TermBridge.for_words(words)
        print(
            f"dictionary bridge: {len(bot.lexicon.bridge.phrases)} phrases, rebuilt in "
            f"{(time.perf_counter() - t) * 1000:.0f} ms at start-up (CC-CEDICT read once per process)"
        )
    print(f"{'operation':<34}{'p50 ms':>10}{'p95 ms':>10}{'× embed p50':>14}")
    floor = percentiles(embed_ms)[0]
    for name, samples in (
        ("bare query embedding (floor)", embed_ms),
        ("dictionary bridge (English words)", bridge_ms),
        ("search (hybrid)", search_ms),
        ("ask (search + answer)", ask_ms),
    ):
        p50, p95 = percentiles(samples)
        print(f"{name:<34}{p50:>10.2f}{p95:>10.2f}{p50 / floor:>14.2f}")

    if args.synthetic:
        from bot.index import make_faiss

        rng = np.random.default_rng(0)
        vectors = rng.standard_normal((args.synthetic, embedder.dim)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        queries = vectors[rng.integers(0, args.synthetic, 200)] + 0.05 * rng.standard_normal(
            (200, embedder.dim)
        ).astype(np.float32)
        print(
            f"\nsynthetic {args.synthetic} units × {embedder.dim} dims (vector search only; add the embedding floor above)"
        )
        print(f"{'index':<10}{'build s':>10}{'p50 ms':>10}{'p95 ms':>10}{'recall@10':>12}")
        exact = make_faiss(vectors, "flat")
        _, truth = exact.search(queries, 10)
        for kind in ("flat", "hnsw", "ivf"):
            t = time.perf_counter()
            index = make_faiss(vectors, kind)
            built = time.perf_counter() - t
            timings = []
            found = []
            for q in queries:
                t = time.perf_counter()
                _, ids = index.search(q[None, :], 10)
                timings.append((time.perf_counter() - t) * 1000)
                found.append(ids[0])
            recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)])
            p50, p95 = percentiles(timings)
            print(f"{kind:<10}{built:>10.2f}{p50:>10.3f}{p95:>10.3f}{recall:>12.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
