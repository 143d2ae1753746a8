"""Where shared state lives: SQLite by default, PostgreSQL when a URL points at one.

Both speak the same SQL here (`?` placeholders, ON CONFLICT, RETURNING); what differs is how a writer takes
its lock and how a connection is had. A transaction named by a `lock` is serialised with every other
transaction of that name, in every process and, on PostgreSQL, on every machine: SQLite's BEGIN IMMEDIATE
(one writer per file), PostgreSQL's transaction-scoped advisory lock on the name's hash.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import Any, Protocol

BUSY_TIMEOUT_MS = 10_000
LOW_SPACE_BYTES = 1024 * 1024
POOL_SIZE = 8  # connections per process to PostgreSQL: a bound however many threads serve requests
CONNECT_TIMEOUT_S = 5.0


class StateUnavailable(RuntimeError):
    """The database cannot be reached or refused the work (not a fault of the request)."""


class Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...
    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None: ...
    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any: ...


class Database(ABC):
    dialect: str
    name: str  # what logs and errors call it (never a password)
    clock: str  # SQL for the database's time in seconds since the epoch (one clock for every process)

    @abstractmethod
    def transaction(self, lock: str | None = None) -> Any:
        """A context manager yielding a Cursor; commits on success, rolls back on an exception."""

    def close(self) -> None:  # noqa: B027 - SQLite holds nothing open between calls
        pass


class _Statements:
    """Cursor over a DB-API connection; `?` is rewritten to the driver's placeholder."""

    def __init__(self, connection: Any, placeholder: str):
        self.connection, self.placeholder = connection, placeholder

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if self.placeholder != "?":
            sql = sql.replace("?", self.placeholder)
        return self.connection.execute(sql, tuple(params))

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        row = self.execute(sql, params).fetchone()
        return tuple(row) if row is not None else None

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The one value of a query that always returns one row (an aggregate, the clock)."""
        row = self.one(sql, params)
        if row is None:
            raise StateUnavailable(f"no row for {sql!r}")
        return row[0]


class SqliteDatabase(Database):
    """One file; WAL lets readers work beside the one writer, the busy timeout makes writers wait for the
    lock instead of failing. `durable=False` (state worth nothing after a power cut, such as rate buckets)
    commits without waiting for the disk."""

    dialect = "sqlite"
    clock = "(julianday('now') - 2440587.5) * 86400.0"

    def __init__(self, path: Path | str, durable: bool = True):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.name, self.durable = self.path.name, durable
        self._use_wal()

    def _use_wal(self) -> None:
        # Switching a new file to WAL takes the lock without waiting for it: processes opening the same new
        # file at once (workers starting together) retry rather than fail.
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                with closing(self._connect()) as connection:
                    connection.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise self._unavailable(exc) from exc
                time.sleep(0.02)

    def _connect(self) -> sqlite3.Connection:
        # Autocommit at the driver: transactions are begun here, explicitly, so DDL stays inside them.
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not self.durable:
            connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    @contextmanager
    def transaction(self, lock: str | None = None) -> Iterator[Cursor]:
        try:
            connection = self._connect()
        except sqlite3.Error as exc:
            raise self._unavailable(exc) from exc
        with closing(connection):
            try:
                connection.execute("BEGIN IMMEDIATE" if lock else "BEGIN")
            except sqlite3.Error as exc:
                raise self._unavailable(exc) from exc
            try:
                yield _Statements(connection, "?")
            except BaseException as exc:
                with suppress(sqlite3.Error):
                    connection.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error) and not isinstance(exc, sqlite3.IntegrityError):
                    raise self._unavailable(exc) from exc
                raise  # the caller's own exception, or a fault of the statement (IntegrityError)
            try:
                connection.execute("COMMIT")
            except sqlite3.Error as exc:
                raise self._unavailable(exc) from exc

    def _unavailable(self, exc: sqlite3.Error) -> Exception:
        """SQLite reports a write that found no space as an I/O error: told apart by the space left."""
        try:
            full = shutil.disk_usage(self.path.parent).free < LOW_SPACE_BYTES
        except OSError:
            full = False
        if full:
            return OSError(errno.ENOSPC, f"no space left for {self.name}: {exc}")
        return StateUnavailable(f"SQLite file {self.name} is unusable: {exc}")


class PostgresDatabase(Database):
    """A small pool of connections (psycopg 3); a connection found broken is replaced, a server that cannot
    be reached raises StateUnavailable within CONNECT_TIMEOUT_S."""

    dialect = "postgres"
    clock = "extract(epoch from clock_timestamp())::float8"

    def __init__(self, url: str, pool_size: int = POOL_SIZE):
        try:
            import psycopg  # noqa: F401 - fail here, with the reason, rather than on the first request
            from psycopg_pool import ConnectionPool
        except ImportError as exc:  # pragma: no cover - psycopg is a runtime dependency
            raise StateUnavailable(f"PostgreSQL needs psycopg 3 and psycopg_pool: {exc}") from exc
        self.name = _redacted(url)
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            open=False,
            timeout=CONNECT_TIMEOUT_S,
            check=ConnectionPool.check_connection,
            # No server-side prepared statements: they do not survive a pooler in transaction mode.
            kwargs={"connect_timeout": int(CONNECT_TIMEOUT_S), "autocommit": True, "prepare_threshold": None},
        )
        self.pool.open(wait=False)

    @contextmanager
    def transaction(self, lock: str | None = None) -> Iterator[Cursor]:
        import psycopg
        from psycopg_pool import PoolTimeout

        try:
            with self.pool.connection() as connection, connection.transaction():
                statements = _Statements(connection, "%s")
                if lock:
                    statements.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (lock,))
                yield statements
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise StateUnavailable(f"PostgreSQL at {self.name} is unavailable: {exc}") from exc

    def close(self) -> None:
        self.pool.close()


def open_database(target: Path | str, durable: bool = True) -> Database:
    """A PostgreSQL URL (postgresql://…, postgres://…) or a SQLite file's path."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(text)
    return SqliteDatabase(target, durable=durable)


def _redacted(url: str) -> str:
    """The URL without its password, for logs and errors."""
    scheme, _, rest = url.partition("://")
    credentials, at, place = rest.rpartition("@")
    if not at:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{place}" if ":" in credentials else f"{scheme}://{user}@{place}"
