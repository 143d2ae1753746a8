"""Keeping the running bot's index current: rebuilds asked for (admin API, a stale index at start), and
builds made by another process (the CLI, another worker) picked up when `index/current` moves."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from typing import TYPE_CHECKING

from bot.index import current_build

if TYPE_CHECKING:
    from bot.service import PolicyBot

log = logging.getLogger("policybot")

FOLLOW_S = 2.0  # how often `index/current` is looked at


def reload_in_place(bot: PolicyBot, rebuild: bool = True) -> None:
    """Rebuild the index (or load the current build) and swap the fresh parts into the running bot, so the
    API and the UI keep their handle."""
    from bot.wiring import build_bot

    embedder = bot.retriever.embedder  # the running model: not loaded again
    fresh = build_bot(bot.settings, rebuild, progress=False, serve_stale=not rebuild, embedder=embedder)
    for field in dataclasses.fields(fresh):
        setattr(bot, field.name, getattr(fresh, field.name))


class Reloader:
    """One rebuild or reload at a time in this process, whoever asks; builds are serialised across processes
    by the index folder's lock."""

    def __init__(self, bot: PolicyBot) -> None:
        self.bot = bot
        self.lock = threading.Lock()

    def reindex(self) -> None:
        with self.lock:
            reload_in_place(self.bot)

    def follow(self) -> None:
        """Load the build `index/current` points at when another process has made a newer one."""
        with self.lock:
            current = current_build(self.bot.settings.index_dir)
            if current is None or current.resolve() == self.bot.retriever.index.folder.resolve():
                return
            log.info("index/current moved to %s: loading it", current.name)
            reload_in_place(self.bot, rebuild=False)

    def start(self) -> None:
        """The background work: rebuild behind a stale index, then keep following `index/current`."""
        threading.Thread(target=self._run, name="policybot-reload", daemon=True).start()

    def _run(self) -> None:
        why = self.bot.retriever.index.stale
        if why:
            log.warning("serving the last build while a fresh one is made (%s)", why)
            started = time.monotonic()
            try:
                self.reindex()
                log.info("fresh index built in the background in %.1f s", time.monotonic() - started)
            except Exception:  # the stale build keeps serving; an admin reindex or the next start tries again
                log.exception("the background rebuild of the stale index failed")
        while True:
            time.sleep(FOLLOW_S)
            try:
                self.follow()
            except Exception:  # a half-made or corrupt build: keep serving what is loaded, look again later
                log.exception("could not load the index another process built")
