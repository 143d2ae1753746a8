"""Migrations kept with the code: bot/state/migrations/<dialect>/NNNN_name.sql, applied in order, each in
its own transaction with its version recorded, under one lock so that workers starting together apply each
once. A database newer than the code (a version this code does not know) is refused, not written to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.state.db import Database, StateUnavailable

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
LOCK = "policybot:migrations"
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

_LEDGER = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


def migrations(dialect: str) -> list[Migration]:
    found = []
    for path in sorted((MIGRATIONS / dialect).glob("*.sql")):
        match = _NAME.match(path.name)
        if match is None:
            raise ValueError(f"migration file {path.name} is not named NNNN_name.sql")
        found.append(Migration(int(match[1]), match[2], tuple(statements(path.read_text(encoding="utf-8")))))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise ValueError(f"{dialect} migrations are not numbered 1…N without gaps: {versions}")
    return found


def statements(script: str) -> list[str]:
    """A script's statements: comments dropped, split at the semicolons that end lines."""
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("--")]
    return [part.strip() for part in re.split(r";\s*$", "\n".join(lines), flags=re.M) if part.strip()]


def migrate(database: Database) -> list[int]:
    """Bring the schema up to date; the versions applied now (none when it already was)."""
    known = migrations(database.dialect)
    with database.transaction(lock=LOCK) as cursor:
        cursor.execute(_LEDGER)
        rows = cursor.execute("SELECT version FROM schema_migrations").fetchall()
    applied = {int(row[0]) for row in rows}
    newer = sorted(applied - {m.version for m in known})
    if newer:
        raise StateUnavailable(
            f"{database.name} has schema versions {newer} that this code does not know: it is newer than "
            "this code; upgrade the code instead of writing to it"
        )
    done = []
    for migration in known:
        if migration.version in applied:
            continue
        with database.transaction(lock=LOCK) as cursor:
            # Another process may have applied it while this one waited for the lock.
            if cursor.one("SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)):
                continue
            for statement in migration.statements:
                cursor.execute(statement)
            cursor.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        done.append(migration.version)
    return done


def version(database: Database) -> int:
    with database.transaction() as cursor:
        cursor.execute(_LEDGER)
        latest = cursor.scalar("SELECT MAX(version) FROM schema_migrations")
    return int(latest) if latest is not None else 0
