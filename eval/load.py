"""Load and soak benchmark of the real HTTP API (POST /v1/ask) on loopback.

    python -m eval.load [--levels 1,4,16,32,64] [--requests 200]    concurrency levels, find the knee
    python -m eval.load --soak 600                                  constant concurrency 4, server RSS

The server runs in its own process (uvicorn, API only unless --full) on a free 127.0.0.1 port with a
rate limit high enough not to interfere; an asyncio + httpx client posts questions from
eval/questions.jsonl in rotation. Every run is bounded in requests and time and stops by itself. Beside
the latencies stands the bare query-embedding cost (E5Embedder.embed_queries p50), measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "eval" / "questions.jsonl"
SOAK_RESULT = ROOT / "eval" / "results" / "soak.json"
LEVELS = (1, 4, 16, 32, 64)
REQUEST_TIMEOUT_S = 120.0
LEVEL_DEADLINE_S = 300.0
SAMPLE_EVERY_S = 10.0
RATE_LIMIT = "100000000"


def percentile(samples: list[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def questions() -> list[str]:
    from eval.run import load_questions

    return [row["q"] for row in load_questions(QUESTIONS)]


def rss_mb(pid: int) -> float:
    """Resident set size of a process, from /proc/<pid>/status (VmRSS, in kB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


# ------------------------------------------------------------------------------------------ server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(port: int, full: bool) -> None:
    """The server process: the real bot and app, uvicorn on loopback."""
    import uvicorn

    from bot.api import build_server, create_app
    from bot.api.connections import server_config
    from bot.api.server import connection_limits
    from bot.config import Settings
    from bot.wiring import build_bot, for_serving

    bot = build_bot(for_serving(Settings()), progress=False)
    app = build_server(bot) if full else create_app(bot)
    limits = connection_limits(bot.settings)
    uvicorn.Server(server_config(app, "127.0.0.1", port, limits, log_level="warning")).run()


@dataclass
class Server:
    process: subprocess.Popen
    base: str


@contextmanager
def running_server(
    full: bool = False, start_timeout_s: float = 600, rate_limit: str | None = RATE_LIMIT
) -> Iterator[Server]:
    """Start the server process, wait until /readyz answers, stop it (terminate, then kill) on exit;
    `rate_limit` None keeps the configured one."""
    port = free_port()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
    if rate_limit is not None:
        env["BOT_SERVER__RATE_LIMIT_PER_MINUTE"] = rate_limit
    command = [sys.executable, "-m", "eval.load", "--serve", str(port), *(["--full"] if full else [])]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        with server_process(process, f"http://127.0.0.1:{port}", log, start_timeout_s) as server:
            yield server


@contextmanager
def server_process(
    process: subprocess.Popen, base: str, log: Any, start_timeout_s: float
) -> Iterator[Server]:
    """A started server process once /readyz answers (its log's tail if it exits first); stopped on exit
    (terminate, then kill)."""
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            if process.poll() is not None:
                log.seek(0)
                tail = log.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"server exited with {process.returncode}:\n{tail}")
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not become ready")
            time.sleep(0.2)
        yield Server(process, base)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


# ------------------------------------------------------------------------------------------ client


@dataclass
class Level:
    concurrency: int
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    throughput: float
    seconds: float


async def _drive(
    base: str, texts: list[str], concurrency: int, total: int | None, seconds: float | None
) -> tuple[list[float], int, float]:
    """`concurrency` workers post questions until `total` requests are sent or `seconds` pass."""
    latencies: list[float] = []
    errors = 0
    sent = 0
    started = time.perf_counter()
    stop_at = started + (seconds if seconds is not None else LEVEL_DEADLINE_S)

    async def worker(number: int) -> None:
        # Each worker is one user with an address of its own (the server shares its CPU fairly by client).
        transport = httpx.AsyncHTTPTransport(local_address=client_address(number))
        async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S, transport=transport) as client:
            await asks(client)

    async def asks(client: httpx.AsyncClient) -> None:
        nonlocal errors, sent
        while time.perf_counter() < stop_at and (total is None or sent < total):
            question = texts[sent % len(texts)]
            sent += 1
            t = time.perf_counter()
            try:
                response = await client.post("/v1/ask", json={"question": question})
                ok = response.status_code == 200 and "answer" in response.json()
            except (httpx.HTTPError, ValueError):
                ok = False
            if ok:
                latencies.append((time.perf_counter() - t) * 1000)
            else:
                errors += 1

    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return latencies, errors, time.perf_counter() - started


def client_address(number: int) -> str:
    """A loopback address of its own for simulated user `number` (all of 127.0.0.0/8 is loopback on Linux)."""
    return f"127.0.{1 + number // 250}.{1 + number % 250}"


def run_level(base: str, texts: list[str], concurrency: int, total: int) -> Level:
    latencies, errors, seconds = asyncio.run(_drive(base, texts, concurrency, total, None))
    return Level(
        concurrency=concurrency,
        requests=len(latencies) + errors,
        errors=errors,
        p50_ms=percentile(latencies, 0.5),
        p95_ms=percentile(latencies, 0.95),
        throughput=len(latencies) / seconds if seconds else 0.0,
        seconds=seconds,
    )


class EmbeddingFloor:
    """The bare query embedding (E5Embedder.embed_queries, one question a call), timed in this process.

    Alone it is the cost of one question; with `concurrency` callers at once (the server's engine setup) it
    is the floor no server can beat at that load: on 2 cores, 16 callers queue for the engines whatever
    the server does around them."""

    def __init__(self) -> None:
        from bot.config import Settings
        from bot.embed import E5Embedder
        from bot.wiring import for_serving

        self.embedder = E5Embedder()
        self.embedder.embed_queries(["warm up"])
        serving = for_serving(Settings()).embedding
        self.serving = E5Embedder(num_threads=serving.threads, instances=serving.instances)
        self.serving.embed_queries(["warm up"])
        self.timings: list[float] = []
        self.under_load: dict[int, float] = {}

    def measure(self, texts: list[str], count: int = 60) -> None:
        step = max(1, len(texts) // count)
        for text in texts[::step][:count]:
            t = time.perf_counter()
            self.embedder.embed_queries([text])
            self.timings.append((time.perf_counter() - t) * 1000)

    def measure_concurrent(self, texts: list[str], concurrency: int, per_caller: int = 12) -> float:
        """p50 of one embedding call while `concurrency` callers embed at once (closed loop, like the clients)."""
        from concurrent.futures import ThreadPoolExecutor

        def caller(offset: int) -> list[float]:
            timings = []
            for i in range(per_caller):
                text = texts[(offset * per_caller + i) % len(texts)]
                t = time.perf_counter()
                self.serving.embed_queries([text])
                timings.append((time.perf_counter() - t) * 1000)
            return timings

        with ThreadPoolExecutor(concurrency) as pool:
            samples = [t for timings in pool.map(caller, range(concurrency)) for t in timings]
        self.under_load[concurrency] = statistics.median(samples)
        return self.under_load[concurrency]

    @property
    def p50(self) -> float:
        return statistics.median(self.timings)


def knee(levels: list[Level]) -> int | None:
    """The first level whose p50 exceeds twice the level-1 p50, or whose throughput stops rising (< +5%)."""
    if not levels:
        return None
    base = levels[0].p50_ms
    for before, level in zip(levels, levels[1:], strict=False):
        if level.p50_ms > 2 * base or level.throughput < 1.05 * before.throughput:
            return level.concurrency
    return None


def warm_server(server: Server, texts: list[str], concurrency: int = 1, count: int = 30) -> None:
    """One pass over questions spread across the whole set (every language and kind), not timed."""
    step = max(1, len(texts) // count)
    asyncio.run(_drive(server.base, texts[::step][:count], concurrency, count, None))


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def benchmark(levels: tuple[int, ...] = LEVELS, requests: int = 200, full: bool = False) -> dict[str, Any]:
    texts = questions()
    results: list[Level] = []
    load_before = load_average()
    floor = EmbeddingFloor()
    with running_server(full) as server:
        warm_server(server, texts)
        floor.measure(texts)  # while the server is idle, before and after the levels
        rss_start = rss_mb(server.process.pid)
        for concurrency in levels:
            results.append(run_level(server.base, texts, concurrency, max(requests, 3 * concurrency)))
        rss_end = rss_mb(server.process.pid)
        floor.measure(texts)
    for concurrency in levels:  # with the server idle, the same callers on the bare embedding engines
        floor.measure_concurrent(texts, concurrency)
    return {
        "levels": [asdict(level) for level in results],
        "knee": knee(results),
        "embed_p50_ms": floor.p50,
        "embed_p50_ms_under_load": {str(c): v for c, v in floor.under_load.items()},
        "server_rss_mb": {"start": rss_start, "end": rss_end},
        "app": "full (API + UI)" if full else "API only",
        "load_average": {"before": load_before, "after": load_average()},
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def format_table(result: dict[str, Any]) -> str:
    floor = result["embed_p50_ms"]
    under_load = result.get("embed_p50_ms_under_load", {})
    lines = [
        f"{'concurrency':>11}{'requests':>10}{'errors':>8}{'p50 ms':>10}{'p95 ms':>10}{'req/s':>9}"
        f"{'p50/embed':>11}{'embed@C ms':>12}{'p50/embed@C':>13}  ",
    ]
    for level in result["levels"]:
        mark = "  <- knee" if level["concurrency"] == result["knee"] else ""
        loaded = under_load.get(str(level["concurrency"]), float("nan"))
        lines.append(
            f"{level['concurrency']:>11}{level['requests']:>10}{level['errors']:>8}{level['p50_ms']:>10.1f}"
            f"{level['p95_ms']:>10.1f}{level['throughput']:>9.1f}{level['p50_ms'] / floor:>11.1f}"
            f"{loaded:>12.1f}{level['p50_ms'] / loaded:>13.1f}{mark}"
        )
    knee_text = f"concurrency {result['knee']}" if result["knee"] else "not reached"
    lines.append(
        f"bare query embedding (E5Embedder.embed_queries) p50 {floor:.2f} ms; knee: {knee_text} "
        "(p50 > 2x level-1 p50, or throughput up < 5%)"
    )
    lines.append(
        "embed@C: p50 of the bare embedding call with C callers at once on the server's engines "
        f"({os.cpu_count()} single-threaded); by Little's law no server can answer C closed-loop clients "
        "faster than C x (CPU per request) / cores"
    )
    lines.append(
        f"{result['app']}; server RSS {result['server_rss_mb']['start']:.0f} -> "
        f"{result['server_rss_mb']['end']:.0f} MB; 1-min load average {result['load_average']['before']} "
        f"before, {result['load_average']['after']} after ({os.cpu_count()} cores)"
    )
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ soak


def slope_per_minute(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) points, in MB per minute."""
    if len(points) < 2:
        return 0.0
    mean_t = statistics.fmean(t for t, _ in points)
    mean_v = statistics.fmean(v for _, v in points)
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    return 60 * sum((t - mean_t) * (v - mean_v) for t, v in points) / spread if spread else 0.0


async def _soak(server: Server, texts: list[str], seconds: float, concurrency: int) -> dict[str, Any]:
    samples: list[tuple[float, float]] = []
    started = time.perf_counter()

    async def sampler() -> None:
        while True:
            samples.append((round(time.perf_counter() - started, 1), rss_mb(server.process.pid)))
            if time.perf_counter() - started >= seconds:
                return
            await asyncio.sleep(min(SAMPLE_EVERY_S, max(0.0, seconds - (time.perf_counter() - started))))

    load = asyncio.create_task(_drive(server.base, texts, concurrency, None, seconds))
    await sampler()
    latencies, errors, elapsed = await load
    samples.append((round(time.perf_counter() - started, 1), rss_mb(server.process.pid)))
    return {"samples": samples, "latencies": latencies, "errors": errors, "elapsed": elapsed}


def soak(seconds: float, concurrency: int = 4, full: bool = False) -> dict[str, Any]:
    texts = questions()
    load_before = load_average()
    with running_server(full) as server:
        warm_server(server, texts, concurrency)
        raw = asyncio.run(_soak(server, texts, seconds, concurrency))
    samples = raw["samples"]
    warm_up = max(SAMPLE_EVERY_S, 0.1 * seconds)
    settled = [(t, v) for t, v in samples if t >= warm_up] or samples[-1:]
    baseline, last = settled[0][1], samples[-1][1]
    growth = (last - baseline) / baseline
    latencies = raw["latencies"]
    return {
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": seconds,
        "concurrency": concurrency,
        "app": "full (API + UI)" if full else "API only",
        "requests": len(latencies) + raw["errors"],
        "errors": raw["errors"],
        "throughput": len(latencies) / raw["elapsed"],
        "p50_ms": percentile(latencies, 0.5),
        "p95_ms": percentile(latencies, 0.95),
        "rss_mb": {
            "first": samples[0][1],
            "last": last,
            "max": max(v for _, v in samples),
            "after_warm_up": baseline,
            "warm_up_s": warm_up,
        },
        "slope_mb_per_min": slope_per_minute(settled),
        "growth_after_warm_up": growth,
        "flat": growth < 0.05,
        "load_average": {"before": load_before, "after": load_average()},
        "samples": samples,
    }


def format_soak(result: dict[str, Any]) -> str:
    rss = result["rss_mb"]
    return "\n".join(
        [
            f"soak {result['seconds']:.0f} s at concurrency {result['concurrency']} ({result['app']}): "
            f"{result['requests']} requests, {result['errors']} errors, {result['throughput']:.1f} req/s, "
            f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms",
            f"server RSS MB: first {rss['first']:.1f}, after warm-up ({rss['warm_up_s']:.0f} s) "
            f"{rss['after_warm_up']:.1f}, last {rss['last']:.1f}, max {rss['max']:.1f}; "
            f"slope {result['slope_mb_per_min']:+.2f} MB/min; growth after warm-up "
            f"{100 * result['growth_after_warm_up']:+.1f}% -> {'flat' if result['flat'] else 'GROWING'}",
            f"1-min load average {result['load_average']['before']} before, "
            f"{result['load_average']['after']} after ({os.cpu_count()} cores)",
        ]
    )


# ------------------------------------------------------------------------------------------ entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)), help="concurrency levels")
    parser.add_argument("--requests", type=int, default=200, help="requests per level (at least 3x it)")
    parser.add_argument("--soak", type=float, metavar="SECONDS", help="soak at concurrency 4 instead")
    parser.add_argument("--full", action="store_true", help="serve the UI too (as `policybot serve`)")
    parser.add_argument("--json", type=Path, help="also write the result as JSON here")
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.serve:
        serve(args.serve, args.full)
        return 0
    if args.soak:
        result = soak(args.soak, full=args.full)
        print(format_soak(result))
        SOAK_RESULT.parent.mkdir(parents=True, exist_ok=True)
        SOAK_RESULT.write_text(json.dumps(result, indent=1) + "\n")
        print(f"written to {SOAK_RESULT.relative_to(ROOT)}")
    else:
        levels = tuple(int(x) for x in args.levels.split(","))
        result = benchmark(levels, args.requests, args.full)
        print(format_table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
