"""Request guards applied before any route: body size bound and per-client rate limit."""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections import OrderedDict

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.models import MAX_BODY_BYTES, error_response

log = logging.getLogger("policybot.api")
access_log = logging.getLogger("policybot.access")


class TokenBucketLimiter:
    """Per-client token buckets: `per_minute` requests in a burst, refilled continuously."""

    def __init__(self, per_minute: int, max_clients: int = 10_000):
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.max_clients = max_clients
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self.lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds to wait for the next token."""
        now = time.monotonic()
        with self.lock:
            tokens, last = self.buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self.buckets[client] = (tokens - 1 if wait == 0 else tokens, now)
            if len(self.buckets) > self.max_clients:  # forget the least recently seen client
                self.buckets.popitem(last=False)
            return wait


class GuardMiddleware:
    """Access log, per-client rate limit and body-size bound on /v1/, and a 500 without internals.

    `body_limits` raises the bound for the paths named (uploads); every other path keeps `max_body`."""

    def __init__(
        self,
        app: ASGIApp,
        limiter: TokenBucketLimiter,
        max_body: int = MAX_BODY_BYTES,
        body_limits: dict[str, int] | None = None,
    ):
        self.app, self.limiter, self.max_body = app, limiter, max_body
        self.body_limits = body_limits or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, state = time.perf_counter(), {"status": 500, "sent": False}

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"], state["sent"] = message["status"], True
            await send(message)

        try:
            rejection, receive = await self._screen(scope, receive)
            if rejection is not None:
                await rejection(scope, receive, send_logged)
            else:
                await self.app(scope, receive, send_logged)
        except Exception:
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if not state["sent"]:
                await error_response(500, "internal_error", "internal server error")(
                    scope, receive, send_logged
                )
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

    async def _screen(self, scope: Scope, receive: Receive) -> tuple[JSONResponse | None, Receive]:
        if not scope["path"].startswith("/v1/"):
            return None, receive
        # The socket peer, not X-Forwarded-For: a header anyone can forge must not pick the bucket.
        client = (scope.get("client") or ("unknown",))[0]
        wait = self.limiter.take(client)
        if wait > 0:
            message = "too many requests; slow down"
            return error_response(
                429, "rate_limited", message, {"Retry-After": str(math.ceil(wait))}
            ), receive
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
