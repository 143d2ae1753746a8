"""Idempotency keys for requests that change state and must not run twice when a client retries after a
lost reply (an ingest). The key is claimed before the work and completed with the response after it, in
SQLite, so a server killed in between knows on the retry that the first attempt was interrupted."""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any, Literal

KEEP_S = 24 * 3600  # a key names its request for a day
BUSY_TIMEOUT_S = 10.0

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
    def __init__(self, path: Path | str, scope: str):
        self.path, self.scope = Path(path), scope
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as connection, connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)

    def claim(self, key: str, digest: str) -> tuple[State, dict[str, Any] | None]:
        """ "new" (now claimed), "interrupted" (claimed before, never completed) or "done" with the response
        the first attempt gave; KeyReused when the key came with other content."""
        with closing(self._connect()) as connection, connection:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("DELETE FROM requests WHERE created_at < ?", (time.time() - KEEP_S,))
            row = connection.execute(
                "SELECT digest, response FROM requests WHERE scope = ? AND key = ?", (self.scope, key)
            ).fetchone()
            if row is None:
                connection.execute(
                    "INSERT INTO requests (scope, key, digest, created_at) VALUES (?, ?, ?, ?)",
                    (self.scope, key, digest, time.time()),
                )
                return "new", None
            if row[0] != digest:
                raise KeyReused("this Idempotency-Key was used for another request")
            return ("done", json.loads(row[1])) if row[1] is not None else ("interrupted", None)

    def complete(self, key: str, response: dict[str, Any]) -> None:
        with closing(self._connect()) as connection, connection:
            connection.execute(
                "UPDATE requests SET response = ? WHERE scope = ? AND key = ?",
                (json.dumps(response, ensure_ascii=False), self.scope, key),
            )

    def release(self, key: str) -> None:
        """Forget a claim whose request changed nothing (it was refused): the key may be used again."""
        with closing(self._connect()) as connection, connection:
            connection.execute("DELETE FROM requests WHERE scope = ? AND key = ?", (self.scope, key))
