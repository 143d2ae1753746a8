"""One client cannot take the CPU from the others: normal clients' latency alone, then beside one client that
sends the longest questions allowed (2,000 characters) on eight connections, as fast as it can.

    python -m eval.fairness [--seconds 30] [--json eval/results/fairness.json]

The real server (eval.load's process, with the configured rate limit) on loopback; each client posts from its
own loopback address (127.0.0.2, …), since the server tells clients apart by their socket address. Beside
the figures stands the cost of each kind of question asked alone, in the same run: the worst 2,000-character
question beside a normal one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path
from typing import Any

import httpx

from eval.load import ROOT, percentile, questions, running_server

PLAN = ROOT / "corpus" / "sources" / "000_ea0fa33b9b77872c.txt"
MAX_CHARS = 2000
NORMAL_CLIENTS = 3
NORMAL_EVERY_S = 1.0  # well inside the default rate limit (120 a minute)
HEAVY_CONNECTIONS = 8


def long_questions() -> dict[str, str]:
    """Kinds of 2,000-character question: pasted prose, many questions, many English words, many lines."""
    text = PLAN.read_text(encoding="utf-8")
    return {
        "pasted prose, one question": text[1000 : 1000 + MAX_CHARS - 10] + "这些措施由谁负责？",
        "many questions": ("专利质押融资的目标是多少？由哪些部门负责？" * 100)[:MAX_CHARS],
        "many English words": (
            "What does the plan say about patent pledge financing, trademarks, BRICS, Taiwan and talent? "
            * 30
        )[:MAX_CHARS],
        "many lines": ("这条由哪些部门负责？\nWho is responsible for it?\n" * 60)[:MAX_CHARS],
    }


def _client(base: str, address: str) -> httpx.AsyncClient:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    return httpx.AsyncClient(base_url=base, timeout=120, transport=transport)


async def _normal(base: str, address: str, texts: list[str], until: float, latencies: list[float]) -> None:
    async with _client(base, address) as client:
        n = 0
        while time.perf_counter() < until:
            started = time.perf_counter()
            response = await client.post("/v1/ask", json={"question": texts[n % len(texts)]})
            if response.status_code == 200:
                latencies.append((time.perf_counter() - started) * 1000)
            n += 1
            await asyncio.sleep(max(0.0, NORMAL_EVERY_S - (time.perf_counter() - started)))


async def _heavy(base: str, texts: list[str], until: float, counts: dict[str, int]) -> None:
    async def connection(client: httpx.AsyncClient, offset: int) -> None:
        n = offset
        while time.perf_counter() < until:
            try:
                response = await client.post("/v1/ask", json={"question": texts[n % len(texts)]})
                counts[str(response.status_code)] = counts.get(str(response.status_code), 0) + 1
            except httpx.HTTPError:
                counts["error"] = counts.get("error", 0) + 1
            n += 1

    async with _client(base, "127.0.0.99") as client:
        await asyncio.gather(*(connection(client, i) for i in range(HEAVY_CONNECTIONS)))


async def _phase(base: str, normal: list[str], heavy: list[str] | None, seconds: float) -> dict[str, Any]:
    until = time.perf_counter() + seconds
    latencies: list[float] = []
    counts: dict[str, int] = {}
    tasks = [
        _normal(base, f"127.0.0.{2 + i}", normal[i:] + normal[:i], until, latencies)
        for i in range(NORMAL_CLIENTS)
    ]
    if heavy:
        tasks.append(_heavy(base, heavy, until, counts))
    await asyncio.gather(*tasks)
    return {
        "normal_requests": len(latencies),
        "normal_p50_ms": round(percentile(latencies, 0.5), 1),
        "normal_p95_ms": round(percentile(latencies, 0.95), 1),
        "heavy_responses": counts,
    }


def _alone(base: str, text: str, repeat: int = 3) -> float:
    """The median latency of one question asked alone (from an address of its own, so no bucket is shared)."""
    samples = []
    with httpx.Client(
        base_url=base, timeout=120, transport=httpx.HTTPTransport(local_address="127.0.0.50")
    ) as c:
        for _ in range(repeat):
            started = time.perf_counter()
            c.post("/v1/ask", json={"question": text}).raise_for_status()
            samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 1)


def benchmark(seconds: float) -> dict[str, Any]:
    normal = questions()[:30]
    heavy = long_questions()
    with running_server(rate_limit=None) as server:
        for text in normal[:5]:
            _alone(server.base, text, repeat=1)
        costs = {
            "normal (median of 10)": round(
                statistics.median(_alone(server.base, t, 1) for t in normal[:10]), 1
            )
        }
        costs |= {f"2,000 chars: {kind}": _alone(server.base, text) for kind, text in heavy.items()}
        baseline = asyncio.run(_phase(server.base, normal, None, seconds))
        loaded = asyncio.run(_phase(server.base, normal, list(heavy.values()), seconds))
    ratio = loaded["normal_p50_ms"] / baseline["normal_p50_ms"] if baseline["normal_p50_ms"] else float("nan")
    return {
        "seconds_per_phase": seconds,
        "cost_alone_ms": costs,
        "baseline": baseline,
        "with_heavy_client": loaded,
        "p50_ratio": round(ratio, 2),
    }


def format_table(result: dict[str, Any]) -> str:
    lines = ["| question asked alone | ms |", "|---|---|"]
    lines += [f"| {kind} | {ms} |" for kind, ms in result["cost_alone_ms"].items()]
    lines += [
        "",
        "| phase | normal requests | normal p50 ms | normal p95 ms | heavy client's responses |",
        "|---|---|---|---|---|",
    ]
    for name in ("baseline", "with_heavy_client"):
        phase = result[name]
        lines.append(
            f"| {name.replace('_', ' ')} | {phase['normal_requests']} | {phase['normal_p50_ms']} | "
            f"{phase['normal_p95_ms']} | {json.dumps(phase['heavy_responses'])} |"
        )
    lines.append(
        f"\nnormal clients' p50 beside the heavy client: {result['p50_ratio']}x their baseline (target <= 2x)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each phase")
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args(argv)
    result = benchmark(args.seconds)
    print(format_table(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0 if result["p50_ratio"] <= 2.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
