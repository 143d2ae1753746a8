"""Request guards applied before any route: body size bound, per-client rate limit charged by cost, and one
request at a time per client."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time

from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.cost import open_meter
from bot.api.models import DISK_FULL, MAX_BODY_BYTES, disk_full, error_response
from bot.state.ratelimit import Limiter

log = logging.getLogger("policybot.api")
access_log = logging.getLogger("policybot.access")


# A rejection is held this long at most before it is sent: a client that retries at once cannot turn its
# refusals into a busy loop for the server.
MAX_REJECTION_HOLD_S = 1.0
# Requests of one client waiting behind its running one; past this they are refused.
MAX_WAITING_PER_CLIENT = 16


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
        limiter: Limiter,
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
        wait = await self._limit(self.limiter.take, client)
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
                await self._limit(self.limiter.charge, client, cpu[0])
        finally:
            self.lanes.leave(client)

    async def _limit(self, call, *args):  # type: ignore[no-untyped-def]
        # A limiter kept in a database waits on I/O: off the event loop, which serves everyone.
        return await run_in_threadpool(call, *args) if self.limiter.blocking else call(*args)

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
