"""Temporary files named after the process writing them (`<prefix><pid>-…`), so that what a crashed or killed
writer left behind can be told from what a running one is still writing."""

from __future__ import annotations

import os

PID_MAX = 1 << 22  # Linux's highest possible pid_max


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
