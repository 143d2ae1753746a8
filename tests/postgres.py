"""A real PostgreSQL server for tests: Debian's binaries, a throwaway cluster on a free loopback port.

POLICYBOT_TEST_DATABASE_URL names a server to use instead (each test gets a fresh database on it). Where
neither works the tests that need one skip, saying why; .ci/run installs the server so that they run."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT_S = 60
SUPERUSER = "policybot"


@dataclass
class PostgresServer:
    host: str
    port: int
    user: str
    process_dir: Path | None  # the cluster this run made (None: an outside server)

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"

    def fresh_database(self) -> str:
        """A new, empty database's URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_owner(owner: str | None, command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root: as root, run them as the postgres system user.
    return ["runuser", "-u", owner, "--", *command] if owner else command


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer | str]:
    """The server, or the reason there is none (a string, for pytest.skip)."""
    outside = os.environ.get("POLICYBOT_TEST_DATABASE_URL")
    if outside:
        from urllib.parse import urlparse

        parsed = urlparse(outside)
        yield PostgresServer(parsed.hostname or "127.0.0.1", parsed.port or 5432, parsed.username or "", None)
        return
    bin_dir = binaries()
    if bin_dir is None:
        yield "PostgreSQL is not installed (Debian's postgresql package; .ci/run installs it)"
        return
    owner = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            yield "running as root and there is no postgres user to run the server as"
            return
        owner = "postgres"
    # Not under pytest's tmp_path: its folders are private to root, and the server runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="policybot-pg-"))
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    if owner:
        shutil.chown(root, owner)
        shutil.chown(sockets, owner)
    port = _free_port()
    log = root / "server.log"
    try:
        subprocess.run(
            _as_owner(owner, [str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "-A", "trust"]),
            check=True,
            capture_output=True,
            timeout=START_TIMEOUT_S,
        )
        options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_owner(
                owner,
                [
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    str(START_TIMEOUT_S),
                    "start",
                ],
            ),
            check=True,
            capture_output=True,
            timeout=START_TIMEOUT_S + 10,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        tail = log.read_text(errors="replace")[-500:] if log.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        yield f"PostgreSQL did not start: {exc} {detail.decode(errors='replace')[-300:]} {tail}"
        return
    try:
        _wait_ready(port)
        yield PostgresServer("127.0.0.1", port, SUPERUSER, data)
    finally:
        subprocess.run(
            _as_owner(owner, [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


def _wait_ready(port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"PostgreSQL on port {port} did not accept connections")
