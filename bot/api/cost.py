"""What a request costs: the CPU time its own threads spend on it, so the rate limit can charge by cost.

The guard opens a meter for each request; the code that does the work (in the thread pool) runs inside
`cpu_metered()` or yields through `metered()`. Thread CPU time, not wall time: waiting on an LLM backend or
on the GIL held by someone else's request costs this client nothing."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

# A mutable cell, so time added in a worker thread (which runs in a copy of the context) reaches the guard.
_meter: ContextVar[list[float] | None] = ContextVar("policybot_request_cpu", default=None)


def open_meter() -> list[float]:
    cell = [0.0]
    _meter.set(cell)
    return cell


@contextmanager
def cpu_metered(cell: list[float] | None = None) -> Iterator[None]:
    """Add the CPU time this thread spends inside the block to `cell` (by default the request's meter)."""
    started = time.thread_time()
    try:
        yield
    finally:
        cell = cell if cell is not None else _meter.get()
        if cell is not None:
            cell[0] += time.thread_time() - started


def metered(items: Iterable[T], cell: list[float] | None = None) -> Iterator[T]:
    """`items`, each step metered (a streamed answer is produced step by step, maybe on different threads)."""
    iterator = iter(items)
    while True:
        with cpu_metered(cell):
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item
