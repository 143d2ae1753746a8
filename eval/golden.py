"""The guard for restructuring: today's answers to every eval question, recorded, and a diff against them.

    python -m eval.golden record          # write eval/golden/<set>.jsonl from the current code
    python -m eval.golden diff [--brief]  # answer again and show what changed (exit 1 when anything did)

Each record keeps what a reader sees: the answer text, whether it abstained, the citations (document,
clause, quote) and the notices. A step that means to change nothing shows an empty diff; any other step
shows a diff limited to what it means to change, reviewed before it lands.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections import Counter
from pathlib import Path

from eval.run import DEFAULT_SETS, ROOT, load_questions

GOLDEN = ROOT / "eval" / "golden"
SETS = [*DEFAULT_SETS, ROOT / "eval" / "adversarial.jsonl"]
FIELDS = ("answer", "abstained", "citations", "notices")


def record_of(bot, question: dict) -> dict:  # type: ignore[no-untyped-def]
    from bot.service import BadRequest

    text = question["q"]
    try:
        answer = bot.ask(text).contract()
    except BadRequest as exc:
        return {"id": question["id"], "q": text[:200], "rejected": str(exc)}
    return {
        "id": question["id"],
        "q": text[:200],
        "answer": answer["answer"],
        "abstained": answer["abstained"],
        "citations": [[c["doc_id"], c["clause"], c["quote"]] for c in answer["citations"]],
        "notices": answer["notices"],
    }


def answers(bot, path: Path) -> list[dict]:  # type: ignore[no-untyped-def]
    from eval.adversarial import expand

    return [record_of(bot, {**q, "q": expand(q["q"])}) for q in load_questions(path)]


def golden_path(path: Path) -> Path:
    return GOLDEN / f"{path.stem}.jsonl"


def write(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def changed_fields(old: dict, new: dict) -> list[str]:
    keys = [*FIELDS, "rejected"]
    return [k for k in keys if old.get(k) != new.get(k)]


def show(old: dict, new: dict) -> str:
    def lines(record: dict) -> list[str]:
        return json.dumps(
            {k: record.get(k) for k in (*FIELDS, "rejected")}, ensure_ascii=False, indent=1
        ).split("\n")

    diff = difflib.unified_diff(lines(old), lines(new), "golden", "now", n=0, lineterm="")
    return "\n".join(list(diff)[2:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=("record", "diff"))
    parser.add_argument("--brief", action="store_true", help="name the changed records without their diff")
    parser.add_argument("--sets", nargs="*", type=Path, default=[p for p in SETS if p.exists()])
    args = parser.parse_args(argv)

    from bot.config import Settings
    from bot.wiring import build_bot

    bot = build_bot(Settings(), progress=False)
    total: Counter[str] = Counter()
    for path in args.sets:
        records = answers(bot, path)
        target = golden_path(path)
        if args.action == "record":
            write(target, records)
            print(f"{path.name}: {len(records)} answers recorded in {target.relative_to(ROOT)}")
            continue
        old = {r["id"]: r for r in load_questions(target)} if target.exists() else {}
        changes = Counter[str]()
        for record in records:
            before = old.get(record["id"])
            if before is None:
                changes["new"] += 1
                continue
            fields = changed_fields(before, record)
            for name in fields:
                changes[name] += 1
            if fields:
                changes["questions"] += 1
                print(f"--- {path.stem} {record['id']}: {record['q'][:80]}  [{', '.join(fields)}]")
                if not args.brief:
                    print(show(before, record))
        summary = ", ".join(f"{k} {v}" for k, v in sorted(changes.items())) or "no change"
        print(f"=== {path.name}: {summary}")
        total.update(changes)
    if args.action == "diff":
        print(f"=== all sets: {', '.join(f'{k} {v}' for k, v in sorted(total.items())) or 'no change'}")
        return 1 if total else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
