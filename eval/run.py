"""Quality evaluation: retrieval hit@1, hit@3, MRR per language and kind, for policybot and the fixed-chunk
baseline in the same run; answer metrics when the answerer is available.

    python -m eval.run [--questions eval/questions.jsonl ...] [--no-baseline] [--answers]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETS = [
    ROOT / "eval" / "questions.jsonl",
    ROOT.parent / "shared" / "eval" / "dev.jsonl",
    # Written independently of the code and of each other, each first run before any change it prompted.
    ROOT / "eval" / "holdout.jsonl",
    ROOT / "eval" / "holdout2.jsonl",
    ROOT / "eval" / "holdout3.jsonl",
    ROOT / "eval" / "holdout4.jsonl",
    ROOT / "eval" / "holdout5.jsonl",
    ROOT / "eval" / "holdout6.jsonl",
    ROOT / "eval" / "holdout7.jsonl",
    ROOT / "eval" / "holdout8.jsonl",
    ROOT / "eval" / "holdout9.jsonl",
    ROOT / "eval" / "holdout10.jsonl",
    ROOT / "eval" / "holdout11.jsonl",
    ROOT / "eval" / "holdout12.jsonl",
    ROOT / "eval" / "holdout13.jsonl",
]
LANGS = ("zh", "zh-Hant", "en", "mixed")


def load_questions(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def retrieval_scores(ranked: list[str], gold: list[str]) -> tuple[float, float, float]:
    rank = next((i + 1 for i, c in enumerate(ranked) if c in gold), None)
    return (float(rank == 1), float(rank is not None and rank <= 3), 1.0 / rank if rank else 0.0)


def table(title: str, rows: dict[str, dict[str, list[float]]], systems: list[str]) -> str:
    lines = [
        f"\n{title}",
        f"{'group':<22}{'n':>5}" + "".join(f"{s + ' h@1':>16}{'h@3':>7}{'MRR':>7}" for s in systems),
    ]
    for group in rows:
        n = len(rows[group][systems[0] + ":h1"])
        cells = ""
        for s in systems:
            h1, h3, mrr = (sum(rows[group][f"{s}:{m}"]) / max(n, 1) for m in ("h1", "h3", "mrr"))
            cells += f"{h1:>16.3f}{h3:>7.3f}{mrr:>7.3f}"
        lines.append(f"{group:<22}{n:>5}{cells}")
    return "\n".join(lines)


def evaluate_retrieval(bot, questions: list[dict], baseline=None, misses: list | None = None) -> str:  # type: ignore[no-untyped-def]
    systems = ["policybot"] + (["baseline"] if baseline else [])
    by_lang: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    by_kind: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for q in questions:
        if not q.get("clauses") or q.get("abstain"):
            continue
        results = {"policybot": [h.clause for h in bot.search(q["q"])]}
        if baseline:
            results["baseline"] = baseline.search(q["q"])
        for system, ranked in results.items():
            h1, h3, mrr = retrieval_scores(ranked, q["clauses"])
            for bucket in (by_lang[q["lang"]], by_lang["all"], by_kind[q.get("kind", "dev")]):
                bucket[f"{system}:h1"].append(h1)
                bucket[f"{system}:h3"].append(h3)
                bucket[f"{system}:mrr"].append(mrr)
            if system == "policybot" and misses is not None and h1 < 1:
                misses.append((q["id"], q["lang"], q["q"], q["clauses"], ranked[:5]))
    ordered = {k: by_lang[k] for k in (*LANGS, "all") if k in by_lang}
    return table("retrieval by language", ordered, systems) + table(
        "retrieval by kind", dict(by_kind), systems
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", nargs="*", type=Path, default=[p for p in DEFAULT_SETS if p.exists()])
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list the questions whose first hit is wrong")
    parser.add_argument("--answers", action="store_true", help="also score the answers")
    args = parser.parse_args(argv)

    from bot.config import Settings
    from bot.wiring import build_bot

    bot = build_bot(Settings(), progress=False)
    baseline = None
    if not args.no_baseline:
        from eval.baseline import FixedChunkBaseline

        baseline = FixedChunkBaseline(list(bot.corpus.documents), bot.retriever.embedder)
    for path in args.questions:
        questions = load_questions(path)
        misses: list = []
        print(f"\n=== {path.name}: {len(questions)} questions ===")
        print(evaluate_retrieval(bot, questions, baseline, misses))
        if args.misses:
            for miss in misses:
                print("  miss", *miss)
        if args.answers:
            from eval.answers import evaluate_answers

            print(evaluate_answers(bot, questions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
