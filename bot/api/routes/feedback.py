"""POST /v1/feedback: thumbs up or down on an answer, with a comment."""

from __future__ import annotations

from fastapi import APIRouter

from bot.api.docs import documented
from bot.api.models import ApiError, FeedbackRequest, IdempotencyKey
from bot.api.responses import Saved
from bot.feedback import FeedbackStore
from bot.idempotency import KeyReused


def feedback_router(feedback: FeedbackStore | None) -> APIRouter:
    router = APIRouter()

    @router.post(
        "/v1/feedback",
        summary="Thumbs up or down, with a comment",
        response_model=None,
        responses=documented(Saved, 404, 413, 422, 429, 507),
    )
    def add_feedback(body: FeedbackRequest, idempotency_key: IdempotencyKey = None) -> dict:
        if feedback is None:
            raise ApiError(404, "feedback_disabled", "feedback is not enabled on this server")
        try:
            record = feedback.add(body.rating, body.comment, body.question, body.answer_id, idempotency_key)
        except KeyReused as exc:
            raise ApiError(422, "idempotency_key_reused", str(exc)) from None
        return {"id": record}

    return router
