"""Idempotency keys for requests that change state and must not run twice when a client retries after a
lost reply (an ingest). The key is claimed before the work and completed with the response after it, in
SQLite (bot.state.db), so a server killed in between knows on the retry that the first attempt was
interrupted."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Literal

from bot.state.db import SqliteDatabase

KEEP_S = 24 * 3600  # a key names its request for a day

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    digest TEXT NOT NULL,
    response TEXT,
    created_at REAL NOT NULL,
    PRIMARY KEY (scope, key)
)
"""
State = Literal["new", "interrupted", "done"]


class KeyReused(ValueError):
    """An idempotency key sent again with other content: it names another request."""


class RequestLog:
    LOCK = "policybot:requests"

    def __init__(self, path: Path | str, scope: str):
        self.database, self.scope = SqliteDatabase(path), scope
        with self.database.transaction(lock=self.LOCK) as cursor:
            cursor.execute(_SCHEMA)

    def claim(self, key: str, digest: str) -> tuple[State, dict[str, Any] | None]:
        """ "new" (now claimed), "interrupted" (claimed before, never completed) or "done" with the response
        the first attempt gave; KeyReused when the key came with other content."""
        with self.database.transaction(lock=self.LOCK) as cursor:
            cursor.execute("DELETE FROM requests WHERE created_at < ?", (time.time() - KEEP_S,))
            row = cursor.one(
                "SELECT digest, response FROM requests WHERE scope = ? AND key = ?", (self.scope, key)
            )
            if row is None:
                cursor.execute(
                    "INSERT INTO requests (scope, key, digest, created_at) VALUES (?, ?, ?, ?)",
                    (self.scope, key, digest, time.time()),
                )
                return "new", None
            if row[0] != digest:
                raise KeyReused("this Idempotency-Key was used for another request")
            return ("done", json.loads(row[1])) if row[1] is not None else ("interrupted", None)

    def complete(self, key: str, response: dict[str, Any]) -> None:
        with self.database.transaction(lock=self.LOCK) as cursor:
            cursor.execute(
                "UPDATE requests SET response = ? WHERE scope = ? AND key = ?",
                (json.dumps(response, ensure_ascii=False), self.scope, key),
            )

    def release(self, key: str) -> None:
        """Forget a claim whose request changed nothing (it was refused): the key may be used again."""
        with self.database.transaction(lock=self.LOCK) as cursor:
            cursor.execute("DELETE FROM requests WHERE scope = ? AND key = ?", (self.scope, key))
