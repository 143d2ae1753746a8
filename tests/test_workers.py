"""Several worker processes on one port (BOT_SERVER__WORKERS=2), as `policybot serve` starts them: no errors
under 64 concurrent clients, a document ingested through one worker answered by all, and each worker's
connections guarded."""

from __future__ import annotations

import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

import httpx
import pytest

from bot.config import Settings
from tests.servers import free_port, serve_process, wait_ready
from tests.test_faults import cli_env, distinct_documents

TOKEN = "worker-admin-token-0123456789"


def children(pid: int) -> list[int]:
    """The processes `pid` started (from /proc: no procps needed)."""
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    with suppress(subprocess.TimeoutExpired):
        server.wait(timeout=15)
    if server.poll() is None:
        server.kill()
        server.wait(timeout=10)


@pytest.mark.slow
def test_two_workers_serve_64_clients_and_follow_an_ingest(settings: Settings, tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = cli_env(settings) | {
        "BOT_SERVER__WORKERS": "2",
        "BOT_SERVER__ADMIN_TOKEN": TOKEN,
        "BOT_SERVER__RATE_LIMIT_PER_MINUTE": "1000000",
        "BOT_SERVER__HEADER_TIMEOUT_S": "1",
    }
    server = serve_process(env, port)
    try:
        wait_ready(base, server, 120)
        assert len(children(server.pid)) >= 2  # the workers (and perhaps a resource tracker)

        def client(n: int) -> list[int]:
            # 64 clients, each from an address of its own (one address is one client to the fair share).
            transport = httpx.HTTPTransport(local_address=f"127.0.1.{n + 1}")
            with httpx.Client(base_url=base, timeout=60, transport=transport) as http:
                return [
                    http.post("/v1/search", json={"question": f"知识产权质押融资第{n}问"}).status_code
                    for _ in range(4)
                ]

        with ThreadPoolExecutor(64) as pool:
            statuses = [s for batch in pool.map(client, range(64)) for s in batch]
        assert statuses == [200] * 256

        before = len(httpx.get(f"{base}/v1/documents").json())
        document = distinct_documents(tmp_path / "incoming", 1)[0]
        added = httpx.post(
            f"{base}/v1/admin/ingest",
            headers={"Authorization": f"Bearer {TOKEN}"},
            files={"files": (document.name, document.read_bytes(), "text/plain")},
            timeout=300,
        )
        assert added.status_code == 200, added.text
        ingested = time.monotonic()
        while True:  # new connections land on either worker: every one must know the document
            counts = {len(httpx.get(f"{base}/v1/documents").json()) for _ in range(20)}
            if counts == {before + 1}:
                break
            assert time.monotonic() - ingested < 15, f"workers disagree on the documents: {counts}"
            time.sleep(0.2)
        followed = time.monotonic() - ingested

        with socket.create_connection(("127.0.0.1", port), timeout=10) as half:  # each worker is guarded
            half.sendall(b"GET /healthz HTTP/1.1\r\nHost: policybot\r\n")
            started = time.monotonic()
            while half.recv(4096):
                pass
            assert time.monotonic() - started < 3.0
    finally:
        stop(server)
    print(f"all workers served the ingested document {followed:.1f} s after the ingest answered")


@pytest.mark.slow
def test_two_workers_share_one_rate_limit_and_feedback_in_postgres(
    settings: Settings, postgres_url: str
) -> None:
    """BOT_DATA__DATABASE_URL: both workers bill one client's requests to one bucket, and feedback posted
    through either lands in PostgreSQL (not in a file of one worker)."""
    import psycopg

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = cli_env(settings) | {
        "BOT_SERVER__WORKERS": "2",
        "BOT_SERVER__RATE_LIMIT_PER_MINUTE": "30",
        "BOT_DATA__DATABASE_URL": postgres_url,
    }
    server = serve_process(env, port)
    try:
        wait_ready(base, server, 120)

        def client(n: int) -> list[int]:
            statuses = []
            for i in range(10):  # a new connection each time: the kernel spreads them over the workers
                with httpx.Client(base_url=base, timeout=60) as http:
                    response = http.post("/v1/feedback", json={"rating": 1, "comment": f"{n}-{i}"})
                    statuses.append(response.status_code)
            return statuses

        with ThreadPoolExecutor(6) as pool:
            statuses = [s for batch in pool.map(client, range(6)) for s in batch]
        granted = statuses.count(200)
        assert set(statuses) <= {200, 429}
        # One budget of 30, plus what refills while the test runs (0.5 a second). With a limit per worker
        # (BOT_DATA__SHARED_RATE_LIMIT=false) 46 got through in the same run.
        assert 30 <= granted <= 40, statuses
        with psycopg.connect(postgres_url) as connection:
            stored = connection.execute("SELECT count(*) FROM feedback").fetchone()
        assert stored is not None and stored[0] == granted
    finally:
        stop(server)
