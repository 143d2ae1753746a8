"""Conversations and multi-part questions, scored through the same answer metrics as single questions.

A conversation's turns are asked in order, each with the history a client would send: the user's earlier
questions and the bot's own earlier answers. Every turn with expectations is scored ("turns"), the last turn
on its own ("last", the figure the conversation issue is judged by). A turn marked `ask_which` is right when
the bot asks back instead of answering (abstained, nothing cited). Multi-part questions (eval/multipart.jsonl)
are scored per answerable part: its clause cited and its facts present.

    python -m eval.conversations [--fails]            # the plan's set and every library set that has one
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
from collections import defaultdict
from pathlib import Path

from eval.answers import answer_text
from eval.library import LIBRARY, METRICS, PLAN_FILE, library_bot, score, table

ROOT = Path(__file__).resolve().parent.parent
PLAN_SET = ROOT / "eval" / "conversations" / "plan.jsonl"
MULTIPART = ROOT / "eval" / "multipart.jsonl"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def qualified(turn: dict) -> dict:
    """Plan clauses written bare ("16") name the plan's file, as library sets write them."""
    clauses = [c if ":" in c else f"{PLAN_FILE}:{c}" for c in turn.get("clauses", [])]
    return {**turn, "clauses": clauses}


def turn_scores(turn: dict, lang: str, answer: dict, doc_ids: dict[str, str], bot) -> dict[str, float | None]:  # type: ignore[no-untyped-def]
    if turn.get("ask_which"):
        result: dict[str, float | None] = dict.fromkeys(METRICS)
        result["refusal_right"] = float(answer["abstained"] and not answer["citations"])
        return result
    return score({"lang": lang, **qualified(turn)}, answer, doc_ids, bot)


def run_conversations(bot, doc_ids: dict[str, str], conversations: list[dict], name: str, show: bool) -> str:  # type: ignore[no-untyped-def]
    buckets: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    lengths: dict[str, list[int]] = defaultdict(list)
    rights: dict[str, list[float]] = defaultdict(list)
    fails = []
    for conversation in conversations:
        history: list[dict] = []
        turns = conversation["turns"]
        for number, turn in enumerate(turns, 1):
            answer = bot.ask(turn["q"], "auto", history).contract()
            history += [
                {"role": "user", "content": turn["q"]},
                {"role": "assistant", "content": answer["answer"]},
            ]
            if not answer["abstained"]:
                lengths[conversation["lang"]].append(len(answer["answer"]))
            if not any(k in turn for k in ("clauses", "abstain", "ask_which", "facts")):
                continue
            scores = turn_scores(turn, conversation["lang"], answer, doc_ids, bot)
            last = number == len(turns)
            groups = [f"turns {conversation['lang']}", "turns all"] + (
                ["asked back"] if turn.get("ask_which") else []
            )
            if last:
                groups += [
                    f"last {conversation['lang']}",
                    "last all",
                    f"last {conversation.get('kind', '?')}",
                ]
            for group in groups:
                for metric, value in scores.items():
                    if value is not None:
                        buckets[group][metric].append(value)
            bad = [m for m in ("cited", "facts", "refusal_right", "verbatim") if scores[m] == 0]
            bad += [m for m in ("false_refusal", "foreign_caveat") if scores[m]]
            for group in groups:
                rights[group].append(float(not bad))
            if bad:
                cited = [f"{c['doc_id'][:3]}:{c['clause']}" for c in answer["citations"]]
                fails.append(
                    f"  fail {conversation['id']}.{number}{' last' if last else ''} {conversation.get('kind')} "
                    f"{bad} {turn['q'][:60]!r} want={turn.get('clauses')} got={cited}"
                    + (f"\n       {answer['answer'][:240]!r}" if show else "")
                )
    order = sorted(buckets, key=lambda g: (not g.startswith("last"), g.split()[-1] == "all", g))
    length_line = "answer length (median characters, answered turns): " + ", ".join(
        f"{lang} {statistics.median(values):.0f} (n={len(values)})"
        for lang, values in sorted(lengths.items())
    )
    right = ["right (every expectation of the turn met)"] + [
        f"  {g:<22}{sum(rights[g]) / len(rights[g]):>7.3f}{len(rights[g]):>5}" for g in order
    ]
    return "\n".join(
        [
            f"=== conversations {name}: {len(conversations)} ===",
            table("turns", {g: buckets[g] for g in order}),
        ]
        + right
        + [length_line]
        + fails
    )


def run_multipart(bot, doc_ids: dict[str, str], questions: list[dict], show: bool) -> str:  # type: ignore[no-untyped-def]
    buckets: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    fails = []
    for question in questions:
        answer = bot.ask(question["q"]).contract()
        text = answer_text(answer)
        cited = {c["clause"] for c in answer["citations"]}
        forbidden = any(re.search(f, text) for f in question.get("forbid", []))
        for part in question["parts"]:
            if part.get("abstain"):
                continue
            answered = bool(cited & set(part["clauses"])) and all(
                re.search(f, text) for f in part.get("facts", [])
            )
            for group in (question["lang"], question.get("kind", "?"), "all"):
                buckets[group]["answered"].append(float(answered and not forbidden))
            if not answered or forbidden:
                fails.append(
                    f"  fail {question['id']} {question.get('kind')} {part['text'][:50]!r} "
                    f"want={part['clauses']} got={sorted(cited)} abstained={answer['abstained']}"
                    f"{' forbidden' if forbidden else ''}"
                    + (f"\n       {answer['answer'][:240]!r}" if show else "")
                )
    lines = [
        f"=== multi-part questions: {len(questions)} ===",
        f"{'group':<14}{'answerable part answered':>28}",
    ]
    for group, values in buckets.items():
        lines.append(
            f"{group:<14}{sum(values['answered']) / len(values['answered']):>22.3f}{len(values['answered']):>6}"
        )
    return "\n".join(lines + fails)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fails", action="store_true", help="print the answer text of every failure")
    args = parser.parse_args(argv)
    from bot.config import Settings
    from bot.wiring import build_bot

    plan_bot = build_bot(Settings(), progress=False)
    plan_ids = {PLAN_FILE: PLAN_FILE.removesuffix(".txt")}
    print(run_conversations(plan_bot, plan_ids, load(PLAN_SET), "on the plan", args.fails))
    if MULTIPART.exists():
        print(run_multipart(plan_bot, plan_ids, load(MULTIPART), args.fails))
    for set_dir in sorted(LIBRARY.iterdir()):
        path = set_dir / "conversations.jsonl"
        if path.exists():
            bot, doc_ids = library_bot(set_dir)
            print(run_conversations(bot, doc_ids, load(path), set_dir.name, args.fails))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
