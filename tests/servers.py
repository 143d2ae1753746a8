"""A real uvicorn server for tests: an app on a free loopback port in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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
