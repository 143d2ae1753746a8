"""Answer metrics per language: expected clause cited, facts, refusals, verbatim quotes, language match."""

from __future__ import annotations

import re
from collections import defaultdict

from bot.answer.verify import squeeze

LANGUAGE_OF = {"zh": "zh-Hans", "zh-Hant": "zh-Hant", "en": "en"}


def answer_text(answer: dict) -> str:
    """What facts and forbidden patterns are matched against: the answer, its quotes and their English."""
    return (
        answer["answer"]
        + " "
        + " ".join(c["quote"] + " " + (c.get("quote_en") or "") for c in answer["citations"])
    )


def score_answer(q: dict, answer: dict, source: str) -> dict[str, float | None]:
    text = answer_text(answer)
    cited = [c["clause"] for c in answer["citations"]]
    answerable = not q.get("abstain")
    accepts = q.get("accept_abstain")
    result: dict[str, float | None] = {
        "cited": None,
        "facts": None,
        "refusal_right": None,
        "false_refusal": None,
        "verbatim": float(all(squeeze(c["quote"]) in source for c in answer["citations"])),
        "language": float(answer["language"] == LANGUAGE_OF.get(q["lang"], answer["language"]))
        if q["lang"] in LANGUAGE_OF
        else None,
        "forbidden": float(any(re.search(f, text) for f in q.get("forbid", []))),
    }
    if answerable and not accepts:
        result["cited"] = float(any(c in q["clauses"] for c in cited))
        result["facts"] = (
            float(all(re.search(f, text) for f in q.get("facts", []))) if q.get("facts") else None
        )
        result["false_refusal"] = float(answer["abstained"])
    elif accepts:
        result["refusal_right"] = float(answer["abstained"] or any(c in q["clauses"] for c in cited))
    else:
        result["refusal_right"] = float(answer["abstained"])
    return result


def evaluate_answers(bot, questions: list[dict]) -> str:  # type: ignore[no-untyped-def]
    source = squeeze(bot.corpus.documents[0].text)
    buckets: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    failures = []
    for q in questions:
        answer = bot.ask(q["q"]).contract()
        scores = score_answer(q, answer, source)
        for bucket in (buckets[q["lang"]], buckets["all"]):
            for name, value in scores.items():
                if value is not None:
                    bucket[name].append(value)
        if (
            scores["cited"] == 0
            or scores["facts"] == 0
            or scores["refusal_right"] == 0
            or scores["forbidden"]
        ):
            failures.append(
                (
                    q["id"],
                    q["lang"],
                    q["q"][:60],
                    q.get("clauses"),
                    [c["clause"] for c in answer["citations"]],
                    answer["abstained"],
                )
            )
    names = ["cited", "facts", "refusal_right", "false_refusal", "verbatim", "language", "forbidden"]
    lines = ["\nanswers", f"{'group':<10}" + "".join(f"{n:>15}" for n in names)]
    for group, values in buckets.items():
        cells = "".join(
            f"{(sum(values[n]) / len(values[n])) if values[n] else float('nan'):>11.3f}{len(values[n]):>4}"
            for n in names
        )
        lines.append(f"{group:<10}{cells}")
    lines.append(
        "(cited/facts/refusal_right/verbatim/language: higher is better; false_refusal/forbidden: lower is better; n after each)"
    )
    lines += [f"  fail {f}" for f in failures]
    return "\n".join(lines)
