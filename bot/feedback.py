"""User feedback (thumbs up/down and a comment) kept in SQLite.

WAL mode lets readers and one writer work at once; a busy timeout makes concurrent writers wait for the
lock instead of failing; one connection per call keeps the store safe to share between threads.
"""

from __future__ import annotations

import errno
import hashlib
import json
import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from bot.idempotency import KeyReused

MAX_COMMENT_CHARS = 2000
MAX_QUESTION_CHARS = 100_000
MAX_ANSWER_ID_CHARS = 200
BUSY_TIMEOUT_MS = 10_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL DEFAULT '',
    answer_id TEXT
);
CREATE TABLE IF NOT EXISTS requests (
    key TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    feedback_id INTEGER NOT NULL,
    created_at TEXT NOT NULL
)
"""


class FeedbackStore:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as connection, connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return connection

    def add(
        self,
        rating: int,
        comment: str = "",
        question: str = "",
        answer_id: str | None = None,
        request_key: str | None = None,
    ) -> int:
        """Store one piece of feedback and return its id; refuses values outside the documented bounds. An
        answer has one record: feedback again on the same answer_id (a second click) updates it. A request
        sent again under the same `request_key` (a retry after a lost reply) returns the first one's id and
        changes nothing; the key with other content raises KeyReused."""
        if rating not in (-1, 1) or isinstance(rating, bool):
            raise ValueError("rating must be 1 (helpful) or -1 (not helpful)")
        if len(comment) > MAX_COMMENT_CHARS:
            raise ValueError(f"comment must be at most {MAX_COMMENT_CHARS} characters")
        if len(question) > MAX_QUESTION_CHARS:
            raise ValueError(f"question must be at most {MAX_QUESTION_CHARS} characters")
        if answer_id is not None and len(answer_id) > MAX_ANSWER_ID_CHARS:
            raise ValueError(f"answer_id must be at most {MAX_ANSWER_ID_CHARS} characters")
        try:
            return self._add(rating, comment, question, answer_id, request_key)
        except sqlite3.OperationalError as exc:
            raise disk_full_error(self.path, exc) from exc

    def _add(
        self, rating: int, comment: str, question: str, answer_id: str | None, request_key: str | None
    ) -> int:
        created = datetime.now(UTC).isoformat(timespec="seconds")
        with closing(self._connect()) as connection, connection:
            # The lookup and the write as one transaction, against two clicks at once.
            connection.execute("BEGIN IMMEDIATE")
            digest = hashlib.sha256(json.dumps([rating, comment, question, answer_id]).encode()).hexdigest()
            if request_key is not None:
                earlier = connection.execute(
                    "SELECT digest, feedback_id FROM requests WHERE key = ?", (request_key,)
                ).fetchone()
                if earlier is not None:
                    if earlier[0] != digest:
                        raise KeyReused("this Idempotency-Key was used for other feedback")
                    return int(earlier[1])
            found = (
                connection.execute(
                    "SELECT id FROM feedback WHERE answer_id = ? ORDER BY id LIMIT 1", (answer_id,)
                ).fetchone()
                if answer_id
                else None
            )
            if found:
                connection.execute(
                    "UPDATE feedback SET created_at = ?, rating = ?, comment = ?, question = ? WHERE id = ?",
                    (created, rating, comment, question, found[0]),
                )
                record = int(found[0])
            else:
                cursor = connection.execute(
                    "INSERT INTO feedback (created_at, rating, comment, question, answer_id) VALUES (?, ?, ?, ?, ?)",
                    (created, rating, comment, question, answer_id),
                )
                record = int(cursor.lastrowid or 0)
            if request_key is not None:  # in the same transaction: the record and its key land together
                connection.execute(
                    "INSERT INTO requests (key, digest, feedback_id, created_at) VALUES (?, ?, ?, ?)",
                    (request_key, digest, record, created),
                )
            return record

    def rating(self, record: int) -> int | None:
        with closing(self._connect()) as connection:
            row = connection.execute("SELECT rating FROM feedback WHERE id = ?", (record,)).fetchone()
            return int(row[0]) if row else None

    def count(self) -> int:
        with closing(self._connect()) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])


LOW_SPACE_BYTES = 1024 * 1024


def disk_full_error(path: Path, exc: sqlite3.OperationalError) -> Exception:
    """SQLite reports a write that found no space as an I/O error: told apart by the space left."""
    try:
        full = shutil.disk_usage(path.parent).free < LOW_SPACE_BYTES
    except OSError:
        full = False
    return OSError(errno.ENOSPC, f"no space left for {path.name}: {exc}") if full else exc
