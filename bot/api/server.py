"""Serving: the API with the Gradio UI mounted on one port, and in-place reloads."""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import uvicorn
from fastapi import FastAPI

from bot import upload
from bot.api.app import create_app
from bot.api.connections import ConnectionLimits, GuardedH11Protocol, descriptor_budget, server_config
from bot.api.reload import Reloader
from bot.feedback import FeedbackStore
from bot.state.ratelimit import Limiter, TokenBucketLimiter

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.service import PolicyBot

log = logging.getLogger("policybot")


def build_server(
    bot: PolicyBot,
    feedback: FeedbackStore | None = None,
    reindex: Callable[[], None] | None = None,
    limiter: Limiter | None = None,
) -> FastAPI:
    """The API with the Gradio UI mounted at "/" (API routes are registered first, so they win)."""
    import os

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # fully offline: no telemetry calls
    import gradio as gr

    from ui.app import build_ui
    from ui.chrome import page_js
    from ui.render import UI_CSS
    from ui.theme import page_theme

    # One budget for API and page.
    limiter = limiter or TokenBucketLimiter(bot.settings.server.rate_limit_per_minute)
    app = create_app(bot, feedback, reindex, limiter=limiter)
    return gr.mount_gradio_app(
        app,
        build_ui(bot, feedback=feedback, limiter=limiter),
        path="/",
        css=UI_CSS,
        theme=page_theme(),
        js=page_js(),
        ssr_mode=False,
        footer_links=[],
    )


def serve(bot: PolicyBot, host: str = "127.0.0.1", port: int = 7860) -> None:
    """One process serving `bot` (the laptop's way; see serve_workers for several)."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    app = running_app(bot)
    AnnouncingServer(server_config(app, host, port, connection_limits(bot.settings), log_level="info")).run()


def running_app(bot: PolicyBot) -> FastAPI:
    """The whole server for a bot that serves: feedback, admin reindex, and the index kept current (a stale
    one rebuilt behind, another process's build followed)."""
    removed = upload.clean_staging(bot.settings.data_dir)  # only those of processes that are gone
    if removed:
        log.warning("removed upload staging left by interrupted ingests: %s", ", ".join(removed))
    from bot.wiring import make_state

    feedback, limiter = make_state(bot.settings)
    log.info("feedback in %s; rate limit %s", feedback.database.name, type(limiter).__name__)
    reloader = Reloader(bot)
    app = build_server(bot, feedback, reindex=reloader.reindex, limiter=limiter)
    reloader.start()
    return app


def worker_app() -> FastAPI:
    """The app factory each of uvicorn's workers calls (`bot.api.server:worker_app`, factory=True): its own
    bot from the settings, on the index the parent built; an ingest through one worker moves
    `index/current`, which the others follow."""
    from bot.config import Settings
    from bot.wiring import build_bot, for_serving

    settings = for_serving(Settings())
    bot = build_bot(settings, progress=False, serve_stale=True)
    limits = connection_limits(settings)
    limits.max_connections = descriptor_budget(limits.max_connections)
    GuardedH11Protocol.limits = limits  # this worker's connections
    return running_app(bot)


def serve_workers(settings: Settings, host: str, port: int) -> None:
    """Several worker processes on one port (BOT_SERVER__WORKERS); the index must already be built."""
    workers = settings.server.workers
    base = f"http://{host}:{port}"
    print(f"policybot: {workers} workers; web UI at {base}/ · API docs at {base}/docs", file=sys.stderr)
    # Gradio keeps each page's queue in the process that took it: across workers a page needs affinity.
    log.warning(
        "with %d workers the web UI needs session affinity (a proxy sending each client to one worker); "
        "the API does not",
        workers,
    )
    uvicorn.run(
        "bot.api.server:worker_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=GuardedH11Protocol,
        ws="none",
        access_log=False,
        log_level="info",
    )


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
