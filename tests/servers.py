"""A real uvicorn server for tests: an app on a free loopback port in a background thread."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from bot.api.connections import ConnectionLimits, server_config


@contextmanager
def running_server(
    app: Any, start_timeout_s: float = 60, must_stop: bool = False, limits: ConnectionLimits | None = None
) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 and yield its base URL; stop it afterwards (gracefully, then forced: a browser
    may hold streams open). `must_stop` asserts that it did, for tests that restart on the same files."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        server_config(app, "127.0.0.1", port, limits or ConnectionLimits(), log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout_s
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        if thread.is_alive():
            server.force_exit = True
            thread.join(timeout=10)
        assert not (must_stop and thread.is_alive()), "server did not stop"


POLICYBOT = Path(sys.executable).with_name("policybot")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_process(env: dict[str, str], port: int, log: Path | None = None) -> subprocess.Popen:
    """`policybot serve` in a process of its own, as an operator starts it (stderr to `log` if given)."""
    return subprocess.Popen(
        [str(POLICYBOT), "serve", "--port", str(port)],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb") if log is not None else subprocess.DEVNULL,
    )


def wait_ready(base: str, process: subprocess.Popen, timeout_s: float) -> dict:
    """/readyz's body once it answers 200; fails when the process exits or the time is up."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        with suppress(httpx.TransportError):
            response = httpx.get(f"{base}/readyz", timeout=2)
            if response.status_code == 200:
                return dict(response.json())
        time.sleep(0.1)
    raise AssertionError(f"not ready within {timeout_s} s")
