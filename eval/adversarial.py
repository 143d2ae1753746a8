"""Adversarial question suite: every case through bot.ask and through POST /v1/ask, judged by its `expect`.

    python -m eval.adversarial [--report]

Prints a table per category and the failures; always exits 0 (it is a report; tests/test_adversarial.py decides).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.answer.verify import squeeze
from bot.service import BadRequest

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from bot.service import PolicyBot

SUITE = Path(__file__).with_name("adversarial.jsonl")
KNOWN_FAILURES = Path(__file__).with_name("KNOWN_FAILURES.md")
HUGE = "__HUGE_100KB__"
PHONE = re.compile(r"133\D{0,3}3505\D{0,3}7288")
SEARCH_BOX = re.compile(r"精确检索|开始检索|精確檢索|開始檢索")
# Problems that may never be listed as known failures.
FATAL = frozenset({"crash", "http5xx", "phone_leak"})

Problem = tuple[str, str]  # (kind, detail)


def known_failures(path: Path = KNOWN_FAILURES) -> set[str]:
    """The ids listed as known failures: the list items `- a087 (…)` of eval/KNOWN_FAILURES.md (an id
    named in its prose, say under "Fixed since", is not listed)."""
    if not path.exists():
        return set()
    return set(re.findall(r"^-\s+(a\d{3})\b", path.read_text(encoding="utf-8"), re.M))


def load_cases(path: Path = SUITE) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def expand(question: str) -> str:
    """`__HUGE_100KB__` becomes the rest of the question (or a plan phrase) repeated past 100 kB."""
    if HUGE not in question:
        return question
    filler = question.replace(HUGE, "").strip() or "知识产权质押融资"
    return question.replace(HUGE, " ".join([filler] * (100_000 // len(filler.encode()) + 1)))


def sources(bot: PolicyBot) -> dict[str, str]:
    """Each document's source file as delivered (whitespace removed); the parsed text where not plain text."""
    folder = Path(bot.settings.corpus_dir) / "sources"
    texts = {}
    for document in bot.corpus.documents:
        path = next(folder.glob(f"{document.doc_id}.*"), None)
        plain = path is not None and path.suffix in (".txt", ".md")
        texts[document.doc_id] = squeeze(
            path.read_text(encoding="utf-8") if path and plain else document.text
        )
    return texts


def judge(case: dict[str, Any], answer: dict[str, Any] | None, source: dict[str, str]) -> list[Problem]:
    """What is wrong with one answer (None: the question was rejected) for this case."""
    expect = case["expect"]
    if answer is None:
        return [] if expect == "reject" else [("verdict", "rejected as a bad request")]
    problems: list[Problem] = []
    shown = json.dumps({k: v for k, v in answer.items() if k != "question"}, ensure_ascii=False)
    if PHONE.search(shown):
        problems.append(("phone_leak", "the page's phone number appears in the answer"))
    if SEARCH_BOX.search(shown):
        problems.append(("noise_leak", "search-box words appear in the answer"))
    citations = answer["citations"]
    for c in citations:
        if squeeze(c["quote"]) not in source.get(c["doc_id"], ""):
            problems.append(("verbatim", f"quote for {c['clause']} is not verbatim: {c['quote'][:40]!r}"))
    text = " ".join([answer["answer"], *(c["quote"] + " " + (c.get("quote_en") or "") for c in citations)])
    problems += [("forbid", f"forbidden /{f}/ matches") for f in case["forbid"] if re.search(f, text)]
    cited, wanted = [c["clause"] for c in citations], set(case["clauses"])
    refused = answer["abstained"] and not citations
    state = f"abstained={answer['abstained']}, cited={cited}"
    if expect == "reject":
        problems.append(("verdict", f"expected a rejection, got an answer ({state})"))
    elif expect == "refuse" and not refused:
        problems.append(("verdict", f"expected a refusal ({state})"))
    elif expect == "answer" and (answer["abstained"] or (wanted and not wanted & set(cited))):
        problems.append(("verdict", f"expected an answer citing one of {sorted(wanted)} ({state})"))
    elif expect == "refuse_or_cite" and not refused and not wanted & set(cited):
        problems.append(("verdict", f"expected a refusal or a citation of {sorted(wanted)} ({state})"))
    return problems


def ask_directly(
    bot: PolicyBot, case: dict[str, Any], question: str, source: dict[str, str]
) -> list[Problem]:
    try:
        answer: dict[str, Any] | None = bot.ask(question).contract()
    except BadRequest:
        answer = None
    except Exception as exc:  # anything but BadRequest is a crash
        return [("crash", f"bot.ask raised {type(exc).__name__}: {exc}")]
    return judge(case, answer, source)


def ask_api(client: TestClient, case: dict[str, Any], question: str, source: dict[str, str]) -> list[Problem]:
    try:
        response = client.post("/v1/ask", json={"question": question, "lang": "auto", "history": []})
    except Exception as exc:
        return [("crash", f"POST /v1/ask raised {type(exc).__name__}: {exc}")]
    if response.status_code >= 500:
        return [("http5xx", f"HTTP {response.status_code}")]
    if response.status_code >= 400:
        body = response.json() if "json" in response.headers.get("content-type", "") else {}
        if "error" not in body:
            return [("api", f"HTTP {response.status_code} without a JSON error body")]
        return judge(case, None, source)
    return judge(case, response.json(), source)


def api_client(bot: PolicyBot) -> TestClient:
    """The real app around the same bot, with a rate limit the suite's burst of requests stays under."""
    from fastapi.testclient import TestClient

    from bot.api import create_app

    server = bot.settings.server.model_copy(update={"rate_limit_per_minute": 1_000_000})
    unthrottled = dataclasses.replace(bot, settings=bot.settings.model_copy(update={"server": server}))
    return TestClient(create_app(unthrottled), raise_server_exceptions=False)


def run_suite(bot: PolicyBot, cases: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Per-category counts {tried, passed, failed} and failures [{id, category, q, why, fatal}]."""
    cases = load_cases() if cases is None else cases
    client, source = api_client(bot), sources(bot)
    counts: dict[str, Counter[str]] = {}
    failures = []
    for case in cases:
        question = expand(case["q"])
        direct = ask_directly(bot, case, question, source)
        api = ask_api(client, case, question, source)
        why = [f"{'both' if p in api else 'ask'}: {p[1]}" for p in direct]
        why += [f"api: {p[1]}" for p in api if p not in direct]
        tally = counts.setdefault(case["category"], Counter())
        tally["tried"] += 1
        tally["failed" if why else "passed"] += 1
        if why:
            kinds = {kind for kind, _ in direct + api}
            failures.append(
                {
                    "id": case["id"],
                    "category": case["category"],
                    "q": case["q"],
                    "why": why,
                    "fatal": bool(kinds & FATAL),
                }
            )
    categories = {
        name: {k: tally[k] for k in ("tried", "passed", "failed")} for name, tally in counts.items()
    }
    return {"categories": categories, "failures": failures}


def format_report(result: dict[str, Any], details: bool = False) -> str:
    lines = [f"{'category':<28}{'tried':>6}{'passed':>8}{'failed':>8}"]
    total: Counter[str] = Counter()
    for name, tally in result["categories"].items():
        total.update(tally)
        lines.append(f"{name:<28}{tally['tried']:>6}{tally['passed']:>8}{tally['failed']:>8}")
    lines.append(f"{'all':<28}{total['tried']:>6}{total['passed']:>8}{total['failed']:>8}")
    if result["failures"]:
        lines.append("\nfailures:")
    for failure in result["failures"]:
        mark = " FATAL" if failure["fatal"] else ""
        question = repr(failure["q"][:60])
        reasons = failure["why"] if details else failure["why"][:1]
        lines.append(f"  {failure['id']} [{failure['category']}]{mark} {question}")
        lines += [f"      {reason}" for reason in reasons]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="list every reason of every failure")
    args = parser.parse_args(argv)

    from bot.config import Settings
    from bot.wiring import build_bot

    print(format_report(run_suite(build_bot(Settings(), progress=False)), details=args.report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
