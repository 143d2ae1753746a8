"""Temporary files named after the process writing them (`<prefix><pid>-…`), so that what a crashed or killed
writer left behind can be told from what a running one is still writing."""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PID_MAX = 1 << 22  # Linux's highest possible pid_max
PARTIAL = ".partial-"  # an index build being written: `index/builds/.partial-<pid>-…`
STALE_LINK_SECONDS = 60  # a `.current-*` link older than this is from a swap that was killed


def writer_gone(name: str, prefix: str) -> bool:
    """True when a temporary `<prefix><pid>-…` entry's writing process no longer exists."""
    pid = name.removeprefix(prefix).split("-", 1)[0]
    if not pid.isdigit() or int(pid) > PID_MAX:
        return True  # an older naming scheme without a pid: nobody is writing it any more
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@contextmanager
def exclusive(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on a folder across processes (flock on the folder itself: no file is made in
    it); released on exit, and by the kernel when the holder dies, so a killed writer never leaves it taken."""
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def clean_leftovers(index_dir: Path) -> list[str]:
    """Remove what writers that are gone left behind: partial builds, half-made `current` links, the
    embedding cache's temporary folders. Returns what was removed (a running writer's files are kept)."""
    removed: list[Path] = []
    builds = index_dir / "builds"
    if builds.is_dir():
        removed += [
            p for p in builds.iterdir() if p.name.startswith(PARTIAL) and writer_gone(p.name, PARTIAL)
        ]
    cache = index_dir / "cache"
    if cache.is_dir():
        removed += [p for p in cache.glob("*/.tmp-*") if writer_gone(p.name, ".tmp-")]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    for link in index_dir.glob(".current-*"):  # a swap killed between symlink() and replace()
        if time.time() - link.lstat().st_mtime > STALE_LINK_SECONDS:
            link.unlink(missing_ok=True)
            removed.append(link)
    return [p.name for p in removed]
