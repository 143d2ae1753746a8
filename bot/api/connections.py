"""Connections: how long a client may take to send its request, and how many connections are held at once.

uvicorn arms no timer on a connection before its first response, and none while a request's headers or body
arrive: a client that sends half a request holds the connection, and a file descriptor, for ever, and
20,000 of them exhaust the process's descriptors. Here each request's headers must arrive within a deadline,
its body may not stall, and past a bound on connections the one idle longest before a request is closed to
make room, so half-open connections cannot keep a new client out."""

from __future__ import annotations

import asyncio
import logging
import resource
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

if TYPE_CHECKING:
    import uvicorn

log = logging.getLogger("policybot.api")

RESERVED_DESCRIPTORS = 256  # files, the index, the database, the embedder: never taken by connections


@dataclass
class ConnectionLimits:
    header_timeout_s: float = 10.0  # from a request's first byte (or the connection) to its last header
    body_idle_s: float = 15.0  # the longest pause inside a request body
    max_connections: int = 2048
    # Connections waiting for a request (new, keep-alive or half-sent), oldest first: the ones to close.
    waiting: OrderedDict[Any, None] = field(default_factory=OrderedDict)


def descriptor_budget(wanted: int) -> int:
    """Raise the soft limit on open files to the hard one and return how many connections fit in it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    fits = max(16, soft - RESERVED_DESCRIPTORS) if soft != resource.RLIM_INFINITY else wanted
    if fits < wanted:
        log.warning("max_connections %d lowered to %d: the process may open %d files", wanted, fits, soft)
    return min(wanted, fits)


def guarded_protocol(limits: ConnectionLimits) -> type[H11Protocol]:
    """uvicorn's h11 protocol with the deadlines and the connection bound of `limits`."""

    class GuardedH11Protocol(H11Protocol):
        _timer: asyncio.TimerHandle | None = None
        _phase: str | None = None  # "headers" while a request is arriving, "body" while its body is

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._wait_for_headers()
            while len(self.connections) > limits.max_connections and limits.waiting:
                oldest = next(iter(limits.waiting))
                oldest._close("connection limit reached: the oldest connection without a request closed")

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            limits.waiting.pop(self, None)
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            state = self.conn.their_state
            if state is h11.IDLE:  # (more of) a request's headers: the deadline runs from its first byte
                if self._phase != "headers":
                    self._wait_for_headers()
            elif state is h11.SEND_BODY:
                limits.waiting.pop(self, None)
                self._phase = "body"
                self._arm(limits.body_idle_s, "request body stalled")  # each chunk restarts the pause
            else:  # the request is in: the answer takes as long as it takes
                limits.waiting.pop(self, None)
                self._phase = None
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()  # arms uvicorn's keep-alive time-out
            self._disarm()
            self._phase = None
            if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
                limits.waiting[self] = None  # idle until its next request: first to go when full

        def _wait_for_headers(self) -> None:
            self._phase = "headers"
            limits.waiting.pop(self, None)
            limits.waiting[self] = None
            self._arm(limits.header_timeout_s, "request headers not received in time")

        def _arm(self, seconds: float, why: str) -> None:
            self._disarm()
            self._timer = self.loop.call_later(seconds, self._expired, why)

        def _disarm(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

        def _expired(self, why: str) -> None:
            self._timer = None
            if self._phase == "body" and self.flow.read_paused:
                # The server stopped reading (the app has not taken the body yet): not the client's delay.
                self._arm(limits.body_idle_s, why)
                return
            self._close(why)

        def _close(self, why: str) -> None:
            limits.waiting.pop(self, None)
            self._disarm()
            if not self.transport.is_closing():
                log.debug("closing a connection: %s", why)
                self.transport.close()

    return GuardedH11Protocol


def server_config(app: Any, host: str, port: int, limits: ConnectionLimits, **options: Any) -> uvicorn.Config:
    """The uvicorn configuration every server of this project runs with (the product's and the tests')."""
    import uvicorn

    limits.max_connections = descriptor_budget(limits.max_connections)
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=guarded_protocol(limits),
        ws="none",  # nothing here speaks WebSocket; without it an Upgrade is a plain request
        access_log=False,
        **options,
    )
