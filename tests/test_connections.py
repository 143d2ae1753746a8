"""Connections against the real uvicorn server: deadlines for a request's headers and body, and a bound on
connections that half-open ones cannot fill (20,000 of them from other processes)."""

from __future__ import annotations

import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bot.api import create_app
from bot.api.connections import GRACE_S, ConnectionLimits
from tests.helpers import with_server_settings
from tests.servers import running_server

HALF_REQUEST = b"GET /healthz HTTP/1.1\r\nHost: policybot\r\n"  # no blank line: the headers never end
# Opens COUNT connections from SOURCE, sends half a request on each, says how many, and holds them.
ATTACKER = """
import resource, socket, sys, time
hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
port, count, source = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
held = []
for n in range(count):
    s = socket.socket()
    s.bind((source, 0))
    try:
        s.connect(("127.0.0.1", port))
        s.sendall(HALF_REQUEST)
    except OSError:
        s.close()
        continue
    held.append(s)
print(len(held), flush=True)
time.sleep(600)
""".replace("HALF_REQUEST", repr(HALF_REQUEST))


@pytest.fixture
def guarded(bot: Any) -> Iterator[tuple[str, ConnectionLimits]]:
    limits = ConnectionLimits(header_timeout_s=1.0, body_idle_s=1.0, max_connections=2048)
    app = create_app(with_server_settings(bot, rate_limit_per_minute=1_000_000))
    with running_server(app, limits=limits) as base:
        yield base, limits


def connect(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def closed_after(sock: socket.socket) -> float:
    """Seconds until the server closes the connection (reads whatever it sends first)."""
    started = time.monotonic()
    while sock.recv(4096):
        pass
    return time.monotonic() - started


def test_headers_that_never_end_are_cut_at_the_deadline(guarded: tuple[str, ConnectionLimits]) -> None:
    base, _ = guarded
    with connect(base) as silent, connect(base) as half:
        half.sendall(HALF_REQUEST)
        assert 0.8 < closed_after(half) < 3.0
        assert closed_after(silent) < 3.0  # a connection that sends nothing at all, likewise


def test_slowloris_after_a_first_request_is_cut_too(guarded: tuple[str, ConnectionLimits]) -> None:
    """One byte at a time, each inside every pause limit: the deadline runs from the request's first byte."""
    base, _ = guarded
    with connect(base) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: policybot\r\n\r\n")
        assert b"200 OK" in sock.recv(4096)
        started = time.monotonic()
        with pytest.raises(OSError):  # a write after the server closed it is refused
            for byte in b"GET /healthz HTTP/1.1\r\nX-Slow: " + b"a" * 50:
                sock.sendall(bytes([byte]))
                time.sleep(0.2)
        assert time.monotonic() - started < 4.0


def test_a_stalled_body_is_cut_and_a_steady_one_is_read(guarded: tuple[str, ConnectionLimits]) -> None:
    base, _ = guarded
    head = b"POST /v1/search HTTP/1.1\r\nHost: policybot\r\nContent-Type: application/json\r\n"
    with connect(base) as stalled:
        stalled.sendall(head + b"Content-Length: 100\r\n\r\n" + b'{"question": "')
        assert closed_after(stalled) < 3.0
    body = b'{"question": "\xe7\x9f\xa5\xe8\xaf\x86\xe4\xba\xa7\xe6\x9d\x83\xe8\xb4\xa8\xe6\x8a\xbc"}'
    with connect(base) as steady:  # slower in all than the pause limit, never pausing that long
        steady.sendall(head + f"Content-Length: {len(body)}\r\n\r\n".encode())
        for start in range(0, len(body), 8):
            time.sleep(0.3)
            steady.sendall(body[start : start + 8])
        assert b"200 OK" in steady.recv(65536)


@pytest.mark.slow
def test_20000_half_open_connections_do_not_stop_new_clients(guarded: tuple[str, ConnectionLimits]) -> None:
    base, limits = guarded
    if resource.getrlimit(resource.RLIMIT_NOFILE)[1] < 10_500:
        pytest.skip(
            "this machine allows a process fewer than 10,500 open files: 10,000 per attacker cannot be held"
        )
    limits.header_timeout_s = 600.0  # they are held as long as the attack lasts: only the bound helps
    port = base.rsplit(":", 1)[1]
    attackers = [
        subprocess.Popen(
            [sys.executable, "-c", ATTACKER, port, "10000", source], stdout=subprocess.PIPE, text=True
        )
        for source in ("127.0.0.2", "127.0.0.3")
    ]
    try:
        opened = sum(int(a.stdout.readline() or 0) for a in attackers if a.stdout is not None)
        assert opened >= 19_000, f"only {opened} half-open connections could be made"
        time.sleep(GRACE_S + 0.5)  # the last ones accepted have had their chance to send a request
        assert len(limits.waiting) <= limits.max_connections
        latencies = []
        for n in range(20):  # a new connection each time: the hard case
            started = time.monotonic()
            response = httpx.post(f"{base}/v1/search", json={"question": f"知识产权质押融资{n}"}, timeout=10)
            latencies.append(time.monotonic() - started)
            assert response.status_code == 200
        assert max(latencies) < 2.0, latencies
    finally:
        for attacker in attackers:
            attacker.kill()
            attacker.wait(timeout=10)
