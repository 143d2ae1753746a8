"""POST /v1/feedback: thumbs up or down on an answer, with a comment."""

from __future__ import annotations

import logging

from fastapi import APIRouter

from bot.api.docs import documented
from bot.api.models import ApiError, FeedbackRequest, IdempotencyKey
from bot.api.responses import Saved
from bot.feedback import FeedbackStore
from bot.idempotency import KeyReused
from bot.state.db import StateUnavailable

log = logging.getLogger("policybot.api")


def feedback_router(feedback: FeedbackStore | None) -> APIRouter:
    router = APIRouter()

    @router.post(
        "/v1/feedback",
        summary="Thumbs up or down, with a comment",
        response_model=None,
        responses=documented(Saved, 404, 413, 422, 429, 503, 507),
    )
    def add_feedback(body: FeedbackRequest, idempotency_key: IdempotencyKey = None) -> dict:
        if feedback is None:
            raise ApiError(404, "feedback_disabled", "feedback is not enabled on this server")
        try:
            record = feedback.add(body.rating, body.comment, body.question, body.answer_id, idempotency_key)
        except KeyReused as exc:
            raise ApiError(422, "idempotency_key_reused", str(exc)) from None
        except StateUnavailable:
            # Said without the database's address; the log has it. Nothing was saved: a retry is safe.
            log.exception("feedback not saved")
            raise ApiError(
                503, "database_unavailable", "feedback could not be saved now; retry later"
            ) from None
        return {"id": record}

    return router
