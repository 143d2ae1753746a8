"""Shared state in SQLite and in a real PostgreSQL: migrations, feedback, the rate limit shared by workers,
and what happens when the database is gone."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.config import Settings
from bot.feedback import FeedbackStore
from bot.idempotency import KeyReused
from bot.state.db import Database, StateUnavailable, open_database
from bot.state.ratelimit import SharedLimiter, TokenBucketLimiter
from bot.state.schema import migrate, migrations, statements, version
from bot.wiring import make_state
from tests.conftest import ROOT


@pytest.fixture(params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store is opened: a SQLite file, or a fresh database on the real PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "state.sqlite3")
    return str(request.getfixturevalue("postgres_url"))


def test_migrations_are_numbered_and_parallel_across_dialects() -> None:
    sqlite, postgres = migrations("sqlite"), migrations("postgres")
    assert [m.version for m in sqlite] == [m.version for m in postgres] == list(range(1, len(sqlite) + 1))
    assert [m.name for m in sqlite] == [m.name for m in postgres]
    assert statements("-- note\nCREATE TABLE a (x TEXT);\nCREATE INDEX b ON a (x);\n") == [
        "CREATE TABLE a (x TEXT)",
        "CREATE INDEX b ON a (x)",
    ]


def test_migrate_applies_each_version_once(target: str) -> None:
    database = open_database(target)
    latest = len(migrations(database.dialect))
    assert migrate(database) == list(range(1, latest + 1))
    assert migrate(database) == []
    assert version(database) == latest
    database.close()


def test_workers_starting_together_migrate_once(target: str) -> None:
    databases = [open_database(target) for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        applied = list(pool.map(migrate, databases))
    assert sorted(v for done in applied for v in done) == list(
        range(1, len(migrations(databases[0].dialect)) + 1)
    )
    for database in databases:
        database.close()


def test_a_database_newer_than_the_code_is_refused(target: str) -> None:
    database = open_database(target)
    migrate(database)
    with database.transaction() as cursor:
        cursor.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", (99, "x", "now")
        )
    with pytest.raises(StateUnavailable, match="newer than this code"):
        FeedbackStore(database)
    database.close()


def test_a_feedback_file_from_before_migrations_keeps_its_records(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    legacy = sqlite3.connect(path)
    legacy.executescript(
        "CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, rating INTEGER"
        " NOT NULL CHECK (rating IN (-1, 1)), comment TEXT NOT NULL DEFAULT '', question TEXT NOT NULL"
        " DEFAULT '', answer_id TEXT);"
        "CREATE TABLE requests (key TEXT PRIMARY KEY, digest TEXT NOT NULL, feedback_id INTEGER NOT NULL,"
        " created_at TEXT NOT NULL);"
        "INSERT INTO feedback (created_at, rating, comment, answer_id) VALUES ('2026-01-01', 1, 'kept', 'a1');"
    )
    legacy.commit()
    legacy.close()
    store = FeedbackStore(path)
    assert store.count() == 1
    assert store.add(-1, "changed my mind", answer_id="a1") == 1  # the old record is the answer's one record
    assert store.rating(1) == -1


def test_feedback_one_record_per_answer_and_idempotent_retries(target: str) -> None:
    store = FeedbackStore(target)
    first = store.add(1, "good", "q", answer_id="ans-1")
    assert store.add(-1, "on second thought", "q", answer_id="ans-1") == first
    assert store.rating(first) == -1
    keyed = store.add(1, "retry me", request_key="key-1")
    assert store.add(1, "retry me", request_key="key-1") == keyed
    with pytest.raises(KeyReused):
        store.add(-1, "other content", request_key="key-1")
    assert store.count() == 2
    store.close()


def test_concurrent_feedback_loses_nothing_and_clicks_race_to_one_record(target: str) -> None:
    stores = [FeedbackStore(target) for _ in range(4)]  # as four workers would hold it

    def post(n: int) -> int:
        return stores[n % 4].add(1, f"comment {n}", answer_id=f"distinct-{n}")

    def click(n: int) -> int:
        return stores[n % 4].add(1 if n % 2 else -1, f"click {n}", answer_id="the-same-answer")

    with ThreadPoolExecutor(16) as pool:
        ids = list(pool.map(post, range(200)))
        clicks = set(pool.map(click, range(40)))
    assert len(set(ids)) == 200
    assert len(clicks) == 1  # one record however many clicks arrived at once
    assert stores[0].count() == 201
    for store in stores:
        store.close()


def test_shared_limiter_is_one_budget_across_workers(target: str) -> None:
    workers = [SharedLimiter(open_database(target, durable=False), per_minute=30) for _ in range(3)]
    granted = [worker.take("198.51.100.7") == 0 for _ in range(20) for worker in workers]
    # 60 requests spread over three workers; a per-worker limit would have let 60 through.
    assert sum(granted) == 30
    assert workers[1].take("198.51.100.7") > 0
    assert workers[2].take("203.0.113.9") == 0  # another client has its own bucket
    for worker in workers:
        worker.database.close()


def test_shared_limiter_bills_cost_and_refills_by_the_database_clock(target: str) -> None:
    limiter = SharedLimiter(open_database(target, durable=False), per_minute=600)  # 10 tokens a second
    assert limiter.take("c") == 0
    limiter.charge("c", 0.05 * 1200)  # a request that cost two budgets of CPU: billed one, in debt
    wait = limiter.take("c")
    assert 59 < wait < 61  # a full budget of debt: a minute to the next token
    time.sleep(0.3)
    assert 0 < limiter.take("c") < wait  # refilled meanwhile
    limiter.database.close()


def test_shared_limiter_across_processes(tmp_path: Path) -> None:
    """Two processes on one SQLite file draw on one budget (as uvicorn's workers do)."""
    path = tmp_path / "ratelimit.sqlite3"
    script = (
        "import sys\n"
        "from bot.state.db import open_database\n"
        "from bot.state.ratelimit import SharedLimiter\n"
        "limiter = SharedLimiter(open_database(sys.argv[1], durable=False), per_minute=40)\n"
        "print(sum(limiter.take('client') == 0 for _ in range(40)))\n"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    granted = [int(run.communicate(timeout=60)[0]) for run in runs]
    assert sum(granted) == 40, granted


def test_a_broken_state_file_leaves_the_api_up(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The rate limit's database fails under a running worker: buckets are kept locally (the budget still
    holds), that is said once, and the database is not retried on every request."""
    path = tmp_path / "ratelimit.sqlite3"
    limiter = SharedLimiter(open_database(path, durable=False), per_minute=3)
    for leftover in tmp_path.glob("ratelimit.sqlite3*"):
        leftover.unlink()
    path.write_bytes(b"not a database, whatever it once was" * 100)
    with caplog.at_level(logging.WARNING, logger="policybot.state"):
        results = [limiter.take("c") for _ in range(5)]
    assert results[:3] == [0, 0, 0] and results[3] > 0
    assert sum("buckets kept in this worker" in r.message for r in caplog.records) == 1


def test_postgres_connections_killed_under_a_worker_are_replaced(postgres_url: str) -> None:
    store = FeedbackStore(postgres_url)
    store.add(1, "before")
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as admin:  # as a restart or a failover would
        killed = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    assert killed and killed[0] >= 1
    store.add(1, "after")
    assert store.count() == 2
    store.close()


def test_an_unreachable_postgres_is_a_clear_error_in_bounded_time() -> None:
    started = time.monotonic()
    with pytest.raises(StateUnavailable, match="unavailable"):
        FeedbackStore("postgresql://nobody@127.0.0.1:9/none")  # the discard port: nothing listens
    assert time.monotonic() - started < 15


def test_make_state_chooses_by_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = {"corpus_dir": ROOT / "corpus", "data_dir": tmp_path}
    feedback, limiter = make_state(Settings(**base))  # type: ignore[arg-type]
    assert isinstance(limiter, TokenBucketLimiter)  # a laptop: nothing changes
    assert feedback.database.dialect == "sqlite" and (tmp_path / "feedback.sqlite3").exists()
    _, shared = make_state(Settings(**base, server={"workers": 2}))  # type: ignore[arg-type]
    assert isinstance(shared, SharedLimiter) and shared.database.name == "ratelimit.sqlite3"
    monkeypatch.setenv("BOT_DATA__DATABASE_URL", "mysql://elsewhere/db")
    with pytest.raises(ValueError, match="postgresql://"):
        Settings(**base)  # type: ignore[arg-type]


def test_make_state_on_postgres(tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_DATA__DATABASE_URL", postgres_url)
    feedback, limiter = make_state(Settings(corpus_dir=ROOT / "corpus", data_dir=tmp_path))
    assert feedback.database.dialect == "postgres" and isinstance(limiter, SharedLimiter)
    assert limiter.database is feedback.database  # one pool for both
    feedback.add(1, "in postgres")
    assert feedback.count() == 1
    assert not (tmp_path / "feedback.sqlite3").exists()
    feedback.close()


def test_redacted_names_never_carry_the_password(postgres_server) -> None:  # type: ignore[no-untyped-def]
    database: Database = open_database(f"postgresql://user:s3cret@127.0.0.1:{postgres_server.port}/x")
    assert "s3cret" not in database.name and "***" in database.name
    database.close()


def test_feedback_through_the_api_is_503_when_the_database_is_unusable(
    settings: Settings, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from bot.api.app import create_app
    from bot.wiring import build_bot

    path = tmp_path / "broken" / "feedback.sqlite3"
    store = FeedbackStore(path)
    for leftover in path.parent.glob("feedback.sqlite3*"):
        leftover.unlink()
    path.write_bytes(b"\x00garbage" * 512)
    with TestClient(create_app(build_bot(settings, progress=False), store)) as client:
        response = client.post("/v1/feedback", json={"rating": 1, "comment": "kept by the client"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "database_unavailable"
    assert "feedback.sqlite3" not in response.text  # where the state lives is for the log, not the client
