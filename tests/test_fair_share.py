"""One client cannot take the CPU from the others: one request at a time per client, the rate limit charged by
what a request cost, rejections held so a client retrying at once cannot spin the server, and a long question
embedded by what it asks. (The figures are measured by eval/fairness.py; these pin the mechanisms.)"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

from bot.api import create_app
from bot.api.cost import cpu_metered
from bot.api.guard import MAX_REJECTION_HOLD_S, GuardMiddleware
from bot.parts import gist
from bot.state.ratelimit import TOKEN_CPU_S, TokenBucketLimiter
from tests.helpers import with_server_settings


class Recorder:
    """An app that holds each request a little and records how many of each client's run at once."""

    def __init__(self, hold_s: float = 0.05, burn_cpu_s: float = 0.0):
        self.hold_s, self.burn_cpu_s = hold_s, burn_cpu_s
        self.running: dict[str, int] = {}
        self.most: dict[str, int] = {}
        self.overall = self.overall_most = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope["client"][0]
        self.running[client] = self.running.get(client, 0) + 1
        self.overall += 1
        self.most[client] = max(self.most.get(client, 0), self.running[client])
        self.overall_most = max(self.overall_most, self.overall)
        if self.burn_cpu_s:
            await run_in_threadpool(self._burn)
        await asyncio.sleep(self.hold_s)
        self.running[client] -= 1
        self.overall -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    def _burn(self) -> None:
        with cpu_metered():  # in a worker thread, as the routes do their work
            until = time.thread_time() + self.burn_cpu_s
            while time.thread_time() < until:
                pass


async def _post(app: Any, client: str, path: str = "/v1/ask", headers: dict | None = None) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=(client, 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        return await http.post(path, content=b"{}", headers=headers or {})


def test_one_clients_requests_run_one_at_a_time_and_do_not_hold_up_another_client() -> None:
    inner = Recorder()
    guarded = GuardMiddleware(inner, TokenBucketLimiter(1000))

    async def scenario() -> list[httpx.Response]:
        heavy = [_post(guarded, "10.0.0.1") for _ in range(6)]
        return await asyncio.gather(*heavy, _post(guarded, "10.0.0.2"))

    responses = asyncio.run(scenario())
    assert [r.status_code for r in responses] == [200] * 7  # the heavy client's requests waited, none refused
    assert inner.most == {"10.0.0.1": 1, "10.0.0.2": 1}
    assert inner.overall_most == 2  # the other client ran beside the heavy one, not behind its queue


def test_a_client_with_too_many_waiting_requests_is_refused_after_a_hold() -> None:
    guarded = GuardMiddleware(Recorder(hold_s=0.3), TokenBucketLimiter(1000))
    depth = guarded.lanes.depth

    async def scenario() -> tuple[list[httpx.Response], float]:
        started = time.perf_counter()
        responses = await asyncio.gather(*(_post(guarded, "10.0.0.1") for _ in range(depth + 4)))
        return responses, time.perf_counter() - started

    responses, _ = asyncio.run(scenario())
    statuses = [r.status_code for r in responses]
    assert statuses.count(200) == depth + 1 and statuses.count(429) == 3
    refused = next(r for r in responses if r.status_code == 429)
    assert refused.json()["error"]["code"] == "rate_limited" and refused.headers["Retry-After"] == "1"


def test_the_rate_limit_charges_what_a_request_cost() -> None:
    """Five tokens a minute: five cheap requests go through; a request that burns three tokens' worth of CPU
    leaves room for one more only."""
    cheap = GuardMiddleware(Recorder(hold_s=0), TokenBucketLimiter(5))
    costly = GuardMiddleware(Recorder(hold_s=0, burn_cpu_s=3 * TOKEN_CPU_S), TokenBucketLimiter(5))

    async def statuses(app: Any, count: int) -> list[int]:
        return [(await _post(app, "10.0.0.9")).status_code for _ in range(count)]

    assert asyncio.run(statuses(cheap, 5)) == [200] * 5
    assert asyncio.run(statuses(costly, 3)) == [200, 200, 429]


def test_a_refusal_is_held_before_it_is_sent() -> None:
    guarded = GuardMiddleware(Recorder(hold_s=0), TokenBucketLimiter(1))

    async def scenario() -> tuple[int, int, float]:
        first = await _post(guarded, "10.0.0.3")
        started = time.perf_counter()
        second = await _post(guarded, "10.0.0.3")
        return first.status_code, second.status_code, time.perf_counter() - started

    first, second, held = asyncio.run(scenario())
    assert (first, second) == (200, 429)
    assert held >= MAX_REJECTION_HOLD_S * 0.95


def test_a_trusted_proxy_names_the_client_and_anyone_else_does_not() -> None:
    inner = Recorder(hold_s=0)
    guarded = GuardMiddleware(inner, TokenBucketLimiter(1000), trusted_proxies=["10.0.0.254"])
    forwarded = {"X-Forwarded-For": "203.0.113.7, 198.51.100.4"}

    async def scenario() -> None:
        await _post(guarded, "10.0.0.254", headers=forwarded)
        await _post(guarded, "10.0.0.66", headers=forwarded)

    asyncio.run(scenario())
    # The proxy's own hop (the last address) is the client; from an untrusted peer the header is ignored.
    assert set(inner.most) == {"198.51.100.4", "10.0.0.66"}


class SpyLimiter(TokenBucketLimiter):
    def __init__(self) -> None:
        super().__init__(1_000_000)
        self.charged: list[float] = []

    def charge(self, client: str, cpu_s: float) -> None:
        self.charged.append(cpu_s)
        super().charge(client, cpu_s)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/ask", {"question": "专利质押融资的目标是多少？"}),
        ("/v1/ask?stream=true", {"question": "专利质押融资的目标是多少？"}),
        ("/v1/search", {"question": "专利质押融资"}),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": "专利质押融资的目标是多少？"}]}),
        (
            "/v1/chat/completions",
            {"stream": True, "messages": [{"role": "user", "content": "专利质押融资的目标是多少？"}]},
        ),
    ],
)
def test_every_answering_route_reports_its_cpu_time(bot: Any, path: str, body: dict) -> None:
    spy = SpyLimiter()
    app = create_app(with_server_settings(bot, rate_limit_per_minute=1_000_000), limiter=spy)

    async def scenario() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=("10.0.0.8", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            return await http.post(path, json=body)

    assert asyncio.run(scenario()).status_code == 200
    assert len(spy.charged) == 1 and spy.charged[0] > 0.001  # the answer's own work, measured in its thread


def test_a_long_question_is_embedded_by_what_it_asks_each_sentence_once() -> None:
    repeated = "专利质押融资的目标是多少？由哪些部门负责？" * 100
    assert gist(repeated) == "专利质押融资的目标是多少？ 由哪些部门负责？"
    pasted = "为深入实施知识产权强国战略，加快建设知识产权强市。" * 40 + "这些措施由谁负责？"
    assert gist(pasted) == "这些措施由谁负责？"
    no_question = "知识产权" * 200
    assert gist(no_question) == no_question[-300:]
    assert gist("短问题") == "短问题"
