"""Asking and searching: POST /v1/ask (optionally as server-sent events) and POST /v1/search."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query

from bot import views
from bot.api.cost import cpu_metered, metered
from bot.api.docs import ASK_EVENTS, documented
from bot.api.models import AskRequest, SearchRequest
from bot.api.responses import SearchResult
from bot.api.routes.common import checked
from bot.api.streaming import log_answer, sse, sse_event
from bot.schema import Answer

if TYPE_CHECKING:
    from bot.service import PolicyBot


def ask_router(bot: PolicyBot) -> APIRouter:
    router = APIRouter()
    server = bot.settings.server

    def answer_events(question: str, lang: str, history: list[dict]) -> Iterator[str]:
        for item in views.answer_stream(bot, question, lang, history):
            if isinstance(item, Answer):
                log_answer(item)
                yield sse_event(item.contract(), "answer")
            else:
                yield sse_event({"text": item}, "chunk")

    @router.post(
        "/v1/ask",
        summary="A cited answer (contract shape); ?stream=true for server-sent events",
        response_model=None,
        responses=documented(Answer, 413, 422, 429, stream=ASK_EVENTS),
    )
    def ask(body: AskRequest, stream: Annotated[bool, Query()] = False) -> Any:
        question, history = checked(body.question, server), [m.model_dump() for m in body.history]
        if stream or body.stream:
            return sse(metered(answer_events(question, body.lang, history)))
        with cpu_metered():
            answer = bot.ask(question, body.lang, history)
        log_answer(answer)
        return answer.contract()

    @router.post(
        "/v1/search",
        summary="The best clauses for a question",
        response_model=None,
        responses=documented(SearchResult, 413, 422, 429),
    )
    def search(body: SearchRequest) -> dict:
        with cpu_metered():
            return bot.search_json(checked(body.question, server), body.k)

    return router
