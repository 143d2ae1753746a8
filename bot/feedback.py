"""User feedback (thumbs up/down and a comment), in SQLite by default or PostgreSQL (bot.state.db).

Each write is one transaction under the store's lock, so two clicks at once, from any worker, leave one
record per answer.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from bot.idempotency import KeyReused
from bot.state.db import Database, open_database
from bot.state.schema import migrate

MAX_COMMENT_CHARS = 2000
MAX_QUESTION_CHARS = 100_000
MAX_ANSWER_ID_CHARS = 200
LOCK = "policybot:feedback"


class FeedbackStore:
    def __init__(self, target: Database | Path | str):
        """`target`: an open database, a PostgreSQL URL or a SQLite file's path; its schema is migrated."""
        self.database = target if isinstance(target, Database) else open_database(target)
        migrate(self.database)

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
        created = datetime.now(UTC).isoformat(timespec="seconds")
        digest = hashlib.sha256(json.dumps([rating, comment, question, answer_id]).encode()).hexdigest()
        # The lookup and the write as one transaction under the store's lock, against two clicks at once.
        with self.database.transaction(lock=LOCK) as cursor:
            if request_key is not None:
                earlier = cursor.one(
                    "SELECT digest, feedback_id FROM feedback_requests WHERE key = ?", (request_key,)
                )
                if earlier is not None:
                    if earlier[0] != digest:
                        raise KeyReused("this Idempotency-Key was used for other feedback")
                    return int(earlier[1])
            found = (
                cursor.one("SELECT id FROM feedback WHERE answer_id = ? ORDER BY id LIMIT 1", (answer_id,))
                if answer_id
                else None
            )
            if found:
                cursor.execute(
                    "UPDATE feedback SET created_at = ?, rating = ?, comment = ?, question = ? WHERE id = ?",
                    (created, rating, comment, question, found[0]),
                )
                record = int(found[0])
            else:
                record = int(
                    cursor.scalar(
                        "INSERT INTO feedback (created_at, rating, comment, question, answer_id)"
                        " VALUES (?, ?, ?, ?, ?) RETURNING id",
                        (created, rating, comment, question, answer_id),
                    )
                )
            if request_key is not None:  # in the same transaction: the record and its key land together
                cursor.execute(
                    "INSERT INTO feedback_requests (key, digest, feedback_id, created_at) VALUES (?, ?, ?, ?)",
                    (request_key, digest, record, created),
                )
            return record

    def rating(self, record: int) -> int | None:
        with self.database.transaction() as cursor:
            row = cursor.one("SELECT rating FROM feedback WHERE id = ?", (record,))
        return int(row[0]) if row else None

    def count(self) -> int:
        with self.database.transaction() as cursor:
            return int(cursor.scalar("SELECT COUNT(*) FROM feedback"))

    def close(self) -> None:
        self.database.close()
