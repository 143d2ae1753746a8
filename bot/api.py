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

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import upload, views
from bot.corpus.bilingual import GlossaryTerm
from bot.corpus.load import SUPPORTED_SUFFIXES
from bot.feedback import FeedbackStore
from bot.schema import Answer, Citation, Corpus
from bot.service import BadRequest

if TYPE_CHECKING:
    from bot.service import PolicyBot

log = logging.getLogger("policybot.api")
access_log = logging.getLogger("policybot.access")
answer_log = logging.getLogger("policybot.answers")

MAX_BODY_BYTES = 64 * 1024
MODEL_ID = "policybot"
Language = Literal["auto", "zh", "zh-Hant", "en"]
EXAMPLE_QUESTION = "构建金砖创新基地服务体系由哪些单位负责？"
EXAMPLE_DOC_ID = "000_ea0fa33b9b77872c"  # the seed work plan (see the answer contract)
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
    """Request bodies: strict, so a value of another JSON type is refused rather than coerced."""

    model_config = ConfigDict(extra="forbid", strict=True)


class HistoryMessage(Body):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class AskRequest(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"question": EXAMPLE_QUESTION, "lang": "auto", "history": []},
                {"question": "Who runs the BRICS innovation base services?", "lang": "en", "stream": True},
            ]
        },
    )
    question: str
    lang: Language = "auto"
    history: list[HistoryMessage] = Field(default_factory=list, max_length=50)
    stream: bool = False


class SearchRequest(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"question": EXAMPLE_QUESTION, "k": 5}]})
    question: str
    k: int | None = Field(None, ge=1, le=50)


class FeedbackRequest(Body):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"rating": 1, "comment": "清楚", "answer_id": "a1"}]}
    )
    rating: Literal[-1, 1]
    comment: str = Field("", max_length=2000)
    question: str = Field("", max_length=20_000)
    answer_id: str | None = Field(None, max_length=200)


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)  # OpenAI clients send name, tool_calls, …
    role: str
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(str(part.get("text", "")) for part in self.content if part.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    model_config = ConfigDict(
        extra="allow",  # temperature, max_tokens, … are accepted and ignored
        strict=True,
        json_schema_extra={
            "examples": [
                {"model": MODEL_ID, "messages": [{"role": "user", "content": EXAMPLE_QUESTION}]},
                {"messages": [{"role": "user", "content": "知识产权质押融资"}], "stream": True},
            ]
        },
    )
    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    stream: bool = False
    lang: Language = "auto"


# ------------------------------------------------------------------------------------------ responses
# What the handlers return, declared for the OpenAPI schema only (`response_model=None`): the handlers keep
# returning plain dicts, and tests/test_fuzz.py checks every response against these declarations.


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FileProblem(Out):
    file: str
    reason: str


class ErrorDetail(Out):
    code: str
    message: str
    files: list[FileProblem] | None = Field(None, description="per-file reasons (ingest failures only)")


class ErrorBody(Out):
    error: ErrorDetail


class Hit(Out):
    doc_id: str
    clause: str
    title: str
    score: float


class SearchResult(Out):
    question: str
    hits: list[Hit]


class ClauseOutline(Out):
    clause: str
    kind: str
    part: str | None
    title: str
    title_en: str | None


class DocumentOutline(Out):
    doc_id: str
    title: str
    title_en: str | None
    number: str | None
    issuer: str | None
    issued: str | None
    valid_from: str | None
    valid_to: str | None
    shape: str | None
    clauses: list[ClauseOutline]


class Names(Out):
    zh: str
    en: str | None


class SentenceView(Out):
    id: str
    text: str
    text_en: str | None


class ChildClause(Out):
    clause: str
    title: str
    title_en: str | None


class TableRowView(Out):
    indicator: str
    indicator_en: str | None
    unit: str | None
    unit_en: str | None
    baseline: float | None
    target: float | None
    remark: str | None
    remark_en: str | None


class TableView(Out):
    columns: list[str]
    columns_en: list[str | None]
    baseline_year: int | None
    target_year: int | None
    rows: list[TableRowView]


class ClauseView(Out):
    doc_id: str
    document_title: str
    document_title_en: str | None
    clause: str
    kind: str
    label: Names
    part: str | None
    part_title: str | None
    part_title_en: str | None
    title: str
    title_en: str | None
    text: str
    text_en: str | None
    sentences: list[SentenceView]
    note: str
    responsible_units: list[Names]
    previous: str | None
    next: str | None
    children: list[ChildClause]
    table: TableView | None = Field(None, description="tables only")


class Status(Out):
    status: str


class Ready(Out):
    status: Literal["ready"]
    built_at: str | None
    counts: dict[str, int] | None


class Saved(Out):
    id: int


class IngestedDocument(Out):
    doc_id: str
    title: str
    shape: str | None
    clauses: int


class Ingested(Out):
    status: Literal["ingested"]
    documents: list[IngestedDocument]
    reindexed: bool


class ModelCard(Out):
    id: str
    object: Literal["model"]
    created: int
    owned_by: str


class ModelList(Out):
    object: Literal["list"]
    data: list[ModelCard]


class ChatMessageOut(Out):
    role: Literal["assistant"]
    content: str


class ChatChoice(Out):
    index: int
    message: ChatMessageOut
    finish_reason: Literal["stop"]


class Usage(Out):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(Out):
    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[ChatChoice]
    usage: Usage
    citations: list[Citation]


class ChatDelta(Out):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChatChunkChoice(Out):
    index: int
    delta: ChatDelta
    finish_reason: Literal["stop"] | None


class ChatChunk(Out):
    id: str
    object: Literal["chat.completion.chunk"]
    created: int
    model: str
    choices: list[ChatChunkChoice]
    citations: list[Citation] | None = Field(None, description="on the last chunk")


class TextChunk(Out):
    text: str


ERROR_DESCRIPTIONS = {
    401: "Missing bearer token",
    403: "Wrong admin token",
    404: "Not found, or the feature is disabled on this server",
    409: "An admin action is already running",
    413: "Body, question or file too large",
    415: "Unsupported media type or file type",
    422: "Invalid request or content",
    429: "Rate limited (see Retry-After)",
    501: "Not configured on this server",
    503: "Not ready",
}
HEADER_DOCS = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}},
    429: {"Retry-After": {"schema": {"type": "string", "pattern": "^[0-9]+$"}, "description": "seconds"}},
}


def json_ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def event_stream(events: dict[str, dict[str, Any]], skip_data: str | None = None) -> dict[str, Any]:
    """The schema of one server-sent event: `event` names it, `data` is JSON of the schema for that name
    (an event whose data is `skip_data`, like OpenAI's final [DONE], is not JSON)."""
    rules = []
    for name, schema in events.items():
        condition: dict[str, Any] = {"required": ["event"], "properties": {"event": {"const": name}}}
        if skip_data is not None:
            condition["properties"]["data"] = {"not": {"const": skip_data}}
        json_data = {"type": "string", "contentMediaType": "application/json", "contentSchema": schema}
        rules.append({"if": condition, "then": {"properties": {"data": json_data}}})
    return {
        "type": "object",
        "required": ["event", "data"],
        "properties": {"event": {"enum": list(events)}, "data": {"type": "string"}},
        "allOf": rules,
    }


ASK_EVENTS = event_stream(
    {"chunk": json_ref("TextChunk"), "answer": json_ref("Answer"), "error": json_ref("ErrorBody")}
)
CHAT_EVENTS = event_stream({"message": json_ref("ChatChunk"), "error": json_ref("ErrorBody")}, "[DONE]")


def with_event_schemas(app: FastAPI) -> None:
    """The models of event payloads are named only inside event-stream schemas: add them to components."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            components = build().setdefault("components", {}).setdefault("schemas", {})
            for model in (TextChunk, ChatChunk):
                schema = model.model_json_schema(
                    ref_template="#/components/schemas/{model}", mode="serialization"
                )
                for name, definition in schema.pop("$defs", {}).items():
                    components.setdefault(name, definition)
                components[model.__name__] = schema
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]


def documented(
    model: Any, *errors: int, stream: dict[str, Any] | None = None, ok: int = 200
) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: its success model (and event stream) and the error statuses it returns."""
    success: dict[str, Any] = {"model": model, "description": "Success"}
    if stream is not None:
        success["content"] = {"text/event-stream": {"schema": stream}}
    docs: dict[int | str, dict[str, Any]] = {ok: success}
    for status in errors:
        docs[status] = {"model": ErrorBody, "description": ERROR_DESCRIPTIONS[status]}
        if status in HEADER_DOCS:
            docs[status]["headers"] = HEADER_DOCS[status]
    return docs


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
    """Access log, per-client rate limit and body-size bound on /v1/, and a 500 without internals.

    `body_limits` raises the bound for the paths named (uploads); every other path keeps `max_body`."""

    def __init__(
        self,
        app: ASGIApp,
        limiter: TokenBucketLimiter,
        max_body: int = MAX_BODY_BYTES,
        body_limits: dict[str, int] | None = None,
    ):
        self.app, self.limiter, self.max_body = app, limiter, max_body
        self.body_limits = body_limits or {}

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
        limit = self.body_limits.get(scope["path"], self.max_body)
        too_large = error_response(413, "body_too_large", f"request body exceeds {limit} bytes")
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode("latin-1") or "0"
        if declared.isdigit() and int(declared) > limit:
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
            if size > limit:
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


UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "minItems": 1,
                            "maxItems": upload.MAX_FILES,
                            "description": f"{', '.join(SUPPORTED_SUFFIXES)}; "
                            f"at most {upload.MAX_UPLOAD_BYTES} bytes in all",
                        }
                    },
                }
            }
        },
    }
}
admin_bearer = HTTPBearer(auto_error=False, description="the server's admin token (BOT_SERVER__ADMIN_TOKEN)")
AdminCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(admin_bearer)]


async def uploaded_files(request: Request) -> list[tuple[str, bytes]]:
    """(client file name, bytes) of every file part named `files` of a multipart request."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise ApiError(415, "unsupported_media_type", "send the files as multipart/form-data, field 'files'")
    try:
        form = await request.form(max_files=upload.MAX_FILES, max_fields=upload.MAX_FILES)
    except StarletteHTTPException as exc:  # a malformed multipart body or too many parts
        raise ApiError(422, "invalid_upload", str(exc.detail)) from None
    try:
        parts = form.getlist("files")
        if not parts or not all(isinstance(part, UploadFile) for part in parts):
            raise ApiError(422, "no_files", "send at least one file in the multipart field 'files'")
        return [
            (part.filename or "", await part.read(upload.MAX_UPLOAD_BYTES + 1))
            for part in parts
            if isinstance(part, UploadFile)
        ]
    finally:
        await form.close()


def create_app(
    bot: PolicyBot, feedback: FeedbackStore | None = None, reindex: Callable[[], None] | None = None
) -> FastAPI:
    server = bot.settings.server
    app = FastAPI(
        title="policybot",
        version="1",
        description="Cited answers on Xiamen's IP work plan (厦府〔2022〕333号).",
    )
    app.add_middleware(
        GuardMiddleware,
        limiter=TokenBucketLimiter(server.rate_limit_per_minute),
        body_limits={"/v1/admin/ingest": upload.MAX_REQUEST_BYTES},
    )
    if server.cors_origins:  # closed unless origins are configured
        app.add_middleware(
            CORSMiddleware,
            allow_origins=server.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    with_event_schemas(app)
    admin_busy = threading.Lock()  # one reindex or ingest at a time

    @app.exception_handler(ApiError)
    async def _api_error(_: Any, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(upload.UploadRejected)
    async def _upload_rejected(_: Any, exc: upload.UploadRejected) -> JSONResponse:
        body: dict[str, Any] = {"code": exc.code, "message": exc.message}
        if exc.files:
            body["files"] = exc.files
        return JSONResponse({"error": body}, status_code=exc.status)

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
        if exc.status_code == 400:  # a body FastAPI cannot parse (e.g. not UTF-8): malformed, like bad JSON
            return error_response(422, "invalid_request", str(exc.detail))
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

    def authorize(credentials: HTTPAuthorizationCredentials | None) -> None:
        """Admin actions need the configured token as a bearer token; compared in constant time."""
        if server.admin_token is None:
            raise ApiError(404, "admin_disabled", "admin disabled")
        given = credentials.credentials.strip() if credentials is not None else ""
        if not given:
            raise ApiError(401, "unauthorized", "missing bearer token", {"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(given.encode(), server.admin_token.get_secret_value().encode()):
            raise ApiError(403, "forbidden", "invalid admin token")

    def answer_events(question: str, lang: str, history: list[dict]) -> Iterator[str]:
        for item in views.answer_stream(bot, question, lang, history):
            if isinstance(item, Answer):
                log_answer(item)
                yield sse_event(item.contract(), "answer")
            else:
                yield sse_event({"text": item}, "chunk")

    @app.post(
        "/v1/ask",
        summary="A cited answer (contract shape); ?stream=true for server-sent events",
        response_model=None,
        responses=documented(Answer, 413, 422, 429, stream=ASK_EVENTS),
    )
    def ask(body: AskRequest, stream: Annotated[bool, Query()] = False) -> Any:
        question, history = checked(body.question), [m.model_dump() for m in body.history]
        if stream or body.stream:
            return sse(answer_events(question, body.lang, history))
        answer = bot.ask(question, body.lang, history)
        log_answer(answer)
        return answer.contract()

    @app.post(
        "/v1/search",
        summary="The best clauses for a question",
        response_model=None,
        responses=documented(SearchResult, 413, 422, 429),
    )
    def search(body: SearchRequest) -> dict:
        return bot.search_json(checked(body.question), body.k)

    @app.get(
        "/v1/documents",
        summary="Documents with metadata and clause outline",
        response_model=None,
        responses=documented(list[DocumentOutline], 429),
    )
    def documents() -> list[dict]:
        return views.documents(bot)

    @app.get(
        "/v1/documents/{doc_id}/clauses/{clause}",
        summary="One clause in Chinese and English",
        response_model=None,
        responses=documented(ClauseView, 404, 422, 429),
    )
    def clause(
        doc_id: Annotated[str, Path(examples=[EXAMPLE_DOC_ID])],
        clause: Annotated[str, Path(examples=["16", "table1", "notice"])],
    ) -> dict:
        view = views.clause_view(bot, doc_id, clause)
        if view is None:
            raise ApiError(404, "not_found", f"no clause {clause!r} in document {doc_id!r}")
        return view

    @app.get(
        "/v1/glossary",
        summary="Glossary terms (Simplified, Traditional, English)",
        response_model=None,
        responses=documented(list[GlossaryTerm], 422, 429),
    )
    def glossary(
        q: Annotated[str | None, Query(max_length=200, examples=["知识产权"])] = None,
    ) -> list[dict]:
        return views.glossary(bot, q)

    @app.post(
        "/v1/feedback",
        summary="Thumbs up or down, with a comment",
        response_model=None,
        responses=documented(Saved, 404, 413, 422, 429),
    )
    def add_feedback(body: FeedbackRequest) -> dict:
        if feedback is None:
            raise ApiError(404, "feedback_disabled", "feedback is not enabled on this server")
        return {"id": feedback.add(body.rating, body.comment, body.question, body.answer_id)}

    @app.get("/healthz", summary="The process is up", response_model=None, responses=documented(Status))
    def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", summary="The index is loaded", response_model=None, responses=documented(Ready, 503))
    def readyz() -> JSONResponse:
        manifest = getattr(getattr(getattr(bot, "retriever", None), "index", None), "manifest", None)
        if not manifest:
            return error_response(503, "not_ready", "index not loaded")
        return JSONResponse(
            {"status": "ready", "built_at": manifest.get("built_at"), "counts": manifest.get("counts")}
        )

    @app.post(
        "/v1/admin/reindex",
        summary="Rebuild the index (Authorization: Bearer <admin token>)",
        response_model=None,
        responses=documented(Status, 401, 403, 404, 409, 413, 429, 501),
    )
    def admin_reindex(credentials: AdminCredentials) -> dict:
        authorize(credentials)
        if reindex is None:
            raise ApiError(501, "not_configured", "reindexing is not configured on this server")
        if not admin_busy.acquire(blocking=False):
            raise ApiError(409, "busy", "a reindex or ingest is already running")
        try:
            reindex()
        finally:
            admin_busy.release()
        return {"status": "reindexed"}

    @app.post(
        "/v1/admin/ingest",
        summary="Add documents to the corpus (multipart field `files`), then reindex; all-or-nothing",
        response_model=None,
        responses=documented(Ingested, 401, 403, 404, 409, 413, 415, 422, 429),
        openapi_extra=UPLOAD_BODY,
    )
    async def admin_ingest(request: Request, credentials: AdminCredentials) -> dict:
        authorize(credentials)  # before the body is parsed
        files = await uploaded_files(request)
        if not admin_busy.acquire(blocking=False):
            raise ApiError(409, "busy", "a reindex or ingest is already running")
        try:
            settings = bot.settings
            added = await run_in_threadpool(upload.ingest, files, settings.corpus_dir, settings.data_dir)
            log.info("ingested %s", ", ".join(d.doc_id for d in added))
            if reindex is not None:
                await run_in_threadpool(reindex)
        finally:
            admin_busy.release()
        return {
            "status": "ingested",
            "documents": [
                {"doc_id": d.doc_id, "title": d.meta.title, "shape": d.meta.shape, "clauses": len(d.clauses)}
                for d in added
            ],
            "reindexed": reindex is not None,
        }

    @app.get(
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

    @app.post(
        "/v1/chat/completions",
        summary="OpenAI-compatible chat; answers carry a Sources list and `citations`",
        response_model=None,
        responses=documented(ChatCompletion, 413, 422, 429, stream=CHAT_EVENTS),
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

    from ui.app import build_ui
    from ui.render import UI_CSS

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
