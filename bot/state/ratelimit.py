"""Per-client token buckets: `per_minute` tokens in a burst, refilled continuously; an ordinary request takes
one, and `charge` bills what a request cost beyond it (a debt is paid off before the next).

TokenBucketLimiter keeps the buckets in this process (one worker); SharedLimiter keeps them in the database,
so that every worker, and every replica on PostgreSQL, draws on one budget per client. When the database
cannot be reached the shared limiter falls back to this process's buckets for a while and says so: a dead
database must not take the API down with it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from bot.state.db import Database, StateUnavailable
from bot.state.schema import migrate

log = logging.getLogger("policybot.state")

# What one token buys: about the CPU time of an ordinary question here. A request that costs more is charged
# more once it is done, so a client's budget is CPU time, not a count of requests.
TOKEN_CPU_S = 0.05
# After the database failed, buckets are kept locally this long before it is tried again.
RETRY_DATABASE_S = 30.0
PRUNE_EVERY_S = 60.0


class Limiter(Protocol):
    blocking: bool  # True when take/charge may wait on I/O (call them off the event loop)

    def take(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds to wait for the next token."""
        ...

    def charge(self, client: str, cpu_s: float) -> None:
        """Bill a finished request's CPU time beyond the token it took (never more than one full budget)."""
        ...


class Bucket:
    """The arithmetic of one bucket, wherever it is kept."""

    def __init__(self, per_minute: int):
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0

    def refilled(self, tokens: float, last: float, now: float) -> float:
        return min(self.capacity, tokens + max(0.0, now - last) * self.rate)

    def took(self, tokens: float) -> tuple[float, float]:
        """(tokens left, seconds to wait): a token taken when there is one, else the wait for it."""
        if tokens >= 1:
            return tokens - 1, 0.0
        return tokens, (1 - tokens) / self.rate

    def charged(self, tokens: float, cpu_s: float) -> float:
        extra = cpu_s / TOKEN_CPU_S - 1
        return tokens if extra <= 0 else max(-self.capacity, tokens - extra)

    @property
    def forgotten_after_s(self) -> float:
        """A bucket untouched this long is full again, however deep its debt: the same as no bucket."""
        return 2 * self.capacity / self.rate


class TokenBucketLimiter:
    blocking = False

    def __init__(self, per_minute: int, max_clients: int = 10_000):
        self.bucket = Bucket(per_minute)
        self.max_clients = max_clients
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self.lock = threading.Lock()

    def take(self, client: str) -> float:
        with self.lock:
            tokens, now = self._refilled(client)
            left, wait = self.bucket.took(tokens)
            self._store(client, left, now)
            return wait

    def charge(self, client: str, cpu_s: float) -> None:
        with self.lock:
            tokens, now = self._refilled(client)
            self._store(client, self.bucket.charged(tokens, cpu_s), now)

    def _refilled(self, client: str) -> tuple[float, float]:
        now = time.monotonic()
        tokens, last = self.buckets.pop(client, (self.bucket.capacity, now))
        return self.bucket.refilled(tokens, last, now), now

    def _store(self, client: str, tokens: float, now: float) -> None:
        self.buckets[client] = (tokens, now)
        if len(self.buckets) > self.max_clients:  # forget the least recently seen client
            self.buckets.popitem(last=False)


class SharedLimiter:
    blocking = True

    def __init__(self, database: Database, per_minute: int):
        self.database, self.bucket = database, Bucket(per_minute)
        self.local = TokenBucketLimiter(per_minute)
        self.down_until = 0.0
        self.pruned_at = 0.0
        self.state = threading.Lock()
        migrate(database)

    def take(self, client: str) -> float:
        return self._shared(client, None, lambda: self.local.take(client))

    def charge(self, client: str, cpu_s: float) -> None:
        self._shared(client, cpu_s, lambda: self.local.charge(client, cpu_s))

    def _shared(self, client: str, cpu_s: float | None, locally: Callable[[], float | None]) -> float:
        if time.monotonic() < self.down_until:
            return locally() or 0.0
        try:
            return self._update(client, cpu_s)
        except (StateUnavailable, OSError) as exc:
            with self.state:
                if time.monotonic() >= self.down_until:
                    log.warning(
                        "rate limit: %s failed (%s); buckets kept in this worker for %.0f s",
                        self.database.name,
                        exc,
                        RETRY_DATABASE_S,
                    )
                self.down_until = time.monotonic() + RETRY_DATABASE_S
            return locally() or 0.0

    def _update(self, client: str, cpu_s: float | None) -> float:
        """One transaction under the client's lock: read the bucket, refill it by the database's clock,
        take a token (cpu_s None) or bill a cost, write it back."""
        with self.database.transaction(lock=f"policybot:rate:{client}") as cursor:
            now = float(cursor.scalar(f"SELECT {self.database.clock}"))
            row = cursor.one("SELECT tokens, updated FROM rate_buckets WHERE client = ?", (client,))
            tokens = self.bucket.refilled(float(row[0]), float(row[1]), now) if row else self.bucket.capacity
            if cpu_s is None:
                tokens, wait = self.bucket.took(tokens)
            else:
                tokens, wait = self.bucket.charged(tokens, cpu_s), 0.0
            cursor.execute(
                "INSERT INTO rate_buckets (client, tokens, updated) VALUES (?, ?, ?) ON CONFLICT (client)"
                " DO UPDATE SET tokens = excluded.tokens, updated = excluded.updated",
                (client, tokens, now),
            )
            if now - self.pruned_at > PRUNE_EVERY_S:
                self.pruned_at = now
                cursor.execute(
                    "DELETE FROM rate_buckets WHERE updated < ?", (now - self.bucket.forgotten_after_s,)
                )
            return wait
