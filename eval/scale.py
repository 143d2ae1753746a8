"""How cost grows with the library: index builds against the embedding floor, and the full path (BM25 +
FAISS + answer) on generated libraries of about 1k, 10k and 50k units (eval/generate.py), each size in a
process of its own so that its peak RSS is its own.

    python -m eval.scale [--sizes 1000,10000,50000] [--e5-up-to 10000] [--library-documents 100]

The floor is what no build can avoid: embedding each distinct sentence once, one at a time, on one
single-threaded engine (measured in the same run as the build it is compared with). A build is cold: a
fresh index folder and no embedding cache. Sizes above --e5-up-to use the hashing embedder's vectors, said
so in the table: a flat FAISS search costs the same on any vectors of the dimension, BM25 and the answerer
see the real generated text, but which units are retrieved (and so recall) is not the product's.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "index" / "bench-scale"
UNITS_PER_DOCUMENT = 115  # measured on the generated documents (eval/generate.py), to size a library
PLAN_UNITS = 472


def library(size_units: int | None, documents: int | None = None) -> Path:
    """A corpus folder: corpus/ plus enough generated documents for about `size_units` units."""
    from bot.corpus.store import CorpusStore
    from eval.generate import write

    count = (
        documents
        if documents is not None
        else max(1, math.ceil(((size_units or 0) - PLAN_UNITS) / UNITS_PER_DOCUMENT))
    )
    folder = WORK / f"docs-{count}"
    corpus = folder / "corpus"
    if not (folder / "done").exists():
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(ROOT / "corpus", corpus)
        CorpusStore(corpus).ingest(write(folder / "sources", count))
        (folder / "done").write_text("")
    return corpus


def floor_and_cold_build(corpus: Path, label: str) -> dict:
    """Embed each distinct sentence once on one single-threaded engine, then a cold build of the same
    corpus with the product's build settings; their ratio."""
    from bot.chunk import build_units
    from bot.config import Settings
    from bot.corpus.bilingual import load_bilingual
    from bot.corpus.store import CorpusStore
    from bot.embed import E5Embedder
    from bot.wiring import build_bot, one_engine_per_core

    units = build_units(CorpusStore(corpus).load(), load_bilingual(corpus))
    sentences = list(dict.fromkeys(u.text for u in units if u.kind in ("sentence", "english")))
    engine = E5Embedder(batch_size=1, num_threads=1)
    engine.embed_passages(["warm up"])
    started = time.perf_counter()
    for text in sentences:
        engine.embed_passages([text])
    floor_s = time.perf_counter() - started
    del engine

    index_dir = WORK / f"cold-{label}"
    shutil.rmtree(index_dir, ignore_errors=True)
    settings = one_engine_per_core(Settings(corpus_dir=corpus, index_dir=index_dir))
    started = time.perf_counter()
    build_bot(settings, rebuild_index=True, progress=False)
    build_s = time.perf_counter() - started
    shutil.rmtree(index_dir, ignore_errors=True)
    return {
        "library": label,
        "units": len(units),
        "distinct_texts": len({u.text for u in units}),
        "sentences": len(sentences),
        "floor_s": round(floor_s, 1),
        "build_s": round(build_s, 1),
        "ratio": round(build_s / floor_s, 2),
    }


def full_path(size: int, backend: str, queries: int) -> dict:
    """One size, in this process: its index (built cold on the first run, kept for the next), then p50/p95
    per stage."""
    import resource

    from bot.config import Settings
    from bot.embed import E5Embedder
    from bot.wiring import build_bot, one_engine_per_core
    from eval.bench import percentiles, stage_timings
    from eval.run import load_questions

    corpus = library(size)
    settings = one_engine_per_core(
        Settings(
            corpus_dir=corpus, index_dir=WORK / f"index-{size}-{backend}", embedding={"backend": backend}
        )  # type: ignore[arg-type]
    )
    started = time.perf_counter()
    bot = build_bot(settings, progress=False)
    build_s = time.perf_counter() - started
    asked = [q["q"] for q in load_questions(ROOT / "eval" / "library" / "dev" / "questions.jsonl")]
    asked += [q["q"] for q in load_questions(ROOT / "eval" / "questions.jsonl")]
    asked = asked[:queries]
    # The floor is the product's query embedding (E5) whatever vectors the index holds.
    embedder = bot.retriever.embedder if backend == "e5" else E5Embedder(num_threads=1)
    embedder.embed_queries(["warm up"])
    bot.ask("warm up")
    timings = stage_timings(
        asked, {"embed": lambda q: embedder.embed_queries([q]), "search": bot.search, "ask": bot.ask}
    )
    embed_ms, search_ms, ask_ms = timings["embed"], timings["search"], timings["ask"]
    return {
        "size": size,
        "units": bot.retriever.index.manifest["counts"]["units"],
        "documents": len(bot.corpus.documents),
        "vectors": backend,
        "load_or_build_s": round(build_s, 1),
        "index_build_s": bot.retriever.index.manifest["build_seconds"],
        "embed_p50": percentiles(embed_ms)[0],
        "search": percentiles(search_ms),
        "ask": percentiles(ask_ms),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--e5-up-to", type=int, default=10_000, help="larger sizes use hashing vectors")
    parser.add_argument("--library-documents", type=int, default=100, help="0 skips the library build ratio")
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # size:backend, run in a child process
    args = parser.parse_args(argv)
    if args.one:
        size, backend = args.one.split(":")
        print(json.dumps(full_path(int(size), backend, args.queries)))
        return 0

    builds = [floor_and_cold_build(ROOT / "corpus", "the plan")]
    if args.library_documents:
        builds.append(
            floor_and_cold_build(
                library(None, args.library_documents),
                f"{args.library_documents} generated documents + the plan",
            )
        )
    print("\ncold index builds against the embedding floor (each distinct sentence once, one core), same run")
    print(
        f"{'library':<40}{'units':>8}{'distinct':>10}{'sentences':>11}{'floor s':>9}{'build s':>9}{'× floor':>9}"
    )
    for row in builds:
        print(
            f"{row['library']:<40}{row['units']:>8}{row['distinct_texts']:>10}{row['sentences']:>11}"
            f"{row['floor_s']:>9.1f}{row['build_s']:>9.1f}{row['ratio']:>9.2f}"
        )

    rows = []
    for size in (int(s) for s in args.sizes.split(",") if s):
        backend = "e5" if size <= args.e5_up_to else "hashing"
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "eval.scale",
                "--one",
                f"{size}:{backend}",
                "--queries",
                str(args.queries),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print("\nfull path by library size (p50 / p95 ms; 'embed' is the bare query embedding, the floor)")
    print(
        f"{'units':>8}{'docs':>6}{'vectors':>9}{'build s':>9}{'embed':>8}{'search p50/p95':>18}"
        f"{'ask p50/p95':>16}{'× embed':>9}{'RSS MB':>8}"
    )
    for row in rows:
        search, ask = row["search"], row["ask"]
        print(
            f"{row['units']:>8}{row['documents']:>6}{row['vectors']:>9}{row['index_build_s']:>9.1f}"
            f"{row['embed_p50']:>8.1f}{search[0]:>9.1f}/{search[1]:<8.1f}{ask[0]:>7.1f}/{ask[1]:<8.1f}"
            f"{ask[0] / row['embed_p50']:>9.1f}{row['peak_rss_mb']:>8}"
        )
    if args.json:
        args.json.write_text(json.dumps({"builds": builds, "sizes": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
