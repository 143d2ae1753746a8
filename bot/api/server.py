"""Serving: the API with the Gradio UI mounted on one port, and in-place reloads."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from fastapi import FastAPI

from bot.api.app import create_app
from bot.api.guard import TokenBucketLimiter
from bot.feedback import FeedbackStore

if TYPE_CHECKING:
    from bot.service import PolicyBot


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


def serve(bot: PolicyBot, host: str = "127.0.0.1", port: int = 7860) -> None:
    import uvicorn

    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    feedback = FeedbackStore(bot.settings.data_dir / "feedback.sqlite3")
    app = build_server(bot, feedback, reindex=lambda: reload_in_place(bot))
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info")
