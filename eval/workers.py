"""The load benchmark at 1, 2 and 4 worker processes: `policybot serve` as an operator starts it
(BOT_SERVER__WORKERS, API and UI, the rate limit shared in SQLite when there are several), closed-loop
clients posting /v1/ask, beside the bare embedding under the same number of callers in the same run.

    python -m eval.workers [--workers 1,2,4] [--levels 1,16,64] [--requests 200]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from eval.load import EmbeddingFloor, free_port, questions, rss_mb, run_level, server_process, warm_server

ROOT = Path(__file__).resolve().parent.parent
POLICYBOT = ROOT / ".venv" / "bin" / "policybot"


def tree_rss_mb(pid: int) -> float:
    """RSS of a process and its children (the workers), from /proc."""
    total = rss_mb(pid)
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return total + sum(tree_rss_mb(int(child)) for child in children if Path(f"/proc/{child}").exists())


@contextmanager
def serving(workers: int, data_dir: Path, start_timeout_s: float = 600):  # type: ignore[no-untyped-def]
    port = free_port()
    env = {
        **os.environ,
        "GRADIO_ANALYTICS_ENABLED": "False",
        "BOT_SERVER__WORKERS": str(workers),
        "BOT_SERVER__RATE_LIMIT_PER_MINUTE": "100000000",
        "BOT_DATA_DIR": str(data_dir),
    }
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [str(POLICYBOT), "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log
        )
        with server_process(process, f"http://127.0.0.1:{port}", log, start_timeout_s) as server:
            yield server


def benchmark(worker_counts: list[int], levels: list[int], requests: int) -> dict[str, Any]:
    texts = questions()
    floor = EmbeddingFloor()
    floor.measure(texts)
    rows = []
    for workers in worker_counts:
        with tempfile.TemporaryDirectory() as data, serving(workers, Path(data)) as server:
            warm_server(server, texts, concurrency=2 * workers)
            for concurrency in levels:
                level = run_level(server.base, texts, concurrency, max(requests, 3 * concurrency))
                rows.append({"workers": workers, **level.__dict__, "rss_mb": tree_rss_mb(server.process.pid)})
    for concurrency in levels:
        floor.measure_concurrent(texts, concurrency)
    return {
        "rows": rows,
        "embed_p50_ms": floor.p50,
        "embed_p50_ms_under_load": floor.under_load,
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cores": os.cpu_count(),
    }


def format_table(result: dict[str, Any]) -> str:
    lines = [
        f"{'workers':>8}{'clients':>8}{'requests':>10}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>8}"
        f"{'embed@C ms':>12}{'p50/embed@C':>13}{'RSS MB':>9}"
    ]
    for row in result["rows"]:
        loaded = result["embed_p50_ms_under_load"][row["concurrency"]]
        lines.append(
            f"{row['workers']:>8}{row['concurrency']:>8}{row['requests']:>10}{row['errors']:>8}"
            f"{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}{row['throughput']:>8.1f}{loaded:>12.1f}"
            f"{row['p50_ms'] / loaded:>13.1f}{row['rss_mb']:>9.0f}"
        )
    lines.append(
        f"bare query embedding p50 {result['embed_p50_ms']:.1f} ms alone; embed@C: with C callers at once on "
        f"one engine per core ({result['cores']} cores), the floor any number of workers shares"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--levels", default="1,16,64")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = benchmark(
        [int(w) for w in args.workers.split(",")], [int(c) for c in args.levels.split(",")], args.requests
    )
    print(format_table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
