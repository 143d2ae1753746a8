"""Probes: /healthz (the process is up) and /readyz (the index is loaded)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from bot.api.docs import documented
from bot.api.models import error_response
from bot.api.responses import Ready, Status

if TYPE_CHECKING:
    from bot.service import PolicyBot


def health_router(bot: PolicyBot) -> APIRouter:
    router = APIRouter()

    @router.get("/healthz", summary="The process is up", response_model=None, responses=documented(Status))
    def healthz() -> dict:
        return {"status": "ok"}

    @router.get(
        "/readyz", summary="The index is loaded", response_model=None, responses=documented(Ready, 503)
    )
    def readyz() -> JSONResponse:
        index = getattr(getattr(bot, "retriever", None), "index", None)
        manifest = getattr(index, "manifest", None)
        if not manifest:
            return error_response(503, "not_ready", "index not loaded")
        return JSONResponse(
            {
                "status": "ready",
                "built_at": manifest.get("built_at"),
                "counts": manifest.get("counts"),
                # Why the build served is not the corpus's latest (a fresh one is being made), or null.
                "stale": getattr(index, "stale", None),
            }
        )

    return router
