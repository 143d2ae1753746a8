"""Request guards applied before any route: body size bound, per-client rate limit charged by cost, and one
request at a time per client."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import threading
import time
from collections import OrderedDict

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.cost import open_meter
from bot.api.models import DISK_FULL, MAX_BODY_BYTES, disk_full, error_response

log = logging.getLogger("policybot.api")
access_log = logging.getLogger("policybot.access")


# What one token buys: about the CPU time of an ordinary question here. A request that costs more is charged
# more once it is done, so a client's budget is CPU time, not a count of requests.
TOKEN_CPU_S = 0.05
# A rejection is held this long at most before it is sent: a client that retries at once cannot turn its
# refusals into a busy loop for the server.
MAX_REJECTION_HOLD_S = 1.0
# Requests of one client waiting behind its running one; past this they are refused.
MAX_WAITING_PER_CLIENT = 16


class TokenBucketLimiter:
    """Per-client token buckets: `per_minute` tokens in a burst, refilled continuously; an ordinary request
    takes one, and `charge` bills what a request cost beyond it (a debt is paid off before the next)."""

    def __init__(self, per_minute: int, max_clients: int = 10_000):
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.max_clients = max_clients
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self.lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds to wait for the next token."""
        with self.lock:
            tokens, now = self._refilled(client)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._store(client, tokens - 1 if wait == 0 else tokens, now)
            return wait

    def charge(self, client: str, cpu_s: float) -> None:
        """Bill a finished request's CPU time beyond the token it took (never more than one full budget)."""
        extra = cpu_s / TOKEN_CPU_S - 1
        if extra <= 0:
            return
        with self.lock:
            tokens, now = self._refilled(client)
            self._store(client, max(-self.capacity, tokens - extra), now)

    def _refilled(self, client: str) -> tuple[float, float]:
        now = time.monotonic()
        tokens, last = self.buckets.pop(client, (self.capacity, now))
        return min(self.capacity, tokens + (now - last) * self.rate), now

    def _store(self, client: str, tokens: float, now: float) -> None:
        self.buckets[client] = (tokens, now)
        if len(self.buckets) > self.max_clients:  # forget the least recently seen client
            self.buckets.popitem(last=False)


class ClientLanes:
    """One request at a time per client, the others waiting in order (at most `depth` of them): eight
    connections from one address get one share of the CPU, not eight. Runs on the event loop only."""

    def __init__(self, depth: int = MAX_WAITING_PER_CLIENT):
        self.depth = depth
        self.lanes: dict[str, tuple[asyncio.Lock, int]] = {}

    def admit(self, client: str) -> asyncio.Lock | None:
        """The client's lane to wait on, or None when too many of its requests already wait."""
        lock, users = self.lanes.get(client, (None, 0))
        if users > self.depth:
            return None
        lock = lock or asyncio.Lock()
        self.lanes[client] = (lock, users + 1)
        return lock

    def leave(self, client: str) -> None:
        lock, users = self.lanes[client]
        if users <= 1:
            del self.lanes[client]  # no lane outlives its client's last request
        else:
            self.lanes[client] = (lock, users - 1)


class GuardMiddleware:
    """Access log, per-client rate limit and body-size bound on /v1/, and a 500 without internals.

    `body_limits` raises the bound for the paths named (uploads); every other path keeps `max_body`."""

    def __init__(
        self,
        app: ASGIApp,
        limiter: TokenBucketLimiter,
        max_body: int = MAX_BODY_BYTES,
        body_limits: dict[str, int] | None = None,
        trusted_proxies: list[str] | None = None,
    ):
        self.app, self.limiter, self.max_body = app, limiter, max_body
        self.body_limits = body_limits or {}
        self.lanes = ClientLanes()
        self.trusted_proxies = set(trusted_proxies or [])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, state = time.perf_counter(), {"status": 500, "sent": False}
        scope = self._with_client(scope)

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"], state["sent"] = message["status"], True
            await send(message)

        try:
            if scope["path"].startswith("/v1/"):
                await self._guarded(scope, receive, send_logged)
            else:
                await self.app(scope, receive, send_logged)
        except Exception as exc:
            if disk_full(exc):  # not a fault of the code: the operator has to free space
                log.error("disk full on %s %s: %s", scope["method"], scope["path"], exc)
                response = error_response(507, "insufficient_storage", DISK_FULL)
            else:
                log.exception("unhandled error on %s %s", scope["method"], scope["path"])
                response = error_response(500, "internal_error", "internal server error")
            if not state["sent"]:
                await response(scope, receive, send_logged)
        finally:
            access_log.info(
                json.dumps(
                    {
                        "event": "access",
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": state["status"],
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                    }
                )
            )

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = (scope.get("client") or ("unknown",))[0]
        wait = self.limiter.take(client)
        lane = self.lanes.admit(client) if wait == 0 else None
        if lane is None:  # over budget, or too many of its requests already waiting
            held = min(wait, MAX_REJECTION_HOLD_S) if wait > 0 else MAX_REJECTION_HOLD_S
            await asyncio.sleep(held)
            retry = str(max(1, math.ceil(wait - held)))
            refusal = error_response(
                429, "rate_limited", "too many requests; slow down", {"Retry-After": retry}
            )
            await refusal(scope, receive, send)
            return
        try:
            async with lane:
                cpu = open_meter()
                rejection, receive = await self._screen(scope, receive)
                await (rejection or self.app)(scope, receive, send)
                self.limiter.charge(client, cpu[0])
        finally:
            self.lanes.leave(client)

    def _with_client(self, scope: Scope) -> Scope:
        """The socket peer stays the client, except behind a trusted reverse proxy: then it is the address the
        proxy says it forwarded for (the rate limit, fair share and page see it; a header anyone else could
        forge never picks the bucket)."""
        peer = scope.get("client") or ("unknown", 0)
        if peer[0] not in self.trusted_proxies:
            return scope
        forwarded = dict(scope.get("headers") or []).get(b"x-forwarded-for", b"").decode("latin-1")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        return {**scope, "client": (hops[-1], 0)} if hops else scope

    async def _screen(self, scope: Scope, receive: Receive) -> tuple[JSONResponse | None, Receive]:
        limit = self.body_limits.get(scope["path"], self.max_body)
        too_large = error_response(413, "body_too_large", f"request body exceeds {limit} bytes")
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode("latin-1") or "0"
        if declared.isdigit() and int(declared) > limit:
            return too_large, receive
        # Read the (bounded) body here, so chunked uploads without a length are bounded too.
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            event = await receive()
            if event["type"] != "http.request":
                break
            chunks.append(event.get("body", b""))
            size += len(chunks[-1])
            if size > limit:
                return too_large, receive
            more = event.get("more_body", False)
        body, delivered = b"".join(chunks), False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        return None, replay


# ------------------------------------------------------------------------------------------ helpers
