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
from bot.api.connections import ConnectionLimits, server_config
from bot.api.guard import TokenBucketLimiter
from bot.api.reload import Reloader
from bot.feedback import FeedbackStore

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.service import PolicyBot

log = logging.getLogger("policybot")


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


def serve(bot: PolicyBot, host: str = "127.0.0.1", port: int = 7860) -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    removed = upload.clean_staging(bot.settings.data_dir)
    if removed:
        log.warning("removed upload staging left by interrupted ingests: %s", ", ".join(removed))
    feedback = FeedbackStore(bot.settings.data_dir / "feedback.sqlite3")
    reloader = Reloader(bot)
    app = build_server(bot, feedback, reindex=reloader.reindex)
    reloader.start()
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
