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
from typing import TYPE_CHECKING, Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

if TYPE_CHECKING:
    import uvicorn

log = logging.getLogger("policybot.api")

RESERVED_DESCRIPTORS = 256  # files, the index, the database, the embedder: never taken by connections
# A connection is not closed for the bound before it has had this long to send its request: the loop may
# accept a whole backlog of connections before it reads the first byte of any.
GRACE_S = 0.5


@dataclass
class ConnectionLimits:
    header_timeout_s: float = 10.0  # from a request's first byte (or the connection) to its last header
    body_idle_s: float = 15.0  # the longest pause inside a request body
    max_connections: int = 2048
    # Connections waiting for a request (new, keep-alive or half-sent), oldest first: the ones to close.
    waiting: OrderedDict[Any, None] = field(default_factory=OrderedDict)
    trim_at: asyncio.TimerHandle | None = None  # a trim waiting for young connections' grace to pass


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


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with the deadlines and the connection bound of `limits` (set per process: a
    worker sets it from its settings; `guarded_protocol` makes a subclass with limits of its own)."""

    limits: ClassVar[ConnectionLimits] = ConnectionLimits()
    _timer: asyncio.TimerHandle | None = None
    _waiting_since = 0.0  # loop time it began to wait for a request
    _phase: str | None = None  # "headers" while a request is arriving, "body" while its body is

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._wait_for_headers()
        if self.limits.trim_at is None or len(self.connections) >= 2 * self.limits.max_connections:
            self._trim()

    def _trim(self) -> None:
        """Close the connections waiting longest for a request until the bound holds again. One that has
        not yet had GRACE_S to send its request is spared (the bound is passed for a moment, and enforced
        once it has), unless twice the bound is held."""
        limits = self.limits
        if limits.trim_at is not None:
            limits.trim_at.cancel()
            limits.trim_at = None
        while len(self.connections) > limits.max_connections and limits.waiting:
            oldest = next(iter(limits.waiting))
            young = self.loop.time() - oldest._waiting_since < GRACE_S
            if young and len(self.connections) < 2 * limits.max_connections:
                limits.trim_at = self.loop.call_later(GRACE_S, self._trim)
                return
            oldest._close("connection limit reached: the oldest connection without a request closed")

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self.limits.waiting.pop(self, None)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        state = self.conn.their_state
        if state is h11.IDLE:  # (more of) a request's headers: the deadline runs from its first byte
            if self._phase != "headers":
                self._wait_for_headers()
        elif state is h11.SEND_BODY:
            self.limits.waiting.pop(self, None)
            self._phase = "body"
            self._arm(self.limits.body_idle_s, "request body stalled")  # each chunk restarts the pause
        else:  # the request is in: the answer takes as long as it takes
            self.limits.waiting.pop(self, None)
            self._phase = None
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # arms uvicorn's keep-alive time-out
        self._disarm()
        self._phase = None
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._waiting_since = self.loop.time()
            self.limits.waiting[self] = None  # idle until its next request: first to go when full

    def _wait_for_headers(self) -> None:
        self._phase = "headers"
        self._waiting_since = self.loop.time()
        self.limits.waiting.pop(self, None)
        self.limits.waiting[self] = None
        self._arm(self.limits.header_timeout_s, "request headers not received in time")

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
            self._arm(self.limits.body_idle_s, why)
            return
        self._close(why)

    def _close(self, why: str) -> None:
        self.limits.waiting.pop(self, None)
        self._disarm()
        if not self.transport.is_closing():
            log.debug("closing a connection: %s", why)
            self.transport.close()


def guarded_protocol(limits: ConnectionLimits) -> type[H11Protocol]:
    """The guarded protocol with limits of its own (one server among several in a process, as in tests)."""
    return type("GuardedH11Protocol", (GuardedH11Protocol,), {"limits": limits})


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
