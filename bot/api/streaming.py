"""Server-sent events, answer logging and the OpenAI-compatible chat helpers."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi.responses import StreamingResponse

from bot import views
from bot.api.models import MODEL_ID, SOURCES_HEADING, ApiError, ChatMessage
from bot.schema import Answer, Corpus
from bot.service import BadRequest

log = logging.getLogger("policybot.api")
answer_log = logging.getLogger("policybot.answers")


def sse(events: Iterable[str]) -> StreamingResponse:
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(guarded(events), media_type="text/event-stream", headers=headers)


def guarded(events: Iterable[str]) -> Iterator[str]:
    """Once a stream has started its status is sent: a failure becomes a final `error` event instead."""
    try:
        yield from events
    except BadRequest as exc:
        yield sse_event({"error": {"code": "bad_request", "message": str(exc)}}, "error")
    except Exception:
        log.exception("unhandled error while streaming")
        yield sse_event({"error": {"code": "internal_error", "message": "internal server error"}}, "error")


def sse_event(data: Any, event: str | None = None) -> str:
    prefix = f"event: {event}\n" if event else ""
    return f"{prefix}data: {json.dumps(data, ensure_ascii=False)}\n\n"


def log_answer(answer: Answer) -> None:
    """One line per answer for quality monitoring; nothing about the client beyond its question."""
    entry = {
        "event": "answer",
        "question": answer.question,
        "language": answer.language,
        "clauses": list(dict.fromkeys(c.clause for c in answer.citations)),
        "abstained": answer.abstained,
        "backend": answer.backend,
        "timings_ms": answer.timings_ms,
    }
    answer_log.info(json.dumps(entry, ensure_ascii=False))


def sources_text(answer: Answer, corpus: Corpus) -> str:
    if not answer.citations:
        return ""
    lines = [
        f"{i}. {views.citation_line(c, answer.language, corpus)}" for i, c in enumerate(answer.citations, 1)
    ]
    return f"\n\n{SOURCES_HEADING[answer.language]}\n" + "\n".join(lines)


def split_chat(messages: list[ChatMessage]) -> tuple[str, list[dict[str, str]]]:
    """The last user message is the question; earlier user/assistant turns are the history."""
    last = max((i for i, m in enumerate(messages) if m.role == "user"), default=None)
    if last is None:
        raise ApiError(422, "no_question", "messages must contain a user message")
    history = [
        {"role": m.role, "content": m.text()} for m in messages[:last] if m.role in ("user", "assistant")
    ]
    return messages[last].text(), history


def completion_chunk(chunk_id: str, delta: dict, finish: str | None = None, **extra: Any) -> dict:
    choice = {"index": 0, "delta": delta, "finish_reason": finish}
    created = int(time.time())
    return {
        "id": chunk_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL_ID,
        "choices": [choice],
        **extra,
    }


# ------------------------------------------------------------------------------------------ app
