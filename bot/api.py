"""create_app(bot) -> FastAPI: translation to and from HTTP, nothing else.

Every error leaves as {"error": {"code", "message"}}; no stack trace ever reaches a client.
"""

from __future__ import annotations

import dataclasses
import hmac
import json
import logging
import math
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import FastAPI, Header, Query
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import views
from bot.feedback import FeedbackStore
from bot.schema import Answer, Corpus
from bot.service import BadRequest

if TYPE_CHECKING:
    from bot.service import PolicyBot

log = logging.getLogger("policybot.api")
access_log = logging.getLogger("policybot.access")
answer_log = logging.getLogger("policybot.answers")

MAX_BODY_BYTES = 64 * 1024
MODEL_ID = "policybot"
Language = Literal["auto", "zh", "zh-Hant", "en"]
SOURCES_HEADING = {"zh-Hans": "来源：", "zh-Hant": "來源：", "en": "Sources:"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


# ------------------------------------------------------------------------------------------ bodies


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HistoryMessage(Body):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class AskRequest(Body):
    question: str
    lang: Language = "auto"
    history: list[HistoryMessage] = Field(default_factory=list, max_length=50)
    stream: bool = False


class SearchRequest(Body):
    question: str
    k: int | None = Field(None, ge=1, le=50)


class FeedbackRequest(Body):
    rating: Literal[-1, 1]
    comment: str = Field("", max_length=2000)
    question: str = Field("", max_length=20_000)
    answer_id: str | None = Field(None, max_length=200)


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")  # OpenAI clients send name, tool_calls, …
    role: str
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(str(part.get("text", "")) for part in self.content if part.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, max_tokens, … are accepted and ignored
    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    stream: bool = False
    lang: Language = "auto"


# ------------------------------------------------------------------------------------------ guard


class TokenBucketLimiter:
    """Per-client token buckets: `per_minute` requests in a burst, refilled continuously."""

    def __init__(self, per_minute: int, max_clients: int = 10_000):
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.max_clients = max_clients
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self.lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds to wait for the next token."""
        now = time.monotonic()
        with self.lock:
            tokens, last = self.buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self.buckets[client] = (tokens - 1 if wait == 0 else tokens, now)
            if len(self.buckets) > self.max_clients:  # forget the least recently seen client
                self.buckets.popitem(last=False)
            return wait


class GuardMiddleware:
    """Access log, per-client rate limit and body-size bound on /v1/, and a 500 without internals."""

    def __init__(self, app: ASGIApp, limiter: TokenBucketLimiter, max_body: int = MAX_BODY_BYTES):
        self.app, self.limiter, self.max_body = app, limiter, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, state = time.perf_counter(), {"status": 500, "sent": False}

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"], state["sent"] = message["status"], True
            await send(message)

        try:
            rejection, receive = await self._screen(scope, receive)
            if rejection is not None:
                await rejection(scope, receive, send_logged)
            else:
                await self.app(scope, receive, send_logged)
        except Exception:
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if not state["sent"]:
                await error_response(500, "internal_error", "internal server error")(
                    scope, receive, send_logged
                )
        finally:
            access_log.info(
                json.dumps(
                    {
                        "event": "access",
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": state["status"],
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                    }
                )
            )

    async def _screen(self, scope: Scope, receive: Receive) -> tuple[JSONResponse | None, Receive]:
        if not scope["path"].startswith("/v1/"):
            return None, receive
        # The socket peer, not X-Forwarded-For: a header anyone can forge must not pick the bucket.
        client = (scope.get("client") or ("unknown",))[0]
        wait = self.limiter.take(client)
        if wait > 0:
            message = "too many requests; slow down"
            return error_response(
                429, "rate_limited", message, {"Retry-After": str(math.ceil(wait))}
            ), receive
        too_large = error_response(413, "body_too_large", f"request body exceeds {self.max_body} bytes")
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode() or "0"
        if declared.isdigit() and int(declared) > self.max_body:
            return too_large, receive
        # Read the (bounded) body here, so chunked uploads without a length are bounded too.
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            event = await receive()
            if event["type"] != "http.request":
                break
            chunks.append(event.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_body:
                return too_large, receive
            more = event.get("more_body", False)
        body, delivered = b"".join(chunks), False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        return None, replay


# ------------------------------------------------------------------------------------------ helpers


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
        "clauses": [c.clause for c in answer.citations],
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


def create_app(
    bot: PolicyBot, feedback: FeedbackStore | None = None, reindex: Callable[[], None] | None = None
) -> FastAPI:
    server = bot.settings.server
    app = FastAPI(
        title="policybot",
        version="1",
        description="Cited answers on Xiamen's IP work plan (厦府〔2022〕333号).",
    )
    app.add_middleware(GuardMiddleware, limiter=TokenBucketLimiter(server.rate_limit_per_minute))
    if server.cors_origins:  # closed unless origins are configured
        app.add_middleware(
            CORSMiddleware,
            allow_origins=server.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    reindexing = threading.Lock()

    @app.exception_handler(ApiError)
    async def _api_error(_: Any, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(BadRequest)
    async def _bad_request(_: Any, exc: BadRequest) -> JSONResponse:
        return error_response(422, "bad_request", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Any, exc: RequestValidationError) -> JSONResponse:
        # Locations and messages only: the rejected input is not echoed back.
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return error_response(422, "invalid_request", problems or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Any, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

    def checked(question: str) -> str:
        question = question.strip()
        if not question:
            raise ApiError(422, "empty_question", "question must not be empty")
        if len(question) > server.max_question_chars:
            raise ApiError(
                413, "question_too_long", f"question exceeds {server.max_question_chars} characters"
            )
        return question

    def answer_events(question: str, lang: str, history: list[dict]) -> Iterator[str]:
        for item in views.answer_stream(bot, question, lang, history):
            if isinstance(item, Answer):
                log_answer(item)
                yield sse_event(item.contract(), "answer")
            else:
                yield sse_event({"text": item}, "chunk")

    @app.post("/v1/ask", summary="A cited answer (contract shape); ?stream=true for server-sent events")
    def ask(body: AskRequest, stream: Annotated[bool, Query()] = False) -> Any:
        question, history = checked(body.question), [m.model_dump() for m in body.history]
        if stream or body.stream:
            return sse(answer_events(question, body.lang, history))
        answer = bot.ask(question, body.lang, history)
        log_answer(answer)
        return answer.contract()

    @app.post("/v1/search", summary="The best clauses for a question")
    def search(body: SearchRequest) -> dict:
        return bot.search_json(checked(body.question), body.k)

    @app.get("/v1/documents", summary="Documents with metadata and clause outline")
    def documents() -> list[dict]:
        return views.documents(bot)

    @app.get("/v1/documents/{doc_id}/clauses/{clause}", summary="One clause in Chinese and English")
    def clause(doc_id: str, clause: str) -> dict:
        view = views.clause_view(bot, doc_id, clause)
        if view is None:
            raise ApiError(404, "not_found", f"no clause {clause!r} in document {doc_id!r}")
        return view

    @app.get("/v1/glossary", summary="Glossary terms (Simplified, Traditional, English)")
    def glossary(q: Annotated[str | None, Query(max_length=200)] = None) -> list[dict]:
        return views.glossary(bot, q)

    @app.post("/v1/feedback", summary="Thumbs up or down, with a comment")
    def add_feedback(body: FeedbackRequest) -> dict:
        if feedback is None:
            raise ApiError(404, "feedback_disabled", "feedback is not enabled on this server")
        return {"id": feedback.add(body.rating, body.comment, body.question, body.answer_id)}

    @app.get("/healthz", summary="The process is up")
    def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", summary="The index is loaded")
    def readyz() -> JSONResponse:
        manifest = getattr(getattr(getattr(bot, "retriever", None), "index", None), "manifest", None)
        if not manifest:
            return error_response(503, "not_ready", "index not loaded")
        return JSONResponse(
            {"status": "ready", "built_at": manifest.get("built_at"), "counts": manifest.get("counts")}
        )

    @app.post("/v1/admin/reindex", summary="Rebuild the index (Authorization: Bearer <admin token>)")
    def admin_reindex(authorization: Annotated[str | None, Header()] = None) -> dict:
        if server.admin_token is None:
            raise ApiError(404, "admin_disabled", "admin disabled")
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise ApiError(401, "unauthorized", "missing bearer token", {"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(given.strip().encode(), server.admin_token.get_secret_value().encode()):
            raise ApiError(403, "forbidden", "invalid admin token")
        if reindex is None:
            raise ApiError(501, "not_configured", "reindexing is not configured on this server")
        if not reindexing.acquire(blocking=False):
            raise ApiError(409, "busy", "a reindex is already running")
        try:
            reindex()
        finally:
            reindexing.release()
        return {"status": "reindexed"}

    @app.get("/v1/models", summary="OpenAI-compatible model list")
    def models() -> dict:
        return {
            "object": "list",
            "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "policybot"}],
        }

    @app.post(
        "/v1/chat/completions", summary="OpenAI-compatible chat; answers carry a Sources list and `citations`"
    )
    def chat_completions(body: ChatRequest) -> Any:
        question, history = split_chat(body.messages)
        question = checked(question)
        chat_id = f"chatcmpl-{uuid.uuid4().hex}"
        if body.stream:
            return sse(chat_events(chat_id, question, body.lang, history))
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
        }

    def chat_events(chat_id: str, question: str, lang: str, history: list[dict]) -> Iterator[str]:
        yield sse_event(completion_chunk(chat_id, {"role": "assistant", "content": ""}))
        for item in views.answer_stream(bot, question, lang, history):
            if isinstance(item, Answer):
                log_answer(item)
                if item.citations:
                    yield sse_event(completion_chunk(chat_id, {"content": sources_text(item, bot.corpus)}))
                yield sse_event(completion_chunk(chat_id, {}, "stop", citations=item.contract()["citations"]))
            else:
                yield sse_event(completion_chunk(chat_id, {"content": item}))
        yield "data: [DONE]\n\n"

    return app


# ------------------------------------------------------------------------------------------ serving


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

    from ui.app import UI_CSS, build_ui

    app = create_app(bot, feedback, reindex)
    return gr.mount_gradio_app(
        app, build_ui(bot, feedback=feedback), path="/", css=UI_CSS, ssr_mode=False, footer_links=[]
    )


def serve(bot: PolicyBot, host: str = "127.0.0.1", port: int = 7860) -> None:
    import uvicorn

    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    feedback = FeedbackStore(bot.settings.data_dir / "feedback.sqlite3")
    app = build_server(bot, feedback, reindex=lambda: reload_in_place(bot))
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info")
