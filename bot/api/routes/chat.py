"""The OpenAI-compatible face: GET /v1/models and POST /v1/chat/completions (answers carry their sources)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter

from bot import views
from bot.api.cost import cpu_metered, metered
from bot.api.docs import CHAT_EVENTS, documented
from bot.api.models import MODEL_ID, ChatRequest
from bot.api.responses import ChatCompletion, ModelList
from bot.api.routes.common import checked
from bot.api.streaming import completion_chunk, log_answer, sources_text, split_chat, sse, sse_event
from bot.schema import Answer

if TYPE_CHECKING:
    from bot.service import PolicyBot


def chat_router(bot: PolicyBot) -> APIRouter:
    router = APIRouter()
    server = bot.settings.server

    @router.get(
        "/v1/models",
        summary="OpenAI-compatible model list",
        response_model=None,
        responses=documented(ModelList, 429),
    )
    def models() -> dict:
        return {
            "object": "list",
            "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "policybot"}],
        }

    def notices(answer: Answer, system: bool) -> list[str]:
        """The answer's notices, and that system messages were not followed where there were any."""
        said = list(answer.notices)
        if system:
            said.insert(0, bot.composer.message("notice.system_ignored", answer.language))
        return said

    def chat_events(
        chat_id: str, question: str, lang: str, history: list[dict], system: bool
    ) -> Iterator[str]:
        yield sse_event(completion_chunk(chat_id, {"role": "assistant", "content": ""}))
        for item in views.answer_stream(bot, question, lang, history):
            if isinstance(item, Answer):
                log_answer(item)
                if item.citations:
                    yield sse_event(completion_chunk(chat_id, {"content": sources_text(item, bot.corpus)}))
                extra = {"citations": item.contract()["citations"], "notices": notices(item, system)}
                yield sse_event(completion_chunk(chat_id, {}, "stop", **extra))
            else:
                yield sse_event(completion_chunk(chat_id, {"content": item}))
        yield "data: [DONE]\n\n"

    @router.post(
        "/v1/chat/completions",
        summary="OpenAI-compatible chat; answers carry a Sources list and `citations`",
        response_model=None,
        responses=documented(ChatCompletion, 413, 422, 429, stream=CHAT_EVENTS),
    )
    def chat_completions(body: ChatRequest) -> Any:
        question, history = split_chat(body.messages)
        question = checked(question, server)
        # System messages are not followed: the bot's rules are its own (the answer's notices say so).
        system = any(m.role == "system" for m in body.messages)
        chat_id = f"chatcmpl-{uuid.uuid4().hex}"
        if body.stream:
            return sse(metered(chat_events(chat_id, question, body.lang, history, system)))
        with cpu_metered():
            answer = bot.ask(question, body.lang, history)
        log_answer(answer)
        message = {"role": "assistant", "content": answer.answer + sources_text(answer, bot.corpus)}
        return {
            "id": chat_id,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": MODEL_ID,
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            "citations": answer.contract()["citations"],
            "notices": notices(answer, system),
        }

    return router
