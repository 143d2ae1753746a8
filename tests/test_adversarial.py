"""The adversarial suite (eval/adversarial.jsonl) through bot.ask and POST /v1/ask.

Every failure must be listed in eval/KNOWN_FAILURES.md; crashes, 5xx and the page's phone number never may.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from eval.adversarial import known_failures, load_cases, run_suite


@pytest.fixture(scope="module")
def suite(bot: Any) -> dict[str, Any]:
    return run_suite(bot)


def test_the_suite_is_big_and_well_formed() -> None:
    cases = load_cases()
    assert len(cases) >= 160
    assert len({c["id"] for c in cases}) == len(cases)
    assert {c["expect"] for c in cases} <= {"refuse", "answer", "refuse_or_cite", "reject"}
    assert Counter(c["lang"] for c in cases).keys() >= {"zh", "zh-Hant", "en", "mixed"}
    for case in cases:
        for pattern in case["forbid"]:
            re.compile(pattern)


def test_no_crash_no_5xx_no_phone_leak(suite: dict[str, Any]) -> None:
    fatal = [(f["id"], f["why"]) for f in suite["failures"] if f["fatal"]]
    assert not fatal


def test_every_failure_is_a_known_failure(suite: dict[str, Any]) -> None:
    known = known_failures()
    unknown = [(f["id"], f["q"][:60], f["why"]) for f in suite["failures"] if f["id"] not in known]
    assert not unknown, "new adversarial failures (fix them or document them in eval/KNOWN_FAILURES.md)"
