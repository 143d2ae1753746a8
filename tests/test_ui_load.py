"""The web UI under several users, through Gradio's own client against the real mounted server: questions
are answered side by side, and the thumbs share the client's budget and keep one record per answer."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from bot.answer.llm import LLMComposer, make_chat_model
from bot.api import build_server
from bot.feedback import FeedbackStore
from tests.conftest import ROOT
from tests.fake_openai import FakeOpenAI, serve_fake_openai
from tests.helpers import with_server_settings
from tests.servers import running_server

QUESTION = "知识产权质押融资的目标是什么？"
LLM_DELAY_S = 1.5


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[FakeOpenAI]:
    with serve_fake_openai() as fake:
        yield fake


def ui_client(url: str) -> Any:
    from gradio_client import Client

    return Client(f"{url}/", verbose=False)


def test_four_users_are_answered_side_by_side(bot: Any, fake_llm: FakeOpenAI) -> None:
    """Each answer waits 1.5 s on the LLM; one at a time (Gradio's default) four would take 6 s."""
    chat = make_chat_model(fake_llm.url, "slow", None, 5.0, 0.0)
    slow = dataclasses.replace(
        with_server_settings(bot, rate_limit_per_minute=1_000_000),
        llm=LLMComposer(chat, ROOT / "prompts", 5.0, "slow"),
    )
    fake_llm.queue(*[("slow", LLM_DELAY_S, "回答 [C1]")] * 4)
    with running_server(build_server(slow)) as url:
        clients = [ui_client(url) for _ in range(4)]
        started = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda c: c.predict(QUESTION, "auto", api_name="/respond"), clients))
        elapsed = time.monotonic() - started
    print(f"four answers side by side in {elapsed:.1f} s")
    assert len(fake_llm.requests) >= 4
    for result in results:
        assert "质押" in str(result[0])  # each user got an answer about what was asked
    assert elapsed < 3 * LLM_DELAY_S, f"four answers took {elapsed:.1f} s: they queued behind one another"


def test_thumbs_share_the_budget_and_keep_one_record_per_answer(bot: Any, tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    limited = with_server_settings(bot, rate_limit_per_minute=6)
    with running_server(build_server(limited, store)) as url:
        client = ui_client(url)
        client.predict(QUESTION, "auto", api_name="/respond")  # one token of six
        statuses = [str(client.predict("", api_name="/handler")[0]) for _ in range(12)]
    saved = [s for s in statuses if "saved" in s]
    refused = [s for s in statuses if "Too many clicks" in s]
    assert 3 <= len(saved) <= 6 and len(saved) + len(refused) == 12, statuses
    assert store.count() == 1  # every click was on the same answer: it is updated, not added
