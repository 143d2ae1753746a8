"""Serving: the API with the Gradio UI mounted on one port, and in-place reloads."""

from __future__ import annotations

import dataclasses
import logging
import socket
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import uvicorn
from fastapi import FastAPI

from bot import upload
from bot.api.app import create_app
from bot.api.connections import ConnectionLimits, server_config
from bot.api.guard import TokenBucketLimiter
from bot.feedback import FeedbackStore

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.service import PolicyBot

log = logging.getLogger("policybot")


def reload_in_place(bot: PolicyBot) -> None:
    """Rebuild the index and swap the fresh parts into the running bot (so the API and UI keep their handle)."""
    from bot.wiring import build_bot

    fresh = build_bot(bot.settings, rebuild_index=True, progress=False)
    for field in dataclasses.fields(fresh):
        setattr(bot, field.name, getattr(fresh, field.name))


def build_server(
    bot: PolicyBot, feedback: FeedbackStore | None = None, reindex: Callable[[], None] | None = None
) -> FastAPI:
    """The API with the Gradio UI mounted at "/" (API routes are registered first, so they win)."""
    import os

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # fully offline: no telemetry calls
    import gradio as gr

    from ui.app import build_ui
    from ui.render import UI_CSS

    limiter = TokenBucketLimiter(bot.settings.server.rate_limit_per_minute)  # one budget for API and page
    app = create_app(bot, feedback, reindex, limiter=limiter)
    return gr.mount_gradio_app(
        app,
        build_ui(bot, feedback=feedback, limiter=limiter),
        path="/",
        css=UI_CSS,
        ssr_mode=False,
        footer_links=[],
    )


def serialised(reindex: Callable[[], None]) -> Callable[[], None]:
    """One rebuild at a time, whoever asks (the admin API, or the start-up rebuild behind a stale index)."""
    lock = threading.Lock()

    def run() -> None:
        with lock:
            reindex()

    return run


def rebuild_behind(bot: PolicyBot, reindex: Callable[[], None]) -> threading.Thread | None:
    """When the index served is stale, rebuild it in the background; the stale one answers meanwhile."""
    why = bot.retriever.index.stale
    if not why:
        return None

    def run() -> None:
        started = time.monotonic()
        try:
            reindex()
        except Exception:  # the stale build keeps serving; the next start or an admin reindex tries again
            log.exception("the background rebuild of the stale index failed")
            return
        log.info("fresh index built in the background in %.1f s", time.monotonic() - started)

    log.warning("serving the last build while a fresh one is made (%s)", why)
    thread = threading.Thread(target=run, name="policybot-rebuild", daemon=True)
    thread.start()
    return thread


def serve(bot: PolicyBot, host: str = "127.0.0.1", port: int = 7860) -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    removed = upload.clean_staging(bot.settings.data_dir)
    if removed:
        log.warning("removed upload staging left by interrupted ingests: %s", ", ".join(removed))
    feedback = FeedbackStore(bot.settings.data_dir / "feedback.sqlite3")
    reindex = serialised(lambda: reload_in_place(bot))
    app = build_server(bot, feedback, reindex=reindex)
    rebuild_behind(bot, reindex)
    AnnouncingServer(server_config(app, host, port, connection_limits(bot.settings), log_level="info")).run()


class AnnouncingServer(uvicorn.Server):
    """Says where the UI and the API docs are once the port is open (a first run may take a while)."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            base = f"http://{self.config.host}:{self.config.port}"
            print(f"policybot: web UI at {base}/ · API docs at {base}/docs", file=sys.stderr, flush=True)


def connection_limits(settings: Settings) -> ConnectionLimits:
    section = settings.server
    return ConnectionLimits(section.header_timeout_s, section.body_idle_s, section.max_connections)
